/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ASTRA-sim text workload import: the shipped examples give the expected per-layer
// collectives, groups and sizes; a replay on the analytical backend matches the closed form of
// ASTRA-sim's data-parallel loop; malformed files are refused with file:line and the field.

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// \return the path of a shipped ASTRA-sim example
std::string
Example(const std::string& name)
{
    return std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/workloads/astra-sim/" + name;
}

/// One collective node as the test compares it.
struct Coll
{
    WorkloadGroup group;
    CollectiveOp op;
    uint64_t bytes;
    uint32_t layer;
};

/// \return the program's collective nodes in program order
std::vector<Coll>
Collectives(const RankProgram& p)
{
    std::vector<Coll> out;
    for (const auto& n : p.nodes)
    {
        if (!n.compute)
        {
            out.push_back({n.group, n.op, n.bytes, n.layer});
        }
    }
    return out;
}

/// \return the refusal's message, "" if the text was accepted
std::string
Refusal(const std::string& text, uint32_t npus = 8)
{
    try
    {
        const AstraSimWorkload w = AstraSimWorkloadReader::ReadString(text, "bad.txt");
        AstraSimWorkloadReader::Build(w, std::vector<uint32_t>(npus, 0));
    }
    catch (const FabricConfigError& e)
    {
        return e.what();
    }
    return "";
}

/// Hosts of one H100 GPU and one NDR HCA each, on one fat-tree.
Ptr<FabricTopology>
Hosts(uint32_t hosts)
{
    return TopologyHelper().Build(TopologyReader::ReadString(
        "name: hosts\n"
        "node-kinds:\n"
        "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
        "nodes:\n"
        "  - {kind: host, count: " +
            std::to_string(hosts) +
            "}\n"
            "fat-tree: {levels: 2, radix: 8, oversubscription: 1, speed: NDR, width: 4}\n",
        "topology"));
}

/// \return the analytical backend's time of one iteration of an ASTRA-sim text workload
Time
Replay(const std::string& text, uint32_t hosts = 4)
{
    Ptr<FabricTopology> topology = Hosts(hosts);
    const AstraSimWorkload a = AstraSimWorkloadReader::ReadString(text, "replay.txt");
    auto graph = std::make_shared<const ExecutionGraph>(
        AstraSimWorkloadReader::Build(a, WorkloadPlacement::ServersOf(topology->GetDescription())));
    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue("analytical"));
    helper.SetJobAttribute("Iterations", UintegerValue(1));
    Ptr<TrainingJob> job = helper.Install(topology, graph);
    Simulator::Run();
    const TrainingReport report = job->GetReport();
    Simulator::Destroy();
    EXPECT_EQ(report.iterations.size(), 1u);
    return report.iterations.empty() ? Time() : report.iterations.front().time;
}

} // namespace

TEST(AstraSimImportTest, DataExampleGivesItsWeightGradientAllReduces)
{
    const AstraSimWorkload a = AstraSimWorkloadReader::ReadFile(Example("resnet-data.txt"));
    EXPECT_EQ(a.parallelism, AstraSimParallelism::DATA);
    ASSERT_EQ(a.layers.size(), 4u);
    EXPECT_EQ(a.layers[0].name, "conv1");
    EXPECT_EQ(a.layers[0].fwdCompute, 10000u);
    EXPECT_EQ(a.layers[3].wgComm.bytes, 8192000u);
    EXPECT_EQ(a.layers[3].updateDelay, 500u);
    EXPECT_EQ(a.layers[2].where.line, 5);

    const ExecutionGraph g = AstraSimWorkloadReader::Build(a, {0, 0, 0, 0, 1, 1, 1, 1});
    EXPECT_EQ(g.GetWorkload().plan.dp, 8u);
    EXPECT_EQ(g.GetWorkload().plan.tp, 1u);
    const RankProgram& p = g.GetProgram(0);
    // Weight-gradient all-reduces on the data-parallel group, last layer first.
    const std::vector<Coll> c = Collectives(p);
    ASSERT_EQ(c.size(), 4u);
    const uint64_t sizes[] = {37632, 147456, 589824, 8192000};
    for (uint32_t i = 0; i < 4; ++i)
    {
        EXPECT_EQ(c[i].group, WorkloadGroup::DP);
        EXPECT_EQ(c[i].op, CollectiveOp::ALL_REDUCE);
        EXPECT_EQ(c[i].layer, 3 - i);
        EXPECT_EQ(c[i].bytes, sizes[3 - i]);
    }
    // 4 forward, 4 weight-gradient, 3 input-gradient computes (none for the first layer),
    // each its cycles at 1 GHz.
    uint32_t computes = 0;
    Time total;
    for (const auto& n : p.nodes)
    {
        if (n.compute)
        {
            ++computes;
            total += n.task.measured;
        }
    }
    EXPECT_EQ(computes, 11u);
    EXPECT_EQ(total, NanoSeconds(10000 + 20000 + 2 * (30000 + 30000 + 40000) + 5000 + 5000 + 6000));

    // A 2 GHz clock halves every compute.
    AstraSimImportOptions o;
    o.clock = 2e9;
    const ExecutionGraph g2 = AstraSimWorkloadReader::Build(a, std::vector<uint32_t>(8, 0), o);
    EXPECT_EQ(g2.GetProgram(0).nodes.front().task.measured, NanoSeconds(5000));
}

