/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Cost of a packet-level collective at cluster scale: one all-reduce (ring, Simple protocol
 * by default) over every GPU of N DGX H100 nodes (8 H100 GPUs and 8 NDR HCAs each, NVLink
 * inside a node) on a 2-level rail-optimised NDR fat-tree of radix-64 switches.
 *
 * It prints the wall time of building the topology, of planning the collective and costing it
 * analytically (Communicator::Start), and of Simulator::Run(); the simulated collective time
 * beside the analytical (alpha-beta) time of the same schedule, with the busbw of both; the
 * packet-hops (the sum of every FabricNetDevice port's transmitted packets, NVLink and
 * InfiniBand, split by link category), packet-hops per wall second of Simulator::Run(), the
 * simulator events executed and the process's peak resident memory (getrusage high-water
 * mark).
 *
 * The hottest-port line names the analytical model's busiest port, which sets the pace.
 *
 * Cost on a 2-core machine (Release): the default, 64 GPUs (8 nodes) and 1 GiB, takes about
 * 90 s of Simulator::Run() (75 M packet-hops, 190 MiB peak); wall time grows linearly with the
 * bytes and faster than the nodes (the wall cost of a packet-hop rises from about 0.8 us at 2
 * nodes to 2.6 us at 32). 256 GPUs (--nodes=32) at 256 MiB take about 200 s; at 1 GiB they
 * take over 10 minutes.
 *
 *   collective-bench
 *   collective-bench --nodes=32 --bytes=256M
 *   collective-bench --bytes=64M --algo=tree --channels=4
 */

#include "bench-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <chrono>
#include <fmt/core.h>
#include <iostream>
#include <map>
#include <sys/resource.h>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("CollectiveBench");

namespace
{

/**
 * \param nodes DGX H100 nodes
 * \return the nodes on a 2-level rail-optimised NDR fat-tree of radix-64 switches
 */
Ptr<FabricTopology>
BuildTopology(uint32_t nodes)
{
    TopologyHelper helper;
    helper.SetName(fmt::format("{}x DGX H100, NDR rail-optimised fat-tree", nodes));
    NodeKindSpec dgx;
    dgx.name = "dgx-h100";
    dgx.gpuModel = "H100";
    dgx.board = "H100";
    dgx.gpus = 8;
    dgx.hcas = 8;
    helper.AddNodeKind(dgx);
    helper.AddNodes("dgx-h100", nodes);
    FatTreeSpec ft;
    ft.present = true;
    ft.levels = 2;
    ft.radix = 64;
    ft.railOptimized = true;
    ft.speed = "NDR";
    helper.SetFatTree(ft);
    return helper.Build();
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS); // an NDR byte lasts 20 ps
    uint32_t nodes = 8;
    std::string bytesText = "1G";
    std::string algo = "ring";
    uint32_t channels = 2;

    CommandLine cmd(__FILE__);
    cmd.AddValue("nodes", "DGX H100 nodes (8 GPUs and 8 NDR HCAs each)", nodes);
    cmd.AddValue("bytes", "All-reduce size (nccl-tests' S), e.g. 1G, 256M", bytesText);
    cmd.AddValue("algo", "ring, tree, halving-doubling, direct, hierarchical or auto", algo);
    cmd.AddValue("channels", "Channels of the collective", channels);
    bool planOnly = false;
    cmd.AddValue("plan-only",
                 "Stop after planning and the analytical model (no packet run)",
                 planOnly);
    cmd.Parse(argc, argv);

