/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * The RDMA transport against closed forms computed here: one message over one link and over
 * chains of switches, to the picosecond; goodput; the inflight window and the rate limit; two
 * queue pairs sharing a port; an 8-to-1 incast of messages. Also the wire format (opcodes,
 * PSNs across the 24-bit wrap, AckReq, RETH, ImmDt, pad, ACKs) and configuration errors.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Link framing of an IB packet: LRH 8, ICRC 4, VCRC 2.
constexpr uint32_t LINK_BYTES =
    IbLrhHeader::SIZE + IbCrcTrailer::ICRC_SIZE + IbCrcTrailer::VCRC_SIZE;
/// An ACK on the wire: LRH, BTH, AETH, ICRC, VCRC = 30 bytes.
constexpr uint32_t ACK_BYTES = LINK_BYTES + IbBthHeader::SIZE + IbAethHeader::SIZE;
/// A flow-control packet.
constexpr uint32_t FCP_BYTES = 6;

/// One message as the closed forms see it.
struct Message
{
    uint64_t bytes;  //!< size
    uint32_t mtu;    //!< path MTU
    bool write;      //!< RDMA WRITE (else SEND)
    bool imm{false}; //!< with immediate

    /** \return packets */
    uint32_t Packets() const
    {
        return static_cast<uint32_t>(std::max<uint64_t>(1, (bytes + mtu - 1) / mtu));
    }

    /**
     * \param k packet index
     * \return its payload
     */
    uint32_t Payload(uint32_t k) const
    {
        return static_cast<uint32_t>(std::min<uint64_t>(mtu, bytes - uint64_t{k} * mtu));
    }

    /**
     * \param k packet index
     * \return bytes the transport hands to the port: BTH, RETH on a first WRITE packet, ImmDt
     * on the last with immediate, payload padded to 4 bytes
     */
    uint32_t TransportBytes(uint32_t k) const
    {
        return IbBthHeader::SIZE + (write && k == 0 ? IbRethHeader::SIZE : 0) +
               (imm && k + 1 == Packets() ? 4 : 0) + (Payload(k) + 3) / 4 * 4;
    }

    /**
     * \param k packet index
     * \return its bytes on an IB wire
     */
    uint32_t WireBytes(uint32_t k) const
    {
        return LINK_BYTES + TransportBytes(k);
    }

    /**
     * \param rate the line rate
     * \return serialisation of all its packets, one after the other
     */
    Time Serialisation(const DataRate& rate) const
    {
        Time t;
        for (uint32_t k = 0; k < Packets(); ++k)
        {
            t += rate.CalculateBytesTxTime(WireBytes(k));
        }
        return t;
    }
};

/// Completions seen at one end.
struct Log
{
    std::vector<RdmaCompletion> done; //!< in the order they came

    /**
     * \brief Completion callback.
     * \param qp the QP
     * \param c the completion
     */
    void On(Ptr<RdmaQueuePair> qp, const RdmaCompletion& c)
    {
        done.push_back(c);
    }
};

/// host0 - switch 1 - ... - switch H - host1 (or host0 - host1), IB on defaults but delays.
struct Line
{
    NodeContainer hosts;
    NodeContainer switches;
    Ptr<IbNetDevice> a; //!< host0's port
    Ptr<IbNetDevice> b; //!< host1's port
    Ptr<RdmaQueuePair> qa;
    Ptr<RdmaQueuePair> qb;
    Log sent;     //!< requester completions at host0
    Log received; //!< responder completions at host1

    Line(uint32_t nSwitches,
         bool cutThrough,
         Time delay,
         Time latency,
         const std::function<void(RdmaHelper&)>& configure = {},
         uint32_t mtu = 4096)
    {
        hosts.Create(2);
        switches.Create(nSwitches);
        IbHelper ib;
        ib.SetDeviceAttribute("Mtu", UintegerValue(mtu));
        ib.SetChannelAttribute("Delay", TimeValue(delay));
        ib.SetSwitchAttribute("PortToPortLatency", TimeValue(latency));
        ib.SetSwitchAttribute("CutThrough", BooleanValue(cutThrough));
        ib.InstallSwitch(switches);
        std::vector<Ptr<Node>> line{hosts.Get(0)};
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
                a = DynamicCast<IbNetDevice>(link.Get(0));
            }
            if (i + 2 == line.size())
            {
                b = DynamicCast<IbNetDevice>(link.Get(1));
            }
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(hosts, switches));
        RdmaHelper rdma;
        if (configure)
        {
            configure(rdma);
        }
        std::tie(qa, qb) = rdma.Connect(hosts.Get(0), hosts.Get(1));
        qa->SetSendCompletionCallback(MakeCallback(&Log::On, &sent));
        qb->SetReceiveCompletionCallback(MakeCallback(&Log::On, &received));
    }
};

