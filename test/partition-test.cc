/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * Partitioning a fabric over simulator processes (ns-3 system ids) and the remote path of a
 * cut cable. TopologyHelper::SetSystemCount must cut InfiniBand cables only and keep servers
 * whole. FabricPartitionHelper::InstallLoopback sends every cut cable's packets and FCPs
 * through FabricLoopbackLink, which serialises each message as ns-3's MPI engine does and
 * delivers it at its receive time: a run that way must give bit-identical per-port counters and
 * completion times to the local path. That is the distributed run's correctness, checked
 * without MPI.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>

namespace ns3
{
namespace
{

class PartitionTest : public FabricTest
{
};

/// DGX H100 servers (8 GPUs, 8 NDR HCAs each) on a rail-optimised 2-level fat-tree.
TopologyDescription
DgxFatTree(uint32_t servers)
{
    TopologyHelper helper;
    helper.SetDgxH100RailFatTree(servers, 16);
    return helper.GetDescription();
}

/// What one run gave.
struct RunOutcome
{
    int64_t packetTime{0};  //!< the collective's packet-level time, time steps
    std::string counters;   //!< PortCountersDigest()
    uint32_t cutPorts{0};   //!< ports given a loopback link
    uint64_t messages{0};   //!< messages they sent
    uint64_t serialised{0}; //!< bytes they serialised
    uint64_t cutTraffic{0}; //!< packets and FCPs the cut ports sent
};

/**
 * \brief Run one collective on a fabric spread over `systems` systems, through loopback
 * links on the cut cables if asked.
 */
RunOutcome
RunCollective(const TopologyDescription& description,
              uint32_t systems,
              bool loopback,
              CollectiveOp op,
              const std::string& algorithm,
              uint64_t bytes)
{
    TopologyHelper helper;
    helper.SetSystemCount(systems);
    Ptr<FabricTopology> topology = helper.Build(description);
    RunOutcome out;
    if (loopback)
    {
        out.cutPorts = FabricPartitionHelper::InstallLoopback(NodeContainer::GetGlobal());
    }
    std::vector<uint32_t> ranks;
    for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
    {
        ranks.push_back(r);
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue(algorithm));
    comm->SetAttribute("Protocol", StringValue("Simple"));
    comm->Setup(topology, ranks);
    CollectiveReport report;
    comm->Start(op, bytes, MakeCallback(+[](CollectiveReport* r, const CollectiveReport& got) {
                               *r = got;
                           }).Bind(&report));
    Simulator::Run();
    out.packetTime = report.packetTime.GetTimeStep();
    out.counters = PortCountersDigest();
    for (const auto& port : FabricPartitionHelper::GetCutPorts(NodeContainer::GetGlobal()))
    {
        out.cutTraffic += port->GetTxPackets() + port->GetFlowControlPackets();
        if (Ptr<FabricLoopbackLink> link = DynamicCast<FabricLoopbackLink>(port->GetRemoteLink()))
        {
            out.messages += link->GetMessages();
            out.serialised += link->GetSerializedBytes();
        }
    }
    Simulator::Destroy();
    return out;
}

/// The local path and the loopback path of the same partition must agree to the bit.
void
ExpectLoopbackIdentical(const TopologyDescription& description,
                        uint32_t systems,
                        CollectiveOp op,
                        const std::string& algorithm,
                        uint64_t bytes)
{
    const RunOutcome local = RunCollective(description, systems, false, op, algorithm, bytes);
    const RunOutcome remote = RunCollective(description, systems, true, op, algorithm, bytes);
    ASSERT_GT(local.packetTime, 0) << "the collective did not finish";
    EXPECT_GT(remote.cutPorts, 0u) << "nothing was cut";
    EXPECT_GT(remote.messages, 0u) << "no message crossed a cut";
    EXPECT_EQ(remote.messages, remote.cutTraffic)
        << "every packet and FCP of a cut port is one message";
    EXPECT_EQ(local.packetTime, remote.packetTime) << "the remote path moved the completion";
    EXPECT_EQ(local.counters, remote.counters) << "the remote path changed a port's counters";
}

TEST_F(PartitionTest, SystemCountCutsOnlyInfinibandCablesAndKeepsServersWhole)
{
    TopologyHelper helper;
    helper.SetSystemCount(2);
    Ptr<FabricTopology> topology = helper.Build(DgxFatTree(4));
    std::set<uint32_t> systems;
    for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
    {
        // Servers 0-1 on system 0, 2-3 on system 1, each with its 8 GPUs.
        EXPECT_EQ(topology->GetGpuNode(r)->GetSystemId(), r / 16) << "rank " << r;
        systems.insert(topology->GetGpuNode(r)->GetSystemId());
    }
    EXPECT_EQ(systems.size(), 2u);
    uint32_t cut = 0;
    for (const auto& link : topology->GetLinks())
    {
        const bool crosses = link.a->GetNode()->GetSystemId() != link.b->GetNode()->GetSystemId();
        if (link.category == "nvlink")
        {
            EXPECT_FALSE(crosses) << "an NVLink cable crosses a cut: "
                                  << topology->GetPortName(link.a);
        }
        cut += crosses ? 1 : 0;
    }
    EXPECT_GT(cut, 0u);
    // Both ends of every cut cable are reported.
    EXPECT_EQ(FabricPartitionHelper::GetCutPorts(NodeContainer::GetGlobal()).size(), 2 * cut);
    // Each switch layer is split too: a leaf and a spine on each system.
    std::set<uint32_t> switchSystems;
    NodeContainer switches = topology->GetSwitchNodes();
    for (uint32_t i = 0; i < switches.GetN(); ++i)
    {
        if (switches.Get(i)->GetObject<IbSwitch>())
        {
            switchSystems.insert(switches.Get(i)->GetSystemId());
        }
    }
    EXPECT_EQ(switchSystems.size(), 2u);
}

TEST_F(PartitionTest, OneSystemCutsNothingAndZeroSystemsAreRefused)
{
    TopologyHelper helper;
    Ptr<FabricTopology> topology = helper.Build(DgxFatTree(2));
    EXPECT_TRUE(FabricPartitionHelper::GetCutPorts(NodeContainer::GetGlobal()).empty());
    EXPECT_THROW(helper.SetSystemCount(0), FabricConfigError);
}

TEST_F(PartitionTest, LoopbackRingAllReduceOnDgxServersIsBitIdentical)
{
    // NVLink inside each server, rails across them: 2 of 4 servers on each system.
    ExpectLoopbackIdentical(DgxFatTree(4), 2, CollectiveOp::ALL_REDUCE, "ring", 8 << 20);
}

TEST_F(PartitionTest, LoopbackAllToAllOverThreeSystemsIsBitIdentical)
{
    ExpectLoopbackIdentical(TopologyReader::ReadString(HostsOnFatTreeYaml(8, 4), "hosts"),
                            3,
                            CollectiveOp::ALL_TO_ALL,
                            "direct",
                            1 << 20);
}

TEST_F(PartitionTest, LoopbackIsBitIdenticalWhereCreditsBind)
{
    // Long cables and small input buffers: the credit loop (FCPs across the cut) sets the pace.
    Config::SetDefault("ns3::FabricNetDevice::RxBufferSize", UintegerValue(16384));
    const std::string yaml = "name: long cables\n"
                             "node-kinds:\n"
                             "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
                             "nodes:\n"
                             "  - {kind: host, count: 8}\n"
                             "fat-tree: {levels: 2, radix: 8, speed: NDR, width: 4, "
                             "link-delay: 2us}\n";
    const TopologyDescription description = TopologyReader::ReadString(yaml, "long cables");
    const RunOutcome local =
        RunCollective(description, 2, false, CollectiveOp::ALL_REDUCE, "ring", 4 << 20);
    const RunOutcome remote =
        RunCollective(description, 2, true, CollectiveOp::ALL_REDUCE, "ring", 4 << 20);
    Config::Reset();
    EXPECT_EQ(remote.messages, remote.cutTraffic);
    EXPECT_EQ(local.packetTime, remote.packetTime);
    EXPECT_EQ(local.counters, remote.counters);
    // The credits did bind: the same all-reduce with room for the loop is faster.
    const RunOutcome roomy =
        RunCollective(description, 1, false, CollectiveOp::ALL_REDUCE, "ring", 4 << 20);
    EXPECT_LT(roomy.packetTime, local.packetTime);
}

TEST_F(PartitionTest, RemoteLinkRefusesAMessageInsideTheLookahead)
{
    TopologyHelper helper;
    helper.SetSystemCount(2);
    Ptr<FabricTopology> topology =
        helper.Build(TopologyReader::ReadString(HostsOnFatTreeYaml(4, 4), "hosts"));
    const auto cut = FabricPartitionHelper::GetCutPorts(NodeContainer::GetGlobal());
    ASSERT_FALSE(cut.empty());
    Ptr<FabricLoopbackLink> link = CreateObject<FabricLoopbackLink>();
    cut.front()->SetRemoteLink(link);
    FabricRemoteHeader facts;
    facts.kind = FabricRemoteHeader::FLOW_CONTROL;
    Ptr<Packet> message = Create<Packet>();
    message->AddHeader(facts);
    EXPECT_THROW(link->Send(message, Simulator::Now()), FabricConfigError);
}

TEST_F(PartitionTest, InstallMpiNeedsTheMpiModule)
{
    if (FabricPartitionHelper::HaveMpi())
    {
        GTEST_SKIP() << "built with MPI: the distributed job (.ci/in-tree-mpi.sh) runs it";
    }
    EXPECT_THROW(FabricPartitionHelper::InstallMpi(NodeContainer::GetGlobal()), FabricConfigError);
}

TEST(FabricRemoteHeaderTest, RoundTrips)
{
    FabricRemoteHeader facts;
    facts.kind = FabricRemoteHeader::DATA;
    facts.vl = 3;
    facts.sl = 5;
    facts.dst = 0xBEEF;
    facts.bytes = 4126;
    facts.time = PicoSeconds(82520);
    facts.limit = 0x123456789ULL;
    Ptr<Packet> p = Create<Packet>(100);
    p->AddHeader(facts);
    EXPECT_EQ(p->GetSize(), 100u + facts.GetSerializedSize());
    FabricRemoteHeader back;
    p->RemoveHeader(back);
    EXPECT_EQ(back.kind, facts.kind);
    EXPECT_EQ(back.vl, 3);
    EXPECT_EQ(back.sl, 5);
    EXPECT_EQ(back.dst, 0xBEEF);
    EXPECT_EQ(back.bytes, 4126u);
    EXPECT_EQ(back.time, facts.time);
    EXPECT_EQ(back.limit, facts.limit);
    EXPECT_EQ(p->GetSize(), 100u);
}

} // namespace
} // namespace ns3
