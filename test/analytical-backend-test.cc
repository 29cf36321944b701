/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * The analytical backend against closed forms: one transfer over one link (IB and NVLink), two
 * transfers of one step sharing a link or a GPU's sprayed NVLinks, a ring all-reduce built by
 * hand on a ring, a switch, a DGX H100 and two DGX H100 on an NDR fat-tree against
 * CollectiveClosedForm, protocol efficiency, reduction time, per-link load; the closed forms
 * and busbw factors; the protocol tables; CollectiveTuner's picks checked by hand from NCCL's
 * formulas (fact sheet §9.2).
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <tuple>

using namespace ns3;

namespace
{

/// Fixture: the module's common one.
class AnalyticalBackendTest : public FabricTest
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
NdrFatTree()
{
    FatTreeSpec ft;
    ft.present = true;
    ft.radix = 64;
    ft.railOptimized = true;
    return ft;
}

DimensionSpec
Dim(BlockType block, uint32_t size)
{
    DimensionSpec d;
    d.block = block;
    d.size = size;
    d.rate = DataRate("200Gb/s");
    d.latency = NanoSeconds(50);
    return d;
}

/// Hosts of one GPU each and no HCA, for explicit links.
NodeKindSpec
Host(uint32_t gpus = 1)
{
    NodeKindSpec host;
    host.name = "host";
    host.gpus = gpus;
    host.hcas = 0;
    host.board = "";
    return host;
}

LinkSpec
Link(const std::string& a, const std::string& b, FabricLinkType type, uint32_t count = 1)
{
    LinkSpec l;
    l.a = a;
    l.b = b;
    l.type = type;
    l.rate = DataRate(type == FabricLinkType::NVLINK ? "200Gb/s" : "400Gb/s");
    l.delay = NanoSeconds(100);
    l.count = count;
    return l;
}

/// A schedule of independent transfers (src, dst, bytes, step), none reducing.
CollectiveSchedule
Transfers(uint32_t nranks,
          const std::vector<std::tuple<uint32_t, uint32_t, uint64_t, uint32_t>>& ts)
{
    CollectiveSchedule s;
    s.op = CollectiveOp::SEND_RECV;
    s.nranks = nranks;
    s.algorithm = "ring";
    s.chunks = 1;
    for (const auto& [src, dst, bytes, step] : ts)
    {
        CollectiveTransfer t;
        t.src = src;
        t.dst = dst;
        t.bytes = bytes;
        t.step = step;
        s.transfers.push_back(t);
        s.bytes += bytes;
    }
    s.chunkBytes = {s.bytes};
    return s;
}

/**
 * Ring all-reduce by hand: n chunks of S/n; reduce-scatter steps k = 0..n-2 (rank r sends chunk
 * r-k to r+1, which adds it in), all-gather steps k = n-1..2n-3 (rank r sends chunk r+1-j,
 * j = k-(n-1)). Transfer (k, r) waits for (k-1, r-1), the one that brought its chunk.
 */
CollectiveSchedule
RingAllReduce(uint32_t n, uint64_t bytes)
{
    CollectiveSchedule s;
    s.op = CollectiveOp::ALL_REDUCE;
    s.nranks = n;
    s.bytes = bytes;
    s.chunks = n;
    s.chunkBytes.assign(n, bytes / n);
    s.algorithm = "ring";
    for (uint32_t k = 0; k < 2 * (n - 1); ++k)
    {
        for (uint32_t r = 0; r < n; ++r)
        {
            CollectiveTransfer t;
            t.src = r;
            t.dst = (r + 1) % n;
            t.reduce = k < n - 1;
            t.chunk = t.reduce ? (r + n - k % n) % n : (r + 1 + n - (k - (n - 1))) % n;
            t.bytes = bytes / n;
            t.step = k;
            if (k > 0)
            {
                t.deps.push_back((k - 1) * n + (r + n - 1) % n);
            }
            s.transfers.push_back(t);
        }
    }
    return s;
}

/// What the test derives from a path, for its own closed forms.
struct PathTerms
{
    double delays{0};                    //!< sum of cable delays, s
    double switches{0};                  //!< sum of switch latencies, s
    double bandwidth{0};                 //!< min over hops of the hop's payload bytes/s
    double firstPortRate{0};             //!< one port of the first hop, payload bytes/s
    uint32_t hops{0};                    //!< hops
    uint32_t mtu{0};                     //!< smallest Mtu on the path
    std::vector<FabricNetDevice*> ports; //!< every port
};

PathTerms
Terms(Ptr<FabricTopology> topo, uint32_t a, uint32_t b)
{
    PathTerms p;
    p.bandwidth = 1e300;
    for (const auto& hop : topo->GetPathHops(a, b))
    {
        double aggregate = 0;
        double delay = 0;
        double latency = 0;
        for (const auto& port : hop)
        {
            const double rate =
                port->GetDataRate().GetBitRate() / 8.0 * port->GetPayloadEfficiency();
            aggregate += rate;
            delay =
                std::max(delay,
                         DynamicCast<FabricChannel>(port->GetChannel())->GetDelay().GetSeconds());
            if (port->GetSwitch())
            {
                latency = std::max(latency, port->GetSwitch()->GetLatency().GetSeconds());
            }
            p.ports.push_back(PeekPointer(port));
            p.mtu = p.mtu == 0 ? port->GetMtu() : std::min<uint32_t>(p.mtu, port->GetMtu());
        }
        if (p.hops == 0)
        {
            p.firstPortRate =
                hop[0]->GetDataRate().GetBitRate() / 8.0 * hop[0]->GetPayloadEfficiency();
        }
        p.delays += delay;
        p.switches += latency;
        p.bandwidth = std::min(p.bandwidth, aggregate);
        ++p.hops;
    }
    return p;
}

double
Us(const Time& t)
{
    return t.GetSeconds() * 1e6;
}

/// Relative difference.
double
Rel(double a, double b)
{
    return std::abs(a - b) / std::abs(b);
}

Ptr<AnalyticalBackend>
Backend(bool protocolLatency)
{
    Ptr<AnalyticalBackend> backend = CreateObject<AnalyticalBackend>();
    backend->SetAttribute("ProtocolLatency", BooleanValue(protocolLatency));
    return backend;
}

} // namespace