/// Only the last packet of a message asks for an ACK (ACKs then never touch the data wire).
void
AckOnLastOnly(RdmaHelper& rdma)
{
    rdma.SetQueuePairAttribute("AckRequestInterval", UintegerValue(1000000));
}

const DataRate NDR("400Gb/s"); //!< IB NDR 4x, the ports' default

/// Records the bytes two responders hold when the first of their messages completes.
struct FirstDone
{
    Ptr<RdmaQueuePair> one; //!< a responder
    Ptr<RdmaQueuePair> two; //!< the other
    bool done{false};       //!< a message completed
    uint64_t x{0};          //!< bytes at one then
    uint64_t y{0};          //!< bytes at two then

    /**
     * \brief MessageReceived trace sink.
     * \param seq sequence
     * \param bytes size
     * \param latency latency
     */
    void On(uint64_t seq, uint64_t bytes, Time latency)
    {
        if (!done)
        {
            done = true;
            x = one->GetBytesReceived();
            y = two->GetBytesReceived();
        }
    }
};

/// Fixture: the module's common one.
class RdmaTransportTest : public FabricTest
{
};

} // namespace

TEST_F(RdmaTransportTest, HeaderGroupsBthAndExtendedHeadersInWireOrder)
{
    RdmaTransportHeader h;
    h.GetBth().SetOpcode(IbOpcode::RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE);
    h.GetBth().SetPsn(0xABCDEF);
    h.GetBth().SetDestQp(77);
    h.GetReth().SetDmaLength(1000);
    h.GetReth().SetRKey(0x1234);
    h.SetImmediate(0xCAFEF00D);
    EXPECT_EQ(h.GetSerializedSize(), 12u + 16u + 4u);
    Ptr<Packet> p = Create<Packet>(8);
    p->AddHeader(h);
    // The same bytes as the separate headers, in wire order.
    const uint8_t immBytes[4] = {0xCA, 0xFE, 0xF0, 0x0D};
    Ptr<Packet> immPacket = Create<Packet>(immBytes, 4);
    immPacket->AddAtEnd(Create<Packet>(8));
    immPacket->AddHeader(h.GetReth());
    immPacket->AddHeader(h.GetBth());
    ASSERT_EQ(p->GetSize(), immPacket->GetSize());
    std::vector<uint8_t> x(p->GetSize());
    std::vector<uint8_t> y(p->GetSize());
    p->CopyData(x.data(), x.size());
    immPacket->CopyData(y.data(), y.size());
    EXPECT_EQ(x, y);
    RdmaTransportHeader r;
    EXPECT_EQ(p->PeekHeader(r), 32u);
    EXPECT_EQ(r.GetBth().GetPsn(), 0xABCDEFu);
    EXPECT_EQ(r.GetReth().GetDmaLength(), 1000u);
    EXPECT_EQ(r.GetImmediate(), 0xCAFEF00Du);
    // ACK: BTH + AETH.
    RdmaTransportHeader ack;
    ack.GetBth().SetOpcode(IbOpcode::RC_ACKNOWLEDGE);
    ack.GetAeth() = IbAethHeader::MakeNak(IbAethHeader::NAK_PSN_SEQUENCE_ERROR, 5);
    Ptr<Packet> a = Create<Packet>();
    a->AddHeader(ack);
    EXPECT_EQ(a->GetSize(), 16u);
    RdmaTransportHeader ra;
    a->PeekHeader(ra);
    EXPECT_TRUE(ra.GetAeth().IsNak());
    EXPECT_EQ(ra.GetAeth().GetMsn(), 5u);
    EXPECT_EQ(RdmaTransportHeader::SizeFor(0x01), 12u); // SEND Middle: BTH only
}

