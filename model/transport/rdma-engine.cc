/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-engine.h"

#include "ns3/fabric-config-error.h"
#include "ns3/fabric-net-device.h"
#include "ns3/fabric-port-group.h"
#include "ns3/fabric-switch.h"
#include "ns3/log.h"
#include "ns3/mac16-address.h"
#include "ns3/node.h"
#include "ns3/object-vector.h"
#include "ns3/simulator.h"

#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RdmaEngine");

NS_OBJECT_ENSURE_REGISTERED(RdmaEngine);

TypeId
RdmaEngine::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RdmaEngine")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<RdmaEngine>()
            .AddAttribute("QueuePairList",
                          "The engine's queue pairs, by QP number from 2 (for Config paths: "
                          "/NodeList/*/$ns3::RdmaEngine/QueuePairList/*/MessageCompleted).",
                          ObjectVectorValue(),
                          MakeObjectVectorAccessor(&RdmaEngine::m_qps),
                          MakeObjectVectorChecker<RdmaQueuePair>());
    return tid;
}

Ptr<RdmaEngine>
RdmaEngine::Install(Ptr<Node> node, Ptr<RdmaEngine> engine)
{
    NS_LOG_FUNCTION(node << engine);
    if (Ptr<RdmaEngine> existing = node->GetObject<RdmaEngine>())
    {
        return existing;
    }
    const std::string where = "RdmaEngine::Install on node " + std::to_string(node->GetId());
    if (node->GetObject<FabricSwitch>())
    {
        throw FabricConfigError(where, "the node is a switch; RDMA engines run on endpoints");
    }
    if (!engine)
    {
        engine = CreateObject<RdmaEngine>();
    }
    std::set<FabricPortGroup*> groups;
    for (uint32_t i = 0; i < node->GetNDevices(); ++i)
    {
        Ptr<FabricNetDevice> device = DynamicCast<FabricNetDevice>(node->GetDevice(i));
        if (!device || device->GetSwitch())
        {
            continue;
        }
        if (Ptr<FabricPortGroup> group = device->GetGroup())
        {
            // A group's members act as one port: its first member stands for it.
            if (!groups.insert(PeekPointer(group)).second)
            {
                continue;
            }
        }
        engine->AddPort(device);
    }
    if (engine->GetNPorts() == 0)
    {
        throw FabricConfigError(where, "the node has no fabric port (FabricNetDevice)");
    }
    node->AggregateObject(engine);
    return engine;
}

RdmaEngine::RdmaEngine()
{
    NS_LOG_FUNCTION(this);
}

RdmaEngine::~RdmaEngine()
{
    NS_LOG_FUNCTION(this);
}

void
RdmaEngine::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& qp : m_qps)
    {
        qp->Dispose();
    }
    m_qps.clear();
    m_ports.clear();
    m_foreign.Nullify();
    m_node = nullptr;
    Object::DoDispose();
}

void
RdmaEngine::NotifyNewAggregate()
{
    if (!m_node)
    {
        m_node = GetObject<Node>();
    }
    Object::NotifyNewAggregate();
}

std::string
RdmaEngine::Describe() const
{
    return "RdmaEngine on node " + (m_node ? std::to_string(m_node->GetId()) : std::string("?"));
}

uint32_t
RdmaEngine::AddPort(Ptr<FabricNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    if (!device)
    {
        throw FabricConfigError(Describe(), "AddPort() needs a port");
    }
    if (device->GetSwitch())
    {
        throw FabricConfigError(Describe(),
                                device->Describe() +
                                    " is a switch port; an RDMA engine runs on an endpoint");
    }
    if (m_node && device->GetNode() != m_node)
    {
        throw FabricConfigError(Describe(),
                                device->Describe() + " is on another node than the engine");
    }
    for (const auto& port : m_ports)
    {
        if (port.device == device)
        {
            throw FabricConfigError(Describe(), device->Describe() + " is already a port of it");
        }
    }
    if (!m_node)
    {
        m_node = device->GetNode();
    }
    const auto index = static_cast<uint32_t>(m_ports.size());
    m_ports.emplace_back();
    m_ports.back().device = device;
    m_ports.back().raw = PeekPointer(device);
    device->SetReceiveCallback(MakeCallback(&RdmaEngine::Receive, this));
    device->AddTxSpaceCallback(MakeCallback(&RdmaEngine::OnTxSpace, this, index));
    return index;
}

