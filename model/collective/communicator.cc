/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "communicator.h"

#include "collective-closed-form.h"
#include "collective-tuner.h"
#include "collnet-algorithm.h"
#include "direct-algorithm.h"
#include "halving-doubling-algorithm.h"
#include "hierarchical-algorithm.h"
#include "nvls-algorithm.h"
#include "ring-algorithm.h"
#include "tree-algorithm.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-port-group.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/rdma-engine.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <map>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Communicator");

NS_OBJECT_ENSURE_REGISTERED(Communicator);

double
CollectiveReport::PacketAlgBandwidth() const
{
    return packetTime.IsStrictlyPositive()
               ? CollectiveClosedForm::AlgBandwidth(bytes, packetTime.GetSeconds())
               : 0.0;
}

double
CollectiveReport::PacketBusBandwidth() const
{
    return CollectiveClosedForm::BusBandwidth(op, nranks, PacketAlgBandwidth());
}

double
CollectiveReport::AnalyticalAlgBandwidth() const
{
    return analyticalTime.IsStrictlyPositive()
               ? CollectiveClosedForm::AlgBandwidth(bytes, analyticalTime.GetSeconds())
               : 0.0;
}

double
CollectiveReport::AnalyticalBusBandwidth() const
{
    return CollectiveClosedForm::BusBandwidth(op, nranks, AnalyticalAlgBandwidth());
}

namespace
{

/**
 * \param topology a fabric
 * \param rank a topology rank
 * \return the generation of its GPU, from its node kind's GPU model (Hopper when the topology
 * does not say)
 */
CollectiveTuner::GpuGeneration
GpuGenerationOf(Ptr<FabricTopology> topology, uint32_t rank)
{
    const TopologyDescription& d = topology->GetDescription();
    uint32_t first = 0;
    for (const auto& group : d.groups)
    {
        auto kind = d.kinds.find(group.kind);
        if (kind == d.kinds.end())
        {
            break;
        }
        const uint32_t gpus = group.count * kind->second.gpus;
        if (rank < first + gpus)
        {
            const std::string& model = kind->second.gpuModel;
            if (model.find("V100") != std::string::npos)
            {
                return CollectiveTuner::VOLTA;
            }
            if (model.find("A100") != std::string::npos)
            {
                return CollectiveTuner::AMPERE;
            }
            if (model.find("B200") != std::string::npos || model.find("B300") != std::string::npos)
            {
                return CollectiveTuner::BLACKWELL;
            }
            return CollectiveTuner::HOPPER;
        }
        first += gpus;
    }
    return CollectiveTuner::HOPPER;
}

} // namespace

