/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Congestion as InfiniBand fabrics handle it: adaptive routing unfolds a permutation that
 * collides on a leaf's uplink under static routing; RC over adaptive routing delivers every byte
 * once and in order although the wire reorders; congestion control (FECN, BECN, CCT) lets a
 * victim flow past an incast that head-of-line blocking otherwise starves; queue depth and
 * hot-port statistics.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// Fixture: the module's common one.
class CongestionTest : public FabricTest
{
};

/// Every fabric port of the simulation.
std::vector<Ptr<FabricNetDevice>>
AllPorts()
{
    std::vector<Ptr<FabricNetDevice>> ports;
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            if (auto dev = DynamicCast<FabricNetDevice>(node->GetDevice(d)))
            {
                ports.push_back(dev);
            }
        }
    }
    return ports;
}

/// Nothing lost, every cable's two ends agree, every input buffer empty, nothing left waiting
/// for credits: the credit counters are back where they started.
void
ExpectLosslessAndBalanced()
{
    for (const auto& port : AllPorts())
    {
        EXPECT_EQ(port->GetRxDropCount(), 0u) << port->Describe();
        auto peer = DynamicCast<FabricChannel>(port->GetChannel())->GetPeer(port);
        EXPECT_EQ(port->GetTxBytes(), peer->GetRxBytes()) << port->Describe();
        EXPECT_EQ(port->GetTxPackets(), peer->GetRxPackets()) << port->Describe();
        for (uint8_t vl = 0; vl < port->GetNumDataVls(); ++vl)
        {
            EXPECT_EQ(port->GetRxBufferBytes(vl), 0u) << port->Describe() << " VL " << +vl;
            EXPECT_FALSE(port->IsCreditStalled(vl)) << port->Describe() << " VL " << +vl;
        }
    }
}

/**
 * A 2-level fat-tree: 4 leaves of 2 hosts, 2 spines, one cable from every leaf to every spine
 * (non-blocking). Routes from IbSubnetManager.
 */
struct FatTree
{
    static constexpr uint32_t LEAVES = 4;
    static constexpr uint32_t PER_LEAF = 2;
    static constexpr uint32_t SPINES = 2;

    IbHelper ib;
    NodeContainer hosts;
    NodeContainer leaves;
    NodeContainer spines;
    std::vector<Ptr<IbNetDevice>> hca;
    std::vector<std::vector<Ptr<IbNetDevice>>> up; //!< leaf -> its ports toward the spines

    explicit FatTree(bool adaptive)
    {
        ib.SetSwitchAttribute("AdaptiveRouting", BooleanValue(adaptive));
        hosts.Create(LEAVES * PER_LEAF);
        leaves.Create(LEAVES);
        spines.Create(SPINES);
        ib.InstallSwitch(leaves);
        ib.InstallSwitch(spines);
        for (uint32_t h = 0; h < hosts.GetN(); ++h)
        {
            NetDeviceContainer link = ib.Install(hosts.Get(h), leaves.Get(h / PER_LEAF));
            hca.push_back(DynamicCast<IbNetDevice>(link.Get(0)));
        }
        up.resize(LEAVES);
        for (uint32_t l = 0; l < LEAVES; ++l)
        {
            for (uint32_t s = 0; s < SPINES; ++s)
            {
                NetDeviceContainer link = ib.Install(leaves.Get(l), spines.Get(s));
                up[l].push_back(DynamicCast<IbNetDevice>(link.Get(0)));
            }
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(NodeContainer(hosts, leaves), spines));
    }

    Ptr<IbSwitch> Leaf(uint32_t l) const
    {
        return leaves.Get(l)->GetObject<IbSwitch>();
    }

    /// Two destinations off leaf 0 that its static table sends by the same uplink.
    std::pair<uint32_t, uint32_t> CollidingPair() const
    {
        for (uint32_t a = PER_LEAF; a < hosts.GetN(); ++a)
        {
            for (uint32_t b = a + 1; b < hosts.GetN(); ++b)
            {
                if (Leaf(0)->GetRoute(hca[a]->GetLid()) == Leaf(0)->GetRoute(hca[b]->GetLid()))
                {
                    return {a, b};
                }
            }
        }
        return {0, 0};
    }
};

