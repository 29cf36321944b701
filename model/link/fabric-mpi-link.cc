/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-mpi-link.h"

#include "fabric-net-device.h"

#include "ns3/log.h"
#include "ns3/mpi-interface.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricMpiLink");

NS_OBJECT_ENSURE_REGISTERED(FabricMpiLink);

TypeId
FabricMpiLink::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FabricMpiLink")
                            .SetParent<FabricRemoteLink>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<FabricMpiLink>();
    return tid;
}

FabricMpiLink::FabricMpiLink() = default;

FabricMpiLink::~FabricMpiLink() = default;

void
FabricMpiLink::Send(Ptr<Packet> message, Time rxTime)
{
    NS_LOG_FUNCTION(this << message << rxTime);
    Account(message, rxTime);
    MpiInterface::SendPacket(message, rxTime, m_peer->GetNode()->GetId(), m_peer->GetIfIndex());
}

} // namespace ns3
