/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-net-device.h"

#include "ib-crc-trailer.h"
#include "ib-lrh-header.h"

#include "ns3/enum.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbNetDevice");

NS_OBJECT_ENSURE_REGISTERED(IbNetDevice);

TypeId
IbNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IbNetDevice")
            .SetParent<FabricNetDevice>()
            .SetGroupName("AiFabric")
            .AddConstructor<IbNetDevice>()
            .AddAttribute("LinkSpeed",
                          "InfiniBand generation; with LinkWidth it gives the data rate, lanes "
                          "x per-lane signalling x encoding efficiency.",
                          EnumValue(static_cast<int>(IbLinkSpeed::NDR)),
                          MakeEnumAccessor(&IbNetDevice::SetLinkSpeed),
                          MakeEnumChecker(static_cast<int>(IbLinkSpeed::SDR),
                                          "SDR",
                                          static_cast<int>(IbLinkSpeed::DDR),
                                          "DDR",
                                          static_cast<int>(IbLinkSpeed::QDR),
                                          "QDR",
                                          static_cast<int>(IbLinkSpeed::FDR10),
                                          "FDR10",
                                          static_cast<int>(IbLinkSpeed::FDR),
                                          "FDR",
                                          static_cast<int>(IbLinkSpeed::EDR),
                                          "EDR",
                                          static_cast<int>(IbLinkSpeed::HDR),
                                          "HDR",
                                          static_cast<int>(IbLinkSpeed::NDR),
                                          "NDR",
                                          static_cast<int>(IbLinkSpeed::XDR),
                                          "XDR"))
            .AddAttribute("LinkWidth",
                          "Lanes per link: 1, 2, 4, 8 or 12.",
                          UintegerValue(4),
                          MakeUintegerAccessor(&IbNetDevice::SetLinkWidth),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

IbNetDevice::IbNetDevice()
{
    NS_LOG_FUNCTION(this);
}

IbNetDevice::~IbNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
IbNetDevice::SetLinkSpeed(IbLinkSpeed speed)
{
    m_speed = speed;
    SetDataRate(IbLinkDataRate(m_speed, m_width));
}

void
IbNetDevice::SetLinkWidth(uint32_t width)
{
    if (!IbIsValidLinkWidth(width))
    {
        throw FabricConfigError("IbNetDevice::LinkWidth",
                                std::to_string(width) + " lanes does not exist (1, 2, 4, 8 or 12)");
    }
    m_width = width;
    SetDataRate(IbLinkDataRate(m_speed, m_width));
}

uint16_t
IbNetDevice::GetLid() const
{
    return GetLocalAddress();
}

void
IbNetDevice::SetLid(uint16_t lid)
{
    if (lid == 0 || lid > 0xBFFF)
    {
        throw FabricConfigError(Describe(),
                                "LID " + std::to_string(lid) +
                                    " is not a unicast LID (0x0001-0xBFFF)");
    }
    SetLocalAddress(lid);
}

void
IbNetDevice::CheckConfiguration()
{
    FabricNetDevice::CheckConfiguration();
    const uint16_t mtu = GetMtu();
    if (mtu != 256 && mtu != 512 && mtu != 1024 && mtu != 2048 && mtu != 4096)
    {
        throw FabricConfigError(Describe(),
                                "Mtu " + std::to_string(mtu) +
                                    " is not an InfiniBand MTU (256, 512, 1024, "
                                    "2048 or 4096)");
    }
}

double
IbNetDevice::GetPayloadEfficiency() const
{
    return static_cast<double>(GetMtu()) / (GetMtu() + RC_PACKET_OVERHEAD);
}

std::string
IbNetDevice::DescribeAddress(uint16_t address) const
{
    return "LID " + std::to_string(address);
}

uint32_t
IbNetDevice::GetMaxPacketBytes() const
{
    return GetMtu() + MAX_TRANSPORT_HEADERS + LINK_OVERHEAD;
}

void
IbNetDevice::AddFraming(Ptr<Packet> packet, uint16_t dst, uint8_t sl, uint8_t vl, uint16_t protocol)
{
    if (dst == 0 || dst > 0xBFFF)
    {
        throw FabricConfigError(Describe(),
                                "destination LID " + std::to_string(dst) + " is not a unicast LID");
    }
    // LRH PktLen counts 4-byte words from the LRH through the ICRC.
    const uint32_t rem = packet->GetSize() % 4;
    if (rem != 0)
    {
        packet->AddPaddingAtEnd(4 - rem);
    }
    const uint32_t lrhToIcrc = IbLrhHeader::SIZE + packet->GetSize() + IbCrcTrailer::ICRC_SIZE;
    if (lrhToIcrc > 8188)
    {
        throw FabricConfigError(Describe(),
                                "packet of " + std::to_string(lrhToIcrc) +
                                    " bytes exceeds the LRH PktLen limit (8188)");
    }
    m_txLrh.SetVl(vl);
    m_txLrh.SetSl(sl);
    m_txLrh.SetLnh(protocol == PROTOCOL_IBA_GLOBAL ? IbLrhHeader::IBA_GLOBAL
                                                   : IbLrhHeader::IBA_LOCAL);
    m_txLrh.SetDlid(dst);
    m_txLrh.SetSlid(GetLid());
    m_txLrh.SetPacketLengthBytes(lrhToIcrc);
    packet->AddHeader(m_txLrh);
    packet->AddTrailer(m_txCrc);
}

uint16_t
IbNetDevice::RemoveFraming(Ptr<Packet> packet, uint16_t& protocol)
{
    packet->RemoveHeader(m_rxLrh);
    packet->RemoveTrailer(m_rxCrc);
    protocol = m_rxLrh.GetLnh();
    return m_rxLrh.GetSlid();
}

void
IbNetDevice::RewriteVl(Ptr<Packet> packet, uint8_t vl)
{
    // The VL is a variant field (covered by the VCRC, not the ICRC): switches rewrite it.
    packet->RemoveHeader(m_rxLrh);
    m_rxLrh.SetVl(vl);
    packet->AddHeader(m_rxLrh);
}

} // namespace ns3
