/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-lrh-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbLrhHeader");

NS_OBJECT_ENSURE_REGISTERED(IbLrhHeader);

TypeId
IbLrhHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbLrhHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbLrhHeader>();
    return tid;
}

IbLrhHeader::IbLrhHeader()
    : m_vl(0),
      m_lver(0),
      m_sl(0),
      m_lnh(IBA_LOCAL),
      m_dlid(0),
      m_pktLen(0),
      m_slid(0)
{
    NS_LOG_FUNCTION(this);
}

IbLrhHeader::~IbLrhHeader()
{
    NS_LOG_FUNCTION(this);
}

TypeId
IbLrhHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IbLrhHeader::SetVl(uint8_t vl)
{
    NS_ASSERT_MSG(vl <= 0x0F, "LRH VL " << +vl << " does not fit in 4 bits");
    m_vl = vl;
}

uint8_t
IbLrhHeader::GetVl() const
{
    return m_vl;
}

void
IbLrhHeader::SetLver(uint8_t lver)
{
    NS_ASSERT_MSG(lver <= 0x0F, "LRH LVer " << +lver << " does not fit in 4 bits");
    m_lver = lver;
}

uint8_t
IbLrhHeader::GetLver() const
{
    return m_lver;
}

void
IbLrhHeader::SetSl(uint8_t sl)
{
    NS_ASSERT_MSG(sl <= 0x0F, "LRH SL " << +sl << " does not fit in 4 bits");
    m_sl = sl;
}

uint8_t
IbLrhHeader::GetSl() const
{
    return m_sl;
}

void
IbLrhHeader::SetLnh(Lnh lnh)
{
    NS_ASSERT_MSG(lnh <= IBA_GLOBAL, "LRH LNH " << +lnh << " does not fit in 2 bits");
    m_lnh = lnh;
}

IbLrhHeader::Lnh
IbLrhHeader::GetLnh() const
{
    return m_lnh;
}

void
IbLrhHeader::SetDlid(uint16_t dlid)
{
    m_dlid = dlid;
}

uint16_t
IbLrhHeader::GetDlid() const
{
    return m_dlid;
}

void
IbLrhHeader::SetPktLen(uint16_t words)
{
    NS_ASSERT_MSG(words <= MAX_PKT_LEN, "LRH PktLen " << words << " does not fit in 11 bits");
    m_pktLen = words;
}

uint16_t
IbLrhHeader::GetPktLen() const
{
    return m_pktLen;
}

void
IbLrhHeader::SetPacketLengthBytes(uint32_t bytes)
{
    NS_ASSERT_MSG(bytes % 4 == 0, "LRH packet length " << bytes << " B is not a multiple of 4");
    NS_ASSERT_MSG(bytes <= MAX_PACKET_BYTES,
                  "LRH packet length " << bytes << " B exceeds " << MAX_PACKET_BYTES << " B");
    m_pktLen = static_cast<uint16_t>(bytes / 4);
}

uint32_t
IbLrhHeader::GetPacketLengthBytes() const
{
    return 4U * m_pktLen;
}

void
IbLrhHeader::SetSlid(uint16_t slid)
{
    m_slid = slid;
}

uint16_t
IbLrhHeader::GetSlid() const
{
    return m_slid;
}

std::string
IbLrhHeader::LnhToString(Lnh lnh)
{
    switch (lnh)
    {
    case RAW:
        return "RAW";
    case IP_NON_IBA:
        return "IP_NON_IBA";
    case IBA_LOCAL:
        return "IBA_LOCAL";
    case IBA_GLOBAL:
        return "IBA_GLOBAL";
    }
    return "UNKNOWN";
}

void
IbLrhHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "VL=" << +m_vl << " LVer=" << +m_lver << " SL=" << +m_sl << " LNH=" << LnhToString(m_lnh)
       << " DLID=0x" << std::hex << std::setw(4) << std::setfill('0') << m_dlid << std::dec
       << " PktLen=" << m_pktLen << " SLID=0x" << std::hex << std::setw(4) << m_slid;
    os.flags(flags);
    os.fill(fill);
}

uint32_t
IbLrhHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IbLrhHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteU8(static_cast<uint8_t>(((m_vl & 0x0F) << 4) | (m_lver & 0x0F)));
    i.WriteU8(static_cast<uint8_t>(((m_sl & 0x0F) << 4) | (m_lnh & 0x03)));
    i.WriteHtonU16(m_dlid);
    i.WriteHtonU16(m_pktLen & 0x07FF);
    i.WriteHtonU16(m_slid);
}

uint32_t
IbLrhHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    uint8_t byte0 = i.ReadU8();
    m_vl = byte0 >> 4;
    m_lver = byte0 & 0x0F;
    uint8_t byte1 = i.ReadU8();
    m_sl = byte1 >> 4;
    m_lnh = static_cast<Lnh>(byte1 & 0x03);
    m_dlid = i.ReadNtohU16();
    m_pktLen = i.ReadNtohU16() & 0x07FF;
    m_slid = i.ReadNtohU16();
    return SIZE;
}

} // namespace ns3
