/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * nccl-tests for a simulated fabric: one collective over a range of sizes, each size run packet
 * by packet over the RDMA transport and costed by the alpha-beta model of the same schedule,
 * side by side, with time, algbw and busbw as nccl-tests define them.
 *
 * Without --topology it runs on two DGX H100 nodes whose 16 GPUs are joined by NVLink inside
 * each node and by a rail-optimised NDR InfiniBand fat-tree across them.
 *
 *   collective-perf --op=all-reduce --algo=ring --minbytes=1M --maxbytes=256M --stepfactor=4
 *   collective-perf --topology=examples/topologies/dgx-h100-4node-ndr-railopt.yaml
 * --algo=hierarchical
 *   collective-perf --op=all-to-all --routing=adaptive --cc=on --hot-ports=5
 *
 * --routing=adaptive turns on InfiniBand adaptive routing in every IB switch, --cc=on IB
 * congestion control (FECN marking in the switches, BECN/CCT throttling in the QPs); after
 * each size the hottest switch ports are listed (time above the switches' QueueThreshold);
 * --queue-series=FILE writes their queue depth and credit-stall share over time (sampled every
 * --queue-period).
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <fstream>
#include <iostream>
#include <map>

using namespace ns3;

namespace
{

CollectiveOp
ParseOp(const std::string& name)
{
    for (auto op : {CollectiveOp::ALL_REDUCE,
                    CollectiveOp::REDUCE_SCATTER,
                    CollectiveOp::ALL_GATHER,
                    CollectiveOp::BROADCAST,
                    CollectiveOp::REDUCE,
                    CollectiveOp::ALL_TO_ALL,
                    CollectiveOp::SEND_RECV})
    {
        if (CollectiveOpName(op) == name)
        {
            return op;
        }
    }
    throw FabricConfigError("--op",
                            "unknown operation \"" + name +
                                "\" (all-reduce, reduce-scatter, all-gather, broadcast, reduce, "
                                "all-to-all, send-recv)");
}

/// Two DGX H100 nodes on a rail-optimised NDR fat-tree: the default fabric.
Ptr<FabricTopology>
DefaultTopology()
{
    TopologyHelper helper;
    helper.SetName("2x DGX H100, NDR rail-optimised fat-tree");
    NodeKindSpec dgx;
    dgx.name = "dgx-h100";
    dgx.gpuModel = "H100";
    dgx.board = "H100";
    dgx.gpus = 8;
    dgx.hcas = 8;
    helper.AddNodeKind(dgx);
    helper.AddNodes("dgx-h100", 2);
    FatTreeSpec ft;
    ft.present = true;
    helper.SetFatTree(ft);
    return helper.Build();
}

/// "64 MiB", "1 GiB", "4096 B": a size for labels.
std::string
SizeLabel(uint64_t bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    uint32_t u = 0;
    while (u < 4 && bytes >= 1024 && bytes % 1024 == 0)
    {
        bytes /= 1024;
        ++u;
    }
    return std::to_string(bytes) + " " + units[u];
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS); // an NDR byte lasts 20 ps
    std::string op = "all-reduce";
    std::string algo = "auto";
    std::string proto = "auto";
    std::string minBytes = "1M";
    std::string maxBytes = "64M";
    uint32_t stepFactor = 4;
    std::string topologyFile;
    uint32_t channels = 0;
    uint32_t root = 0;
    std::string plotDir;
    bool quiet = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("plot",
                 "Write pictures to this directory: busbw against size, the last size's link "
                 "heat map and the topology coloured by its load (PNG, SVG, data, scripts)",
                 plotDir);
    cmd.AddValue("quiet", "No progress on stderr", quiet);
    cmd.AddValue("op",
                 "all-reduce, reduce-scatter, all-gather, broadcast, reduce, all-to-all, "
                 "send-recv",
                 op);
    cmd.AddValue("algo",
                 "auto, ring, tree, halving-doubling, direct, hierarchical, nvls, nvls-tree, "
                 "collnet-direct, collnet-chain",
                 algo);
    bool nvls = true;
    bool collnet = false;
    cmd.AddValue("nvls", "Use NVLS where the NVSwitches have it (NCCL_NVLS_ENABLE)", nvls);
    cmd.AddValue("collnet", "Use SHARP through CollNet (NCCL_COLLNET_ENABLE)", collnet);
    cmd.AddValue("proto", "auto, LL, LL128, Simple", proto);
    cmd.AddValue("minbytes", "Smallest size (nccl-tests -b), e.g. 1M", minBytes);
    cmd.AddValue("maxbytes", "Largest size (nccl-tests -e), e.g. 256M", maxBytes);
    cmd.AddValue("stepfactor", "Size multiplier between rows (nccl-tests -f)", stepFactor);
    cmd.AddValue("topology",
                 "Topology file (YAML); default: 2 DGX H100 on NDR rails",
                 topologyFile);
    cmd.AddValue("channels", "Channels per collective (0: as many as NCCL opens here)", channels);
    bool boundBy = true;
    cmd.AddValue("bound-by", "Print what limited each packet-level run", boundBy);
    cmd.AddValue("root", "Root of broadcast, reduce and send-recv", root);
    std::string routing = "static";
    std::string cc = "off";
    uint32_t hotPorts = 3;
    cmd.AddValue("routing",
                 "InfiniBand routing: static (the LFT) or adaptive (least-loaded port of each "
                 "destination's AR group)",
                 routing);
    cmd.AddValue("cc", "InfiniBand congestion control (FECN/BECN/CCT): on or off", cc);
    cmd.AddValue("hot-ports", "Hottest switch ports to list after each size (0: none)", hotPorts);
    std::string queueSeries;
    std::string queuePeriod = "1us";
    cmd.AddValue("queue-series",
                 "Write the hottest ports' queue depth and credit stall over time (CSV: "
                 "time_us, one queue column per port in bytes, then one stall column per port: "
                 "the share of the period it waited for credits) of the last size to this file",
                 queueSeries);
    cmd.AddValue("queue-period", "Sampling period of --queue-series", queuePeriod);
    cmd.Parse(argc, argv);

    try
    {
        if (routing != "static" && routing != "adaptive")
        {
            throw FabricConfigError("--routing", "\"" + routing + "\": static or adaptive");
        }
        if (cc != "on" && cc != "off")
        {
            throw FabricConfigError("--cc", "\"" + cc + "\": on or off");
        }
        const Time samplePeriod = ParseDuration(queuePeriod, "--queue-period");
        if (!samplePeriod.IsStrictlyPositive())
        {
            throw FabricConfigError("--queue-period", "must be above zero");
        }
        // Before the fabric is built: every switch and queue pair takes these defaults.
        Config::SetDefault("ns3::IbSwitch::AdaptiveRouting", BooleanValue(routing == "adaptive"));
        Config::SetDefault("ns3::IbSwitch::CongestionControl", BooleanValue(cc == "on"));
        Config::SetDefault("ns3::RdmaQueuePair::CongestionControl", BooleanValue(cc == "on"));
        const CollectiveOp operation = ParseOp(op);
        const uint64_t first = ParseByteSize(minBytes, "--minbytes");
        const uint64_t last = ParseByteSize(maxBytes, "--maxbytes");
        if (first == 0 || last < first || stepFactor < 2)
        {
            throw FabricConfigError("collective-perf",
                                    "need 0 < minbytes <= maxbytes and stepfactor >= 2");
        }
        Ptr<FabricTopology> topology =
            topologyFile.empty() ? DefaultTopology()
                                 : TopologyHelper().Build(TopologyReader::ReadFile(topologyFile));
        std::vector<uint32_t> ranks;
        for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
        {
            if (!topology->IsMemoryEndpoint(r)) // every GPU, not the memory pools' ports
            {
                ranks.push_back(r);
            }
        }
        Ptr<Communicator> comm = CreateObject<Communicator>();
        comm->SetAttribute("Algorithm", StringValue(algo));
        comm->SetAttribute("Protocol", StringValue(proto));
        comm->SetAttribute("Channels", UintegerValue(channels));
        comm->SetAttribute("Nvls", BooleanValue(nvls));
        comm->SetAttribute("CollNet", BooleanValue(collnet));
        comm->Setup(topology, ranks);

        fmt::print("# collective-perf: {} on {} GPUs of \"{}\"\n",
                   op,
                   ranks.size(),
                   topology->GetDescription().name);
        const auto status = [](const std::string& s) { return s.empty() ? "available" : s; };
        fmt::print("# nvls: {}\n# sharp: {}\n",
                   status(comm->GetNvlsStatus()),
                   status(comm->GetSharpStatus()));
        fmt::print("# routing: {}\n# congestion control: {}\n", routing, cc);
        fmt::print(
            "# {:>12} {:>14} {:>8} {:>3} | {:>11} {:>8} {:>8} | {:>11} {:>8} {:>8} | {:>6}\n",
            "size (B)",
            "algorithm",
            "proto",
            "ch",
            "packet us",
            "algbw",
            "busbw",
            "alpha-beta",
            "algbw",
            "busbw",
            "ratio");
        fmt::print(
            "# {:>12} {:>14} {:>8} {:>3} | {:>11} {:>8} {:>8} | {:>11} {:>8} {:>8} | {:>6}\n",
            "",
            "",
            "",
            "",
            "",
            "GB/s",
            "GB/s",
            "us",
            "GB/s",
            "GB/s",
            "p/a");
        std::vector<CollectiveReport> rows;
        std::vector<PortUsage> lastPorts;
        FabricLinkUsage usage(topology);
        FabricHotPorts hot(topology);
        const bool progress = FabricProgress::ShouldShow(quiet);
        FabricProgress meter(std::cerr);
        for (uint64_t bytes = first; bytes <= last; bytes *= stepFactor)
        {
            CollectiveReport report;
            usage.Start();
            hot.Start();
            if (!queueSeries.empty())
            {
                hot.StartSampling(samplePeriod);
            }
            if (progress)
            {
                meter.Start(op + " " + SizeLabel(bytes));
                meter.SetExpectedEnd(
                    Simulator::Now() +
                    comm->Estimate(operation, bytes, root, (root + 1) % ranks.size())
                        .analyticalTime);
            }
            comm->Start(operation,
                        bytes,
                        MakeCallback(+[](CollectiveReport* out,
                                         std::vector<PortUsage>* ports,
                                         const FabricLinkUsage* links,
                                         FabricHotPorts* hotPorts,
                                         const CollectiveReport& r) {
                            *out = r;
                            // At completion: later events (timers) would dilute utilisation.
                            *ports = links->MeasurePorts();
                            hotPorts->Stop(); // sampling would keep the simulation going
                        }).Bind(&report, &lastPorts, &usage, &hot),
                        root,
                        (root + 1) % ranks.size());
            Simulator::Run();
            hot.Stop();
            if (progress)
            {
                meter.Stop();
            }
            rows.push_back(report);
            if (!report.fallback.empty())
            {
                fmt::print("# {:>12} {}\n", "", report.fallback);
            }
            fmt::print("  {:>12} {:>14} {:>8} {:>3} | {:>11.2f} {:>8.2f} {:>8.2f} | {:>11.2f} "
                       "{:>8.2f} {:>8.2f} | {:>6.3f}\n",
                       bytes,
                       report.algorithm,
                       CollectiveProtocolName(report.protocol),
                       report.channels,
                       report.packetTime.GetSeconds() * 1e6,
                       report.PacketAlgBandwidth() / 1e9,
                       report.PacketBusBandwidth() / 1e9,
                       report.analyticalTime.GetSeconds() * 1e6,
                       report.AnalyticalAlgBandwidth() / 1e9,
                       report.AnalyticalBusBandwidth() / 1e9,
                       report.packetTime.GetSeconds() / report.analyticalTime.GetSeconds());
            if (boundBy)
            {
                fmt::print("# {:>12} {}\n", "", report.links.GetBoundBy());
            }
            const std::vector<HotPort> ranked = hot.Rank(std::max<uint32_t>(hotPorts, 8));
            if (!queueSeries.empty() && bytes * stepFactor > last && !ranked.empty())
            {
                // The last size: its hottest ports' queues over time.
                std::ofstream csv(queueSeries);
                csv << "time_us";
                for (const auto& h : ranked)
                {
                    csv << ",\"" << h.name << "\"";
                }
                for (const auto& h : ranked)
                {
                    csv << ",\"" << h.name << " stall\"";
                }
                csv << "\n";
                const Time period = hot.GetSamplePeriod();
                for (size_t i = 0; i < ranked.front().queueSeries.size(); ++i)
                {
                    csv << i * period.GetSeconds() * 1e6;
                    for (const auto& h : ranked)
                    {
                        csv << "," << h.queueSeries[i];
                    }
                    for (const auto& h : ranked)
                    {
                        csv << "," << h.GetStallFraction(i, period);
                    }
                    csv << "\n";
                }
                fmt::print("# wrote {}\n", queueSeries);
            }
            for (size_t i = 0; i < ranked.size() && i < hotPorts; ++i)
            {
                const HotPort& h = ranked[i];
                fmt::print("# {:>12} hot port {}: {:.2f} us above threshold, max queue {} B, "
                           "credit stall {:.2f} us\n",
                           "",
                           h.name,
                           h.aboveThreshold.GetSeconds() * 1e6,
                           h.maxQueueBytes,
                           h.creditStall.GetSeconds() * 1e6);
            }
        }
        if (!plotDir.empty())
        {
            FabricPlotHelper plots(plotDir);
            const std::string where =
                std::to_string(ranks.size()) + " GPUs of " + topology->GetDescription().name;
            std::vector<std::string> files =
                plots.PlotBusBandwidth(op + "-busbw", op + " busbw, " + where, rows);
            for (const auto& f : plots.PlotLinkHeatMap(
                     op + "-links",
                     "link utilisation, " + op + " " + SizeLabel(rows.back().bytes) + ", " + where,
                     lastPorts))
            {
                files.push_back(f);
            }
            for (const auto& f : plots.PlotTopology("topology", topology, lastPorts))
            {
                files.push_back(f);
            }
            for (const auto& f : files)
            {
                fmt::print("# wrote {}\n", f);
            }
        }
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "collective-perf: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
