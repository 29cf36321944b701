/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-helper.h"

#include "ns3/config.h"
#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricHelper");

FabricHelper::FabricHelper(const std::string& device,
                           const std::string& channel,
                           const std::string& sw)
{
    m_deviceFactory.SetTypeId(device);
    m_channelFactory.SetTypeId(channel);
    m_switchFactory.SetTypeId(sw);
}

FabricHelper::~FabricHelper() = default;

void
FabricHelper::SetDeviceAttribute(std::string name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

void
FabricHelper::SetChannelAttribute(std::string name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
}

void
FabricHelper::SetSwitchAttribute(std::string name, const AttributeValue& value)
{
    m_switchFactory.Set(name, value);
}

Ptr<FabricSwitch>
FabricHelper::CreateSwitch(Ptr<Node> node)
{
    if (node->GetObject<FabricSwitch>())
    {
        throw FabricConfigError(GetName(),
                                "node " + std::to_string(node->GetId()) + " is already a switch");
    }
    Ptr<FabricSwitch> sw = m_switchFactory.Create<FabricSwitch>();
    node->AggregateObject(sw);
    return sw;
}

void
FabricHelper::ConfigurePort(Ptr<FabricNetDevice> port)
{
}

Ptr<FabricNetDevice>
FabricHelper::CreatePort(Ptr<Node> node)
{
    Ptr<FabricNetDevice> device = m_deviceFactory.Create<FabricNetDevice>();
    ConfigurePort(device);
    node->AddDevice(device);
    if (Ptr<FabricSwitch> sw = node->GetObject<FabricSwitch>())
    {
        sw->AddPort(device);
    }
    return device;
}

NetDeviceContainer
FabricHelper::Install(Ptr<Node> a, Ptr<Node> b)
{
    NS_LOG_FUNCTION(this << a << b);
    if (a == b)
    {
        throw FabricConfigError(GetName(),
                                "cannot cable node " + std::to_string(a->GetId()) + " to itself");
    }
    Ptr<FabricNetDevice> devA = CreatePort(a);
    Ptr<FabricNetDevice> devB = CreatePort(b);
    Ptr<FabricChannel> channel = m_channelFactory.Create<FabricChannel>();
    devA->Attach(channel);
    devB->Attach(channel);
    NetDeviceContainer devices;
    devices.Add(devA);
    devices.Add(devB);
    return devices;
}

Ptr<PcapFileWrapper>
FabricHelper::OpenPcapFile(std::string prefix,
                           Ptr<NetDevice> nd,
                           bool explicitFilename,
                           uint32_t linkType)
{
    PcapHelper pcapHelper;
    std::string filename = explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, nd);
    return pcapHelper.CreateFile(filename,
                                 std::ios::out,
                                 static_cast<PcapHelper::DataLinkType>(linkType));
}

void
FabricHelper::EnableAsciiInternal(Ptr<OutputStreamWrapper> stream,
                                  std::string prefix,
                                  Ptr<NetDevice> nd,
                                  bool explicitFilename)
{
    Ptr<FabricNetDevice> device = nd->GetObject<FabricNetDevice>();
    if (!device)
    {
        NS_LOG_INFO(GetName() << "::EnableAsciiInternal(): " << nd << " is not a fabric port");
        return;
    }
    if (!stream)
    {
        // A file of its own: no context needed.
        AsciiTraceHelper asciiTraceHelper;
        std::string filename =
            explicitFilename ? prefix : asciiTraceHelper.GetFilenameFromDevice(prefix, device);
        Ptr<OutputStreamWrapper> file = asciiTraceHelper.CreateFileStream(filename);
        device->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithoutContext, file));
        device->TraceConnectWithoutContext(
            "PhyRxEnd",
            MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithoutContext, file));
        device->TraceConnectWithoutContext(
            "PhyRxDrop",
            MakeBoundCallback(&AsciiTraceHelper::DefaultDropSinkWithoutContext, file));
        return;
    }
    // A shared stream: lines carry their trace path.
    std::ostringstream path;
    path << "/NodeList/" << nd->GetNode()->GetId() << "/DeviceList/" << nd->GetIfIndex()
         << "/$ns3::FabricNetDevice/";
    Config::Connect(path.str() + "PhyTxBegin",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithContext, stream));
    Config::Connect(path.str() + "PhyRxEnd",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithContext, stream));
    Config::Connect(path.str() + "PhyRxDrop",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultDropSinkWithContext, stream));
}

} // namespace ns3
