/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-hot-ports.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricHotPorts");

namespace
{

/**
 * \param port a port
 * \return its credit-stall time over every data VL
 */
Time
StallOf(Ptr<FabricNetDevice> port)
{
    Time total;
    for (uint8_t vl = 0; vl < port->GetNumDataVls(); ++vl)
    {
        total += port->GetCreditStallTime(vl);
    }
    return total;
}

} // namespace

double
HotPort::GetStallFraction(size_t i, Time period) const
{
    if (i >= stallSeries.size() || !period.IsStrictlyPositive())
    {
        return 0;
    }
    return static_cast<double>(stallSeries[i].GetPicoSeconds()) / period.GetPicoSeconds();
}

FabricHotPorts::FabricHotPorts(Ptr<FabricTopology> topology)
    : m_topology(topology)
{
    NS_LOG_FUNCTION(this);
    NodeContainer switches = topology->GetSwitchNodes();
    for (auto it = switches.Begin(); it != switches.End(); ++it)
    {
        Ptr<FabricSwitch> sw = (*it)->GetObject<FabricSwitch>();
        if (!sw)
        {
            continue;
        }
        for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
        {
            m_ports.push_back({sw, p, Time(), Time(), 0, {}, Time(), {}});
        }
    }
    Start();
}

FabricHotPorts::~FabricHotPorts()
{
    m_sampleEvent.Cancel();
}

void
FabricHotPorts::Start()
{
    for (auto& w : m_ports)
    {
        w.hotAtStart = w.sw->GetTimeAboveThreshold(w.port);
        Ptr<FabricNetDevice> dev = w.sw->GetPort(w.port);
        w.stallAtStart = StallOf(dev);
        w.txAtStart = dev->GetTxBytes();
        w.series.clear();
        w.stallAtSample = w.stallAtStart;
        w.stall.clear();
    }
}

void
FabricHotPorts::StartSampling(Time period)
{
    NS_ASSERT(period.IsStrictlyPositive());
    m_period = period;
    m_sampleEvent.Cancel();
    for (auto& w : m_ports)
    {
        w.stallAtSample = StallOf(w.sw->GetPort(w.port)); // the first period begins now
    }
    // The first sample is an event too, so that what the caller schedules next keeps it going.
    m_sampleEvent = Simulator::ScheduleNow(&FabricHotPorts::Sample, this);
}

void
FabricHotPorts::Stop()
{
    m_sampleEvent.Cancel();
}

Time
FabricHotPorts::GetSamplePeriod() const
{
    return m_period;
}

void
FabricHotPorts::Sample()
{
    for (auto& w : m_ports)
    {
        w.series.push_back(w.sw->GetEgressQueueBytes(w.port));
        const Time stall = StallOf(w.sw->GetPort(w.port)); // includes a stall still running
        w.stall.push_back(stall - w.stallAtSample);
        w.stallAtSample = stall;
    }
    if (Simulator::IsFinished())
    {
        // Nothing else left to simulate: another sample would only keep the simulation going.
        NS_LOG_LOGIC("nothing left to simulate: sampling stops");
        return;
    }
    m_sampleEvent = Simulator::Schedule(m_period, &FabricHotPorts::Sample, this);
}

std::vector<HotPort>
FabricHotPorts::Rank(size_t top) const
{
    std::vector<HotPort> ranked;
    for (const auto& w : m_ports)
    {
        Ptr<FabricNetDevice> dev = w.sw->GetPort(w.port);
        HotPort h;
        h.name = m_topology->GetPortName(dev);
        h.switchName = m_topology->GetName(dev->GetNode());
        h.port = w.port;
        h.aboveThreshold = w.sw->GetTimeAboveThreshold(w.port) - w.hotAtStart;
        h.maxQueueBytes = w.sw->GetMaxEgressQueueBytes(w.port);
        h.creditStall = StallOf(dev) - w.stallAtStart;
        h.txBytes = dev->GetTxBytes() - w.txAtStart;
        h.queueSeries = w.series;
        h.stallSeries = w.stall;
        if (h.aboveThreshold.IsZero() && h.creditStall.IsZero() && h.maxQueueBytes == 0)
        {
            continue;
        }
        ranked.push_back(std::move(h));
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const HotPort& a, const HotPort& b) {
        if (a.aboveThreshold != b.aboveThreshold)
        {
            return a.aboveThreshold > b.aboveThreshold;
        }
        if (a.creditStall != b.creditStall)
        {
            return a.creditStall > b.creditStall;
        }
        return a.maxQueueBytes > b.maxQueueBytes;
    });
    if (ranked.size() > top)
    {
        ranked.resize(top);
    }
    return ranked;
}

} // namespace ns3
