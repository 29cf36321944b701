/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-switch.h"

#include "fabric-simulator-cache.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricSwitch");

NS_OBJECT_ENSURE_REGISTERED(FabricSwitch);

TypeId
FabricSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricSwitch")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<FabricSwitch>()
            .AddTraceSource("QueueDepth",
                            "Bytes queued for an egress port and VL changed.",
                            MakeTraceSourceAccessor(&FabricSwitch::m_queueDepthTrace),
                            "ns3::FabricSwitch::QueueDepthTracedCallback")
            .AddTraceSource("CongestionMark",
                            "A packet was marked (FECN) at a congested egress.",
                            MakeTraceSourceAccessor(&FabricSwitch::m_markTrace),
                            "ns3::FabricSwitch::CongestionMarkTracedCallback");
    return tid;
}

FabricSwitch::FabricSwitch()
{
    NS_LOG_FUNCTION(this);
}

FabricSwitch::~FabricSwitch()
{
    NS_LOG_FUNCTION(this);
}

void
FabricSwitch::DoDispose()
{
    NS_LOG_FUNCTION(this);
    // Ports point back to the switch: break the cycle.
    for (auto& port : m_ports)
    {
        port->SetSwitch(nullptr, 0);
    }
    m_ports.clear();
    m_inputs.clear();
    m_requests.clear();
    Object::DoDispose();
}

std::string
FabricSwitch::Describe() const
{
    std::ostringstream os;
    Ptr<Node> node = GetObject<Node>();
    os << GetInstanceTypeId().GetName().substr(5) << " on node "
       << (node ? std::to_string(node->GetId()) : std::string("?"));
    return os.str();
}

std::string
FabricSwitch::DescribeAddress(uint16_t dst) const
{
    return "address " + std::to_string(dst);
}

uint16_t
FabricSwitch::AddPort(Ptr<FabricNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    const auto port = static_cast<uint16_t>(m_ports.size());
    m_ports.push_back(device);
    device->SetSwitch(this, port);
    m_inputs.resize(m_ports.size() * VL_SLOTS);
    m_requests.resize(m_ports.size() * VL_SLOTS);
    m_egressWaiting.resize(m_ports.size(), 0);
    m_pending.assign(m_inputs.size(), {}); // sized per input on first use
    m_portQueue.resize(m_ports.size(), 0);
    m_vlQueue.resize(m_ports.size() * VL_SLOTS, 0);
    m_stallSeen.resize(m_ports.size() * VL_SLOTS);
    m_portQueueMax.resize(m_ports.size(), 0);
    m_hotSince.resize(m_ports.size());
    m_hotTotal.resize(m_ports.size());
    return port;
}

uint16_t
FabricSwitch::GetNPorts() const
{
    return static_cast<uint16_t>(m_ports.size());
}

Ptr<FabricNetDevice>
FabricSwitch::GetPort(uint16_t port) const
{
    NS_ASSERT(port < m_ports.size());
    return m_ports[port];
}

void
FabricSwitch::SetLatency(Time latency)
{
    m_latency = latency;
}

void
FabricSwitch::SetCutThrough(bool cutThrough)
{
    m_cutThrough = cutThrough;
}

void
FabricSwitch::CheckPort(uint16_t port, uint16_t dst) const
{
    if (port >= m_ports.size())
    {
        throw FabricConfigError(Describe(),
                                "route to " + DescribeAddress(dst) + " names port " +
                                    std::to_string(port) + " but the switch has " +
                                    std::to_string(m_ports.size()) + " ports");
    }
}

void
FabricSwitch::SetRoute(uint16_t dst, uint16_t port)
{
    CheckPort(port, dst);
    if (dst >= m_forwarding.size())
    {
        m_forwarding.resize(static_cast<size_t>(dst) + 1, NO_ROUTE);
    }
    m_forwarding[dst] = port;
    if (dst < m_multipath.size())
    {
        m_multipath[dst].clear();
    }
}

void
FabricSwitch::AddRoute(uint16_t dst, uint16_t port)
{
    const uint16_t current = GetRoute(dst);
    if (current == NO_ROUTE)
    {
        SetRoute(dst, port);
        return;
    }
    CheckPort(port, dst);
    if (dst >= m_multipath.size())
    {
        m_multipath.resize(static_cast<size_t>(dst) + 1);
        m_nextPath.resize(static_cast<size_t>(dst) + 1, 0);
    }
    if (m_multipath[dst].empty())
    {
        m_multipath[dst].push_back(current);
    }
    m_multipath[dst].push_back(port);
    m_forwarding[dst] = MULTIPATH;
}

uint16_t
FabricSwitch::GetRoute(uint16_t dst) const
{
    if (dst >= m_forwarding.size())
    {
        return NO_ROUTE;
    }
    return m_forwarding[dst] == MULTIPATH ? m_multipath[dst].front() : m_forwarding[dst];
}

