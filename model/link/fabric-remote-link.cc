/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-remote-link.h"

#include "fabric-channel.h"
#include "fabric-net-device.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricRemoteLink");

NS_OBJECT_ENSURE_REGISTERED(FabricRemoteLink);

TypeId
FabricRemoteLink::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricRemoteLink").SetParent<Object>().SetGroupName("AiFabric");
    return tid;
}

FabricRemoteLink::FabricRemoteLink() = default;

FabricRemoteLink::~FabricRemoteLink() = default;

uint64_t
FabricRemoteLink::GetMessages() const
{
    return m_messages;
}

void
FabricRemoteLink::DoDispose()
{
    m_port = nullptr;
    m_peer = nullptr;
    Object::DoDispose();
}

void
FabricRemoteLink::Attach(Ptr<FabricNetDevice> port)
{
    Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(port->GetChannel());
    if (!channel || !channel->GetPeer(port))
    {
        throw FabricConfigError(port->Describe(), "a remote link needs a cabled port");
    }
    m_port = port;
    m_peer = channel->GetPeer(port);
    m_lookahead = channel->GetDelay();
}

uint32_t
FabricRemoteLink::Account(Ptr<const Packet> message, Time rxTime)
{
    ++m_messages;
    if (rxTime < Simulator::Now() + m_lookahead)
    {
        throw FabricConfigError(m_port->Describe(),
                                "a message to the far end is due in " +
                                    std::to_string((rxTime - Simulator::Now()).GetNanoSeconds()) +
                                    " ns, sooner than the cable delay (the lookahead)");
    }
    const uint32_t size = message->GetSerializedSize();
    if (size + MPI_ENVELOPE_BYTES > MPI_MESSAGE_LIMIT)
    {
        throw FabricConfigError(m_port->Describe(),
                                "a message of " + std::to_string(size) +
                                    " serialised bytes would not fit ns-3's MPI receive buffers (" +
                                    std::to_string(MPI_MESSAGE_LIMIT) + " bytes)");
    }
    return size;
}

} // namespace ns3
