/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Chakra execution traces: our graphs written and read back node for node, their replay, a
// foreign trace written with the schema's classes, and the errors of bad files.

#include "ai-fabric-test-util.h"
#include "chakra-et.pb.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <gtest/gtest.h>

using namespace ns3;

namespace
{

std::string
Example(const std::string& path)
{
    return std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/" + path;
}

/// A fresh folder for one test's trace files.
std::string
TempPrefix(const std::string& name)
{
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("aifabric-chakra-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

/// The iteration time of a graph replayed on a fresh fabric (Simulator::Destroy disposes of
/// the last one's nodes).
Time
Replay(const TopologyDescription& description,
       std::shared_ptr<const ExecutionGraph> graph,
       const std::string& backend,
       TrainingReport* report = nullptr)
{
    Ptr<FabricTopology> topology = TopologyHelper().Build(description);
    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue(backend));
    helper.SetJobAttribute("Iterations", UintegerValue(1));
    Ptr<TrainingJob> job = helper.Install(topology, graph);
    Simulator::Run();
    TrainingReport r = job->GetReport();
    Simulator::Destroy();
    EXPECT_EQ(r.iterations.size(), 1u);
    if (report)
    {
        *report = r;
    }
    return r.iterations.empty() ? Time() : r.iterations[0].time;
}

/// Every observable of two graphs is the same.
void
ExpectSameGraph(const ExecutionGraph& a, const ExecutionGraph& b)
{
    ASSERT_EQ(a.GetNWorkers(), b.GetNWorkers());
    ASSERT_EQ(a.GetPrograms().size(), b.GetPrograms().size());
    EXPECT_EQ(a.GetTotalNodes(), b.GetTotalNodes());
    const WorkloadDescription& wa = a.GetWorkload();
    const WorkloadDescription& wb = b.GetWorkload();
    EXPECT_EQ(wa.name, wb.name);
    EXPECT_EQ(wa.model.transformer.layers, wb.model.transformer.layers);
    EXPECT_EQ(wa.model.transformer.hidden, wb.model.transformer.hidden);
    EXPECT_EQ(wa.training.globalBatch, wb.training.globalBatch);
    EXPECT_EQ(wa.plan.dp, wb.plan.dp);
    EXPECT_EQ(wa.plan.tp, wb.plan.tp);
    EXPECT_EQ(wa.plan.pp, wb.plan.pp);
    EXPECT_EQ(wa.plan.bucketBytes, wb.plan.bucketBytes);
    EXPECT_EQ(wa.plan.order, wb.plan.order);
    EXPECT_EQ(wa.GetMicroBatches(), wb.GetMicroBatches());
    EXPECT_EQ(WorkloadArithmetic::IterationFlops(wa, true),
              WorkloadArithmetic::IterationFlops(wb, true));
    for (uint32_t w = 0; w < a.GetNWorkers(); ++w)
    {
        const RankCoord ca = a.GetPlacement().GetCoord(w);
        const RankCoord cb = b.GetPlacement().GetCoord(w);
        EXPECT_EQ(ca.dp, cb.dp);
        EXPECT_EQ(ca.pp, cb.pp);
        EXPECT_EQ(ca.tp, cb.tp);
        EXPECT_EQ(a.GetPlacement().GetTopologyRank(w), b.GetPlacement().GetTopologyRank(w));
        EXPECT_EQ(a.GetPlacement().GetServerOf(w), b.GetPlacement().GetServerOf(w));
        EXPECT_EQ(a.GetProgramIndex(w), b.GetProgramIndex(w));
        const RankProgram& pa = a.GetProgram(w);
        const RankProgram& pb = b.GetProgram(w);
        EXPECT_EQ(pa.stage, pb.stage);
        EXPECT_EQ(pa.opsPerGroup, pb.opsPerGroup);
        EXPECT_EQ(pa.inFlight, pb.inFlight);
        EXPECT_EQ(pa.schedule, pb.schedule);
        ASSERT_EQ(pa.nodes.size(), pb.nodes.size()) << "worker " << w;
        for (size_t i = 0; i < pa.nodes.size(); ++i)
        {
            ASSERT_TRUE(pa.nodes[i] == pb.nodes[i])
                << "worker " << w << " node " << i << " '" << pa.nodes[i].label << "'";
            if (!pa.nodes[i].compute)
            {
                const GroupInstance ga = a.GetGroup(w, pa.nodes[i]);
                const GroupInstance gb = b.GetGroup(w, pb.nodes[i]);
                EXPECT_EQ(ga.id, gb.id);
                EXPECT_EQ(ga.workers, gb.workers);
                EXPECT_EQ(ga.self, gb.self);
            }
        }
    }
    // Graphs of one stage share their program, as the generator's do.
    EXPECT_EQ(&a.GetProgram(0) == &a.GetProgram(1), &b.GetProgram(0) == &b.GetProgram(1));
}

/// The schema's classes, written the way Chakra's encoder writes them.
void
WriteDelimited(std::ostream& os, const std::vector<const google::protobuf::Message*>& messages)
{
    google::protobuf::io::OstreamOutputStream raw(&os);
    google::protobuf::io::CodedOutputStream out(&raw);
    for (const auto* m : messages)
    {
        out.WriteVarint32(static_cast<uint32_t>(m->ByteSizeLong()));
        m->SerializeToCodedStream(&out);
    }
}

ChakraProtoMsg::AttributeProto*
Attr(ChakraProtoMsg::Node& node, const std::string& name)
{
    auto* a = node.add_attr();
    a->set_name(name);
    return a;
}

/// A foreign trace of 4 ranks: compute, a world all-reduce, a send 0 -> 1, an all-gather of
/// ranks 2 and 3 (process group "1" declared in pg_config), a metadata node, and compute that
/// depends on it all (ctrl_deps and data_deps).
void
WriteForeign(const std::string& prefix, int badType = -1)
{
    for (uint32_t r = 0; r < 4; ++r)
    {
        ChakraProtoMsg::GlobalMetadata meta;
        auto* schema = meta.add_attr();
        schema->set_name("schema");
        schema->set_string_val("1.0.2-chakra.0.0.4");
        auto* pg = meta.add_attr();
        pg->set_name("pg_config");
        pg->set_string_val(R"([{"pg_name": "0", "ranks": [0, 1, 2, 3]},
                               {"pg_name": "1", "ranks": [2, 3]}])");
        std::vector<ChakraProtoMsg::Node> nodes(5);
        nodes[0].set_id(10);
        nodes[0].set_name("aten::mm");
        nodes[0].set_type(ChakraProtoMsg::COMP_NODE);
        nodes[0].set_duration_micros(100 + 10 * r);
        Attr(nodes[0], "num_ops")->set_int64_val(1000000);
        nodes[1].set_id(11);
        nodes[1].set_name("nccl:all_reduce");
        nodes[1].set_type(ChakraProtoMsg::COMM_COLL_NODE);
        nodes[1].add_data_deps(10);
        Attr(nodes[1], "comm_type")->set_int64_val(ChakraProtoMsg::ALL_REDUCE);
        Attr(nodes[1], "comm_size")->set_int64_val(4 << 20);
        Attr(nodes[1], "pg_name")->set_string_val("0");
        nodes[2].set_id(12);
        nodes[2].set_type(ChakraProtoMsg::METADATA_NODE);
        nodes[2].add_ctrl_deps(11);
        if (r < 2)
        {
            nodes[3].set_id(13);
            nodes[3].set_name(r == 0 ? "send" : "recv");
            nodes[3].set_type(r == 0 ? ChakraProtoMsg::COMM_SEND_NODE
                                     : ChakraProtoMsg::COMM_RECV_NODE);
            Attr(nodes[3], "comm_size")->set_int64_val(1 << 20);
            Attr(nodes[3], r == 0 ? "comm_dst" : "comm_src")->set_int32_val(r == 0 ? 1 : 0);
            Attr(nodes[3], "comm_tag")->set_int32_val(0);
        }
        else
        {
            nodes[3].set_id(13);
            nodes[3].set_name("nccl:all_gather");
            nodes[3].set_type(ChakraProtoMsg::COMM_COLL_NODE);
            Attr(nodes[3], "comm_type")->set_int64_val(ChakraProtoMsg::ALL_GATHER);
            Attr(nodes[3], "comm_size")->set_int64_val(2 << 20);
            Attr(nodes[3], "pg_name")->set_string_val("1");
        }
        nodes[3].add_ctrl_deps(12);
        nodes[4].set_id(14);
        nodes[4].set_name("aten::add");
        nodes[4].set_type(badType >= 0 && r == 2 ? static_cast<ChakraProtoMsg::NodeType>(badType)
                                                 : ChakraProtoMsg::COMP_NODE);
        nodes[4].set_duration_micros(50);
        nodes[4].add_data_deps(13);
        nodes[4].add_ctrl_deps(10);
        std::ofstream os(ChakraTrace::GetFileName(prefix, r), std::ios::binary | std::ios::trunc);
        std::vector<const google::protobuf::Message*> messages{&meta};
        // Not in topological order in the file: the reader sorts.
        for (uint32_t i : {4u, 0u, 1u, 2u, 3u})
        {
            messages.push_back(&nodes[i]);
        }
        WriteDelimited(os, messages);
    }
}

std::string
ErrorOf(const std::function<void()>& f)
{
    try
    {
        f();
    }
    catch (const FabricConfigError& e)
    {
        return e.what();
    }
    return "";
}

/// The tests' trace files, removed after the suite.
std::filesystem::path
TempDir()
{
    return std::filesystem::temp_directory_path() / ("aifabric-chakra-" + std::to_string(getpid()));
}

class ChakraTraceTest : public FabricTest
{
  protected:
    static void TearDownTestSuite()
    {
        std::error_code ignored;
        std::filesystem::remove_all(TempDir(), ignored);
    }
};

} // namespace

