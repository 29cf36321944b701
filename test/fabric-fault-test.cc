/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Faults and deadlocks: the deadlock watchdog on a real credit cycle (a ring of switches routed
 * one way round, without datelines), and one test per fault type (link down and up, bit
 * errors, switch failure, a fabric cut in two), each asserting recovery and conservation: the
 * application gets every byte once and in order per queue pair.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <vector>

using namespace ns3;

namespace
{

/// Fixture: the module's common one.
class FabricFaultTest : public FabricTest
{
};

/// A ring of switches, one host on each, cabled by hand.
struct Ring
{
    IbHelper ib;
    NodeContainer hosts;
    NodeContainer switches;
    std::vector<Ptr<IbNetDevice>> hca;  //!< HCA of each host
    std::vector<Ptr<IbNetDevice>> down; //!< switch port facing its host
    std::vector<Ptr<IbNetDevice>> cw;   //!< switch port towards the next switch
    std::vector<Ptr<IbNetDevice>> ccw;  //!< switch port towards the previous switch

    explicit Ring(uint32_t n)
    {
        hosts.Create(n);
        switches.Create(n);
        ib.InstallSwitch(switches);
        hca.resize(n);
        down.resize(n);
        cw.resize(n);
        ccw.resize(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            NetDeviceContainer link = ib.Install(hosts.Get(i), switches.Get(i));
            hca[i] = DynamicCast<IbNetDevice>(link.Get(0));
            down[i] = DynamicCast<IbNetDevice>(link.Get(1));
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            NetDeviceContainer link = ib.Install(switches.Get(i), switches.Get((i + 1) % n));
            cw[i] = DynamicCast<IbNetDevice>(link.Get(0));
            ccw[(i + 1) % n] = DynamicCast<IbNetDevice>(link.Get(1));
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(hosts, switches));
    }

    /// Route every packet clockwise, the way a torus without datelines would.
    void RouteClockwise()
    {
        const uint32_t n = hosts.GetN();
        for (uint32_t s = 0; s < n; ++s)
        {
            Ptr<IbSwitch> sw = switches.Get(s)->GetObject<IbSwitch>();
            sw->ClearRoutes();
            for (uint32_t h = 0; h < n; ++h)
            {
                sw->SetRoute(hca[h]->GetLid(),
                             h == s ? down[s]->GetSwitchPort() : cw[s]->GetSwitchPort());
            }
        }
    }

    Ptr<FabricTrafficGenerator> Send(uint32_t from, uint32_t to, uint64_t bytes)
    {
        Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
        gen->SetAttribute("DestinationLid", UintegerValue(hca[to]->GetLid()));
        gen->SetAttribute("MessageSize", UintegerValue(bytes));
        hosts.Get(from)->AddApplication(gen);
        return gen;
    }
};

} // namespace

