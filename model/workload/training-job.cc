/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "training-job.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "ns3/workload-arithmetic.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TrainingJob");

NS_OBJECT_ENSURE_REGISTERED(TrainingJob);

namespace
{

/// Group-id kind of the parameter-server pairs (above every WorkloadGroup's).
constexpr uint64_t kParameterServerKind = uint64_t(0xff) << 56;
/// Group ids of a worker's connection to its memory-pool port.
constexpr uint64_t kMemoryPoolKind = uint64_t(0xfe) << 56;

/**
 * \param mode a training mode
 * \return its name in reports
 */
std::string
ModeName(TrainingMode mode)
{
    switch (mode)
    {
    case TrainingMode::SYNC:
        return "sync";
    case TrainingMode::PARAMETER_SERVER:
        return "parameter-server";
    case TrainingMode::STALE_SYNC:
        return "stale-sync";
    }
    return "?";
}

} // namespace

TypeId
TrainingJob::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TrainingJob")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<TrainingJob>()
            .AddAttribute("Backend",
                          "How collectives take their time: packet by packet over the fabric, or "
                          "the analytical (alpha-beta) duration of the same schedule",
                          EnumValue(PACKET),
                          MakeEnumAccessor(&TrainingJob::m_backend),
                          MakeEnumChecker(PACKET, "packet", ANALYTICAL, "analytical"))
            .AddAttribute("Iterations",
                          "Iterations each worker runs (0: until its application stops)",
                          UintegerValue(1),
                          MakeUintegerAccessor(&TrainingJob::m_iterations),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ComputeModel",
                          "How long a compute node takes (default: a RooflineComputeModel)",
                          PointerValue(),
                          MakePointerAccessor(&TrainingJob::m_computeModel),
                          MakePointerChecker<ComputeModel>())
            .AddAttribute("Slowdown",
                          "Straggler factor of each worker's compute, drawn per worker and "
                          "iteration (e.g. ns3::LogNormalRandomVariable[Mu=0|Sigma=0.1]); "
                          "unset: 1. Draws are made per iteration in worker order, so two jobs "
                          "with the same stream see the same stragglers",
                          PointerValue(),
                          MakePointerAccessor(&TrainingJob::m_slowdownStream),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("Timeline",
                          "Record every compute and collective span for GetTimeline()",
                          BooleanValue(true),
                          MakeBooleanAccessor(&TrainingJob::m_timelineEnabled),
                          MakeBooleanChecker())
            .AddAttribute("MeasureLinks",
                          "Packet level: measure every port's bytes and busy time over the run",
                          BooleanValue(true),
                          MakeBooleanAccessor(&TrainingJob::m_measureLinks),
                          MakeBooleanChecker())
            .AddAttribute("HotPortSamplePeriod",
                          "Packet level, with MeasureLinks: sample every switch port's queue "
                          "depth (bytes) and credit-stall time at this period (e.g. 10us) from "
                          "the job's start to its last iteration, for the report's hot-port "
                          "series (FabricHotPorts::StartSampling). 0 s: no sampling",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&TrainingJob::m_hotPortPeriod),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("IterationComplete",
                            "Every worker has finished an iteration",
                            MakeTraceSourceAccessor(&TrainingJob::m_iterationTrace),
                            "ns3::TrainingJob::IterationTracedCallback")
            .AddTraceSource("WorkerIteration",
                            "A worker has finished an iteration",
                            MakeTraceSourceAccessor(&TrainingJob::m_workerIterationTrace),
                            "ns3::TrainingJob::WorkerIterationTracedCallback")
            .AddTraceSource("CollectiveComplete",
                            "A collective of the job has completed",
                            MakeTraceSourceAccessor(&TrainingJob::m_collectiveTrace),
                            "ns3::TrainingJob::CollectiveTracedCallback");
    return tid;
}

TrainingJob::TrainingJob()
{
    NS_LOG_FUNCTION(this);
}

TrainingJob::~TrainingJob()
{
    NS_LOG_FUNCTION(this);
}

void
TrainingJob::DoDispose()
{
    for (auto& [id, comm] : m_communicators)
    {
        comm->Dispose();
    }
    m_communicators.clear();
    m_pending.clear();
    m_held.clear();
    m_linkUsage.reset();
    m_hotPorts.reset();
    m_pools.clear();
    m_topology = nullptr;
    m_computeModel = nullptr;
    m_slowdownStream = nullptr;
    Object::DoDispose();
}