TEST_F(RdmaTransportTest, OneMessageOverOneLinkCompletesExactly)
{
    const Time delay = NanoSeconds(100);
    // Sizes: one byte, one MTU, one byte more, many MTUs and a ragged end; WRITE and SEND,
    // with and without immediate.
    const std::vector<Message> cases{{1, 4096, true},
                                     {4096, 4096, true},
                                     {4097, 4096, false},
                                     {(1 << 20) + 3, 4096, true, true},
                                     {100000, 1024, false, true},
                                     {0, 4096, true}};
    for (const Message& m : cases)
    {
        Line line(
            0,
            true,
            delay,
            Time(),
            [](RdmaHelper& rdma) {
                AckOnLastOnly(rdma);
                rdma.SetQueuePairAttribute("InflightWindow", UintegerValue(0)); // no limit
            },
            m.mtu);
        RdmaWorkRequest wr;
        wr.operation = m.write ? RdmaOperation::WRITE : RdmaOperation::SEND;
        wr.bytes = m.bytes;
        wr.withImmediate = m.imm;
        wr.immediate = 42;
        line.qa->Post(wr);
        Simulator::Run();
        const std::string what = std::to_string(m.bytes) + " B " + (m.write ? "WRITE" : "SEND") +
                                 (m.imm ? " with immediate" : "") + " at MTU " +
                                 std::to_string(m.mtu);
        ASSERT_EQ(line.received.done.size(), 1u) << what;
        ASSERT_EQ(line.sent.done.size(), 1u) << what;
        // Packets leave back to back from time 0: the last one is in after all of them are
        // serialised, plus the cable.
        const Time lastIn = m.Serialisation(NDR) + delay;
        EXPECT_EQ(line.received.done[0].end, lastIn) << what;
        // The responder's port first returns the last packet's credits (a 6-byte FCP), then
        // sends the ACK (30 bytes) back over the cable.
        const Time acked = lastIn + NDR.CalculateBytesTxTime(FCP_BYTES) +
                           NDR.CalculateBytesTxTime(ACK_BYTES) + delay;
        EXPECT_EQ(line.sent.done[0].end, acked) << what;
        EXPECT_EQ(line.received.done[0].bytes, m.bytes) << what;
        EXPECT_EQ(line.received.done[0].withImmediate, m.imm) << what;
        EXPECT_EQ(line.received.done[0].immediate, m.imm ? 42u : 0u) << what;
        EXPECT_EQ(line.received.done[0].operation, wr.operation) << what;
        EXPECT_EQ(line.a->GetTxPackets(), m.Packets()) << what;
        EXPECT_EQ(line.qb->GetAcksSent(), 1u) << what;
        Simulator::Destroy();
    }
}

TEST_F(RdmaTransportTest, GoodputIsMtuOverMtuPlusOverheadOfLineRate)
{
    // Defaults: ACK requested every 64 packets. Each ACK reaching the requester makes its port
    // return credits on the data wire (a 6-byte FCP), so the closed form is exact up to that.
    const Time delay = NanoSeconds(100);
    for (uint32_t mtu : {4096u, 1024u, 256u})
    {
        Line line(0, true, delay, Time(), {}, mtu);
        const Message m{uint64_t{mtu} * 2048, mtu, true};
        line.qa->PostWrite(m.bytes);
        Simulator::Run();
        ASSERT_EQ(line.received.done.size(), 1u);
        const Time lastIn = line.received.done[0].end;
        const Time closed = m.Serialisation(NDR) + delay;
        const uint64_t acks = line.qb->GetAcksSent();
        EXPECT_EQ(acks, 2048u / 64u);
        EXPECT_GE(lastIn, closed) << "MTU " << mtu;
        EXPECT_LE(lastIn, closed + NDR.CalculateBytesTxTime(FCP_BYTES) * acks) << "MTU " << mtu;
        // Goodput over the transfer: MTU / (MTU + 26) of the line rate; the FCPs for ACKs add
        // 6 bytes per 64 packets (3.3e-4 of the wire at MTU 256).
        const double goodput = m.bytes * 8.0 / (lastIn - delay).GetSeconds();
        const double expected = NDR.GetBitRate() * double(mtu) / (mtu + 26);
        EXPECT_NEAR(goodput / expected, 1.0, 5e-4) << "MTU " << mtu;
        RecordProperty("goodput_gbps_mtu" + std::to_string(mtu), std::to_string(goodput / 1e9));
        Simulator::Destroy();
    }
}

TEST_F(RdmaTransportTest, ChainOfSwitchesPipelines)
{
    const Time delay = NanoSeconds(40);
    const Time latency = NanoSeconds(200);
    const Message m{32 * 4096 + 100, 4096, true};
    const Time first = NDR.CalculateBytesTxTime(m.WireBytes(0));
    const Time ack = NDR.CalculateBytesTxTime(ACK_BYTES);
    const Time fcp = NDR.CalculateBytesTxTime(FCP_BYTES);
    for (bool cutThrough : {false, true})
    {
        Time previous;
        for (uint32_t hops = 0; hops <= 3; ++hops)
        {
            Line line(hops, cutThrough, delay, latency, AckOnLastOnly);
            line.qa->PostWrite(m.bytes);
            Simulator::Run();
            ASSERT_EQ(line.received.done.size(), 1u);
            ASSERT_EQ(line.sent.done.size(), 1u);
            const std::string what = std::to_string(hops) +
                                     (cutThrough ? " cut-through" : " store-and-forward") +
                                     " switches";
            // Packets pipeline through the chain: each switch adds a cable and its latency,
            // and store-and-forward one serialisation of the (largest) first packet; never a
            // whole message.
            const Time path = delay * (hops + 1) + latency * hops;
            const Time lastIn = path + m.Serialisation(NDR) + (cutThrough ? Time() : first * hops);
            EXPECT_EQ(line.received.done[0].end, lastIn) << what;
            const Time acked = lastIn + fcp + path + (cutThrough ? ack : ack * (hops + 1));
            EXPECT_EQ(line.sent.done[0].end, acked) << what;
            if (hops > 0)
            {
                const Time step = line.received.done[0].end - previous;
                EXPECT_EQ(step, delay + latency + (cutThrough ? Time() : first)) << what;
                EXPECT_LT(step * 8, m.Serialisation(NDR)) << what; // 33 packets: not all
            }
            previous = line.received.done[0].end;
            Simulator::Destroy();
        }
    }
}