TEST(AstraSimImportTest, TransformerExampleSplitsModelAndDataGroups)
{
    const AstraSimWorkload a = AstraSimWorkloadReader::ReadFile(Example("transformer-hybrid.txt"));
    EXPECT_EQ(a.parallelism, AstraSimParallelism::TRANSFORMER);
    EXPECT_EQ(a.modelParallelGroup, 4u);
    ASSERT_EQ(a.layers.size(), 5u);
    const ExecutionGraph g = AstraSimWorkloadReader::Build(a, std::vector<uint32_t>(8, 0));
    EXPECT_EQ(g.GetWorkload().plan.tp, 4u);
    EXPECT_EQ(g.GetWorkload().plan.dp, 2u);
    const RankProgram& p = g.GetProgram(0);
    std::vector<Coll> tp;
    std::vector<Coll> dp;
    for (const auto& c : Collectives(p))
    {
        (c.group == WorkloadGroup::TP ? tp : dp).push_back(c);
    }
    // Forward: the embedding's all-gather, then every block's all-reduce, layer by layer;
    // backward: the blocks' input-gradient all-reduces, last layer first (the embedding's
    // is NONE).
    ASSERT_EQ(tp.size(), 5u + 4u);
    EXPECT_EQ(tp[0].op, CollectiveOp::ALL_GATHER);
    EXPECT_EQ(tp[0].bytes, 4194304u);
    for (uint32_t i = 1; i < 5; ++i)
    {
        EXPECT_EQ(tp[i].op, CollectiveOp::ALL_REDUCE);
        EXPECT_EQ(tp[i].layer, i);
        EXPECT_EQ(tp[i].bytes, 2097152u);
        EXPECT_EQ(tp[4 + i].layer, 5 - i);
    }
    // Weight gradients on the data-parallel group, last layer first.
    ASSERT_EQ(dp.size(), 5u);
    const uint64_t wg[] = {16777216, 8388608, 16777216, 8388608, 16777216};
    for (uint32_t i = 0; i < 5; ++i)
    {
        EXPECT_EQ(dp[i].op, CollectiveOp::ALL_REDUCE);
        EXPECT_EQ(dp[i].layer, 4 - i);
        EXPECT_EQ(dp[i].bytes, wg[4 - i]);
    }
    // The forward collective blocks the next layer's forward compute.
    for (uint32_t i = 0; i < p.nodes.size(); ++i)
    {
        if (p.nodes[i].compute && p.nodes[i].label.rfind("F L1 ", 0) == 0)
        {
            ASSERT_GT(i, 0u);
            const uint32_t update = i - 1; // the embedding's update delay after its all-gather
            EXPECT_EQ(p.nodes[update].label, "update L0 embedding");
            EXPECT_EQ(p.nodes[update].deps.size(), 2u);
            EXPECT_FALSE(p.nodes[p.nodes[update].deps.back()].compute);
        }
    }
    // A model-parallel group of 4 on 6 NPUs does not divide.
    try
    {
        AstraSimWorkloadReader::Build(a, std::vector<uint32_t>(6, 0));
        ADD_FAILURE() << "6 NPUs accepted";
    }
    catch (const WorkloadError& e)
    {
        EXPECT_EQ(e.GetField(), "model_parallel_NPU_group");
        EXPECT_EQ(e.GetLine(), 1);
        EXPECT_NE(std::string(e.what()).find("does not divide"), std::string::npos) << e.what();
    }
}

