/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "in-network-endpoint.h"

#include "ns3/fabric-config-error.h"
#include "ns3/ib-bth-header.h"
#include "ns3/log.h"
#include "ns3/mac16-address.h"
#include "ns3/node.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("InNetworkEndpoint");

NS_OBJECT_ENSURE_REGISTERED(InNetworkEndpoint);

namespace
{

/**
 * \param port an NVLink link
 * \return data bytes per NVLS packet: the transfer unit (the in-network header travels in the
 * NVLink header flits, see NvlinkNetDevice)
 */
uint32_t
NvlsUnit(const InNetworkPort& port)
{
    return port.GetDevice()->GetMtu();
}

} // namespace

TypeId
InNetworkEndpoint::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::InNetworkEndpoint")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<InNetworkEndpoint>()
            .AddAttribute("NvlsWindow",
                          "NVLS load-reduce bytes a GPU may have asked for and not yet received. "
                          "Default 256 KiB [calibrated]: on 8 x H100, all-reduce of 16 MiB to "
                          "1 GiB is fastest with it among 128 KiB to 2 MiB (a larger window "
                          "queues read answers ahead of the stores that follow them). Two "
                          "NCCL_NVLS_CHUNKSIZE chunks (128 KiB, fact sheet §8.5).",
                          UintegerValue(256 * 1024),
                          MakeUintegerAccessor(&InNetworkEndpoint::m_nvlsWindow),
                          MakeUintegerChecker<uint64_t>(1))
            .AddTraceSource("OperationComplete",
                            "An in-network operation of this endpoint completed: group, "
                            "sequence.",
                            MakeTraceSourceAccessor(&InNetworkEndpoint::m_operationTrace),
                            "ns3::InNetworkEndpoint::OperationTracedCallback");
    return tid;
}

InNetworkEndpoint::InNetworkEndpoint()
    : m_nvlsWindow(256 * 1024)
{
}

InNetworkEndpoint::~InNetworkEndpoint() = default;

void
InNetworkEndpoint::DoDispose()
{
    m_sharpGroups.clear();
    m_sharpPort.reset();
    m_nvlsLinks.clear();
    m_loads.clear();
    m_loadQueue.clear();
    m_storeCallbacks.clear();
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
    case SharpHeader::READ:
    case SharpHeader::REDUCED:
    case SharpHeader::STORE_DATA: {
        uint8_t raw[2];
        Mac16Address::ConvertFrom(from).CopyTo(raw);
        OnNvls(header, tag, static_cast<uint16_t>((raw[0] << 8) | raw[1]));
        break;
    }
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

void
InNetworkEndpoint::AddNvlsLink(Ptr<FabricNetDevice> link, Ptr<NvlsEngine> engine)
{
    for (const auto& port : m_nvlsLinks)
    {
        if (port->GetDevice() == link)
        {
            return;
        }
    }
    if (Ptr<NvlinkNetDevice> nvlink = DynamicCast<NvlinkNetDevice>(link))
    {
        m_gpuId = nvlink->GetGpuId();
    }
    m_nvlsLinks.push_back(std::make_unique<InNetworkPort>());
    m_nvlsLinks.back()->Attach(link, true, 0);
    m_linkEngine.push_back(engine);
    m_engineLinks[engine->GetAddress()].push_back(static_cast<uint32_t>(m_nvlsLinks.size() - 1));
    m_allLinks.push_back(static_cast<uint32_t>(m_nvlsLinks.size() - 1));
}

bool
InNetworkEndpoint::HasNvlsLinks() const
{
    return !m_nvlsLinks.empty();
}

void
InNetworkEndpoint::JoinNvlsGroup(uint16_t group, uint32_t member, uint32_t members)
{
    m_nvlsGroups[group] = {member, members};
}

void
InNetworkEndpoint::LeaveNvlsGroup(uint16_t group)
{
    m_nvlsGroups.erase(group);
}

void
InNetworkEndpoint::SetStoreCallback(uint16_t group, StoreCallback cb)
{
    m_storeCallbacks[group] = cb;
}

InNetworkPort&
InNetworkEndpoint::LinkTo(uint16_t engine)
{
    auto it = m_engineLinks.find(engine);
    if (it == m_engineLinks.end())
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "has no NVLink link to the NVLS engine at address " +
                                    std::to_string(engine));
    }
    return *m_nvlsLinks[LeastLoaded(it->second, m_engineNext[engine])];
}

uint32_t
InNetworkEndpoint::LeastLoaded(const std::vector<uint32_t>& links, uint32_t& next)
{
    // The link with the fewest bytes waiting, ties in turn: packets of different sizes
    // (requests and data) would pile up on some links if sent strictly in turn.
    uint32_t best = links[next % links.size()];
    for (size_t k = 1; k < links.size(); ++k)
    {
        const uint32_t l = links[(next + k) % links.size()];
        if (m_nvlsLinks[l]->GetBacklogBytes() < m_nvlsLinks[best]->GetBacklogBytes())
        {
            best = l;
        }
    }
    ++next;
    return best;
}

void
InNetworkEndpoint::PostLoadReduce(uint16_t group,
                                  uint32_t sequence,
                                  uint64_t bytes,
                                  OperationCallback done)
{
    if (m_nvlsLinks.empty() || !m_nvlsGroups.count(group))
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "NVLS load-reduce on multicast object " + std::to_string(group) +
                                    ", which this GPU has not joined");
    }
    NvlsOperation op;
    op.group = group;
    op.sequence = sequence;
    op.bytes = bytes;
    op.done = done;
    if (!m_loads.emplace(std::make_pair(group, sequence), op).second)
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "NVLS operation " + std::to_string(sequence) + " of group " +
                                    std::to_string(group) + " is running already");
    }
    m_loadQueue.push_back(op);
    IssueLoadReduces();
}