void
TrainingJob::Setup(Ptr<FabricTopology> topology, std::shared_ptr<const ExecutionGraph> graph)
{
    if (!topology || !graph)
    {
        throw FabricConfigError("TrainingJob", "Setup needs a topology and a graph");
    }
    const WorkloadPlacement& placement = graph->GetPlacement();
    const uint32_t workers = graph->GetNWorkers();
    for (uint32_t w = 0; w < workers; ++w)
    {
        if (placement.GetTopologyRank(w) >= topology->GetNRanks())
        {
            throw FabricConfigError("TrainingJob",
                                    "worker " + std::to_string(w) + " is placed on rank " +
                                        std::to_string(placement.GetTopologyRank(w)) +
                                        ", but the topology has " +
                                        std::to_string(topology->GetNRanks()) + " GPUs");
        }
    }
    m_topology = topology;
    m_graph = std::move(graph);
    if (!m_computeModel)
    {
        m_computeModel = CreateObject<RooflineComputeModel>();
    }
    // Each worker computes at its own GPU's speed: heterogeneous clusters need nothing else.
    const WorkloadDescription& w = m_graph->GetWorkload();
    const std::vector<std::string> models =
        WorkloadPlacement::GpuModelsOf(m_topology->GetDescription());
    m_gpus.clear();
    m_peakFlops = 0;
    for (uint32_t worker = 0; worker < workers; ++worker)
    {
        const uint32_t rank = placement.GetTopologyRank(worker);
        std::string model = rank < models.size() ? models[rank] : std::string();
        if (model.empty())
        {
            model = "H100";
        }
        m_gpus.push_back(GpuSpec::Preset(model));
        m_peakFlops += m_gpus.back().GetPeakFlops(w.model.dtype);
    }
    AssignPools();
    m_modelFlops = WorkloadArithmetic::IterationFlops(w, false);
    const uint32_t replicas = w.plan.dp;
    m_replicaDone.assign(replicas, 0);
    m_replicaProgress.assign(replicas, {});
    m_replicaStartVersion.assign(replicas, {});
}