TEST_F(FabricFaultTest, WatchdogReportsTheCreditCycleOfARingWithoutDatelines)
{
    // Four switches in a ring, every route clockwise, every host sending to the host two
    // switches on: each ring link carries two flows, and its input buffer fills with packets
    // that need the next ring link. With small buffers the four ring links deadlock, the
    // classic credit loop. The watchdog must stop the run and name exactly the four
    // clockwise ring ports on VL0, each waiting on the next.
    Config::SetDefault("ns3::FabricNetDevice::RxBufferSize", UintegerValue(2 * 4160));
    Ring ring(4);
    Config::Reset();
    ring.RouteClockwise();
    for (uint32_t i = 0; i < 4; ++i)
    {
        ring.Send(i, (i + 2) % 4, 4 << 20);
        ring.Send(i, (i + 3) % 4, 4 << 20);
    }
    Ptr<FabricDeadlockWatchdog> watchdog = CreateObject<FabricDeadlockWatchdog>();
    watchdog->SetAttribute("Timeout", TimeValue(MicroSeconds(100)));
    std::string traced;
    watchdog->TraceConnectWithoutContext(
        "Deadlock",
        MakeBoundCallback(
            +[](std::string* out, const std::string& report) { *out = report; },
            &traced));
    watchdog->Start();
    EXPECT_THROW(Simulator::Run(), FabricDeadlockError);
    ASSERT_TRUE(watchdog->HasFired());
    EXPECT_EQ(traced, watchdog->GetReport());
    std::cout << watchdog->GetReport() << "\n";
    const auto& cycle = watchdog->GetCycle();
    ASSERT_EQ(cycle.size(), 4u);
    // The members are the clockwise ports, in ring order from wherever the search began.
    uint32_t first = 4;
    for (uint32_t i = 0; i < 4; ++i)
    {
        if (cycle[0].port == ring.cw[i])
        {
            first = i;
        }
    }
    ASSERT_LT(first, 4u) << "the cycle does not start at a clockwise ring port";
    for (uint32_t k = 0; k < 4; ++k)
    {
        EXPECT_EQ(cycle[k].port, ring.cw[(first + k) % 4]) << "member " << k;
        EXPECT_EQ(cycle[k].vl, 0);
        EXPECT_TRUE(cycle[k].waited.IsStrictlyPositive());
    }
    EXPECT_NE(watchdog->GetReport().find("a cycle of 4 port VLs"), std::string::npos);
    // Nothing but the watchdog was left to run: it fired at its first check, not after the
    // Timeout, since no event could ever move a packet again.
    EXPECT_NE(watchdog->GetReport().find("no event is left"), std::string::npos);
    EXPECT_EQ(Simulator::Now(), MicroSeconds(100) / 8);
}

TEST_F(FabricFaultTest, WatchdogFiresAfterItsTimeoutWhileTransportTimersKeepTheRunAlive)
{
    // The same credit loop under RC queue pairs: their retransmit timers keep expiring (the
    // resent packets only queue behind the stuck ones), so events never run out. The
    // watchdog fires once a port VL has waited Timeout for credits, and names the same cycle.
    Config::SetDefault("ns3::FabricNetDevice::RxBufferSize", UintegerValue(2 * 4160));
    Ring ring(4);
    Config::Reset();
    ring.RouteClockwise();
    RdmaHelper rdma;
    rdma.SetQueuePairAttribute("AckTimeout", UintegerValue(4)); // 65.5 us
    std::vector<Ptr<RdmaQueuePair>> qps;
    for (uint32_t i = 0; i < 4; ++i)
    {
        auto [a, b] = rdma.Connect(ring.hosts.Get(i), ring.hosts.Get((i + 2) % 4));
        a->PostWrite(4 << 20);
        qps.push_back(a);
    }
    Ptr<FabricDeadlockWatchdog> watchdog = CreateObject<FabricDeadlockWatchdog>();
    watchdog->SetAttribute("Timeout", TimeValue(MicroSeconds(500)));
    watchdog->SetAttribute("CheckInterval", TimeValue(MicroSeconds(50)));
    watchdog->Start();
    EXPECT_THROW(Simulator::Run(), FabricDeadlockError);
    ASSERT_TRUE(watchdog->HasFired());
    std::cout << watchdog->GetReport() << "\n";
    EXPECT_NE(watchdog->GetReport().find("has waited"), std::string::npos);
    EXPECT_GE(Simulator::Now(), MicroSeconds(500));
    EXPECT_LT(Simulator::Now(), MicroSeconds(600));
    uint64_t timeouts = 0;
    for (const auto& qp : qps)
    {
        timeouts += qp->GetTimeouts();
    }
    EXPECT_GT(timeouts, 0u); // the timers did run
    const auto& cycle = watchdog->GetCycle();
    ASSERT_EQ(cycle.size(), 4u);
    for (uint32_t k = 0; k < 4; ++k)
    {
        EXPECT_NE(std::find(ring.cw.begin(), ring.cw.end(), cycle[k].port), ring.cw.end())
            << "member " << k << " is not a clockwise ring port";
        EXPECT_GE(cycle[k].waited, MicroSeconds(400));
    }
}

