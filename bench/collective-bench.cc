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
 * --nvlink-unit=B makes each simulated NVLink transfer unit carry B data bytes (the NVLink ports'
 * Mtu; 4096 by default) instead of 4 KiB: a unit's wire bytes stay those of its 256 B NVLink
 * packets and their headers, so only the store-and-forward granularity coarsens. At 32 GPUs
 * and 1 GiB, 32768 cuts the NVLink packet-hops 7.5x and moves the collective time by 0.02 %
 * (doc/performance.md has the table).
 *
 * The events run on ns-3's PriorityQueueScheduler (a binary heap: the same order, and so the
 * same results, as ns-3's default MapScheduler, without an allocation per event);
 * --SchedulerType=ns3::MapScheduler gives the default back.
 *
 * --fabric=switch: --hosts hosts (one H100 and one NDR HCA each) on one 400 Gb/s InfiniBand
 * switch with 500 ns cables, the scenario a well-known ns-3 RDMA backend is usually measured on
 * (with 9000-byte packets, 2.2x fewer than IB's 4 KiB MTU makes). Measured interleaved with it on
 * the 2-core development machine: 9.1-9.3 s and 311 MiB for its 1 GiB ring all-reduce. The
 * bench prints its own figures beside the goal for them, at most 4 s and 32 MiB.
 *
 *   collective-bench
 *   collective-bench --fabric=switch --channels=1
 *   collective-bench --nodes=32 --bytes=256M
 *   collective-bench --nodes=128 --nvlink-unit=32768
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
    helper.SetDgxH100RailFatTree(nodes, 64);
    return helper.Build();
}

/**
 * \param hosts hosts of one H100 GPU and one NDR HCA each
 * \return them on one 400 Gb/s InfiniBand switch (a leaf of a fat-tree with room for all of
 * them), 500 ns cables
 */
Ptr<FabricTopology>
BuildSwitchTopology(uint32_t hosts)
{
    // A fat-tree whose first leaf holds every host: their traffic never leaves it.
    const std::string yaml =
        fmt::format("name: {} hosts on one IB switch\n"
                    "node-kinds:\n"
                    "  host: {{gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}}\n"
                    "nodes:\n"
                    "  - {{kind: host, count: {}}}\n"
                    "fat-tree: {{levels: 2, radix: {}, speed: NDR, width: 4, link-delay: 500ns}}\n",
                    hosts,
                    hosts,
                    2 * hosts);
    return TopologyHelper().Build(TopologyReader::ReadString(yaml, "--fabric=switch"));
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

    // A binary heap (std::priority_queue) orders the events as the default std::map does
    // (time, then id: the same results) with no allocation per event: 4.6 % fewer
    // instructions and about 10 % less wall here. --SchedulerType=ns3::MapScheduler gives
    // ns-3's default back.
    GlobalValue::Bind("SchedulerType", StringValue("ns3::PriorityQueueScheduler"));
    CommandLine cmd(__FILE__);
    std::string fabric = "dgx";
    uint32_t hosts = 8;
    cmd.AddValue("fabric",
                 "dgx (DGX H100 nodes on a rail-optimised fat-tree) or switch (hosts on one "
                 "400 Gb/s IB switch, 500 ns cables)",
                 fabric);
    cmd.AddValue("nodes", "DGX H100 nodes (8 GPUs and 8 NDR HCAs each)", nodes);
    cmd.AddValue("hosts", "--fabric=switch: hosts on the switch", hosts);
    cmd.AddValue("bytes", "All-reduce size (nccl-tests' S), e.g. 1G, 256M", bytesText);
    cmd.AddValue("algo", "ring, tree, halving-doubling, direct, hierarchical or auto", algo);
    cmd.AddValue("channels", "Channels of the collective", channels);
    uint32_t nvlinkUnit = 0;
    cmd.AddValue("nvlink-unit",
                 "Data bytes of one simulated NVLink transfer unit (NvlinkHelper::SetTransferUnit, "
                 "16-65280; 0: the ports' Mtu, 4096). Wire bytes stay exact",
                 nvlinkUnit);
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
        if (fabric != "dgx" && fabric != "switch")
        {
            throw FabricConfigError("--fabric", "\"" + fabric + "\" is not dgx or switch");
        }
        if (fabric == "switch" && hosts < 2)
        {
            throw FabricConfigError("--hosts", "needs at least two hosts");
        }

        const double t0 = WallClockSeconds();
        Ptr<FabricTopology> topology =
            fabric == "dgx" ? BuildTopology(nodes) : BuildSwitchTopology(hosts);
        if (nvlinkUnit != 0)
        {
            NvlinkHelper::SetTransferUnit(NodeContainer::GetGlobal(), nvlinkUnit);
        }
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
        StringValue scheduler;
        GlobalValue::GetValueByName("SchedulerType", scheduler);
        fmt::print("  event scheduler              {} (--SchedulerType)\n", scheduler.Get());
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
        if (fabric == "switch" && hosts == 8 && bytes == (1ULL << 30))
        {
            fmt::print("  goal for this scenario       wall <= 4 s ({}), peak <= 32 MiB ({})\n",
                       t3 - t0 <= 4.0 ? "met" : "not met",
                       peakMiB <= 32.0 ? "met" : "not met");
        }
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "collective-bench: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