TypeId
Communicator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Communicator")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<Communicator>()
            .AddAttribute("Algorithm",
                          "auto (NCCL's tuner model picks ring or tree; all-to-all and "
                          "send/recv go direct), ring, tree, halving-doubling, direct or "
                          "hierarchical.",
                          StringValue("auto"),
                          MakeStringAccessor(&Communicator::m_algorithm),
                          MakeStringChecker())
            .AddAttribute("Protocol",
                          "auto (NCCL's tuner model), LL, LL128 or Simple.",
                          StringValue("auto"),
                          MakeStringAccessor(&Communicator::m_protocol),
                          MakeStringChecker())
            .AddAttribute("Channels",
                          "Channels the buffer is split over, each an independent copy of the "
                          "algorithm with its own connections. 0: as many as NCCL opens on this "
                          "platform (24 on one DGX H100, 16 across DGX H100 servers with 8 NDR "
                          "HCAs; see CollectiveTuner::GetDefaultChannels).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&Communicator::m_channels),
                          MakeUintegerChecker<uint32_t>(0, 64))
            .AddAttribute("ChunkSize",
                          "Bytes per pipelined piece of a channel's data (0: no pipelining). "
                          "Default 512 KiB, NCCL's Simple step (4 MiB buffer / 8 steps).",
                          UintegerValue(512 * 1024),
                          MakeUintegerAccessor(&Communicator::m_chunkSize),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("SlotsPerConnection",
                          "Receive buffers per connection, NCCL_STEPS (8), one pipelined piece "
                          "each: a sender runs at most this many pieces ahead of what its "
                          "receiver has consumed (see ConnectionSlots); 0: unlimited. Both "
                          "backends use it.",
                          UintegerValue(8),
                          MakeUintegerAccessor(&Communicator::m_slotsPerConnection),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ReductionRate",
                          "GPU reduction throughput (0: free).",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&Communicator::m_reductionRate),
                          MakeDataRateChecker())
            .AddAttribute("ProtocolLatency",
                          "Add NCCL's base and per-step protocol latencies (fact sheet §9.2) "
                          "in both backends.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&Communicator::m_protocolLatency),
                          MakeBooleanChecker())
            .AddAttribute("MeasureLinks",
                          "Read every link's device counters (bytes, busy time, credit stalls) "
                          "before and after each packet-level operation, for the report's "
                          "\"bound by\" line (CollectiveReport::links). Costs a pass over the "
                          "fabric's ports per operation, nothing per packet.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&Communicator::m_measureLinks),
                          MakeBooleanChecker())
            .AddAttribute("Nvls",
                          "Use NVLS (NVLink SHARP) where the NVSwitches have it: NCCL's "
                          "NCCL_NVLS_ENABLE, on by default on H100 and later (fact sheet §8.5).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&Communicator::m_nvls),
                          MakeBooleanChecker())
            .AddAttribute("CollNet",
                          "Use SHARP through CollNet (CollNetDirect, CollNetChain, and NVLS "
                          "across servers): NCCL's NCCL_COLLNET_ENABLE, off by default (it "
                          "needs NCCL's SHARP plugin; fact sheet §7.5).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&Communicator::m_collNet),
                          MakeBooleanChecker())
            .AddAttribute("NvlsChannels",
                          "Channels of NVLS and NVLSTree when Channels is 0: NCCL's default, 16 "
                          "on Hopper (fact sheet §8.5).",
                          UintegerValue(16),
                          MakeUintegerAccessor(&Communicator::m_nvlsChannels),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("NvlsChunkSize",
                          "Bytes per pipelined piece of NVLS and NVLSTree: NCCL_NVLS_CHUNKSIZE, "
                          "128 KiB (fact sheet §8.5).",
                          UintegerValue(128 * 1024),
                          MakeUintegerAccessor(&Communicator::m_nvlsChunkSize),
                          MakeUintegerChecker<uint64_t>())
            .AddTraceSource("InNetworkFallback",
                            "An operation could not run the in-network algorithm asked for or "
                            "picked (its resources were refused or never granted): what was "
                            "wanted, why not, and the host algorithm that ran instead.",
                            MakeTraceSourceAccessor(&Communicator::m_fallbackTrace),
                            "ns3::Communicator::FallbackTracedCallback")
            .AddTraceSource("CollectiveComplete",
                            "A collective completed, with its report.",
                            MakeTraceSourceAccessor(&Communicator::m_completeTrace),
                            "ns3::Communicator::ReportTracedCallback");
    return tid;
}

Communicator::Communicator()
    : m_measureLinks(true),
      m_nvls(true),
      m_collNet(false),
      m_nvlsChannels(16),
      m_nvlsChunkSize(128 * 1024)
{
}

Communicator::~Communicator() = default;

void
Communicator::DoDispose()
{
    ReleaseInNetwork();
    m_linkUsage.reset();
    m_topology = nullptr;
    m_executor = nullptr;
    m_analytical = nullptr;
    Object::DoDispose();
}

