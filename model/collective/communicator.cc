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
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-port-group.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

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
                          "algorithm with its own connections.",
                          UintegerValue(2),
                          MakeUintegerAccessor(&Communicator::m_channels),
                          MakeUintegerChecker<uint32_t>(1, 64))
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
            .AddTraceSource("CollectiveComplete",
                            "A collective completed, with its report.",
                            MakeTraceSourceAccessor(&Communicator::m_completeTrace),
                            "ns3::Communicator::ReportTracedCallback");
    return tid;
}

Communicator::Communicator() = default;

Communicator::~Communicator() = default;

void
Communicator::DoDispose()
{
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
    m_topology = topology;
    m_ranks = ranks;
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
    RankLayout layout;
    for (uint32_t r : m_ranks)
    {
        layout.server.push_back(m_topology->GetServer(r));
    }
    return layout;
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
    algorithm->SetAttribute("Channels", UintegerValue(m_channels));
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
        choice = tuner->Choose(op,
                               bytes,
                               static_cast<uint32_t>(perServer.size()),
                               ppn,
                               PortBandwidth(m_topology->GetScaleUpPort(r0)),
                               PortBandwidth(m_topology->GetHcaPort(r0)));
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
}

void
Communicator::Finish(const CollectiveRunResult& run)
{
    CollectiveReport report = m_pending;
    DoneCallback done = m_pendingDone;
    m_pendingDone = DoneCallback();
    report.packetTime = run.GetDuration();
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
