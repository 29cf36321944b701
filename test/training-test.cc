/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// TrainingJob and TrainingApplication: the replay of an execution graph over both backends.

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ns3;

namespace
{

/// Hosts of one H100 GPU and one NDR HCA each, on one leaf switch.
std::string
HostsTopology(uint32_t hosts)
{
    return HostsOnFatTreeYaml(hosts, 8);
}

/// A small transformer with a parallelism block.
std::string
TinyWorkload(const std::string& parallelism, uint32_t globalBatch = 4)
{
    return "name: tiny\n"
           "model: {type: transformer, layers: 2, hidden: 1024, heads: 16, sequence: 256, "
           "vocabulary: 8000, dtype: bf16}\n"
           "training: {global-batch: " +
           std::to_string(globalBatch) +
           ", micro-batch: 1, recompute: none}\n"
           "parallelism: {" +
           parallelism + "}\n";
}

/// What a job does when run alone.
struct JobRun
{
    TrainingReport report;     //!< its report
    Ptr<TrainingJob> job;      //!< the job
    ApplicationContainer apps; //!< its applications
};

/**
 * \brief Build a fabric, install the job and run it.
 */
JobRun
RunJob(const std::string& topologyYaml,
       const std::string& workloadYaml,
       const std::string& backend,
       uint32_t iterations = 1,
       const std::function<void(Ptr<TrainingJob>, ApplicationContainer&)>& setup = {})
{
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(topologyYaml, "topology"));
    const WorkloadDescription w =
        WorkloadReader::ReadString(workloadYaml, "workload", topology->GetNRanks());
    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue(backend));
    helper.SetJobAttribute("Iterations", UintegerValue(iterations));
    JobRun run;
    run.job = helper.Install(topology, w);
    run.apps = helper.GetApplications();
    if (setup)
    {
        setup(run.job, run.apps);
    }
    Simulator::Run();
    run.report = run.job->GetReport();
    Simulator::Destroy();
    return run;
}

/// A compute model for which compute takes no time.
class FreeCompute : public ComputeModel
{
  public:
    Time GetDuration(const ComputeTask&, const GpuSpec&) const override
    {
        return Time();
    }
};

} // namespace

TEST(TrainingTest, AnalyticalReplayIsTheCriticalPath)
{
    // 2 DGX H100 servers: TP 8 inside each, DP 2 across, with overlap, 1F1B over PP 1.
    const std::string topo = "name: two\n"
                             "node-kinds:\n"
                             "  dgx: {gpu: H100, board: H100, gpus: 8, hcas: 8, hca-speed: NDR, "
                             "hca-width: 4}\n"
                             "nodes:\n  - {kind: dgx, count: 2}\n"
                             "fat-tree: {levels: 2, radix: 16, rail-optimized: true, speed: NDR, "
                             "width: 4}\n";
    const std::string work = TinyWorkload("tp: 8, pp: 1, dp: 2, bucket-size: 8MiB, overlap: true");
    Time expected;
    const JobRun run =
        RunJob(topo, work, "analytical", 1, [&](Ptr<TrainingJob> job, ApplicationContainer&) {
            const ExecutionGraph& graph = job->GetGraph();
            std::map<std::tuple<uint64_t, int, uint64_t>, Time> cache;
            expected = graph.GetCriticalPath(
                [&](uint32_t w, const GraphNode& n) { return job->GetComputeTime(w, n); },
                [&](uint32_t w, const GraphNode& n) {
                    const GroupInstance g = graph.GetGroup(w, n.group);
                    const auto key = std::make_tuple(g.id, int(n.op), n.bytes);
                    if (!cache.count(key))
                    {
                        std::vector<uint32_t> ranks;
                        for (uint32_t m : g.workers)
                        {
                            ranks.push_back(graph.GetPlacement().GetTopologyRank(m));
                        }
                        Ptr<Communicator> comm = CreateObject<Communicator>();
                        comm->Setup(job->GetTopology(), ranks);
                        cache[key] = g.workers.size() < 2 || n.bytes == 0
                                         ? Time()
                                         : comm->Estimate(n.op, n.bytes, 0, 1).analyticalTime;
                    }
                    return cache[key];
                });
        });
    ASSERT_EQ(run.report.iterations.size(), 1u);
    EXPECT_EQ(run.report.iterations[0].time, expected);
    EXPECT_GT(run.report.iterations[0].compute, Time());
    EXPECT_GT(run.report.iterations[0].communication, Time());
    // The breakdown adds up, per worker.
    for (const auto& r : run.report.perWorker)
    {
        EXPECT_EQ(r.compute + r.exposed + r.idle, r.end - r.start);
        EXPECT_LE(r.exposed, r.communication);
    }
    EXPECT_GT(run.report.iterations[0].mfu, 0.0);
    EXPECT_LT(run.report.iterations[0].mfu, 1.0);
}