/// What the permutation measured.
struct PermutationResult
{
    std::vector<uint64_t> upBytes; //!< bytes leaf 0 sent up each spine cable
    double gbps{0};                //!< aggregate payload throughput
    uint64_t reroutes{0};          //!< packets leaf 0 sent off their static port
};

PermutationResult
RunPermutation(bool adaptive)
{
    const uint64_t bytes = 4 << 20;
    FatTree ft(adaptive);
    const auto [a, b] = ft.CollidingPair();
    EXPECT_NE(a, 0u) << "no two destinations share an uplink";
    Ptr<FabricTrafficSink> sinkA = CreateObject<FabricTrafficSink>();
    Ptr<FabricTrafficSink> sinkB = CreateObject<FabricTrafficSink>();
    ft.hosts.Get(a)->AddApplication(sinkA);
    ft.hosts.Get(b)->AddApplication(sinkB);
    const uint32_t dsts[2] = {a, b};
    for (uint32_t s = 0; s < 2; ++s)
    {
        Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
        gen->SetAttribute("DestinationLid", UintegerValue(ft.hca[dsts[s]]->GetLid()));
        gen->SetAttribute("MessageSize", UintegerValue(bytes));
        ft.hosts.Get(s)->AddApplication(gen); // hosts 0 and 1: both on leaf 0
    }
    Simulator::Run();
    PermutationResult r;
    Time last;
    uint64_t delivered = 0;
    for (const auto& sink : {sinkA, sinkB})
    {
        for (const auto& [lid, flow] : sink->GetFlows())
        {
            delivered += flow.payloadBytes;
            last = std::max(last, flow.lastRx);
        }
    }
    EXPECT_EQ(delivered, 2 * bytes);
    for (const auto& port : ft.up[0])
    {
        r.upBytes.push_back(port->GetTxBytes());
    }
    r.gbps = delivered * 8.0 / last.GetSeconds() / 1e9;
    r.reroutes = ft.Leaf(0)->GetAdaptiveReroutes();
    ExpectLosslessAndBalanced();
    Simulator::Destroy();
    return r;
}

} // namespace

TEST_F(CongestionTest, AdaptiveRoutingUnfoldsAPermutationThatCollidesUnderStaticRouting)
{
    const PermutationResult stat = RunPermutation(false);
    const PermutationResult ar = RunPermutation(true);
    RecordProperty("static_gbps", std::to_string(stat.gbps));
    RecordProperty("adaptive_gbps", std::to_string(ar.gbps));
    const double line = 400.0; // NDR 4x, both flows together could reach 800
    // Static: both flows on one uplink, the other idle; together they get one cable's worth.
    ASSERT_EQ(stat.upBytes.size(), 2u);
    EXPECT_EQ(std::min(stat.upBytes[0], stat.upBytes[1]), 0u);
    EXPECT_EQ(stat.reroutes, 0u);
    EXPECT_LT(stat.gbps, 0.52 * 2 * line);
    // Adaptive: the leaf spreads the packets over both uplinks, near line rate for both flows.
    const double share =
        static_cast<double>(ar.upBytes[0]) / static_cast<double>(ar.upBytes[0] + ar.upBytes[1]);
    EXPECT_NEAR(share, 0.5, 0.1);
    EXPECT_GT(ar.reroutes, 0u);
    EXPECT_GT(ar.gbps, 0.9 * 2 * line);
}

TEST_F(CongestionTest, AdaptiveRoutingGroupsHoldEveryMinimumHopPortAndOnlyActWhenOn)
{
    FatTree off(false);
    const uint16_t lid = off.hca[FatTree::PER_LEAF]->GetLid(); // a host on leaf 1
    EXPECT_EQ(off.Leaf(0)->GetAdaptiveRoutes(lid).size(), FatTree::SPINES);
    EXPECT_EQ(off.Leaf(0)->GetRoutes(lid).size(), 1u);         // AR off: the static port only
    EXPECT_EQ(off.Leaf(1)->GetAdaptiveRoutes(lid).size(), 0u); // its own leaf: one way down
    Simulator::Destroy();
    FatTree on(true);
    const auto routes = on.Leaf(0)->GetRoutes(lid);
    ASSERT_EQ(routes.size(), FatTree::SPINES);
    EXPECT_EQ(routes.front(), on.Leaf(0)->GetRoute(lid)); // static port first
}

