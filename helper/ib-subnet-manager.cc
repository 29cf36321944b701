/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-subnet-manager.h"

#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <limits>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbSubnetManager");

IbSubnetManager::IbSubnetManager() = default;

void
IbSubnetManager::Run(NodeContainer nodes)
{
    NS_LOG_FUNCTION(this);
    Discover(nodes);
    ComputeRoutes();
    m_sweeps = 0;
    m_lastSweep = Simulator::Now();
}

void
IbSubnetManager::Discover(NodeContainer nodes)
{
    NS_LOG_FUNCTION(this);
    m_hcas.clear();
    m_switches.clear();
    m_switchIndex.clear();
    m_byLid.clear();
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<Node> node = *it;
        if (Ptr<IbSwitch> sw = node->GetObject<IbSwitch>())
        {
            m_switchIndex[node->GetId()] = m_switches.size();
            m_switches.push_back(sw);
            continue;
        }
        for (uint32_t i = 0; i < node->GetNDevices(); ++i)
        {
            if (Ptr<IbNetDevice> dev = DynamicCast<IbNetDevice>(node->GetDevice(i)))
            {
                m_hcas.push_back(dev);
            }
        }
    }
    AssignLids();
    m_sweeps = 0;
    m_lastSweep = Simulator::Now();
}

void
IbSubnetManager::AssignLids()
{
    for (const auto& dev : m_hcas)
    {
        const uint16_t lid = dev->GetLid();
        if (lid == 0)
        {
            continue;
        }
        auto [it, fresh] = m_byLid.emplace(lid, dev);
        if (!fresh)
        {
            throw FabricConfigError("IbSubnetManager",
                                    "LID " + std::to_string(lid) + " is used twice: " +
                                        it->second->Describe() + " and " + dev->Describe());
        }
    }
    uint16_t next = 1;
    for (const auto& dev : m_hcas)
    {
        if (dev->GetLid() != 0)
        {
            continue;
        }
        while (m_byLid.count(next))
        {
            ++next;
        }
        if (next > 0xBFFF)
        {
            throw FabricConfigError("IbSubnetManager", "more HCA ports than unicast LIDs");
        }
        dev->SetLid(next);
        m_byLid[next] = dev;
    }
}