TEST(AstraSimImportTest, HybridTypesPlaceTheirGroups)
{
    const std::string layer = "l0 -1 10 ALLGATHER 64 10 ALLREDUCE 64 10 ALLREDUCE 128 1\n";
    const std::vector<uint32_t> servers{0, 0, 0, 0, 1, 1, 1, 1};
    // HYBRID_DATA_MODEL: the model-parallel group is the first dimension (a server here).
    const ExecutionGraph dm = AstraSimWorkloadReader::Build(
        AstraSimWorkloadReader::ReadString("HYBRID_DATA_MODEL\n1\n" + layer, "dm"),
        servers);
    EXPECT_EQ(dm.GetWorkload().plan.tp, 4u);
    EXPECT_EQ(dm.GetGroup(0, WorkloadGroup::TP).workers, (std::vector<uint32_t>{0, 1, 2, 3}));
    // HYBRID_MODEL_DATA: the data-parallel group is the first dimension.
    const ExecutionGraph md = AstraSimWorkloadReader::Build(
        AstraSimWorkloadReader::ReadString("HYBRID_MODEL_DATA\n1\n" + layer, "md"),
        servers);
    EXPECT_EQ(md.GetWorkload().plan.dp, 4u);
    EXPECT_EQ(md.GetWorkload().plan.tp, 2u);
    const std::vector<Coll> c = Collectives(md.GetProgram(0));
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].group, WorkloadGroup::TP);
    EXPECT_EQ(c[1].group, WorkloadGroup::TP);
    EXPECT_EQ(c[2].group, WorkloadGroup::DP);
    EXPECT_EQ(c[2].bytes, 128u);
    // MODEL: every NPU in the model-parallel group, no weight-gradient collective.
    const ExecutionGraph m =
        AstraSimWorkloadReader::Build(AstraSimWorkloadReader::ReadString("MODEL\n1\n" + layer, "m"),
                                      servers);
    EXPECT_EQ(m.GetWorkload().plan.tp, 8u);
    EXPECT_EQ(Collectives(m.GetProgram(0)).size(), 2u);
    // DATA ignores the forward and input-gradient collectives.
    const ExecutionGraph d =
        AstraSimWorkloadReader::Build(AstraSimWorkloadReader::ReadString("DATA\n1\n" + layer, "d"),
                                      servers);
    ASSERT_EQ(Collectives(d.GetProgram(0)).size(), 1u);
    EXPECT_EQ(Collectives(d.GetProgram(0))[0].group, WorkloadGroup::DP);
}

TEST(AstraSimImportTest, AnalyticalReplayMatchesTheDataParallelLoop)
{
    // Compute alone: the sum of the cycles (1 ns each); the update delay of a weight-gradient
    // collective that is not sent is nothing.
    EXPECT_EQ(Replay("DATA\n2\n"
                     "a -1 1000 NONE 0 2000 NONE 0 3000 NONE 0 7\n"
                     "b -1 4000 NONE 0 5000 NONE 0 6000 NONE 0 7\n"),
              NanoSeconds(1000 + 3000 + 4000 + 5000 + 6000)); // no input gradient for layer 0
    // One all-reduce alone (MICRO) gives its duration T on this fabric.
    const Time t0 = Replay("MICRO\n1\nx -1 0 NONE 0 0 NONE 0 0 ALLREDUCE 4194304 0\n");
    const Time t1 = Replay("MICRO\n1\nx -1 0 NONE 0 0 NONE 0 0 ALLREDUCE 1048576 0\n");
    ASSERT_TRUE(t0.IsStrictlyPositive());
    ASSERT_LT(t1, MilliSeconds(1));
    // The ring's bandwidth bound on 4 NPUs behind 400 Gb/s NDR links, 2 (p-1)/p S / B, holds.
    EXPECT_GE(t0, Seconds(2.0 * 3 / 4 * 4194304 / 50e9));
    EXPECT_LT(t0, MilliSeconds(1));
    // DATA: forward a, b; then b's weight gradient, its all-reduce in the background (over
    // before the 2 ms of compute that follow end), b's input gradient, a's weight gradient and
    // a's all-reduce, exposed: compute + T(a).
    EXPECT_EQ(Replay("DATA\n2\n"
                     "a -1 1000000 NONE 0 1000000 NONE 0 1000000 ALLREDUCE 4194304 0\n"
                     "b -1 1000000 NONE 0 1000000 NONE 0 1000000 ALLREDUCE 1048576 0\n"),
              MilliSeconds(5) + t0);
}

