/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The Crius study: job traces, the Cell scheduler against FCFS, and jobs that share a fabric.

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

std::string
Example(const std::string& path)
{
    return std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/" + path;
}

/// 2 servers of 4 A100 and 2 of 4 H100: ranks 0-7 A100, 8-15 H100.
ClusterSpec
SmallCluster()
{
    ClusterSpec c;
    for (uint32_t r = 0; r < 16; ++r)
    {
        c.gpuType.push_back(r < 8 ? "A100" : "H100");
        c.server.push_back(r / 4);
    }
    return c;
}

/// An estimator with perfect scaling: 1 s of work per GPU-iteration on an H100, 3x on A100.
Time
Linear(const TraceJob& job, const JobCell& cell)
{
    const double speed = cell.gpuType == "H100" ? 3.0 : 1.0;
    return Seconds(double(job.workload.training.globalBatch) / (cell.gpus * speed) /
                   (cell.pp > 1 ? 0.9 : 1.0));
}

JobTrace
Trace(const std::string& jobs)
{
    const std::string folder = std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/studies";
    return JobTraceReader::ReadString("jobs:\n" + jobs, "trace.yaml", folder);
}

/// Whether two placements overlap in time and share a GPU.
void
ExpectNoSharedGpu(const std::vector<JobPlacement>& ps, uint32_t ranks)
{
    for (size_t i = 0; i < ps.size(); ++i)
    {
        if (!ps[i].placed)
        {
            continue;
        }
        EXPECT_EQ(ps[i].ranks.size(), ps[i].cell.gpus);
        for (uint32_t r : ps[i].ranks)
        {
            EXPECT_LT(r, ranks);
        }
        for (size_t j = i + 1; j < ps.size(); ++j)
        {
            if (!ps[j].placed || ps[i].end <= ps[j].start || ps[j].end <= ps[i].start)
            {
                continue;
            }
            for (uint32_t r : ps[i].ranks)
            {
                EXPECT_EQ(std::count(ps[j].ranks.begin(), ps[j].ranks.end(), r), 0)
                    << "jobs " << i << " and " << j << " share GPU " << r;
            }
        }
    }
}

class CriusTest : public FabricTest
{
};

} // namespace

TEST_F(CriusTest, NoGpuTwiceNoOverCapacityAndUnplaceableJobsAreReported)
{
    const JobTrace trace =
        Trace("  - {name: a, arrival: 0ms, workload: jobs/gpt-350m.yaml, gpus: 8, iterations: 2}\n"
              "  - {name: b, arrival: 0ms, workload: jobs/gpt-350m.yaml, gpus: 8, gpu: H100}\n"
              "  - {name: huge, arrival: 1ms, workload: jobs/gpt-350m.yaml, gpus: 64}\n"
              "  - {name: c, arrival: 1ms, workload: jobs/gpt-350m.yaml, gpus: 4, iterations: 3}\n"
              "  - {name: d, arrival: 2ms, workload: jobs/gpt-350m.yaml, gpus: 8, gpu: H100}\n"
              "  - {name: e, arrival: 3ms, workload: jobs/gpt-350m.yaml, gpus: 2}\n");
    for (auto policy : {CellScheduler::FCFS, CellScheduler::CELLS})
    {
        CellScheduler s(SmallCluster(), Linear);
        const auto ps = s.Schedule(trace, policy);
        ASSERT_EQ(ps.size(), trace.jobs.size());
        ExpectNoSharedGpu(ps, 16);
        // The 64-GPU job fits nowhere: not placed, reported; the others all run.
        for (const JobPlacement& p : ps)
        {
            const std::string& name = trace.jobs[p.job].name;
            EXPECT_EQ(p.placed, name != "huge") << name;
            if (!p.placed)
            {
                EXPECT_NE(p.reason.find("fit nowhere"), std::string::npos) << p.reason;
            }
            else
            {
                EXPECT_GE(p.start, trace.jobs[p.job].arrival);
            }
        }
        // Capacity: at every start, the GPUs in use are at most the cluster's.
        for (const JobPlacement& p : ps)
        {
            uint32_t busy = 0;
            for (const JobPlacement& q : ps)
            {
                if (q.placed && q.start <= p.start && p.start < q.end)
                {
                    busy += q.cell.gpus;
                }
            }
            EXPECT_LE(busy, 16u);
        }
    }
    // FCFS: b and d both want all 8 H100 (b's own plan, 8 GPUs): d waits for b and says so.
    CellScheduler s(SmallCluster(), Linear);
    const auto ps = s.Schedule(trace, CellScheduler::FCFS);
    const JobPlacement& b = ps[1];
    const JobPlacement& d = ps[4];
    EXPECT_EQ(b.cell.gpuType, "H100");
    EXPECT_GE(d.start, b.end);
    EXPECT_GT(d.waited, Time());
    EXPECT_EQ(d.reason, "waited for free GPUs");
    EXPECT_NE(std::find(d.after.begin(), d.after.end(), 1u), d.after.end());
}