TEST_F(RdmaTransportTest, InflightWindowBoundsBytesInFlight)
{
    // A window of two packets over a long cable: the requester sends two packets, the second
    // asks for an ACK (it fills the window), and waits. Each round trip is then exactly: two
    // serialisations, the cable, the FCP and the ACK back, the cable, and the FCP that the
    // requester's port returns for the ACK ahead of the next data packet.
    const Time delay = MicroSeconds(1);
    Line line(0, true, delay, Time(), [](RdmaHelper& rdma) {
        rdma.SetQueuePairAttribute("InflightWindow", UintegerValue(2 * 4096));
    });
    const Message m{10 * 4096, 4096, true};
    line.qa->PostWrite(m.bytes);
    uint64_t peak = 0;
    line.qa->TraceConnectWithoutContext(
        "TxBytes",
        MakeCallback(+[](uint64_t* peak, RdmaQueuePair* qp, uint64_t, uint64_t) {
            *peak = std::max(*peak, qp->GetInflightBytes());
        }).Bind(&peak, PeekPointer(line.qa)));
    Simulator::Run();
    ASSERT_EQ(line.received.done.size(), 1u);
    const Time fcp = NDR.CalculateBytesTxTime(FCP_BYTES);
    const Time ack = NDR.CalculateBytesTxTime(ACK_BYTES);
    Time start;
    Time lastIn;
    for (uint32_t round = 0; round < 5; ++round)
    {
        lastIn = start + NDR.CalculateBytesTxTime(m.WireBytes(2 * round)) +
                 NDR.CalculateBytesTxTime(m.WireBytes(2 * round + 1)) + delay;
        start = lastIn + fcp + ack + delay + fcp;
    }
    EXPECT_EQ(line.received.done[0].end, lastIn);
    EXPECT_EQ(line.sent.done[0].end, lastIn + fcp + ack + delay);
    EXPECT_EQ(peak, 2u * 4096);
    EXPECT_EQ(line.qb->GetAcksSent(), 5u);
}

TEST_F(RdmaTransportTest, RateLimitPacesPackets)
{
    const Time delay = NanoSeconds(100);
    const DataRate limit("100Gb/s");
    Line line(0, true, delay, Time(), [&](RdmaHelper& rdma) {
        rdma.SetQueuePairAttribute("RateLimit", DataRateValue(limit));
        AckOnLastOnly(rdma);
    });
    const Message m{64 * 4096 + 10, 4096, true};
    line.qa->PostWrite(m.bytes);
    Simulator::Run();
    ASSERT_EQ(line.received.done.size(), 1u);
    // Packet k goes to the port when the limit allows (the transport's bytes at 100 Gb/s after
    // the one before); the last is in after its own serialisation at line rate and the cable.
    Time handed;
    for (uint32_t k = 0; k + 1 < m.Packets(); ++k)
    {
        handed += limit.CalculateBytesTxTime(m.TransportBytes(k));
    }
    const Time lastIn = handed + NDR.CalculateBytesTxTime(m.WireBytes(m.Packets() - 1)) + delay;
    EXPECT_EQ(line.received.done[0].end, lastIn);
}