TEST_F(FabricFaultTest, WatchdogStaysQuietWhenTheRingIsRoutedShortestWay)
{
    // Minhop routes and one-hop flows only: no packet crosses two ring links, so no link's
    // buffer waits on another's. The run finishes and the watchdog ends with it.
    Ring ring(4);
    for (uint32_t i = 0; i < 4; ++i)
    {
        ring.Send(i, (i + 1) % 4, 1 << 20);
    }
    Ptr<FabricDeadlockWatchdog> watchdog = CreateObject<FabricDeadlockWatchdog>();
    watchdog->SetAttribute("Timeout", TimeValue(MicroSeconds(100)));
    watchdog->Start();
    Simulator::Run();
    EXPECT_FALSE(watchdog->HasFired());
    EXPECT_GT(Simulator::Now(), MicroSeconds(20)); // the traffic ran
}

TEST_F(FabricFaultTest, CollectiveStallReportNamesTheRanksAndWhatTheyWaitOn)
{
    // Rank 0 sends two slices to rank 1 over one slot; rank 1 forwards the first back, so the
    // slot frees only when that forward is posted. It never is: the second slice waits for good.
    CollectiveSchedule schedule;
    schedule.nranks = 2;
    CollectiveTransfer first;
    first.src = 0;
    first.dst = 1;
    first.chunk = 0;
    first.slice = 0;
    CollectiveTransfer forward;
    forward.src = 1;
    forward.dst = 0;
    forward.chunk = 0;
    forward.deps = {0};
    CollectiveTransfer second = first;
    second.chunk = 1;
    second.slice = 1;
    schedule.transfers = {first, forward, second};
    ConnectionSlots slots(schedule, 1);
    EXPECT_EQ(slots.Ready(0), std::vector<uint32_t>{0});
    EXPECT_TRUE(slots.Ready(2).empty());
    EXPECT_TRUE(slots.Arrived(0).empty());
    ASSERT_EQ(slots.GetHeld(), 1u);
    try
    {
        slots.ThrowStalled("test");
        FAIL() << "ThrowStalled returned";
    }
    catch (const FabricConfigError& e)
    {
        const std::string what = e.what();
        std::cout << what << "\n";
        EXPECT_NE(what.find("rank 0 waits to send to rank 1 (channel 0, lane 0): transfer 2 "
                            "(chunk 1, slice 1) waits for a slot, held by slice 0 until rank 1 "
                            "forwards them"),
                  std::string::npos)
            << what;
    }
}

namespace
{

/// Two leaves, two spines, hosts on the leaves; routes from IbSubnetManager, which sweeps
/// again after every cable change; one RC queue pair from host 0 to the last host.
struct LeafSpine
{
    IbHelper ib;
    NodeContainer hosts;
    NodeContainer leaves;
    NodeContainer spines;
    std::vector<Ptr<IbNetDevice>> hca;
    IbSubnetManager sm;
    FabricFaultHelper faults;
    Ptr<RdmaQueuePair> qa;
    Ptr<RdmaQueuePair> qb;
    std::vector<RdmaCompletion> received;
    std::vector<uint64_t> posted;
    Time lastSent;

