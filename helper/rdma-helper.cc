/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-helper.h"

#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-net-device.h"
#include "ns3/fabric-switch.h"
#include "ns3/log.h"
#include "ns3/node.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RdmaHelper");

RdmaHelper::RdmaHelper()
{
    m_engineFactory.SetTypeId("ns3::RdmaEngine");
    m_qpFactory.SetTypeId("ns3::RdmaQueuePair");
}

void
RdmaHelper::SetEngineAttribute(std::string name, const AttributeValue& value)
{
    m_engineFactory.Set(name, value);
}

void
RdmaHelper::SetQueuePairAttribute(std::string name, const AttributeValue& value)
{
    m_qpFactory.Set(name, value);
}

Ptr<RdmaEngine>
RdmaHelper::Install(Ptr<Node> node) const
{
    NS_LOG_FUNCTION(this << node);
    if (Ptr<RdmaEngine> engine = node->GetObject<RdmaEngine>())
    {
        return engine;
    }
    return RdmaEngine::Install(node, m_engineFactory.Create<RdmaEngine>());
}

void
RdmaHelper::Install(NodeContainer nodes) const
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Install(*it);
    }
}

namespace
{

/**
 * \param from the sending port
 * \param dst the destination address
 * \return true if a switch on the way may send the packets by more than one port (a sprayed
 * route or adaptive routing), so that they may arrive out of order
 */
bool
PathMayReorder(Ptr<FabricNetDevice> from, uint16_t dst)
{
    std::vector<Ptr<FabricNetDevice>> frontier{from};
    std::set<Ptr<FabricSwitch>> seen;
    while (!frontier.empty())
    {
        Ptr<FabricNetDevice> port = frontier.back();
        frontier.pop_back();
        Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(port->GetChannel());
        Ptr<FabricNetDevice> peer = channel ? channel->GetPeer(port) : nullptr;
        Ptr<FabricSwitch> sw = peer ? peer->GetSwitch() : nullptr;
        if (!sw || !seen.insert(sw).second)
        {
            continue;
        }
        const auto routes = sw->GetRoutes(dst);
        if (routes.size() > 1)
        {
            return true;
        }
        for (const uint16_t out : routes)
        {
            frontier.push_back(sw->GetPort(out));
        }
    }
    return false;
}

} // namespace

std::pair<Ptr<RdmaQueuePair>, Ptr<RdmaQueuePair>>
RdmaHelper::Connect(Ptr<Node> a, Ptr<Node> b) const
{
    NS_LOG_FUNCTION(this << a << b);
    if (a == b)
    {
        throw FabricConfigError("RdmaHelper::Connect",
                                "node " + std::to_string(a->GetId()) +
                                    " cannot connect to itself (no loopback queue pairs)");
    }
    Ptr<RdmaEngine> engineA = Install(a);
    Ptr<RdmaEngine> engineB = Install(b);
    Ptr<FabricNetDevice> portA = engineA->GetPort(0);
    Ptr<FabricNetDevice> portB = engineB->GetPort(0);
    const uint16_t addressA = portA->GetLocalAddress();
    const uint16_t addressB = portB->GetLocalAddress();
    if (addressA == addressB)
    {
        throw FabricConfigError("RdmaHelper::Connect",
                                portA->Describe() + " and " + portB->Describe() +
                                    " have the same address (" + portA->DescribeAddress(addressA) +
                                    "): address the fabric first (IbSubnetManager::Run)");
    }
    Ptr<RdmaQueuePair> qpA = m_qpFactory.Create<RdmaQueuePair>();
    Ptr<RdmaQueuePair> qpB = m_qpFactory.Create<RdmaQueuePair>();
    engineA->AddQueuePair(qpA, 0);
    engineB->AddQueuePair(qpB, 0);
    // Reordering paths (adaptive routing, sprayed routes) get a reorder window automatically.
    qpB->SetSprayedPath(PathMayReorder(portA, addressB));
    qpA->SetSprayedPath(PathMayReorder(portB, addressA));
    const uint32_t mtu = std::min<uint32_t>(portA->GetMtu(), portB->GetMtu());
    qpA->Connect(addressB, qpB->GetQpn(), qpB->GetInitialPsn(), mtu);
    qpB->Connect(addressA, qpA->GetQpn(), qpA->GetInitialPsn(), mtu);
    return {qpA, qpB};
}

} // namespace ns3
