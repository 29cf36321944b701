/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "in-network-port.h"

#include "ns3/fabric-upper-headers.h"
#include "ns3/ib-bth-header.h"
#include "ns3/ib-reth-header.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("InNetworkPort");

namespace
{

/**
 * \param packet a packet of protocol 2 (the RDMA engine's and the in-network ports'): a BTH
 * first
 * \return the bytes of its transport headers: the BTH, the extended headers its opcode
 * implies, and the SharpHeader of in-network packets (NVLS requests and data for a switch's
 * engine or a GPU's endpoint), which on NVLink too is address and command
 */
uint32_t
BthLedHeaderBytes(Ptr<const Packet> packet)
{
    IbBthHeader bth;
    packet->PeekHeader(bth);
    const uint8_t op = bth.GetOpcode();
    const uint32_t qp = bth.GetDestQp();
    const bool inNetwork = qp == InNetworkPort::SWITCH_QPN || qp == InNetworkPort::ENDPOINT_QPN;
    return IbBthHeader::SIZE + (IbOpcodeHasReth(op) ? IbRethHeader::SIZE : 0) +
           (IbOpcodeHasImmediate(op) ? 4 : 0) + (IbOpcodeHasAeth(op) ? 4 : 0) +
           (inNetwork ? SharpHeader::SIZE : 0);
}

/// Registered where the in-network header is known: the only layer that sees every header
/// protocol 2 may carry. The RDMA engine uses the same protocol number.
[[maybe_unused]] const bool g_bthLedHeadersRegistered =
    FabricUpperHeaders::Register(InNetworkPort::PROTOCOL, &BthLedHeaderBytes);

} // namespace

void
InNetworkPort::Attach(Ptr<FabricNetDevice> port, bool own, uint8_t sl)
{
    NS_LOG_FUNCTION(this << port << own << +sl);
    m_port = port;
    m_own = own;
    m_sl = sl;
    port->AddTxSpaceCallback(MakeCallback(&InNetworkPort::OnTxSpace, this));
}

Ptr<FabricNetDevice>
InNetworkPort::GetDevice() const
{
    return m_port;
}

uint64_t
InNetworkPort::GetSentPackets() const
{
    return m_sent;
}

size_t
InNetworkPort::GetBacklog() const
{
    return m_pending.size() + m_urgent.size();
}

uint64_t
InNetworkPort::GetBacklogBytes() const
{
    return m_pendingBytes;
}

void
InNetworkPort::Send(const SharpHeader& header,
                    uint32_t dataBytes,
                    uint16_t dst,
                    uint32_t qpn,
                    const SharpContributionTag& tag,
                    bool urgent)
{
    Ptr<Packet> packet = Create<Packet>(dataBytes);
    packet->AddHeader(header);
    IbBthHeader bth;
    // An ordinary RC SEND Only BTH: Wireshark decodes the packet as InfiniBand.
    bth.SetOpcode(IbOpcode::RC_SEND_ONLY);
    bth.SetDestQp(qpn);
    bth.SetPsn(m_psn);
    m_psn = (m_psn + 1) & IbBthHeader::MAX_PSN;
    packet->AddHeader(bth);
    if (tag.GetCount() > 0)
    {
        packet->AddPacketTag(tag);
    }
    (urgent ? m_urgent : m_pending).push_back({packet, dst});
    m_pendingBytes += packet->GetSize();
    if (m_pending.size() + m_urgent.size() == 1)
    {
        Drain();
    }
}

void
InNetworkPort::Drain()
{
    // Handing a packet over may start the wire and report room at once (re-entering here).
    if (m_draining)
    {
        return;
    }
    m_draining = true;
    while (!m_pending.empty() || !m_urgent.empty())
    {
        // Ask first, so that a full queue is a wait, not a MacTxDrop.
        const uint8_t vl = m_port->MapSlToVl(m_sl);
        if ((m_own ? m_port->GetOwnTxQueueSpace(vl) : m_port->GetTxQueueSpace(vl)) == 0)
        {
            break; // OnTxSpace() resumes
        }
        auto& queue = m_urgent.empty() ? m_pending : m_urgent;
        Pending next = queue.front();
        queue.pop_front();
        m_pendingBytes -= next.packet->GetSize();
        const bool queued = m_own ? m_port->SendByThisPort(next.packet, next.dst, m_sl, PROTOCOL)
                                  : m_port->SendTo(next.packet, next.dst, m_sl, PROTOCOL);
        NS_ASSERT_MSG(queued, "the transmit queue had room");
        ++m_sent;
    }
    m_draining = false;
}

void
InNetworkPort::OnTxSpace(Ptr<FabricNetDevice> device, uint8_t vl)
{
    if ((!m_pending.empty() || !m_urgent.empty()) && (!m_own || device == m_port))
    {
        Drain();
    }
}

} // namespace ns3