    explicit LeafSpine(uint32_t hostsPerLeaf = 1)
    {
        hosts.Create(2 * hostsPerLeaf);
        leaves.Create(2);
        spines.Create(2);
        ib.InstallSwitch(leaves);
        ib.InstallSwitch(spines);
        for (uint32_t h = 0; h < hosts.GetN(); ++h)
        {
            NetDeviceContainer link = ib.Install(hosts.Get(h), leaves.Get(h / hostsPerLeaf));
            hca.push_back(DynamicCast<IbNetDevice>(link.Get(0)));
        }
        for (uint32_t l = 0; l < 2; ++l)
        {
            for (uint32_t s = 0; s < 2; ++s)
            {
                ib.Install(leaves.Get(l), spines.Get(s));
            }
        }
        NodeContainer all(hosts, leaves, spines);
        sm.Run(all);
        sm.EnableResweep(MicroSeconds(10));
        RdmaHelper rdma;
        // A short timer (4.096 us x 2^4 = 65.5 us) so a lost tail is resent soon.
        rdma.SetQueuePairAttribute("AckTimeout", UintegerValue(4));
        std::tie(qa, qb) = rdma.Connect(hosts.Get(0), hosts.Get(hosts.GetN() - 1));
        qb->SetReceiveCompletionCallback(MakeCallback(&LeafSpine::OnReceived, this));
        qa->SetSendCompletionCallback(MakeCallback(&LeafSpine::OnSent, this));
    }

    void OnReceived(Ptr<RdmaQueuePair>, const RdmaCompletion& c)
    {
        received.push_back(c);
    }

    void OnSent(Ptr<RdmaQueuePair>, const RdmaCompletion& c)
    {
        lastSent = c.end;
    }

    /// Post messages of varied sizes (sum: about 8 MB).
    void Post()
    {
        for (uint32_t m = 0; m < 16; ++m)
        {
            const uint64_t bytes = (256 << 10) + m * 12345;
            posted.push_back(bytes);
            qa->PostWrite(bytes);
        }
    }

    /// The spine the queue pair's packets cross now.
    Ptr<Node> SpineInUse() const
    {
        const auto path = sm.GetPath(hca.front()->GetLid(), hca.back()->GetLid());
        return NodeList::GetNode(path.at(1));
    }

    /// Leaf 0's port towards a spine.
    Ptr<NetDevice> UplinkTo(Ptr<Node> spine) const
    {
        Ptr<IbSwitch> leaf = leaves.Get(0)->GetObject<IbSwitch>();
        for (uint16_t p = 0; p < leaf->GetNPorts(); ++p)
        {
            Ptr<FabricNetDevice> port = leaf->GetPort(p);
            Ptr<FabricChannel> cable = DynamicCast<FabricChannel>(port->GetChannel());
            if (cable->GetPeer(port)->GetNode() == spine)
            {
                return port;
            }
        }
        return nullptr;
    }

    /// Every message arrived once, in order, whole.
    void ExpectConservation() const
    {
        ASSERT_EQ(received.size(), posted.size());
        uint64_t total = 0;
        for (size_t m = 0; m < posted.size(); ++m)
        {
            EXPECT_EQ(received[m].sequence, m);
            EXPECT_EQ(received[m].bytes, posted[m]);
            total += posted[m];
        }
        EXPECT_EQ(qb->GetBytesReceived(), total);
        EXPECT_EQ(qb->GetMessagesReceived(), posted.size());
        EXPECT_EQ(qa->GetMessagesCompleted(), posted.size());
    }

    /// No packet left in any buffer, no credit missing on any port.
    static void ExpectEmptyFabric()
    {
        for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
        {
            Ptr<Node> node = NodeList::GetNode(n);
            for (uint32_t d = 0; d < node->GetNDevices(); ++d)
            {
                if (auto dev = DynamicCast<FabricNetDevice>(node->GetDevice(d)))
                {
                    EXPECT_EQ(dev->GetRxBufferBytes(0), 0u) << dev->Describe();
                    EXPECT_FALSE(dev->HasWaitingPacket(0)) << dev->Describe();
                }
            }
        }
    }
};

/// Completion time of the fault-free run of LeafSpine::Post().
Time
BaselineCompletion()
{
    Time end;
    {
        LeafSpine f;
        f.Post();
        Simulator::Run();
        end = f.received.back().end;
    }
    Simulator::Destroy();
    return end;
}

} // namespace