TEST_F(AnalyticalBackendTest, ProtocolTables)
{
    EXPECT_EQ(CollectiveProtocolName(CollectiveProtocol::LL128), "LL128");
    EXPECT_EQ(ParseCollectiveProtocol("simple"), CollectiveProtocol::SIMPLE);
    EXPECT_THROW(ParseCollectiveProtocol("LL64"), FabricConfigError);
    EXPECT_DOUBLE_EQ(CollectiveProtocolEfficiency(CollectiveProtocol::LL), 0.5);
    EXPECT_DOUBLE_EQ(CollectiveProtocolEfficiency(CollectiveProtocol::LL128), 0.9375);
    EXPECT_DOUBLE_EQ(CollectiveProtocolEfficiency(CollectiveProtocol::SIMPLE), 1.0);
    // Fact sheet §9.2.
    EXPECT_EQ(NcclBaseLatency(NcclAlgorithm::RING, CollectiveProtocol::LL), NanoSeconds(6600));
    EXPECT_EQ(NcclBaseLatency(NcclAlgorithm::TREE, CollectiveProtocol::SIMPLE), NanoSeconds(8400));
    EXPECT_EQ(NcclHwLatency(NcclLinkType::NVLINK, NcclAlgorithm::TREE, CollectiveProtocol::LL128),
              NanoSeconds(1250));
    EXPECT_EQ(NcclHwLatency(NcclLinkType::NET, NcclAlgorithm::RING, CollectiveProtocol::SIMPLE),
              MicroSeconds(14));
    EXPECT_EQ(NcclHwLatency(NcclLinkType::PCI, NcclAlgorithm::RING, CollectiveProtocol::SIMPLE),
              NanoSeconds(5700));
    EXPECT_EQ(
        NcclHwLatency(NcclLinkType::NET, NcclAlgorithm::NVLS_TREE, CollectiveProtocol::SIMPLE),
        NanoSeconds(20900));
    EXPECT_FALSE(
        NcclHasHwLatency(NcclLinkType::NVLINK, NcclAlgorithm::NVLS, CollectiveProtocol::LL));
    EXPECT_THROW(NcclHwLatency(NcclLinkType::PCI, NcclAlgorithm::NVLS, CollectiveProtocol::SIMPLE),
                 FabricConfigError);
    EXPECT_EQ(NcclAlgorithmForName("ring"), NcclAlgorithm::RING);
    EXPECT_EQ(NcclAlgorithmForName("double-binary-tree"), NcclAlgorithm::TREE);
    EXPECT_EQ(NcclAlgorithmForName("NVLS"), NcclAlgorithm::NVLS);
    EXPECT_EQ(NcclAlgorithmForName("halving-doubling"), NcclAlgorithm::RING);
}

TEST_F(AnalyticalBackendTest, ClosedForms)
{
    namespace cf = CollectiveClosedForm;
    const double S = 8e6;
    const double B = 1e10;
    const double a = 1e-6;
    EXPECT_DOUBLE_EQ(cf::RingAllReduce(8, S, B, a), 2.0 * 7 / 8 * S / B + 14 * a);
    EXPECT_DOUBLE_EQ(cf::RingReduceScatter(8, S, B, a), 7.0 / 8 * S / B + 7 * a);
    EXPECT_DOUBLE_EQ(cf::RingAllGather(8, S, B, a), 7.0 / 8 * S / B + 7 * a);
    EXPECT_DOUBLE_EQ(cf::HalvingDoublingAllReduce(8, S, B, a), 6 * a + 2.0 * 7 / 8 * S / B);
    EXPECT_THROW(cf::HalvingDoublingAllReduce(6, S, B, a), FabricConfigError);
    EXPECT_DOUBLE_EQ(cf::DoubleBinaryTreeAllReduce(8, S, B, a), 6 * a + 2 * S / B);
    EXPECT_DOUBLE_EQ(cf::DoubleBinaryTreeAllReduce(9, S, B, a), 8 * a + 2 * S / B);
    EXPECT_DOUBLE_EQ(cf::DirectAllReduce(8, S, B, a), 2 * a + 2.0 * 7 / 8 * S / B);
    EXPECT_DOUBLE_EQ(cf::DirectAllToAll(8, S, B, a), a + 7.0 / 8 * S / B);
    EXPECT_DOUBLE_EQ(cf::RingBroadcast(8, S, B, a, 1), 7 * (a + S / B));
    EXPECT_DOUBLE_EQ(cf::RingBroadcast(8, S, B, a, 4), 10 * (a + S / 4 / B));
    EXPECT_DOUBLE_EQ(cf::RingReduce(8, S, B, a, 4), cf::RingBroadcast(8, S, B, a, 4));
    EXPECT_DOUBLE_EQ(cf::BusBandwidthFactor(CollectiveOp::ALL_REDUCE, 8), 1.75);
    EXPECT_DOUBLE_EQ(cf::BusBandwidthFactor(CollectiveOp::ALL_GATHER, 8), 0.875);
    EXPECT_DOUBLE_EQ(cf::BusBandwidthFactor(CollectiveOp::ALL_TO_ALL, 8), 0.875);
    EXPECT_DOUBLE_EQ(cf::BusBandwidthFactor(CollectiveOp::BROADCAST, 8), 1.0);
    // A ring all-reduce's busbw is B when alpha = 0: the point of the factor.
    const double t = cf::RingAllReduce(8, S, B, 0);
    EXPECT_NEAR(cf::BusBandwidth(CollectiveOp::ALL_REDUCE, 8, cf::AlgBandwidth(S, t)), B, 1e-3);
}