void
IbSubnetManager::ComputeRoutes()
{
    const size_t n = m_switches.size();
    // Switch adjacency: for each switch, (port, neighbour switch index).
    std::vector<std::vector<std::pair<uint16_t, size_t>>> links(n);
    for (size_t s = 0; s < n; ++s)
    {
        m_switches[s]->ClearRoutes();
        for (uint16_t p = 0; p < m_switches[s]->GetNPorts(); ++p)
        {
            Ptr<FabricNetDevice> port = m_switches[s]->GetPort(p);
            Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(port->GetChannel());
            if (!channel)
            {
                throw FabricConfigError("IbSubnetManager", port->Describe() + " has no cable");
            }
            Ptr<FabricNetDevice> peer = channel->GetPeer(port);
            if (peer && peer->GetSwitch() && channel->IsLinkUp())
            {
                auto it = m_switchIndex.find(peer->GetNode()->GetId());
                if (it != m_switchIndex.end())
                {
                    links[s].emplace_back(p, it->second);
                }
            }
        }
    }
    // Destinations routed through each switch port so far, for minhop-style balancing.
    std::vector<std::vector<uint32_t>> load(n);
    for (size_t s = 0; s < n; ++s)
    {
        load[s].assign(m_switches[s]->GetNPorts(), 0);
    }
    const auto unreached = std::numeric_limits<uint32_t>::max();
    // Each HCA port's switch, or npos when its cable is down or it has none in the subnet.
    const size_t npos = std::numeric_limits<size_t>::max();
    std::map<uint16_t, size_t> switchOf;
    for (const auto& [lid, hca] : m_byLid)
    {
        Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(hca->GetChannel());
        Ptr<FabricNetDevice> edge = channel ? channel->GetPeer(hca) : nullptr;
        auto it = edge && edge->GetSwitch() ? m_switchIndex.find(edge->GetNode()->GetId())
                                            : m_switchIndex.end();
        switchOf[lid] = it == m_switchIndex.end() ? npos : it->second;
        if (it != m_switchIndex.end() && !channel->IsLinkUp())
        {
            switchOf[lid] = npos - 1; // on a switch, but cut off from it
        }
    }
    m_unreachable.clear();
    for (const auto& [lid, hca] : m_byLid)
    {
        Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(hca->GetChannel());
        if (!channel)
        {
            throw FabricConfigError("IbSubnetManager", hca->Describe() + " has no cable");
        }
        Ptr<FabricNetDevice> edge = channel->GetPeer(hca);
        if (!edge || !edge->GetSwitch())
        {
            continue; // HCA to HCA cable: nothing to route
        }
        auto it = m_switchIndex.find(edge->GetNode()->GetId());
        if (it == m_switchIndex.end())
        {
            continue; // its switch is outside this subnet
        }
        if (!channel->IsLinkUp())
        {
            for (const auto& [src, at] : switchOf)
            {
                if (src != lid && at < npos - 1)
                {
                    m_unreachable.emplace_back(src, lid);
                }
            }
            continue; // its cable is down: nobody reaches it
        }
        // Breadth-first from the destination's switch; every switch then picks, among its
        // ports toward a switch one hop nearer, the least loaded one.
        std::vector<uint32_t> dist(n, unreached);
        std::vector<size_t> order;
        dist[it->second] = 0;
        order.push_back(it->second);
        for (size_t head = 0; head < order.size(); ++head)
        {
            const size_t s = order[head];
            for (const auto& [port, t] : links[s])
            {
                if (dist[t] == unreached)
                {
                    dist[t] = dist[s] + 1;
                    order.push_back(t);
                }
            }
        }
        m_switches[it->second]->SetRoute(lid, edge->GetSwitchPort());
        load[it->second][edge->GetSwitchPort()]++;
        for (size_t k = 1; k < order.size(); ++k)
        {
            const size_t s = order[k];
            uint16_t best = FabricSwitch::NO_ROUTE;
            for (const auto& [port, t] : links[s])
            {
                if (dist[t] + 1 == dist[s] &&
                    (best == FabricSwitch::NO_ROUTE || load[s][port] < load[s][best]))
                {
                    best = port;
                }
            }
            m_switches[s]->SetRoute(lid, best);
            load[s][best]++;
            // The adaptive-routing group: every port one hop nearer (NVIDIA's "TREE" groups).
            for (const auto& [port, t] : links[s])
            {
                if (dist[t] + 1 == dist[s])
                {
                    m_switches[s]->AddAdaptiveRoute(lid, port);
                }
            }
        }
        for (const auto& [src, at] : switchOf)
        {
            if (src != lid && at != npos && (at == npos - 1 || dist[at] == unreached))
            {
                m_unreachable.emplace_back(src, lid);
            }
        }
    }
}

void
IbSubnetManager::EnableResweep(Time delay)
{
    NS_LOG_FUNCTION(this << delay);
    m_resweepDelay = delay;
    if (m_watching)
    {
        return;
    }
    m_watching = true;
    // Every cable of the subnet once: switch ports (both ends) and HCA ports.
    std::set<Ptr<FabricChannel>> channels;
    for (const auto& sw : m_switches)
    {
        for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
        {
            channels.insert(DynamicCast<FabricChannel>(sw->GetPort(p)->GetChannel()));
        }
    }
    for (const auto& hca : m_hcas)
    {
        channels.insert(DynamicCast<FabricChannel>(hca->GetChannel()));
    }
    for (const auto& channel : channels)
    {
        if (channel)
        {
            channel->TraceConnectWithoutContext("LinkState",
                                                MakeCallback(&IbSubnetManager::OnLinkState, this));
        }
    }
}

void
IbSubnetManager::OnLinkState(bool up)
{
    if (m_resweep.IsRunning())
    {
        return; // the sweep due takes this change in too
    }
    m_resweep = Simulator::Schedule(m_resweepDelay, &IbSubnetManager::Sweep, this);
}