void
Communicator::Setup(Ptr<FabricTopology> topology, const std::vector<uint32_t>& ranks)
{
    if (ranks.empty())
    {
        throw FabricConfigError("Communicator", "has no ranks");
    }
    std::set<uint32_t> seen;
    for (uint32_t r : ranks)
    {
        topology->GetGpuNode(r); // names a rank that does not exist
        if (!seen.insert(r).second)
        {
            throw FabricConfigError("Communicator",
                                    "topology rank " + std::to_string(r) + " is listed twice");
        }
    }
    // A GPU without an HCA reaches other servers only if its scale-up fabric does (a torus
    // does; a server's NVSwitch does not): say so now, not from a switch mid-run.
    for (uint32_t r : ranks)
    {
        if (topology->GetHcaPort(r))
        {
            continue;
        }
        for (uint32_t other : ranks)
        {
            if (topology->GetServer(other) == topology->GetServer(r))
            {
                continue;
            }
            try
            {
                topology->GetPath(r, other);
            }
            catch (const FabricConfigError& e)
            {
                throw FabricConfigError(
                    "Communicator",
                    "topology rank " + std::to_string(r) +
                        " has no HCA and its scale-up fabric "
                        "does not reach rank " +
                        std::to_string(other) + " on server " +
                        std::to_string(topology->GetServer(other)) +
                        " (servers with fewer HCAs than GPUs are not modelled: GPUs do not "
                        "forward for each other) (" +
                        e.what() + ")");
            }
            break;
        }
    }
    m_topology = topology;
    m_ranks = ranks;
    m_generation = GpuGenerationOf(topology, ranks.front());
    {
        const RankLayout layout = GetLayout();
        std::set<uint32_t> servers(layout.server.begin(), layout.server.end());
        std::set<uint32_t> rails(layout.rail.begin(), layout.rail.end());
        Ptr<FabricNetDevice> scaleUp = topology->GetScaleUpPort(ranks.front());
        double nvlink = 0;
        if (DynamicCast<NvlinkNetDevice>(scaleUp))
        {
            const uint32_t links = scaleUp->GetGroup() ? scaleUp->GetGroup()->GetNPorts() : 1;
            nvlink = links * CollectiveTuner::GetNcclNvlinkBandwidth(m_generation);
        }
        Ptr<FabricNetDevice> hca = topology->GetHcaPort(ranks.front());
        m_defaultChannels =
            CollectiveTuner::GetDefaultChannels(m_generation,
                                                static_cast<uint32_t>(servers.size()),
                                                nvlink,
                                                hca ? static_cast<uint32_t>(rails.size()) : 0,
                                                hca ? hca->GetDataRate().GetBitRate() / 8e9 : 0.0);
    }
    m_executor = CreateObject<PacketExecutor>();
    m_executor->SetAttribute("ReductionRate", DataRateValue(m_reductionRate));
    m_executor->SetAttribute("SlotsPerConnection", UintegerValue(m_slotsPerConnection));
    m_executor->Setup(topology, ranks);
    m_analytical = CreateObject<AnalyticalBackend>();
    m_analytical->SetAttribute("ReductionRate", DataRateValue(m_reductionRate));
    m_analytical->SetAttribute("ProtocolLatency", BooleanValue(m_protocolLatency));
    m_analytical->SetAttribute("BaseLatency", BooleanValue(m_protocolLatency));
    m_analytical->SetAttribute("SlotsPerConnection", UintegerValue(m_slotsPerConnection));
    AcquireInNetwork();
}

namespace
{

/// \return the GPU node's in-network endpoint, installed (with its RDMA hook) on first use
Ptr<InNetworkEndpoint>
EndpointOf(Ptr<Node> node)
{
    if (Ptr<InNetworkEndpoint> ep = node->GetObject<InNetworkEndpoint>())
    {
        return ep;
    }
    Ptr<InNetworkEndpoint> ep = CreateObject<InNetworkEndpoint>();
    node->AggregateObject(ep);
    RdmaEngine::Install(node)->SetForeignPacketCallback(
        MakeCallback(&InNetworkEndpoint::Receive, ep));
    return ep;
}

/// \return the fabric's shared manager of type T
template <typename T>
Ptr<T>
SharedManager(Ptr<FabricTopology> topology)
{
    Ptr<T> manager = topology->GetObject<T>();
    if (!manager)
    {
        manager = CreateObject<T>();
        topology->AggregateObject(manager);
    }
    return manager;
}

} // namespace

