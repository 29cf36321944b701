/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-traffic-sink.h"

#include "ns3/fabric-net-device.h"
#include "ns3/fabric-simulator-cache.h"
#include "ns3/ib-bth-header.h"
#include "ns3/ib-reth-header.h"
#include "ns3/log.h"
#include "ns3/mac16-address.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricTrafficSink");

NS_OBJECT_ENSURE_REGISTERED(FabricTrafficSink);

TypeId
FabricTrafficSink::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricTrafficSink")
            .SetParent<Application>()
            .SetGroupName("AiFabric")
            .AddConstructor<FabricTrafficSink>()
            .AddTraceSource("Rx",
                            "A packet received, BTH on top, with its source address.",
                            MakeTraceSourceAccessor(&FabricTrafficSink::m_rxTrace),
                            "ns3::FabricTrafficSink::RxTracedCallback");
    return tid;
}

FabricTrafficSink::FabricTrafficSink()
{
    NS_LOG_FUNCTION(this);
}

FabricTrafficSink::~FabricTrafficSink()
{
    NS_LOG_FUNCTION(this);
}

const std::map<uint16_t, FabricTrafficSink::FlowStats>&
FabricTrafficSink::GetFlows() const
{
    return m_flows;
}

uint64_t
FabricTrafficSink::GetTotalPayloadBytes() const
{
    return m_totalPayload;
}

void
FabricTrafficSink::StartApplication()
{
    NS_LOG_FUNCTION(this);
    for (uint32_t i = 0; i < GetNode()->GetNDevices(); ++i)
    {
        if (Ptr<FabricNetDevice> dev = DynamicCast<FabricNetDevice>(GetNode()->GetDevice(i)))
        {
            dev->SetReceiveCallback(MakeCallback(&FabricTrafficSink::Receive, this));
        }
    }
}

void
FabricTrafficSink::StopApplication()
{
    NS_LOG_FUNCTION(this);
}

bool
FabricTrafficSink::Receive(Ptr<NetDevice> device,
                           Ptr<const Packet> packet,
                           uint16_t protocol,
                           const Address& from)
{
    // The source LID as a Mac16Address: two bytes, most significant first.
    NS_ASSERT(Mac16Address::IsMatchingType(from));
    uint8_t raw[Address::MAX_SIZE];
    from.CopyTo(raw);
    const auto slid = static_cast<uint16_t>((raw[0] << 8) | raw[1]);
    IbBthHeader& bth = m_bth;
    packet->PeekHeader(bth);
    uint32_t headers = bth.GetSerializedSize();
    if (IbOpcodeHasReth(bth.GetOpcode()))
    {
        headers += IbRethHeader::SIZE;
    }
    FlowStats& flow = m_flows[slid];
    const Time now = FabricSimulatorCache::Now();
    if (flow.packets == 0)
    {
        flow.firstRx = now;
    }
    flow.lastRx = now;
    ++flow.packets;
    const uint32_t payload = packet->GetSize() - headers - bth.GetPadCnt();
    flow.payloadBytes += payload;
    m_totalPayload += payload;
    const auto op = static_cast<IbOpcode>(bth.GetOpcode());
    if (op == IbOpcode::UC_RDMA_WRITE_LAST || op == IbOpcode::UC_RDMA_WRITE_ONLY ||
        op == IbOpcode::RC_RDMA_WRITE_LAST || op == IbOpcode::RC_RDMA_WRITE_ONLY ||
        op == IbOpcode::RC_SEND_LAST || op == IbOpcode::RC_SEND_ONLY)
    {
        ++flow.messages;
    }
    m_rxTrace(packet, slid);
    return true;
}

} // namespace ns3
