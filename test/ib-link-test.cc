/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Packet timing over one InfiniBand link and over a chain of switches, against closed forms
 * computed here from rate, header and trailer bytes, cable delay and switch latency.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// Bytes on the wire of a UC RDMA WRITE packet with the given payload (multiple of 4).
uint32_t
WireBytes(uint32_t payload, bool first)
{
    return IbLrhHeader::SIZE + IbBthHeader::SIZE + (first ? IbRethHeader::SIZE : 0) + payload +
           IbCrcTrailer::ICRC_SIZE + IbCrcTrailer::VCRC_SIZE;
}

/// A line of hosts and switches: host - sw1 - ... - swH - host, everything on defaults.
struct Chain
{
    NodeContainer hosts;
    NodeContainer switches;
    Ptr<IbNetDevice> src;
    Ptr<IbNetDevice> dst;
    Ptr<FabricTrafficSink> sink;
    std::vector<Time> arrivals;

    Chain(uint32_t nSwitches, bool cutThrough, Time delay, Time latency)
    {
        hosts.Create(2);
        switches.Create(nSwitches);
        IbHelper ib;
        ib.SetChannelAttribute("Delay", TimeValue(delay));
        ib.SetSwitchAttribute("PortToPortLatency", TimeValue(latency));
        ib.SetSwitchAttribute("CutThrough", BooleanValue(cutThrough));
        ib.InstallSwitch(switches);
        std::vector<Ptr<Node>> line;
        line.push_back(hosts.Get(0));
        for (uint32_t i = 0; i < nSwitches; ++i)
        {
            line.push_back(switches.Get(i));
        }
        line.push_back(hosts.Get(1));
        for (size_t i = 0; i + 1 < line.size(); ++i)
        {
            NetDeviceContainer link = ib.Install(line[i], line[i + 1]);
            if (i == 0)
            {
                src = DynamicCast<IbNetDevice>(link.Get(0));
            }
            if (i + 2 == line.size())
            {
                dst = DynamicCast<IbNetDevice>(link.Get(1));
            }
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(hosts, switches));
        sink = CreateObject<FabricTrafficSink>();
        hosts.Get(1)->AddApplication(sink);
        sink->TraceConnectWithoutContext("Rx", MakeCallback(&Chain::OnRx, this));
    }

    void OnRx(Ptr<const Packet>, uint16_t)
    {
        arrivals.push_back(Simulator::Now());
    }

    Ptr<FabricTrafficGenerator> Send(uint64_t bytes)
    {
        Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
        gen->SetAttribute("DestinationLid", UintegerValue(dst->GetLid()));
        gen->SetAttribute("MessageSize", UintegerValue(bytes));
        hosts.Get(0)->AddApplication(gen);
        return gen;
    }
};

/// Fixture: the module's common one.
class IbLinkTest : public FabricTest
{
};

} // namespace

TEST_F(IbLinkTest, NdrFourXIsFourHundredGbps)
{
    EXPECT_EQ(IbLinkDataRate(IbLinkSpeed::NDR, 4).GetBitRate(), 400000000000ULL);
    EXPECT_EQ(IbLinkDataRate(IbLinkSpeed::HDR, 4).GetBitRate(), 200000000000ULL);
    EXPECT_EQ(IbLinkDataRate(IbLinkSpeed::EDR, 4).GetBitRate(), 100000000000ULL);
    EXPECT_EQ(IbLinkDataRate(IbLinkSpeed::QDR, 4).GetBitRate(), 32000000000ULL);
    EXPECT_EQ(IbLinkDataRate(IbLinkSpeed::SDR, 1).GetBitRate(), 2000000000ULL);
    EXPECT_EQ(IbLinkDataRate(IbLinkSpeed::NDR, 2).GetBitRate(), 200000000000ULL); // NDR200
    Ptr<IbNetDevice> dev = CreateObject<IbNetDevice>();
    EXPECT_EQ(dev->GetDataRate().GetBitRate(), 400000000000ULL); // default NDR 4x
    dev->SetAttribute("LinkSpeed", StringValue("EDR"));
    EXPECT_EQ(dev->GetDataRate().GetBitRate(), 100000000000ULL);
}

TEST_F(IbLinkTest, OnePacketOverOneLink)
{
    Chain chain(0, true, NanoSeconds(100), NanoSeconds(0));
    chain.Send(1000);
    Simulator::Run();
    ASSERT_EQ(chain.arrivals.size(), 1u);
    const DataRate rate("400Gb/s");
    const Time expected = rate.CalculateBytesTxTime(WireBytes(1000, true)) + NanoSeconds(100);
    EXPECT_EQ(chain.arrivals[0], expected) << chain.arrivals[0].As(Time::NS);
    EXPECT_EQ(chain.src->GetTxBytes(), WireBytes(1000, true));
    EXPECT_EQ(chain.dst->GetRxBytes(), WireBytes(1000, true));
}