void
Communicator::AcquireInNetwork()
{
    ReleaseInNetwork();
    const RankLayout layout = GetLayout();
    const auto servers = layout.GetServerRanks();
    bool uniform = true;
    for (const auto& ranks : servers)
    {
        uniform = uniform && ranks.size() == servers.front().size();
    }
    // NVLS: one multicast object per server.
    m_nvlsStatus = "not asked for (Nvls false)";
    m_nvlsHardware = false;
    const bool wantNvls = m_nvls || m_algorithm.find("nvls") != std::string::npos;
    if (wantNvls && servers.front().size() < 2)
    {
        m_nvlsStatus = "needs two or more GPUs per server";
    }
    else if (wantNvls)
    {
        m_nvlsHardware = true;
        m_nvlsStatus = "";
        for (const auto& ranks : servers)
        {
            std::vector<Ptr<FabricNetDevice>> ports;
            for (uint32_t r : ranks)
            {
                ports.push_back(m_topology->GetScaleUpPort(m_ranks[r]));
            }
            NvlsGroupInfo info = SharedManager<NvlsGroupManager>(m_topology)->CreateGroup(ports);
            if (!info.IsGranted())
            {
                m_nvlsHardware = info.hardware;
                m_nvlsStatus = info.refused;
                break;
            }
            InNetworkGroup g;
            g.members = ranks;
            g.nvls = info;
            g.binding.kind = InNetworkBinding::NVLS;
            g.binding.group = info.group;
            for (size_t m = 0; m < ranks.size(); ++m)
            {
                Ptr<InNetworkEndpoint> ep = EndpointOf(m_topology->GetGpuNode(m_ranks[ranks[m]]));
                ep->JoinNvlsGroup(info.group,
                                  static_cast<uint32_t>(m),
                                  static_cast<uint32_t>(ranks.size()));
                for (const auto& link : info.links[m])
                {
                    Ptr<FabricNetDevice> peer =
                        DynamicCast<FabricChannel>(link->GetChannel())->GetPeer(link);
                    ep->AddNvlsLink(
                        link,
                        NvlsGroupManager::GetEngine(DynamicCast<NvSwitch>(peer->GetSwitch())));
                }
                g.binding.members.push_back(ep);
            }
            m_inNetwork.push_back(g);
        }
        if (!m_nvlsStatus.empty())
        {
            // All servers or none: give back what was granted.
            ReleaseInNetwork();
        }
    }
    // SHARP: one group per position of a server's ranks, across the servers.
    m_sharpStatus = "not asked for (CollNet false)";
    m_sharpHardware = false;
    const bool wantSharp = m_collNet || m_algorithm.find("collnet") != std::string::npos ||
                           (m_algorithm == "nvls" && servers.size() > 1);
    if (wantSharp && servers.size() < 2)
    {
        m_sharpStatus = "needs two or more servers";
    }
    else if (wantSharp && !uniform)
    {
        m_sharpStatus = "servers hold different numbers of the communicator's ranks";
    }
    else if (wantSharp)
    {
        m_sharpHardware = true;
        m_sharpStatus = "";
        std::vector<InNetworkGroup> granted;
        for (size_t i = 0; i < servers.front().size() && m_sharpStatus.empty(); ++i)
        {
            std::vector<uint32_t> members;
            std::vector<Ptr<FabricNetDevice>> hcas;
            for (const auto& ranks : servers)
            {
                members.push_back(ranks[i]);
                hcas.push_back(m_topology->GetHcaPort(m_ranks[ranks[i]]));
                if (!hcas.back())
                {
                    m_sharpHardware = false;
                    m_sharpStatus = "sharp unsupported: topology rank " +
                                    std::to_string(m_ranks[ranks[i]]) + " has no HCA";
                }
            }
            if (!m_sharpStatus.empty())
            {
                break;
            }
            SharpGroupInfo info;
            try
            {
                info = SharedManager<SharpAggregationManager>(m_topology)->CreateGroup(hcas);
            }
            catch (const FabricConfigError& e)
            {
                m_sharpHardware = false;
                m_sharpStatus = std::string("sharp unsupported: ") + e.what();
                break;
            }
            if (!info.IsGranted())
            {
                m_sharpStatus = info.refused;
                break;
            }
            InNetworkGroup g;
            g.members = members;
            g.sharp = info;
            g.binding.kind = InNetworkBinding::SHARP;
            g.binding.group = info.group;
            g.binding.operationBytes = info.bufferPerOst;
            for (size_t m = 0; m < members.size(); ++m)
            {
                Ptr<InNetworkEndpoint> ep = EndpointOf(m_topology->GetGpuNode(m_ranks[members[m]]));
                ep->SetSharpPort(hcas[m]);
                ep->JoinSharpGroup(info.group,
                                   info.leaves[m],
                                   static_cast<uint32_t>(m),
                                   info.members,
                                   info.osts);
                g.binding.members.push_back(ep);
            }
            granted.push_back(g);
        }
        if (m_sharpStatus.empty())
        {
            m_inNetwork.insert(m_inNetwork.end(), granted.begin(), granted.end());
        }
        else
        {
            for (const auto& g : granted)
            {
                for (const auto& ep : g.binding.members)
                {
                    ep->LeaveSharpGroup(g.sharp.group);
                }
                SharedManager<SharpAggregationManager>(m_topology)->ReleaseGroup(g.sharp);
            }
        }
    }
}