TEST_F(RdmaTransportTest, TwoQueuePairsShareOnePortEvenly)
{
    // Two QPs on host A's port, to the same peer or to two peers: round robin per packet.
    for (bool samePeer : {true, false})
    {
        NodeContainer hosts;
        hosts.Create(3);
        NodeContainer sw;
        sw.Create(1);
        IbHelper ib;
        ib.InstallSwitch(sw);
        for (uint32_t h = 0; h < 3; ++h)
        {
            ib.Install(hosts.Get(h), sw.Get(0));
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(hosts, sw));
        RdmaHelper rdma;
        auto one = rdma.Connect(hosts.Get(0), hosts.Get(1));
        auto two = rdma.Connect(hosts.Get(0), hosts.Get(samePeer ? 1 : 2));
        const uint64_t bytes = 8 << 20;
        one.first->PostWrite(bytes);
        two.first->PostWrite(bytes);
        // Bytes each responder has when the first of the two messages completes.
        FirstDone first{one.second, two.second};
        one.second->TraceConnectWithoutContext("MessageReceived",
                                               MakeCallback(&FirstDone::On, &first));
        two.second->TraceConnectWithoutContext("MessageReceived",
                                               MakeCallback(&FirstDone::On, &first));
        Log done1;
        Log done2;
        one.second->SetReceiveCompletionCallback(MakeCallback(&Log::On, &done1));
        two.second->SetReceiveCompletionCallback(MakeCallback(&Log::On, &done2));
        Simulator::Run();
        ASSERT_EQ(done1.done.size(), 1u);
        ASSERT_EQ(done2.done.size(), 1u);
        ASSERT_TRUE(first.done);
        const double share = double(first.x) / double(first.x + first.y);
        EXPECT_NEAR(share, 0.5, 0.005) << (samePeer ? "same peer" : "two peers");
        const double t1 = done1.done[0].end.GetSeconds();
        const double t2 = done2.done[0].end.GetSeconds();
        EXPECT_NEAR(t1 / t2, 1.0, 0.01) << (samePeer ? "same peer" : "two peers");
        // Together they fill the port: 2 x 8 MiB at MTU/(MTU+26) of the line rate.
        const Message m{bytes, 4096, true};
        const Time both = m.Serialisation(NDR) * 2;
        EXPECT_NEAR(std::max(t1, t2) / both.GetSeconds(), 1.0, 0.01);
        Simulator::Destroy();
    }
}

TEST_F(RdmaTransportTest, IncastEndsWhenBottleneckHasCarriedEverything)
{
    // Eight senders each write four messages to one receiver through one switch. The switch
    // port toward the receiver is the bottleneck: busy from its first packet (one cable and the
    // switch latency after time 0) to the last, so the last message is in when that port has
    // serialised every packet, plus the last cable. The FCPs the port returns for the
    // receiver's ACKs share its wire: at most one 6-byte FCP per ACK.
    const uint32_t senders = 8;
    const uint32_t messages = 4;
    const Message m{256 * 1024 + 1000, 4096, true};
    NodeContainer hosts;
    hosts.Create(senders + 1);
    NodeContainer sw;
    sw.Create(1);
    IbHelper ib;
    ib.InstallSwitch(sw);
    Ptr<IbNetDevice> bottleneck;
    for (uint32_t h = 0; h <= senders; ++h)
    {
        NetDeviceContainer link = ib.Install(hosts.Get(h), sw.Get(0));
        bottleneck = DynamicCast<IbNetDevice>(link.Get(1));
    }
    IbSubnetManager sm;
    sm.Run(NodeContainer(hosts, sw));
    RdmaHelper rdma;
    std::vector<std::pair<Ptr<RdmaQueuePair>, Ptr<RdmaQueuePair>>> qps;
    Log received;
    Log sent;
    for (uint32_t s = 0; s < senders; ++s)
    {
        qps.push_back(rdma.Connect(hosts.Get(s), hosts.Get(senders)));
        qps.back().second->SetReceiveCompletionCallback(MakeCallback(&Log::On, &received));
        qps.back().first->SetSendCompletionCallback(MakeCallback(&Log::On, &sent));
        for (uint32_t k = 0; k < messages; ++k)
        {
            qps.back().first->PostWrite(m.bytes);
        }
    }
    Simulator::Run();
    ASSERT_EQ(received.done.size(), senders * messages);
    ASSERT_EQ(sent.done.size(), senders * messages);
    const Time delay = NanoSeconds(100);   // IbChannel default
    const Time latency = NanoSeconds(330); // IbSwitch default
    Time lastIn;
    for (const auto& c : received.done)
    {
        lastIn = std::max(lastIn, c.end);
    }
    const Time closed = delay + latency + m.Serialisation(NDR) * (senders * messages) + delay;
    uint64_t acks = 0;
    for (const auto& [a, b] : qps)
    {
        acks += b->GetAcksSent();
        EXPECT_EQ(a->GetPacketsRetransmitted(), 0u);
        EXPECT_EQ(b->GetBytesReceived(), messages * m.bytes);
    }
    EXPECT_GE(lastIn, closed);
    EXPECT_LE(lastIn, closed + NDR.CalculateBytesTxTime(FCP_BYTES) * acks)
        << "late by " << (lastIn - closed).As(Time::NS);
    // The bottleneck carried every byte of every packet, headers and trailers included.
    uint64_t wire = 0;
    for (uint32_t k = 0; k < m.Packets(); ++k)
    {
        wire += m.WireBytes(k);
    }
    EXPECT_EQ(bottleneck->GetTxBytes(), wire * senders * messages);
    EXPECT_EQ(bottleneck->GetTxPackets(), uint64_t{m.Packets()} * senders * messages);
    RecordProperty("incast_late_ps", std::to_string((lastIn - closed).GetPicoSeconds()));
}

