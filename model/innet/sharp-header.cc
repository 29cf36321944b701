/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sharp-header.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SharpHeader");

NS_OBJECT_ENSURE_REGISTERED(SharpHeader);
NS_OBJECT_ENSURE_REGISTERED(SharpContributionTag);

TypeId
SharpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SharpHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<SharpHeader>();
    return tid;
}

SharpHeader::SharpHeader() = default;

SharpHeader::~SharpHeader() = default;

TypeId
SharpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
SharpHeader::SetOpcode(Opcode opcode)
{
    m_opcode = opcode;
}

SharpHeader::Opcode
SharpHeader::GetOpcode() const
{
    return static_cast<Opcode>(m_opcode);
}

void
SharpHeader::SetGroup(uint16_t group)
{
    m_group = group;
}

uint16_t
SharpHeader::GetGroup() const
{
    return m_group;
}

void
SharpHeader::SetSequence(uint32_t sequence)
{
    m_sequence = sequence;
}

uint32_t
SharpHeader::GetSequence() const
{
    return m_sequence;
}

void
SharpHeader::SetOffset(uint32_t offset)
{
    m_offset = offset;
}

uint32_t
SharpHeader::GetOffset() const
{
    return m_offset;
}

void
SharpHeader::SetLength(uint32_t length)
{
    m_length = length;
}

uint32_t
SharpHeader::GetLength() const
{
    return m_length;
}

void
SharpHeader::SetOrigin(uint16_t origin)
{
    m_origin = origin;
}

uint16_t
SharpHeader::GetOrigin() const
{
    return m_origin;
}

void
SharpHeader::Print(std::ostream& os) const
{
    os << "SHARP op=" << +m_opcode << " group=" << m_group << " seq=" << m_sequence
       << " offset=" << m_offset << " length=" << m_length << " origin=" << m_origin;
}

uint32_t
SharpHeader::GetSerializedSize() const
{
    return SIZE;
}

void
SharpHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(m_opcode);
    start.WriteU8(m_reduce);
    start.WriteHtonU16(m_group);
    start.WriteHtonU32(m_sequence);
    start.WriteHtonU32(m_offset);
    start.WriteHtonU32(m_length);
    start.WriteHtonU16(m_origin);
    start.WriteHtonU16(0);
}

uint32_t
SharpHeader::Deserialize(Buffer::Iterator start)
{
    m_opcode = start.ReadU8();
    m_reduce = start.ReadU8();
    m_group = start.ReadNtohU16();
    m_sequence = start.ReadNtohU32();
    m_offset = start.ReadNtohU32();
    m_length = start.ReadNtohU32();
    m_origin = start.ReadNtohU16();
    start.ReadNtohU16();
    return SIZE;
}

TypeId
SharpContributionTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SharpContributionTag")
                            .SetParent<Tag>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<SharpContributionTag>();
    return tid;
}

SharpContributionTag::SharpContributionTag() = default;

SharpContributionTag::SharpContributionTag(uint32_t count, uint64_t mask)
    : m_count(count),
      m_mask(mask)
{
}

uint32_t
SharpContributionTag::GetCount() const
{
    return m_count;
}

uint64_t
SharpContributionTag::GetMask() const
{
    return m_mask;
}

TypeId
SharpContributionTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
SharpContributionTag::GetSerializedSize() const
{
    return 12;
}

void
SharpContributionTag::Serialize(TagBuffer i) const
{
    i.WriteU32(m_count);
    i.WriteU64(m_mask);
}

void
SharpContributionTag::Deserialize(TagBuffer i)
{
    m_count = i.ReadU32();
    m_mask = i.ReadU64();
}

void
SharpContributionTag::Print(std::ostream& os) const
{
    os << "contributions=" << m_count << " mask=0x" << std::hex << m_mask << std::dec;
}

} // namespace ns3