uint32_t
RdmaEngine::GetNPorts() const
{
    return static_cast<uint32_t>(m_ports.size());
}

Ptr<FabricNetDevice>
RdmaEngine::GetPort(uint32_t index) const
{
    if (index >= m_ports.size())
    {
        throw FabricConfigError(Describe(),
                                "has no port " + std::to_string(index) + " (it has " +
                                    std::to_string(m_ports.size()) + ")");
    }
    return m_ports[index].device;
}

Ptr<RdmaQueuePair>
RdmaEngine::CreateQueuePair(uint32_t port)
{
    Ptr<RdmaQueuePair> qp = CreateObject<RdmaQueuePair>();
    AddQueuePair(qp, port);
    return qp;
}

void
RdmaEngine::AddQueuePair(Ptr<RdmaQueuePair> qp, uint32_t port)
{
    NS_LOG_FUNCTION(this << qp << port);
    if (port >= m_ports.size())
    {
        throw FabricConfigError(Describe(),
                                "has no port " + std::to_string(port) +
                                    " for a queue pair (it has " + std::to_string(m_ports.size()) +
                                    "; install it with RdmaHelper or call AddPort())");
    }
    if (qp->m_engine)
    {
        throw FabricConfigError(Describe(), qp->Describe() + " is already on an engine");
    }
    const uint64_t qpn = FIRST_QPN + m_qps.size();
    if (qpn > IbBthHeader::MAX_QPN)
    {
        throw FabricConfigError(Describe(), "has run out of 24-bit QP numbers");
    }
    qp->Attach(this, port, m_ports[port].raw, static_cast<uint32_t>(qpn));
    m_qps.push_back(qp);
}

uint32_t
RdmaEngine::GetNQueuePairs() const
{
    return static_cast<uint32_t>(m_qps.size());
}

Ptr<RdmaQueuePair>
RdmaEngine::GetQueuePair(uint32_t qpn) const
{
    const uint32_t index = qpn - FIRST_QPN;
    if (qpn < FIRST_QPN || index >= m_qps.size())
    {
        throw FabricConfigError(Describe(), "has no queue pair " + std::to_string(qpn));
    }
    return m_qps[index];
}

Ptr<Node>
RdmaEngine::GetNode() const
{
    return m_node;
}

RdmaEngine::Lane&
RdmaEngine::LaneOf(RdmaQueuePair* qp)
{
    Port& port = m_ports[qp->m_port];
    if (!qp->m_vlKnown)
    {
        if (!port.initialized)
        {
            // The SL-to-VL table is settled when the port initialises; work may be posted
            // before the simulation starts it.
            port.device->Initialize();
            port.initialized = true;
        }
        qp->m_vl = port.raw->MapSlToVl(qp->m_sl);
        if (qp->m_vl >= port.lanes.size())
        {
            throw FabricConfigError(qp->Describe(),
                                    "service level " + std::to_string(qp->m_sl) +
                                        " maps to VL 15, which carries no data");
        }
        qp->m_vlKnown = true;
    }
    return port.lanes[qp->m_vl];
}

void
RdmaEngine::Doorbell(RdmaQueuePair* qp)
{
    Lane& lane = LaneOf(qp);
    if (!qp->m_inReady)
    {
        qp->m_inReady = true;
        qp->m_nextReady = nullptr;
        (lane.readyTail ? lane.readyTail->m_nextReady : lane.readyHead) = qp;
        lane.readyTail = qp;
    }
    if (!lane.kickPending)
    {
        lane.kickPending = true;
        Simulator::ScheduleWithContext(m_node->GetId(),
                                       Time(0),
                                       &RdmaEngine::Kick,
                                       this,
                                       qp->m_port,
                                       qp->m_vl);
    }
}

void
RdmaEngine::Kick(uint32_t port, uint8_t vl)
{
    m_ports[port].lanes[vl].kickPending = false;
    Fill(port, vl);
}

