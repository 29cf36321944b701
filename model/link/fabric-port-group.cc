/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-port-group.h"

#include "fabric-switch.h"

#include "ns3/enum.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricPortGroup");

NS_OBJECT_ENSURE_REGISTERED(FabricPortGroup);

TypeId
FabricPortGroup::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricPortGroup")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<FabricPortGroup>()
            .AddAttribute("SprayPolicy",
                          "How an endpoint spreads its packets over its ports: RoundRobin (each "
                          "packet to the next link) or LeastLoaded (to the link with the fewest "
                          "packets queued).",
                          EnumValue(ROUND_ROBIN),
                          MakeEnumAccessor(&FabricPortGroup::m_policy),
                          MakeEnumChecker(ROUND_ROBIN, "RoundRobin", LEAST_LOADED, "LeastLoaded"));
    return tid;
}

FabricPortGroup::FabricPortGroup()
{
    NS_LOG_FUNCTION(this);
}

FabricPortGroup::~FabricPortGroup()
{
    NS_LOG_FUNCTION(this);
}

void
FabricPortGroup::DoDispose()
{
    m_ports.clear();
    m_txSpace.Clear();
    m_receive.Nullify();
    Object::DoDispose();
}

void
FabricPortGroup::AddPort(Ptr<FabricNetDevice> port)
{
    if (port->GetSwitch())
    {
        throw FabricConfigError(port->Describe(), "a switch port cannot join an endpoint's group");
    }
    if (!m_ports.empty() && port->GetNode() != m_ports.front()->GetNode())
    {
        throw FabricConfigError(port->Describe(),
                                "ports of one group must be on one node (" +
                                    m_ports.front()->Describe() + " is not)");
    }
    m_ports.push_back(port);
    port->SetGroup(this);
}

uint32_t
FabricPortGroup::GetNPorts() const
{
    return static_cast<uint32_t>(m_ports.size());
}

Ptr<FabricNetDevice>
FabricPortGroup::GetPort(uint32_t i) const
{
    return m_ports.at(i);
}

uint32_t
FabricPortGroup::Peek(uint8_t vl) const
{
    const auto n = static_cast<uint32_t>(m_ports.size());
    if (m_policy == ROUND_ROBIN)
    {
        return m_next % n;
    }
    uint32_t best = m_next % n;
    uint32_t bestSpace = m_ports[best]->GetOwnTxQueueSpace(vl);
    for (uint32_t k = 1; k < n; ++k)
    {
        const uint32_t i = (m_next + k) % n;
        const uint32_t space = m_ports[i]->GetOwnTxQueueSpace(vl);
        if (space > bestSpace)
        {
            best = i;
            bestSpace = space;
        }
    }
    return best;
}

FabricNetDevice*
FabricPortGroup::PickPort(uint8_t vl)
{
    const uint32_t i = Peek(vl);
    m_next = i + 1;
    return PeekPointer(m_ports[i]);
}

uint32_t
FabricPortGroup::GetTxQueueSpace(uint8_t vl) const
{
    return m_ports.empty() ? 0 : m_ports[Peek(vl)]->GetOwnTxQueueSpace(vl);
}

void
FabricPortGroup::AddTxSpaceCallback(FabricNetDevice::TxSpaceCallback cb)
{
    m_txSpace.Add(cb);
}

void
FabricPortGroup::NotifyTxSpace(Ptr<FabricNetDevice> port, uint8_t vl)
{
    m_txSpace.Notify(port, vl);
}

void
FabricPortGroup::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_receive = cb;
    for (const auto& port : m_ports)
    {
        port->SetOwnReceiveCallback(cb);
    }
}

} // namespace ns3