TEST_F(FabricFaultTest, LinkDownAndUpIsRoutedAroundAndRecovered)
{
    const Time baseline = BaselineCompletion();
    LeafSpine f;
    f.Post();
    Ptr<Node> spine = f.SpineInUse();
    Ptr<NetDevice> uplink = f.UplinkTo(spine);
    ASSERT_TRUE(uplink);
    const Time down = MicroSeconds(40);
    f.faults.LinkDown(uplink, down);
    f.faults.LinkUp(uplink, MicroSeconds(400));
    std::vector<std::pair<Time, bool>> changes;
    FabricFaultHelper::GetCable(uplink)->TraceConnectWithoutContext(
        "LinkState",
        MakeBoundCallback(
            +[](std::vector<std::pair<Time, bool>>* out, bool up) {
                out->emplace_back(Simulator::Now(), up);
            },
            &changes));
    Ptr<FabricDeadlockWatchdog> watchdog = CreateObject<FabricDeadlockWatchdog>();
    watchdog->SetAttribute("Timeout", TimeValue(MilliSeconds(1)));
    watchdog->Start();
    Simulator::Run();
    EXPECT_FALSE(watchdog->HasFired());
    f.ExpectConservation();
    LeafSpine::ExpectEmptyFabric();
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0], std::make_pair(down, false));
    EXPECT_EQ(changes[1], std::make_pair(MicroSeconds(400), true));
    EXPECT_EQ(f.sm.GetSweeps(), 2u); // one per change
    // Packets were lost with the cable and were recovered by the transport.
    uint64_t lost = 0;
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        for (uint32_t d = 0; d < NodeList::GetNode(n)->GetNDevices(); ++d)
        {
            if (auto dev = DynamicCast<FabricNetDevice>(NodeList::GetNode(n)->GetDevice(d)))
            {
                lost += dev->GetLinkDownDrops();
            }
        }
    }
    EXPECT_GT(lost, 0u);
    EXPECT_GT(f.qa->GetPacketsRetransmitted(), 0u);
    const Time end = f.received.back().end;
    EXPECT_GT(end, baseline);
    std::cout << "link down at " << down.As(Time::US)
              << ", up at 400 us, re-sweep after 10 us: " << lost << " packets lost, "
              << f.qa->GetPacketsRetransmitted() << " resent (" << f.qa->GetTimeouts()
              << " timeouts, " << f.qa->GetNaksReceived() << " NAKs); completion "
              << end.As(Time::US) << " vs " << baseline.As(Time::US) << " fault-free: time lost "
              << (end - baseline).As(Time::US) << "\n";
}

TEST_F(FabricFaultTest, BitErrorsFailTheCrcAndTheTransportResends)
{
    const Time baseline = BaselineCompletion();
    LeafSpine f;
    f.Post();
    // 1e-6 on every cable: a 4 KiB packet fails its CRC with probability about 3.3% per hop.
    f.faults.SetBitErrorRate(NodeContainer(f.hosts, f.leaves, f.spines), 1e-6);
    f.faults.AssignStreams(NodeContainer(f.hosts, f.leaves, f.spines), 7);
    uint64_t traced = 0;
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        for (uint32_t d = 0; d < NodeList::GetNode(n)->GetNDevices(); ++d)
        {
            NodeList::GetNode(n)->GetDevice(d)->TraceConnectWithoutContext(
                "RxCrcError",
                MakeBoundCallback(
                    +[](uint64_t* count, Ptr<const Packet>) { ++*count; },
                    &traced));
        }
    }
    Simulator::Run();
    f.ExpectConservation();
    LeafSpine::ExpectEmptyFabric();
    uint64_t crc = 0;
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        for (uint32_t d = 0; d < NodeList::GetNode(n)->GetNDevices(); ++d)
        {
            if (auto dev = DynamicCast<FabricNetDevice>(NodeList::GetNode(n)->GetDevice(d)))
            {
                crc += dev->GetRxCrcErrors();
            }
        }
    }
    EXPECT_GT(crc, 10u);
    EXPECT_EQ(traced, crc);
    EXPECT_GT(f.qa->GetPacketsRetransmitted(), 0u);
    const Time end = f.received.back().end;
    std::cout << "BER 1e-6 on every cable: " << crc << " CRC drops, "
              << f.qa->GetPacketsRetransmitted() << " resent (" << f.qa->GetNaksReceived()
              << " NAKs, " << f.qa->GetTimeouts() << " timeouts); completion " << end.As(Time::US)
              << " vs " << baseline.As(Time::US) << " fault-free: time lost "
              << (end - baseline).As(Time::US) << "\n";
}