TEST_F(ChakraTraceTest, RoundTripIsNodeForNode)
{
    // The main job: DP 2 x TP 8 x PP 2 on 4 DGX H100.
    Ptr<FabricTopology> topology = TopologyHelper().Build(
        TopologyReader::ReadFile(Example("topologies/dgx-h100-4node-ndr-railopt.yaml")));
    const WorkloadDescription w =
        TrainingHelper::ReadWorkload(topology, Example("workloads/gpt-mainjob.yaml"));
    ASSERT_GT(w.plan.dp, 1u);
    ASSERT_GT(w.plan.tp, 1u);
    ASSERT_GT(w.plan.pp, 1u);
    auto graph = TrainingHelper::Generate(topology, w);
    const std::string prefix = TempPrefix("mainjob");
    const auto files = ChakraTrace::Write(*graph, prefix);
    ASSERT_EQ(files.size(), graph->GetNWorkers());
    EXPECT_EQ(files[3], prefix + ".3.et");
    const ExecutionGraph back = ChakraTrace::Read(prefix);
    ExpectSameGraph(*graph, back);
    EXPECT_TRUE(back.GetGroups().empty());

    // Written again from the imported graph: the same bytes.
    const std::string again = TempPrefix("mainjob-again");
    ChakraTrace::Write(back, again);
    for (uint32_t r : {0u, 17u})
    {
        std::ifstream x(ChakraTrace::GetFileName(prefix, r), std::ios::binary);
        std::ifstream y(ChakraTrace::GetFileName(again, r), std::ios::binary);
        const std::string bx((std::istreambuf_iterator<char>(x)), {});
        const std::string by((std::istreambuf_iterator<char>(y)), {});
        EXPECT_EQ(bx, by);
    }
    Simulator::Destroy();
}