std::vector<uint16_t>
FabricSwitch::GetRoutes(uint16_t dst) const
{
    if (dst >= m_forwarding.size() || m_forwarding[dst] == NO_ROUTE)
    {
        return {};
    }
    if (m_forwarding[dst] == MULTIPATH)
    {
        return m_multipath[dst];
    }
    std::vector<uint16_t> routes{m_forwarding[dst]};
    if (m_arSlMask != 0 && dst < m_arGroups.size())
    {
        // Adaptive routing: the static port first, then every other port of the AR group.
        for (const uint16_t port : m_arGroups[dst])
        {
            if (port != routes.front())
            {
                routes.push_back(port);
            }
        }
    }
    return routes;
}

void
FabricSwitch::ClearRoutes()
{
    m_forwarding.clear();
    m_multipath.clear();
    m_nextPath.clear();
    m_arGroups.clear();
}

void
FabricSwitch::AddAdaptiveRoute(uint16_t dst, uint16_t port)
{
    CheckPort(port, dst);
    if (dst >= m_arGroups.size())
    {
        m_arGroups.resize(static_cast<size_t>(dst) + 1);
    }
    auto& group = m_arGroups[dst];
    if (std::find(group.begin(), group.end(), port) == group.end())
    {
        group.push_back(port);
    }
}

std::vector<uint16_t>
FabricSwitch::GetAdaptiveRoutes(uint16_t dst) const
{
    return dst < m_arGroups.size() ? m_arGroups[dst] : std::vector<uint16_t>{};
}

void
FabricSwitch::SetAdaptiveRoutingSlMask(uint16_t mask)
{
    m_arSlMask = mask;
}

uint16_t
FabricSwitch::GetAdaptiveRoutingSlMask() const
{
    return m_arSlMask;
}

uint32_t
FabricSwitch::GetEgressQueueBytes(uint16_t port) const
{
    return port < m_portQueue.size() ? m_portQueue[port] : 0;
}

uint32_t
FabricSwitch::GetEgressQueueBytes(uint16_t port, uint8_t vl) const
{
    const size_t i = static_cast<size_t>(port) * VL_SLOTS + vl;
    return i < m_vlQueue.size() ? m_vlQueue[i] : 0;
}

void
FabricSwitch::SetQueueThreshold(uint32_t bytes)
{
    m_queueThreshold = bytes;
}

uint32_t
FabricSwitch::GetQueueThreshold() const
{
    return m_queueThreshold;
}

Time
FabricSwitch::GetTimeAboveThreshold(uint16_t port) const
{
    NS_ASSERT(port < m_hotTotal.size());
    Time total = m_hotTotal[port];
    if (m_portQueue[port] >= m_queueThreshold && m_queueThreshold > 0)
    {
        total += FabricSimulatorCache::Now() - m_hotSince[port];
    }
    return total;
}

uint32_t
FabricSwitch::GetMaxEgressQueueBytes(uint16_t port) const
{
    return port < m_portQueueMax.size() ? m_portQueueMax[port] : 0;
}

uint64_t
FabricSwitch::GetAdaptiveReroutes() const
{
    return m_arReroutes;
}

void
FabricSwitch::SetCongestionMarking(bool on)
{
    m_marking = on;
}

bool
FabricSwitch::IsCongestionMarking() const
{
    return m_marking;
}

void
FabricSwitch::SetMarkingRate(uint32_t rate)
{
    m_markingRate = rate;
    m_markCountdown = 0;
}

uint32_t
FabricSwitch::GetMarkingRate() const
{
    return m_markingRate;
}

uint64_t
FabricSwitch::GetMarkedPackets() const
{
    return m_marked;
}

bool
FabricSwitch::MarkCongestion(FabricFrame& /* frame */)
{
    return false;
}

bool
FabricSwitch::IsCongestionRoot(uint32_t egress)
{
    // Bytes routed to a port may sit behind other packets in their input FIFOs (head-of-line
    // blocked): the port is contended only while at least two inputs request it at once.
    if (m_requests[egress].size() < 2)
    {
        return false;
    }
    // A port that waited for credits since the last packet found its queue above threshold
    // is a victim of congestion further on (back-pressure), not its root: no marks there.
    Ptr<FabricNetDevice> port = m_ports[egress / VL_SLOTS];
    const auto vl = static_cast<uint8_t>(egress % VL_SLOTS);
    const Time stall = port->GetCreditStallTime(vl);
    const bool victim = port->IsCreditStalled(vl) || stall != m_stallSeen[egress];
    m_stallSeen[egress] = stall;
    return !victim;
}

