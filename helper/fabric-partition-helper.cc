/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-partition-helper.h"

#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-loopback-link.h"
#include "ns3/log.h"

#ifdef AIFABRIC_HAVE_MPI
#include "ns3/fabric-mpi-link.h"
#include "ns3/mpi-interface.h"
#include "ns3/mpi-receiver.h"
#endif

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricPartitionHelper");

std::vector<Ptr<FabricNetDevice>>
FabricPartitionHelper::GetCutPorts(const NodeContainer& nodes)
{
    std::vector<Ptr<FabricNetDevice>> cut;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Node> node = nodes.Get(i);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(d));
            Ptr<FabricChannel> channel =
                port ? DynamicCast<FabricChannel>(port->GetChannel()) : nullptr;
            Ptr<FabricNetDevice> peer = channel ? channel->GetPeer(port) : nullptr;
            if (peer && peer->GetNode()->GetSystemId() != node->GetSystemId())
            {
                cut.push_back(port);
            }
        }
    }
    return cut;
}

uint32_t
FabricPartitionHelper::InstallLoopback(const NodeContainer& nodes)
{
    const auto cut = GetCutPorts(nodes);
    for (const auto& port : cut)
    {
        port->SetRemoteLink(CreateObject<FabricLoopbackLink>());
    }
    NS_LOG_INFO(cut.size() << " ports on cut cables, through loopback links");
    return static_cast<uint32_t>(cut.size());
}

bool
FabricPartitionHelper::HaveMpi()
{
#ifdef AIFABRIC_HAVE_MPI
    return true;
#else
    return false;
#endif
}

uint32_t
FabricPartitionHelper::InstallMpi(const NodeContainer& nodes)
{
#ifdef AIFABRIC_HAVE_MPI
    const uint32_t local = MpiInterface::GetSystemId();
    uint32_t installed = 0;
    for (const auto& port : GetCutPorts(nodes))
    {
        if (port->GetNode()->GetSystemId() != local)
        {
            continue; // the far end's process gives it its link
        }
        port->SetRemoteLink(CreateObject<FabricMpiLink>());
        Ptr<MpiReceiver> receiver = port->GetObject<MpiReceiver>();
        if (!receiver)
        {
            receiver = CreateObject<MpiReceiver>();
            port->AggregateObject(receiver);
        }
        receiver->SetReceiveCallback(MakeCallback(&FabricNetDevice::ReceiveRemote, port));
        ++installed;
    }
    NS_LOG_INFO("system " << local << ": " << installed << " ports on cut cables");
    return installed;
#else
    (void)nodes;
    throw FabricConfigError("FabricPartitionHelper::InstallMpi",
                            "ai-fabric was built without ns-3's mpi module: build ns-3 with "
                            "--enable-mpi and the module in-tree (doc/distributed.md)");
#endif
}

} // namespace ns3