void
InNetworkEndpoint::IssueLoadReduces()
{
    while (!m_loadQueue.empty() && m_outstanding < m_nvlsWindow)
    {
        NvlsOperation& op = m_loadQueue.front();
        const uint32_t link = LeastLoaded(m_allLinks, m_nextLink);
        InNetworkPort& port = *m_nvlsLinks[link];
        Ptr<NvlsEngine> engine = m_linkEngine[link];
        const uint32_t unit = NvlsUnit(port);
        const auto length =
            static_cast<uint32_t>(std::min<uint64_t>(unit, op.bytes - op.requested));
        SharpHeader header;
        header.SetOpcode(SharpHeader::LOAD_REDUCE);
        header.SetGroup(op.group);
        header.SetSequence(op.sequence);
        header.SetOffset(static_cast<uint32_t>(op.requested));
        header.SetLength(length);
        // The request stands for one read per NVLink packet of data (NvlsEngine RequestBytes).
        port.Send(header,
                  engine->GetRequestBytes(length),
                  engine->GetAddress(),
                  InNetworkPort::SWITCH_QPN,
                  SharpContributionTag(),
                  true);
        op.requested += length;
        m_outstanding += length;
        if (op.requested >= op.bytes)
        {
            m_loadQueue.pop_front();
        }
    }
}

void
InNetworkEndpoint::PostStore(uint16_t group, uint32_t sequence, uint64_t bytes)
{
    auto it = m_nvlsGroups.find(group);
    if (m_nvlsLinks.empty() || it == m_nvlsGroups.end())
    {
        throw FabricConfigError("InNetworkEndpoint",
                                "NVLS store on multicast object " + std::to_string(group) +
                                    ", which this GPU has not joined");
    }
    const uint32_t member = it->second.first;
    const SharpContributionTag own(1, member < 64 ? (uint64_t{1} << member) : 0);
    for (uint64_t offset = 0; offset < bytes;)
    {
        const uint32_t link = LeastLoaded(m_allLinks, m_nextLink);
        InNetworkPort& port = *m_nvlsLinks[link];
        const uint16_t engine = m_linkEngine[link]->GetAddress();
        const uint32_t unit = NvlsUnit(port);
        const auto length = static_cast<uint32_t>(std::min<uint64_t>(unit, bytes - offset));
        SharpHeader header;
        header.SetOpcode(SharpHeader::STORE);
        header.SetGroup(group);
        header.SetSequence(sequence);
        header.SetOffset(static_cast<uint32_t>(offset));
        header.SetLength(length);
        port.Send(header, length, engine, InNetworkPort::SWITCH_QPN, own);
        offset += length;
    }
}

void
InNetworkEndpoint::OnNvls(const SharpHeader& header, const SharpContributionTag& tag, uint16_t from)
{
    switch (header.GetOpcode())
    {
    case SharpHeader::READ: {
        auto it = m_nvlsGroups.find(header.GetGroup());
        if (it == m_nvlsGroups.end())
        {
            throw FabricConfigError("InNetworkEndpoint",
                                    "NVLS read of multicast object " +
                                        std::to_string(header.GetGroup()) +
                                        ", which this GPU has not joined");
        }
        const uint32_t member = it->second.first;
        SharpHeader answer = header;
        answer.SetOpcode(SharpHeader::READ_DATA);
        LinkTo(from).Send(answer,
                          header.GetLength(),
                          from,
                          InNetworkPort::SWITCH_QPN,
                          SharpContributionTag(1, member < 64 ? (uint64_t{1} << member) : 0),
                          true);
        break;
    }
    case SharpHeader::REDUCED: {
        auto it = m_loads.find({header.GetGroup(), header.GetSequence()});
        if (it == m_loads.end())
        {
            throw FabricConfigError("InNetworkEndpoint",
                                    "NVLS reduced data for operation " +
                                        std::to_string(header.GetSequence()) + " not in flight");
        }
        const uint32_t members = m_nvlsGroups[header.GetGroup()].second;
        const uint64_t all = members >= 64 ? ~uint64_t{0} : ((uint64_t{1} << members) - 1);
        if (tag.GetCount() != members || (members <= 64 && tag.GetMask() != all))
        {
            ++m_contributionErrors;
        }
        NvlsOperation& op = it->second;
        op.received += header.GetLength();
        m_nvlsReduced += header.GetLength();
        m_outstanding -= std::min<uint64_t>(m_outstanding, header.GetLength());
        if (op.received >= op.bytes)
        {
            OperationCallback done = op.done;
            const uint16_t group = op.group;
            const uint32_t sequence = op.sequence;
            m_loads.erase(it);
            m_operationTrace(group, sequence);
            if (!done.IsNull())
            {
                done(group, sequence);
            }
        }
        IssueLoadReduces();
        break;
    }
    default: { // STORE_DATA
        auto it = m_storeCallbacks.find(header.GetGroup());
        if (header.GetOrigin() != m_gpuId && it != m_storeCallbacks.end() && !it->second.IsNull())
        {
            it->second(header.GetGroup(), header.GetSequence(), header.GetLength());
        }
        break;
    }
    }
}

uint64_t
InNetworkEndpoint::GetNvlsBytesReduced() const
{
    return m_nvlsReduced;
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