TEST_F(FabricFaultTest, SwitchFailureIsRoutedAroundAndRecovered)
{
    const Time baseline = BaselineCompletion();
    LeafSpine f;
    f.Post();
    Ptr<Node> spine = f.SpineInUse();
    f.faults.FailSwitch(spine, MicroSeconds(60));
    Simulator::Run();
    f.ExpectConservation();
    LeafSpine::ExpectEmptyFabric();
    EXPECT_EQ(f.sm.GetSweeps(), 1u);
    EXPECT_NE(f.SpineInUse(), spine);
    const Time end = f.received.back().end;
    EXPECT_GT(end, baseline);
    std::cout << "spine failed at 60 us, re-sweep after 10 us: " << f.qa->GetPacketsRetransmitted()
              << " resent (" << f.qa->GetTimeouts() << " timeouts, " << f.qa->GetNaksReceived()
              << " NAKs); completion " << end.As(Time::US) << " vs " << baseline.As(Time::US)
              << " fault-free: time lost " << (end - baseline).As(Time::US) << "\n";
}

TEST_F(FabricFaultTest, AFabricCutInTwoIsReportedNotHung)
{
    // Both spines fail: the leaves are cut apart. The sweep after the failure reports it,
    // naming ports that cannot reach each other, and ends the run.
    LeafSpine f;
    f.Post();
    f.faults.FailSwitch(f.spines.Get(0), MicroSeconds(30));
    f.faults.FailSwitch(f.spines.Get(1), MicroSeconds(30));
    try
    {
        Simulator::Run();
        FAIL() << "the run ended without reporting the cut";
    }
    catch (const FabricConfigError& e)
    {
        const std::string what = e.what();
        std::cout << what << "\n";
        EXPECT_NE(what.find("the fabric is disconnected"), std::string::npos) << what;
        EXPECT_NE(what.find("cannot reach LID"), std::string::npos) << what;
    }
    EXPECT_EQ(Simulator::Now(), MicroSeconds(40));
    EXPECT_EQ(f.sm.GetUnreachable().size(), 2u); // host 0 -> host 1 and back
}

namespace
{

/// Eight hosts on a radix-4 fat-tree (4 leaves, 2 spines), and a faults section.
std::string
FatTreeYaml(const std::string& faults)
{
    return "name: eight hosts\n"
           "node-kinds:\n"
           "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
           "nodes:\n"
           "  - {kind: host, count: 8}\n"
           "fat-tree: {levels: 2, radix: 4, oversubscription: 1, speed: NDR, width: 4}\n" +
           faults;
}

/// A ring all-reduce of `bytes` on the topology of `yaml`, with its faults; its duration.
Time
AllReduceThroughFaults(const std::string& yaml, uint64_t bytes, uint32_t* sweeps = nullptr)
{
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(yaml, "faults.yaml"));
    FabricFaultHelper faults;
    faults.Install(topology, FaultScheduleReader::ReadString(yaml, "faults.yaml"));
    faults.AssignStreams(NodeContainer(topology->GetGpuNodes(), topology->GetSwitchNodes()), 3);
    std::vector<uint32_t> ranks(topology->GetNRanks());
    for (uint32_t r = 0; r < ranks.size(); ++r)
    {
        ranks[r] = r;
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue("ring"));
    comm->Setup(topology, ranks);
    CollectiveReport report;
    comm->Start(CollectiveOp::ALL_REDUCE,
                bytes,
                MakeCallback(+[](CollectiveReport* out, const CollectiveReport& r) {
                    *out = r;
                }).Bind(&report));
    Simulator::Run();
    if (sweeps)
    {
        *sweeps = faults.GetSubnetManager() ? faults.GetSubnetManager()->GetSweeps() : 0;
    }
    Simulator::Destroy();
    return report.packetTime;
}

} // namespace

