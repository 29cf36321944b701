/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Memory pools on the fabric: the pool's service and capacity, memory nodes in topologies,
// pooled state in workloads, and the replay of loads and stores over both backends.

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// Hosts of one H100 and one NDR HCA each, then one memory node of `ports` NDR ports.
std::string
PoolTopology(uint32_t hosts, uint32_t ports, const std::string& bandwidth)
{
    return "name: hosts and a pool\n"
           "node-kinds:\n"
           "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
           "  pool: {ports: " +
           std::to_string(ports) +
           ", hca-speed: NDR, memory: {capacity: 64GiB, bandwidth: " + bandwidth +
           ", latency: 300ns}}\n"
           "nodes:\n"
           "  - {kind: host, count: " +
           std::to_string(hosts) +
           "}\n"
           "  - {kind: pool, count: 1}\n"
           "fat-tree: {levels: 2, radix: 16, oversubscription: 1, rail-optimized: false, "
           "speed: NDR, width: 4}\n";
}

/// A small MoE with its experts in the pool (or not), data parallel with ep 2.
std::string
PooledMoe(const std::string& experts, const std::string& reduce = "gpus")
{
    return "name: tiny-moe\n"
           "model: {type: transformer, layers: 2, hidden: 1024, heads: 16, sequence: 256, "
           "vocabulary: 8000, dtype: bf16, moe: {experts: 4, top-k: 2}}\n"
           "training: {global-batch: 8, micro-batch: 1, recompute: none}\n"
           "parallelism: {tp: 1, pp: 1, ep: 2}\n"
           "memory: {experts: " +
           experts + (experts == "pool" ? ", reduce: " + reduce : std::string()) + "}\n";
}

/// What one replay gave.
struct PoolRun
{
    TrainingReport report;   //!< the job's report
    uint64_t loadBytes{0};   //!< bytes of the graph's load nodes, all workers
    uint64_t storeBytes{0};  //!< bytes of its store nodes
    uint64_t poolRead{0};    //!< what the pool served to loads
    uint64_t poolWritten{0}; //!< what it took from stores
};

PoolRun
Replay(const std::string& topologyYaml, const std::string& workloadYaml, const std::string& backend)
{
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(topologyYaml, "topology"));
    const WorkloadDescription w =
        WorkloadReader::ReadString(workloadYaml, "workload", topology->GetNGpus());
    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue(backend));
    helper.SetJobAttribute("Iterations", UintegerValue(1));
    Ptr<TrainingJob> job = helper.Install(topology, w);
    PoolRun run;
    const ExecutionGraph& graph = job->GetGraph();
    for (uint32_t k = 0; k < graph.GetNWorkers(); ++k)
    {
        for (const auto& n : graph.GetProgram(k).nodes)
        {
            (n.memory == MemoryAccess::LOAD ? run.loadBytes : run.storeBytes) +=
                n.memory == MemoryAccess::NONE ? 0 : n.bytes;
        }
    }
    Simulator::Run();
    run.report = job->GetReport();
    for (uint32_t r : topology->GetMemoryEndpoints())
    {
        if (Ptr<MemoryPool> pool = topology->GetGpuNode(r)->GetObject<MemoryPool>())
        {
            run.poolRead += pool->GetBytesRead();
            run.poolWritten += pool->GetBytesWritten();
        }
    }
    Simulator::Destroy();
    return run;
}

} // namespace

TEST(MemoryPoolTest, ServesAccessesInOrderAtItsBandwidthAndChecksCapacity)
{
    Ptr<MemoryPool> pool = CreateObject<MemoryPool>();
    pool->SetAttribute("Bandwidth", DataRateValue(DataRate("8Gb/s"))); // 1 byte per ns
    pool->SetAttribute("Latency", TimeValue(NanoSeconds(300)));
    pool->SetAttribute("Capacity", UintegerValue(1000));
    // Two accesses at t = 0: the second waits for the first (1000 ns each), plus the latency.
    EXPECT_EQ(pool->Access(false, 1000), NanoSeconds(1300));
    EXPECT_EQ(pool->Access(true, 1000), NanoSeconds(2300));
    EXPECT_EQ(pool->GetBytesRead(), 1000u);
    EXPECT_EQ(pool->GetBytesWritten(), 1000u);
    EXPECT_EQ(pool->GetBusyTime(), NanoSeconds(2000));
    pool->Allocate("a", 600);
    pool->Allocate("a", 700); // replaces a's 600
    EXPECT_EQ(pool->GetAllocated(), 700u);
    EXPECT_THROW(pool->Allocate("b", 301), FabricConfigError);
    pool->Free("a");
    EXPECT_NO_THROW(pool->Allocate("b", 1000));
    Simulator::Destroy();
}

