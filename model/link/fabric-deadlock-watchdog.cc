/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-deadlock-watchdog.h"

#include "fabric-switch.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricDeadlockWatchdog");

NS_OBJECT_ENSURE_REGISTERED(FabricDeadlockWatchdog);

FabricDeadlockError::FabricDeadlockError(const std::string& where, const std::string& what)
    : FabricConfigError(where, what)
{
}

FabricDeadlockError::~FabricDeadlockError() = default;

TypeId
FabricDeadlockWatchdog::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricDeadlockWatchdog")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<FabricDeadlockWatchdog>()
            .AddAttribute("Timeout",
                          "How long a port VL may wait for credits, with a packet ready, before "
                          "the fabric counts as deadlocked. Default 512 ms: the head-of-queue "
                          "lifetime limit after which NVIDIA switches discard a stuck head "
                          "packet (Onyx manual, HLL default 512ms).",
                          TimeValue(MilliSeconds(512)),
                          MakeTimeAccessor(&FabricDeadlockWatchdog::m_timeout),
                          MakeTimeChecker(PicoSeconds(1)))
            .AddAttribute("CheckInterval",
                          "Simulated time between two checks; zero: Timeout / 8.",
                          TimeValue(Time()),
                          MakeTimeAccessor(&FabricDeadlockWatchdog::m_interval),
                          MakeTimeChecker(Time()))
            .AddAttribute("ThrowOnDeadlock",
                          "Throw FabricDeadlockError out of Simulator::Run() when a deadlock "
                          "is found (otherwise only stop the simulation and fire Deadlock).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FabricDeadlockWatchdog::m_throw),
                          MakeBooleanChecker())
            .AddTraceSource("Deadlock",
                            "A credit deadlock was found: the report, one line per port VL.",
                            MakeTraceSourceAccessor(&FabricDeadlockWatchdog::m_deadlockTrace),
                            "ns3::FabricDeadlockWatchdog::DeadlockTracedCallback");
    return tid;
}

FabricDeadlockWatchdog::FabricDeadlockWatchdog()
{
    NS_LOG_FUNCTION(this);
}

FabricDeadlockWatchdog::~FabricDeadlockWatchdog() = default;

void
FabricDeadlockWatchdog::DoDispose()
{
    m_event.Cancel();
    m_ports.clear();
    m_cycle.clear();
    Object::DoDispose();
}

void
FabricDeadlockWatchdog::Start()
{
    NS_LOG_FUNCTION(this);
    m_event.Cancel();
    const Time interval = m_interval.IsStrictlyPositive() ? m_interval : m_timeout / 8;
    m_event = Simulator::Schedule(interval, &FabricDeadlockWatchdog::Check, this);
}

void
FabricDeadlockWatchdog::Stop()
{
    m_event.Cancel();
}

bool
FabricDeadlockWatchdog::HasFired() const
{
    return m_fired;
}

const std::string&
FabricDeadlockWatchdog::GetReport() const
{
    return m_report;
}

const std::vector<FabricDeadlockWatchdog::Wait>&
FabricDeadlockWatchdog::GetCycle() const
{
    return m_cycle;
}

void
FabricDeadlockWatchdog::CollectPorts()
{
    if (NodeList::GetNNodes() == m_nodesSeen)
    {
        return;
    }
    m_ports.clear();
    for (auto it = NodeList::Begin(); it != NodeList::End(); ++it)
    {
        for (uint32_t i = 0; i < (*it)->GetNDevices(); ++i)
        {
            if (Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>((*it)->GetDevice(i)))
            {
                m_ports.push_back(port);
            }
        }
    }
    m_nodesSeen = NodeList::GetNNodes();
}

void
FabricDeadlockWatchdog::Check()
{
    NS_LOG_FUNCTION(this);
    if (m_fired)
    {
        return;
    }
    CollectPorts();
    Time longest;
    bool buffered = false;
    for (const auto& port : m_ports)
    {
        for (uint8_t vl = 0; vl < port->GetNumDataVls(); ++vl)
        {
            if (port->HasWaitingPacket(vl))
            {
                buffered = true;
                longest = std::max(longest, port->GetCurrentCreditStall(vl));
            }
        }
    }
    if (buffered && longest >= m_timeout)
    {
        Fire("a port VL has waited " + std::to_string(longest.GetSeconds() * 1e3) +
             " ms for credits (Timeout " + std::to_string(m_timeout.GetSeconds() * 1e3) + " ms)");
        return;
    }
    if (Simulator::IsFinished())
    {
        // Nothing but this check was left to run: whatever sits in a buffer stays there.
        if (buffered)
        {
            Fire("packets are buffered and no event is left that could move them");
        }
        return;
    }
    const Time interval = m_interval.IsStrictlyPositive() ? m_interval : m_timeout / 8;
    m_event = Simulator::Schedule(interval, &FabricDeadlockWatchdog::Check, this);
}

