/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-plot-helper.h"

#include "ns3/fabric-config-error.h"
#include "ns3/gnuplot.h"
#include "ns3/log.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricPlotHelper");

FabricPlotHelper::FabricPlotHelper(const std::string& directory)
    : m_directory(directory)
{
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec)
    {
        throw FabricConfigError("FabricPlotHelper",
                                "cannot create directory " + directory + ": " + ec.message());
    }
}

bool
FabricPlotHelper::HaveGnuplot()
{
    return std::system("command -v gnuplot > /dev/null 2>&1") == 0;
}

bool
FabricPlotHelper::HaveDot()
{
    return std::system("command -v dot > /dev/null 2>&1") == 0;
}

namespace
{

/// Write a file or say which one could not be written.
void
WriteFile(const std::string& path, const std::string& text)
{
    std::ofstream os(path);
    os << text;
    if (!os)
    {
        throw FabricConfigError("FabricPlotHelper", "cannot write " + path);
    }
}

} // namespace

void
FabricPlotHelper::Render(const std::string& name,
                         const std::string& script,
                         std::vector<std::string>& files) const
{
    // One script draws both pictures: the same commands under two terminals.
    std::ostringstream plt;
    for (const auto& [terminal, extension] : {std::make_pair("pngcairo size 1000,600", "png"),
                                              std::make_pair("svg size 1000,600", "svg")})
    {
        plt << "set terminal " << terminal << "\n"
            << "set output '" << name << "." << extension << "'\n"
            << script << "\n";
    }
    const std::string base = m_directory + "/" + name;
    WriteFile(base + ".plt", plt.str());
    files.push_back(base + ".plt");
    if (!HaveGnuplot())
    {
        NS_LOG_WARN("gnuplot is not installed: " << base << ".plt is not rendered");
        return;
    }
    // gnuplot writes the outputs relative to its working directory: run it in the directory.
    const std::string command =
        "cd '" + m_directory + "' && gnuplot '" + name + ".plt' > /dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
    {
        throw FabricConfigError("FabricPlotHelper", "gnuplot failed on " + base + ".plt");
    }
    files.push_back(base + ".png");
    files.push_back(base + ".svg");
}

std::vector<std::string>
FabricPlotHelper::PlotBusBandwidth(const std::string& name,
                                   const std::string& title,
                                   const std::vector<CollectiveReport>& rows) const
{
    std::vector<std::string> files;
    std::ostringstream dat;
    dat << "# bytes algorithm packet_busbw_GBps analytical_busbw_GBps packet_us analytical_us\n";
    Gnuplot2dDataset packet("packet level");
    Gnuplot2dDataset model("alpha-beta model");
    packet.SetStyle(Gnuplot2dDataset::LINES_POINTS);
    model.SetStyle(Gnuplot2dDataset::LINES_POINTS);
    for (const auto& r : rows)
    {
        dat << r.bytes << " " << r.algorithm << " " << r.PacketBusBandwidth() / 1e9 << " "
            << r.AnalyticalBusBandwidth() / 1e9 << " " << r.packetTime.GetSeconds() * 1e6 << " "
            << r.analyticalTime.GetSeconds() * 1e6 << "\n";
        packet.Add(static_cast<double>(r.bytes), r.PacketBusBandwidth() / 1e9);
        model.Add(static_cast<double>(r.bytes), r.AnalyticalBusBandwidth() / 1e9);
    }
    WriteFile(m_directory + "/" + name + ".dat", dat.str());
    files.push_back(m_directory + "/" + name + ".dat");
    Gnuplot plot("", title);
    plot.SetLegend("message size S (bytes)", "busbw (GB/s, nccl-tests)");
    plot.SetExtra("set logscale x 2\nset grid\nset key left top\nset format x '%.0b %BB'");
    plot.AddDataset(packet);
    plot.AddDataset(model);
    std::ostringstream script;
    plot.GenerateOutput(script);
    Render(name, script.str(), files);
    return files;
}

