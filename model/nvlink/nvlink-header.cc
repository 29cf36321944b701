/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvlink-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvlinkHeader");

NS_OBJECT_ENSURE_REGISTERED(NvlinkHeader);

TypeId
NvlinkHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NvlinkHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<NvlinkHeader>();
    return tid;
}

NvlinkHeader::NvlinkHeader() = default;

TypeId
NvlinkHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
NvlinkHeader::SetCommand(uint8_t command)
{
    m_command = command;
}

uint8_t
NvlinkHeader::GetCommand() const
{
    return m_command;
}

void
NvlinkHeader::SetVl(uint8_t vl)
{
    NS_ASSERT_MSG(vl < 16, "VL " << +vl << " does not fit 4 bits");
    m_vl = vl & 0x0F;
}

uint8_t
NvlinkHeader::GetVl() const
{
    return m_vl;
}

void
NvlinkHeader::SetSl(uint8_t sl)
{
    NS_ASSERT_MSG(sl < 16, "SL " << +sl << " does not fit 4 bits");
    m_sl = sl & 0x0F;
}

uint8_t
NvlinkHeader::GetSl() const
{
    return m_sl;
}

void
NvlinkHeader::SetDestination(uint16_t id)
{
    m_dst = id;
}

uint16_t
NvlinkHeader::GetDestination() const
{
    return m_dst;
}

void
NvlinkHeader::SetSource(uint16_t id)
{
    m_src = id;
}

uint16_t
NvlinkHeader::GetSource() const
{
    return m_src;
}

void
NvlinkHeader::SetPayloadLength(uint16_t bytes)
{
    m_length = bytes;
}

uint16_t
NvlinkHeader::GetPayloadLength() const
{
    return m_length;
}

void
NvlinkHeader::SetPacketCount(uint16_t packets)
{
    m_packets = packets;
}

uint16_t
NvlinkHeader::GetPacketCount() const
{
    return m_packets;
}

void
NvlinkHeader::SetProtocol(uint16_t protocol)
{
    m_protocol = protocol;
}

uint16_t
NvlinkHeader::GetProtocol() const
{
    return m_protocol;
}

void
NvlinkHeader::SetUpperHeaderLength(uint16_t bytes)
{
    m_upperHeaders = bytes;
}

uint16_t
NvlinkHeader::GetUpperHeaderLength() const
{
    return m_upperHeaders;
}

void
NvlinkHeader::SetCrc(uint16_t crc)
{
    m_crc = crc;
}

uint16_t
NvlinkHeader::GetCrc() const
{
    return m_crc;
}

void
NvlinkHeader::Print(std::ostream& os) const
{
    os << "cmd=0x" << std::hex << +m_command << std::dec << " vl=" << +m_vl << " sl=" << +m_sl
       << " dst=GPU " << m_dst << " src=GPU " << m_src << " length=" << m_length
       << " packets=" << m_packets << " protocol=" << m_protocol
       << " upper-headers=" << m_upperHeaders;
}

uint32_t
NvlinkHeader::GetSerializedSize() const
{
    return SIZE;
}

void
NvlinkHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(m_command);
    start.WriteU8(static_cast<uint8_t>((m_vl << 4) | m_sl));
    start.WriteHtonU16(m_dst);
    start.WriteHtonU16(m_src);
    start.WriteHtonU16(m_length);
    start.WriteHtonU16(m_packets);
    start.WriteHtonU16(m_protocol);
    start.WriteHtonU16(m_upperHeaders);
    start.WriteHtonU16(m_crc);
}

uint32_t
NvlinkHeader::Deserialize(Buffer::Iterator start)
{
    m_command = start.ReadU8();
    const uint8_t lanes = start.ReadU8();
    m_vl = lanes >> 4;
    m_sl = lanes & 0x0F;
    m_dst = start.ReadNtohU16();
    m_src = start.ReadNtohU16();
    m_length = start.ReadNtohU16();
    m_packets = start.ReadNtohU16();
    m_protocol = start.ReadNtohU16();
    m_upperHeaders = start.ReadNtohU16();
    m_crc = start.ReadNtohU16();
    return SIZE;
}

} // namespace ns3
