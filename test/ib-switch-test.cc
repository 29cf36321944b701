/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Congestion through InfiniBand switches: an 8-to-1 incast shares its bottleneck fairly and
 * loses nothing; credit back-pressure makes a victim flow suffer head-of-line blocking unless it
 * has its own VL; without flow control, small buffers drop and the drops are counted.
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
class IbSwitchTest : public FabricTest
{
};

/// A star: hosts on one or two switches, with the helpers to send and count.
struct Fabric
{
    IbHelper ib;
    NodeContainer hosts;
    NodeContainer switches;
    std::vector<Ptr<IbNetDevice>> hca;  //!< HCA port of each host
    std::vector<Ptr<IbNetDevice>> edge; //!< switch port facing each host
    std::vector<Ptr<FabricTrafficGenerator>> generators;

    Ptr<FabricTrafficGenerator> Send(uint32_t from, uint32_t to, uint64_t bytes, uint8_t sl = 0)
    {
        Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
        gen->SetAttribute("DestinationLid", UintegerValue(hca[to]->GetLid()));
        gen->SetAttribute("MessageSize", UintegerValue(bytes));
        gen->SetAttribute("ServiceLevel", UintegerValue(sl));
        hosts.Get(from)->AddApplication(gen);
        generators.push_back(gen);
        return gen;
    }

    Ptr<FabricTrafficSink> Sink(uint32_t host)
    {
        Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
        hosts.Get(host)->AddApplication(sink);
        return sink;
    }

    /// Cable host h to switch s.
    void Attach(uint32_t h, uint32_t s)
    {
        NetDeviceContainer link = ib.Install(hosts.Get(h), switches.Get(s));
        hca[h] = DynamicCast<IbNetDevice>(link.Get(0));
        edge[h] = DynamicCast<IbNetDevice>(link.Get(1));
    }

    void Create(uint32_t nHosts, uint32_t nSwitches)
    {
        hosts.Create(nHosts);
        switches.Create(nSwitches);
        ib.InstallSwitch(switches);
        hca.resize(nHosts);
        edge.resize(nHosts);
    }

    void Route()
    {
        IbSubnetManager sm;
        sm.Run(NodeContainer(hosts, switches));
    }

    /// Every port on every node of the simulation.
    static std::vector<Ptr<FabricNetDevice>> AllPorts()
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
};

/// Payload bytes per source LID received before a given time.
struct WindowCounter
{
    Time until;
    std::map<uint16_t, uint64_t> bytes;

    void OnRx(Ptr<const Packet> packet, uint16_t slid)
    {
        if (Simulator::Now() <= until)
        {
            bytes[slid] += packet->GetSize();
        }
    }
};

} // namespace

TEST_F(IbSwitchTest, IncastSharesBottleneckFairlyAndLosesNothing)
{
    const uint32_t senders = 8;
    const uint64_t bytes = 2 << 20;
    Fabric f;
    f.Create(senders + 1, 1);
    for (uint32_t h = 0; h <= senders; ++h)
    {
        f.Attach(h, 0);
    }
    f.Route();
    Ptr<FabricTrafficSink> sink = f.Sink(senders);
    for (uint32_t s = 0; s < senders; ++s)
    {
        f.Send(s, senders, bytes);
    }
    Ptr<IbNetDevice> bottleneck = f.edge[senders];
    Time firstTx = Time::Max();
    bottleneck->TraceConnectWithoutContext("PhyTxBegin",
                                           MakeCallback(+[](Time* first, Ptr<const Packet>) {
                                               *first = std::min(*first, Simulator::Now());
                                           }).Bind(&firstTx));
    uint32_t stallEvents = 0;
    for (uint32_t s = 0; s < senders; ++s)
    {
        f.hca[s]->TraceConnectWithoutContext("CreditStall",
                                             MakeCallback(+[](uint32_t* n, uint8_t, Time d) {
                                                 *n += d.IsStrictlyPositive();
                                             }).Bind(&stallEvents));
    }
    // Count what each sender got through in the first half of the transfer.
    const DataRate rate("400Gb/s");
    WindowCounter window;
    window.until = rate.CalculateBytesTxTime(static_cast<uint32_t>(senders * bytes / 2));
    sink->TraceConnectWithoutContext("Rx", MakeCallback(&WindowCounter::OnRx, &window));

    Simulator::Run();

    // Nothing lost, every byte delivered.
    EXPECT_EQ(sink->GetTotalPayloadBytes(), senders * bytes);
    for (const auto& port : Fabric::AllPorts())
    {
        EXPECT_EQ(port->GetRxDropCount(), 0u) << port->Describe();
        auto peer = DynamicCast<FabricChannel>(port->GetChannel())->GetPeer(port);
        EXPECT_EQ(port->GetTxBytes(), peer->GetRxBytes()) << port->Describe();
        EXPECT_EQ(port->GetTxPackets(), peer->GetRxPackets()) << port->Describe();
    }
    // The bottleneck never idles from its first packet to its last.
    Time lastRx;
    for (const auto& [lid, flow] : sink->GetFlows())
    {
        lastRx = std::max(lastRx, flow.lastRx);
    }
    const Time lastTxEnd = lastRx - NanoSeconds(100); // the cable's default delay
    const double busy =
        bottleneck->GetTxBusyTime().GetSeconds() / (lastTxEnd - firstTx).GetSeconds();
    EXPECT_GT(busy, 0.999);
    EXPECT_LE(busy, 1.0 + 1e-9);
    // Each sender's share of the first half is 1/8 within 1%.
    ASSERT_EQ(window.bytes.size(), senders);
    uint64_t total = 0;
    for (const auto& [lid, b] : window.bytes)
    {
        total += b;
    }
    for (const auto& [lid, b] : window.bytes)
    {
        EXPECT_NEAR(static_cast<double>(b) / total, 1.0 / senders, 0.01 / senders)
            << "sender LID " << lid;
    }
    // The excess waited at the senders for credits.
    EXPECT_GT(stallEvents, 0u);
    for (uint32_t s = 0; s < senders; ++s)
    {
        EXPECT_GT(f.hca[s]->GetCreditStallTime(0), MicroSeconds(50)) << "sender " << s;
    }
}