TEST_F(AnalyticalBackendTest, SingleTransferOverOneInfinibandLink)
{
    TopologyHelper helper;
    helper.AddNodeKind(Host());
    helper.AddNodes("host", 2);
    helper.AddLink(Link("gpu:0", "gpu:1", FabricLinkType::INFINIBAND));
    Ptr<FabricTopology> topo = helper.Build();
    ASSERT_EQ(topo->GetPathHops(0, 1).size(), 1u);
    Ptr<FabricNetDevice> port = topo->GetHcaPort(0);
    const double eff = 4096.0 / (4096 + 26);
    ASSERT_DOUBLE_EQ(port->GetPayloadEfficiency(), eff);
    const double rate = 400e9 / 8;
    for (uint64_t bytes : {uint64_t(1) << 20, uint64_t(1000), uint64_t(3 << 20) + 100})
    {
        const auto schedule = Transfers(2, {{0, 1, bytes, 0}});
        const auto r = Backend(false)->Run(schedule, topo, {}, CollectiveProtocol::SIMPLE);
        const double expected = 100e-9 + bytes / (rate * eff);
        EXPECT_NEAR(r.completion.GetSeconds(), expected, 2e-12) << bytes;
        EXPECT_EQ(r.transfers[0].link, NcclLinkType::NET);
        EXPECT_DOUBLE_EQ(r.transfers[0].rate, rate * eff);
        // With NCCL's per-step latency: Ring / Simple over the network, 14 us.
        const auto withLat = Backend(true)->Run(schedule, topo, {}, CollectiveProtocol::SIMPLE);
        EXPECT_NEAR(withLat.completion.GetSeconds(), expected + 14e-6, 2e-12);
        EXPECT_EQ(withLat.transfers[0].start, MicroSeconds(14));
    }
    // The mapping: communicator ranks 0, 1 on topology ranks 1, 0 go the other way.
    const auto r = Backend(false)->Run(Transfers(2, {{0, 1, 4096, 0}}),
                                       topo,
                                       {1, 0},
                                       CollectiveProtocol::SIMPLE);
    EXPECT_EQ(r.links.at(0).port, topo->GetHcaPort(1));
    EXPECT_THROW(
        Backend(false)->Run(Transfers(2, {{0, 1, 1, 0}}), topo, {1, 1}, CollectiveProtocol::SIMPLE),
        FabricConfigError);
    EXPECT_THROW(
        Backend(false)->Run(Transfers(2, {{0, 1, 1, 0}}), topo, {0}, CollectiveProtocol::SIMPLE),
        FabricConfigError);
}

TEST_F(AnalyticalBackendTest, CreditLoopBoundsALongLink)
{
    // A 1 us cable: the credit loop is 2 x 1 us + one 4,122-byte packet's 82 ns; the
    // receiver's 64 KiB (1,024 credit blocks) hold 15 packets of 65 blocks, 61,830 bytes per
    // loop: 29.7 GB/s of the link's 50.
    TopologyHelper helper;
    helper.AddNodeKind(Host());
    helper.AddNodes("host", 2);
    LinkSpec link = Link("gpu:0", "gpu:1", FabricLinkType::INFINIBAND);
    link.delay = MicroSeconds(1);
    helper.AddLink(link);
    Ptr<FabricTopology> topo = helper.Build();
    const double eff = 4096.0 / (4096 + 26);
    const double rate = 400e9 / 8;
    const double loop = 2e-6 + 4122 / rate;
    const double bound = 15 * 4122 / loop * eff;
    ASSERT_LT(bound, rate * eff);
    const uint64_t bytes = uint64_t(4) << 20;
    const auto schedule = Transfers(2, {{0, 1, bytes, 0}});
    // First packet at the line rate, the rest at the bound.
    const double expected = 1e-6 + 4096 / (rate * eff) + (bytes - 4096) / bound;
    const auto r = Backend(false)->Run(schedule, topo, {}, CollectiveProtocol::SIMPLE);
    EXPECT_NEAR(r.completion.GetSeconds(), expected, 2e-12);
    EXPECT_NEAR(r.transfers[0].rate, bound, 1e-9 * bound);
    // The port is busy for the bytes' time on the wire, not for the transfer.
    EXPECT_NEAR(r.links.at(0).busy.GetSeconds(), bytes / (rate * eff), 1e-12);

    // Without the bound, or with a buffer that covers the loop (31 packets, 127,782 bytes per
    // loop: 61 GB/s), the link's rate.
    const double line = 1e-6 + bytes / (rate * eff);
    Ptr<AnalyticalBackend> unbounded = Backend(false);
    unbounded->SetAttribute("CreditLoop", BooleanValue(false));
    EXPECT_NEAR(
        unbounded->Run(schedule, topo, {}, CollectiveProtocol::SIMPLE).completion.GetSeconds(),
        line,
        2e-12);
    topo->GetHcaPort(1)->SetAttribute("RxBufferSize", UintegerValue(131072));
    const auto big = Backend(false)->Run(schedule, topo, {}, CollectiveProtocol::SIMPLE);
    EXPECT_NEAR(big.completion.GetSeconds(), line, 2e-12);
    EXPECT_DOUBLE_EQ(big.transfers[0].rate, rate * eff);
}