TEST_F(ChakraTraceTest, RoundTripOfAnInterleavedMoeWorkload)
{
    const std::string yaml =
        "name: tiny moe\n"
        "model: {type: transformer, layers: 4, hidden: 1024, heads: 16, sequence: 256, "
        "vocabulary: 8000, dtype: bf16, moe: {experts: 4, top-k: 2, expert-ffn: 2048}}\n"
        "training: {global-batch: 16, micro-batch: 1, recompute: full}\n"
        "parallelism: {tp: 2, pp: 2, dp: 4, ep: 2, virtual-stages: 2, schedule: interleaved, "
        "zero: 1, sequence-parallel: true}\n";
    const WorkloadDescription w = WorkloadReader::ReadString(yaml, "moe", 16);
    std::vector<uint32_t> servers;
    for (uint32_t r = 0; r < 16; ++r)
    {
        servers.push_back(r / 8);
    }
    const ExecutionGraph graph = CreateObject<WorkloadGenerator>()->Generate(w, servers);
    const std::string prefix = TempPrefix("moe");
    ChakraTrace::Write(graph, prefix);
    ExpectSameGraph(graph, ChakraTrace::Read(prefix));
}

TEST_F(ChakraTraceTest, ImportedTraceReplaysInTheSameTime)
{
    const TopologyDescription description =
        TopologyReader::ReadFile(Example("topologies/dgx-h100-4node-ndr-railopt.yaml"));
    Ptr<FabricTopology> topology = TopologyHelper().Build(description);
    const WorkloadDescription w =
        TrainingHelper::ReadWorkload(topology, Example("workloads/gpt-mainjob.yaml"));
    auto generated = TrainingHelper::Generate(topology, w);
    const std::string prefix = TempPrefix("replay");
    ChakraTrace::Write(*generated, prefix);
    auto imported = TrainingHelper::ReadChakra(topology, prefix);
    Simulator::Destroy();
    const Time a = Replay(description, generated, "analytical");
    const Time b = Replay(description, imported, "analytical");
    EXPECT_GT(a, Time());
    EXPECT_EQ(a, b);
}

