/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-loopback-link.h"

#include "fabric-net-device.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricLoopbackLink");

NS_OBJECT_ENSURE_REGISTERED(FabricLoopbackLink);

TypeId
FabricLoopbackLink::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FabricLoopbackLink")
                            .SetParent<FabricRemoteLink>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<FabricLoopbackLink>();
    return tid;
}

FabricLoopbackLink::FabricLoopbackLink() = default;

FabricLoopbackLink::~FabricLoopbackLink() = default;

uint64_t
FabricLoopbackLink::GetSerializedBytes() const
{
    return m_serializedBytes;
}

void
FabricLoopbackLink::Send(Ptr<Packet> message, Time rxTime)
{
    NS_LOG_FUNCTION(this << message << rxTime);
    // As MpiInterface::SendPacket: the packet's serialised form, rebuilt on the far side.
    const uint32_t size = Account(message, rxTime);
    std::vector<uint8_t> bytes(size);
    if (message->Serialize(bytes.data(), static_cast<uint32_t>(bytes.size())) == 0)
    {
        throw FabricConfigError(m_port->Describe(), "could not serialise a message");
    }
    m_serializedBytes += bytes.size();
    Ptr<Packet> rebuilt = Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()), true);
    Simulator::ScheduleWithContext(m_peer->GetNode()->GetId(),
                                   rxTime - Simulator::Now(),
                                   &FabricNetDevice::ReceiveRemote,
                                   m_peer,
                                   rebuilt);
}

} // namespace ns3