void
TrainingJob::AssignPools()
{
    const ExecutionGraph& graph = GetGraph();
    const WorkloadPlacement& placement = graph.GetPlacement();
    const uint32_t workers = graph.GetNWorkers();
    m_poolPort.clear();
    m_pools.clear();
    const std::vector<uint32_t> ports = m_topology->GetMemoryEndpoints();
    for (uint32_t w = 0; w < workers; ++w)
    {
        const uint32_t rank = placement.GetTopologyRank(w);
        if (m_topology->IsMemoryEndpoint(rank))
        {
            throw FabricConfigError("TrainingJob",
                                    "worker " + std::to_string(w) + " is placed on rank " +
                                        std::to_string(rank) + ", a memory-pool port, not a GPU");
        }
    }
    const MemorySpec& memory = graph.GetWorkload().memory;
    if (!memory.UsesPool())
    {
        return;
    }
    if (ports.empty())
    {
        throw FabricConfigError(
            graph.GetWorkload().file.empty() ? "TrainingJob" : graph.GetWorkload().file,
            "memory: the workload keeps state in a memory pool, but topology \"" +
                m_topology->GetDescription().name +
                "\" has no memory node (a node kind with a memory section)");
    }
    // Pools by server, each with its ports in rank order.
    std::vector<std::vector<uint32_t>> pools;
    for (uint32_t port : ports)
    {
        if (pools.empty() ||
            m_topology->GetServer(pools.back().front()) != m_topology->GetServer(port))
        {
            pools.emplace_back();
        }
        pools.back().push_back(port);
    }
    // GPU rank r uses port r mod P of pool (r div P) mod pools, P the pool's ports: with
    // 8-GPU servers and 8-port pools, a GPU's own rail of the pool of its server mod pools;
    // with more ports than a server has GPUs, the pool's ports are shared out evenly.
    std::vector<uint32_t> poolOf(workers);
    for (uint32_t w = 0; w < workers; ++w)
    {
        const uint32_t rank = placement.GetTopologyRank(w);
        const uint32_t size = static_cast<uint32_t>(pools.front().size());
        poolOf[w] = (rank / size) % pools.size();
        const auto& pool = pools[poolOf[w]];
        const uint32_t port = pool[rank % pool.size()];
        m_poolPort.push_back(port);
        m_pools.push_back(MemoryPool::Find(m_topology, port));
    }
    if (memory.reduceInPool)
    {
        // Every replica of an expert shard must store into the same pool for it to sum them.
        std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> shardPool;
        for (uint32_t w = 0; w < workers; ++w)
        {
            const RankCoord& c = placement.GetCoord(w);
            const auto key = std::make_tuple(c.pp, c.tp, c.dp % graph.GetWorkload().plan.ep);
            auto [it, fresh] = shardPool.emplace(key, poolOf[w]);
            if (!fresh && it->second != poolOf[w])
            {
                throw FabricConfigError(
                    graph.GetWorkload().file.empty() ? "TrainingJob" : graph.GetWorkload().file,
                    "memory.reduce: pool needs every replica of an expert shard on one pool, but "
                    "worker " +
                        std::to_string(w) + " uses pool " + m_pools[w]->GetName() +
                        " and another replica a different one (use reduce: gpus)");
            }
        }
    }
    // Capacity: what each worker keeps in its pool. Expert shards shared by data-parallel
    // replicas are held once per pool (weights and accumulated gradients); optimizer states
    // once per worker; activations for the micro-batches a stage holds at once.
    for (uint32_t w = 0; w < workers; ++w)
    {
        const RankProgram& program = graph.GetProgram(w);
        const RankCoord& c = placement.GetCoord(w);
        std::map<uint32_t, uint64_t> experts; // layer -> bytes
        uint64_t optimizer = 0;
        uint64_t activations = 0;
        for (const auto& n : program.nodes)
        {
            if (n.memory == MemoryAccess::NONE)
            {
                continue;
            }
            if (n.content == MemoryContent::EXPERTS)
            {
                experts[n.layer] = n.bytes;
            }
            else if (n.content == MemoryContent::OPTIMIZER)
            {
                optimizer = n.bytes;
            }
            else if (n.content == MemoryContent::ACTIVATIONS && n.memory == MemoryAccess::STORE &&
                     n.microBatch == 0)
            {
                activations += n.bytes;
            }
        }
        uint32_t held = 1;
        for (uint32_t k : program.inFlight)
        {
            held = std::max(held, k);
        }
        uint64_t expertBytes = 0;
        for (const auto& [layer, bytes] : experts)
        {
            expertBytes += 2 * bytes;
        }
        const uint32_t shard = c.dp % graph.GetWorkload().plan.ep;
        const std::string prefix = "job " + graph.GetWorkload().name + " ";
        if (expertBytes > 0)
        {
            m_pools[w]->Allocate(prefix + "experts stage " + std::to_string(c.pp) + " tp " +
                                     std::to_string(c.tp) + " ep " + std::to_string(shard),
                                 expertBytes);
        }
        if (optimizer > 0)
        {
            m_pools[w]->Allocate(prefix + "worker " + std::to_string(w) + " optimizer", optimizer);
        }
        if (activations > 0)
        {
            m_pools[w]->Allocate(prefix + "worker " + std::to_string(w) + " activations",
                                 activations * held);
        }
    }
}

uint32_t
TrainingJob::GetPoolPort(uint32_t worker) const
{
    return worker < m_poolPort.size() ? m_poolPort[worker] : UINT32_MAX;
}

