/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Topologies built from the TopologyHelper's vocabulary: node, switch and link counts and the
 * closed-form bisection bandwidth of each building block and combination; a route between every
 * pair of ranks; fat-tree routes minimal and balanced; the deadlock check passing on tori with
 * datelines and failing on a ring routed without them; traffic crossing the built fabrics.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <map>

using namespace ns3;

namespace
{

/// Fixture: the module's common one.
class TopologyTest : public FabricTest
{
};

NodeKindSpec
DgxH100(uint32_t hcas = 8)
{
    NodeKindSpec kind;
    kind.name = "dgx-h100";
    kind.gpuModel = "H100";
    kind.board = "H100";
    kind.gpus = 8;
    kind.hcas = hcas;
    return kind;
}

FatTreeSpec
NdrFatTree(double oversubscription = 1.0, bool railOptimized = true)
{
    FatTreeSpec ft;
    ft.present = true;
    ft.radix = 64;
    ft.oversubscription = oversubscription;
    ft.railOptimized = railOptimized;
    return ft;
}

DimensionSpec
Dim(BlockType block, uint32_t size, const std::string& rate = "200Gb/s")
{
    DimensionSpec d;
    d.block = block;
    d.size = size;
    d.rate = DataRate(rate);
    d.latency = NanoSeconds(50);
    return d;
}

/// Every ordered pair of ranks has a path that ends at the destination.
void
ExpectAllPairsRouted(Ptr<FabricTopology> topo)
{
    for (uint32_t a = 0; a < topo->GetNRanks(); ++a)
    {
        for (uint32_t b = 0; b < topo->GetNRanks(); ++b)
        {
            auto path = topo->GetPath(a, b);
            ASSERT_FALSE(path.empty());
            EXPECT_EQ(path.back(), topo->GetName(topo->GetGpuNode(b))) << a << " -> " << b;
        }
    }
}

} // namespace

TEST_F(TopologyTest, OneDgxH100Node)
{
    TopologyHelper helper;
    helper.AddNodeKind(DgxH100(0));
    helper.AddNodes("dgx-h100", 1);
    Ptr<FabricTopology> topo = helper.Build();
    EXPECT_EQ(topo->GetNRanks(), 8u);
    EXPECT_EQ(topo->GetSwitchNodes().GetN(), 4u);
    EXPECT_EQ(topo->CountLinks().at("nvlink"), 8u * 18);
    // Non-blocking NVSwitch: four GPUs' 18 links of 25 GB/s cross any halving.
    EXPECT_EQ(topo->GetBisectionBandwidth().GetBitRate(), 4ULL * 18 * 200000000000ULL);
    const auto path = topo->GetPath(0, 5);
    ASSERT_EQ(path.size(), 3u);
    EXPECT_EQ(path.front(), "s0.gpu0");
    EXPECT_EQ(path[1].substr(0, 7), "s0.nvsw");
    EXPECT_EQ(path.back(), "s0.gpu5");
    EXPECT_EQ(topo->FindDeadlockCycle(), "");
    EXPECT_THROW(topo->GetPath(0, 8), FabricConfigError);
}

TEST_F(TopologyTest, FourDgxOnRailOptimisedFatTree)
{
    TopologyHelper helper;
    helper.AddNodeKind(DgxH100());
    helper.AddNodes("dgx-h100", 4);
    helper.SetFatTree(NdrFatTree());
    Ptr<FabricTopology> topo = helper.Build();
    EXPECT_EQ(topo->GetNRanks(), 32u);
    const auto links = topo->CountLinks();
    EXPECT_EQ(links.at("hca-leaf"), 32u);
    // Rail-optimised: one leaf per rail with its four HCAs, four uplinks each, one spine.
    EXPECT_EQ(links.at("leaf-spine"), 8u * 4);
    EXPECT_EQ(topo->GetSwitchNodes().GetN(), 4u * 4 + 8 + 1);
    EXPECT_EQ(topo->GetBisectionBandwidth().GetBitRate(), 16ULL * 400000000000ULL);
    ExpectAllPairsRouted(topo);
    // Same rail, other server: HCA, rail leaf, HCA; other rail: through the spine.
    EXPECT_EQ(topo->GetPath(0, 8), (std::vector<std::string>{"s0.gpu0", "leaf0", "s1.gpu0"}));
    EXPECT_EQ(topo->GetPath(0, 9).size(), 5u);
    EXPECT_EQ(topo->FindDeadlockCycle(), "");
}

