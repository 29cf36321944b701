/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-progress.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <unistd.h>

namespace ns3
{

namespace
{

double
Wall()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

FabricProgress::FabricProgress(std::ostream& os, Time interval)
    : m_os(os),
      m_interval(interval.GetSeconds()),
      m_step(MicroSeconds(1))
{
}

FabricProgress::~FabricProgress()
{
    Simulator::Cancel(m_event);
}

bool
FabricProgress::ShouldShow(bool quiet)
{
    return !quiet && isatty(fileno(stderr));
}

void
FabricProgress::Start(const std::string& what)
{
    m_what = what;
    m_wallStart = Wall();
    m_lastReport = m_wallStart;
    m_eventsStart = Simulator::GetEventCount();
    m_printed = false;
    Simulator::Cancel(m_event);
    m_event = Simulator::Schedule(m_step, &FabricProgress::Check, this);
}

void
FabricProgress::SetExpectedEnd(Time end)
{
    m_expectedEnd = end;
}

void
FabricProgress::Check()
{
    const double now = Wall();
    const double sinceReport = now - m_lastReport;
    if (sinceReport >= m_interval)
    {
        const double elapsed = now - m_wallStart;
        const uint64_t events = Simulator::GetEventCount() - m_eventsStart;
        std::ostringstream line;
        line.setf(std::ios::fixed);
        line.precision(1);
        line << m_what << ": simulated " << Simulator::Now().GetSeconds() * 1e6 << " us, wall "
             << elapsed << " s, " << events / elapsed / 1e6 << " M events/s";
        if (m_expectedEnd.IsStrictlyPositive())
        {
            const double done =
                std::min(1.0, Simulator::Now().GetSeconds() / m_expectedEnd.GetSeconds());
            line << ", ~" << 100 * done << "% of the expected " << m_expectedEnd.GetSeconds() * 1e6
                 << " us";
            if (done > 0.01 && done < 1.0)
            {
                line << ", ETA " << elapsed * (1 - done) / done << " s";
            }
        }
        m_os << "\r" << line.str() << "\033[K" << std::flush;
        m_printed = true;
        m_lastReport = now;
    }
    // Aim at a few checks per report: lengthen the step while checks come too often.
    if (sinceReport < m_interval / 10)
    {
        m_step = m_step * 2;
    }
    else if (sinceReport > m_interval && m_step > PicoSeconds(2))
    {
        m_step = m_step / 2;
    }
    // The last event left: the run is over, do not keep it alive.
    if (!Simulator::IsFinished())
    {
        m_event = Simulator::Schedule(m_step, &FabricProgress::Check, this);
    }
}

void
FabricProgress::Stop()
{
    Simulator::Cancel(m_event);
    if (m_printed)
    {
        m_os << "\r\033[K" << std::flush;
        m_printed = false;
    }
}

} // namespace ns3
