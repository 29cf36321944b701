/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * An N-to-1 incast through one InfiniBand switch.
 *
 * N senders and one receiver hang off one switch. Every sender writes the same volume to the
 * receiver at once, so the switch port toward the receiver is the bottleneck: credit-based flow
 * control holds the excess in the senders (credit stalls) instead of dropping it, and the
 * bottleneck's bandwidth is shared among the senders.
 *
 *   sender 0 --\
 *   sender 1 ---+-- switch --- receiver
 *   ...      --/
 *
 * Prints per-flow throughput, each sender's credit-stall time and the bottleneck's utilisation.
 * Try: --senders=8 --size=4194304 --speed=HDR --vls=2 --pcap
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IbIncast");

int
main(int argc, char* argv[])
{
    // Picosecond resolution: an NDR byte lasts 20 ps, a nanosecond clock would round every
    // packet's serialisation time.
    Time::SetResolution(Time::PS);

    uint32_t senders = 8;
    uint64_t size = 4 << 20;
    uint32_t messages = 1;
    std::string speed = "NDR";
    uint32_t width = 4;
    uint32_t vls = 1;
    uint32_t mtu = 4096;
    uint32_t buffer = 65536;
    bool pcap = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("senders", "Number of senders", senders);
    cmd.AddValue("size", "Bytes per message", size);
    cmd.AddValue("messages", "Messages per sender", messages);
    cmd.AddValue("speed",
                 "InfiniBand generation: SDR, DDR, QDR, FDR10, FDR, EDR, HDR, NDR, XDR",
                 speed);
    cmd.AddValue("width", "Lanes per link: 1, 2, 4, 8, 12", width);
    cmd.AddValue("vls", "Data VLs per port; sender i uses SL (i mod vls)", vls);
    cmd.AddValue("mtu", "Path MTU in bytes: 256, 512, 1024, 2048, 4096", mtu);
    cmd.AddValue("buffer", "Input buffer per port and VL, bytes", buffer);
    cmd.AddValue("pcap", "Write ERF/InfiniBand pcap files (ib-incast-*.pcap)", pcap);
    cmd.Parse(argc, argv);

    try
    {
        NodeContainer hosts;
        hosts.Create(senders + 1);
        NodeContainer switches;
        switches.Create(1);

        IbHelper ib;
        ib.SetDeviceAttribute("LinkSpeed", StringValue(speed));
        ib.SetDeviceAttribute("LinkWidth", UintegerValue(width));
        ib.SetDeviceAttribute("NumDataVls", UintegerValue(vls));
        ib.SetDeviceAttribute("Mtu", UintegerValue(mtu));
        ib.SetDeviceAttribute("RxBufferSize", UintegerValue(buffer));
        ib.InstallSwitch(switches);

        std::vector<Ptr<IbNetDevice>> hostPorts;
        Ptr<IbNetDevice> bottleneck;
        for (uint32_t i = 0; i <= senders; ++i)
        {
            NetDeviceContainer link = ib.Install(hosts.Get(i), switches.Get(0));
            hostPorts.push_back(DynamicCast<IbNetDevice>(link.Get(0)));
            if (i == senders)
            {
                bottleneck = DynamicCast<IbNetDevice>(link.Get(1));
            }
        }
        IbSubnetManager sm;
        NodeContainer all(hosts, switches);
        sm.Run(all);

        Ptr<IbNetDevice> receiverPort = hostPorts[senders];
        Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
        hosts.Get(senders)->AddApplication(sink);
        std::vector<Ptr<FabricTrafficGenerator>> generators;
        for (uint32_t i = 0; i < senders; ++i)
        {
            Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
            gen->SetAttribute("DestinationLid", UintegerValue(receiverPort->GetLid()));
            gen->SetAttribute("MessageSize", UintegerValue(size));
            gen->SetAttribute("MessageCount", UintegerValue(messages));
            gen->SetAttribute("ServiceLevel", UintegerValue(i % vls));
            hosts.Get(i)->AddApplication(gen);
            generators.push_back(gen);
        }
        if (pcap)
        {
            ib.EnablePcap("ib-incast", receiverPort);
            ib.EnablePcap("ib-incast", hostPorts[0]);
        }

        // The bottleneck's busy period starts with its first packet.
        Time firstTx = Time::Max();
        bottleneck->TraceConnectWithoutContext("PhyTxBegin",
                                               MakeCallback(+[](Time* first, Ptr<const Packet>) {
                                                   *first = std::min(*first, Simulator::Now());
                                               }).Bind(&firstTx));

        Simulator::Run();

        const auto& flows = sink->GetFlows();
        fmt::print("ib-incast: {} senders -> 1 receiver, {} {}x ({:.2f} Gb/s), MTU {}, {} VL(s), "
                   "{} B x {} per sender\n",
                   senders,
                   speed,
                   width,
                   receiverPort->GetDataRate().GetBitRate() / 1e9,
                   mtu,
                   vls,
                   size,
                   messages);
        fmt::print("{:>6} {:>5} {:>14} {:>12} {:>10} {:>14}\n",
                   "sender",
                   "LID",
                   "payload B",
                   "done (us)",
                   "Gb/s",
                   "stall (us)");
        Time firstRx = Time::Max();
        Time lastRx;
        for (uint32_t i = 0; i < senders; ++i)
        {
            const uint16_t lid = hostPorts[i]->GetLid();
            auto it = flows.find(lid);
            const FabricTrafficSink::FlowStats stats =
                it == flows.end() ? FabricTrafficSink::FlowStats{} : it->second;
            firstRx = std::min(firstRx, stats.firstRx);
            lastRx = std::max(lastRx, stats.lastRx);
            // Throughput from time 0, when every sender starts.
            const double gbps = stats.lastRx.IsStrictlyPositive()
                                    ? stats.payloadBytes * 8.0 / stats.lastRx.GetSeconds() / 1e9
                                    : 0.0;
            Time stall;
            for (uint32_t vl = 0; vl < vls; ++vl)
            {
                stall += hostPorts[i]->GetCreditStallTime(vl);
            }
            fmt::print("{:>6} {:>5} {:>14} {:>12.3f} {:>10.2f} {:>14.3f}\n",
                       i,
                       lid,
                       stats.payloadBytes,
                       stats.lastRx.GetSeconds() * 1e6,
                       gbps,
                       stall.GetSeconds() * 1e6);
        }
        const Time span = lastRx - firstRx;
        const Time delay = DynamicCast<FabricChannel>(bottleneck->GetChannel())->GetDelay();
        const Time busyPeriod = lastRx - delay - firstTx;
        const double util = busyPeriod.IsStrictlyPositive()
                                ? bottleneck->GetTxBusyTime().GetSeconds() / busyPeriod.GetSeconds()
                                : 0.0;
        uint64_t drops = 0;
        for (const auto& port : hostPorts)
        {
            drops += port->GetRxDropCount();
        }
        fmt::print("bottleneck switch -> receiver: {} packets, {:.2f} Gb/s of payload between "
                   "first and last arrival, utilisation {:.3f}% over its {:.3f} us busy period\n",
                   bottleneck->GetTxPackets(),
                   span.IsStrictlyPositive()
                       ? sink->GetTotalPayloadBytes() * 8.0 / span.GetSeconds() / 1e9
                       : 0.0,
                   100.0 * util,
                   busyPeriod.GetSeconds() * 1e6);
        fmt::print("packets dropped: {}\n", drops);
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "ib-incast: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
