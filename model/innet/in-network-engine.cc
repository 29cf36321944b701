/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "in-network-engine.h"

#include "ns3/fabric-config-error.h"
#include "ns3/ib-bth-header.h"
#include "ns3/log.h"
#include "ns3/mac16-address.h"
#include "ns3/node.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("InNetworkEngine");

NS_OBJECT_ENSURE_REGISTERED(InNetworkEngine);

TypeId
InNetworkEngine::GetTypeId()
{
    static TypeId tid = TypeId("ns3::InNetworkEngine").SetParent<Object>().SetGroupName("AiFabric");
    return tid;
}

InNetworkEngine::InNetworkEngine() = default;

InNetworkEngine::~InNetworkEngine() = default;

void
InNetworkEngine::DoDispose()
{
    m_switch = nullptr;
    m_device = nullptr;
    Object::DoDispose();
}

std::string
InNetworkEngine::Describe() const
{
    std::ostringstream os;
    os << GetInstanceTypeId().GetName().substr(5);
    if (m_switch)
    {
        os << " of " << m_switch->Describe();
    }
    return os.str();
}

void
InNetworkEngine::Install(Ptr<FabricSwitch> sw, uint16_t address)
{
    NS_LOG_FUNCTION(this << sw << address);
    if (m_switch)
    {
        throw FabricConfigError(Describe(), "is already installed");
    }
    if (sw->GetRoute(address) != FabricSwitch::NO_ROUTE)
    {
        throw FabricConfigError(Describe(),
                                "address " + sw->DescribeAddress(address) +
                                    " is already routed by the switch");
    }
    for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
    {
        if (sw->HasEgress(p))
        {
            throw FabricConfigError(Describe(),
                                    "cannot be installed while packets wait in the switch");
        }
    }
    Ptr<Node> node = sw->GetObject<Node>();
    Ptr<FabricNetDevice> engineSide;
    Ptr<FabricNetDevice> switchSide;
    Ptr<FabricChannel> channel;
    CreateInternalLink(engineSide, switchSide, channel);
    // Same MTU as the switch's other ports, so whatever they forward fits.
    if (sw->GetNPorts() > 0)
    {
        engineSide->SetMtu(sw->GetPort(0)->GetMtu());
        switchSide->SetMtu(sw->GetPort(0)->GetMtu());
    }
    engineSide->SetDataRate(m_rate);
    switchSide->SetDataRate(m_rate);
    // The engine feeds every port of the chip at once (a reduction's result to each child, a
    // multicast to each member): its input buffers in the crossbar hold two packets for each
    // of the switch's ports, or a 64 KiB buffer would let it keep only 16 of them busy
    // [assumed: on-chip buffering is not public].
    const uint32_t packet = switchSide->GetMtu() + 256;
    const auto buffer = static_cast<uint32_t>(
        std::max<uint64_t>(65536, uint64_t{2} * packet * (sw->GetNPorts() + 1)));
    engineSide->SetAttribute("RxBufferSize", UintegerValue(buffer));
    switchSide->SetAttribute("RxBufferSize", UintegerValue(buffer));
    // Inside one chip: the shortest delay a channel takes (it must be > 0).
    channel->SetAttribute("Delay", TimeValue(NanoSeconds(1)));
    node->AddDevice(engineSide);
    node->AddDevice(switchSide);
    m_internalPort = sw->AddPort(switchSide);
    engineSide->Attach(channel);
    switchSide->Attach(channel);
    SetDeviceAddress(engineSide, address);
    sw->SetRoute(address, m_internalPort);
    engineSide->SetReceiveCallback(MakeCallback(&InNetworkEngine::Receive, this));
    m_out.Attach(engineSide, false, 0);
    m_switch = sw;
    m_device = engineSide;
    m_address = address;
}

uint16_t
InNetworkEngine::GetAddress() const
{
    return m_address;
}

Ptr<FabricSwitch>
InNetworkEngine::GetSwitch() const
{
    return m_switch;
}

uint16_t
InNetworkEngine::GetInternalPort() const
{
    return m_internalPort;
}

Ptr<FabricNetDevice>
InNetworkEngine::GetDevice() const
{
    return m_device;
}

Time
InNetworkEngine::GetAggregationLatency() const
{
    return m_latency;
}

DataRate
InNetworkEngine::GetReductionRate() const
{
    return m_rate;
}

void
InNetworkEngine::AddRoute(uint16_t address, uint16_t port)
{
    m_switch->SetRoute(address, port);
}

void
InNetworkEngine::SendPacket(const SharpHeader& header,
                            uint32_t dataBytes,
                            uint16_t dst,
                            uint32_t qpn,
                            const SharpContributionTag& tag,
                            bool urgent)
{
    m_out.Send(header, dataBytes, dst, qpn, tag, urgent);
}

bool
InNetworkEngine::Receive(Ptr<NetDevice> device,
                         Ptr<const Packet> packet,
                         uint16_t protocol,
                         const Address& from)
{
    IbBthHeader bth;
    Ptr<Packet> copy = packet->Copy();
    copy->RemoveHeader(bth);
    SharpHeader header;
    copy->RemoveHeader(header);
    SharpContributionTag tag;
    packet->PeekPacketTag(tag);
    uint8_t raw[2];
    Mac16Address::ConvertFrom(from).CopyTo(raw);
    HandlePacket(header, tag, static_cast<uint16_t>((raw[0] << 8) | raw[1]));
    return true;
}

} // namespace ns3