TEST_F(CriusTest, CellsSearchDpTimesTpInsideAndPreferFastGpus)
{
    const JobTrace trace =
        Trace("  - {name: a, arrival: 0ms, workload: jobs/gpt-1b.yaml, gpus: 8}\n");
    CellScheduler s(SmallCluster(), Linear);
    const JobCell c = s.SearchCell(trace.jobs[0], 0, "H100", 8, 1);
    EXPECT_EQ(c.dp * c.tp * c.pp, 8u);
    EXPECT_EQ(c.candidates, 4u); // tp 1, 2, 4, 8
    const auto ps = s.Schedule(trace, CellScheduler::CELLS);
    ASSERT_TRUE(ps[0].placed);
    EXPECT_EQ(ps[0].cell.gpuType, "H100"); // 3x faster in this estimator
    EXPECT_EQ(ps[0].cell.pp, 1u);          // pipelines cost 10 % here
}

TEST_F(CriusTest, CellSchedulerBeatsFcfsOnTheShippedTrace)
{
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadFile(Example("studies/hetero-cluster.yaml")));
    const JobTrace trace = JobTraceReader::ReadFile(Example("studies/crius-trace.yaml"));
    CellEstimator estimator(topology);
    const ClusterSpec cluster = CellEstimator::ClusterOf(topology);
    auto estimate = [&](const TraceJob& j, const JobCell& c) { return estimator.Estimate(j, c); };
    CellScheduler fcfs(cluster, estimate);
    CellScheduler cells(cluster, estimate);
    const auto a = fcfs.Schedule(trace, CellScheduler::FCFS);
    const auto b = cells.Schedule(trace, CellScheduler::CELLS);
    ExpectNoSharedGpu(a, topology->GetNRanks());
    ExpectNoSharedGpu(b, topology->GetNRanks());
    const ScheduleSummary sa = SummariseSchedule(trace, a);
    const ScheduleSummary sb = SummariseSchedule(trace, b);
    std::cout << "FCFS  mean JCT " << sa.meanJct * 1e3 << " ms, makespan " << sa.makespan * 1e3
              << " ms\nCells mean JCT " << sb.meanJct * 1e3 << " ms, makespan " << sb.makespan * 1e3
              << " ms\n";
    EXPECT_EQ(sa.placed, trace.jobs.size());
    EXPECT_EQ(sb.placed, trace.jobs.size());
    EXPECT_LT(sb.meanJct, sa.meanJct);
    Simulator::Destroy();
}

TEST_F(CriusTest, JobsSharingASpineInterfereAtPacketLevelOnly)
{
    // 6 hosts on 2 leaves of 3 with one uplink each (3:1): jobs {0, 3} and {1, 4} both cross
    // the spine through the same two uplinks.
    const std::string topo =
        "name: two-leaves\n"
        "node-kinds:\n"
        "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
        "nodes:\n  - {kind: host, count: 6}\n"
        "fat-tree: {levels: 2, radix: 4, oversubscription: 3, speed: NDR, width: 4}\n";
    const JobTrace trace =
        Trace("  - {name: a, arrival: 0ms, workload: jobs/gpt-350m.yaml, gpus: 2}\n"
              "  - {name: b, arrival: 0ms, workload: jobs/gpt-350m.yaml, gpus: 2}\n");
    std::vector<JobPlacement> both(2);
    for (uint32_t j = 0; j < 2; ++j)
    {
        both[j].job = j;
        both[j].placed = true;
        both[j].cell.gpuType = "H100";
        both[j].cell.gpus = 2;
        both[j].cell.dp = 2;
        both[j].ranks = {j, j + 3};
    }
    auto run = [&](const std::string& backend, const std::vector<JobPlacement>& ps) {
        Ptr<FabricTopology> topology =
            TopologyHelper().Build(TopologyReader::ReadString(topo, "two-leaves.yaml"));
        ClusterReplayHelper replay;
        replay.SetBackend(backend);
        const auto out = replay.Run(topology, trace, ps);
        Simulator::Destroy();
        return out;
    };
    std::vector<JobPlacement> alone = both;
    alone[1].placed = false;
    for (const std::string backend : {"packet", "analytical"})
    {
        const auto shared = run(backend, both);
        const auto single = run(backend, alone);
        ASSERT_TRUE(shared[0].ran && shared[1].ran && single[0].ran);
        const double slowdown =
            shared[0].meanIteration.GetSeconds() / single[0].meanIteration.GetSeconds();
        std::cout << backend << ": alone " << single[0].meanIteration.GetMicroSeconds()
                  << " us, shared " << shared[0].meanIteration.GetMicroSeconds() << " us\n";
        if (backend == "packet")
        {
            EXPECT_GT(slowdown, 1.05); // the shared uplinks slow both down
        }
        else
        {
            EXPECT_DOUBLE_EQ(slowdown, 1.0); // no contention in the alpha-beta model
        }
    }
}