TEST(MemoryPoolTest, MemoryNodesAreEndpointsAfterTheGpus)
{
    Ptr<FabricTopology> topology = TopologyHelper().Build(
        TopologyReader::ReadString(PoolTopology(4, 2, "100GB/s"), "topology"));
    EXPECT_EQ(topology->GetNRanks(), 6u);
    EXPECT_EQ(topology->GetNGpus(), 4u);
    EXPECT_EQ(topology->GetMemoryEndpoints(), (std::vector<uint32_t>{4, 5}));
    EXPECT_FALSE(topology->IsMemoryEndpoint(3));
    Ptr<MemoryPool> pool = MemoryPool::Find(topology, 5);
    ASSERT_TRUE(pool);
    EXPECT_EQ(pool, MemoryPool::Find(topology, 4)); // one pool behind both ports
    EXPECT_EQ(pool->GetBandwidth(), DataRate("100GB/s"));
    EXPECT_EQ(pool->GetCapacity(), 64ull << 30);
    EXPECT_FALSE(MemoryPool::Find(topology, 0));
    // Its ports are reached over the fabric like any HCA.
    EXPECT_GE(topology->GetPath(0, 5).size(), 3u);
    Simulator::Destroy();
}

TEST(MemoryPoolTest, BadMemoryInputIsAClearError)
{
    // A memory node without ports, GPUs on a memory node, GPU groups after memory groups.
    EXPECT_THROW(TopologyReader::ReadString("node-kinds:\n  m: {memory: {capacity: 1GiB}}\n"
                                            "nodes:\n  - {kind: m, count: 1}\n",
                                            "t"),
                 TopologyError);
    EXPECT_THROW(TopologyReader::ReadString("node-kinds:\n  m: {ports: 1, gpus: 2, memory: {}}\n"
                                            "nodes:\n  - {kind: m, count: 1}\n",
                                            "t"),
                 TopologyError);
    EXPECT_THROW(
        TopologyHelper().Build(TopologyReader::ReadString(
            "node-kinds:\n  h: {gpus: 1, hcas: 1}\n  m: {ports: 1, hca-speed: NDR, memory: {}}\n"
            "nodes:\n  - {kind: m, count: 1}\n  - {kind: h, count: 2}\n"
            "fat-tree: {levels: 2, radix: 8, rail-optimized: false}\n",
            "t")),
        TopologyError);
    // Pooled experts need an MoE; the pool's reduction needs pooled experts.
    EXPECT_THROW(
        WorkloadReader::ReadString(
            "model: {type: transformer, layers: 2, hidden: 1024, heads: 16, sequence: "
            "256, vocabulary: 8000}\ntraining: {global-batch: 4}\nmemory: {experts: pool}\n",
            "w",
            4),
        WorkloadError);
    EXPECT_THROW(WorkloadReader::ReadString(PooledMoe("hbm") + "memory: {reduce: pool}\n", "w", 4),
                 std::exception);
    // A workload that pools state on a fabric without a memory node.
    Ptr<FabricTopology> plain = TopologyHelper().Build(TopologyReader::ReadString(
        "node-kinds:\n  h: {gpus: 1, hcas: 1}\nnodes:\n  - {kind: h, count: 4}\n"
        "fat-tree: {levels: 2, radix: 8}\n",
        "t"));
    TrainingHelper helper;
    EXPECT_THROW(helper.Install(plain, WorkloadReader::ReadString(PooledMoe("pool"), "w", 4)),
                 FabricConfigError);
    Simulator::Destroy();
}

