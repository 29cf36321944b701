/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_PLOT_HELPER_H
#define FABRIC_PLOT_HELPER_H

#include "ns3/communicator.h"
#include "ns3/fabric-link-usage.h"
#include "ns3/fabric-topology.h"
#include "ns3/training-report.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Pictures of a run, with ns-3's Gnuplot classes: busbw against message size (packet
 * level and model), a heat map of every link's utilisation over the topology's link classes
 * and ports, and an iteration's breakdown per worker (compute, exposed communication, idle).
 *
 * Each plot NAME goes to the helper's directory as NAME.dat (the numbers, in columns with a
 * header), NAME.plt (the gnuplot script, PNG and SVG) and, when Debian's gnuplot is installed
 * (tools/setup-debian.sh installs gnuplot-nox), NAME.png and NAME.svg rendered from it.
 */
class FabricPlotHelper
{
  public:
    /**
     * \param directory where the plots go (created if missing)
     */
    explicit FabricPlotHelper(const std::string& directory);

    /**
     * \brief busbw against message size, packet level and analytical, log-log.
     * \param name the plot's name
     * \param title its title
     * \param rows one report per size, in size order
     * \return the files written
     */
    std::vector<std::string> PlotBusBandwidth(const std::string& name,
                                              const std::string& title,
                                              const std::vector<CollectiveReport>& rows) const;

    /**
     * \brief Every port's utilisation as a heat map: one row per link class (the topology's
     * levels and directions), one column per port of the class.
     * \param name the plot's name
     * \param title its title
     * \param ports the ports (FabricLinkUsage::MeasurePorts)
     * \return the files written
     */
    std::vector<std::string> PlotLinkHeatMap(const std::string& name,
                                             const std::string& title,
                                             const std::vector<PortUsage>& ports) const;

    /**
     * \brief One iteration per worker as stacked bars: compute, exposed communication, idle.
     * \param name the plot's name
     * \param report the training report
     * \param iteration which iteration
     * \return the files written
     */
    std::vector<std::string> PlotIterationBreakdown(const std::string& name,
                                                    const TrainingReport& report,
                                                    uint32_t iteration = 0) const;

    /**
     * \brief The topology as Graphviz DOT (FabricTopology::WriteDot), its links coloured by the
     * ports' utilisation when given, rendered to PNG and SVG when Debian's graphviz is there.
     * \param name the picture's name
     * \param topology the fabric
     * \param ports the ports' utilisation after a run (empty: no colouring)
     * \return the files written
     */
    std::vector<std::string> PlotTopology(const std::string& name,
                                          Ptr<FabricTopology> topology,
                                          const std::vector<PortUsage>& ports = {}) const;

    /**
     * \brief Curves over a common x axis (the studies' figures): one column per series.
     * \param name the plot's name
     * \param title its title
     * \param xLabel the x axis
     * \param yLabel the y axis
     * \param series the series' names, one per column after x
     * \param rows x then one value per series; a NaN value leaves a gap
     * \param logX log-scale x
     * \param logY log-scale y
     * \param extra more gnuplot commands (arrows, labels), may be empty
     * \return the files written
     */
    std::vector<std::string> PlotSeries(const std::string& name,
                                        const std::string& title,
                                        const std::string& xLabel,
                                        const std::string& yLabel,
                                        const std::vector<std::string>& series,
                                        const std::vector<std::vector<double>>& rows,
                                        bool logX,
                                        bool logY,
                                        const std::string& extra = "") const;

    /** \return true if a gnuplot program is on the PATH */
    static bool HaveGnuplot();

    /** \return true if graphviz's dot is on the PATH */
    static bool HaveDot();

  private:
    /**
     * \brief Write NAME.plt for PNG and SVG and render it if gnuplot is there.
     * \param name the plot's name
     * \param script the gnuplot commands after the terminal and output settings
     * \param files appended: what was written
     */
    void Render(const std::string& name,
                const std::string& script,
                std::vector<std::string>& files) const;

    std::string m_directory; //!< where the plots go
};

} // namespace ns3

#endif /* FABRIC_PLOT_HELPER_H */