uint16_t
FabricSwitch::ChooseAdaptive(uint16_t dst, uint16_t fallback)
{
    // One pass over the group reading a flat per-port array: no map, no allocation.
    const auto& group = m_arGroups[dst];
    uint16_t best = fallback;
    uint32_t bestLoad = fallback < m_portQueue.size() ? m_portQueue[fallback]
                                                      : std::numeric_limits<uint32_t>::max();
    for (const uint16_t port : group)
    {
        const uint32_t load = m_portQueue[port];
        if (load < bestLoad)
        {
            best = port;
            bestLoad = load;
        }
    }
    if (best != fallback)
    {
        ++m_arReroutes;
    }
    return best;
}

void
FabricSwitch::AccountQueue(const FabricFrame& frame, bool join)
{
    const uint16_t port = frame.outPort;
    uint32_t& depth = m_portQueue[port];
    uint32_t& vlDepth = m_vlQueue[port * VL_SLOTS + frame.outVl];
    const bool wasHot = depth >= m_queueThreshold;
    if (join)
    {
        depth += frame.bytes;
        vlDepth += frame.bytes;
        m_portQueueMax[port] = std::max(m_portQueueMax[port], depth);
    }
    else
    {
        depth -= frame.bytes;
        vlDepth -= frame.bytes;
    }
    const bool isHot = depth >= m_queueThreshold;
    if (wasHot != isHot && m_queueThreshold > 0)
    {
        const Time now = FabricSimulatorCache::Now();
        if (isHot)
        {
            m_hotSince[port] = now;
        }
        else
        {
            m_hotTotal[port] += now - m_hotSince[port];
        }
    }
    m_queueDepthTrace(port, frame.outVl, vlDepth);
}

Time
FabricSwitch::GetLatency() const
{
    return m_latency;
}

bool
FabricSwitch::IsCutThrough() const
{
    return m_cutThrough;
}

void
FabricSwitch::Ingress(uint16_t port, FabricFrame&& frame)
{
    uint16_t out = frame.dst < m_forwarding.size() ? m_forwarding[frame.dst] : NO_ROUTE;
    if (out == MULTIPATH)
    {
        // Spray: each packet to the next of the destination's ports.
        const auto& ports = m_multipath[frame.dst];
        uint16_t& next = m_nextPath[frame.dst];
        out = ports[next];
        next = static_cast<uint16_t>((next + 1) % ports.size());
    }
    else if (((m_arSlMask >> frame.sl) & 1u) && frame.dst < m_arGroups.size() &&
             !m_arGroups[frame.dst].empty())
    {
        out = ChooseAdaptive(frame.dst, out);
    }
    if (out == NO_ROUTE)
    {
        throw FabricConfigError(Describe(),
                                "packet to " + DescribeAddress(frame.dst) + " arrived on port " +
                                    std::to_string(port) +
                                    " but the forwarding table has no route for it");
    }
    if (out == port)
    {
        throw FabricConfigError(Describe(),
                                "the route to " + DescribeAddress(frame.dst) +
                                    " sends packets back out of port " + std::to_string(port) +
                                    " they arrived on");
    }
    frame.outPort = out;
    frame.outVl = m_vlTransitions.empty() ? m_ports[out]->MapSlToVl(frame.sl)
                                          : GetEgressVl(port, frame.vl, out, frame.sl);
    if (frame.outVl >= m_ports[out]->GetNumDataVls())
    {
        throw FabricConfigError(Describe(),
                                "SL " + std::to_string(frame.sl) + " maps to VL " +
                                    std::to_string(frame.outVl) + " on port " +
                                    std::to_string(out) + ", beyond its NumDataVls");
    }
    const uint32_t input = port * VL_SLOTS + frame.vl;
    const uint32_t egress = out * VL_SLOTS + frame.outVl;
    AccountQueue(frame, true);
    if (m_marking && m_vlQueue[egress] >= m_queueThreshold && IsCongestionRoot(egress))
    {
        // The root of congestion: a full queue on a port that has credits (IBTA Annex A10).
        if (m_markCountdown == 0)
        {
            if (MarkCongestion(frame))
            {
                ++m_marked;
                m_markTrace(out, frame.outVl);
            }
            m_markCountdown = m_markingRate;
        }
        else
        {
            --m_markCountdown;
        }
    }
    auto& fifo = m_inputs[input];
    fifo.push_back(std::move(frame));
    if (!m_voq)
    {
        if (fifo.size() == 1)
        {
            Request(input, egress);
        }
        return;
    }
    auto& pending = m_pending[input];
    if (pending.empty())
    {
        pending.assign(m_ports.size() * VL_SLOTS, 0);
    }
    if (pending[egress]++ == 0)
    {
        Request(input, egress);
    }
}