void
Communicator::ReleaseInNetwork()
{
    if (!m_topology)
    {
        m_inNetwork.clear();
        return;
    }
    for (const auto& g : m_inNetwork)
    {
        for (const auto& ep : g.binding.members)
        {
            if (g.binding.kind == InNetworkBinding::NVLS)
            {
                ep->LeaveNvlsGroup(g.nvls.group);
            }
            else
            {
                ep->LeaveSharpGroup(g.sharp.group);
            }
        }
        if (g.binding.kind == InNetworkBinding::NVLS)
        {
            SharedManager<NvlsGroupManager>(m_topology)->ReleaseGroup(g.nvls);
        }
        else
        {
            SharedManager<SharpAggregationManager>(m_topology)->ReleaseGroup(g.sharp);
        }
    }
    m_inNetwork.clear();
}

std::string
Communicator::GetNvlsStatus() const
{
    return m_nvlsStatus;
}

std::string
Communicator::GetSharpStatus() const
{
    return m_sharpStatus;
}

std::string
Communicator::DescribeUnfinished() const
{
    return m_executor ? m_executor->DescribeUnfinished() : std::string();
}

void
Communicator::SetDistributedRelay(Ptr<DistributedRelay> relay)
{
    if (!m_executor)
    {
        throw FabricConfigError("Communicator", "SetDistributedRelay needs Setup first");
    }
    m_executor->SetDistributedRelay(relay);
}

void
Communicator::FinishDistributed()
{
    if (!m_executor)
    {
        throw FabricConfigError("Communicator", "FinishDistributed needs Setup first");
    }
    m_executor->FinishDistributed();
}

Ptr<PacketExecutor>
Communicator::GetPacketExecutor() const
{
    return m_executor;
}

std::vector<InNetworkBinding>
Communicator::BindGroups(const CollectiveSchedule& schedule, std::string& why) const
{
    why.clear();
    std::vector<InNetworkBinding> bindings;
    for (const auto& members : schedule.groups)
    {
        const auto it = std::find_if(m_inNetwork.begin(),
                                     m_inNetwork.end(),
                                     [&](const InNetworkGroup& g) { return g.members == members; });
        if (it == m_inNetwork.end())
        {
            bindings.emplace_back();
            if (why.empty())
            {
                // Which hardware the group needed: NVLS groups are one server's ranks.
                const RankLayout layout = GetLayout();
                const bool oneServer = std::all_of(members.begin(), members.end(), [&](uint32_t r) {
                    return layout.server[r] == layout.server[members.front()];
                });
                why = oneServer ? (m_nvlsStatus.empty() ? "no multicast object for these ranks"
                                                        : m_nvlsStatus)
                                : (m_sharpStatus.empty() ? "no SHARP group for these ranks"
                                                         : m_sharpStatus);
            }
            continue;
        }
        bindings.push_back(it->binding);
    }
    return bindings;
}

Time
Communicator::GetBaseLatency(const CollectiveSchedule& schedule, CollectiveProtocol protocol) const
{
    if (!m_protocolLatency)
    {
        return Time();
    }
    const NcclAlgorithm family = NcclAlgorithmForName(schedule.algorithm);
    return NcclBaseLatency(family, protocol) + NcclInNetworkLatency(schedule, family, protocol);
}

Ptr<Communicator>
Communicator::Split(const std::vector<uint32_t>& members) const
{
    std::vector<uint32_t> ranks;
    for (uint32_t m : members)
    {
        if (m >= m_ranks.size())
        {
            throw FabricConfigError("Communicator::Split",
                                    "rank " + std::to_string(m) + " is not in the communicator (" +
                                        std::to_string(m_ranks.size()) + " ranks)");
        }
        ranks.push_back(m_ranks[m]);
    }
    Ptr<Communicator> sub = CreateObject<Communicator>();
    sub->m_algorithm = m_algorithm;
    sub->m_protocol = m_protocol;
    sub->m_channels = m_channels;
    sub->m_chunkSize = m_chunkSize;
    sub->m_slotsPerConnection = m_slotsPerConnection;
    sub->m_reductionRate = m_reductionRate;
    sub->m_protocolLatency = m_protocolLatency;
    sub->m_measureLinks = m_measureLinks;
    sub->m_nvls = m_nvls;
    sub->m_collNet = m_collNet;
    sub->m_nvlsChannels = m_nvlsChannels;
    sub->m_nvlsChunkSize = m_nvlsChunkSize;
    sub->Setup(m_topology, ranks);
    return sub;
}

uint32_t
Communicator::GetSize() const
{
    return static_cast<uint32_t>(m_ranks.size());
}

const std::vector<uint32_t>&
Communicator::GetRanks() const
{
    return m_ranks;
}

