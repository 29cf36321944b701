/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * SHARP in-network all-reduce, packet by packet, on a network-bound NDR fat-tree (one HCA per
 * server): the aggregation manager builds a two-level tree; every result holds each member's
 * contribution exactly once; a leaf switch's byte counters show each child sending n up and
 * one n going up; the time is above the link-rate bound and below the ring's best case (the
 * streaming closed form is not reached yet: see the documentation); exhausted resources are
 * refused with the reason; two groups share a switch's resources; runs are deterministic.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// Fixture: the module's common one.
class SharpTest : public FabricTest
{
};

/// `servers` single-GPU servers, one NDR HCA each, on a two-level fat-tree of radix 8.
Ptr<FabricTopology>
FatTree(uint32_t servers)
{
    TopologyHelper helper;
    NodeKindSpec kind;
    kind.name = "host";
    kind.gpuModel = "H100";
    kind.gpus = 1;
    kind.hcas = 1;
    helper.AddNodeKind(kind);
    helper.AddNodes("host", servers);
    FatTreeSpec ft;
    ft.present = true;
    ft.radix = 8;
    ft.railOptimized = false;
    helper.SetFatTree(ft);
    return helper.Build();
}

/// Members' HCAs and endpoints, wired to their RDMA engines.
struct Members
{
    std::vector<Ptr<FabricNetDevice>> hcas;        //!< HCA per member
    std::vector<Ptr<InNetworkEndpoint>> endpoints; //!< endpoint per member
};

Members
Wire(Ptr<FabricTopology> topo, const std::vector<uint32_t>& ranks)
{
    Members m;
    for (uint32_t r : ranks)
    {
        Ptr<Node> node = topo->GetGpuNode(r);
        Ptr<InNetworkEndpoint> ep = node->GetObject<InNetworkEndpoint>();
        if (!ep)
        {
            ep = CreateObject<InNetworkEndpoint>();
            node->AggregateObject(ep);
            ep->SetSharpPort(topo->GetHcaPort(r));
            RdmaHelper().Install(node)->SetForeignPacketCallback(
                MakeCallback(&InNetworkEndpoint::Receive, ep));
        }
        m.hcas.push_back(topo->GetHcaPort(r));
        m.endpoints.push_back(ep);
    }
    return m;
}

/// Post an all-reduce of `bytes` as operations of at most `opBytes`; return when all done.
struct SharpRun
{
    uint32_t pending{0}; //!< operations not complete
    Time end;            //!< last completion

    void Done(uint16_t, uint32_t)
    {
        --pending;
        end = Simulator::Now();
    }
};

void
Post(SharpRun& run, const Members& m, const SharpGroupInfo& g, uint64_t bytes, uint64_t opBytes)
{
    for (size_t i = 0; i < m.endpoints.size(); ++i)
    {
        m.endpoints[i]->JoinSharpGroup(g.group,
                                       g.leaves[i],
                                       static_cast<uint32_t>(i),
                                       g.members,
                                       g.osts);
        uint32_t seq = 0;
        for (uint64_t off = 0; off < bytes; off += opBytes)
        {
            const auto len = static_cast<uint32_t>(std::min(opBytes, bytes - off));
            ++run.pending;
            m.endpoints[i]->PostSharp(g.group, seq++, len, MakeCallback(&SharpRun::Done, &run));
        }
    }
}

std::vector<uint32_t>
Iota(uint32_t n, uint32_t first = 0)
{
    std::vector<uint32_t> v;
    for (uint32_t i = 0; i < n; ++i)
    {
        v.push_back(first + i);
    }
    return v;
}

/// Run one all-reduce of `bytes` on `servers` and return its duration.
Time
AllReduce(uint32_t servers, uint64_t bytes, uint64_t* leafUp = nullptr, uint64_t* leafIn = nullptr)
{
    Ptr<FabricTopology> topo = FatTree(servers);
    Members m = Wire(topo, Iota(servers));
    Ptr<SharpAggregationManager> am = CreateObject<SharpAggregationManager>();
    SharpGroupInfo g = am->CreateGroup(m.hcas);
    EXPECT_TRUE(g.IsGranted()) << g.refused;
    SharpRun run;
    Post(run, m, g, bytes, g.bufferPerOst);
    Simulator::Run();
    EXPECT_EQ(run.pending, 0u);
    for (const auto& ep : m.endpoints)
    {
        EXPECT_EQ(ep->GetContributionErrors(), 0u);
        EXPECT_EQ(ep->GetSharpBytesSent(), bytes);
        EXPECT_EQ(ep->GetSharpBytesReceived(), bytes);
    }
    if (leafUp)
    {
        // Leaf 0's AN: what entered it from its children, what it sent to its parent.
        Ptr<SharpAggregationNode> leaf = g.nodes.front();
        Ptr<FabricSwitch> sw = leaf->GetSwitch();
        *leafIn = sw->GetPort(leaf->GetInternalPort())->GetTxBytes();
        *leafUp = g.upPath.size() > 1 ? g.upPath[1]->GetTxBytes() : 0;
    }
    return run.end;
}

} // namespace

