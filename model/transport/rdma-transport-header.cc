/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-transport-header.h"

#include "ns3/log.h"

#include <array>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RdmaTransportHeader");

NS_OBJECT_ENSURE_REGISTERED(RdmaTransportHeader);

namespace
{

constexpr uint8_t HAS_RETH = 1;      //!< flag: a RETH follows the BTH
constexpr uint8_t HAS_IMMEDIATE = 2; //!< flag: ImmDt follows (after a RETH if any)
constexpr uint8_t HAS_AETH = 4;      //!< flag: an AETH follows the BTH

/**
 * \brief Which extended headers each opcode carries.
 * \return a table indexed by opcode byte
 */
std::array<uint8_t, 256>
BuildExtendedHeaders()
{
    std::array<uint8_t, 256> t{};
    for (uint32_t op = 0; op < 256; ++op)
    {
        const auto code = static_cast<uint8_t>(op);
        t[op] = static_cast<uint8_t>((IbOpcodeHasReth(code) ? HAS_RETH : 0) |
                                     (IbOpcodeHasImmediate(code) ? HAS_IMMEDIATE : 0) |
                                     (IbOpcodeHasAeth(code) ? HAS_AETH : 0));
    }
    return t;
}

/// Looked up several times per packet: a namespace-scope table, not a function-local static
/// whose guard is checked on every call (IbOpcodeHas* use no other static data).
const std::array<uint8_t, 256> g_extendedHeaders = BuildExtendedHeaders();

} // namespace

TypeId
RdmaTransportHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RdmaTransportHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<RdmaTransportHeader>();
    return tid;
}

RdmaTransportHeader::RdmaTransportHeader()
{
}

RdmaTransportHeader::~RdmaTransportHeader()
{
}

TypeId
RdmaTransportHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

bool
RdmaTransportHeader::HasReth() const
{
    return g_extendedHeaders[m_bth.GetOpcode()] & HAS_RETH;
}

bool
RdmaTransportHeader::HasImmediate() const
{
    return g_extendedHeaders[m_bth.GetOpcode()] & HAS_IMMEDIATE;
}

bool
RdmaTransportHeader::HasAeth() const
{
    return g_extendedHeaders[m_bth.GetOpcode()] & HAS_AETH;
}

uint32_t
RdmaTransportHeader::SizeFor(uint8_t opcode)
{
    const uint8_t flags = g_extendedHeaders[opcode];
    return IbBthHeader::SIZE + ((flags & HAS_RETH) ? IbRethHeader::SIZE : 0) +
           ((flags & HAS_IMMEDIATE) ? IMMEDIATE_SIZE : 0) +
           ((flags & HAS_AETH) ? IbAethHeader::SIZE : 0);
}

uint32_t
RdmaTransportHeader::GetSerializedSize() const
{
    return SizeFor(m_bth.GetOpcode());
}

void
RdmaTransportHeader::Serialize(Buffer::Iterator start) const
{
    const uint8_t flags = g_extendedHeaders[m_bth.GetOpcode()];
    m_bth.Serialize(start);
    start.Next(IbBthHeader::SIZE);
    if (flags & HAS_RETH)
    {
        m_reth.Serialize(start);
        start.Next(IbRethHeader::SIZE);
    }
    if (flags & HAS_IMMEDIATE)
    {
        start.WriteHtonU32(m_immediate);
    }
    if (flags & HAS_AETH)
    {
        m_aeth.Serialize(start);
    }
}

uint32_t
RdmaTransportHeader::Deserialize(Buffer::Iterator start)
{
    m_bth.Deserialize(start);
    start.Next(IbBthHeader::SIZE);
    const uint8_t flags = g_extendedHeaders[m_bth.GetOpcode()];
    uint32_t size = IbBthHeader::SIZE;
    if (flags & HAS_RETH)
    {
        m_reth.Deserialize(start);
        start.Next(IbRethHeader::SIZE);
        size += IbRethHeader::SIZE;
    }
    if (flags & HAS_IMMEDIATE)
    {
        m_immediate = start.ReadNtohU32();
        size += IMMEDIATE_SIZE;
    }
    if (flags & HAS_AETH)
    {
        m_aeth.Deserialize(start);
        size += IbAethHeader::SIZE;
    }
    return size;
}

void
RdmaTransportHeader::Print(std::ostream& os) const
{
    m_bth.Print(os);
    const uint8_t flags = g_extendedHeaders[m_bth.GetOpcode()];
    if (flags & HAS_RETH)
    {
        os << " ";
        m_reth.Print(os);
    }
    if (flags & HAS_IMMEDIATE)
    {
        os << " ImmDt=0x" << std::hex << m_immediate << std::dec;
    }
    if (flags & HAS_AETH)
    {
        os << " ";
        m_aeth.Print(os);
    }
}

} // namespace ns3