void
IbSubnetManager::Sweep()
{
    NS_LOG_FUNCTION(this);
    m_resweep.Cancel();
    ComputeRoutes();
    ++m_sweeps;
    m_lastSweep = Simulator::Now();
    NS_LOG_LOGIC("sweep " << m_sweeps << ": " << m_unreachable.size() << " pairs cut off");
    if (m_unreachable.empty() || !m_throwOnDisconnect)
    {
        return;
    }
    std::set<uint16_t> cut;
    for (const auto& [src, dst] : m_unreachable)
    {
        cut.insert(dst);
    }
    std::ostringstream os;
    os << "the fabric is disconnected after the sweep at " << Simulator::Now().GetSeconds() * 1e3
       << " ms: " << m_unreachable.size() << " pairs of HCA ports cannot reach each other; ";
    const auto& [src, dst] = m_unreachable.front();
    os << "e.g. LID " << src << " (" << m_byLid.at(src)->Describe() << ") cannot reach LID " << dst
       << " (" << m_byLid.at(dst)->Describe() << "); unreachable destinations:";
    uint32_t shown = 0;
    for (uint16_t lid : cut)
    {
        if (shown++ == 16)
        {
            os << " ...";
            break;
        }
        os << " " << lid;
    }
    throw FabricConfigError("IbSubnetManager", os.str());
}

uint32_t
IbSubnetManager::GetSweeps() const
{
    return m_sweeps;
}

Time
IbSubnetManager::GetLastSweep() const
{
    return m_lastSweep;
}

const std::vector<std::pair<uint16_t, uint16_t>>&
IbSubnetManager::GetUnreachable() const
{
    return m_unreachable;
}

void
IbSubnetManager::SetThrowOnDisconnect(bool throwOnDisconnect)
{
    m_throwOnDisconnect = throwOnDisconnect;
}

uint16_t
IbSubnetManager::GetLid(Ptr<NetDevice> device) const
{
    Ptr<IbNetDevice> dev = DynamicCast<IbNetDevice>(device);
    return dev ? dev->GetLid() : 0;
}

Ptr<IbNetDevice>
IbSubnetManager::GetPort(uint16_t lid) const
{
    auto it = m_byLid.find(lid);
    return it == m_byLid.end() ? nullptr : it->second;
}

const std::map<uint16_t, Ptr<IbNetDevice>>&
IbSubnetManager::GetPorts() const
{
    return m_byLid;
}

std::vector<uint32_t>
IbSubnetManager::GetPath(uint16_t from, uint16_t to) const
{
    Ptr<IbNetDevice> src = GetPort(from);
    Ptr<IbNetDevice> dst = GetPort(to);
    if (!src || !dst)
    {
        throw FabricConfigError("IbSubnetManager",
                                "no HCA port has LID " + std::to_string(src ? to : from));
    }
    std::vector<uint32_t> path;
    Ptr<FabricNetDevice> at = DynamicCast<FabricChannel>(src->GetChannel())->GetPeer(src);
    while (at && at->GetSwitch())
    {
        Ptr<FabricSwitch> sw = at->GetSwitch();
        path.push_back(at->GetNode()->GetId());
        if (path.size() > m_switches.size())
        {
            throw FabricConfigError("IbSubnetManager",
                                    "routing loop towards LID " + std::to_string(to));
        }
        const uint16_t out = sw->GetRoute(to);
        if (out == FabricSwitch::NO_ROUTE)
        {
            throw FabricConfigError(sw->Describe(), "no route to LID " + std::to_string(to));
        }
        Ptr<FabricNetDevice> port = sw->GetPort(out);
        at = DynamicCast<FabricChannel>(port->GetChannel())->GetPeer(port);
    }
    if (at != dst)
    {
        throw FabricConfigError("IbSubnetManager",
                                "route from LID " + std::to_string(from) +
                                    " ends at the wrong port");
    }
    return path;
}

} // namespace ns3