TEST_F(AnalyticalBackendTest, CreditLoopOfAHostIntoASwitch)
{
    // Hosts on one NDR switch with 500 ns cables (collective-bench --fabric=switch): into the
    // switch the loop adds its PortToPortLatency, 2 x 500 ns + 330 ns + 82 ns; 61,830 bytes
    // per loop is 43.8 GB/s. Out of it, to a host, 1,082 ns: 57 GB/s, not bound.
    Ptr<FabricTopology> topo = TopologyHelper().Build(TopologyReader::ReadString(
        "name: hosts on one switch\n"
        "node-kinds:\n"
        "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
        "nodes:\n"
        "  - {kind: host, count: 2}\n"
        "fat-tree: {levels: 2, radix: 4, speed: NDR, width: 4, link-delay: 500ns}\n",
        "switch"));
    const auto hops = topo->GetPathHops(0, 1);
    ASSERT_EQ(hops.size(), 2u);
    ASSERT_TRUE(hops[1].front()->GetSwitch());
    const double latency = hops[1].front()->GetSwitch()->GetLatency().GetSeconds();
    const double eff = 4096.0 / (4096 + 26);
    const double rate = 400e9 / 8;
    const double bound = 15 * 4122 / (1e-6 + latency + 4122 / rate) * eff;
    ASSERT_LT(bound, rate * eff);
    ASSERT_GT(15 * 4122 / (1e-6 + 4122 / rate) * eff, rate * eff);
    const auto r = Backend(false)->Run(Transfers(2, {{0, 1, uint64_t(8) << 20, 0}}),
                                       topo,
                                       {},
                                       CollectiveProtocol::SIMPLE);
    EXPECT_NEAR(r.transfers[0].rate, bound, 1e-9 * bound);
    EXPECT_EQ(r.transfers[0].bottleneckHop, 0u);
}

TEST_F(AnalyticalBackendTest, SingleTransferOverNvlinks)
{
    // Two GPUs of one server joined by one NVLink, then by three (sprayed).
    for (uint32_t links : {1u, 3u})
    {
        TopologyHelper helper;
        helper.AddNodeKind(Host(2));
        helper.AddNodes("host", 1);
        helper.AddLink(Link("gpu:0", "gpu:1", FabricLinkType::NVLINK, links));
        Ptr<FabricTopology> topo = helper.Build();
        const auto hops = topo->GetPathHops(0, 1);
        ASSERT_EQ(hops.size(), 1u);
        ASSERT_EQ(hops[0].size(), links);
        const double eff = NvlinkWireEfficiency(NvlinkGeneration::NVLINK4);
        ASSERT_DOUBLE_EQ(hops[0][0]->GetPayloadEfficiency(), eff);
        const double one = 200e9 / 8 * eff;
        const uint64_t bytes = 1 << 20;
        const auto r = Backend(true)->Run(Transfers(2, {{0, 1, bytes, 0}}),
                                          topo,
                                          {},
                                          CollectiveProtocol::SIMPLE);
        EXPECT_EQ(r.transfers[0].link, NcclLinkType::NVLINK);
        EXPECT_EQ(r.transfers[0].stepLatency, NanoSeconds(3400)); // Ring / Simple over NVLink
        // The first packet goes at one link's rate, the rest over all of them.
        const double mtu = hops[0][0]->GetMtu();
        const double expected = 3.4e-6 + 100e-9 + mtu / one + (bytes - mtu) / (links * one);
        EXPECT_NEAR(r.completion.GetSeconds(), expected, 2e-12) << links;
        EXPECT_DOUBLE_EQ(r.transfers[0].rate, links * one);
        // The bytes are split evenly over the links.
        ASSERT_EQ(r.links.size(), links);
        for (const auto& load : r.links)
        {
            EXPECT_NEAR(double(load.bytes), double(bytes) / links, 1.0);
        }
        EXPECT_EQ(r.GetTotalLinkBytes(), bytes);
        Simulator::Destroy();
    }
}

