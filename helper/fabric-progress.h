/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_PROGRESS_H
#define FABRIC_PROGRESS_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <ostream>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Progress of a long run on a stream (stderr): simulated time, wall time, events per
 * second and, where the end is known (SetExpectedEnd: e.g. the analytical estimate of a
 * collective), the share done and an ETA.
 *
 * Modelled on ns-3's ShowProgress (an event that adapts its simulated-time step so that it
 * reports about once per Interval of wall time), with one difference: ShowProgress always
 * schedules its next check, so a simulation that ends by running out of events, as every run of
 * this module does, would never end; this one stops when it is the last event left. It is off
 * unless enabled: Create() enables it only when the stream is a terminal and quiet is false, so
 * logs and tests stay clean.
 */
class FabricProgress
{
  public:
    /**
     * \param os where to report
     * \param interval wall time between reports
     */
    explicit FabricProgress(std::ostream& os, Time interval = Seconds(1));

    ~FabricProgress();

    /**
     * \param quiet the user asked for no progress (--quiet)
     * \return true if progress should show: not quiet, and stderr is a terminal
     */
    static bool ShouldShow(bool quiet);

    /**
     * \brief Start reporting (call before Simulator::Run; again for each run).
     * \param what a label for the lines ("all-reduce 1 GiB")
     */
    void Start(const std::string& what);

    /**
     * \param end the simulated time at which the run is expected to end (zero: unknown)
     */
    void SetExpectedEnd(Time end);

    /** \brief Stop reporting and end the line. */
    void Stop();

  private:
    /** \brief Report if an Interval of wall time has passed; adapt the step; reschedule. */
    void Check();

    std::ostream& m_os;        //!< the stream
    double m_interval;         //!< wall seconds between reports
    std::string m_what;        //!< label
    Time m_expectedEnd;        //!< expected end, zero if unknown
    Time m_step;               //!< simulated time between checks
    double m_wallStart{0};     //!< wall clock at Start()
    double m_lastReport{0};    //!< wall clock of the last report
    uint64_t m_eventsStart{0}; //!< events executed at Start()
    EventId m_event;           //!< the next check
    bool m_printed{false};     //!< a line was printed
};

} // namespace ns3

#endif /* FABRIC_PROGRESS_H */