void
TrainingJob::Access(uint32_t worker, uint32_t node, CollectiveDone done)
{
    const ExecutionGraph& graph = GetGraph();
    const GraphNode& n = graph.GetProgram(worker).nodes[node];
    const Time start = Simulator::Now();
    const bool store = n.memory == MemoryAccess::STORE;
    const std::string name = store ? "memory-store" : "memory-load";
    if (n.bytes == 0)
    {
        Simulator::ScheduleNow([done, start]() { done(start, start); });
        return;
    }
    NS_ABORT_MSG_IF(worker >= m_poolPort.size(), "a memory node without a pool");
    const uint32_t port = m_poolPort[worker];
    // Communicator ranks: 0 the GPU, 1 the pool port; loads and stores run on connections of
    // their own (they overlap).
    const uint64_t id = kMemoryPoolKind | (uint64_t(worker) << 1) | (store ? 1 : 0);
    Ptr<Communicator> comm =
        GetCommunicator(id, {graph.GetPlacement().GetTopologyRank(worker), port});
    // The pool's devices serve the access as its data streams (the FIFO of MemoryPool).
    const Time served = start + m_pools[worker]->Access(store, n.bytes);
    const uint64_t bytes = n.bytes;
    auto finish = [this, done, start, served, name, bytes](Time analytical) {
        const Time end = std::max(Simulator::Now(), served);
        Simulator::Schedule(end - Simulator::Now(), [this, done, start, name, bytes, analytical]() {
            Account(WorkloadGroup::TP, name, CollectiveOp::SEND_RECV, bytes, start, analytical);
            done(start, Simulator::Now());
        });
    };
    const uint32_t from = store ? 0 : 1;
    if (m_backend == ANALYTICAL)
    {
        // The pool port's link is shared by every worker that uses it: an access waits for the
        // ones before it on that link, as on the wire (a worker's own loads and stores are
        // already in order).
        const Time oneWay = GetEstimate(id, comm, CollectiveOp::SEND_RECV, bytes);
        Time& linkFree = store ? m_poolInFree[port] : m_poolOutFree[port];
        const Time begin = std::max(start, linkFree);
        linkFree = begin + oneWay;
        Simulator::Schedule(begin + oneWay - start, [finish, oneWay]() { finish(oneWay); });
        return;
    }
    comm->Start(CollectiveOp::SEND_RECV,
                bytes,
                Communicator::DoneCallback(
                    [finish](const CollectiveReport& report) { finish(report.analyticalTime); }),
                from,
                1 - from);
}

const ExecutionGraph&
TrainingJob::GetGraph() const
{
    NS_ABORT_MSG_IF(!m_graph, "TrainingJob: Setup() first");
    return *m_graph;
}

Ptr<FabricTopology>
TrainingJob::GetTopology() const
{
    return m_topology;
}

TrainingJob::Backend
TrainingJob::GetBackend() const
{
    return m_backend;
}

uint32_t
TrainingJob::GetIterations() const
{
    return m_iterations;
}

void
TrainingJob::SetSlowdown(uint32_t worker, uint32_t iteration, double factor)
{
    if (!(factor > 0) || !std::isfinite(factor))
    {
        throw FabricConfigError("TrainingJob",
                                "slowdown of worker " + std::to_string(worker) + " must be > 0");
    }
    m_slowdowns[{worker, iteration}] = factor;
}

std::vector<TrainingJob::Straggler>
TrainingJob::ParseStragglers(const std::string& list, const std::string& field)
{
    std::vector<Straggler> stragglers;
    size_t pos = 0;
    while (pos < list.size())
    {
        const size_t end = std::min(list.find(',', pos), list.size());
        const std::string item = list.substr(pos, end - pos);
        pos = end + 1;
        const std::string bad =
            "\"" + item + "\" is not WORKER:ITERATION:FACTOR (ITERATION * for all)";
        const size_t a = item.find(':');
        const size_t b = a == std::string::npos ? a : item.find(':', a + 1);
        if (b == std::string::npos)
        {
            throw FabricConfigError(field, bad);
        }
        // A whole unsigned number, no sign, no trailing text (stoul takes "-1" and "3x").
        auto whole = [&](const std::string& text) {
            if (text.empty() || text.size() > 9 ||
                text.find_first_not_of("0123456789") != std::string::npos)
            {
                throw FabricConfigError(field, bad);
            }
            return static_cast<uint32_t>(std::stoul(text));
        };
        Straggler s;
        s.worker = whole(item.substr(0, a));
        const std::string it = item.substr(a + 1, b - a - 1);
        if (it != "*")
        {
            s.iteration = whole(it);
        }
        const std::string factor = item.substr(b + 1);
        size_t used = 0;
        try
        {
            s.factor = std::stod(factor, &used);
        }
        catch (const std::logic_error&)
        {
            throw FabricConfigError(field, bad);
        }
        if (used != factor.size() || !(s.factor > 0) || !std::isfinite(s.factor))
        {
            throw FabricConfigError(field, "\"" + item + "\": FACTOR must be a finite number > 0");
        }
        stragglers.push_back(s);
    }
    return stragglers;
}

void
TrainingJob::SetStragglers(const std::string& list, const std::string& field, uint32_t iterations)
{
    const uint32_t workers = GetGraph().GetNWorkers();
    for (const Straggler& s : ParseStragglers(list, field))
    {
        if (s.worker >= workers)
        {
            throw FabricConfigError(field,
                                    "worker " + std::to_string(s.worker) +
                                        " does not exist (the job has " + std::to_string(workers) +
                                        " workers)");
        }
        for (uint32_t i = 0; i < std::max(iterations, 1U); ++i)
        {
            if (!s.iteration || *s.iteration == i)
            {
                SetSlowdown(s.worker, i, s.factor);
            }
        }
    }
}