TEST_F(AnalyticalBackendTest, TransfersAtTheSameTimeShareALink)
{
    // Hosts 0 and 1 both send to host 2 through one IB switch: its port to host 2 is shared.
    TopologyHelper helper;
    helper.AddNodeKind(Host());
    helper.AddNodes("host", 3);
    SwitchSpec sw;
    sw.name = "s0";
    sw.latency = NanoSeconds(330);
    helper.AddSwitch(sw);
    for (uint32_t g = 0; g < 3; ++g)
    {
        helper.AddLink(Link("gpu:" + std::to_string(g), "switch:s0", FabricLinkType::INFINIBAND));
    }
    Ptr<FabricTopology> topo = helper.Build();
    const double half = 400e9 / 8 * 4096 / 4122 / 2;
    const uint64_t bytes = 4 << 20;
    const double path = 2 * 100e-9 + 330e-9;
    const auto same = Backend(false)->Run(Transfers(3, {{0, 2, bytes, 0}, {1, 2, bytes, 0}}),
                                          topo,
                                          {},
                                          CollectiveProtocol::SIMPLE);
    for (const auto& t : same.transfers)
    {
        EXPECT_EQ(t.sharers, 2u);
        EXPECT_EQ(t.bottleneckHop, 1u);
        EXPECT_DOUBLE_EQ(t.rate, half);
        EXPECT_NEAR(t.end.GetSeconds(), path + bytes / half, 2e-12);
    }
    // The shared port carried both; the hottest link is it.
    ASSERT_FALSE(same.hottest.empty());
    EXPECT_EQ(same.hottest[0].bytes, 2 * bytes);
    EXPECT_NE(same.hottest[0].name.find("-> s2.gpu0"), std::string::npos) << same.hottest[0].name;
    EXPECT_NEAR(same.hottest[0].utilisation, 1.0, 1e-2); // all but the path latency
    EXPECT_EQ(same.GetTotalLinkBytes(), 2 * bytes * 2);
    // Labelled with different steps but running at the same time, they share all the same:
    // sharing follows time, not labels.
    const auto apart = Backend(false)->Run(Transfers(3, {{0, 2, bytes, 0}, {1, 2, bytes, 1}}),
                                           topo,
                                           {},
                                           CollectiveProtocol::SIMPLE);
    EXPECT_NEAR(apart.completion.GetSeconds(), path + bytes / half, 2e-12);

    // On a DGX H100, GPU 0 sending to GPUs 1 and 2 at once halves its 18 sprayed NVLinks.
    Simulator::Destroy();
    TopologyHelper dgx;
    dgx.AddNodeKind(DgxH100(0));
    dgx.AddNodes("dgx-h100", 1);
    Ptr<FabricTopology> node = dgx.Build();
    const auto r = Backend(false)->Run(Transfers(8, {{0, 1, bytes, 0}, {0, 2, bytes, 0}}),
                                       node,
                                       {},
                                       CollectiveProtocol::SIMPLE);
    const PathTerms p = Terms(node, 0, 1);
    ASSERT_EQ(p.hops, 2u);
    for (const auto& t : r.transfers)
    {
        EXPECT_EQ(t.sharers, 2u);
        EXPECT_EQ(t.bottleneckHop, 0u);
        EXPECT_DOUBLE_EQ(t.rate, p.bandwidth / 2);
    }
}

TEST_F(AnalyticalBackendTest, RingAllReduceMatchesClosedFormOnUniformTopologies)
{
    // A ring dimension of 8 and a switch of 8: every step, every rank sends S/n to its
    // neighbour over the same kind of path. alpha = NCCL's Ring/Simple NVLink step latency +
    // the path's cable delays and switch latencies; B = the narrowest hop's payload rate.
    for (BlockType block : {BlockType::RING, BlockType::SWITCH})
    {
        TopologyHelper helper;
        helper.AddDimension(Dim(block, 8));
        Ptr<FabricTopology> topo = helper.Build();
        const PathTerms p = Terms(topo, 0, 1);
        EXPECT_EQ(p.hops, block == BlockType::RING ? 3u : 4u);
        EXPECT_DOUBLE_EQ(p.bandwidth, 200e9 / 8 * NvlinkWireEfficiency(NvlinkGeneration::NVLINK4));
        const double alpha = 3.4e-6 + p.delays + p.switches;
        for (uint64_t bytes : {uint64_t(8) << 10, uint64_t(64) << 20, uint64_t(1) << 30})
        {
            const auto r =
                Backend(true)->Run(RingAllReduce(8, bytes), topo, {}, CollectiveProtocol::SIMPLE);
            const double closed = CollectiveClosedForm::RingAllReduce(8, bytes, p.bandwidth, alpha);
            EXPECT_LT(Rel(r.completion.GetSeconds(), closed), 1e-3) << bytes;
            EXPECT_NEAR(r.completion.GetSeconds(), closed, 1e-9) << bytes; // in fact exact
            EXPECT_NEAR(
                r.busBandwidth,
                CollectiveClosedForm::BusBandwidth(CollectiveOp::ALL_REDUCE, 8, bytes / closed),
                r.busBandwidth * 1e-6);
            // Every port carries what its transfers sent.
            uint64_t sent = 0;
            for (const auto& t : r.transfers)
            {
                sent += (bytes / 8) * t.hops;
            }
            EXPECT_EQ(r.GetTotalLinkBytes(), sent);
            EXPECT_EQ(sent, 2 * 7 * 8 * (bytes / 8) * p.hops);
        }
        Simulator::Destroy();
    }
}

TEST_F(AnalyticalBackendTest, ProtocolEfficiencyScalesTheBandwidthTerm)
{
    TopologyHelper helper;
    helper.AddDimension(Dim(BlockType::RING, 8));
    Ptr<FabricTopology> topo = helper.Build();
    const PathTerms p = Terms(topo, 0, 1);
    const uint64_t bytes = 64 << 20;
    const double latency = 14 * p.delays;
    double bandwidthTerm[3];
    for (auto proto :
         {CollectiveProtocol::LL, CollectiveProtocol::LL128, CollectiveProtocol::SIMPLE})
    {
        const auto r = Backend(false)->Run(RingAllReduce(8, bytes), topo, {}, proto);
        bandwidthTerm[static_cast<int>(proto)] = r.completion.GetSeconds() - latency;
        EXPECT_NEAR(
            r.completion.GetSeconds(),
            CollectiveClosedForm::RingAllReduce(8,
                                                bytes,
                                                p.bandwidth * CollectiveProtocolEfficiency(proto),
                                                p.delays),
            1e-9);
    }
    EXPECT_NEAR(bandwidthTerm[0] / bandwidthTerm[2], 2.0, 1e-9);
    EXPECT_NEAR(bandwidthTerm[1] / bandwidthTerm[2], 128.0 / 120.0, 1e-9);
    // With NCCL's step latencies the LL schedule pays 0.6 us a step, LL128 1.9, Simple 3.4.
    const auto ll = Backend(true)->Run(RingAllReduce(8, bytes), topo, {}, CollectiveProtocol::LL);
    EXPECT_NEAR(ll.completion.GetSeconds() - latency - bandwidthTerm[0], 14 * 0.6e-6, 1e-11);
    // A tree schedule takes the Tree row; NVLS does not run LL.
    auto tree = RingAllReduce(8, bytes);
    tree.algorithm = "tree";
    const auto t = Backend(true)->Run(tree, topo, {}, CollectiveProtocol::LL128);
    EXPECT_EQ(t.transfers[0].stepLatency, NanoSeconds(1250));
    tree.algorithm = "nvls";
    EXPECT_THROW(Backend(true)->Run(tree, topo, {}, CollectiveProtocol::LL), FabricConfigError);
}