    try
    {
        const uint64_t bytes = ParseByteSize(bytesText, "--bytes");
        if (nodes < 1)
        {
            throw FabricConfigError("--nodes", "needs at least one node");
        }

        const double t0 = WallClockSeconds();
        Ptr<FabricTopology> topology = BuildTopology(nodes);
        const double t1 = WallClockSeconds();

        std::vector<uint32_t> ranks;
        for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
        {
            ranks.push_back(r);
        }
        Ptr<Communicator> comm = CreateObject<Communicator>();
        comm->SetAttribute("Algorithm", StringValue(algo));
        comm->SetAttribute("Protocol", StringValue("Simple"));
        comm->SetAttribute("Channels", UintegerValue(channels));
        comm->Setup(topology, ranks);

        CollectiveReport report;
        bool done = false;
        comm->Start(
            CollectiveOp::ALL_REDUCE,
            bytes,
            MakeCallback(+[](std::pair<CollectiveReport*, bool*> out, const CollectiveReport& r) {
                *out.first = r;
                *out.second = true;
            }).Bind(std::make_pair(&report, &done)));
        const double t2 = WallClockSeconds();
        if (planOnly)
        {
            fmt::print("collective-bench: {} GPUs, {} switches: topology build {:.3f} s, "
                       "plan + analytical {:.3f} s (wall), peak RSS {:.0f} MiB\n",
                       ranks.size(),
                       topology->GetSwitchNodes().GetN(),
                       t1 - t0,
                       t2 - t1,
                       PeakRssMiB());
            Simulator::Destroy();
            return 0;
        }
        Simulator::Run();
        const double t3 = WallClockSeconds();
        if (!done)
        {
            throw FabricConfigError("collective-bench",
                                    "the all-reduce did not complete (simulation ran dry at " +
                                        std::to_string(Simulator::Now().GetSeconds() * 1e6) +
                                        " us)");
        }
        const uint64_t events = Simulator::GetEventCount();
        const double peakMiB = PeakRssMiB();

        uint64_t hops = 0;
        std::map<std::string, uint64_t> hopsByCategory;
        for (const auto& link : topology->GetLinks())
        {
            const uint64_t n = link.a->GetTxPackets() + link.b->GetTxPackets();
            hopsByCategory[link.category] += n;
            hops += n;
        }
        uint64_t allPorts = 0; // every FabricNetDevice, to check that the links cover them all
        for (uint32_t i = 0; i < NodeList::GetNNodes(); ++i)
        {
            Ptr<Node> node = NodeList::GetNode(i);
            for (uint32_t d = 0; d < node->GetNDevices(); ++d)
            {
                if (Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(d)))
                {
                    allPorts += port->GetTxPackets();
                }
            }
        }
        if (allPorts != hops)
        {
            hopsByCategory["(ports on no link)"] += allPorts - hops;
            hops = allPorts;
        }

        const double runSeconds = t3 - t2;
        fmt::print("collective-bench: all-reduce of {} B ({:.0f} MiB), {} {} channel(s), "
                   "protocol {}, on {} GPUs of \"{}\" ({} switches)\n",
                   bytes,
                   bytes / 1048576.0,
                   report.algorithm,
                   channels,
                   CollectiveProtocolName(report.protocol),
                   ranks.size(),
                   topology->GetDescription().name,
                   topology->GetSwitchNodes().GetN());
        fmt::print("  topology build (wall)        {:.3f} s\n", t1 - t0);
        fmt::print("  plan + analytical (wall)     {:.3f} s\n", t2 - t1);
        fmt::print("  Simulator::Run() (wall)      {:.3f} s\n", runSeconds);
        fmt::print("  collective time, packets     {:.3f} us   busbw {:.2f} GB/s\n",
                   report.packetTime.GetSeconds() * 1e6,
                   report.PacketBusBandwidth() / 1e9);
        fmt::print("  collective time, analytical  {:.3f} us   busbw {:.2f} GB/s   "
                   "(packet / analytical {:.3f})\n",
                   report.analyticalTime.GetSeconds() * 1e6,
                   report.AnalyticalBusBandwidth() / 1e9,
                   report.packetTime.GetSeconds() / report.analyticalTime.GetSeconds());
        if (!report.analytical.hottest.empty())
        {
            const AnalyticalLinkLoad& hottest = report.analytical.hottest.front();
            fmt::print("  hottest port (analytical)    {}: {} B, {:.0f}% busy\n",
                       hottest.name,
                       hottest.bytes,
                       hottest.utilisation * 100);
        }
        fmt::print("  packet-hops (simulated)      {}\n", hops);
        for (const auto& [category, n] : hopsByCategory)
        {
            fmt::print("    {:<26} {}\n", category, n);
        }
        fmt::print("  packet-hops/s                {:.0f} ({:.1f} ns of wall per hop)\n",
                   hops / runSeconds,
                   runSeconds / hops * 1e9);
        fmt::print("  events executed              {} ({:.0f} per s, {:.2f} per hop)\n",
                   events,
                   events / runSeconds,
                   static_cast<double>(events) / hops);
        fmt::print("  peak memory (ru_maxrss)      {:.1f} MiB (process high-water mark)\n",
                   peakMiB);
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "collective-bench: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