TEST_F(TopologyTest, FatTreeRoutesAreMinimalAndBalanced)
{
    TopologyHelper helper;
    helper.AddNodeKind(DgxH100());
    helper.AddNodes("dgx-h100", 32);
    helper.SetFatTree(NdrFatTree(1.0, false)); // not rail-optimised: every flow may cross spines
    Ptr<FabricTopology> topo = helper.Build();
    ASSERT_EQ(topo->GetNRanks(), 256u);
    // 256 HCAs, 32 per leaf, 32 uplinks per leaf over 4 spines: 8 parallel links per pair.
    EXPECT_EQ(topo->CountLinks().at("leaf-spine"), 8u * 32);
    // A uniform permutation: rank i to rank i + 128 (another server, another leaf). Count the
    // flows on every leaf-spine link, both ways.
    std::map<std::pair<std::string, std::string>, uint32_t> load;
    for (uint32_t i = 0; i < 256; ++i)
    {
        const auto path = topo->GetPath(i, (i + 128) % 256);
        ASSERT_EQ(path.size(), 5u) << "minimal: HCA, leaf, spine, leaf, HCA";
        load[{path[1], path[2]}]++;
        load[{path[2], path[3]}]++;
    }
    uint32_t most = 0;
    for (const auto& [hop, flows] : load)
    {
        most = std::max(most, flows);
    }
    // 32 flows leave each leaf over 32 uplinks: no link may carry more than one... per distinct
    // pair of switches there are 8 parallel links, so no switch pair carries more than 8 flows.
    EXPECT_LE(most, 8u);
    EXPECT_EQ(topo->FindDeadlockCycle(), "");
}

TEST_F(TopologyTest, OversubscriptionHalvesTheBisection)
{
    TopologyHelper helper;
    helper.AddNodeKind(DgxH100());
    helper.AddNodes("dgx-h100", 8);
    helper.SetFatTree(NdrFatTree(2.0));
    Ptr<FabricTopology> topo = helper.Build();
    EXPECT_EQ(topo->GetBisectionBandwidth().GetBitRate(), 64ULL / 2 * 400000000000ULL / 2);
    ExpectAllPairsRouted(topo);
}

TEST_F(TopologyTest, BuildingBlocksAndTheirBisection)
{
    const uint64_t r = 200000000000ULL;

    struct Case
    {
        std::vector<DimensionSpec> dims;
        uint32_t gpus;
        uint32_t links; // between routers and switches, GPU-router links excluded
        uint32_t switches;
        uint64_t bisection;
    };

    const std::vector<Case> cases = {
        {{Dim(BlockType::RING, 8)}, 8, 8, 0, 2 * r},
        {{Dim(BlockType::RING, 2)}, 2, 1, 0, r},
        {{Dim(BlockType::FULLY_CONNECTED, 4)}, 4, 6, 0, 4 * r},
        {{Dim(BlockType::SWITCH, 8)}, 8, 8, 1, 4 * r},
        {{Dim(BlockType::RING, 4), Dim(BlockType::RING, 4)}, 16, 32, 0, 8 * r},
        {{Dim(BlockType::RING, 4), Dim(BlockType::SWITCH, 8, "400Gb/s")}, 32, 64, 4, 16 * r},
        {{Dim(BlockType::FULLY_CONNECTED, 4), Dim(BlockType::RING, 3)}, 12, 18 + 12, 0, 8 * r},
    };
    for (size_t i = 0; i < cases.size(); ++i)
    {
        const Case& c = cases[i];
        TopologyHelper helper;
        for (const auto& d : c.dims)
        {
            helper.AddDimension(d);
        }
        Ptr<FabricTopology> topo = helper.Build();
        EXPECT_EQ(topo->GetNRanks(), c.gpus) << "case " << i;
        uint32_t links = 0;
        for (const auto& [category, n] : topo->CountLinks())
        {
            if (category != "gpu-router")
            {
                links += n;
            }
        }
        EXPECT_EQ(links, c.links) << "case " << i;
        EXPECT_EQ(topo->GetSwitchNodes().GetN(), c.gpus + c.switches) << "case " << i;
        EXPECT_EQ(topo->GetBisectionBandwidth().GetBitRate(), c.bisection) << "case " << i;
        ExpectAllPairsRouted(topo);
        EXPECT_EQ(topo->FindDeadlockCycle(), "") << "case " << i;
        Simulator::Destroy();
    }
}