TEST_F(CongestionTest, RcOverAdaptiveRoutingDeliversEveryByteOnceInOrder)
{
    const uint64_t bytes = 1 << 20;
    const uint32_t messages = 4;
    FatTree ft(true);
    const auto [a, b] = ft.CollidingPair();
    ASSERT_NE(a, 0u);
    RdmaHelper rdma;
    std::vector<std::pair<Ptr<RdmaQueuePair>, Ptr<RdmaQueuePair>>> qps;
    qps.push_back(rdma.Connect(ft.hosts.Get(0), ft.hosts.Get(a)));
    qps.push_back(rdma.Connect(ft.hosts.Get(1), ft.hosts.Get(b)));
    std::vector<std::vector<uint64_t>> order(qps.size());
    for (size_t q = 0; q < qps.size(); ++q)
    {
        qps[q].second->SetReceiveCompletionCallback(MakeCallback(+[](std::vector<uint64_t>* seen,
                                                                     Ptr<RdmaQueuePair>,
                                                                     const RdmaCompletion& c) {
                                                        seen->push_back(c.sequence);
                                                    }).Bind(&order[q]));
        for (uint32_t m = 0; m < messages; ++m)
        {
            qps[q].first->PostWrite(bytes);
        }
    }
    Simulator::Run();
    uint64_t reordered = 0;
    for (size_t q = 0; q < qps.size(); ++q)
    {
        const auto& [requester, responder] = qps[q];
        // The reorder window came by itself: the path has an AR group on it.
        EXPECT_GT(responder->GetReorderWindow(), 1u);
        EXPECT_EQ(responder->GetBytesReceived(), messages * bytes);
        EXPECT_EQ(requester->GetBytesCompleted(), messages * bytes);
        EXPECT_EQ(requester->GetPacketsRetransmitted(), 0u);
        EXPECT_EQ(responder->GetPacketsDiscarded(), 0u);
        EXPECT_EQ(responder->GetNaksSent(), 0u);
        ASSERT_EQ(order[q].size(), messages);
        for (uint32_t m = 0; m < messages; ++m)
        {
            EXPECT_EQ(order[q][m], m); // to the application: every message once, in order
        }
        reordered += responder->GetPacketsReordered();
    }
    EXPECT_GT(reordered, 0u); // ... although the wire delivered packets out of order
    EXPECT_GT(ft.Leaf(0)->GetAdaptiveReroutes(), 0u);
    ExpectLosslessAndBalanced();
}