TEST_F(AnalyticalBackendTest, ReductionRateAddsToReducingTransfers)
{
    TopologyHelper helper;
    helper.AddDimension(Dim(BlockType::RING, 4));
    Ptr<FabricTopology> topo = helper.Build();
    const uint64_t bytes = 16 << 20;
    Ptr<AnalyticalBackend> backend = Backend(false);
    const auto free = backend->Run(RingAllReduce(4, bytes), topo, {}, CollectiveProtocol::SIMPLE);
    backend->SetAttribute("ReductionRate", DataRateValue(DataRate("1000GB/s")));
    const auto slow = backend->Run(RingAllReduce(4, bytes), topo, {}, CollectiveProtocol::SIMPLE);
    // Three reduce-scatter steps reduce S/4 each on every rank's critical path.
    EXPECT_NEAR(slow.completion.GetSeconds() - free.completion.GetSeconds(),
                3 * (bytes / 4) / 1e12,
                1e-11);
    // Base latency: once, before everything.
    backend->SetAttribute("ReductionRate", DataRateValue(DataRate(0)));
    backend->SetAttribute("BaseLatency", BooleanValue(true));
    const auto based = backend->Run(RingAllReduce(4, bytes), topo, {}, CollectiveProtocol::SIMPLE);
    EXPECT_NEAR(based.completion.GetSeconds() - free.completion.GetSeconds(), 8.4e-6, 1e-11);
}

TEST_F(AnalyticalBackendTest, RingAllReduceOnADgxH100)
{
    TopologyHelper helper;
    helper.AddNodeKind(DgxH100(0));
    helper.AddNodes("dgx-h100", 1);
    Ptr<FabricTopology> topo = helper.Build();
    const PathTerms p = Terms(topo, 0, 1);
    ASSERT_EQ(p.hops, 2u);
    // 18 NVLink 4 links of 25 GB/s, less the calibrated wire overhead.
    EXPECT_NEAR(p.bandwidth, 18 * 25e9 * NvlinkWireEfficiency(NvlinkGeneration::NVLINK4), 1.0);
    // Sprayed: the first packet goes at one link's rate, the rest at the 18 links': alpha
    // carries the difference (mtu / one link - mtu / B).
    const double alpha =
        3.4e-6 + p.delays + p.switches + p.mtu / p.firstPortRate - p.mtu / p.bandwidth;
    for (uint64_t bytes : {uint64_t(1) << 20, uint64_t(1) << 30})
    {
        const auto r =
            Backend(true)->Run(RingAllReduce(8, bytes), topo, {}, CollectiveProtocol::SIMPLE);
        const double closed = CollectiveClosedForm::RingAllReduce(8, bytes, p.bandwidth, alpha);
        EXPECT_NEAR(r.completion.GetSeconds(), closed, 1e-9) << bytes;
        for (const auto& t : r.transfers)
        {
            EXPECT_EQ(t.link, NcclLinkType::NVLINK);
            EXPECT_EQ(t.sharers, 1u);
        }
        // 8 GPUs x 18 links out, 18 switch links into each GPU: all carry equal shares.
        EXPECT_EQ(r.links.size(), 2u * 8 * 18);
        EXPECT_EQ(r.GetTotalLinkBytes(), 2ULL * 7 * 8 * (bytes / 8) * 2);
        EXPECT_EQ(r.hottest.size(), 10u);
        EXPECT_LE(r.hottest.front().bytes - r.hottest.back().bytes, 14u);
    }
}