TEST_F(TopologyTest, RingWithoutDatelinesIsRefusedAsDeadlockProne)
{
    TopologyHelper helper;
    helper.AddDimension(Dim(BlockType::RING, 6));
    helper.SetDatelines(false);
    try
    {
        helper.Build();
        FAIL() << "a ring routed without datelines must be refused";
    }
    catch (const TopologyError& e)
    {
        EXPECT_NE(std::string(e.what()).find("deadlock"), std::string::npos) << e.what();
        EXPECT_EQ(e.GetField(), "routing");
    }
    helper.SetAllowDeadlock(true);
    Ptr<FabricTopology> topo = helper.Build();
    EXPECT_NE(topo->FindDeadlockCycle(), "");
}

TEST_F(TopologyTest, HeterogeneousClusterOfA100AndH100)
{
    TopologyHelper helper;
    NodeKindSpec a100 = DgxH100();
    a100.name = "dgx-a100";
    a100.gpuModel = "A100";
    a100.board = "A100";
    a100.hcaSpeed = "HDR";
    helper.AddNodeKind(a100);
    helper.AddNodeKind(DgxH100());
    helper.AddNodes("dgx-a100", 2);
    helper.AddNodes("dgx-h100", 2);
    helper.SetFatTree(NdrFatTree());
    Ptr<FabricTopology> topo = helper.Build();
    EXPECT_EQ(topo->GetNRanks(), 32u);
    EXPECT_EQ(topo->CountLinks().at("nvlink"), 16u * 12 + 16u * 18);
    EXPECT_EQ(topo->GetHcaPort(0)->GetDataRate().GetBitRate(), 200000000000ULL);
    EXPECT_EQ(topo->GetHcaPort(16)->GetDataRate().GetBitRate(), 400000000000ULL);
    ExpectAllPairsRouted(topo);
    EXPECT_EQ(topo->FindDeadlockCycle(), "");
}

