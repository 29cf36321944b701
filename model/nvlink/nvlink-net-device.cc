/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvlink-net-device.h"

#include "nvlink-generation.h"
#include "nvlink-header.h"

#include "ns3/data-rate.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-upper-headers.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvlinkNetDevice");

NS_OBJECT_ENSURE_REGISTERED(NvlinkNetDevice);

TypeId
NvlinkNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NvlinkNetDevice")
            .SetParent<FabricNetDevice>()
            .SetGroupName("AiFabric")
            .AddConstructor<NvlinkNetDevice>()
            .AddAttribute(
                "DataRate",
                "Data rate of the link per direction. Default: 25 GB/s, one NVLink 4 "
                "link (fact sheet §8.1); NvlinkHelper's presets set it per generation.",
                DataRateValue(DataRate("200Gb/s")),
                MakeDataRateAccessor(&FabricNetDevice::SetDataRate, &FabricNetDevice::GetDataRate),
                MakeDataRateChecker())
            .AddAttribute(
                "MaxPayload",
                "Data bytes per NVLink packet: 256 (16 data flits of 16 B; NVLink 1/2, "
                "later generations not public). NvlinkHelper sets it per generation "
                "(NvlinkGetPacketFormat).",
                UintegerValue(NvlinkGetPacketFormat(NvlinkGeneration::NVLINK4).maxPayload),
                MakeUintegerAccessor(&NvlinkNetDevice::m_maxPayload),
                MakeUintegerChecker<uint32_t>(16))
            .AddAttribute("HeaderBytes",
                          "Wire bytes per NVLink packet beyond its data: header flit, CRC and "
                          "protocol overhead. Default 54 B, the calibrated NVLink 4 figure "
                          "(NvlinkGetPacketFormat: an 8 x H100 ring all-reduce at 370 GB/s "
                          "busbw); NvlinkHelper sets it per generation.",
                          UintegerValue(NvlinkGetPacketFormat(NvlinkGeneration::NVLINK4).overhead),
                          MakeUintegerAccessor(&NvlinkNetDevice::m_headerBytes),
                          MakeUintegerChecker<uint32_t>(NvlinkHeader::SIZE));
    return tid;
}

NvlinkNetDevice::NvlinkNetDevice()
{
    NS_LOG_FUNCTION(this);
}

NvlinkNetDevice::~NvlinkNetDevice()
{
    NS_LOG_FUNCTION(this);
}

uint16_t
NvlinkNetDevice::GetGpuId() const
{
    return GetLocalAddress();
}

void
NvlinkNetDevice::SetGpuId(uint16_t id)
{
    if (id == 0 || id == 0xFFFF)
    {
        throw FabricConfigError(Describe(), "GPU id " + std::to_string(id) + " is reserved");
    }
    SetLocalAddress(id);
}

double
NvlinkNetDevice::GetPayloadEfficiency() const
{
    return static_cast<double>(m_maxPayload) / (m_maxPayload + m_headerBytes);
}

std::string
NvlinkNetDevice::DescribeAddress(uint16_t address) const
{
    return "GPU " + std::to_string(address);
}

uint32_t
NvlinkNetDevice::GetPacketCount(uint32_t dataBytes) const
{
    return std::max<uint32_t>(1, (dataBytes + m_maxPayload - 1) / m_maxPayload);
}

uint32_t
NvlinkNetDevice::GetWireBytesForData(uint32_t dataBytes) const
{
    return dataBytes + GetPacketCount(dataBytes) * m_headerBytes;
}

uint32_t
NvlinkNetDevice::GetWireBytes(Ptr<const Packet> packet) const
{
    packet->PeekHeader(m_rxHeader);
    return m_rxHeader.GetPayloadLength() + m_rxHeader.GetPacketCount() * m_headerBytes;
}

uint32_t
NvlinkNetDevice::GetFlowControlPacketBytes() const
{
    // NVLink returns credits in the header flits it sends anyway (the format is not public;
    // a separate packet per transfer unit would make the cost depend on the unit size).
    return 0;
}

uint32_t
NvlinkNetDevice::GetMaxPacketBytes() const
{
    return GetWireBytesForData(GetMtu());
}

void
NvlinkNetDevice::CheckConfiguration()
{
    FabricNetDevice::CheckConfiguration();
    if (GetMtu() < 16)
    {
        throw FabricConfigError(Describe(),
                                "Mtu (the transfer unit) " + std::to_string(GetMtu()) +
                                    " B is below one flit (16 B)");
    }
}

void
NvlinkNetDevice::AddFraming(Ptr<Packet> packet,
                            uint16_t dst,
                            uint8_t sl,
                            uint8_t vl,
                            uint16_t protocol)
{
    const uint32_t upper = packet->GetSize();
    // The transport's headers travel in the NVLink header flits on real hardware; the layer
    // that owns the protocol number says how many bytes they are.
    const uint32_t headers = FabricUpperHeaders::GetBytes(protocol, packet);
    const uint32_t data = upper - std::min(upper, headers);
    if (data > 0xFFFF)
    {
        throw FabricConfigError(Describe(),
                                "a transfer unit of " + std::to_string(data) +
                                    " B exceeds 65535 B");
    }
    m_txHeader.SetVl(vl);
    m_txHeader.SetSl(sl);
    m_txHeader.SetDestination(dst);
    m_txHeader.SetSource(GetGpuId());
    m_txHeader.SetPayloadLength(static_cast<uint16_t>(data));
    m_txHeader.SetPacketCount(static_cast<uint16_t>(GetPacketCount(data)));
    m_txHeader.SetProtocol(protocol);
    m_txHeader.SetUpperHeaderLength(static_cast<uint16_t>(upper - data));
    packet->AddHeader(m_txHeader);
}

uint16_t
NvlinkNetDevice::RemoveFraming(Ptr<Packet> packet, uint16_t& protocol)
{
    packet->RemoveHeader(m_rxHeader);
    protocol = m_rxHeader.GetProtocol();
    return m_rxHeader.GetSource();
}

void
NvlinkNetDevice::RewriteVl(Ptr<Packet> packet, uint8_t vl)
{
    packet->RemoveHeader(m_rxHeader);
    m_rxHeader.SetVl(vl);
    packet->AddHeader(m_rxHeader);
}

} // namespace ns3
