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
            m_ports.push_back({sw, p, Time(), Time(), 0, {}});
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
    }
}

void
FabricHotPorts::StartSampling(Time period)
{
    NS_ASSERT(period.IsStrictlyPositive());
    m_period = period;
    m_sampleEvent.Cancel();
    Sample();
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