RankLayout
Communicator::GetLayout() const
{
    // A rank's rail is the position of its HCA among its server's HCAs, in the order of the
    // server's GPUs (topology ranks): HCA i of every server is rail i.
    std::map<uint32_t, std::vector<Ptr<FabricNetDevice>>> hcas;
    for (uint32_t r = 0; r < m_topology->GetNRanks(); ++r)
    {
        Ptr<FabricNetDevice> hca = m_topology->GetHcaPort(r);
        auto& list = hcas[m_topology->GetServer(r)];
        if (hca && std::find(list.begin(), list.end(), hca) == list.end())
        {
            list.push_back(hca);
        }
    }
    RankLayout layout;
    for (uint32_t r : m_ranks)
    {
        const uint32_t server = m_topology->GetServer(r);
        layout.server.push_back(server);
        const auto& list = hcas[server];
        const auto it = std::find(list.begin(), list.end(), m_topology->GetHcaPort(r));
        layout.rail.push_back(it == list.end() ? 0 : static_cast<uint32_t>(it - list.begin()));
    }
    return layout;
}

uint32_t
Communicator::GetChannels() const
{
    return m_channels > 0 ? m_channels : m_defaultChannels;
}

Ptr<CollectiveAlgorithm>
Communicator::MakeAlgorithm(const std::string& name) const
{
    Ptr<CollectiveAlgorithm> algorithm;
    if (name == "ring")
    {
        algorithm = CreateObject<RingAlgorithm>();
    }
    else if (name == "tree")
    {
        algorithm = CreateObject<TreeAlgorithm>();
    }
    else if (name == "halving-doubling")
    {
        algorithm = CreateObject<HalvingDoublingAlgorithm>();
    }
    else if (name == "direct")
    {
        algorithm = CreateObject<DirectAlgorithm>();
    }
    else if (name == "hierarchical")
    {
        algorithm = CreateObject<HierarchicalAlgorithm>();
    }
    else if (name == "nvls")
    {
        algorithm = CreateObject<NvlsAlgorithm>();
    }
    else if (name == "nvls-tree")
    {
        algorithm = CreateObject<NvlsTreeAlgorithm>();
    }
    else if (name == "collnet-direct")
    {
        algorithm = CreateObject<CollNetDirectAlgorithm>();
    }
    else if (name == "collnet-chain")
    {
        algorithm = CreateObject<CollNetChainAlgorithm>();
    }
    else
    {
        throw FabricConfigError("Communicator::Algorithm",
                                "unknown algorithm \"" + name +
                                    "\" (auto, ring, tree, halving-doubling, direct, "
                                    "hierarchical, nvls, nvls-tree, collnet-direct, "
                                    "collnet-chain)");
    }
    const bool nvls = name == "nvls" || name == "nvls-tree";
    algorithm->SetAttribute(
        "Channels",
        UintegerValue(nvls && m_channels == 0 ? m_nvlsChannels : GetChannels()));
    uint64_t chunk = m_chunkSize;
    if (nvls)
    {
        // NCCL's NVLS chunk spans the slots of every rank of a server (each rank reduces and
        // stores its 1/ppn of it): a slot's piece is the chunk / ranks per server.
        uint32_t ppn = 1;
        for (const auto& ranks : GetLayout().GetServerRanks())
        {
            ppn = std::max(ppn, static_cast<uint32_t>(ranks.size()));
        }
        chunk = std::max<uint64_t>(4096, m_nvlsChunkSize / ppn);
    }
    algorithm->SetAttribute("ChunkSize", UintegerValue(chunk));
    return algorithm;
}

namespace
{

/// Per-GPU data bandwidth of a port (a group: all its members), after packet headers.
DataRate
PortBandwidth(Ptr<FabricNetDevice> port)
{
    if (!port)
    {
        return DataRate(0);
    }
    double bps = 0;
    if (Ptr<FabricPortGroup> group = port->GetGroup())
    {
        for (uint32_t i = 0; i < group->GetNPorts(); ++i)
        {
            bps += group->GetPort(i)->GetDataRate().GetBitRate() *
                   group->GetPort(i)->GetPayloadEfficiency();
        }
    }
    else
    {
        bps = port->GetDataRate().GetBitRate() * port->GetPayloadEfficiency();
    }
    return DataRate(static_cast<uint64_t>(bps));
}

} // namespace