TEST_F(TopologyTest, TrafficCrossesTheBuiltFabrics)
{
    // Across two servers over the fat-tree, and around a torus across its wrap-around links.
    TopologyHelper servers;
    servers.AddNodeKind(DgxH100());
    servers.AddNodes("dgx-h100", 2);
    servers.SetFatTree(NdrFatTree());
    Ptr<FabricTopology> topo = servers.Build();
    Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
    topo->GetGpuNode(9)->AddApplication(sink);
    Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
    gen->SetDevice(topo->GetHcaPort(0));
    gen->SetAttribute("DestinationLid", UintegerValue(topo->GetHcaPort(9)->GetLocalAddress()));
    gen->SetAttribute("MessageSize", UintegerValue(1 << 20));
    topo->GetGpuNode(0)->AddApplication(gen);
    Simulator::Run();
    EXPECT_EQ(sink->GetTotalPayloadBytes(), 1u << 20);
    Simulator::Destroy();

    TopologyHelper torus;
    torus.AddDimension(Dim(BlockType::RING, 4));
    torus.AddDimension(Dim(BlockType::RING, 4));
    Ptr<FabricTopology> t = torus.Build();
    std::vector<Ptr<FabricTrafficSink>> sinks;
    for (uint32_t r = 0; r < 16; ++r)
    {
        Ptr<FabricTrafficSink> s = CreateObject<FabricTrafficSink>();
        t->GetGpuNode(r)->AddApplication(s);
        sinks.push_back(s);
        // Every GPU writes to the one diagonally opposite: two hops per ring, wraps included.
        Ptr<FabricTrafficGenerator> g = CreateObject<FabricTrafficGenerator>();
        g->SetDevice(t->GetScaleUpPort(r));
        g->SetAttribute("DestinationLid", UintegerValue(t->GetGpuId((r + 2 + 8) % 16)));
        g->SetAttribute("MessageSize", UintegerValue(256 * 1024));
        t->GetGpuNode(r)->AddApplication(g);
    }
    Simulator::Run();
    for (uint32_t r = 0; r < 16; ++r)
    {
        EXPECT_EQ(sinks[r]->GetTotalPayloadBytes(), 256u * 1024) << "GPU " << r;
    }
}

TEST_F(TopologyTest, ExplicitSwitchesAndLinks)
{
    // Four single-GPU hosts, two IB switches in a line, and an NVSwitch joining hosts 2 and 3.
    TopologyHelper helper;
    NodeKindSpec host;
    host.name = "host";
    host.gpus = 1;
    host.hcas = 0;
    helper.AddNodeKind(host);
    helper.AddNodes("host", 4);
    SwitchSpec s0;
    s0.name = "s0";
    SwitchSpec s1;
    s1.name = "s1";
    SwitchSpec nv;
    nv.name = "nv";
    nv.type = FabricLinkType::NVLINK;
    nv.latency = NanoSeconds(100);
    helper.AddSwitch(s0);
    helper.AddSwitch(s1);
    helper.AddSwitch(nv);
    auto link = [&helper](const std::string& a,
                          const std::string& b,
                          FabricLinkType type,
                          uint32_t count = 1) {
        LinkSpec l;
        l.a = a;
        l.b = b;
        l.type = type;
        l.rate = DataRate(type == FabricLinkType::NVLINK ? "200Gb/s" : "400Gb/s");
        l.count = count;
        helper.AddLink(l);
    };
    link("gpu:0", "switch:s0", FabricLinkType::INFINIBAND);
    link("gpu:1", "switch:s0", FabricLinkType::INFINIBAND);
    link("switch:s0", "switch:s1", FabricLinkType::INFINIBAND, 2);
    link("gpu:2", "switch:s1", FabricLinkType::INFINIBAND);
    link("hca:3/0", "switch:s1", FabricLinkType::INFINIBAND);
    link("gpu:2", "switch:nv", FabricLinkType::NVLINK, 3);
    link("gpu:3", "switch:nv", FabricLinkType::NVLINK, 3);
    Ptr<FabricTopology> topo = helper.Build();
    EXPECT_EQ(topo->CountLinks().at("explicit ib"), 6u);
    EXPECT_EQ(topo->CountLinks().at("explicit nvlink"), 6u);
    EXPECT_EQ(topo->GetPath(0, 2), (std::vector<std::string>{"s0.gpu0", "s0", "s1", "s2.gpu0"}));
    EXPECT_EQ(topo->GetPath(0, 1).size(), 3u);
    // Hosts 2 and 3 are different servers: IB, not their NVLink.
    EXPECT_EQ(topo->GetPath(2, 3), (std::vector<std::string>{"s2.gpu0", "s1", "s3.gpu0"}));
    EXPECT_EQ(topo->GetScaleUpPort(2)->GetGroup()->GetNPorts(), 3u);
    EXPECT_EQ(topo->FindDeadlockCycle(), "");

    // Traffic from host 0 to host 3 crosses both IB switches.
    Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
    topo->GetGpuNode(3)->AddApplication(sink);
    Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
    gen->SetDevice(topo->GetHcaPort(0));
    gen->SetAttribute("DestinationLid", UintegerValue(topo->GetHcaPort(3)->GetLocalAddress()));
    gen->SetAttribute("MessageSize", UintegerValue(100000));
    topo->GetGpuNode(0)->AddApplication(gen);
    Simulator::Run();
    EXPECT_EQ(sink->GetTotalPayloadBytes(), 100000u);
}