TEST(MemoryPoolTest, PooledExpertsMoveEveryByteAndNeedBandwidthToBreakEven)
{
    const std::string topo = PoolTopology(4, 4, "400GB/s");
    // The generator: loads before each MoE forward and backward, stores after the backward,
    // and no expert-data-parallel all-reduce when the pool sums the replicas.
    {
        Ptr<FabricTopology> topology =
            TopologyHelper().Build(TopologyReader::ReadString(topo, "topology"));
        const ExecutionGraph graph = WorkloadGenerator().Generate(
            WorkloadReader::ReadString(PooledMoe("pool", "pool"), "w", 4),
            WorkloadPlacement::ServersOf(topology->GetDescription()));
        uint32_t loads = 0;
        uint32_t stores = 0;
        for (const auto& n : graph.GetProgram(0).nodes)
        {
            loads += n.memory == MemoryAccess::LOAD;
            stores += n.memory == MemoryAccess::STORE;
            EXPECT_FALSE(!n.compute && n.memory == MemoryAccess::NONE &&
                         n.group == WorkloadGroup::EDP);
        }
        // 2 layers x 2 micro-batches: a load each forward and backward, a store each backward.
        EXPECT_EQ(loads, 8u);
        EXPECT_EQ(stores, 4u);
        Simulator::Destroy();
    }
    // Both backends move exactly the graph's bytes through the pool, and agree.
    const PoolRun analytical = Replay(topo, PooledMoe("pool"), "analytical");
    const PoolRun packet = Replay(topo, PooledMoe("pool"), "packet");
    for (const PoolRun* run : {&analytical, &packet})
    {
        EXPECT_GT(run->loadBytes, 0u);
        EXPECT_EQ(run->poolRead, run->loadBytes);
        EXPECT_EQ(run->poolWritten, run->storeBytes);
        ASSERT_EQ(run->report.iterations.size(), 1u);
        EXPECT_GT(run->report.iterations[0].memory, Time());
    }
    const double ratio = packet.report.iterations[0].time.GetSeconds() /
                         analytical.report.iterations[0].time.GetSeconds();
    // The packet level is slower: loads, stores, the all-to-alls and the all-reduce share the
    // HCA links there, while the analytical backend queues memory traffic only behind memory
    // traffic (1.33x measured here).
    EXPECT_GT(ratio, 0.95);
    EXPECT_LT(ratio, 1.6);
    // A slow pool exposes its loads; a fast one hides them behind compute. The iteration
    // time falls as the pool's bandwidth rises, and stops falling once the links bound it.
    Time previous = Time::Max();
    Time exposedSlow;
    Time exposedFast;
    for (const char* bandwidth : {"1GB/s", "10GB/s", "100GB/s", "1000GB/s"})
    {
        const PoolRun run = Replay(PoolTopology(4, 4, bandwidth), PooledMoe("pool"), "analytical");
        const IterationRecord& it = run.report.iterations.at(0);
        EXPECT_LE(it.time, previous) << bandwidth;
        previous = it.time;
        (std::string(bandwidth) == "1GB/s" ? exposedSlow : exposedFast) = it.exposedMemory;
        // compute + exposed communication + exposed memory + idle = the iteration
        for (const auto& r : run.report.perWorker)
        {
            EXPECT_EQ(r.compute + r.exposed + r.exposedMemory + r.idle, r.end - r.start);
        }
    }
    EXPECT_GT(exposedSlow, 10 * exposedFast);
}

TEST(MemoryPoolTest, TheShippedStudyBreaksEvenAboveAPoolBandwidth)
{
    // examples/study-disaggregated-memory's case on the analytical backend: local memory beside
    // each server against one shared pool, for the Mixtral-style MoE with offloaded experts.
    const std::string root = std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/";
    WorkloadDescription pooled =
        WorkloadReader::ReadFile(root + "workloads/mixtral-8x7b-pooled-experts.yaml");
    WorkloadDescription local = pooled;
    local.memory.reduceInPool = false;
    auto run = [](const TopologyDescription& topo, WorkloadDescription w) {
        Ptr<FabricTopology> topology = TopologyHelper().Build(topo);
        w.Validate(topology->GetNGpus());
        TrainingHelper helper;
        helper.SetJobAttribute("Backend", StringValue("analytical"));
        helper.SetJobAttribute("Iterations", UintegerValue(1));
        helper.SetJobAttribute("MeasureLinks", BooleanValue(false));
        Ptr<TrainingJob> job = helper.Install(topology, w);
        Simulator::Run();
        const IterationRecord it = job->GetReport().iterations.at(0);
        Simulator::Destroy();
        return it;
    };
    const IterationRecord base =
        run(TopologyReader::ReadFile(root + "topologies/dgx-h100-2node-local-memory.yaml"), local);
    TopologyDescription poolTopo =
        TopologyReader::ReadFile(root + "topologies/dgx-h100-2node-memory-pool.yaml");
    auto atBandwidth = [&](const char* rate) {
        TopologyDescription t = poolTopo;
        t.kinds.at("pool").memoryBandwidth = DataRate(rate);
        return run(t, pooled);
    };
    const IterationRecord slow = atBandwidth("100GB/s");
    const IterationRecord fast = atBandwidth("800GB/s");
    // Pooled memory helps only above a bandwidth threshold...
    EXPECT_GT(slow.time, base.time);
    EXPECT_LT(fast.time, base.time);
    // ...where it hides its loads and saves the replicas' expert all-reduce.
    EXPECT_LT(fast.exposed + fast.exposedMemory, base.exposed + base.exposedMemory);
    EXPECT_GT(slow.exposedMemory, 10 * fast.exposedMemory);
}
