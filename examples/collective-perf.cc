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
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
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
    CommandLine cmd(__FILE__);
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
    cmd.Parse(argc, argv);

    try
    {
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
            ranks.push_back(r);
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
        for (uint64_t bytes = first; bytes <= last; bytes *= stepFactor)
        {
            CollectiveReport report;
            comm->Start(operation,
                        bytes,
                        MakeCallback(+[](CollectiveReport* out, const CollectiveReport& r) {
                            *out = r;
                        }).Bind(&report),
                        root,
                        (root + 1) % ranks.size());
            Simulator::Run();
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