CollectiveSchedule
Communicator::Plan(CollectiveOp op,
                   uint64_t bytes,
                   uint32_t root,
                   uint32_t peer,
                   CollectiveProtocol& protocol,
                   std::string* fallback) const
{
    if (!m_topology)
    {
        throw FabricConfigError("Communicator", "Setup() was not called");
    }
    if (fallback)
    {
        fallback->clear();
    }
    std::string algorithm = m_algorithm;
    const bool pointToPoint = op == CollectiveOp::ALL_TO_ALL || op == CollectiveOp::SEND_RECV;
    const auto inNetwork = [](const std::string& name) {
        return name.find("nvls") != std::string::npos || name.find("collnet") != std::string::npos;
    };
    TunerChoice choice;
    bool tuned = false;
    if (!pointToPoint && (algorithm == "auto" || m_protocol == "auto" || inNetwork(algorithm)))
    {
        // NCCL's model, fed with this fabric's bandwidths.
        std::map<uint32_t, uint32_t> perServer;
        for (uint32_t r : m_ranks)
        {
            perServer[m_topology->GetServer(r)]++;
        }
        uint32_t ppn = 0;
        for (const auto& [server, n] : perServer)
        {
            ppn = std::max(ppn, n);
        }
        const uint32_t r0 = m_ranks.front();
        Ptr<CollectiveTuner> tuner = CreateObject<CollectiveTuner>();
        tuner->SetAttribute("NChannels", UintegerValue(GetChannels()));
        tuner->SetAttribute("GpuGeneration", EnumValue(m_generation));
        // In-network candidates where the hardware has them (resources are checked below).
        tuner->SetAttribute("EnableNvls", BooleanValue(m_nvls && m_nvlsHardware));
        tuner->SetAttribute("EnableCollNet", BooleanValue(m_collNet && m_sharpHardware));
        // Across servers the channels spread over every rail: a server's HCAs together.
        const RankLayout layout = GetLayout();
        const std::set<uint32_t> rails(layout.rail.begin(), layout.rail.end());
        const DataRate hca = PortBandwidth(m_topology->GetHcaPort(r0));
        choice = tuner->Choose(op,
                               bytes,
                               static_cast<uint32_t>(perServer.size()),
                               ppn,
                               PortBandwidth(m_topology->GetScaleUpPort(r0)),
                               DataRate(hca.GetBitRate() * std::max<size_t>(1, rails.size())));
        tuned = true;
    }
    if (algorithm == "auto")
    {
        algorithm = pointToPoint ? "direct" : choice.algorithm;
    }
    // The best host algorithm of the tuner's candidates, for a fallback.
    const auto bestHost = [&]() {
        std::string best = "ring";
        Time t = Time::Max();
        for (const auto& c : choice.candidates)
        {
            if (!inNetwork(c.algorithm) && c.time < t)
            {
                t = c.time;
                best = c.algorithm;
            }
        }
        return best;
    };
    CollectiveSchedule schedule;
    bool built = false;
    if (inNetwork(algorithm))
    {
        Ptr<CollectiveAlgorithm> a = MakeAlgorithm(algorithm);
        std::string why = a->GetUnsupportedReason(op, GetLayout());
        if (why.empty())
        {
            schedule = a->Build(op, bytes, GetLayout(), root, peer);
            BindGroups(schedule, why);
            built = why.empty();
        }
        if (!built)
        {
            const std::string host = bestHost();
            const std::string text = algorithm + " unavailable: " + why + " -> " + host;
            NS_LOG_INFO(text);
            m_fallbackTrace(text);
            if (fallback)
            {
                *fallback = text;
            }
            algorithm = host;
        }
    }
    if (m_protocol != "auto")
    {
        protocol = ParseCollectiveProtocol(m_protocol);
    }
    else if (tuned && (algorithm == "ring" || algorithm == "tree"))
    {
        // The protocol NCCL's model predicts fastest for this algorithm family.
        protocol = CollectiveProtocol::SIMPLE;
        Time best = Time::Max();
        for (const auto& c : choice.candidates)
        {
            if (c.algorithm == algorithm && c.time < best && c.time.IsStrictlyPositive())
            {
                best = c.time;
                protocol = c.protocol;
            }
        }
    }
    else
    {
        protocol = CollectiveProtocol::SIMPLE;
    }
    if (built)
    {
        return schedule;
    }
    return MakeAlgorithm(algorithm)->Build(op, bytes, GetLayout(), root, peer);
}