TEST(AstraSimImportTest, MalformedFilesNameLineAndField)
{
    const std::string ok = "l0 -1 10 NONE 0 10 NONE 0 10 ALLREDUCE 64 1\n";

    struct Case
    {
        std::string text;
        std::string where;
        std::string field;
    };

    const std::vector<Case> cases{
        {"DATAPARALLEL\n1\n" + ok, "bad.txt:1:1:", "'parallelism'"},
        {"HYBRID_DLRM 3\n1\n" + ok, "bad.txt:1:1:", "'parallelism'"},
        {"HYBRID_TRANSFORMER\n1\n" + ok, "bad.txt:1:", "'model_parallel_NPU_group'"},
        {"HYBRID_TRANSFORMER model_parallel_NPU_group: four\n1\n" + ok,
         "bad.txt:1:46:",
         "'model_parallel_NPU_group'"},
        {"DATA\n2\n" + ok, "bad.txt:2:1:", "'layers'"},      // fewer lines
        {"DATA\n1\n" + ok + ok, "bad.txt:4:1:", "'layers'"}, // more lines
        {"DATA\nmany\n" + ok, "bad.txt:2:1:", "'layers'"},   // not a number
        {"DATA\n1\nl0 -1 10 NONE 0 10 NONE 0 10 ALLREDUCE 6x4 1\n", "bad.txt:3:", "'wg-comm-size'"},
        {"DATA\n1\nl0 -1 10 NONE 0 10 NONE 0 10 BROADCAST 64 1\n", "bad.txt:3:", "'wg-comm-type'"},
        {"DATA\n1\nl0 -1 10 ALLSCATTER 8 10 NONE 0 10 NONE 0 1\n", "bad.txt:3:", "'fwd-comm-type'"},
        {"DATA\n1\nl0 -1 10 NONE 0 10 NONE 0 10 ALLREDUCE 64\n", "bad.txt:3:", "'wg-update'"},
        {"DATA\n1\nl0 -1 10 NONE 0\n", "bad.txt:3:", "'ig-compute'"},
        {"DATA\n1\nl0 -1 -10 NONE 0 10 NONE 0 10 ALLREDUCE 64 1\n",
         "bad.txt:3:7:",
         "'fwd-compute'"},
        {"DATA\n1\nl0 x 10 NONE 0 10 NONE 0 10 ALLREDUCE 64 1\n", "bad.txt:3:4:", "'reserved'"},
        {"DATA\n1\n" + ok.substr(0, ok.size() - 1) + " extra\n", "bad.txt:3:", "'layer'"},
        {"", "bad.txt:1:1:", "'parallelism'"},
        {"DATA\n", "bad.txt:", "'layers'"},
    };
    for (const auto& c : cases)
    {
        const std::string message = Refusal(c.text);
        EXPECT_NE(message.find(c.where), std::string::npos) << c.text << " -> " << message;
        EXPECT_NE(message.find(c.field), std::string::npos) << c.text << " -> " << message;
    }
    // An unreadable file names itself.
    try
    {
        AstraSimWorkloadReader::ReadFile("/nonexistent/w.txt");
        ADD_FAILURE() << "missing file accepted";
    }
    catch (const FabricConfigError& e)
    {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/w.txt"), std::string::npos);
    }
}

TEST(AstraSimImportTest, TransformerExampleReplaysOnBothBackends)
{
    // The shipped HYBRID_TRANSFORMER on one DGX H100: the packet-level iteration stays near
    // the analytical one (the same schedules), and neither undercuts the compute.
    Ptr<FabricTopology> topology = TopologyHelper().Build(TopologyReader::ReadFile(
        std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/topologies/dgx-h100-node.yaml"));
    auto graph = std::make_shared<const ExecutionGraph>(AstraSimWorkloadReader::Build(
        AstraSimWorkloadReader::ReadFile(Example("transformer-hybrid.txt")),
        WorkloadPlacement::ServersOf(topology->GetDescription())));
    TrainingHelper helper;
    helper.SetJobAttribute("Iterations", UintegerValue(1));
    helper.SetJobAttribute("Backend", StringValue("packet"));
    Ptr<TrainingJob> packet = helper.Install(topology, graph);
    helper.SetJobAttribute("Backend", StringValue("analytical"));
    Ptr<TrainingJob> analytical = helper.Install(topology, graph);
    Simulator::Run();
    const TrainingReport p = packet->GetReport();
    const TrainingReport a = analytical->GetReport();
    Simulator::Destroy();
    ASSERT_EQ(p.iterations.size(), 1u);
    ASSERT_EQ(a.iterations.size(), 1u);
    // Compute: 2 x 282 + 281 us of layers and 9 update delays of 10 ns.
    const Time compute = MicroSeconds(844) + NanoSeconds(90);
    EXPECT_EQ(a.iterations[0].compute, compute);
    EXPECT_GT(a.iterations[0].time, compute);
    EXPECT_GT(p.iterations[0].time, compute);
    const double ratio = p.iterations[0].time.GetSeconds() / a.iterations[0].time.GetSeconds();
    EXPECT_NEAR(ratio, 1.0, 0.15);
}