TEST_F(IbLinkTest, TrainOverOneLink)
{
    const uint32_t packets = 50;
    Chain chain(0, true, NanoSeconds(250), NanoSeconds(0));
    chain.Send(uint64_t{4096} * packets);
    Simulator::Run();
    ASSERT_EQ(chain.arrivals.size(), packets);
    const DataRate rate("400Gb/s");
    const Time first = rate.CalculateBytesTxTime(WireBytes(4096, true));
    const Time other = rate.CalculateBytesTxTime(WireBytes(4096, false));
    for (uint32_t k = 0; k < packets; ++k)
    {
        EXPECT_EQ(chain.arrivals[k], first + other * k + NanoSeconds(250)) << "packet " << k;
    }
    EXPECT_EQ(chain.sink->GetTotalPayloadBytes(), uint64_t{4096} * packets);
}

TEST_F(IbLinkTest, CutThroughChainPipelines)
{
    const uint32_t switches = 4;
    const uint32_t packets = 20;
    const Time delay = NanoSeconds(40);
    const Time latency = NanoSeconds(330);
    Chain chain(switches, true, delay, latency);
    chain.Send(uint64_t{4096} * packets);
    Simulator::Run();
    ASSERT_EQ(chain.arrivals.size(), packets);
    const DataRate rate("400Gb/s");
    const Time first = rate.CalculateBytesTxTime(WireBytes(4096, true));
    const Time other = rate.CalculateBytesTxTime(WireBytes(4096, false));
    // Cut-through: each hop adds its cable and the switch latency, never a serialisation.
    const Time path = delay * (switches + 1) + latency * switches;
    for (uint32_t k = 0; k < packets; ++k)
    {
        EXPECT_EQ(chain.arrivals[k], path + first + other * k) << "packet " << k;
    }
}

TEST_F(IbLinkTest, StoreAndForwardChainPipelines)
{
    const uint32_t switches = 3;
    const uint32_t packets = 10;
    const Time delay = NanoSeconds(40);
    const Time latency = NanoSeconds(200);
    Chain chain(switches, false, delay, latency);
    chain.Send(uint64_t{2000} * packets); // 2000 B packets are not MTU-sized: 4096 B MTU
    Simulator::Run();
    // 20000 B at MTU 4096: four full packets and one of 3616 B.
    ASSERT_EQ(chain.arrivals.size(), 5u);
    const DataRate rate("400Gb/s");
    const Time first = rate.CalculateBytesTxTime(WireBytes(4096, true));
    const Time full = rate.CalculateBytesTxTime(WireBytes(4096, false));
    const Time tail = rate.CalculateBytesTxTime(WireBytes(20000 - 4 * 4096, false));
    // Store-and-forward: the first packet is serialised on every one of the H+1 links; the
    // ones behind it follow at the bottleneck's pace, one serialisation each.
    const Time path = delay * (switches + 1) + latency * switches;
    EXPECT_EQ(chain.arrivals[0], path + first * (switches + 1));
    EXPECT_EQ(chain.arrivals[1], path + first * switches + first + full);
    EXPECT_EQ(chain.arrivals[3], path + first * switches + first + full * 3);
    // The short last packet finishes its own last hop one short serialisation after the one
    // before it leaves that hop.
    EXPECT_EQ(chain.arrivals[4], path + first * switches + first + full * 3 + tail);
}

TEST_F(IbLinkTest, LosslessAndConservedOverChain)
{
    Chain chain(3, true, NanoSeconds(100), NanoSeconds(330));
    Ptr<FabricTrafficGenerator> gen = chain.Send(1 << 20);
    Simulator::Run();
    EXPECT_EQ(chain.sink->GetTotalPayloadBytes(), uint64_t{1} << 20);
    EXPECT_EQ(gen->GetPayloadBytesSent(), uint64_t{1} << 20);
    // Every cable: bytes sent at one end = bytes received at the other.
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<FabricNetDevice> dev = DynamicCast<FabricNetDevice>(node->GetDevice(d));
            Ptr<FabricChannel> ch = DynamicCast<FabricChannel>(dev->GetChannel());
            Ptr<FabricNetDevice> peer = ch->GetPeer(dev);
            EXPECT_EQ(dev->GetTxBytes(), peer->GetRxBytes()) << dev->Describe();
            EXPECT_EQ(dev->GetRxDropCount(), 0u);
        }
    }
}