TEST_F(TopologyTest, ThreeLevelFatTreeWhereTwoLevelsCannotReach)
{
    // 64 single-HCA hosts on radix-8 switches: 16 leaves of 4 hosts, too many for 2 levels.
    TopologyHelper helper;
    NodeKindSpec host;
    host.name = "host";
    host.gpus = 1;
    host.hcas = 1;
    helper.AddNodeKind(host);
    helper.AddNodes("host", 64);
    FatTreeSpec ft = NdrFatTree(1.0, false);
    ft.radix = 8;
    helper.SetFatTree(ft);
    try
    {
        helper.Build();
        FAIL() << "16 leaves of radix 8 cannot all reach every spine";
    }
    catch (const TopologyError& e)
    {
        EXPECT_EQ(e.GetField(), "fat-tree.radix");
        EXPECT_NE(std::string(e.what()).find("3 levels"), std::string::npos) << e.what();
    }
    Simulator::Destroy();
    ft.levels = 3;
    helper.SetFatTree(ft);
    Ptr<FabricTopology> topo = helper.Build();
    const auto links = topo->CountLinks();
    EXPECT_EQ(links.at("hca-leaf"), 64u);
    EXPECT_EQ(links.at("leaf-agg"), 16u * 4); // 4 pods x 4 leaves x 4 aggregation switches
    EXPECT_EQ(links.at("agg-core"), 16u * 4); // 16 aggregation switches x 4 cores each
    EXPECT_EQ(topo->GetSwitchNodes().GetN(), 16u + 16 + 16);
    EXPECT_EQ(topo->GetBisectionBandwidth().GetBitRate(), 32ULL * 400000000000ULL);
    ExpectAllPairsRouted(topo);
    EXPECT_EQ(topo->GetPath(0, 1).size(), 3u);  // same leaf
    EXPECT_EQ(topo->GetPath(0, 4).size(), 5u);  // same pod: up to an aggregation switch
    EXPECT_EQ(topo->GetPath(0, 63).size(), 7u); // other pod: up to a core
    EXPECT_EQ(topo->FindDeadlockCycle(), "");
}

TEST_F(TopologyTest, ShippedTopologiesBuildRoutedAndDeadlockFree)
{
    const std::string dir = std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/topologies/";
    const std::vector<std::pair<std::string, uint32_t>> files = {
        {"dgx-h100-node.yaml", 8},
        {"dgx-h100-4node-ndr-railopt.yaml", 32},
        {"dgx-h100-32node-ndr-railopt.yaml", 256},
        {"torus-2d.yaml", 16},
        {"hetero-a100-h100.yaml", 64},
    };
    for (const auto& [file, gpus] : files)
    {
        TopologyHelper helper;
        Ptr<FabricTopology> topo = helper.Build(TopologyReader::ReadFile(dir + file));
        EXPECT_EQ(topo->GetNRanks(), gpus) << file;
        EXPECT_EQ(topo->FindDeadlockCycle(), "") << file;
        EXPECT_GT(topo->GetBisectionBandwidth().GetBitRate(), 0u) << file;
        // A route from the first rank to every other, and back.
        for (uint32_t r = 1; r < gpus; ++r)
        {
            EXPECT_EQ(topo->GetPath(0, r).back(), topo->GetName(topo->GetGpuNode(r))) << file;
            EXPECT_EQ(topo->GetPath(r, 0).back(), topo->GetName(topo->GetGpuNode(0))) << file;
        }
        Simulator::Destroy();
    }
}