TEST_F(AnalyticalBackendTest, RingAllReduceOnTwoDgxH100OverNdr)
{
    TopologyHelper helper;
    helper.AddNodeKind(DgxH100());
    helper.AddNodes("dgx-h100", 2);
    helper.SetFatTree(NdrFatTree());
    Ptr<FabricTopology> topo = helper.Build();
    ASSERT_EQ(topo->GetNRanks(), 16u);
    const uint32_t n = 16;
    const uint64_t bytes = 256 << 20;
    const double c = bytes / n;
    const auto r =
        Backend(true)->Run(RingAllReduce(n, bytes), topo, {}, CollectiveProtocol::SIMPLE);

    // Step durations: NVLink hops inside a server; ranks 7 -> 8 and 15 -> 0 cross the fabric
    // (HCA, rail leaf, spine, other rail's leaf, HCA: NDR, cut-through).
    const PathTerms nv = Terms(topo, 0, 1);
    const PathTerms ib2 = Terms(topo, 15, 0);
    const auto ibHops = topo->GetPathHops(7, 8);
    ASSERT_EQ(ibHops.size(), 4u);
    ASSERT_EQ(ib2.hops, 4u);
    // Both inter-server transfers of a step go from rail 7's leaf to rail 0's leaf: where the
    // routes put them on the same uplink or spine downlink, they share it (s_h = 2).
    const double port = 400e9 / 8 * 4096 / 4122; // NDR payload rate
    double delays = 0;
    double switches = 0;
    double bandwidth = 1e300;
    uint32_t mostSharers = 1;
    for (const auto& hop : ibHops)
    {
        ASSERT_EQ(hop.size(), 1u);
        EXPECT_NEAR(hop[0]->GetDataRate().GetBitRate() / 8.0 * hop[0]->GetPayloadEfficiency(),
                    port,
                    1.0);
        const uint32_t sharers =
            1 + std::count(ib2.ports.begin(), ib2.ports.end(), PeekPointer(hop[0]));
        mostSharers = std::max(mostSharers, sharers);
        bandwidth = std::min(bandwidth, port / sharers);
        delays += DynamicCast<FabricChannel>(hop[0]->GetChannel())->GetDelay().GetSeconds();
        switches += hop[0]->GetSwitch() ? hop[0]->GetSwitch()->GetLatency().GetSeconds() : 0.0;
    }
    const double tNv = 3.4e-6 + nv.delays + nv.switches + nv.mtu / nv.firstPortRate -
                       nv.mtu / nv.bandwidth + c / nv.bandwidth;
    // Over the fabric: the network step latency, the path, the chunk at the shared rate; the
    // first packet's place in the pipeline moves this by less than one packet's time.
    const double tIb = 14e-6 + delays + switches + c / bandwidth;
    const double packet = 4096 / port;
    for (size_t i = 0; i < r.transfers.size(); ++i)
    {
        const auto& t = r.transfers[i];
        const uint32_t src = i % n;
        const bool crosses = src == 7 || src == 15;
        EXPECT_EQ(t.link, crosses ? NcclLinkType::NET : NcclLinkType::NVLINK) << i;
        if (crosses)
        {
            // Never faster than the chunk alone on the fabric; slower while the other
            // inter-server transfer shares its links.
            EXPECT_GE((t.end - t.start).GetSeconds(), c / port) << i;
            EXPECT_LE(t.rate, port * (1 + 1e-12)) << i;
        }
    }
    // The fabric's shared hop carries both inter-server transfers of every step, one after
    // another on each connection: 2 x 30 chunks at the port's rate, after the NVLink chain that
    // brings the first chunk to rank 7, give or take the path latencies of the chunks.
    const double busy = 2.0 * 30 * c / (port * mostSharers / 2);
    EXPECT_GE(r.completion.GetSeconds(), busy);
    EXPECT_LE(r.completion.GetSeconds(), busy + 8 * tNv + 30 * (tIb - c / bandwidth) + packet);
    (void)tNv;
    // The hottest ports are the fabric's: a chunk a step from each inter-server transfer.
    ASSERT_FALSE(r.hottest.empty());
    EXPECT_EQ(r.hottest[0].bytes, mostSharers * 30 * (bytes / n));
    EXPECT_EQ(std::count(ib2.ports.begin(), ib2.ports.end(), PeekPointer(r.hottest[0].port)), 1);
    uint64_t sent = 0;
    for (const auto& t : r.transfers)
    {
        sent += (bytes / n) * t.hops;
    }
    EXPECT_EQ(r.GetTotalLinkBytes(), sent);
}