TEST_F(RdmaTransportTest, WireFormatOpcodesPsnWrapAckReqRethImmediate)
{
    // A 300-packet RDMA WRITE with immediate whose PSNs wrap past 0xFFFFFF, then a one-packet
    // SEND of 5 bytes; read every packet at the responder's port, framing removed.
    const uint32_t initial = 0xFFFFFF - 99;
    Line line(0, true, NanoSeconds(100), Time(), [&](RdmaHelper& rdma) {
        rdma.SetQueuePairAttribute("InitialPsn", UintegerValue(initial));
        rdma.SetQueuePairAttribute("InflightWindow", UintegerValue(0));
    });
    std::vector<RdmaTransportHeader> data;
    std::vector<uint32_t> sizes;
    line.b->TraceConnectWithoutContext("MacRx",
                                       MakeCallback(+[](std::vector<RdmaTransportHeader>* d,
                                                        std::vector<uint32_t>* s,
                                                        Ptr<const Packet> p) {
                                           RdmaTransportHeader h;
                                           p->PeekHeader(h);
                                           d->push_back(h);
                                           s->push_back(p->GetSize());
                                       }).Bind(&data, &sizes));
    std::vector<RdmaTransportHeader> acks;
    line.a->TraceConnectWithoutContext(
        "MacRx",
        MakeCallback(+[](std::vector<RdmaTransportHeader>* d, Ptr<const Packet> p) {
            RdmaTransportHeader h;
            p->PeekHeader(h);
            d->push_back(h);
        }).Bind(&acks));
    RdmaWorkRequest wr;
    wr.bytes = 299 * 4096 + 1;
    wr.withImmediate = true;
    wr.immediate = 0xDEADBEEF;
    wr.remoteAddress = 0x1000;
    wr.rkey = 7;
    line.qa->Post(wr);
    line.qa->PostSend(5);
    Simulator::Run();
    ASSERT_EQ(data.size(), 301u);
    for (uint32_t k = 0; k < 301; ++k)
    {
        const IbBthHeader& bth = data[k].GetBth();
        EXPECT_EQ(bth.GetPsn(), (initial + k) & 0xFFFFFF) << k;
        EXPECT_EQ(bth.GetDestQp(), line.qb->GetQpn());
        uint8_t opcode = static_cast<uint8_t>(IbOpcode::RC_RDMA_WRITE_MIDDLE);
        if (k == 0)
        {
            opcode = static_cast<uint8_t>(IbOpcode::RC_RDMA_WRITE_FIRST);
        }
        else if (k == 299)
        {
            opcode = static_cast<uint8_t>(IbOpcode::RC_RDMA_WRITE_LAST_WITH_IMMEDIATE);
        }
        else if (k == 300)
        {
            opcode = static_cast<uint8_t>(IbOpcode::RC_SEND_ONLY);
        }
        EXPECT_EQ(bth.GetOpcode(), opcode) << k;
        // AckReq on every 64th packet and on each message's last.
        EXPECT_EQ(bth.GetAckReq(), (k + 1) % 64 == 0 || k == 299 || k == 300) << k;
    }
    EXPECT_EQ(data[0].GetReth().GetDmaLength(), wr.bytes);
    EXPECT_EQ(data[0].GetReth().GetVirtualAddress(), 0x1000u);
    EXPECT_EQ(data[0].GetReth().GetRKey(), 7u);
    EXPECT_EQ(sizes[0], 12u + 16u + 4096u);
    EXPECT_EQ(data[299].GetImmediate(), 0xDEADBEEFu);
    EXPECT_EQ(data[299].GetBth().GetPadCnt(), 3u); // 1 byte of payload
    EXPECT_EQ(sizes[299], 12u + 4u + 1u + 3u);
    EXPECT_EQ(data[300].GetBth().GetPadCnt(), 3u); // 5 bytes
    EXPECT_EQ(sizes[300], 12u + 8u);
    // ACKs: one per AckReq (the reverse wire is idle, nothing to coalesce), each naming the
    // PSN of the packet that asked and the messages completed so far.
    ASSERT_EQ(acks.size(), 6u);
    const std::vector<uint32_t> ackedIndex{63, 127, 191, 255, 299, 300};
    for (size_t i = 0; i < acks.size(); ++i)
    {
        EXPECT_EQ(acks[i].GetBth().GetOpcode(), static_cast<uint8_t>(IbOpcode::RC_ACKNOWLEDGE));
        EXPECT_TRUE(acks[i].GetAeth().IsAck());
        EXPECT_EQ(acks[i].GetBth().GetPsn(), (initial + ackedIndex[i]) & 0xFFFFFF) << i;
        EXPECT_EQ(acks[i].GetAeth().GetMsn(), i < 4 ? 0u : i - 3) << i;
        EXPECT_EQ(acks[i].GetBth().GetDestQp(), line.qa->GetQpn());
    }
    ASSERT_EQ(line.received.done.size(), 2u);
    EXPECT_EQ(line.received.done[0].sequence, 0u);
    EXPECT_EQ(line.received.done[1].sequence, 1u);
    EXPECT_EQ(line.received.done[1].operation, RdmaOperation::SEND);
    EXPECT_EQ(line.received.done[1].bytes, 5u);
}