void
FabricDeadlockWatchdog::Fire(const std::string& why)
{
    NS_LOG_FUNCTION(this << why);
    m_fired = true;
    // Nodes of the wait-for graph: the port VLs waiting for credits with a packet ready.
    std::vector<Wait> nodes;
    std::map<std::pair<const FabricNetDevice*, uint8_t>, size_t> index;
    for (const auto& port : m_ports)
    {
        for (uint8_t vl = 0; vl < port->GetNumDataVls(); ++vl)
        {
            if (port->HasWaitingPacket(vl) && port->GetCurrentCreditStall(vl).IsStrictlyPositive())
            {
                index[{PeekPointer(port), vl}] = nodes.size();
                nodes.push_back({port, vl, port->GetCurrentCreditStall(vl)});
            }
        }
    }
    // Edges: a port VL waits on the input buffer at the cable's other end; that buffer's
    // packets wait on the egress port VLs of their switch.
    std::vector<std::vector<size_t>> edges(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i)
    {
        Ptr<FabricNetDevice> peer = nodes[i].port->GetPeerDevice();
        if (!peer || !peer->GetSwitch())
        {
            continue; // an endpoint takes its packets at once: not part of a cycle
        }
        Ptr<FabricSwitch> sw = peer->GetSwitch();
        for (const auto& [out, vl] : sw->GetInputTargets(peer->GetSwitchPort(), nodes[i].vl))
        {
            auto it = index.find({PeekPointer(sw->GetPort(out)), vl});
            if (it != index.end())
            {
                edges[i].push_back(it->second);
            }
        }
    }
    // Depth-first search for a cycle, starting from the longest waiters.
    std::vector<size_t> order(nodes.size());
    for (size_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&nodes](size_t a, size_t b) {
        return nodes[a].waited > nodes[b].waited;
    });
    std::vector<uint8_t> colour(nodes.size(), 0); // 0 new, 1 on the stack, 2 done
    std::vector<size_t> cycle;
    for (size_t root : order)
    {
        if (colour[root] != 0 || !cycle.empty())
        {
            continue;
        }
        std::vector<std::pair<size_t, size_t>> stack{{root, 0}}; // node, next edge
        colour[root] = 1;
        while (!stack.empty() && cycle.empty())
        {
            auto& [at, next] = stack.back();
            if (next == edges[at].size())
            {
                colour[at] = 2;
                stack.pop_back();
                continue;
            }
            const size_t to = edges[at][next++];
            if (colour[to] == 1)
            {
                auto from = std::find_if(stack.begin(), stack.end(), [to](const auto& e) {
                    return e.first == to;
                });
                for (; from != stack.end(); ++from)
                {
                    cycle.push_back(from->first);
                }
            }
            else if (colour[to] == 0)
            {
                colour[to] = 1;
                stack.emplace_back(to, 0);
            }
        }
    }
    std::vector<size_t> shown = cycle;
    if (shown.empty() && !order.empty())
    {
        // No cycle: show the chain from the longest waiter.
        std::vector<bool> seen(nodes.size(), false);
        for (size_t at = order.front(); !seen[at];)
        {
            seen[at] = true;
            shown.push_back(at);
            if (edges[at].empty())
            {
                break;
            }
            at = edges[at].front();
        }
    }
    for (size_t i : cycle)
    {
        m_cycle.push_back(nodes[i]);
    }

    std::ostringstream os;
    os << "credit deadlock at " << Simulator::Now().GetSeconds() * 1e6 << " us: " << why << "; ";
    if (cycle.empty())
    {
        os << "no wait-for cycle among the " << nodes.size()
           << " waiting port VLs; the longest chain:";
    }
    else
    {
        os << "a cycle of " << cycle.size() << " port VLs, each waiting for credits on the next:";
    }
    for (size_t k = 0; k < shown.size(); ++k)
    {
        const Wait& w = nodes[shown[k]];
        Ptr<FabricNetDevice> peer = w.port->GetPeerDevice();
        os << "\n  " << w.port->Describe() << " VL" << +w.vl << " (waiting "
           << w.waited.GetSeconds() * 1e6 << " us) waits for the input buffer of "
           << (peer ? peer->Describe() : std::string("nothing")) << " VL" << +w.vl;
        if (!cycle.empty())
        {
            const Wait& n = nodes[shown[(k + 1) % shown.size()]];
            os << ", held by packets for " << n.port->Describe() << " VL" << +n.vl;
        }
    }
    m_report = os.str();
    m_deadlockTrace(m_report);
    Simulator::Stop();
    if (m_throw)
    {
        throw FabricDeadlockError("FabricDeadlockWatchdog", m_report);
    }
}

} // namespace ns3