namespace
{

/// What the incast measured.
struct IncastResult
{
    double victimGbps{0};    //!< the victim flow's throughput
    uint64_t marked{0};      //!< FECN marks by the switches
    uint64_t fecn{0};        //!< FECN-marked packets at the responders
    uint64_t becnSent{0};    //!< BECNs returned
    uint64_t becnRx{0};      //!< BECNs received
    uint32_t maxCcti{0};     //!< highest CCT index of the incast senders
    uint32_t victimCcti{0};  //!< highest CCT index of the victim
    uint64_t incastBytes{0}; //!< bytes the incast delivered
    Time hotTime;            //!< time D's port spent above the threshold
};

/**
 * Eight senders (four on switch A, four on B) write to D on B; a victim on A writes to R on B
 * over the same A-B cable and VL. Credits spread the congestion at D back over the A-B cable,
 * where the victim's packets wait behind packets for D (head-of-line blocking).
 */
IncastResult
RunIncast(bool cc)
{
    IbHelper ib;
    ib.SetSwitchAttribute("CongestionControl", BooleanValue(cc));
    NodeContainer hosts;
    NodeContainer switches;
    hosts.Create(11);
    switches.Create(2);
    ib.InstallSwitch(switches);
    std::vector<Ptr<IbNetDevice>> edge(11);
    for (uint32_t h = 0; h < 11; ++h)
    {
        NetDeviceContainer link = ib.Install(hosts.Get(h), switches.Get((h < 4 || h == 8) ? 0 : 1));
        edge[h] = DynamicCast<IbNetDevice>(link.Get(1));
    }
    ib.Install(switches.Get(0), switches.Get(1));
    IbSubnetManager sm;
    sm.Run(NodeContainer(hosts, switches));
    RdmaHelper rdma;
    rdma.SetQueuePairAttribute("CongestionControl", BooleanValue(cc));
    std::vector<std::pair<Ptr<RdmaQueuePair>, Ptr<RdmaQueuePair>>> incast;
    for (uint32_t s = 0; s < 8; ++s)
    {
        incast.push_back(rdma.Connect(hosts.Get(s), hosts.Get(9)));
        incast.back().first->PostWrite(4 << 20);
    }
    // The victim offers a quarter of its line rate: room for it stays on the A-B cable once
    // the incast senders are held to their share of D.
    rdma.SetQueuePairAttribute("RateLimit", DataRateValue(DataRate("100Gb/s")));
    auto victim = rdma.Connect(hosts.Get(8), hosts.Get(10));
    const uint64_t victimBytes = 2 << 20;
    victim.first->PostWrite(victimBytes);
    RdmaCompletion done;
    victim.second->SetReceiveCompletionCallback(
        MakeCallback(+[](RdmaCompletion* out, Ptr<RdmaQueuePair>, const RdmaCompletion& c) {
            *out = c;
        }).Bind(&done));
    Simulator::Run();
    IncastResult r;
    EXPECT_EQ(victim.second->GetBytesReceived(), victimBytes);
    r.victimGbps = victimBytes * 8.0 / (done.end - done.start).GetSeconds() / 1e9;
    for (uint32_t s = 0; s < 2; ++s)
    {
        r.marked += switches.Get(s)->GetObject<IbSwitch>()->GetMarkedPackets();
    }
    r.hotTime =
        switches.Get(1)->GetObject<IbSwitch>()->GetTimeAboveThreshold(edge[9]->GetSwitchPort());
    r.victimCcti = victim.first->GetMaxCctIndex();
    incast.push_back(victim);
    for (const auto& [requester, responder] : incast)
    {
        EXPECT_EQ(requester->GetPacketsRetransmitted(), 0u);
        EXPECT_EQ(requester->GetBytesCompleted(), responder->GetBytesReceived());
        r.fecn += responder->GetFecnReceived();
        r.becnSent += responder->GetBecnSent();
        r.becnRx += requester->GetBecnReceived();
        r.maxCcti = std::max(r.maxCcti, requester->GetMaxCctIndex());
        r.incastBytes += responder->GetBytesReceived();
    }
    r.incastBytes -= victimBytes;
    EXPECT_EQ(r.incastBytes, 8u * (4 << 20));
    ExpectLosslessAndBalanced();
    Simulator::Destroy();
    return r;
}

} // namespace

TEST_F(CongestionTest, CongestionControlLetsTheVictimOfAnIncastThrough)
{
    const IncastResult off = RunIncast(false);
    const IncastResult on = RunIncast(true);
    RecordProperty("victim_gbps_cc_off", std::to_string(off.victimGbps));
    RecordProperty("victim_gbps_cc_on", std::to_string(on.victimGbps));
    std::cout << "victim Gb/s: CC off " << off.victimGbps << ", CC on " << on.victimGbps
              << "; marks " << on.marked << ", max CCTI " << on.maxCcti << ", victim's "
              << on.victimCcti << ", D hot " << off.hotTime.As(Time::US) << " / "
              << on.hotTime.As(Time::US) << std::endl;
    // Without CC nothing is marked and nobody throttles: the victim crawls behind the incast.
    EXPECT_EQ(off.marked, 0u);
    EXPECT_EQ(off.fecn, 0u);
    EXPECT_EQ(off.becnSent, 0u);
    EXPECT_EQ(off.becnRx, 0u);
    EXPECT_EQ(off.maxCcti, 0u);
    EXPECT_LT(off.victimGbps, 0.1 * 400); // it offers 0.25 of its line rate
    // With CC the switch at D marks, D returns BECN, the senders throttle by the CCT, and the
    // victim gets a good share of its line rate back.
    EXPECT_GT(on.marked, 0u);
    EXPECT_GT(on.fecn, 0u);
    EXPECT_LE(on.fecn, on.marked); // a packet marked at two switches counts once at D
    EXPECT_GT(on.becnSent, 0u);
    EXPECT_EQ(on.becnRx, on.becnSent);
    EXPECT_GT(on.maxCcti, 0u);
    EXPECT_GT(on.victimGbps, 0.15 * 400);
    EXPECT_GT(on.victimGbps, 1.5 * off.victimGbps);
}

