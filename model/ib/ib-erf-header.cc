/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-erf-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbErfHeader");

NS_OBJECT_ENSURE_REGISTERED(IbErfHeader);

namespace
{

constexpr uint64_t NS_PER_S = 1000000000ULL; //!< Nanoseconds per second

} // namespace

TypeId
IbErfHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbErfHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbErfHeader>();
    return tid;
}

IbErfHeader::IbErfHeader()
    : m_timestamp(0),
      m_type(TYPE_INFINIBAND),
      m_flags(FLAG_VARYING_LENGTH),
      m_rlen(SIZE),
      m_lctr(0),
      m_wlen(0)
{
    NS_LOG_FUNCTION(this);
}

IbErfHeader::~IbErfHeader()
{
    NS_LOG_FUNCTION(this);
}

TypeId
IbErfHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IbErfHeader::SetTimestamp(Time t)
{
    NS_ASSERT_MSG(!t.IsStrictlyNegative(), "ERF timestamp " << t << " is negative");
    uint64_t ns = static_cast<uint64_t>(t.GetNanoSeconds());
    uint64_t seconds = ns / NS_PER_S;
    uint64_t remainder = ns % NS_PER_S;
    NS_ASSERT_MSG(seconds <= 0xFFFFFFFFULL, "ERF timestamp " << t << " overflows 32-bit seconds");
    // remainder < 2^30, so remainder << 32 < 2^62: no overflow. Round to nearest; the result
    // stays below 2^32 because remainder <= 999999999.
    uint64_t fraction = ((remainder << 32) + NS_PER_S / 2) / NS_PER_S;
    m_timestamp = (seconds << 32) | fraction;
}

Time
IbErfHeader::GetTimestamp() const
{
    uint64_t seconds = m_timestamp >> 32;
    uint64_t fraction = m_timestamp & 0xFFFFFFFFULL;
    // fraction < 2^32 and NS_PER_S < 2^30: the product fits in 62 bits.
    uint64_t ns = (fraction * NS_PER_S + (1ULL << 31)) >> 32;
    return NanoSeconds(static_cast<int64_t>(seconds * NS_PER_S + ns));
}

void
IbErfHeader::SetRawTimestamp(uint64_t ts)
{
    m_timestamp = ts;
}

uint64_t
IbErfHeader::GetRawTimestamp() const
{
    return m_timestamp;
}

void
IbErfHeader::SetType(uint8_t type)
{
    m_type = type;
}

uint8_t
IbErfHeader::GetType() const
{
    return m_type;
}

void
IbErfHeader::SetFlags(uint8_t flags)
{
    m_flags = flags;
}

uint8_t
IbErfHeader::GetFlags() const
{
    return m_flags;
}

void
IbErfHeader::SetRecordLength(uint16_t rlen)
{
    NS_ASSERT_MSG(rlen >= SIZE, "ERF rlen " << rlen << " is shorter than the header");
    m_rlen = rlen;
}

uint16_t
IbErfHeader::GetRecordLength() const
{
    return m_rlen;
}

void
IbErfHeader::SetLossCounter(uint16_t lctr)
{
    m_lctr = lctr;
}

uint16_t
IbErfHeader::GetLossCounter() const
{
    return m_lctr;
}

void
IbErfHeader::SetWireLength(uint16_t wlen)
{
    m_wlen = wlen;
}

uint16_t
IbErfHeader::GetWireLength() const
{
    return m_wlen;
}

void
IbErfHeader::SetLengthsForPacket(uint32_t packetBytes)
{
    NS_ASSERT_MSG(packetBytes + SIZE <= 0xFFFF,
                  "ERF record for a " << packetBytes << " B packet exceeds 65535 B");
    m_rlen = static_cast<uint16_t>(packetBytes + SIZE);
    m_wlen = static_cast<uint16_t>(packetBytes);
}

void
IbErfHeader::Print(std::ostream& os) const
{
    os << "Timestamp=" << GetTimestamp().GetNanoSeconds() << "ns Type=" << +m_type
       << " Flags=" << +m_flags << " RLen=" << m_rlen << " LCtr=" << m_lctr << " WLen=" << m_wlen;
}

uint32_t
IbErfHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IbErfHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteHtolsbU64(m_timestamp);
    i.WriteU8(m_type);
    i.WriteU8(m_flags);
    i.WriteHtonU16(m_rlen);
    i.WriteHtonU16(m_lctr);
    i.WriteHtonU16(m_wlen);
}

uint32_t
IbErfHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_timestamp = i.ReadLsbtohU64();
    m_type = i.ReadU8();
    m_flags = i.ReadU8();
    m_rlen = i.ReadNtohU16();
    m_lctr = i.ReadNtohU16();
    m_wlen = i.ReadNtohU16();
    return SIZE;
}

} // namespace ns3
