/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-traffic-generator.h"

#include "ns3/fabric-config-error.h"
#include "ns3/fabric-net-device.h"
#include "ns3/ib-bth-header.h"
#include "ns3/ib-reth-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricTrafficGenerator");

NS_OBJECT_ENSURE_REGISTERED(FabricTrafficGenerator);

namespace
{
/// Protocol number of packets that start with a BTH (IB's LNH "IBA local").
constexpr uint16_t PROTOCOL_BTH = 2;
} // namespace

TypeId
FabricTrafficGenerator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricTrafficGenerator")
            .SetParent<Application>()
            .SetGroupName("AiFabric")
            .AddConstructor<FabricTrafficGenerator>()
            .AddAttribute("DestinationLid",
                          "Address of the port the messages go to (LID, GPU id).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&FabricTrafficGenerator::m_dlid),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("MessageSize",
                          "Bytes per message (payload).",
                          UintegerValue(1 << 20),
                          MakeUintegerAccessor(&FabricTrafficGenerator::m_messageSize),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("MessageCount",
                          "Messages to send; 0 sends until the application stops.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&FabricTrafficGenerator::m_messageCount),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ServiceLevel",
                          "Service level of the packets (0-15); the port maps it to a VL.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&FabricTrafficGenerator::m_sl),
                          MakeUintegerChecker<uint8_t>(0, 15))
            .AddAttribute("DestinationQp",
                          "Destination queue pair number written in the BTH.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&FabricTrafficGenerator::m_destQp),
                          MakeUintegerChecker<uint32_t>(0, 0xFFFFFF))
            .AddTraceSource("Tx",
                            "A packet handed to the port, BTH on top.",
                            MakeTraceSourceAccessor(&FabricTrafficGenerator::m_txTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

FabricTrafficGenerator::FabricTrafficGenerator()
{
    NS_LOG_FUNCTION(this);
}

FabricTrafficGenerator::~FabricTrafficGenerator()
{
    NS_LOG_FUNCTION(this);
}

void
FabricTrafficGenerator::DoDispose()
{
    m_device = nullptr;
    Application::DoDispose();
}

void
FabricTrafficGenerator::SetDevice(Ptr<FabricNetDevice> device)
{
    m_device = device;
}

uint64_t
FabricTrafficGenerator::GetPayloadBytesSent() const
{
    return m_payloadSent;
}

uint64_t
FabricTrafficGenerator::GetPacketsSent() const
{
    return m_packetsSent;
}

uint64_t
FabricTrafficGenerator::GetMessagesSent() const
{
    return m_messagesSent;
}

void
FabricTrafficGenerator::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!m_device)
    {
        for (uint32_t i = 0; i < GetNode()->GetNDevices() && !m_device; ++i)
        {
            m_device = DynamicCast<FabricNetDevice>(GetNode()->GetDevice(i));
        }
        if (!m_device)
        {
            throw FabricConfigError("FabricTrafficGenerator on node " +
                                        std::to_string(GetNode()->GetId()),
                                    "the node has no fabric port");
        }
    }
    if (m_dlid == 0)
    {
        throw FabricConfigError("FabricTrafficGenerator on node " +
                                    std::to_string(GetNode()->GetId()),
                                "DestinationLid is not set");
    }
    if (!m_hooked)
    {
        m_device->AddTxSpaceCallback(MakeCallback(&FabricTrafficGenerator::OnTxSpace, this));
        m_hooked = true;
    }
    m_running = true;
    Fill();
}

void
FabricTrafficGenerator::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
}

void
FabricTrafficGenerator::OnTxSpace(Ptr<FabricNetDevice> device, uint8_t vl)
{
    if (m_running && vl == m_device->MapSlToVl(m_sl))
    {
        Fill();
    }
}

void
FabricTrafficGenerator::Fill()
{
    if (m_filling)
    {
        return; // SendTo() can start the port, whose TxSpace callback lands back here
    }
    m_filling = true;
    const uint8_t vl = m_device->MapSlToVl(m_sl);
    const uint32_t mtu = m_device->GetMtu();
    while (m_running && m_device->GetTxQueueSpace(vl) > 0)
    {
        if (m_messageCount != 0 && m_messagesSent >= m_messageCount)
        {
            m_running = false;
            break;
        }
        const bool first = m_offset == 0;
        const uint64_t left = m_messageSize - m_offset;
        const auto payload = static_cast<uint32_t>(std::min<uint64_t>(left, mtu));
        const bool last = payload == left;
        IbOpcode opcode =
            first ? (last ? IbOpcode::UC_RDMA_WRITE_ONLY : IbOpcode::UC_RDMA_WRITE_FIRST)
                  : (last ? IbOpcode::UC_RDMA_WRITE_LAST : IbOpcode::UC_RDMA_WRITE_MIDDLE);
        Ptr<Packet> packet = Create<Packet>(payload);
        const uint32_t pad = (4 - payload % 4) % 4;
        if (pad)
        {
            packet->AddPaddingAtEnd(pad);
        }
        if (first)
        {
            m_reth.SetDmaLength(
                static_cast<uint32_t>(std::min<uint64_t>(m_messageSize, 0xFFFFFFFF)));
            packet->AddHeader(m_reth);
        }
        m_bth.SetOpcode(opcode);
        m_bth.SetPadCnt(static_cast<uint8_t>(pad));
        m_bth.SetDestQp(m_destQp);
        m_bth.SetPsn(m_psn);
        packet->AddHeader(m_bth);
        m_txTrace(packet);
        if (!m_device->SendTo(packet, m_dlid, m_sl, PROTOCOL_BTH))
        {
            break; // cannot happen after the space check
        }
        m_psn = (m_psn + 1) & 0xFFFFFF;
        m_offset += payload;
        m_payloadSent += payload;
        ++m_packetsSent;
        if (last)
        {
            m_offset = 0;
            ++m_messagesSent;
        }
    }
    m_filling = false;
}

} // namespace ns3