int64_t
TrainingJob::AssignStreams(int64_t stream)
{
    if (m_slowdownStream)
    {
        m_slowdownStream->SetStream(stream);
    }
    return 1;
}

double
TrainingJob::GetSlowdown(uint32_t worker, uint32_t iteration)
{
    auto it = m_slowdowns.find({worker, iteration});
    if (it != m_slowdowns.end())
    {
        return it->second;
    }
    if (!m_slowdownStream)
    {
        return 1.0;
    }
    // Draw the whole iteration in worker order, so that the draws do not depend on timing.
    const uint32_t workers = GetGraph().GetNWorkers();
    for (uint32_t w = 0; w < workers; ++w)
    {
        const double factor = m_slowdownStream->GetValue();
        if (!(factor > 0))
        {
            throw FabricConfigError("TrainingJob",
                                    "the Slowdown stream drew " + std::to_string(factor) +
                                        " for worker " + std::to_string(w) +
                                        "; factors must be > 0");
        }
        m_slowdowns.emplace(std::make_pair(w, iteration), factor);
    }
    return m_slowdowns.at({worker, iteration});
}

Time
TrainingJob::GetComputeTime(uint32_t worker, const GraphNode& node) const
{
    if (node.task.measured.IsStrictlyPositive())
    {
        return node.task.measured;
    }
    return m_computeModel->GetDuration(node.task, m_gpus.at(worker));
}

const GpuSpec&
TrainingJob::GetGpu(uint32_t worker) const
{
    return m_gpus.at(worker);
}

const std::vector<std::vector<uint32_t>>&
TrainingJob::GetDependents(const RankProgram& program)
{
    auto it = m_dependents.find(&program);
    if (it != m_dependents.end())
    {
        return it->second;
    }
    std::vector<std::vector<uint32_t>> dependents(program.nodes.size());
    for (uint32_t i = 0; i < program.nodes.size(); ++i)
    {
        for (uint32_t d : program.nodes[i].deps)
        {
            dependents[d].push_back(i);
        }
    }
    return m_dependents.emplace(&program, std::move(dependents)).first->second;
}

