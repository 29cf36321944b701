/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-reth-header.h"

#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbRethHeader");

NS_OBJECT_ENSURE_REGISTERED(IbRethHeader);

TypeId
IbRethHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbRethHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbRethHeader>();
    return tid;
}

IbRethHeader::IbRethHeader()
    : m_virtualAddress(0),
      m_rKey(0),
      m_dmaLength(0)
{
    NS_LOG_FUNCTION(this);
}

IbRethHeader::~IbRethHeader()
{
    NS_LOG_FUNCTION(this);
}

TypeId
IbRethHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IbRethHeader::SetVirtualAddress(uint64_t va)
{
    m_virtualAddress = va;
}

uint64_t
IbRethHeader::GetVirtualAddress() const
{
    return m_virtualAddress;
}

void
IbRethHeader::SetRKey(uint32_t rKey)
{
    m_rKey = rKey;
}

uint32_t
IbRethHeader::GetRKey() const
{
    return m_rKey;
}

void
IbRethHeader::SetDmaLength(uint32_t dmaLength)
{
    m_dmaLength = dmaLength;
}

uint32_t
IbRethHeader::GetDmaLength() const
{
    return m_dmaLength;
}

void
IbRethHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "VA=0x" << std::hex << std::setw(16) << std::setfill('0') << m_virtualAddress
       << " R_Key=0x" << std::setw(8) << m_rKey << std::dec << " DMALength=" << m_dmaLength;
    os.flags(flags);
    os.fill(fill);
}

uint32_t
IbRethHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IbRethHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteHtonU64(m_virtualAddress);
    i.WriteHtonU32(m_rKey);
    i.WriteHtonU32(m_dmaLength);
}

uint32_t
IbRethHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_virtualAddress = i.ReadNtohU64();
    m_rKey = i.ReadNtohU32();
    m_dmaLength = i.ReadNtohU32();
    return SIZE;
}

} // namespace ns3