TEST(TrainingTest, PacketLevelIsNotFasterThanTheModelAndIsDeterministic)
{
    // DP 4 over one leaf: each all-reduce bucket crosses the IB links the others share.
    const std::string work =
        TinyWorkload("tp: 1, pp: 1, dp: 4, bucket-size: 8MiB, overlap: true", 8);
    const JobRun model = RunJob(HostsTopology(4), work, "analytical");
    const JobRun packet = RunJob(HostsTopology(4), work, "packet");
    const JobRun again = RunJob(HostsTopology(4), work, "packet");
    ASSERT_EQ(packet.report.iterations.size(), 1u);
    const Time tp = packet.report.iterations[0].time;
    const Time ta = model.report.iterations[0].time;
    RecordProperty("packet_us", std::to_string(tp.GetMicroSeconds()));
    RecordProperty("analytical_us", std::to_string(ta.GetMicroSeconds()));
    // The alpha-beta ring is a little pessimistic at these sizes (0.3% here).
    EXPECT_GE(tp.GetSeconds(), 0.99 * ta.GetSeconds());
    EXPECT_LT(tp.GetSeconds(), 1.10 * ta.GetSeconds());
    EXPECT_EQ(tp, again.report.iterations[0].time);
    // Links were measured, and the DP traffic crossed the IB links.
    ASSERT_TRUE(packet.report.measuredLinks);
    EXPECT_GT(packet.report.links.GetClass("IB hca->leaf").bytes, 0u);
    uint64_t dpBytes = 0;
    for (const auto& g : packet.report.groups)
    {
        if (g.group == "dp")
        {
            dpBytes = g.bytes;
        }
    }
    EXPECT_GT(dpBytes, 0u);
}

TEST(TrainingTest, StragglerOnTheCriticalPathDelaysTheIteration)
{
    // DP 2 without overlap: the all-reduce waits for the slower worker's whole backward pass.
    const std::string work =
        TinyWorkload("tp: 1, pp: 1, dp: 2, bucket-size: 64MiB, overlap: false", 4);
    const JobRun base = RunJob(HostsTopology(2), work, "analytical");
    const double factor = 1.5;
    const JobRun slow = RunJob(
        HostsTopology(2),
        work,
        "analytical",
        1,
        [&](Ptr<TrainingJob> job, ApplicationContainer&) { job->SetSlowdown(1, 0, factor); });
    const Time compute = base.report.GetWorker(1)[0].compute;
    const Time grown = slow.report.iterations[0].time - base.report.iterations[0].time;
    EXPECT_NEAR(grown.GetSeconds(), (factor - 1) * compute.GetSeconds(), 1e-4 * grown.GetSeconds());
    // The punctual worker waits: its idle time grows by the same amount before the reduction.
    EXPECT_GT(slow.report.GetWorker(0)[0].idle, base.report.GetWorker(0)[0].idle);
    EXPECT_DOUBLE_EQ(slow.report.GetWorker(1)[0].slowdown, factor);
}

TEST(TrainingTest, SlowdownStreamIsDeterministicPerSeed)
{
    const std::string work = TinyWorkload("tp: 1, pp: 1, dp: 2, bucket-size: 64MiB", 4);
    auto draw = [&](uint32_t run) {
        RngSeedManager::SetRun(run);
        return RunJob(HostsTopology(2),
                      work,
                      "analytical",
                      3,
                      [](Ptr<TrainingJob> job, ApplicationContainer&) {
                          job->SetAttribute(
                              "Slowdown",
                              StringValue("ns3::UniformRandomVariable[Min=1.0|Max=1.5]"));
                          job->AssignStreams(7);
                      });
    };
    const JobRun a = draw(1);
    const JobRun b = draw(1);
    const JobRun c = draw(2);
    ASSERT_EQ(a.report.iterations.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(a.report.iterations[i].time, b.report.iterations[i].time);
    }
    EXPECT_NE(a.report.iterations[0].time, c.report.iterations[0].time);
    RngSeedManager::SetRun(1);
}