TEST_F(FabricFaultTest, TopologyFileFaultsSectionIsReadAndChecked)
{
    const FaultScheduleSpec spec = FaultScheduleReader::ReadString(
        FatTreeYaml("faults:\n"
                    "  sweep-delay: 5us\n"
                    "  bit-error-rate: 1e-12\n"
                    "  events:\n"
                    "    - {at: 20us, a: leaf0, b: spine0, state: down}\n"
                    "    - {at: 1ms, switch: spine1, state: up}\n"),
        "f.yaml");
    ASSERT_TRUE(spec.present);
    EXPECT_EQ(spec.sweepDelay, MicroSeconds(5));
    EXPECT_DOUBLE_EQ(spec.bitErrorRate, 1e-12);
    ASSERT_EQ(spec.events.size(), 2u);
    EXPECT_EQ(spec.events[0].at, MicroSeconds(20));
    EXPECT_FALSE(spec.events[0].up);
    EXPECT_EQ(spec.events[0].a, "leaf0");
    EXPECT_EQ(spec.events[0].b, "spine0");
    EXPECT_EQ(spec.events[1].switchName, "spine1");
    EXPECT_TRUE(spec.events[1].up);
    EXPECT_FALSE(FaultScheduleReader::ReadString(FatTreeYaml(""), "f.yaml").present);
    // The topology reader accepts the section it leaves to the fault reader.
    EXPECT_NO_THROW(TopologyReader::ReadString(FatTreeYaml("faults: {sweep-delay: 1ms}\n"), "f"));

    // Bad input: file, line and field.
    auto error = [](const std::string& faults) {
        try
        {
            FaultScheduleReader::ReadString(FatTreeYaml(faults), "f.yaml");
        }
        catch (const TopologyError& e)
        {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error("faults:\n  events:\n    - {at: 20us, a: leaf0, b: spine0, state: off}\n"),
              "f.yaml:9:46: field 'faults.events[0].state': a state is down or up (got \"off\")");
    EXPECT_EQ(error("faults:\n  events:\n    - {at: 20, switch: spine0, state: down}\n"),
              "f.yaml:9:12: field 'faults.events[0].at': needs a unit, e.g. 100ns (got 20)");
    EXPECT_NE(error("faults:\n  events:\n    - {at: 1us, switch: s, a: leaf0, b: s, state: up}\n")
                  .find("f.yaml:9:7: field 'faults.events[0]': an event names a switch"),
              std::string::npos);
    EXPECT_NE(error("faults:\n  bit-error-rate: 2\n").find("field 'faults.bit-error-rate'"),
              std::string::npos);
    EXPECT_NE(error("faults:\n  sweep-dely: 1ms\n").find("did you mean 'sweep-delay'"),
              std::string::npos);

    // Names that are no node of the fabric, or nodes without a cable between them.
    const std::string unknown =
        FatTreeYaml("faults:\n  events:\n    - {at: 1us, a: leaf0, b: spine9, state: down}\n");
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(unknown, "f.yaml"));
    FabricFaultHelper helper;
    try
    {
        helper.Install(topology, FaultScheduleReader::ReadString(unknown, "f.yaml"));
        FAIL() << "an unknown name was accepted";
    }
    catch (const TopologyError& e)
    {
        EXPECT_NE(std::string(e.what()).find("f.yaml:9:7: field 'faults.events[0].b': no node of "
                                             "the fabric is named \"spine9\""),
                  std::string::npos)
            << e.what();
    }
    const std::string uncabled =
        FatTreeYaml("faults:\n  events:\n    - {at: 1us, a: leaf0, b: leaf1, state: down}\n");
    EXPECT_THROW(helper.Install(topology, FaultScheduleReader::ReadString(uncabled, "f.yaml")),
                 TopologyError);
}