CollectiveReport
Communicator::Estimate(CollectiveOp op, uint64_t bytes, uint32_t root, uint32_t peer) const
{
    CollectiveReport report;
    const CollectiveSchedule schedule =
        Plan(op, bytes, root, peer, report.protocol, &report.fallback);
    report.op = op;
    report.bytes = bytes;
    report.nranks = GetSize();
    report.algorithm = schedule.algorithm;
    report.channels = MakeAlgorithm(schedule.algorithm)->GetChannels();
    report.analytical = m_analytical->Run(schedule, m_topology, m_ranks, report.protocol);
    report.analyticalTime = report.analytical.completion;
    return report;
}

void
Communicator::Start(CollectiveOp op,
                    uint64_t bytes,
                    DoneCallback done,
                    uint32_t root,
                    uint32_t peer)
{
    if (m_executor && m_executor->IsRunning())
    {
        throw FabricConfigError("Communicator",
                                "an operation is running; start the next one from its callback");
    }
    CollectiveReport report;
    CollectiveSchedule schedule = Plan(op, bytes, root, peer, report.protocol, &report.fallback);
    report.op = op;
    report.bytes = bytes;
    report.nranks = GetSize();
    report.algorithm = schedule.algorithm;
    report.channels = MakeAlgorithm(schedule.algorithm)->GetChannels();
    report.analytical = m_analytical->Run(schedule, m_topology, m_ranks, report.protocol);
    report.analyticalTime = report.analytical.completion;
    // The same latencies the analytical backend charges.
    const NcclAlgorithm family = NcclAlgorithmForName(schedule.algorithm);
    Time intra;
    Time inter;
    if (m_protocolLatency)
    {
        if (NcclHasHwLatency(NcclLinkType::NVLINK, family, report.protocol))
        {
            intra = NcclHwLatency(NcclLinkType::NVLINK, family, report.protocol);
        }
        if (NcclHasHwLatency(NcclLinkType::NET, family, report.protocol))
        {
            inter = NcclHwLatency(NcclLinkType::NET, family, report.protocol);
        }
    }
    std::string unbound;
    const std::vector<InNetworkBinding> bindings = BindGroups(schedule, unbound);
    const Time baseLatency = GetBaseLatency(schedule, report.protocol);
    // The executor keeps the schedule: hand it over rather than copy it (and the report).
    m_executor->Run(std::move(schedule),
                    CollectiveProtocolEfficiency(report.protocol),
                    baseLatency,
                    intra,
                    inter,
                    MakeCallback(&Communicator::Finish, this),
                    bindings);
    m_pending = std::move(report);
    m_pendingDone = done;
    if (m_measureLinks)
    {
        if (!m_linkUsage)
        {
            m_linkUsage = std::make_unique<FabricLinkUsage>(m_topology);
        }
        m_linkUsage->Start();
    }
}

void
Communicator::Finish(const CollectiveRunResult& run)
{
    CollectiveReport report = m_pending;
    DoneCallback done = m_pendingDone;
    m_pendingDone = DoneCallback();
    report.packetTime = run.GetDuration();
    if (m_linkUsage)
    {
        report.links = m_linkUsage->Measure();
    }
    m_completeTrace(report);
    if (!done.IsNull())
    {
        done(report);
    }
}

void
Communicator::AllReduce(uint64_t bytes, DoneCallback done)
{
    Start(CollectiveOp::ALL_REDUCE, bytes, done);
}

void
Communicator::ReduceScatter(uint64_t bytes, DoneCallback done)
{
    Start(CollectiveOp::REDUCE_SCATTER, bytes, done);
}

void
Communicator::AllGather(uint64_t bytes, DoneCallback done)
{
    Start(CollectiveOp::ALL_GATHER, bytes, done);
}

void
Communicator::Broadcast(uint64_t bytes, uint32_t root, DoneCallback done)
{
    Start(CollectiveOp::BROADCAST, bytes, done, root);
}

void
Communicator::Reduce(uint64_t bytes, uint32_t root, DoneCallback done)
{
    Start(CollectiveOp::REDUCE, bytes, done, root);
}

void
Communicator::AllToAll(uint64_t bytes, DoneCallback done)
{
    Start(CollectiveOp::ALL_TO_ALL, bytes, done);
}

void
Communicator::SendRecv(uint64_t bytes, uint32_t src, uint32_t dst, DoneCallback done)
{
    Start(CollectiveOp::SEND_RECV, bytes, done, src, dst);
}

} // namespace ns3