void
FabricSwitch::Request(uint32_t input, uint32_t egress)
{
    m_requests[egress].push_back(input);
    ++m_egressWaiting[egress / VL_SLOTS];
    m_ports[egress / VL_SLOTS]->Wake();
}

std::deque<FabricFrame>::const_iterator
FabricSwitch::FindFrame(const std::deque<FabricFrame>& fifo, uint16_t port, uint8_t vl)
{
    // Input buffers hold a few packets (credits bound them): a scan is cheap.
    return std::find_if(fifo.begin(), fifo.end(), [port, vl](const FabricFrame& f) {
        return f.outPort == port && f.outVl == vl;
    });
}

void
FabricSwitch::SetVlTransition(uint16_t inPort, uint8_t inVl, uint16_t outPort, uint8_t outVl)
{
    const size_t n = m_ports.size();
    if (inPort >= n || outPort >= n || inVl >= VL_SLOTS || outVl >= VL_SLOTS)
    {
        throw FabricConfigError(Describe(), "VL transition names a port or VL it does not have");
    }
    if (m_vlTransitions.size() != n * VL_SLOTS * n)
    {
        m_vlTransitions.assign(n * VL_SLOTS * n, 0xFF);
    }
    m_vlTransitions[(inPort * VL_SLOTS + inVl) * n + outPort] = outVl;
}

uint8_t
FabricSwitch::GetEgressVl(uint16_t inPort, uint8_t inVl, uint16_t outPort, uint8_t sl) const
{
    const size_t n = m_ports.size();
    if (m_vlTransitions.size() == n * VL_SLOTS * n)
    {
        const uint8_t vl = m_vlTransitions[(inPort * VL_SLOTS + inVl) * n + outPort];
        if (vl != 0xFF)
        {
            return vl;
        }
    }
    return m_ports[outPort]->MapSlToVl(sl);
}

void
FabricSwitch::SetVirtualOutputQueues(bool voq)
{
    if (!m_inputs.empty() && voq != m_voq)
    {
        for (const auto& fifo : m_inputs)
        {
            if (!fifo.empty())
            {
                throw FabricConfigError(Describe(),
                                        "VirtualOutputQueues cannot change while packets wait");
            }
        }
    }
    m_voq = voq;
    m_pending.assign(m_inputs.size(), {});
}

bool
FabricSwitch::HasVirtualOutputQueues() const
{
    return m_voq;
}

FabricFrame
FabricSwitch::DequeueEgress(uint16_t port, uint8_t vl)
{
    auto& requests = m_requests[port * VL_SLOTS + vl];
    NS_ASSERT(!requests.empty());
    const uint32_t input = requests.front();
    requests.pop_front();
    --m_egressWaiting[port];
    auto& fifo = m_inputs[input];
    FabricFrame frame;
    if (!m_voq)
    {
        frame = std::move(fifo.front());
        fifo.pop_front();
    }
    else
    {
        auto it = fifo.begin() + (FindFrame(fifo, port, vl) - fifo.cbegin());
        frame = std::move(*it);
        fifo.erase(it);
    }
    AccountQueue(frame, false);
    // The packet starts leaving the input buffer now; cut-through drains it at line rate, so
    // its credits go back upstream from this moment.
    m_ports[input / VL_SLOTS]->ReleaseRxBuffer(static_cast<uint8_t>(input % VL_SLOTS),
                                               frame.blocks);
    // Round robin: an input with more for this egress joins the back of its requests; without
    // VOQs, the input's next head requests whatever egress it wants.
    if (!m_voq)
    {
        if (!fifo.empty())
        {
            const FabricFrame& head = fifo.front();
            Request(input, head.outPort * VL_SLOTS + head.outVl);
        }
    }
    else if (--m_pending[input][port * VL_SLOTS + vl] > 0)
    {
        Request(input, port * VL_SLOTS + vl);
    }
    return frame;
}

std::vector<std::pair<uint16_t, uint8_t>>
FabricSwitch::GetInputTargets(uint16_t port, uint8_t vl) const
{
    std::vector<std::pair<uint16_t, uint8_t>> out;
    const uint32_t input = port * VL_SLOTS + vl;
    if (input >= m_inputs.size())
    {
        return out;
    }
    for (const FabricFrame& frame : m_inputs[input])
    {
        const std::pair<uint16_t, uint8_t> target{frame.outPort, frame.outVl};
        if (std::find(out.begin(), out.end(), target) == out.end())
        {
            out.push_back(target);
        }
        if (!m_voq)
        {
            break;
        }
    }
    return out;
}

uint64_t
FabricSwitch::GetBufferedPackets() const
{
    uint64_t n = 0;
    for (const auto& fifo : m_inputs)
    {
        n += fifo.size();
    }
    return n;
}

} // namespace ns3