TEST_F(FabricFaultTest, CollectiveFinishesThroughFaultsAndReportsTheTimeLost)
{
    // A 16 MiB ring all-reduce over eight hosts: fault-free; with a leaf-spine cable down
    // from 20 us to 1 ms; with a spine failing for good at 30 us; with bit errors on every
    // cable. Each finishes (the subnet manager re-routes, RC resends) and takes longer.
    const uint64_t bytes = 16 << 20;
    const Time clean = AllReduceThroughFaults(FatTreeYaml(""), bytes);
    uint32_t sweeps = 0;
    const Time flap =
        AllReduceThroughFaults(FatTreeYaml("faults:\n  sweep-delay: 10us\n  events:\n"
                                           "    - {at: 20us, a: leaf0, b: spine0, state: down}\n"
                                           "    - {at: 1ms, a: leaf0, b: spine0, state: up}\n"),
                               bytes,
                               &sweeps);
    EXPECT_EQ(sweeps, 2u);
    const Time spine =
        AllReduceThroughFaults(FatTreeYaml("faults:\n  sweep-delay: 10us\n  events:\n"
                                           "    - {at: 30us, switch: spine1, state: down}\n"),
                               bytes,
                               &sweeps);
    EXPECT_EQ(sweeps, 1u);
    const Time ber =
        AllReduceThroughFaults(FatTreeYaml("faults:\n  bit-error-rate: 1e-8\n"), bytes, &sweeps);
    EXPECT_EQ(sweeps, 0u);
    ASSERT_TRUE(clean.IsStrictlyPositive());
    EXPECT_GT(flap, clean);
    EXPECT_GT(spine, clean);
    EXPECT_GE(ber, clean);
    std::cout << "16 MiB ring all-reduce, 8 hosts: fault-free " << clean.As(Time::US)
              << "; cable down 20 us - 1 ms: " << (flap - clean).As(Time::US)
              << "; spine fails at 30 us: " << (spine - clean).As(Time::US)
              << "; BER 1e-8: " << (ber - clean).As(Time::US) << "\n";
}

TEST_F(FabricFaultTest, UnfinishedCollectiveSaysWhichRanksWaitOnWhat)
{
    // A collective stopped half-way (as a fault or deadlock would leave it) says, per rank,
    // what it posted that has not arrived and what waits on whom.
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(FatTreeYaml(""), "f.yaml"));
    std::vector<uint32_t> ranks(topology->GetNRanks());
    for (uint32_t r = 0; r < ranks.size(); ++r)
    {
        ranks[r] = r;
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue("ring"));
    comm->Setup(topology, ranks);
    bool done = false;
    comm->Start(CollectiveOp::ALL_REDUCE,
                16 << 20,
                MakeCallback(+[](bool* d, const CollectiveReport&) { *d = true; }).Bind(&done));
    Simulator::Stop(MicroSeconds(100));
    Simulator::Run();
    ASSERT_FALSE(done);
    const std::string report = comm->DescribeUnfinished();
    std::cout << report << "\n";
    EXPECT_NE(report.find("transfers unfinished"), std::string::npos) << report;
    // At 100 us of a 16 MiB ring all-reduce, rank 0 has its first step's pieces out to rank 1
    // and the rest waits on rank 7's.
    EXPECT_NE(
        report.find("\n  rank 0: 4 ready or posted, not arrived (first: transfer 32 to rank 1"),
        std::string::npos)
        << report;
    EXPECT_NE(report.find("waits on transfer 39 from rank 7"), std::string::npos) << report;
    EXPECT_NE(report.find("waiting for others"), std::string::npos) << report;
}