TEST_F(ChakraTraceTest, ForeignTraceImportsAndReplays)
{
    const std::string prefix = TempPrefix("foreign");
    WriteForeign(prefix);
    const ExecutionGraph g = ChakraTrace::Read(prefix);
    ASSERT_EQ(g.GetNWorkers(), 4u);
    // The metadata node is gone; its dependency passes on.
    const RankProgram& p0 = g.GetProgram(0);
    ASSERT_EQ(p0.nodes.size(), 4u);
    EXPECT_TRUE(p0.nodes[0].compute);
    EXPECT_EQ(p0.nodes[0].task.measured, MicroSeconds(100));
    EXPECT_EQ(p0.nodes[0].task.flops, 1e6);
    EXPECT_FALSE(p0.nodes[1].compute);
    EXPECT_EQ(p0.nodes[1].op, CollectiveOp::ALL_REDUCE);
    EXPECT_EQ(p0.nodes[1].bytes, 4u << 20);
    EXPECT_EQ(g.GetGroup(0, p0.nodes[1]).workers, (std::vector<uint32_t>{0, 1, 2, 3}));
    EXPECT_EQ(p0.nodes[2].op, CollectiveOp::SEND_RECV);
    EXPECT_EQ(p0.nodes[2].deps, (std::vector<uint32_t>{1}));
    EXPECT_EQ(g.GetGroup(0, p0.nodes[2]).self, 0u);
    EXPECT_EQ(g.GetGroup(1, g.GetProgram(1).nodes[2]).self, 1u);
    EXPECT_EQ(p0.nodes[3].deps, (std::vector<uint32_t>{0, 2}));
    const GraphNode& gather = g.GetProgram(3).nodes[2];
    EXPECT_EQ(gather.op, CollectiveOp::ALL_GATHER);
    EXPECT_EQ(g.GetGroup(3, gather).workers, (std::vector<uint32_t>{2, 3}));
    EXPECT_EQ(g.GetGroup(3, gather).self, 1u);

    // Replayed on 4 hosts: the slowest rank's compute, then the all-reduce, then the rest.
    const TopologyDescription hosts = TopologyReader::ReadString(
        "name: hosts\n"
        "node-kinds:\n"
        "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
        "nodes:\n"
        "  - {kind: host, count: 4}\n"
        "fat-tree: {levels: 2, radix: 8, oversubscription: 1, speed: NDR, width: 4}\n",
        "hosts");
    auto graph = TrainingHelper::ReadChakra(TopologyHelper().Build(hosts), prefix);
    Simulator::Destroy();
    TrainingReport report;
    const Time analytical = Replay(hosts, graph, "analytical", &report);
    EXPECT_GT(analytical, MicroSeconds(130 + 50));
    EXPECT_LT(analytical, MicroSeconds(1000));
    std::set<std::string> groups;
    for (const auto& u : report.groups)
    {
        groups.insert(u.group);
    }
    EXPECT_EQ(groups, (std::set<std::string>{"pg 0", "p2p 0->1", "pg 1"}));
    // Packet by packet: close to the analytical replay (the same schedules).
    EXPECT_EQ(report.perWorker.size(), 4u);
    const Time packet = Replay(hosts, graph, "packet");
    EXPECT_GE(packet.GetPicoSeconds(), analytical.GetPicoSeconds() * 9 / 10);
    EXPECT_LT(packet.GetPicoSeconds(), analytical.GetPicoSeconds() * 2);

    // Our export of it reads back the same.
    const std::string again = TempPrefix("foreign-again");
    ChakraTrace::Write(*graph, again);
    ExpectSameGraph(*graph, ChakraTrace::Read(again));
    auto reread = TrainingHelper::ReadChakra(TopologyHelper().Build(hosts), again);
    Simulator::Destroy();
    EXPECT_EQ(Replay(hosts, reread, "analytical"), analytical);
}

