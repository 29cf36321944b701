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
{
    m_deviceFactory.SetTypeId("ns3::IbNetDevice");
    m_channelFactory.SetTypeId("ns3::IbChannel");
    m_switchFactory.SetTypeId("ns3::IbSwitch");
    m_arbiterFactory.SetTypeId("ns3::VlArbiter");
}

IbHelper::~IbHelper() = default;

void
IbHelper::SetDeviceAttribute(std::string name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

void
IbHelper::SetChannelAttribute(std::string name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
}

void
IbHelper::SetSwitchAttribute(std::string name, const AttributeValue& value)
{
    m_switchFactory.Set(name, value);
}

void
IbHelper::SetArbiterAttribute(std::string name, const AttributeValue& value)
{
    m_arbiterFactory.Set(name, value);
}

Ptr<IbSwitch>
IbHelper::InstallSwitch(Ptr<Node> node)
{
    if (node->GetObject<FabricSwitch>())
    {
        throw FabricConfigError("IbHelper",
                                "node " + std::to_string(node->GetId()) + " is already a switch");
    }
    Ptr<IbSwitch> sw = m_switchFactory.Create<IbSwitch>();
    node->AggregateObject(sw);
    return sw;
}

void
IbHelper::InstallSwitch(NodeContainer nodes)
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        InstallSwitch(*it);
    }
}

Ptr<IbNetDevice>
IbHelper::CreatePort(Ptr<Node> node)
{
    Ptr<IbNetDevice> device = m_deviceFactory.Create<IbNetDevice>();
    device->SetAttribute("VlArbiter", PointerValue(m_arbiterFactory.Create<VlArbiter>()));
    node->AddDevice(device);
    if (Ptr<FabricSwitch> sw = node->GetObject<FabricSwitch>())
    {
        sw->AddPort(device);
    }
    return device;
}

NetDeviceContainer
IbHelper::Install(Ptr<Node> a, Ptr<Node> b)
{
    NS_LOG_FUNCTION(this << a << b);
    if (a == b)
    {
        throw FabricConfigError("IbHelper",
                                "cannot cable node " + std::to_string(a->GetId()) + " to itself");
    }
    Ptr<IbNetDevice> devA = CreatePort(a);
    Ptr<IbNetDevice> devB = CreatePort(b);
    Ptr<IbChannel> channel = m_channelFactory.Create<IbChannel>();
    devA->Attach(channel);
    devB->Attach(channel);
    NetDeviceContainer devices;
    devices.Add(devA);
    devices.Add(devB);
    return devices;
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
    PcapHelper pcapHelper;
    std::string filename =
        explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, device);
    Ptr<PcapFileWrapper> file =
        pcapHelper.CreateFile(filename,
                              std::ios::out,
                              static_cast<PcapHelper::DataLinkType>(DLT_ERF));
    device->TraceConnectWithoutContext(promiscuous ? "PromiscSniffer" : "Sniffer",
                                       MakeBoundCallback(&WriteErfRecord, file));
}

void
IbHelper::EnableAsciiInternal(Ptr<OutputStreamWrapper> stream,
                              std::string prefix,
                              Ptr<NetDevice> nd,
                              bool explicitFilename)
{
    Ptr<IbNetDevice> device = nd->GetObject<IbNetDevice>();
    if (!device)
    {
        NS_LOG_INFO("IbHelper::EnableAsciiInternal(): device " << nd << " is not an IbNetDevice");
        return;
    }
    uint32_t nodeid = nd->GetNode()->GetId();
    uint32_t deviceid = nd->GetIfIndex();
    std::ostringstream oss;
    oss << "/NodeList/" << nodeid << "/DeviceList/" << deviceid << "/$ns3::IbNetDevice/";
    if (!stream)
    {
        AsciiTraceHelper asciiTraceHelper;
        std::string filename =
            explicitFilename ? prefix : asciiTraceHelper.GetFilenameFromDevice(prefix, device);
        Ptr<OutputStreamWrapper> theStream = asciiTraceHelper.CreateFileStream(filename);
        device->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithoutContext, theStream));
        device->TraceConnectWithoutContext(
            "PhyRxEnd",
            MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithoutContext, theStream));
        device->TraceConnectWithoutContext(
            "PhyRxDrop",
            MakeBoundCallback(&AsciiTraceHelper::DefaultDropSinkWithoutContext, theStream));
        return;
    }
    Config::Connect(oss.str() + "PhyTxBegin",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithContext, stream));
    Config::Connect(oss.str() + "PhyRxEnd",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithContext, stream));
    Config::Connect(oss.str() + "PhyRxDrop",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultDropSinkWithContext, stream));
}

} // namespace ns3