std::vector<std::string>
FabricPlotHelper::PlotSeries(const std::string& name,
                             const std::string& title,
                             const std::string& xLabel,
                             const std::string& yLabel,
                             const std::vector<std::string>& series,
                             const std::vector<std::vector<double>>& rows,
                             bool logX,
                             bool logY,
                             const std::string& extra) const
{
    std::vector<std::string> files;
    std::ostringstream dat;
    dat << "# x";
    for (const auto& s : series)
    {
        dat << " " << s;
    }
    dat << "\n";
    std::vector<Gnuplot2dDataset> sets;
    for (const auto& s : series)
    {
        sets.emplace_back(s);
        sets.back().SetStyle(Gnuplot2dDataset::LINES_POINTS);
    }
    for (const auto& row : rows)
    {
        for (size_t i = 0; i < row.size(); ++i)
        {
            dat << (i ? " " : "") << row[i];
        }
        dat << "\n";
        for (size_t i = 0; i + 1 < row.size() && i < sets.size(); ++i)
        {
            if (std::isfinite(row[i + 1]))
            {
                sets[i].Add(row[0], row[i + 1]);
            }
        }
    }
    WriteFile(m_directory + "/" + name + ".dat", dat.str());
    files.push_back(m_directory + "/" + name + ".dat");
    Gnuplot plot("", title);
    plot.SetLegend(xLabel, yLabel);
    std::string settings = "set grid\nset key outside right top\n";
    settings += logX ? "set logscale x\n" : "";
    settings += logY ? "set logscale y\n" : "";
    plot.SetExtra(settings + extra);
    for (const auto& s : sets)
    {
        plot.AddDataset(s);
    }
    std::ostringstream script;
    plot.GenerateOutput(script);
    Render(name, script.str(), files);
    return files;
}

/// The heat map's value for a cell with no port.
constexpr double kNoPort = -0.02;

std::vector<std::string>
FabricPlotHelper::PlotLinkHeatMap(const std::string& name,
                                  const std::string& title,
                                  const std::vector<PortUsage>& ports) const
{
    std::vector<std::string> files;
    // Rows: link classes in the order they first appear (the topology's link order: NVLink
    // first, then up the fat-tree); columns: the class's ports in that order.
    std::vector<std::string> classes;
    std::map<std::string, std::vector<const PortUsage*>> byClass;
    for (const auto& p : ports)
    {
        if (!byClass.count(p.linkClass))
        {
            classes.push_back(p.linkClass);
        }
        byClass[p.linkClass].push_back(&p);
    }
    size_t widest = 1;
    for (const auto& [c, list] : byClass)
    {
        widest = std::max(widest, list.size());
    }
    std::ostringstream dat;
    dat << "# class port_index utilisation bytes port\n";
    Gnuplot3dDataset map("utilisation");
    map.SetStyle("with image");
    for (size_t row = 0; row < classes.size(); ++row)
    {
        const auto& list = byClass[classes[row]];
        for (size_t col = 0; col < widest; ++col)
        {
            // A class with fewer ports leaves cells: gnuplot's image style needs every cell,
            // so they get a value below the colour range, drawn white.
            const double u = col < list.size() ? list[col]->utilisation : kNoPort;
            map.Add(static_cast<double>(col), static_cast<double>(row), u);
            if (col < list.size())
            {
                dat << "\"" << classes[row] << "\" " << col << " " << u << " " << list[col]->bytes
                    << " \"" << list[col]->name << "\"\n";
            }
        }
        map.AddEmptyLine();
    }
    WriteFile(m_directory + "/" + name + ".dat", dat.str());
    files.push_back(m_directory + "/" + name + ".dat");
    std::ostringstream ytics;
    ytics << "set ytics (";
    for (size_t row = 0; row < classes.size(); ++row)
    {
        ytics << (row ? ", " : "") << "\"" << classes[row] << "\" " << row;
    }
    ytics << ")";
    Gnuplot plot("", title);
    plot.SetLegend("port (in the topology's link order)", "");
    plot.SetExtra("set view map\nset lmargin 24\nset cbrange [-0.02:1]\nset cbtics 0,0.2,1\n"
                  "set cblabel 'busy time / run'\n"
                  "set palette defined (-0.02 'white', 0 '#1a9850', 0.5 '#fee08b', 1 "
                  "'#d73027')\n"
                  "set xrange [-0.5:" +
                  std::to_string(widest - 0.5) + "]\nset yrange [-0.5:" +
                  std::to_string(classes.size() - 0.5) + "]\nunset key\n" + ytics.str());
    plot.AddDataset(map);
    std::ostringstream script;
    plot.GenerateOutput(script);
    Render(name, script.str(), files);
    return files;
}