TEST_F(ChakraTraceTest, UnknownNodeTypeNamesFileAndNode)
{
    const std::string prefix = TempPrefix("bad-type");
    WriteForeign(prefix, ChakraProtoMsg::MEM_LOAD_NODE);
    std::string e = ErrorOf([&] { ChakraTrace::Read(prefix); });
    EXPECT_NE(e.find(prefix + ".2.et"), std::string::npos) << e;
    EXPECT_NE(e.find("node 14"), std::string::npos) << e;
    EXPECT_NE(e.find("MEM_LOAD_NODE"), std::string::npos) << e;
    WriteForeign(prefix, 42);
    e = ErrorOf([&] { ChakraTrace::Read(prefix); });
    EXPECT_NE(e.find("node 14"), std::string::npos) << e;
    EXPECT_NE(e.find("node type 42"), std::string::npos) << e;
}

TEST_F(ChakraTraceTest, MissingProcessGroupIsAnError)
{
    const std::string prefix = TempPrefix("no-pg");
    WriteForeign(prefix);
    // Rewrite rank 0 without pg_config: group "1" is still declared by the others, "0" too.
    // A group nobody declares:
    ChakraProtoMsg::GlobalMetadata meta;
    ChakraProtoMsg::Node n;
    n.set_id(5);
    n.set_type(ChakraProtoMsg::COMM_COLL_NODE);
    Attr(n, "comm_type")->set_int64_val(ChakraProtoMsg::ALL_REDUCE);
    Attr(n, "comm_size")->set_int64_val(1024);
    Attr(n, "pg_name")->set_string_val("7");
    {
        std::ofstream os(ChakraTrace::GetFileName(prefix, 1), std::ios::binary | std::ios::trunc);
        WriteDelimited(os, {&meta, &n});
    }
    const std::string e = ErrorOf([&] { ChakraTrace::Read(prefix); });
    EXPECT_NE(e.find(prefix + ".1.et: node 5"), std::string::npos) << e;
    EXPECT_NE(e.find("process group '7'"), std::string::npos) << e;
}