TEST_F(SharpTest, AllReduceBeatsTheRingAndRespectsTheLinkRate)
{
    // 8 servers: 2 leaves of 4 HCAs, the root a spine: two AN levels.
    const double rate = 400e9 / 8 * 64.0 / 66.0; // NDR data rate after 64b/66b
    for (uint64_t bytes : {uint64_t{1} << 20, uint64_t{8} << 20})
    {
        const Time t = AllReduce(8, bytes);
        // Never faster than the link-rate bound S / B.
        EXPECT_GT(t.GetSeconds(), bytes / rate);
        // A ring moves 2(p-1)/p of the buffer per link: SHARP beats the ring's best case.
        EXPECT_LT(t.GetSeconds(), 2.0 * 7 / 8 * bytes / rate) << bytes;
        // Known gap, not asserted: the streaming closed form S / (B eff) + tree latency is
        // 21.9 us + a few us at 1 MiB and 175 us + a few us at 8 MiB; the packet level takes 34 us
        // and 293 us.
        Simulator::Destroy();
    }
}

TEST_F(SharpTest, TheSwitchReallyReduces)
{
    uint64_t up = 0;
    uint64_t in = 0;
    const uint64_t bytes = 4 << 20;
    AllReduce(8, bytes, &up, &in);
    // Four children each send n into leaf 0's AN (plus the result coming down once); one n
    // goes up. Wire bytes include headers: compare with a tolerance.
    EXPECT_NEAR(static_cast<double>(up) / bytes, 1.0, 0.02);
    EXPECT_NEAR(static_cast<double>(in) / bytes, 5.0, 0.1);
}

TEST_F(SharpTest, ExhaustedResourcesAreRefusedWithTheReason)
{
    Config::SetDefault("ns3::SharpAggregationNode::MaxGroups", UintegerValue(1));
    Ptr<FabricTopology> topo = FatTree(8);
    Ptr<SharpAggregationManager> am = CreateObject<SharpAggregationManager>();
    std::string refused;
    am->TraceConnectWithoutContext(
        "GroupRefused",
        MakeCallback(+[](std::string* out, const std::string& why) { *out = why; }).Bind(&refused));
    // Two disjoint groups on the same leaf switches: the second finds no group left.
    Members a = Wire(topo, {0, 4});
    Members b = Wire(topo, {1, 5});
    SharpGroupInfo ga = am->CreateGroup(a.hcas);
    ASSERT_TRUE(ga.IsGranted()) << ga.refused;
    SharpGroupInfo gb = am->CreateGroup(b.hcas);
    EXPECT_FALSE(gb.IsGranted());
    EXPECT_NE(gb.refused.find("groups exhausted (1/1)"), std::string::npos) << gb.refused;
    EXPECT_EQ(refused, gb.refused);
    // Released, the resources serve the next group.
    am->ReleaseGroup(ga);
    SharpGroupInfo gc = am->CreateGroup(b.hcas);
    EXPECT_TRUE(gc.IsGranted()) << gc.refused;
    am->ReleaseGroup(gc);
    Config::Reset();
}

TEST_F(SharpTest, TwoGroupsShareTheSwitchesAndBothFinish)
{
    Ptr<FabricTopology> topo = FatTree(8);
    Ptr<SharpAggregationManager> am = CreateObject<SharpAggregationManager>();
    Members a = Wire(topo, {0, 1, 4, 5});
    Members b = Wire(topo, {2, 3, 6, 7});
    SharpGroupInfo ga = am->CreateGroup(a.hcas);
    SharpGroupInfo gb = am->CreateGroup(b.hcas);
    ASSERT_TRUE(ga.IsGranted()) << ga.refused;
    ASSERT_TRUE(gb.IsGranted()) << gb.refused;
    // Same leaf ANs serve both groups.
    EXPECT_EQ(ga.nodes.front(), gb.nodes.front());
    EXPECT_EQ(ga.nodes.front()->GetNGroups(), 2u);
    SharpRun ra;
    SharpRun rb;
    Post(ra, a, ga, 2 << 20, ga.bufferPerOst);
    Post(rb, b, gb, 2 << 20, gb.bufferPerOst);
    Simulator::Run();
    EXPECT_EQ(ra.pending, 0u);
    EXPECT_EQ(rb.pending, 0u);
    for (const auto* m : {&a, &b})
    {
        for (const auto& ep : m->endpoints)
        {
            EXPECT_EQ(ep->GetContributionErrors(), 0u);
        }
    }
    // Each AN's partial sums stayed within the group's reservation.
    for (const auto& an : ga.nodes)
    {
        EXPECT_LE(an->GetPeakBufferBytes(ga.group), ga.osts * ga.bufferPerOst);
    }
    am->ReleaseGroup(ga);
    am->ReleaseGroup(gb);
}

TEST_F(SharpTest, Deterministic)
{
    const Time a = AllReduce(8, 2 << 20);
    Simulator::Destroy();
    const Time b = AllReduce(8, 2 << 20);
    EXPECT_EQ(a, b);
}
