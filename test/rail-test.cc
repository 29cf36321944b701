/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Collectives on rail-optimised clusters as NCCL runs them: every channel enters and leaves
// each server on its own rail, so every HCA carries an equal share and a flat ring is bound by
// NVLink, not by one HCA.

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
class RailTest : public FabricTest
{
};

/// Servers of 8 GPUs (a board preset) with `hcas` NDR HCAs of `hcaWidth` lanes on a fat-tree.
Ptr<FabricTopology>
Servers(uint32_t servers,
        const std::string& board = "H100",
        uint32_t hcas = 8,
        uint32_t hcaWidth = 4)
{
    TopologyHelper helper;
    NodeKindSpec kind;
    kind.name = "dgx-" + board;
    kind.gpuModel = board;
    kind.board = board;
    kind.gpus = 8;
    kind.hcas = hcas;
    kind.hcaWidth = hcaWidth;
    helper.AddNodeKind(kind);
    helper.AddNodes(kind.name, servers);
    if (hcas > 0)
    {
        FatTreeSpec ft;
        ft.present = true;
        ft.railOptimized = hcas == kind.gpus;
        helper.SetFatTree(ft);
    }
    return helper.Build();
}

/// DGX H100 servers (8 GPUs, 8 NDR HCAs of hcaWidth lanes) on a rail-optimised fat-tree.
Ptr<FabricTopology>
Dgx(uint32_t servers, uint32_t hcaWidth = 4)
{
    return Servers(servers, "H100", 8, hcaWidth);
}

/// One operation with NCCL's default channels, to completion.
CollectiveReport
RunOp(Ptr<FabricTopology> topo, const std::string& algorithm, CollectiveOp op, uint64_t bytes)
{
    std::vector<uint32_t> ranks;
    for (uint32_t r = 0; r < topo->GetNRanks(); ++r)
    {
        ranks.push_back(r);
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue(algorithm));
    comm->SetAttribute("Protocol", StringValue("Simple"));
    comm->Setup(topo, ranks);
    CollectiveReport report;
    comm->Start(op, bytes, MakeCallback(+[](CollectiveReport* out, const CollectiveReport& r) {
                               *out = r;
                           }).Bind(&report));
    Simulator::Run();
    return report;
}

/**
 * \param topo a fabric after a run
 * \return over the servers, the smallest ratio of the least to the most bytes sent by one of
 * the server's HCA ports (1: its rails carried equal shares)
 */
double
HcaBalance(Ptr<FabricTopology> topo)
{
    std::map<uint32_t, std::pair<uint64_t, uint64_t>> perServer;
    for (uint32_t r = 0; r < topo->GetNRanks(); ++r)
    {
        const uint64_t bytes = topo->GetHcaPort(r)->GetTxBytes();
        auto [it, fresh] = perServer.emplace(topo->GetServer(r), std::make_pair(bytes, bytes));
        it->second.first = std::min(it->second.first, bytes);
        it->second.second = std::max(it->second.second, bytes);
    }
    double balance = 1.0;
    for (const auto& [server, range] : perServer)
    {
        balance = std::min(balance, range.second ? double(range.first) / range.second : 0.0);
    }
    return balance;
}

} // namespace

TEST_F(RailTest, EveryHcaCarriesAnEqualShare)
{
    for (uint32_t servers : {2u, 4u})
    {
        for (const std::string algorithm : {"ring", "tree", "hierarchical"})
        {
            Ptr<FabricTopology> topo = Dgx(servers);
            const CollectiveReport r =
                RunOp(topo, algorithm, CollectiveOp::ALL_REDUCE, uint64_t{64} << 20);
            const double balance = HcaBalance(topo);
            RecordProperty(algorithm + "_" + std::to_string(servers) + "_hca_min_over_max",
                           std::to_string(balance));
            EXPECT_GE(balance, 0.95) << algorithm << " on " << servers << " servers";
            EXPECT_EQ(r.channels, 16u);
            Simulator::Destroy();
        }
    }
}