Ptr<Communicator>
TrainingJob::GetCommunicator(uint64_t groupId, const std::vector<uint32_t>& ranks)
{
    auto it = m_communicators.find(groupId);
    if (it != m_communicators.end())
    {
        return it->second;
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    // Many collectives run at once: one measurement over the whole run replaces per-op ones.
    comm->SetAttribute("MeasureLinks", BooleanValue(false));
    comm->Setup(m_topology, ranks);
    m_communicators.emplace(groupId, comm);
    return comm;
}

void
TrainingJob::Arrive(uint32_t worker, uint32_t iteration, uint32_t node, CollectiveDone done)
{
    const ExecutionGraph& graph = GetGraph();
    const GraphNode& n = graph.GetProgram(worker).nodes[node];
    const WorkloadDescription& w = graph.GetWorkload();
    if (w.plan.mode != TrainingMode::SYNC &&
        (n.group == WorkloadGroup::DP || n.group == WorkloadGroup::EDP))
    {
        PushPull(worker, n.bytes, done);
        return;
    }
    const GroupInstance g = graph.GetGroup(worker, n);
    if (g.workers.size() < 2)
    {
        const Time now = Simulator::Now();
        Simulator::ScheduleNow([done, now]() { done(now, now); });
        return;
    }
    const auto key = std::make_tuple(g.id, iteration, n.seq);
    Pending& op = m_pending[key];
    if (op.members.empty())
    {
        op.members.resize(g.workers.size());
    }
    op.members[g.self] = done;
    op.bytes = std::max(op.bytes, n.bytes);
    if (++op.arrived < g.workers.size())
    {
        return;
    }
    Pending ready = std::move(op);
    m_pending.erase(key);
    Launch(g, n, std::move(ready));
}

void
TrainingJob::Launch(const GroupInstance& g, const GraphNode& node, Pending op)
{
    const Time start = Simulator::Now();
    const uint64_t bytes = op.bytes;
    const WorkloadGroup group = node.group;
    const std::string name = g.name;
    const CollectiveOp collective = node.op;
    auto finish =
        [this, start, bytes, group, name, collective](const std::vector<CollectiveDone>& members,
                                                      Time analytical) {
            Account(group, name, collective, bytes, start, analytical);
            const Time end = Simulator::Now();
            for (const auto& done : members)
            {
                done(start, end);
            }
        };
    if (bytes == 0)
    {
        Simulator::ScheduleNow([finish, op]() { finish(op.members, Time()); });
        return;
    }
    std::vector<uint32_t> ranks;
    for (uint32_t w : g.workers)
    {
        ranks.push_back(GetGraph().GetPlacement().GetTopologyRank(w));
    }
    Ptr<Communicator> comm = GetCommunicator(g.id, ranks);
    if (m_backend == ANALYTICAL)
    {
        const Time duration = GetEstimate(g.id, comm, collective, bytes);
        Simulator::Schedule(duration, [finish, op, duration]() { finish(op.members, duration); });
        return;
    }
    comm->Start(collective,
                bytes,
                Communicator::DoneCallback([finish, op](const CollectiveReport& report) {
                    finish(op.members, report.analyticalTime);
                }),
                0,
                1);
}

Time
TrainingJob::GetEstimate(uint64_t groupId, Ptr<Communicator> comm, CollectiveOp op, uint64_t bytes)
{
    const auto key = std::make_tuple(groupId, static_cast<uint8_t>(op), bytes);
    auto it = m_estimates.find(key);
    if (it == m_estimates.end())
    {
        it = m_estimates.emplace(key, comm->Estimate(op, bytes, 0, 1).analyticalTime).first;
    }
    return it->second;
}

void
TrainingJob::PushPull(uint32_t worker, uint64_t bytes, CollectiveDone done)
{
    const ExecutionGraph& graph = GetGraph();
    const WorkloadPlacement& placement = graph.GetPlacement();
    const uint32_t servers = graph.GetWorkload().plan.servers;
    const Time start = Simulator::Now();
    // Each server holds 1/servers of the parameters: the push and the pull of a shard run
    // one after the other on one connection, the shards in parallel.
    auto left = std::make_shared<uint32_t>(servers);
    auto shardDone = [done, left, start]() {
        if (--*left == 0)
        {
            done(start, Simulator::Now());
        }
    };
    for (uint32_t k = 0; k < servers; ++k)
    {
        const uint64_t shard = bytes / servers + (k < bytes % servers ? 1 : 0);
        // Communicator ranks: 0 the worker, 1 the server.
        const uint64_t id = kParameterServerKind | (uint64_t(worker) * servers + k);
        Ptr<Communicator> comm =
            GetCommunicator(id, {placement.GetTopologyRank(worker), placement.GetServerRank(k)});
        if (shard == 0)
        {
            Simulator::ScheduleNow(shardDone);
            continue;
        }
        if (m_backend == ANALYTICAL)
        {
            // A server's link is shared by every worker, and a worker's by its shards: a shard
            // waits until the transfers before it on both ends have crossed them, as on the
            // wire. The cost of the p2p itself is the analytical one-way estimate.
            const Time oneWay = GetEstimate(id, comm, CollectiveOp::SEND_RECV, shard);
            if (m_serverInFree.size() < servers)
            {
                m_serverInFree.resize(servers);
                m_serverOutFree.resize(servers);
            }
            if (m_workerOutFree.size() <= worker)
            {
                m_workerOutFree.resize(worker + 1);
                m_workerInFree.resize(worker + 1);
            }
            const Time pushStart = std::max({start, m_serverInFree[k], m_workerOutFree[worker]});
            m_serverInFree[k] = pushStart + oneWay;
            m_workerOutFree[worker] = pushStart + oneWay;
            const Time pullStart =
                std::max({pushStart + oneWay, m_serverOutFree[k], m_workerInFree[worker]});
            m_serverOutFree[k] = pullStart + oneWay;
            m_workerInFree[worker] = pullStart + oneWay;
            const Time end = pullStart + oneWay;
            Simulator::Schedule(end - start, [this, shardDone, shard, oneWay, start]() {
                Account(WorkloadGroup::DP,
                        "",
                        CollectiveOp::SEND_RECV,
                        2 * shard,
                        start,
                        oneWay + oneWay);
                shardDone();
            });
            continue;
        }
        const Time shardStart = Simulator::Now();
        comm->Start(CollectiveOp::SEND_RECV,
                    shard,
                    Communicator::DoneCallback(
                        [this, comm, shard, shardDone, shardStart](const CollectiveReport& push) {
                            const Time pushModel = push.analyticalTime;
                            comm->Start(CollectiveOp::SEND_RECV,
                                        shard,
                                        Communicator::DoneCallback(
                                            [this, shard, shardDone, shardStart, pushModel](
                                                const CollectiveReport& pull) {
                                                Account(WorkloadGroup::DP,
                                                        "",
                                                        CollectiveOp::SEND_RECV,
                                                        2 * shard,
                                                        shardStart,
                                                        pushModel + pull.analyticalTime);
                                                shardDone();
                                            }),
                                        1,
                                        0);
                        }),
                    0,
                    1);
    }
}

void
TrainingJob::Account(WorkloadGroup group,
                     const std::string& groupName,
                     CollectiveOp op,
                     uint64_t bytes,
                     Time start,
                     Time analytical)
{
    const Time end = Simulator::Now();
    const std::string name =
        GetGraph().GetWorkload().plan.mode != TrainingMode::SYNC && group == WorkloadGroup::DP
            ? std::string("ps")
        : groupName.empty() ? WorkloadGroupName(group)
                            : groupName;
    GroupUsageRecord& usage = m_groupUsage[name];
    usage.group = name;
    usage.ops++;
    usage.bytes += bytes;
    usage.time += end - start;
    usage.analyticalSum += analytical;
    m_collectiveTrace(name, op, bytes, start, end);
}

bool
TrainingJob::MayStart(uint32_t worker, uint32_t iteration, Callback<void> resume)
{
    const WorkloadDescription& w = GetGraph().GetWorkload();
    if (w.plan.mode != TrainingMode::STALE_SYNC)
    {
        return true;
    }
    const uint32_t slowest = *std::min_element(m_replicaDone.begin(), m_replicaDone.end());
    if (iteration <= slowest + w.plan.staleness)
    {
        return true;
    }
    m_held.emplace_back(iteration, resume);
    return false;
}

void
TrainingJob::NotifyStart(uint32_t worker, uint32_t iteration)
{
    if (!m_started)
    {
        m_started = true;
        m_start = Simulator::Now();
        if (m_backend == PACKET && m_measureLinks)
        {
            m_linkUsage = std::make_unique<FabricLinkUsage>(m_topology);
            m_linkUsage->Start();
            m_hotPorts = std::make_unique<FabricHotPorts>(m_topology);
            if (m_hotPortPeriod.IsStrictlyPositive())
            {
                m_hotPorts->StartSampling(m_hotPortPeriod);
            }
        }
    }
    const uint32_t replica = GetGraph().GetPlacement().GetCoord(worker).dp;
    const uint32_t slowest = *std::min_element(m_replicaDone.begin(), m_replicaDone.end());
    m_maxClockGap = std::max(m_maxClockGap, iteration - std::min(iteration, slowest));
    auto& versions = m_replicaStartVersion[replica];
    if (versions.size() <= iteration)
    {
        versions.resize(iteration + 1, UINT32_MAX);
    }
    if (versions[iteration] == UINT32_MAX)
    {
        versions[iteration] = m_updates;
    }
}

void
TrainingJob::NotifyIteration(const WorkerIterationRecord& record)
{
    const ExecutionGraph& graph = GetGraph();
    const uint32_t workers = graph.GetNWorkers();
    m_records.push_back(record);
    m_workerIterationTrace(record);

    // The replica's update, for staleness and the stale-synchronous bound.
    const uint32_t replica = graph.GetPlacement().GetCoord(record.worker).dp;
    auto& progress = m_replicaProgress[replica];
    if (progress.size() <= record.iteration)
    {
        progress.resize(record.iteration + 1, 0);
    }
    const uint32_t perReplica = workers / graph.GetWorkload().plan.dp;
    if (++progress[record.iteration] == perReplica)
    {
        if (graph.GetWorkload().plan.mode != TrainingMode::SYNC)
        {
            const uint32_t staleness = m_updates - m_replicaStartVersion[replica][record.iteration];
            m_maxStaleness = std::max(m_maxStaleness, staleness);
            m_records.back().staleness = staleness;
        }
        ++m_updates;
        m_replicaDone[replica] = std::max(m_replicaDone[replica], record.iteration + 1);
        if (!m_held.empty())
        {
            auto held = std::move(m_held);
            m_held.clear();
            for (auto& [iteration, resume] : held)
            {
                // MayStart re-holds those still too far ahead.
                Simulator::ScheduleNow(resume);
            }
        }
    }

    // The job's iteration, once every worker has finished it.
    if (m_finishedPerIteration.size() <= record.iteration)
    {
        m_finishedPerIteration.resize(record.iteration + 1, 0);
    }
    if (++m_finishedPerIteration[record.iteration] < workers)
    {
        return;
    }
    IterationRecord it;
    it.iteration = record.iteration;
    it.end = Simulator::Now();
    const Time previous = m_iterationRecords.empty() ? m_start : m_iterationRecords.back().end;
    it.time = it.end - previous;
    for (const auto& r : m_records)
    {
        if (r.iteration == record.iteration)
        {
            it.compute += r.compute;
            it.communication += r.communication;
            it.exposed += r.exposed;
            it.memory += r.memory;
            it.exposedMemory += r.exposedMemory;
            it.idle += r.idle;
            it.workers++;
        }
    }
    it.compute = it.compute / it.workers;
    it.communication = it.communication / it.workers;
    it.exposed = it.exposed / it.workers;
    it.memory = it.memory / it.workers;
    it.exposedMemory = it.exposedMemory / it.workers;
    it.idle = it.idle / it.workers;
    it.mfu =
        it.time.IsStrictlyPositive() ? m_modelFlops / (it.time.GetSeconds() * m_peakFlops) : 0.0;
    m_iterationRecords.push_back(it);
    NS_LOG_INFO("iteration " << it.iteration << ": " << it.time.As(Time::US));
    if (m_linkUsage)
    {
        m_linksSnapshot = m_linkUsage->Measure();
        m_portsSnapshot = m_linkUsage->MeasurePorts();
        if (m_iterations > 0 && m_iterationRecords.size() >= m_iterations)
        {
            m_hotPorts->Stop(); // the last iteration: sampling would keep the simulation going
        }
        m_hotSnapshot = m_hotPorts->Rank(10);
        m_linksMeasured = true;
    }
    m_iterationTrace(it);
}

void
TrainingJob::Record(uint32_t worker,
                    const std::string& track,
                    const std::string& label,
                    Time start,
                    Time end)
{
    if (m_timelineEnabled)
    {
        m_timeline.Add(worker, track, label, start, end);
    }
}

const TrainingTimeline&
TrainingJob::GetTimeline() const
{
    return m_timeline;
}

TrainingReport
TrainingJob::GetReport() const
{
    const ExecutionGraph& graph = GetGraph();
    const WorkloadDescription& w = graph.GetWorkload();
    TrainingReport report;
    report.workload = w.name;
    report.backend = m_backend == PACKET ? "packet" : "analytical";
    report.mode = ModeName(w.plan.mode);
    report.gpus = w.GetGpuCount();
    report.workers = graph.GetNWorkers();
    report.plan = "dp " + std::to_string(w.plan.dp) + " x tp " + std::to_string(w.plan.tp) +
                  " x pp " + std::to_string(w.plan.pp) +
                  (w.plan.ep > 1 ? " (ep " + std::to_string(w.plan.ep) + ")" : std::string());
    report.modelFlopsPerIteration = m_modelFlops;
    report.iterations = m_iterationRecords;
    report.perWorker = m_records;
    std::sort(report.perWorker.begin(),
              report.perWorker.end(),
              [](const WorkerIterationRecord& a, const WorkerIterationRecord& b) {
                  return std::tie(a.worker, a.iteration) < std::tie(b.worker, b.iteration);
              });
    for (const auto& [name, usage] : m_groupUsage)
    {
        report.groups.push_back(usage);
    }
    report.completedIterations = static_cast<uint32_t>(m_iterationRecords.size());
    report.maxClockGap = m_maxClockGap;
    report.maxStaleness = m_maxStaleness;
    report.measuredLinks = m_linksMeasured;
    report.links = m_linksSnapshot;
    report.ports = m_portsSnapshot;
    report.hotPorts = m_hotSnapshot;
    if (m_hotPorts && m_hotPortPeriod.IsStrictlyPositive())
    {
        report.hotPortSamplePeriod = m_hotPortPeriod;
        report.hotPortSampleStart = m_start;
    }
    return report;
}

} // namespace ns3
