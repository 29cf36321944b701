/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Cost of in-network reduction at packet level, against the ring in the same run:
 * 1. one DGX H100 board (8 GPUs, 4 NVSwitch chips): all-reduce by NVLS and by ring;
 * 2. 8 single-GPU servers with one NDR HCA each on a radix-8 two-level fat-tree (the network
 *    is the bottleneck): all-reduce by SHARP (CollNetDirect) and by ring.
 *
 * For each run it prints the simulated time and busbw (packet and analytical), the wall time
 * of Simulator::Run(), the simulator events, the packet-hops (every port's transmitted
 * packets; those through the engines' internal ports apart), and per reduced MiB the events,
 * packet-hops and wall time, then the wall time per packet-hop of the in-network run over the
 * ring's: what an aggregating switch costs per packet against a forwarding one.
 *
 * Figures that do not move between runs come from callgrind on one case:
 *   valgrind --tool=callgrind --toggle-collect='ns3::Simulator::Run()' innet-bench --only=nvls
 *
 *   innet-bench
 *   innet-bench --bytes=256M --only=sharp
 */

#include "bench-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <iostream>

using namespace ns3;

namespace
{

/// What one run cost.
struct Cost
{
    CollectiveReport report; //!< the collective
    double wall{0};          //!< Simulator::Run(), s
    uint64_t events{0};      //!< events executed
    uint64_t hops{0};        //!< packet-hops, all ports
    uint64_t engineHops{0};  //!< of which through in-network engines' internal ports
};

/// One DGX H100 board, no HCAs.
Ptr<FabricTopology>
Board()
{
    TopologyHelper helper;
    NodeKindSpec kind;
    kind.name = "dgx";
    kind.gpuModel = "H100";
    kind.board = "H100";
    kind.hcas = 0;
    helper.AddNodeKind(kind);
    helper.AddNodes("dgx", 1);
    return helper.Build();
}

/// 8 single-GPU servers, one NDR HCA each, radix-8 fat-tree.
Ptr<FabricTopology>
FatTree()
{
    TopologyHelper helper;
    NodeKindSpec kind;
    kind.name = "host";
    kind.gpuModel = "H100";
    kind.gpus = 1;
    kind.hcas = 1;
    helper.AddNodeKind(kind);
    helper.AddNodes("host", 8);
    FatTreeSpec ft;
    ft.present = true;
    ft.radix = 8;
    ft.railOptimized = false;
    helper.SetFatTree(ft);
    return helper.Build();
}

Cost
Run(Ptr<FabricTopology> topology, const std::string& algorithm, uint64_t bytes)
{
    std::vector<uint32_t> ranks;
    for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
    {
        ranks.push_back(r);
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue(algorithm));
    comm->SetAttribute("Protocol", StringValue("Simple"));
    comm->SetAttribute("CollNet", BooleanValue(true));
    comm->Setup(topology, ranks);
    Cost cost;
    comm->AllReduce(bytes, MakeCallback(+[](CollectiveReport* out, const CollectiveReport& r) {
                               *out = r;
                           }).Bind(&cost.report));
    const uint64_t events0 = Simulator::GetEventCount();
    const double t0 = WallClockSeconds();
    Simulator::Run();
    cost.wall = WallClockSeconds() - t0;
    cost.events = Simulator::GetEventCount() - events0;
    if (!cost.report.packetTime.IsStrictlyPositive())
    {
        throw FabricConfigError("innet-bench", algorithm + " did not complete");
    }
    for (uint32_t i = 0; i < NodeList::GetNNodes(); ++i)
    {
        Ptr<Node> node = NodeList::GetNode(i);
        Ptr<InNetworkEngine> engine = node->GetObject<NvlsEngine>();
        if (!engine)
        {
            engine = node->GetObject<SharpAggregationNode>();
        }
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(d));
            if (!port)
            {
                continue;
            }
            cost.hops += port->GetTxPackets();
            if (engine && (port == engine->GetDevice() ||
                           port == engine->GetSwitch()->GetPort(engine->GetInternalPort())))
            {
                cost.engineHops += port->GetTxPackets();
            }
        }
    }
    Simulator::Destroy();
    return cost;
}

void
Print(const std::string& name, const Cost& c, uint64_t bytes)
{
    const double mib = bytes / 1048576.0;
    fmt::print("  {:<16} {:>10.1f} {:>8.1f} {:>10.1f} {:>8.1f} | {:>8.2f} {:>11} {:>11} {:>9} | "
               "{:>9.0f} {:>8.0f} {:>8.1f}\n",
               name,
               c.report.packetTime.GetSeconds() * 1e6,
               c.report.PacketBusBandwidth() / 1e9,
               c.report.analyticalTime.GetSeconds() * 1e6,
               c.report.AnalyticalBusBandwidth() / 1e9,
               c.wall,
               c.events,
               c.hops,
               c.engineHops,
               c.events / mib,
               c.hops / mib,
               c.wall * 1e3 / mib);
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS);
    std::string bytesText = "64M";
    std::string only;
    CommandLine cmd(__FILE__);
    cmd.AddValue("bytes", "All-reduce size, e.g. 64M", bytesText);
    cmd.AddValue("only", "Run one case: nvls, nvls-ring, sharp or sharp-ring", only);
    cmd.Parse(argc, argv);
    try
    {
        const uint64_t bytes = ParseByteSize(bytesText, "--bytes");
        fmt::print("innet-bench: all-reduce of {} B, Simple, NCCL's default channels\n", bytes);
        fmt::print("# {:<16} {:>10} {:>8} {:>10} {:>8} | {:>8} {:>11} {:>11} {:>9} | {:>9} {:>8} "
                   "{:>8}\n",
                   "run",
                   "packet us",
                   "busbw",
                   "model us",
                   "busbw",
                   "wall s",
                   "events",
                   "hops",
                   "in engine",
                   "events/MiB",
                   "hops/MiB",
                   "ms/MiB");

        struct Case
        {
            const char* name;
            bool board;
            const char* algorithm;
        };

        const Case cases[] = {{"nvls", true, "nvls"},
                              {"nvls-ring", true, "ring"},
                              {"sharp", false, "collnet-direct"},
                              {"sharp-ring", false, "ring"}};
        Cost costs[4];
        for (int i = 0; i < 4; ++i)
        {
            if (!only.empty() && only != cases[i].name)
            {
                continue;
            }
            costs[i] = Run(cases[i].board ? Board() : FatTree(), cases[i].algorithm, bytes);
            Print(cases[i].name, costs[i], bytes);
        }
        for (int i : {0, 2})
        {
            if (costs[i].hops > 0 && costs[i + 1].hops > 0)
            {
                const double inNetwork = costs[i].wall / costs[i].hops;
                const double ring = costs[i + 1].wall / costs[i + 1].hops;
                fmt::print("# {}: wall per packet-hop {:.0f} ns against the ring's {:.0f} ns "
                           "({:.2f}x); events per hop {:.2f} against {:.2f}\n",
                           cases[i].name,
                           inNetwork * 1e9,
                           ring * 1e9,
                           inNetwork / ring,
                           double(costs[i].events) / costs[i].hops,
                           double(costs[i + 1].events) / costs[i + 1].hops);
            }
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "innet-bench: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