TEST(TrainingTest, OverlapHidesCommunicationAndChangesNothingWithoutCompute)
{
    auto exposed = [&](bool overlap, bool freeCompute) {
        const std::string work =
            TinyWorkload(std::string("tp: 1, pp: 1, dp: 4, bucket-size: 2MiB, overlap: ") +
                             (overlap ? "true" : "false"),
                         8);
        return RunJob(HostsTopology(4),
                      work,
                      "analytical",
                      1,
                      [&](Ptr<TrainingJob> job, ApplicationContainer&) {
                          if (freeCompute)
                          {
                              job->SetAttribute("ComputeModel",
                                                PointerValue(Create<FreeCompute>()));
                          }
                      })
            .report.iterations[0];
    };
    const IterationRecord on = exposed(true, false);
    const IterationRecord off = exposed(false, false);
    EXPECT_LT(on.exposed, off.exposed);
    EXPECT_LE(on.time, off.time);
    const IterationRecord onFree = exposed(true, true);
    const IterationRecord offFree = exposed(false, true);
    EXPECT_EQ(onFree.exposed, offFree.exposed);
    EXPECT_EQ(onFree.exposed, onFree.communication);
}

TEST(TrainingTest, SlowerGpusShowAsIdleTimeOnTheirPeers)
{
    // 4 DGX A100 + 4 DGX H100: every DP group spans both kinds.
    Ptr<FabricTopology> unused;
    const std::string work = TinyWorkload("tp: 8, pp: 1, dp: 8, bucket-size: 64MiB", 8);
    std::ifstream in(std::string(AIFABRIC_TEST_DATA_DIR) +
                     "/../../examples/topologies/hetero-a100-h100.yaml");
    std::stringstream topo;
    topo << in.rdbuf();
    const JobRun run = RunJob(topo.str(), work, "analytical");
    Time a100Idle;
    Time h100Idle;
    Time a100Compute;
    Time h100Compute;
    for (const auto& r : run.report.perWorker)
    {
        const bool a100 = run.job->GetGpu(r.worker).name == "A100";
        (a100 ? a100Idle : h100Idle) += r.idle;
        (a100 ? a100Compute : h100Compute) += r.compute;
    }
    EXPECT_GT(a100Compute, h100Compute);
    EXPECT_GT(h100Idle, a100Idle);
}

TEST(TrainingTest, AsynchronousModes)
{
    // 3 workers and a parameter server; worker 2 computes 20x slower (the server link is
    // the bottleneck of the others: its compute must outweigh that to fall behind).
    const std::string work =
        TinyWorkload("tp: 1, pp: 1, dp: 3, mode: parameter-server, servers: 1, bucket-size: 64MiB",
                     3);
    const JobRun ps = RunJob(HostsTopology(4),
                             work,
                             "analytical",
                             0,
                             [](Ptr<TrainingJob> job, ApplicationContainer& apps) {
                                 for (uint32_t i = 0; i < 1000; ++i)
                                 {
                                     job->SetSlowdown(2, i, 20.0);
                                 }
                                 apps.Stop(MilliSeconds(20));
                             });
    auto done = [](const JobRun& run, uint32_t w) {
        return DynamicCast<TrainingApplication>(run.apps.Get(w))->GetCompletedIterations();
    };
    EXPECT_GT(done(ps, 0), done(ps, 2) + 1);
    EXPECT_GT(ps.report.maxStaleness, 0u);
    EXPECT_GT(ps.report.groups.size(), 0u);

    const uint32_t bound = 1;
    const std::string ssp = TinyWorkload("tp: 1, pp: 1, dp: 3, mode: stale-synchronous, "
                                         "staleness: 1, servers: 1, bucket-size: 64MiB",
                                         3);
    const JobRun stale = RunJob(HostsTopology(4),
                                ssp,
                                "analytical",
                                0,
                                [](Ptr<TrainingJob> job, ApplicationContainer& apps) {
                                    for (uint32_t i = 0; i < 1000; ++i)
                                    {
                                        job->SetSlowdown(2, i, 3.0);
                                    }
                                    apps.Stop(MilliSeconds(20));
                                });
    EXPECT_LE(stale.report.maxClockGap, bound);
    EXPECT_LE(done(stale, 0), done(stale, 2) + bound + 1);
    EXPECT_GT(done(stale, 0), done(stale, 2));
}

