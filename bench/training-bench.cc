/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * What a training replay costs: wall time, events, packet-hops per second and peak memory of
 * one iteration, for the main job (4 DGX H100, packet level), a 64-GPU plan (8 DGX H100,
 * packet level) and a 512-GPU plan (64 DGX H100, analytical); and how long the generator
 * takes to build the graph of a 16,384-GPU plan and to walk its critical path.
 *
 *   training-bench                 # all four
 *   training-bench --only=main     # main | 64 | 512 | 16k
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

/**
 * \param servers DGX H100 servers
 * \return them on a rail-optimised NDR fat-tree
 */
TopologyDescription
DgxCluster(uint32_t servers)
{
    return TopologyReader::ReadString(
        "name: " + std::to_string(servers) +
            "x DGX H100\n"
            "node-kinds:\n"
            "  dgx: {gpu: H100, board: H100, gpus: 8, hcas: 8, hca-speed: NDR, hca-width: 4}\n"
            "nodes:\n  - {kind: dgx, count: " +
            std::to_string(servers) +
            "}\n"
            "fat-tree: {levels: 2, radix: 64, rail-optimized: true, speed: NDR, width: 4}\n",
        "cluster");
}

/**
 * \param layers transformer layers
 * \param plan the parallelism block
 * \param batch global batch
 * \return a GPT-style workload (GPT-3 6.7B's layer shape)
 */
std::string
Gpt(uint32_t layers, const std::string& plan, uint32_t batch)
{
    return "name: gpt\n"
           "model: {type: transformer, layers: " +
           std::to_string(layers) +
           ", hidden: 4096, heads: 32, sequence: 1024, vocabulary: 32000, dtype: bf16}\n"
           "training: {global-batch: " +
           std::to_string(batch) +
           ", micro-batch: 1, recompute: none}\n"
           "parallelism: {" +
           plan + "}\n";
}

/**
 * \brief Replay one iteration and print its cost.
 * \param name the case
 * \param topo the fabric
 * \param workloadYaml the workload
 * \param backend packet or analytical
 */
void
RunCase(const std::string& name,
        const TopologyDescription& topo,
        const std::string& workloadYaml,
        const std::string& backend)
{
    const double t0 = WallClockSeconds();
    Ptr<FabricTopology> topology = TopologyHelper().Build(topo);
    const WorkloadDescription w =
        WorkloadReader::ReadString(workloadYaml, name, topology->GetNRanks());
    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue(backend));
    helper.SetJobAttribute("Timeline", BooleanValue(false));
    Ptr<TrainingJob> job = helper.Install(topology, w);
    const double t1 = WallClockSeconds();
    const uint64_t events0 = Simulator::GetEventCount();
    Simulator::Run();
    const double t2 = WallClockSeconds();
    uint64_t hops = 0;
    for (const auto& link : topology->GetLinks())
    {
        hops += link.a->GetTxPackets() + link.b->GetTxPackets();
    }
    const TrainingReport report = job->GetReport();
    const uint64_t events = Simulator::GetEventCount() - events0;
    fmt::print("{:<6} {:>5} GPUs {:<11} {:<22} iteration {:>10.1f} us | set-up {:>6.2f} s, "
               "run {:>7.2f} s, {:>11} events, {:>11} packet-hops, {:>9.0f} hops/s, peak "
               "{:>6.0f} MiB\n",
               name,
               topology->GetNRanks(),
               backend,
               report.plan,
               report.iterations.empty() ? 0.0 : report.iterations[0].time.GetSeconds() * 1e6,
               t1 - t0,
               t2 - t1,
               events,
               hops,
               t2 > t1 ? hops / (t2 - t1) : 0.0,
               PeakRssMiB());
    Simulator::Destroy();
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string only;
    CommandLine cmd(__FILE__);
    cmd.AddValue("only", "One case: main, 64, 512 or 16k", only);
    cmd.Parse(argc, argv);
    try
    {
        if (only.empty() || only == "main")
        {
            RunCase("main",
                    DgxCluster(4),
                    Gpt(8, "tp: 8, pp: 2, dp: 2, bucket-size: 25MiB, overlap: true", 8),
                    "packet");
        }
        if (only.empty() || only == "64")
        {
            RunCase("64",
                    DgxCluster(8),
                    Gpt(8, "tp: 8, pp: 2, dp: 4, bucket-size: 25MiB, overlap: true", 16),
                    "packet");
        }
        if (only.empty() || only == "512")
        {
            RunCase("512",
                    DgxCluster(64),
                    Gpt(32, "tp: 8, pp: 4, dp: 16, bucket-size: 25MiB, overlap: true", 128),
                    "analytical");
        }
        if (only.empty() || only == "16k")
        {
            // GPT-3 175B's shape on 16,384 GPUs: TP 8 x PP 16 x DP 128.
            const WorkloadDescription w = WorkloadReader::ReadString(
                "name: gpt3\n"
                "model: {type: transformer, layers: 96, hidden: 12288, heads: 96, sequence: "
                "2048, vocabulary: 51200, dtype: bf16}\n"
                "training: {global-batch: 2048, micro-batch: 1, recompute: full}\n"
                "parallelism: {tp: 8, pp: 16, dp: 128, bucket-size: 25MiB, overlap: true}\n",
                "16k",
                16384);
            std::vector<uint32_t> servers;
            for (uint32_t r = 0; r < 16384; ++r)
            {
                servers.push_back(r / 8);
            }
            const double t0 = WallClockSeconds();
            const ExecutionGraph graph = CreateObject<WorkloadGenerator>()->Generate(w, servers);
            const double t1 = WallClockSeconds();
            Ptr<RooflineComputeModel> compute = CreateObject<RooflineComputeModel>();
            const GpuSpec h100 = GpuSpec::Preset("H100");
            const Time path = graph.GetCriticalPath(
                [&](uint32_t, const GraphNode& n) { return compute->GetDuration(n.task, h100); },
                [](uint32_t, const GraphNode&) { return Time(); });
            const double t2 = WallClockSeconds();
            fmt::print("16k    16384 GPUs generator   dp 128 x tp 8 x pp 16  {} nodes built in "
                       "{:.3f} s; compute-only critical path {:.1f} ms walked in {:.2f} s; peak "
                       "{:.0f} MiB\n",
                       graph.GetTotalNodes(),
                       t1 - t0,
                       path.GetSeconds() * 1e3,
                       t2 - t1,
                       PeakRssMiB());
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