TEST_F(CongestionTest, HotPortSeriesShowTheQueueAndAddUpToTheCreditStall)
{
    // Seven hosts of an 8-host fat-tree write to host 0: its leaf port queues, and the ports
    // feeding that leaf wait for credits.
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(HostsOnFatTreeYaml(8, 4), "topology"));
    FabricHotPorts hot(topology);
    const Time period = MicroSeconds(1);
    hot.StartSampling(period);
    RdmaHelper rdma;
    const uint32_t senders = 7;
    const uint64_t bytes = 256 << 10;
    uint32_t done = 0;
    Time end;
    auto onDone = [](uint32_t* n,
                     Time* at,
                     uint32_t all,
                     FabricHotPorts* h,
                     Ptr<RdmaQueuePair>,
                     const RdmaCompletion&) {
        if (++*n == all)
        {
            h->Stop();
            *at = Simulator::Now();
        }
    };
    for (uint32_t s = 1; s <= senders; ++s)
    {
        auto qp = rdma.Connect(topology->GetGpuNode(s), topology->GetGpuNode(0));
        qp.second->SetReceiveCompletionCallback(
            MakeCallback(+onDone).Bind(&done, &end, senders, &hot));
        qp.first->PostWrite(bytes);
    }
    Simulator::Run();
    ASSERT_EQ(done, senders);
    const std::vector<HotPort> ranked = hot.Rank(100);
    ASSERT_FALSE(ranked.empty());

    // The hottest port is host 0's: its queue stands deep while the incast lasts.
    const HotPort& top = ranked.front();
    EXPECT_NE(top.name.find("leaf0"), std::string::npos) << top.name;
    ASSERT_EQ(top.queueSeries.size(), top.stallSeries.size());
    const size_t expected = static_cast<size_t>(end.GetPicoSeconds() / period.GetPicoSeconds());
    EXPECT_NEAR(static_cast<double>(top.queueSeries.size()), expected + 1.0, 1.0);
    const uint32_t deepest = *std::max_element(top.queueSeries.begin(), top.queueSeries.end());
    EXPECT_GT(deepest, 64u << 10) << top.name;
    EXPECT_LE(deepest, top.maxQueueBytes);
    EXPECT_EQ(top.queueSeries.front(), 0u); // sampled before the first write

    // Every stalled port: the series, period x fraction summed, is its stall total up to the
    // part of one period after the last sample (per data VL).
    uint32_t stalled = 0;
    for (const auto& h : ranked)
    {
        ASSERT_EQ(h.stallSeries.size(), h.queueSeries.size()) << h.name;
        if (h.creditStall.IsZero())
        {
            continue;
        }
        ++stalled;
        double sum = 0;
        double most = 0;
        for (size_t i = 0; i < h.stallSeries.size(); ++i)
        {
            const double f = h.GetStallFraction(i, period);
            EXPECT_GE(f, 0.0);
            sum += f * period.GetSeconds();
            most = std::max(most, f);
        }
        EXPECT_EQ(h.stallSeries.front(), Time()) << h.name;
        EXPECT_LE(sum, h.creditStall.GetSeconds() + 1e-12) << h.name;
        EXPECT_GE(sum, h.creditStall.GetSeconds() - period.GetSeconds() - 1e-12) << h.name;
        EXPECT_GT(most, 0.0) << h.name;
    }
    EXPECT_GT(stalled, 0u) << "the incast made no port wait for credits";
    Simulator::Destroy();
}

TEST_F(CongestionTest, HotPortSamplingStopsWhenNothingElseIsLeft)
{
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(HostsOnFatTreeYaml(2, 4), "topology"));
    FabricHotPorts hot(topology);
    hot.StartSampling(MicroSeconds(1));
    RdmaHelper rdma;
    auto qp = rdma.Connect(topology->GetGpuNode(0), topology->GetGpuNode(1));
    qp.first->PostWrite(64 << 10);
    Simulator::Run(); // returns: no Stop() needed
    EXPECT_EQ(qp.second->GetBytesReceived(), 64u << 10);
    Simulator::Destroy();
}
