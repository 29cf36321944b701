/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-fault-helper.h"

#include "ns3/fabric-config-error.h"
#include "ns3/fabric-net-device.h"
#include "ns3/fabric-switch.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <map>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricFaultHelper");

Ptr<FabricChannel>
FabricFaultHelper::GetCable(Ptr<NetDevice> port)
{
    Ptr<FabricChannel> channel =
        port ? DynamicCast<FabricChannel>(port->GetChannel()) : Ptr<FabricChannel>();
    if (!channel)
    {
        throw FabricConfigError("FabricFaultHelper",
                                "a fault names a port that is not cabled to the fabric");
    }
    return channel;
}

std::vector<Ptr<FabricChannel>>
FabricFaultHelper::CablesOf(Ptr<Node> node)
{
    std::vector<Ptr<FabricChannel>> cables;
    for (uint32_t i = 0; i < node->GetNDevices(); ++i)
    {
        if (Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(i)))
        {
            if (Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(port->GetChannel()))
            {
                cables.push_back(channel);
            }
        }
    }
    return cables;
}

void
FabricFaultHelper::Schedule(Ptr<FabricChannel> channel, Time at, bool up)
{
    NS_LOG_FUNCTION(this << channel << at << up);
    if (at < Simulator::Now())
    {
        throw FabricConfigError("FabricFaultHelper",
                                "a fault is scheduled in the past (at " +
                                    std::to_string(at.GetSeconds()) + " s)");
    }
    m_events.push_back({channel, at, up});
    Simulator::Schedule(at - Simulator::Now(), &FabricChannel::SetLinkUp, channel, up);
}

void
FabricFaultHelper::LinkDown(Ptr<NetDevice> port, Time at)
{
    Schedule(GetCable(port), at, false);
}

void
FabricFaultHelper::LinkUp(Ptr<NetDevice> port, Time at)
{
    Schedule(GetCable(port), at, true);
}

void
FabricFaultHelper::FailSwitch(Ptr<Node> node, Time at)
{
    for (const auto& channel : CablesOf(node))
    {
        Schedule(channel, at, false);
    }
}

void
FabricFaultHelper::RecoverSwitch(Ptr<Node> node, Time at)
{
    for (const auto& channel : CablesOf(node))
    {
        Schedule(channel, at, true);
    }
}

void
FabricFaultHelper::SetBitErrorRate(Ptr<NetDevice> port, double ber)
{
    GetCable(port)->SetBitErrorRate(ber);
}

void
FabricFaultHelper::SetBitErrorRate(NodeContainer nodes, double ber)
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        for (const auto& channel : CablesOf(*it))
        {
            channel->SetBitErrorRate(ber);
        }
    }
}

int64_t
FabricFaultHelper::AssignStreams(NodeContainer nodes, int64_t stream)
{
    // Each cable once, in the order the nodes and their devices come.
    std::set<Ptr<FabricChannel>> done;
    int64_t used = 0;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        for (const auto& channel : CablesOf(*it))
        {
            if (done.insert(channel).second)
            {
                used += channel->AssignStreams(stream + used);
            }
        }
    }
    return used;
}

const std::vector<FabricFaultHelper::Event>&
FabricFaultHelper::GetEvents() const
{
    return m_events;
}

void
FabricFaultHelper::Install(Ptr<FabricTopology> topology, const FaultScheduleSpec& faults)
{
    NS_LOG_FUNCTION(this << topology);
    if (!faults.present)
    {
        return;
    }
    const auto& links = topology->GetLinks();
    NodeContainer all(topology->GetGpuNodes(), topology->GetSwitchNodes());
    std::map<std::string, Ptr<Node>> byName;
    for (const auto& link : links)
    {
        byName[topology->GetName(link.a->GetNode())] = link.a->GetNode();
        byName[topology->GetName(link.b->GetNode())] = link.b->GetNode();
    }
    for (auto it = all.Begin(); it != all.End(); ++it)
    {
        byName[topology->GetName(*it)] = *it;
    }
    auto find = [&](const FaultEventSpec& event, const std::string& name, const char* key) {
        auto it = byName.find(name);
        if (it == byName.end())
        {
            std::string some;
            uint32_t shown = 0;
            for (const auto& [known, node] : byName)
            {
                if (shown++ == 6)
                {
                    some += ", ...";
                    break;
                }
                some += (some.empty() ? "" : ", ") + known;
            }
            throw TopologyError(event.where,
                                event.field + "." + key,
                                "no node of the fabric is named \"" + name + "\" (names: " + some +
                                    ")");
        }
        return it->second;
    };
    if (faults.bitErrorRate > 0.0)
    {
        for (const auto& link : links)
        {
            GetCable(link.a)->SetBitErrorRate(faults.bitErrorRate);
        }
    }
    for (const auto& event : faults.events)
    {
        if (!event.switchName.empty())
        {
            Ptr<Node> node = find(event, event.switchName, "switch");
            if (!node->GetObject<FabricSwitch>())
            {
                throw TopologyError(event.where,
                                    event.field + ".switch",
                                    "\"" + event.switchName + "\" is not a switch");
            }
            if (event.up)
            {
                RecoverSwitch(node, event.at);
            }
            else
            {
                FailSwitch(node, event.at);
            }
            continue;
        }
        Ptr<Node> a = find(event, event.a, "a");
        Ptr<Node> b = find(event, event.b, "b");
        uint32_t cables = 0;
        for (const auto& link : links)
        {
            const Ptr<Node> x = link.a->GetNode();
            const Ptr<Node> y = link.b->GetNode();
            if ((x == a && y == b) || (x == b && y == a))
            {
                Schedule(GetCable(link.a), event.at, event.up);
                ++cables;
            }
        }
        if (cables == 0)
        {
            throw TopologyError(event.where,
                                event.field,
                                "no cable joins \"" + event.a + "\" and \"" + event.b + "\"");
        }
    }
    if (!faults.events.empty() && !m_sm)
    {
        m_sm = std::make_shared<IbSubnetManager>();
        m_sm->Discover(all);
        m_sm->EnableResweep(faults.sweepDelay);
    }
}

IbSubnetManager*
FabricFaultHelper::GetSubnetManager() const
{
    return m_sm.get();
}

void
FabricFaultHelper::CountDrops(NodeContainer nodes, uint64_t& crcErrors, uint64_t& linkDownDrops)
{
    crcErrors = 0;
    linkDownDrops = 0;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        for (uint32_t i = 0; i < (*it)->GetNDevices(); ++i)
        {
            if (Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>((*it)->GetDevice(i)))
            {
                crcErrors += port->GetRxCrcErrors();
                linkDownDrops += port->GetLinkDownDrops();
            }
        }
    }
}

} // namespace ns3