void
RdmaEngine::NotifyReady(RdmaQueuePair* qp)
{
    Lane& lane = LaneOf(qp);
    if (!qp->m_inReady)
    {
        qp->m_inReady = true;
        qp->m_nextReady = nullptr;
        (lane.readyTail ? lane.readyTail->m_nextReady : lane.readyHead) = qp;
        lane.readyTail = qp;
    }
    Fill(qp->m_port, qp->m_vl);
}

void
RdmaEngine::NotifyControl(RdmaQueuePair* qp)
{
    Lane& lane = LaneOf(qp);
    if (!qp->m_inControl)
    {
        qp->m_inControl = true;
        qp->m_nextCtrl = nullptr;
        (lane.ctrlTail ? lane.ctrlTail->m_nextCtrl : lane.ctrlHead) = qp;
        lane.ctrlTail = qp;
    }
    Fill(qp->m_port, qp->m_vl);
}

void
RdmaEngine::OnTxSpace(uint32_t port, Ptr<FabricNetDevice> device, uint8_t vl)
{
    Fill(port, vl);
}

void
RdmaEngine::Fill(uint32_t portIndex, uint8_t vl)
{
    Port& port = m_ports[portIndex];
    if (port.filling)
    {
        return; // SendTo() can start the port, whose TxSpace callback lands back here
    }
    Lane& lane = port.lanes[vl];
    if (!lane.ctrlHead && !lane.readyHead)
    {
        return;
    }
    port.filling = true;
    FabricNetDevice* device = port.raw;
    while ((lane.ctrlHead || lane.readyHead) && device->GetTxQueueSpace(vl) > 0)
    {
        if (lane.ctrlHead)
        {
            // ACKs and NAKs first: they free the other end's window.
            RdmaQueuePair* qp = lane.ctrlHead;
            lane.ctrlHead = qp->m_nextCtrl;
            if (!lane.ctrlHead)
            {
                lane.ctrlTail = nullptr;
            }
            qp->m_inControl = false;
            qp->SendControl();
            continue;
        }
        // Round robin: the QP at the head sends one packet and goes to the back.
        RdmaQueuePair* qp = lane.readyHead;
        lane.readyHead = qp->m_nextReady;
        if (!lane.readyHead)
        {
            lane.readyTail = nullptr;
        }
        if (qp->SendNext())
        {
            qp->m_nextReady = nullptr;
            (lane.readyTail ? lane.readyTail->m_nextReady : lane.readyHead) = qp;
            lane.readyTail = qp;
        }
        else
        {
            qp->m_inReady = false; // its window, rate limit or new work brings it back
        }
    }
    port.filling = false;
}

void
RdmaEngine::SetForeignPacketCallback(NetDevice::ReceiveCallback cb)
{
    m_foreign = cb;
}

bool
RdmaEngine::Receive(Ptr<NetDevice> device,
                    Ptr<const Packet> packet,
                    uint16_t protocol,
                    const Address& from)
{
    NS_LOG_FUNCTION(this << packet << protocol);
    if (protocol != PROTOCOL_NUMBER)
    {
        throw FabricConfigError(Describe(),
                                "received a packet of protocol " + std::to_string(protocol) +
                                    "; RDMA packets are protocol 2 (a BTH follows, no GRH)");
    }
    packet->PeekHeader(m_rxHeader);
    const uint32_t qpn = m_rxHeader.GetBth().GetDestQp();
    const uint32_t index = qpn - FIRST_QPN;
    if (qpn < FIRST_QPN || index >= m_qps.size())
    {
        if (!m_foreign.IsNull())
        {
            return m_foreign(device, packet, protocol, from);
        }
        throw FabricConfigError(Describe(),
                                "received a packet for queue pair " + std::to_string(qpn) +
                                    ", which does not exist (it has " +
                                    std::to_string(m_qps.size()) + ")");
    }
    uint8_t raw[2];
    Mac16Address::ConvertFrom(from).CopyTo(raw);
    m_qps[index]->Receive(packet, m_rxHeader, static_cast<uint16_t>((raw[0] << 8) | raw[1]));
    return true;
}

} // namespace ns3