TEST_F(RailTest, FlatRingAcrossServersIsBoundByNvlinkNotByOneHca)
{
    // A flat ring's busbw is the lesser of a GPU's effective NVLink rate and the server's 8
    // HCAs together (8 x 50 GB/s): NVLink's, about 370 GB/s (nccl-tests on DGX H100).
    Ptr<FabricTopology> topo = Dgx(2);
    const CollectiveReport r = RunOp(topo, "ring", CollectiveOp::ALL_REDUCE, uint64_t{256} << 20);
    const double nvlink = 18 * 25e9 * NvlinkWireEfficiency(NvlinkGeneration::NVLINK4);
    const double hcas = 8 * 50e9 * 4096.0 / (4096 + 26 + 30);
    const double bound = std::min(nvlink, hcas);
    RecordProperty("packet_busbw_GBps", std::to_string(r.PacketBusBandwidth() / 1e9));
    RecordProperty("model_busbw_GBps", std::to_string(r.AnalyticalBusBandwidth() / 1e9));
    EXPECT_NEAR(r.PacketBusBandwidth() / bound, 1.0, 0.05);
    EXPECT_LT(r.PacketBusBandwidth(), bound);
    EXPECT_NEAR(r.PacketBusBandwidth() / r.AnalyticalBusBandwidth(), 1.0, 0.03);
    EXPECT_NE(r.links.GetBoundBy().find("NVLink"), std::string::npos) << r.links.GetBoundBy();
}

TEST_F(RailTest, SlowRailsAreBoundByInfiniband)
{
    // 8 NDR 1x HCAs (100 Gb/s each): the server's 100 GB/s of IB, far below NVLink, binds.
    Ptr<FabricTopology> topo = Dgx(2, 1);
    const CollectiveReport r = RunOp(topo, "ring", CollectiveOp::ALL_REDUCE, uint64_t{64} << 20);
    const std::string boundBy = r.links.GetBoundBy();
    RecordProperty("packet_busbw_GBps", std::to_string(r.PacketBusBandwidth() / 1e9));
    EXPECT_EQ(boundBy.find("IB"), boundBy.find_first_of("IN")) << boundBy;
    EXPECT_NE(boundBy.find("IB"), std::string::npos) << boundBy;
    EXPECT_LT(r.PacketBusBandwidth(), 100e9);
    EXPECT_GT(r.PacketBusBandwidth(), 80e9);
}

TEST_F(RailTest, ServersWithFewerHcasThanGpusAreAClearError)
{
    Ptr<FabricTopology> topo = Servers(2, "H100", 1);
    std::vector<uint32_t> ranks;
    for (uint32_t r = 0; r < topo->GetNRanks(); ++r)
    {
        ranks.push_back(r);
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    try
    {
        comm->Setup(topo, ranks);
        ADD_FAILURE() << "no error";
    }
    catch (const FabricConfigError& e)
    {
        EXPECT_NE(std::string(e.what()).find("topology rank 1 has no HCA"), std::string::npos)
            << e.what();
    }
    // Inside one server the same GPUs are fine.
    Ptr<Communicator> local = CreateObject<Communicator>();
    EXPECT_NO_THROW(local->Setup(topo, {0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST_F(RailTest, SingleBoardRingMatchesNcclAndA100StaysBelowLineRate)
{
    {
        Ptr<FabricTopology> topo = Dgx(1);
        const CollectiveReport r =
            RunOp(topo, "ring", CollectiveOp::ALL_REDUCE, uint64_t{256} << 20);
        RecordProperty("h100_busbw_GBps", std::to_string(r.PacketBusBandwidth() / 1e9));
        // nccl-tests on one DGX H100: about 370 GB/s at large sizes (facts sheet).
        EXPECT_NEAR(r.PacketBusBandwidth() / 370e9, 1.0, 0.03);
        EXPECT_NE(r.links.GetBoundBy().find("NVLink"), std::string::npos);
        Simulator::Destroy();
    }
    {
        Ptr<FabricTopology> topo = Servers(1, "A100", 0);
        const CollectiveReport r =
            RunOp(topo, "ring", CollectiveOp::ALL_REDUCE, uint64_t{256} << 20);
        RecordProperty("a100_busbw_GBps", std::to_string(r.PacketBusBandwidth() / 1e9));
        // NVLink 3: 12 x 25 GB/s = 300 GB/s of line rate; the wire overhead keeps it below.
        EXPECT_LT(r.PacketBusBandwidth(), 300e9);
        EXPECT_GT(r.PacketBusBandwidth(), 0.7 * 300e9);
    }
}