namespace
{

/**
 * Victim throughput, Gb/s: four incast senders on switch A and four on switch B write to D on
 * B; a victim on A writes to R on B through the same A-B cable.
 */
double
VictimGbps(bool incast, bool ownVl)
{
    Fabric f;
    f.ib.SetDeviceAttribute("NumDataVls", UintegerValue(2));
    // Hosts 0-3 and 8 (victim) on A; 4-7, 9 (D) and 10 (R) on B.
    f.Create(11, 2);
    for (uint32_t h = 0; h < 11; ++h)
    {
        f.Attach(h, (h < 4 || h == 8) ? 0 : 1);
    }
    f.ib.Install(f.switches.Get(0), f.switches.Get(1));
    f.Route();
    f.Sink(9);
    Ptr<FabricTrafficSink> victimSink = f.Sink(10);
    if (incast)
    {
        for (uint32_t s = 0; s < 8; ++s)
        {
            f.Send(s, 9, 4 << 20, 0);
        }
    }
    f.Send(8, 10, 1 << 20, ownVl ? 1 : 0);
    Simulator::Run();
    const auto& flow = victimSink->GetFlows().begin()->second;
    EXPECT_EQ(flow.payloadBytes, 1u << 20);
    const double gbps = flow.payloadBytes * 8.0 / flow.lastRx.GetSeconds() / 1e9;
    Simulator::Destroy();
    return gbps;
}

} // namespace

TEST_F(IbSwitchTest, HeadOfLineBlockingAndItsCureByVirtualLanes)
{
    const double alone = VictimGbps(false, false);
    const double sharedVl = VictimGbps(true, false);
    const double ownVl = VictimGbps(true, true);
    RecordProperty("victim_alone_gbps", std::to_string(alone));
    RecordProperty("victim_shared_vl_gbps", std::to_string(sharedVl));
    RecordProperty("victim_own_vl_gbps", std::to_string(ownVl));
    // Alone, the victim's 256 packets cross A and B cut-through: the closed form is two switch
    // latencies, three cables and the serialisation of every packet once.
    const DataRate rate("400Gb/s");
    const Time ideal = NanoSeconds(330) * 2 + NanoSeconds(100) * 3 +
                       rate.CalculateBytesTxTime(4096 + 42) +
                       rate.CalculateBytesTxTime(4096 + 26) * 255;
    EXPECT_NEAR(alone, (1 << 20) * 8.0 / ideal.GetSeconds() / 1e9, 1e-6);
    // Its own VL gives it its own buffers and credits: it keeps the half of the A-B cable
    // that the incast, throttled at D, leaves over (VL arbitration is round robin).
    EXPECT_GT(ownVl, 0.45 * 400.0);
    // Sharing the incast's VL, its packets queue behind incast packets that wait for D:
    // head-of-line blocking slows it far below what the cable could give it.
    EXPECT_LT(sharedVl, 0.5 * ownVl);
}

TEST_F(IbSwitchTest, WithoutFlowControlSmallBuffersDropAndDropsAreCounted)
{
    const uint32_t senders = 8;
    Fabric f;
    f.ib.SetDeviceAttribute("FlowControl", BooleanValue(false));
    f.ib.SetDeviceAttribute("RxBufferSize", UintegerValue(16384));
    f.Create(senders + 1, 1);
    for (uint32_t h = 0; h <= senders; ++h)
    {
        f.Attach(h, 0);
    }
    f.Route();
    Ptr<FabricTrafficSink> sink = f.Sink(senders);
    uint64_t traced = 0;
    for (const auto& port : f.edge)
    {
        port->TraceConnectWithoutContext(
            "PhyRxDrop",
            MakeCallback(+[](uint64_t* n, Ptr<const Packet>) { ++*n; }).Bind(&traced));
    }
    for (uint32_t s = 0; s < senders; ++s)
    {
        f.Send(s, senders, 1 << 20);
    }
    Simulator::Run();

    uint64_t sent = 0;
    for (const auto& gen : f.generators)
    {
        sent += gen->GetPacketsSent();
    }
    uint64_t dropped = 0;
    for (const auto& port : Fabric::AllPorts())
    {
        dropped += port->GetRxDropCount();
    }
    uint64_t received = 0;
    for (const auto& [lid, flow] : sink->GetFlows())
    {
        received += flow.packets;
    }
    EXPECT_GT(dropped, 0u);
    EXPECT_EQ(traced, dropped);
    EXPECT_EQ(sent, received + dropped); // every packet is either delivered or counted
    EXPECT_LT(sink->GetTotalPayloadBytes(), senders * (uint64_t{1} << 20));
}