TEST_F(RdmaTransportTest, TracesReportPostFirstPacketCompletionAndBytes)
{
    Line line(1, true, NanoSeconds(100), NanoSeconds(330));
    std::vector<uint64_t> posted;
    std::vector<Time> waited;
    std::vector<Time> latency;
    std::vector<Time> rxLatency;
    uint64_t txBytes = 0;
    uint64_t rxBytes = 0;
    line.qa->TraceConnectWithoutContext(
        "MessagePosted",
        MakeCallback(+[](std::vector<uint64_t>* v, uint64_t seq, uint64_t bytes) {
            v->push_back(bytes);
        }).Bind(&posted));
    line.qa->TraceConnectWithoutContext(
        "FirstPacketSent",
        MakeCallback(+[](std::vector<Time>* v, uint64_t seq, Time w) {
            v->push_back(w);
        }).Bind(&waited));
    line.qa->TraceConnectWithoutContext(
        "MessageCompleted",
        MakeCallback(+[](std::vector<Time>* v, uint64_t seq, uint64_t bytes, Time l) {
            v->push_back(l);
        }).Bind(&latency));
    line.qb->TraceConnectWithoutContext(
        "MessageReceived",
        MakeCallback(+[](std::vector<Time>* v, uint64_t seq, uint64_t bytes, Time l) {
            v->push_back(l);
        }).Bind(&rxLatency));
    line.qa->TraceConnectWithoutContext(
        "TxBytes",
        MakeCallback(+[](uint64_t* v, uint64_t, uint64_t now) { *v = now; }).Bind(&txBytes));
    line.qb->TraceConnectWithoutContext(
        "RxBytes",
        MakeCallback(+[](uint64_t* v, uint64_t, uint64_t now) { *v = now; }).Bind(&rxBytes));
    line.qa->PostWrite(100000);
    line.qa->PostSend(50000);
    Simulator::Run();
    EXPECT_EQ(posted, (std::vector<uint64_t>{100000, 50000}));
    ASSERT_EQ(waited.size(), 2u);
    EXPECT_EQ(waited[0], Time()); // the port was idle
    const Message first{100000, 4096, true};
    // The second message's first packet follows the first's 25 packets into the port's
    // 16-packet transmit queue: it goes in once some of them have left.
    EXPECT_GT(waited[1], Time());
    EXPECT_LT(waited[1], first.Serialisation(NDR));
    ASSERT_EQ(latency.size(), 2u);
    EXPECT_EQ(latency[0], line.sent.done[0].end - line.sent.done[0].start);
    ASSERT_EQ(rxLatency.size(), 2u);
    EXPECT_EQ(rxLatency[0], line.received.done[0].end - line.received.done[0].start);
    EXPECT_EQ(txBytes, 150000u);
    EXPECT_EQ(rxBytes, 150000u);
    EXPECT_EQ(line.qa->GetBytesCompleted(), 150000u);
    EXPECT_EQ(line.qa->GetMessagesCompleted(), 2u);
    EXPECT_EQ(line.qb->GetMessagesReceived(), 2u);
}

