/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-helper.h"

#include "ns3/config.h"
#include "ns3/fabric-config-error.h"
#include "ns3/ib-channel.h"
#include "ns3/ib-erf-header.h"
#include "ns3/ib-net-device.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbHelper");

namespace
{

/// pcap link type of ERF records (DLT_ERF): what Debian 12's Wireshark decodes as InfiniBand.
constexpr uint32_t DLT_ERF = 197;

/**
 * \brief Write a packet to an ERF pcap: an ERF record header of type InfiniBand, then the
 * packet from its LRH to its VCRC.
 * \param file the capture
 * \param packet the packet
 */
void
WriteErfRecord(Ptr<PcapFileWrapper> file, Ptr<const Packet> packet)
{
    Ptr<Packet> record = packet->Copy();
    IbErfHeader erf;
    erf.SetTimestamp(Simulator::Now());
    erf.SetWireLength(static_cast<uint16_t>(packet->GetSize()));
    erf.SetRecordLength(static_cast<uint16_t>(packet->GetSize() + erf.GetSerializedSize()));
    record->AddHeader(erf);
    file->Write(Simulator::Now(), record);
}

} // namespace

IbHelper::IbHelper()
    : FabricHelper("ns3::IbNetDevice", "ns3::IbChannel", "ns3::IbSwitch")
{
    m_arbiterFactory.SetTypeId("ns3::VlArbiter");
}

IbHelper::~IbHelper() = default;

std::string
IbHelper::GetName() const
{
    return "IbHelper";
}

void
IbHelper::SetArbiterAttribute(std::string name, const AttributeValue& value)
{
    m_arbiterFactory.Set(name, value);
}

Ptr<IbSwitch>
IbHelper::InstallSwitch(Ptr<Node> node)
{
    return DynamicCast<IbSwitch>(CreateSwitch(node));
}

void
IbHelper::InstallSwitch(NodeContainer nodes)
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        InstallSwitch(*it);
    }
}

void
IbHelper::ConfigurePort(Ptr<FabricNetDevice> port)
{
    port->SetAttribute("VlArbiter", PointerValue(m_arbiterFactory.Create<VlArbiter>()));
}

void
IbHelper::EnablePcapInternal(std::string prefix,
                             Ptr<NetDevice> nd,
                             bool promiscuous,
                             bool explicitFilename)
{
    Ptr<IbNetDevice> device = nd->GetObject<IbNetDevice>();
    if (!device)
    {
        NS_LOG_INFO("IbHelper::EnablePcapInternal(): device " << nd << " is not an IbNetDevice");
        return;
    }
    Ptr<PcapFileWrapper> file = OpenPcapFile(prefix, nd, explicitFilename, DLT_ERF);
    device->TraceConnectWithoutContext(promiscuous ? "PromiscSniffer" : "Sniffer",
                                       MakeBoundCallback(&WriteErfRecord, file));
}

} // namespace ns3
