/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "mpi-distributed-relay.h"

#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-net-device.h"
#include "ns3/log.h"
#include "ns3/mpi-interface.h"
#include "ns3/mpi-receiver.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/simple-net-device.h"
#include "ns3/simulator.h"

#include <cstring>
#include <mpi.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MpiDistributedRelay");

NS_OBJECT_ENSURE_REGISTERED(MpiDistributedRelay);

TypeId
MpiDistributedRelay::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MpiDistributedRelay")
                            .SetParent<DistributedRelay>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<MpiDistributedRelay>();
    return tid;
}

MpiDistributedRelay::MpiDistributedRelay() = default;

MpiDistributedRelay::~MpiDistributedRelay() = default;

void
MpiDistributedRelay::Install()
{
    if (!MpiInterface::IsEnabled())
    {
        throw FabricConfigError("MpiDistributedRelay", "MpiInterface::Enable has not been called");
    }
    // The lookahead: the shortest cable between two processes.
    m_lookahead = Time::Max();
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(d));
            Ptr<FabricChannel> channel =
                port ? DynamicCast<FabricChannel>(port->GetChannel()) : nullptr;
            Ptr<FabricNetDevice> peer = channel ? channel->GetPeer(port) : nullptr;
            if (peer && peer->GetNode()->GetSystemId() != node->GetSystemId())
            {
                m_lookahead = std::min(m_lookahead, channel->GetDelay());
            }
        }
    }
    if (m_lookahead == Time::Max())
    {
        m_lookahead = Time(); // nothing is cut: no message will be sent
    }
    const uint32_t local = MpiInterface::GetSystemId();
    m_mailbox.clear();
    for (uint32_t s = 0; s < MpiInterface::GetSize(); ++s)
    {
        Ptr<Node> node = CreateObject<Node>(s);
        Ptr<SimpleNetDevice> device = CreateObject<SimpleNetDevice>();
        node->AddDevice(device);
        if (s == local)
        {
            Ptr<MpiReceiver> receiver = CreateObject<MpiReceiver>();
            receiver->SetReceiveCallback(MakeCallback(&MpiDistributedRelay::Receive, this));
            device->AggregateObject(receiver);
        }
        m_mailbox.push_back(node->GetId());
    }
    NS_LOG_INFO("system " << local << " of " << m_mailbox.size() << ", lookahead "
                          << m_lookahead.As(Time::NS));
}

uint32_t
MpiDistributedRelay::GetSystemId() const
{
    return MpiInterface::GetSystemId();
}

uint32_t
MpiDistributedRelay::GetSystemCount() const
{
    return MpiInterface::GetSize();
}

Time
MpiDistributedRelay::GetLookahead() const
{
    return m_lookahead;
}

uint64_t
MpiDistributedRelay::GetMessagesSent() const
{
    return m_sent;
}

void
MpiDistributedRelay::SendCompletion(uint32_t system, uint32_t index)
{
    if (system >= m_mailbox.size())
    {
        throw FabricConfigError("MpiDistributedRelay",
                                "no mailbox for process " + std::to_string(system) +
                                    " (Install not called?)");
    }
    const int64_t when = Simulator::Now().GetTimeStep();
    uint8_t bytes[sizeof(index) + sizeof(when)];
    std::memcpy(bytes, &index, sizeof(index));
    std::memcpy(bytes + sizeof(index), &when, sizeof(when));
    ++m_sent;
    MpiInterface::SendPacket(Create<Packet>(bytes, sizeof(bytes)),
                             Simulator::Now() + m_lookahead,
                             m_mailbox[system],
                             0);
}

void
MpiDistributedRelay::Receive(Ptr<Packet> message)
{
    uint32_t index = 0;
    int64_t when = 0;
    uint8_t bytes[sizeof(index) + sizeof(when)];
    if (message->CopyData(bytes, sizeof(bytes)) != sizeof(bytes))
    {
        throw FabricConfigError("MpiDistributedRelay", "a completion message was truncated");
    }
    std::memcpy(&index, bytes, sizeof(index));
    std::memcpy(&when, bytes + sizeof(index), sizeof(when));
    Deliver(index, TimeStep(when));
}

void
MpiDistributedRelay::AllReduce(std::vector<int64_t>& maxima, std::vector<uint64_t>& sums)
{
    MPI_Comm comm = MpiInterface::GetCommunicator();
    if (!maxima.empty())
    {
        MPI_Allreduce(MPI_IN_PLACE,
                      maxima.data(),
                      static_cast<int>(maxima.size()),
                      MPI_INT64_T,
                      MPI_MAX,
                      comm);
    }
    if (!sums.empty())
    {
        MPI_Allreduce(MPI_IN_PLACE,
                      sums.data(),
                      static_cast<int>(sums.size()),
                      MPI_UINT64_T,
                      MPI_SUM,
                      comm);
    }
}

} // namespace ns3
