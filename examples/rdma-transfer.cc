/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * RDMA transfers between two hosts through a chain of InfiniBand switches, against their
 * closed form.
 *
 *   host A --- switch 1 --- ... --- switch H --- host B
 *
 * Host A has --qps reliable-connected queue pairs to host B; each posts one message of --size
 * bytes (RDMA WRITE or SEND) at time 0. The engine interleaves the QPs packet by packet on A's
 * port, every packet crosses the chain, B acknowledges. The closed form: packets leave A back
 * to back, each of MTU payload plus 26 bytes of headers (LRH 8, BTH 12, ICRC 4, VCRC 2; a RETH
 * of 16 more on a WRITE's first packet; the payload padded to 4 bytes), and cross each
 * cut-through switch after its latency and each cable after its delay; the last ACK (30 bytes)
 * comes back the same way, behind the 6-byte flow-control packet that returns the last
 * packet's credits. Mid-transfer ACKs make A's port return credits on the data wire (6 bytes
 * each): the only difference from the closed form, a few hundred picoseconds.
 *
 * Prints the completion time, the goodput and the closed-form expectation side by side.
 * Try: --size=16777216 --qps=4 --hops=3 --mtu=2048 --op=send
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("RdmaTransfer");

int
main(int argc, char* argv[])
{
    // Picosecond resolution: an NDR byte lasts 20 ps.
    Time::SetResolution(Time::PS);

    uint64_t size = 1 << 20;
    uint32_t qps = 1;
    uint32_t hops = 1;
    uint32_t mtu = 4096;
    std::string op = "write";
    std::string speed = "NDR";

    CommandLine cmd(__FILE__);
    cmd.AddValue("size", "Bytes per message (0 to 2^31)", size);
    cmd.AddValue("qps", "Queue pairs from A to B, one message each", qps);
    cmd.AddValue("hops", "Switches between A and B (0: one cable)", hops);
    cmd.AddValue("mtu", "Path MTU in bytes: 256, 512, 1024, 2048, 4096", mtu);
    cmd.AddValue("op", "Operation: write (RDMA WRITE) or send (SEND)", op);
    cmd.AddValue("speed", "InfiniBand generation: SDR ... NDR, XDR (4x links)", speed);
    cmd.Parse(argc, argv);

    try
    {
        if (op != "write" && op != "send")
        {
            throw FabricConfigError("--op", "is \"" + op + "\"; use write or send");
        }
        if (qps == 0)
        {
            throw FabricConfigError("--qps", "needs at least one queue pair");
        }
        const bool write = op == "write";

        NodeContainer hosts;
        hosts.Create(2);
        NodeContainer switches;
        switches.Create(hops);
        IbHelper ib;
        ib.SetDeviceAttribute("LinkSpeed", StringValue(speed));
        ib.SetDeviceAttribute("Mtu", UintegerValue(mtu));
        ib.InstallSwitch(switches);
        std::vector<Ptr<Node>> chain{hosts.Get(0)};
        for (uint32_t i = 0; i < hops; ++i)
        {
            chain.push_back(switches.Get(i));
        }
        chain.push_back(hosts.Get(1));
        Ptr<IbNetDevice> portA;
        Time delay;
        for (size_t i = 0; i + 1 < chain.size(); ++i)
        {
            NetDeviceContainer link = ib.Install(chain[i], chain[i + 1]);
            if (i == 0)
            {
                portA = DynamicCast<IbNetDevice>(link.Get(0));
                delay = DynamicCast<FabricChannel>(portA->GetChannel())->GetDelay();
            }
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(hosts, switches));

        // The queue pairs: the helper finds the ports and their LIDs.
        RdmaHelper rdma;
        std::vector<std::pair<Ptr<RdmaQueuePair>, Ptr<RdmaQueuePair>>> pairs;
        Time lastIn;
        Time lastAcked;
        for (uint32_t q = 0; q < qps; ++q)
        {
            pairs.push_back(rdma.Connect(hosts.Get(0), hosts.Get(1)));
            pairs.back().first->SetSendCompletionCallback(
                MakeCallback(+[](Time* t, Ptr<RdmaQueuePair>, const RdmaCompletion& c) {
                    *t = std::max(*t, c.end);
                }).Bind(&lastAcked));
            pairs.back().second->SetReceiveCompletionCallback(
                MakeCallback(+[](Time* t, Ptr<RdmaQueuePair>, const RdmaCompletion& c) {
                    *t = std::max(*t, c.end);
                }).Bind(&lastIn));
            if (write)
            {
                pairs.back().first->PostWrite(size);
            }
            else
            {
                pairs.back().first->PostSend(size);
            }
        }

        Simulator::Run();

        // The closed form, from the rate, the header bytes, the cables and the switches.
        const DataRate rate = portA->GetDataRate();
        const uint32_t pathMtu = pairs[0].first->GetPathMtu();
        const uint64_t packets = std::max<uint64_t>(1, (size + pathMtu - 1) / pathMtu);
        const uint32_t link = IbLrhHeader::SIZE + IbCrcTrailer::ICRC_SIZE + IbCrcTrailer::VCRC_SIZE;
        Time serialisation;
        uint64_t wireBytes = 0;
        for (uint64_t k = 0; k < packets; ++k)
        {
            const uint64_t payload = std::min<uint64_t>(pathMtu, size - k * pathMtu);
            const auto bytes = static_cast<uint32_t>(link + IbBthHeader::SIZE +
                                                     (write && k == 0 ? IbRethHeader::SIZE : 0) +
                                                     (payload + 3) / 4 * 4);
            serialisation += rate.CalculateBytesTxTime(bytes);
            wireBytes += bytes;
        }
        serialisation = serialisation * qps;
        const Time latency =
            hops > 0 ? switches.Get(0)->GetObject<FabricSwitch>()->GetLatency() : Time();
        const Time path = delay * (hops + 1) + latency * hops;
        const Time closedIn = serialisation + path;
        const Time closedAcked =
            closedIn + rate.CalculateBytesTxTime(6) + rate.CalculateBytesTxTime(30) + path;
        const double bytes = double(size) * qps;
        const double goodput = lastIn.IsStrictlyPositive() ? bytes * 8 / lastIn.GetSeconds() : 0;
        const double closedGoodput = bytes * 8 / closedIn.GetSeconds();
        const double asymptote = rate.GetBitRate() * double(pathMtu) / (pathMtu + 26);

        uint64_t acks = 0;
        uint64_t completed = 0;
        for (const auto& [a, b] : pairs)
        {
            acks += b->GetAcksSent();
            completed += a->GetMessagesCompleted();
        }
        fmt::print("rdma-transfer: {} x {} B RDMA {} from A to B over {} switch(es), {} 4x "
                   "({:.2f} Gb/s), path MTU {}, cables {:.0f} ns, switch latency {:.0f} ns\n",
                   qps,
                   size,
                   write ? "WRITE" : "SEND",
                   hops,
                   speed,
                   rate.GetBitRate() / 1e9,
                   pathMtu,
                   delay.GetSeconds() * 1e9,
                   latency.GetSeconds() * 1e9);
        fmt::print("  packets per message {}, {} B on the wire per message, {} ACKs, {} of {} "
                   "messages completed\n",
                   packets,
                   wireBytes,
                   acks,
                   completed,
                   qps);
        fmt::print("{:<36} {:>16} {:>16} {:>12}\n", "", "simulated", "closed form", "diff (ns)");
        fmt::print("{:<36} {:>16.6f} {:>16.6f} {:>12.3f}\n",
                   "last message in at B (us)",
                   lastIn.GetSeconds() * 1e6,
                   closedIn.GetSeconds() * 1e6,
                   (lastIn - closedIn).GetSeconds() * 1e9);
        fmt::print("{:<36} {:>16.6f} {:>16.6f} {:>12.3f}\n",
                   "last completion at A (us)",
                   lastAcked.GetSeconds() * 1e6,
                   closedAcked.GetSeconds() * 1e6,
                   (lastAcked - closedAcked).GetSeconds() * 1e9);
        fmt::print("{:<36} {:>16.3f} {:>16.3f}\n",
                   "goodput to the last arrival (Gb/s)",
                   goodput / 1e9,
                   closedGoodput / 1e9);
        fmt::print("{:<36} {:>16} {:>16.3f}\n",
                   "line rate x MTU/(MTU+26) (Gb/s)",
                   "",
                   asymptote / 1e9);
        const Time fcp = rate.CalculateBytesTxTime(6);
        const Time late = lastIn - closedIn;
        if (late.IsStrictlyPositive())
        {
            fmt::print(
                "  the difference is {:.2f} x {:.0f} ps: the 6-byte flow-control packets A's "
                "port returns for ACKs that arrive mid-transfer, each ahead of the next "
                "data packet\n",
                late.GetSeconds() / fcp.GetSeconds(),
                fcp.GetSeconds() * 1e12);
        }
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "rdma-transfer: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