TEST_F(AnalyticalBackendTest, TunerPicksAsNcclsModelSays)
{
    Ptr<CollectiveTuner> tuner = CreateObject<CollectiveTuner>();
    // One DGX H100: 8 ranks, 16 channels of 20 GB/s (320 GB/s). All-reduce, nsteps = 14.
    const DataRate intra("320GB/s");
    auto find = [](const TunerChoice& c, const std::string& algo, CollectiveProtocol p) {
        for (const auto& cand : c.candidates)
        {
            if (cand.algorithm == algo && cand.protocol == p)
            {
                return cand;
            }
        }
        ADD_FAILURE() << "no candidate " << algo;
        return TunerCandidate();
    };

    // 1 KiB: Ring LL: busBw = min(llMaxBw 141, 0.5 x 320) = 141, algBw = 141 x 8/14,
    // lat = 6.6 + 14 x 0.6 = 15.0 us. Tree LL: busBw = min(0.92 x 320, 16 x 38.7) / 3.8 =
    // 77.47, algBw = 38.74 x 0.9 (correction, log2(1024/64) = 4), lat = 6.8 + 2 x 7 x 0.6 =
    // 15.2 us. Ring LL wins; Simple pays 8.4 + 14 x 3.4 = 56 us.
    {
        const auto c = tuner->Choose(CollectiveOp::ALL_REDUCE, 1024, 1, 8, intra, intra);
        EXPECT_EQ(c.algorithm, "ring");
        EXPECT_EQ(c.protocol, CollectiveProtocol::LL);
        const auto ringLl = find(c, "ring", CollectiveProtocol::LL);
        EXPECT_NEAR(ringLl.latencyUs, 15.0, 1e-9);
        EXPECT_NEAR(ringLl.algBwGBps, 141.0 * 8 / 14, 1e-9);
        EXPECT_NEAR(Us(c.time), 15.0 + 1024 / (1000 * 141.0 * 8 / 14), 1e-5);
        const auto treeLl = find(c, "tree", CollectiveProtocol::LL);
        EXPECT_NEAR(treeLl.latencyUs, 15.2, 1e-9);
        EXPECT_NEAR(treeLl.algBwGBps, 0.92 * 320 / 3.8 * 0.5 * 0.9, 1e-9);
        EXPECT_NEAR(find(c, "ring", CollectiveProtocol::SIMPLE).latencyUs, 56.0, 1e-9);
        EXPECT_EQ(c.candidates.size(), 6u); // tree and ring x 3 protocols; no nvls unasked
    }
    // 1 GiB: Ring Simple: algBw = 320 x 8/14, 56 + 2^30 / 182857 = 5928 us; Ring LL128:
    // 0.92 x 320 x 8/14, 40.6 + 6383 us; Tree Simple: 0.92 x 320 / 2, 64.4 + 7294 us.
    {
        const auto c = tuner->Choose(CollectiveOp::ALL_REDUCE, 1 << 30, 1, 8, intra, intra);
        EXPECT_EQ(c.algorithm, "ring");
        EXPECT_EQ(c.protocol, CollectiveProtocol::SIMPLE);
        EXPECT_NEAR(Us(c.time), 56.0 + double(1 << 30) / (1000 * 320.0 * 8 / 14), 1e-3);
        EXPECT_NEAR(Us(find(c, "tree", CollectiveProtocol::SIMPLE).time),
                    64.4 + double(1 << 30) / (1000 * 0.92 * 320 / 2),
                    1e-3);
    }
    // 16 DGX H100 (128 ranks), 16 channels of 25 GB/s across nodes (400 GB/s), 16 MiB.
    // Ring Simple: lat = (8.4 + 224 x max(3.4, 3 x 1.0) + 30 x 14) x 1.4 (plateau) = 1666 us.
    // Tree LL128: busBw = min(0.92 x 400 x 120/128, 16 x 29.0) = 345, algBw = 172.5 x 0.9
    // (correction, log2(2^24 / 64) = 18); lat = 14 + 2 (7 x 1.25 + 4 x 8.5) = 99.5 us:
    // 99.5 + 2^24 / 155250 = 207.6 us. Tree Simple: 368 / 2 x 0.7, 176.4 + 130.3 = 306.7 us.
    const DataRate inter("400GB/s");
    {
        const auto c = tuner->Choose(CollectiveOp::ALL_REDUCE, 16 << 20, 16, 8, inter, inter);
        EXPECT_EQ(c.algorithm, "tree");
        EXPECT_EQ(c.protocol, CollectiveProtocol::LL128);
        EXPECT_NEAR(Us(c.time), 99.5 + double(16 << 20) / (1000 * 345.0 / 2 * 0.9), 1e-3);
        const auto ring = find(c, "ring", CollectiveProtocol::SIMPLE);
        EXPECT_NEAR(ring.latencyUs, (8.4 + 224 * 3.4 + 30 * 14.0) * 1.4, 1e-9);
        EXPECT_NEAR(find(c, "tree", CollectiveProtocol::SIMPLE).latencyUs, 176.4, 1e-9);
    }
    // 4 GiB on the same cluster: Ring Simple 1666 + 2^32 / (400 x 128/254 x 1000) = 22973 us
    // beats Tree Simple 176.4 + 2^32 / 184000 = 23518 us.
    {
        const uint64_t bytes = uint64_t(4) << 30;
        const auto c = tuner->Choose(CollectiveOp::ALL_REDUCE, bytes, 16, 8, inter, inter);
        EXPECT_EQ(c.algorithm, "ring");
        EXPECT_EQ(c.protocol, CollectiveProtocol::SIMPLE);
        EXPECT_NEAR(Us(c.time),
                    (8.4 + 224 * 3.4 + 30 * 14.0) * 1.4 +
                        double(bytes) / (1000 * 400.0 * 128 / 254),
                    1e-2);
    }
    // Other operations: ring only; all-to-all is not tuned.
    {
        const auto c = tuner->Choose(CollectiveOp::ALL_GATHER, 1 << 30, 1, 8, intra, intra);
        EXPECT_EQ(c.candidates.size(), 3u);
        EXPECT_EQ(c.algorithm, "ring");
        EXPECT_EQ(c.protocol, CollectiveProtocol::SIMPLE);
        // nsteps = 7: lat = 8.4 + 7 x 3.4, algBw = 320 x 8/7.
        EXPECT_NEAR(Us(c.time), 8.4 + 7 * 3.4 + double(1 << 30) / (1000 * 320.0 * 8 / 7), 1e-3);
        EXPECT_THROW(tuner->Choose(CollectiveOp::ALL_TO_ALL, 1024, 1, 8, intra, intra),
                     FabricConfigError);
    }
    // NVLS when asked: Simple only; one node: bw = min(20 x 0.85 x 15/16 x 2, 20) = 20 per
    // channel, algBw = 320 x 8/14, lat = 25 us: it beats Ring Simple (56 us) at equal bandwidth.
    {
        tuner->SetAttribute("EnableNvls", BooleanValue(true));
        const auto c = tuner->Choose(CollectiveOp::ALL_REDUCE, 1 << 30, 1, 8, intra, intra);
        EXPECT_EQ(c.candidates.size(), 7u);
        EXPECT_EQ(c.algorithm, "nvls");
        EXPECT_EQ(c.protocol, CollectiveProtocol::SIMPLE);
        EXPECT_NEAR(Us(c.time), 25.0 + double(1 << 30) / (1000 * 320.0 * 8 / 14), 1e-3);
    }
}
