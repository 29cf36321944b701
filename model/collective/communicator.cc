/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "communicator.h"

#include "collective-closed-form.h"
#include "collective-tuner.h"
#include "direct-algorithm.h"
#include "halving-doubling-algorithm.h"
#include "hierarchical-algorithm.h"
#include "ring-algorithm.h"
#include "tree-algorithm.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-port-group.h"
#include "ns3/log.h"
#include "ns3/nvlink-net-device.h"
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
            .AddTraceSource("CollectiveComplete",
                            "A collective completed, with its report.",
                            MakeTraceSourceAccessor(&Communicator::m_completeTrace),
                            "ns3::Communicator::ReportTracedCallback");
    return tid;
}

Communicator::Communicator()
    : m_measureLinks(true)
{
}

Communicator::~Communicator() = default;

void
Communicator::DoDispose()
{
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
    else
    {
        throw FabricConfigError("Communicator::Algorithm",
                                "unknown algorithm \"" + name +
                                    "\" (auto, ring, tree, halving-doubling, direct, "
                                    "hierarchical)");
    }
    algorithm->SetAttribute("Channels", UintegerValue(GetChannels()));
    algorithm->SetAttribute("ChunkSize", UintegerValue(m_chunkSize));
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
                   CollectiveProtocol& protocol) const
{
    if (!m_topology)
    {
        throw FabricConfigError("Communicator", "Setup() was not called");
    }
    std::string algorithm = m_algorithm;
    const bool pointToPoint = op == CollectiveOp::ALL_TO_ALL || op == CollectiveOp::SEND_RECV;
    TunerChoice choice;
    bool tuned = false;
    if (!pointToPoint && (algorithm == "auto" || m_protocol == "auto"))
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
        algorithm = pointToPoint ? "direct" : (choice.algorithm == "tree" ? "tree" : "ring");
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
    return MakeAlgorithm(algorithm)->Build(op, bytes, GetLayout(), root, peer);
}

CollectiveReport
Communicator::Estimate(CollectiveOp op, uint64_t bytes, uint32_t root, uint32_t peer) const
{
    CollectiveReport report;
    const CollectiveSchedule schedule = Plan(op, bytes, root, peer, report.protocol);
    report.op = op;
    report.bytes = bytes;
    report.nranks = GetSize();
    report.algorithm = schedule.algorithm;
    report.channels = GetChannels();
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
    const CollectiveSchedule schedule = Plan(op, bytes, root, peer, report.protocol);
    report.op = op;
    report.bytes = bytes;
    report.nranks = GetSize();
    report.algorithm = schedule.algorithm;
    report.channels = GetChannels();
    report.analytical = m_analytical->Run(schedule, m_topology, m_ranks, report.protocol);
    report.analyticalTime = report.analytical.completion;
    // The same latencies the analytical backend charges.
    const NcclAlgorithm family = NcclAlgorithmForName(schedule.algorithm);
    Time base;
    Time intra;
    Time inter;
    if (m_protocolLatency)
    {
        base = NcclBaseLatency(family, report.protocol);
        if (NcclHasHwLatency(NcclLinkType::NVLINK, family, report.protocol))
        {
            intra = NcclHwLatency(NcclLinkType::NVLINK, family, report.protocol);
        }
        if (NcclHasHwLatency(NcclLinkType::NET, family, report.protocol))
        {
            inter = NcclHwLatency(NcclLinkType::NET, family, report.protocol);
        }
    }
    m_executor->Run(schedule,
                    CollectiveProtocolEfficiency(report.protocol),
                    base,
                    intra,
                    inter,
                    MakeCallback(&Communicator::Finish, this));
    m_pending = report;
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
