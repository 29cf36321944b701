/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvls-group-manager.h"

#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-port-group.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvlsGroupManager");

NS_OBJECT_ENSURE_REGISTERED(NvlsGroupManager);

TypeId
NvlsGroupManager::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NvlsGroupManager")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<NvlsGroupManager>()
            .AddTraceSource("GroupRefused",
                            "A multicast object was refused: the reason.",
                            MakeTraceSourceAccessor(&NvlsGroupManager::m_refusedTrace),
                            "ns3::SharpAggregationManager::RefusedTracedCallback");
    return tid;
}

NvlsGroupManager::NvlsGroupManager() = default;

NvlsGroupManager::~NvlsGroupManager() = default;

Ptr<NvlsEngine>
NvlsGroupManager::GetEngine(Ptr<NvSwitch> sw)
{
    Ptr<Node> node = sw->GetObject<Node>();
    if (Ptr<NvlsEngine> engine = node->GetObject<NvlsEngine>())
    {
        return engine;
    }
    Ptr<NvlsEngine> engine = CreateObject<NvlsEngine>();
    node->AggregateObject(engine);
    // Above any GPU id a board hands out, unique per chip.
    engine->Install(sw, static_cast<uint16_t>(0x8000 + node->GetId() % 0x7FFE));
    return engine;
}

NvlsGroupInfo
NvlsGroupManager::CreateGroup(const std::vector<Ptr<FabricNetDevice>>& ports)
{
    NS_LOG_FUNCTION(this << ports.size());
    NvlsGroupInfo info;
    auto refuse = [&](const std::string& why, bool hardware = true) {
        info.refused = why;
        info.hardware = hardware;
        info.engines.clear();
        info.links.clear();
        m_refusedTrace(why);
        return info;
    };
    std::vector<Ptr<NvSwitch>> chips;
    for (size_t m = 0; m < ports.size(); ++m)
    {
        Ptr<NvlinkNetDevice> port = DynamicCast<NvlinkNetDevice>(ports[m]);
        if (!port)
        {
            return refuse("nvls unsupported: GPU " + std::to_string(m) + " has no NVLink port",
                          false);
        }
        info.gpus.push_back(port->GetGpuId());
        std::vector<Ptr<FabricNetDevice>> links;
        if (Ptr<FabricPortGroup> group = port->GetGroup())
        {
            for (uint32_t i = 0; i < group->GetNPorts(); ++i)
            {
                links.push_back(group->GetPort(i));
            }
        }
        else
        {
            links.push_back(port);
        }
        std::vector<Ptr<NvSwitch>> reached;
        for (const auto& link : links)
        {
            Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(link->GetChannel());
            Ptr<FabricNetDevice> peer = channel ? channel->GetPeer(link) : nullptr;
            Ptr<NvSwitch> sw = peer ? DynamicCast<NvSwitch>(peer->GetSwitch()) : nullptr;
            if (!sw)
            {
                return refuse("nvls unsupported: GPU " + std::to_string(port->GetGpuId()) +
                                  " has an NVLink link that does not end at an NVSwitch",
                              false);
            }
            if (!sw->IsNvlsCapable())
            {
                return refuse("nvls unsupported: " + sw->Describe() +
                                  " cannot multicast or reduce (NVLS needs third-generation "
                                  "NVSwitch, H100 and later)",
                              false);
            }
            if (std::find(reached.begin(), reached.end(), sw) == reached.end())
            {
                reached.push_back(sw);
            }
        }
        std::sort(reached.begin(), reached.end(), [](Ptr<NvSwitch> a, Ptr<NvSwitch> b) {
            return a->GetObject<Node>()->GetId() < b->GetObject<Node>()->GetId();
        });
        if (m == 0)
        {
            chips = reached;
        }
        else if (reached != chips)
        {
            return refuse("nvls unsupported: GPUs " + std::to_string(info.gpus.front()) + " and " +
                              std::to_string(port->GetGpuId()) +
                              " do not reach the same NVSwitch chips (not one NVLink domain)",
                          false);
        }
        info.links.push_back(links);
    }
    for (const auto& sw : chips)
    {
        Ptr<NvlsEngine> engine = GetEngine(sw);
        const std::string why = engine->CheckReservation(m_next);
        if (!why.empty())
        {
            return refuse(sw->Describe() + ": " + why);
        }
        info.engines.push_back(engine);
    }
    info.group = m_next++;
    for (const auto& engine : info.engines)
    {
        engine->Reserve(info.group, info.gpus);
    }
    return info;
}

void
NvlsGroupManager::ReleaseGroup(const NvlsGroupInfo& group)
{
    for (const auto& engine : group.engines)
    {
        engine->Release(group.group);
    }
}

} // namespace ns3