std::vector<std::string>
FabricPlotHelper::PlotIterationBreakdown(const std::string& name,
                                         const TrainingReport& report,
                                         uint32_t iteration) const
{
    std::vector<std::string> files;
    std::ostringstream dat;
    dat << "# worker compute_us exposed_us idle_us iteration_us\n";
    uint32_t workers = 0;
    for (const auto& w : report.perWorker)
    {
        if (w.iteration != iteration)
        {
            continue;
        }
        dat << w.worker << " " << w.compute.GetSeconds() * 1e6 << " "
            << w.exposed.GetSeconds() * 1e6 << " " << w.idle.GetSeconds() * 1e6 << " "
            << (w.end - w.start).GetSeconds() * 1e6 << "\n";
        ++workers;
    }
    if (workers == 0)
    {
        throw FabricConfigError("FabricPlotHelper",
                                "the report has no iteration " + std::to_string(iteration));
    }
    WriteFile(m_directory + "/" + name + ".dat", dat.str());
    files.push_back(m_directory + "/" + name + ".dat");
    // Stacked bars are gnuplot's rowstacked histograms, a style ns-3's Gnuplot2dDataset does
    // not offer: this script reads the .dat file directly. Label about 16 workers at most.
    const uint32_t every = std::max<uint32_t>(1, (workers + 15) / 16);
    std::ostringstream script;
    script << "set title \"" << report.workload << ": iteration " << iteration << " per worker ("
           << report.plan << ", " << report.backend << ")\"\n"
           << "set xlabel 'worker (GPU rank)'\nset ylabel 'time (us)'\n"
           << "set style data histograms\nset style histogram rowstacked\n"
           << "set style fill solid 0.8 border -1\nset boxwidth 0.8\n"
           << "set key outside bottom center horizontal\nset yrange [0:*]\nset grid ytics\n"
           << "plot '" << name << ".dat' using 2:xtic(int($1) % " << every
           << " == 0 ? stringcolumn(1) : '') title 'compute' lc rgb '#4575b4', '' using 3 "
              "title 'exposed communication' lc rgb '#d73027', '' using 4 title 'idle "
              "(bubble, waiting)' lc rgb '#bbbbbb'\n";
    Render(name, script.str(), files);
    return files;
}

std::vector<std::string>
FabricPlotHelper::PlotTopology(const std::string& name,
                               Ptr<FabricTopology> topology,
                               const std::vector<PortUsage>& ports) const
{
    std::vector<std::string> files;
    std::map<std::string, double> load;
    for (const auto& p : ports)
    {
        load[p.name] = p.utilisation;
    }
    std::ostringstream dot;
    topology->WriteDot(dot, ports.empty() ? nullptr : &load);
    const std::string base = m_directory + "/" + name;
    WriteFile(base + ".dot", dot.str());
    files.push_back(base + ".dot");
    if (!HaveDot())
    {
        NS_LOG_WARN("graphviz is not installed: " << base << ".dot is not rendered");
        return files;
    }
    for (const std::string extension : {"png", "svg"})
    {
        const std::string command = "dot -T" + extension + " '" + base + ".dot' -o '" + base + "." +
                                    extension + "' > /dev/null 2>&1";
        if (std::system(command.c_str()) != 0)
        {
            throw FabricConfigError("FabricPlotHelper", "dot failed on " + base + ".dot");
        }
        files.push_back(base + "." + extension);
    }
    return files;
}

} // namespace ns3
