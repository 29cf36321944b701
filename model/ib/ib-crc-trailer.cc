/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-crc-trailer.h"

#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbCrcTrailer");

NS_OBJECT_ENSURE_REGISTERED(IbCrcTrailer);

TypeId
IbCrcTrailer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbCrcTrailer")
                            .SetParent<Trailer>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbCrcTrailer>();
    return tid;
}

IbCrcTrailer::IbCrcTrailer()
    : m_icrc(0),
      m_vcrc(0)
{
    NS_LOG_FUNCTION(this);
}

IbCrcTrailer::~IbCrcTrailer()
{
    NS_LOG_FUNCTION(this);
}

TypeId
IbCrcTrailer::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IbCrcTrailer::SetIcrc(uint32_t icrc)
{
    m_icrc = icrc;
}

uint32_t
IbCrcTrailer::GetIcrc() const
{
    return m_icrc;
}

void
IbCrcTrailer::SetVcrc(uint16_t vcrc)
{
    m_vcrc = vcrc;
}

uint16_t
IbCrcTrailer::GetVcrc() const
{
    return m_vcrc;
}

void
IbCrcTrailer::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "ICRC=0x" << std::hex << std::setw(8) << std::setfill('0') << m_icrc << " VCRC=0x"
       << std::setw(4) << m_vcrc;
    os.flags(flags);
    os.fill(fill);
}

uint32_t
IbCrcTrailer::GetSerializedSize() const
{
    return SIZE;
}

void
IbCrcTrailer::Serialize(Buffer::Iterator end) const
{
    Buffer::Iterator i = end;
    i.Prev(SIZE);
    i.WriteHtonU32(m_icrc);
    i.WriteHtonU16(m_vcrc);
}

uint32_t
IbCrcTrailer::Deserialize(Buffer::Iterator end)
{
    Buffer::Iterator i = end;
    i.Prev(SIZE);
    m_icrc = i.ReadNtohU32();
    m_vcrc = i.ReadNtohU16();
    return SIZE;
}

} // namespace ns3