TEST(TrainingTest, ReportAndTimelineAreValidJson)
{
    const std::string work = TinyWorkload("tp: 1, pp: 1, dp: 2, bucket-size: 8MiB", 4);
    const JobRun run = RunJob(HostsTopology(2), work, "packet");
    std::stringstream report;
    run.report.WriteJson(report);
    const auto j = nlohmann::json::parse(report.str());
    EXPECT_EQ(j["packet"]["iterations"].size(), 1u);
    EXPECT_GT(j["packet"]["links"]["ports"].size(), 0u);
    std::stringstream timeline;
    run.job->GetTimeline().WriteChromeTrace(timeline, {});
    const auto t = nlohmann::json::parse(timeline.str());
    uint32_t spans = 0;
    for (const auto& e : t["traceEvents"])
    {
        if (e["ph"] == "X")
        {
            ++spans;
            EXPECT_LT(e["pid"].get<uint32_t>(), 2u);
            EXPECT_GE(e["dur"].get<double>(), 0.0);
        }
    }
    EXPECT_EQ(spans, run.job->GetTimeline().GetSpans().size());
    EXPECT_GT(spans, 0u);
}

TEST(TrainingTest, ReportCarriesTheHotPortSeriesWhenSampled)
{
    // Two data-parallel replicas on one leaf: their all-reduce queues at the leaf's ports.
    const std::string work = TinyWorkload("tp: 1, pp: 1, dp: 2, bucket-size: 8MiB", 4);
    const Time period = MicroSeconds(5);
    const JobRun run = RunJob(HostsTopology(2),
                              work,
                              "packet",
                              1,
                              [period](Ptr<TrainingJob> job, ApplicationContainer&) {
                                  job->SetAttribute("HotPortSamplePeriod", TimeValue(period));
                              });
    std::stringstream report;
    run.report.WriteJson(report);
    const auto links = nlohmann::json::parse(report.str())["packet"]["links"];
    ASSERT_TRUE(links.contains("hot_port_series"));
    const auto& series = links["hot_port_series"];
    EXPECT_DOUBLE_EQ(series["period_us"].get<double>(), 5.0);
    // One sample at the start, then one every period until the job's last iteration ends.
    const double duration = links["duration_us"].get<double>();
    const auto samples = series["samples"].get<size_t>();
    EXPECT_GE(samples + 1, static_cast<size_t>(duration / 5.0));
    EXPECT_LE(samples, static_cast<size_t>(duration / 5.0) + 2);
    ASSERT_GT(links["hot_ports"].size(), 0u);
    for (const auto& port : links["hot_ports"])
    {
        const auto& queue = port["queue_bytes_series"];
        const auto& stall = port["credit_stall_series"];
        ASSERT_EQ(queue.size(), samples) << port["port"];
        ASSERT_EQ(stall.size(), samples) << port["port"];
        double stalled = 0;
        for (size_t i = 0; i < samples; ++i)
        {
            EXPECT_LE(queue[i].get<uint64_t>(), port["max_queue_bytes"].get<uint64_t>());
            EXPECT_GE(stall[i].get<double>(), 0.0);
            EXPECT_LE(stall[i].get<double>(), 1.0);
            stalled += stall[i].get<double>() * 5.0;
        }
        // The series cover the run up to its last sample: never more stall than the total.
        EXPECT_LE(stalled, port["credit_stall_us"].get<double>() + 1e-6) << port["port"];
    }

    // Not sampled by default: no series in the report.
    const JobRun plain = RunJob(HostsTopology(2), work, "packet");
    std::stringstream plainReport;
    plain.report.WriteJson(plainReport);
    const auto plainLinks = nlohmann::json::parse(plainReport.str())["packet"]["links"];
    EXPECT_FALSE(plainLinks.contains("hot_port_series"));
    ASSERT_GT(plainLinks["hot_ports"].size(), 0u);
    EXPECT_FALSE(plainLinks["hot_ports"][0].contains("queue_bytes_series"));
}

TEST(TrainingTest, BadSetupIsAClearError)
{
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(HostsTopology(2), "topology"));
    // A plan for 4 GPUs on a fabric of 2.
    EXPECT_THROW(
        {
            try
            {
                WorkloadReader::ReadString(TinyWorkload("tp: 1, pp: 1, dp: 4"), "w.yaml", 2);
            }
            catch (const FabricConfigError& e)
            {
                EXPECT_NE(std::string(e.what()).find("w.yaml"), std::string::npos);
                throw;
            }
        },
        FabricConfigError);
    Ptr<TrainingJob> job = CreateObject<TrainingJob>();
    EXPECT_THROW(job->SetSlowdown(0, 0, 0.0), FabricConfigError);
    Ptr<TrainingApplication> app = CreateObject<TrainingApplication>();
    EXPECT_THROW(app->Setup(nullptr, 0), FabricConfigError);
    Simulator::Destroy();
}