TEST_F(RdmaTransportTest, BidirectionalTrafficOnOneQueuePair)
{
    // Each end is requester for its own work and responder for the other's; ACKs share the
    // wire with data and are coalesced when they wait.
    Line line(1, true, NanoSeconds(100), NanoSeconds(330));
    Log sentB;
    Log receivedA;
    line.qb->SetSendCompletionCallback(MakeCallback(&Log::On, &sentB));
    line.qa->SetReceiveCompletionCallback(MakeCallback(&Log::On, &receivedA));
    for (int i = 0; i < 20; ++i)
    {
        line.qa->PostWrite(300000 + i);
        line.qb->PostSend(200000 + 7 * i);
    }
    Simulator::Run();
    ASSERT_EQ(line.sent.done.size(), 20u);
    ASSERT_EQ(sentB.done.size(), 20u);
    ASSERT_EQ(line.received.done.size(), 20u);
    ASSERT_EQ(receivedA.done.size(), 20u);
    for (uint64_t i = 0; i < 20; ++i)
    {
        EXPECT_EQ(line.received.done[i].sequence, i);
        EXPECT_EQ(line.received.done[i].bytes, 300000 + i);
        EXPECT_EQ(receivedA.done[i].bytes, 200000 + 7 * i);
    }
    EXPECT_EQ(line.qa->GetPacketsRetransmitted() + line.qb->GetPacketsRetransmitted(), 0u);
}

namespace
{

/**
 * \brief Run something that must throw a FabricConfigError whose message holds a fragment.
 * \param action what to run
 * \param fragment a substring the message must contain
 * \return success, or failure saying what happened instead
 */
::testing::AssertionResult
Throws(const std::function<void()>& action, const std::string& fragment)
{
    try
    {
        action();
    }
    catch (const FabricConfigError& e)
    {
        if (std::string(e.what()).find(fragment) == std::string::npos)
        {
            return ::testing::AssertionFailure()
                   << "message \"" << e.what() << "\" lacks \"" << fragment << "\"";
        }
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "no FabricConfigError";
}

} // namespace

TEST_F(RdmaTransportTest, ConfigurationErrorsNameWhatIsWrong)
{
    NodeContainer hosts;
    hosts.Create(3);
    NodeContainer sw;
    sw.Create(1);
    IbHelper ib;
    ib.InstallSwitch(sw);
    for (uint32_t h = 0; h < 2; ++h)
    {
        ib.Install(hosts.Get(h), sw.Get(0));
    }
    RdmaHelper rdma;
    // Before the subnet manager: every port has LID 0.
    EXPECT_TRUE(Throws([&] { rdma.Connect(hosts.Get(0), hosts.Get(1)); }, "same address"));
    NodeContainer endpoints;
    endpoints.Add(hosts.Get(0));
    endpoints.Add(hosts.Get(1));
    IbSubnetManager sm;
    sm.Run(NodeContainer(endpoints, sw));
    EXPECT_TRUE(Throws([&] { rdma.Install(sw.Get(0)); }, "switch"));
    EXPECT_TRUE(Throws([&] { rdma.Install(hosts.Get(2)); }, "no fabric port"));
    EXPECT_TRUE(Throws([&] { rdma.Connect(hosts.Get(0), hosts.Get(0)); }, "itself"));
    Ptr<RdmaEngine> engine = rdma.Install(hosts.Get(0));
    Ptr<RdmaQueuePair> lone = engine->CreateQueuePair();
    EXPECT_TRUE(Throws([&] { lone->PostWrite(10); }, "not connected"));
    EXPECT_TRUE(Throws([&] { engine->GetQueuePair(99); }, "no queue pair 99"));
    EXPECT_TRUE(Throws([&] { engine->CreateQueuePair(3); }, "no port 3"));
    EXPECT_TRUE(Throws([&] { lone->Connect(5, 1, 0); }, "QPs 0 and 1 are reserved"));
    EXPECT_TRUE(Throws([&] { lone->Connect(5, 2, 0, 8192); }, "path MTU 8192"));
    // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
    Ptr<RdmaQueuePair> a = rdma.Connect(hosts.Get(0), hosts.Get(1)).first;
    EXPECT_TRUE(Throws([&] { a->PostWrite((uint64_t{1} << 31) + 1); }, "2^31"));
    EXPECT_TRUE(Throws([&] { a->Connect(5, 2, 0); }, "already connected"));
    Ptr<RdmaQueuePair> orphan = CreateObject<RdmaQueuePair>();
    EXPECT_TRUE(Throws([&] { orphan->PostWrite(1); }, "no RdmaEngine"));
    EXPECT_TRUE(Throws([&] { engine->AddQueuePair(a); }, "already on an engine"));
    // A packet for a QP the engine does not have: a wiring mistake, named.
    Ptr<RdmaEngine> engineB = hosts.Get(1)->GetObject<RdmaEngine>();
    Ptr<RdmaQueuePair> wrong = engineB->CreateQueuePair();
    wrong->Connect(a->GetDevice()->GetLocalAddress(), 40, 0);
    wrong->PostWrite(100);
    EXPECT_TRUE(Throws([&] { Simulator::Run(); }, "queue pair 40, which does not exist"));
}