TEST_F(ChakraTraceTest, TruncatedFileNamesFileAndOffset)
{
    const std::string prefix = TempPrefix("truncated");
    WriteForeign(prefix);
    const std::string path = ChakraTrace::GetFileName(prefix, 1);
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 3);
    const std::string e = ErrorOf([&] { ChakraTrace::Read(prefix); });
    EXPECT_NE(e.find(path), std::string::npos) << e;
    EXPECT_NE(e.find("truncated"), std::string::npos) << e;
    EXPECT_NE(e.find("at byte"), std::string::npos) << e;
    EXPECT_NE(e.find("after node 12"), std::string::npos) << e;
    // No trace at all.
    EXPECT_NE(ErrorOf([&] { ChakraTrace::Read(prefix + "-none"); }).find("no such trace file"),
              std::string::npos);
}

TEST_F(ChakraTraceTest, DefaultAndObjectFormProcessGroups)
{
    // No pg_name: every worker; pg_config as an object with empty ranks: every worker too.
    const std::string prefix = TempPrefix("groups");
    for (uint32_t r = 0; r < 2; ++r)
    {
        ChakraProtoMsg::GlobalMetadata meta;
        ChakraProtoMsg::Node pgNode;
        pgNode.set_id(1);
        pgNode.set_type(ChakraProtoMsg::METADATA_NODE);
        Attr(pgNode, "pg_config")->set_string_val(R"({"g": {"ranks": []}})");
        ChakraProtoMsg::Node ar;
        ar.set_id(2);
        ar.set_type(ChakraProtoMsg::COMM_COLL_NODE);
        Attr(ar, "comm_type")->set_int64_val(ChakraProtoMsg::ALL_REDUCE);
        Attr(ar, "comm_size")->set_uint64_val(1 << 20);
        ar.add_ctrl_deps(1);
        ChakraProtoMsg::Node bc;
        bc.set_id(3);
        bc.set_type(ChakraProtoMsg::COMM_COLL_NODE);
        Attr(bc, "comm_type")->set_int64_val(ChakraProtoMsg::BROADCAST);
        Attr(bc, "comm_size")->set_int32_val(4096);
        Attr(bc, "pg_name")->set_string_val("g");
        bc.add_data_deps(2);
        std::ofstream os(ChakraTrace::GetFileName(prefix, r), std::ios::binary | std::ios::trunc);
        WriteDelimited(os, {&meta, &pgNode, &ar, &bc});
    }
    const ExecutionGraph g = ChakraTrace::Read(prefix);
    ASSERT_EQ(g.GetNWorkers(), 2u);
    const RankProgram& p = g.GetProgram(1);
    ASSERT_EQ(p.nodes.size(), 2u);
    EXPECT_TRUE(p.nodes[0].deps.empty());
    EXPECT_EQ(p.nodes[0].bytes, 1u << 20);
    EXPECT_EQ(g.GetGroup(1, p.nodes[0]).name, "world");
    EXPECT_EQ(g.GetGroup(1, p.nodes[0]).workers, (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(p.nodes[1].op, CollectiveOp::BROADCAST);
    EXPECT_EQ(p.nodes[1].bytes, 4096u);
    EXPECT_EQ(g.GetGroup(1, p.nodes[1]).name, "pg g");
    EXPECT_EQ(g.GetGroup(1, p.nodes[1]).self, 1u);
}

TEST_F(ChakraTraceTest, PublicSampleTrace)
{
    // Chakra's own test trace (tests/data/feeder_tests_trace.tar.gz of mlcommons/chakra, a
    // PyTorch trace converted to schema 1.0.1: one rank, COMP and COMM_COLL nodes, CPU ops and
    // GPU kernels). Not shipped here: set AIFABRIC_CHAKRA_SAMPLE to its chakra.0.et.
    const char* sample = std::getenv("AIFABRIC_CHAKRA_SAMPLE");
    if (!sample || !std::filesystem::exists(sample))
    {
        GTEST_SKIP() << "AIFABRIC_CHAKRA_SAMPLE is not set to Chakra's chakra.0.et";
    }
    std::string prefix = sample;
    ASSERT_GT(prefix.size(), 5u);
    ASSERT_EQ(prefix.substr(prefix.size() - 5), ".0.et");
    prefix.resize(prefix.size() - 5);
    const ExecutionGraph g = ChakraTrace::Read(prefix);
    ASSERT_EQ(g.GetNWorkers(), 1u);
    const RankProgram& p = g.GetProgram(0);
    EXPECT_EQ(p.nodes.size(), 3664u);
    Time sum;
    uint32_t collectives = 0;
    for (const GraphNode& n : p.nodes)
    {
        if (n.compute)
        {
            sum += n.task.measured;
        }
        else
        {
            ++collectives;
        }
    }
    EXPECT_EQ(collectives, 7u); // the GPU kernels; the 14 host calls are host time
    // One worker: its collectives have no peer and take no time, and one compute stream
    // runs everything else back to back.
    const TopologyDescription one =
        TopologyReader::ReadFile(Example("topologies/dgx-h100-node.yaml"));
    auto graph = std::make_shared<const ExecutionGraph>(g);
    EXPECT_EQ(Replay(one, graph, "analytical"), sum);
}

TEST_F(ChakraTraceTest, HierarchyCtrlDepsFallBackToDataDeps)
{
    // As Chakra's PyTorch converter writes them: ctrl_deps name the enclosing op (here the
    // parent 1 encloses 2, which runs first by data_deps), and the thread's root (id 99) is
    // not in the file.
    const std::string prefix = TempPrefix("hierarchy");
    ChakraProtoMsg::GlobalMetadata meta;
    ChakraProtoMsg::Node parent;
    parent.set_id(1);
    parent.set_type(ChakraProtoMsg::COMP_NODE);
    parent.set_duration_micros(7);
    parent.add_ctrl_deps(99);
    parent.add_data_deps(2);
    ChakraProtoMsg::Node child;
    child.set_id(2);
    child.set_type(ChakraProtoMsg::COMP_NODE);
    child.set_duration_micros(5);
    child.add_ctrl_deps(1);
    {
        std::ofstream os(ChakraTrace::GetFileName(prefix, 0), std::ios::binary | std::ios::trunc);
        WriteDelimited(os, {&meta, &parent, &child});
    }
    const ExecutionGraph g = ChakraTrace::Read(prefix);
    const RankProgram& p = g.GetProgram(0);
    ASSERT_EQ(p.nodes.size(), 2u);
    EXPECT_EQ(p.nodes[0].task.measured, MicroSeconds(5));
    EXPECT_EQ(p.nodes[1].deps, (std::vector<uint32_t>{0}));

    // A cycle of data_deps is an error; so is a data dependency on a missing node.
    child.add_data_deps(1);
    {
        std::ofstream os(ChakraTrace::GetFileName(prefix, 0), std::ios::binary | std::ios::trunc);
        WriteDelimited(os, {&meta, &parent, &child});
    }
    EXPECT_NE(ErrorOf([&] { ChakraTrace::Read(prefix); }).find("data_deps form a cycle"),
              std::string::npos);
    child.clear_data_deps();
    child.add_data_deps(42);
    {
        std::ofstream os(ChakraTrace::GetFileName(prefix, 0), std::ios::binary | std::ios::trunc);
        WriteDelimited(os, {&meta, &parent, &child});
    }
    const std::string e = ErrorOf([&] { ChakraTrace::Read(prefix); });
    EXPECT_NE(e.find(prefix + ".0.et: node 2: depends on node 42"), std::string::npos) << e;
}

TEST_F(ChakraTraceTest, ExportDeclaresItsProcessGroups)
{
    // Our files also read as foreign ones (without the aif.* attributes): pg_config names the
    // members of every pg_name, and the program keeps its shape and groups.
    const std::string yaml = "name: small\n"
                             "model: {type: transformer, layers: 2, hidden: 1024, heads: 16, "
                             "sequence: 256, vocabulary: 8000, dtype: bf16}\n"
                             "training: {global-batch: 8, micro-batch: 1, recompute: none}\n"
                             "parallelism: {tp: 2, pp: 2, dp: 2}\n";
    const WorkloadDescription w = WorkloadReader::ReadString(yaml, "small", 8);
    const ExecutionGraph graph =
        CreateObject<WorkloadGenerator>()->Generate(w, {0, 0, 0, 0, 1, 1, 1, 1});
    const std::string prefix = TempPrefix("declared");
    ChakraTrace::Write(graph, prefix);
    for (uint32_t r = 0; r < graph.GetNWorkers(); ++r)
    {
        // Drop aif.format: the reader then takes the file as foreign.
        const std::string path = ChakraTrace::GetFileName(prefix, r);
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
        google::protobuf::io::CodedInputStream cin(&raw);
        std::vector<std::unique_ptr<google::protobuf::Message>> messages;
        uint32_t size;
        while (cin.ReadVarint32(&size))
        {
            const auto limit = cin.PushLimit(static_cast<int>(size));
            if (messages.empty())
            {
                auto meta = std::make_unique<ChakraProtoMsg::GlobalMetadata>();
                ASSERT_TRUE(meta->ParseFromCodedStream(&cin));
                auto* attrs = meta->mutable_attr();
                for (int i = 0; i < attrs->size(); ++i)
                {
                    if (attrs->Get(i).name() == "aif.format")
                    {
                        attrs->DeleteSubrange(i, 1);
                        break;
                    }
                }
                messages.push_back(std::move(meta));
            }
            else
            {
                auto node = std::make_unique<ChakraProtoMsg::Node>();
                ASSERT_TRUE(node->ParseFromCodedStream(&cin));
                messages.push_back(std::move(node));
            }
            cin.PopLimit(limit);
        }
        std::vector<const google::protobuf::Message*> view;
        for (const auto& m : messages)
        {
            view.push_back(m.get());
        }
        std::ofstream os(path, std::ios::binary | std::ios::trunc);
        WriteDelimited(os, view);
    }
    const ExecutionGraph foreign = ChakraTrace::Read(prefix);
    ASSERT_EQ(foreign.GetNWorkers(), graph.GetNWorkers());
    for (uint32_t r = 0; r < graph.GetNWorkers(); ++r)
    {
        const RankProgram& a = graph.GetProgram(r);
        const RankProgram& b = foreign.GetProgram(r);
        ASSERT_EQ(a.nodes.size(), b.nodes.size());
        for (size_t i = 0; i < a.nodes.size(); ++i)
        {
            EXPECT_EQ(a.nodes[i].compute, b.nodes[i].compute);
            EXPECT_EQ(a.nodes[i].deps, b.nodes[i].deps);
            if (!a.nodes[i].compute)
            {
                EXPECT_EQ(a.nodes[i].op, b.nodes[i].op);
                EXPECT_EQ(a.nodes[i].bytes, b.nodes[i].bytes);
                EXPECT_EQ(a.nodes[i].seq, b.nodes[i].seq);
                const GroupInstance ga = graph.GetGroup(r, a.nodes[i]);
                const GroupInstance gb = foreign.GetGroup(r, b.nodes[i]);
                EXPECT_EQ(ga.workers, gb.workers);
                EXPECT_EQ(ga.self, gb.self);
            }
        }
    }
}
