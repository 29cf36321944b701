/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "in-network-endpoint.h"

#include "ns3/fabric-config-error.h"
#include "ns3/ib-bth-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("InNetworkEndpoint");

NS_OBJECT_ENSURE_REGISTERED(InNetworkEndpoint);

TypeId
InNetworkEndpoint::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::InNetworkEndpoint")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<InNetworkEndpoint>()
            .AddTraceSource("OperationComplete",
                            "An in-network operation of this endpoint completed: group, "
                            "sequence.",
                            MakeTraceSourceAccessor(&InNetworkEndpoint::m_operationTrace),
                            "ns3::InNetworkEndpoint::OperationTracedCallback");
    return tid;
}

InNetworkEndpoint::InNetworkEndpoint() = default;

InNetworkEndpoint::~InNetworkEndpoint() = default;

void
InNetworkEndpoint::DoDispose()
{
    m_sharpGroups.clear();
    m_sharpPort.reset();
    Object::DoDispose();
}

void
InNetworkEndpoint::SetSharpPort(Ptr<FabricNetDevice> hca)
{
    if (m_sharpPort)
    {
        if (m_sharpPort->GetDevice() != hca)
        {
            throw FabricConfigError("InNetworkEndpoint",
                                    "a node has one SHARP port; " + hca->Describe() +
                                        " is a second");
        }
        return;
    }
    m_sharpPort = std::make_unique<InNetworkPort>();
    m_sharpPort->Attach(hca, false, 0);
}

void
InNetworkEndpoint::JoinSharpGroup(uint16_t group,
                                  uint16_t leaf,
                                  uint32_t member,
                                  uint32_t members,
                                  uint32_t osts)
{
    if (!m_sharpPort)
    {
        throw FabricConfigError("InNetworkEndpoint", "JoinSharpGroup before SetSharpPort");
    }
    if (m_sharpGroups.count(group))
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "already a member of SHARP group " + std::to_string(group));
    }
    SharpGroup& g = m_sharpGroups[group];
    g.leaf = leaf;
    g.member = member;
    g.members = members;
    g.osts = std::max<uint32_t>(osts, 1);
}

void
InNetworkEndpoint::LeaveSharpGroup(uint16_t group)
{
    m_sharpGroups.erase(group);
}

void
InNetworkEndpoint::PostSharp(uint16_t group,
                             uint32_t sequence,
                             uint32_t bytes,
                             OperationCallback done)
{
    auto it = m_sharpGroups.find(group);
    if (it == m_sharpGroups.end())
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "not a member of SHARP group " + std::to_string(group));
    }
    Operation op;
    op.sequence = sequence;
    op.bytes = bytes;
    op.done = done;
    it->second.waiting.push_back(op);
    StartSharp(group, it->second);
}

void
InNetworkEndpoint::StartSharp(uint16_t id, SharpGroup& g)
{
    const uint32_t mtu = m_sharpPort->GetDevice()->GetMtu();
    while (g.active < g.osts && !g.waiting.empty())
    {
        Operation op = g.waiting.front();
        g.waiting.pop_front();
        ++g.active;
        SharpHeader header;
        header.SetOpcode(SharpHeader::AGGREGATE);
        header.SetGroup(id);
        header.SetSequence(op.sequence);
        header.SetLength(op.bytes);
        const SharpContributionTag own(1, g.member < 64 ? (uint64_t{1} << g.member) : 0);
        const uint32_t sequence = op.sequence;
        const uint32_t bytes = op.bytes;
        g.inFlight[sequence] = std::move(op);
        for (uint32_t offset = 0; offset < bytes; offset += mtu)
        {
            const uint32_t length = std::min(mtu, bytes - offset);
            header.SetOffset(offset);
            header.SetLength(length);
            m_sharpPort->Send(header, length, g.leaf, InNetworkPort::SWITCH_QPN, own);
            m_sharpSent += length;
        }
    }
}

bool
InNetworkEndpoint::Receive(Ptr<NetDevice> device,
                           Ptr<const Packet> packet,
                           uint16_t protocol,
                           const Address& from)
{
    Ptr<Packet> copy = packet->Copy();
    IbBthHeader bth;
    copy->RemoveHeader(bth);
    if (bth.GetDestQp() != InNetworkPort::ENDPOINT_QPN)
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "received a packet for queue pair " +
                                    std::to_string(bth.GetDestQp()) +
                                    ", which neither the RDMA engine nor the in-network "
                                    "endpoint has");
    }
    SharpHeader header;
    copy->RemoveHeader(header);
    SharpContributionTag tag;
    packet->PeekPacketTag(tag);
    switch (header.GetOpcode())
    {
    case SharpHeader::RESULT:
        OnSharpResult(header, tag);
        break;
    default:
        throw FabricConfigError("InNetworkEndpoint",
                                "received in-network opcode " + std::to_string(header.GetOpcode()));
    }
    return true;
}

void
InNetworkEndpoint::OnSharpResult(const SharpHeader& header, const SharpContributionTag& tag)
{
    auto git = m_sharpGroups.find(header.GetGroup());
    if (git == m_sharpGroups.end())
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "result for SHARP group " + std::to_string(header.GetGroup()) +
                                    ", which it is not a member of");
    }
    SharpGroup& g = git->second;
    auto it = g.inFlight.find(header.GetSequence());
    if (it == g.inFlight.end())
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "result for SHARP operation " +
                                    std::to_string(header.GetSequence()) + " not in flight");
    }
    const uint64_t all = g.members >= 64 ? ~uint64_t{0} : ((uint64_t{1} << g.members) - 1);
    if (tag.GetCount() != g.members || (g.members <= 64 && tag.GetMask() != all))
    {
        ++m_contributionErrors;
    }
    Operation& op = it->second;
    op.received += header.GetLength();
    m_sharpReceived += header.GetLength();
    if (op.received < op.bytes)
    {
        return;
    }
    OperationCallback done = op.done;
    const uint32_t sequence = op.sequence;
    const uint16_t id = header.GetGroup();
    g.inFlight.erase(it);
    --g.active;
    StartSharp(id, g);
    m_operationTrace(id, sequence);
    if (!done.IsNull())
    {
        done(id, sequence);
    }
}

uint64_t
InNetworkEndpoint::GetContributionErrors() const
{
    return m_contributionErrors;
}

uint64_t
InNetworkEndpoint::GetSharpBytesSent() const
{
    return m_sharpSent;
}

uint64_t
InNetworkEndpoint::GetSharpBytesReceived() const
{
    return m_sharpReceived;
}

} // namespace ns3
