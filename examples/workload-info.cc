/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * What a workload file asks of every GPU, before anything is simulated: the plan and its
 * placement, FLOPs per iteration (beside Megatron-LM's closed form), memory per GPU (weights,
 * gradients, optimizer states, activations, with ZeRO), and per pipeline stage the operations
 * of one iteration and the bytes each communicator carries. A user can check each figure
 * against their own arithmetic.
 *
 *   workload-info --workload=examples/workloads/gpt3-175b.yaml --gpus=1536
 *   workload-info --workload=examples/workloads/llama-70b.yaml
 *       --topology=examples/topologies/dgx-h100-32node-ndr-railopt.yaml --nodes=1
 *   workload-info --workload=examples/workloads/gpt-mainjob.yaml
 *       --topology=examples/topologies/dgx-h100-4node-ndr-railopt.yaml --chakra-out=/tmp/mainjob
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"

#include <chrono>
#include <fmt/core.h>
#include <fstream>
#include <iostream>
#include <map>

using namespace ns3;

namespace
{

std::string
Si(double v, const char* unit)
{
    const char* prefixes[] = {"", "K", "M", "G", "T", "P", "E"};
    int i = 0;
    while (std::abs(v) >= 1000 && i < 6)
    {
        v /= 1000;
        ++i;
    }
    return fmt::format("{:.3g} {}{}", v, prefixes[i], unit);
}

double
WallClockNow()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string
Gib(double bytes)
{
    return fmt::format("{:.2f} GiB", bytes / (1024.0 * 1024 * 1024));
}

/**
 * \brief Print an ASTRA-sim text workload as the importer replays it: the plan, then per
 * layer its computes and the collectives of each pass with their group and size.
 */
void
PrintAstraSim(const std::string& file,
              const std::vector<uint32_t>& servers,
              const AstraSimImportOptions& options,
              bool nodes)
{
    const AstraSimWorkload a = AstraSimWorkloadReader::ReadFile(file);
    const ExecutionGraph graph = AstraSimWorkloadReader::Build(a, servers, options);
    const WorkloadDescription& w = graph.GetWorkload();
    fmt::print("workload   {} ({})\n", w.name, file);
    fmt::print("plan       {} layers, model-parallel {} (tp) x data-parallel {} (dp) = {} NPUs, "
               "clock {} (cycles to time)\n",
               a.layers.size(),
               w.plan.tp,
               w.plan.dp,
               w.GetGpuCount(),
               Si(options.clock, "Hz"));
    for (const auto& warning : graph.GetPlacement().GetWarnings())
    {
        fmt::print("warning    {}\n", warning);
    }
    const RankProgram& program = graph.GetProgram(0);
    std::map<uint32_t, std::string> comms;
    for (const GraphNode& n : program.nodes)
    {
        if (!n.compute)
        {
            // Labels read "<group> <op> <pass> L<i> <name>": keep the pass.
            const std::string pass = n.label.substr(WorkloadGroupName(n.group).size() +
                                                    CollectiveOpName(n.op).size() + 2);
            comms[n.layer] += fmt::format("  {} {} {} {}",
                                          pass.substr(0, pass.find(' ')),
                                          WorkloadGroupName(n.group),
                                          CollectiveOpName(n.op),
                                          Si(double(n.bytes), "B"));
        }
    }
    fmt::print("\n{:>5} {:<20} {:>10} {:>10} {:>10}  collectives (pass group op size)\n",
               "layer",
               "name",
               "fwd(us)",
               "ig(us)",
               "wg(us)");
    const double us = 1e6 / options.clock;
    for (uint32_t i = 0; i < a.layers.size(); ++i)
    {
        const AstraSimLayer& l = a.layers[i];
        fmt::print("{:>5} {:<20} {:>10.3f} {:>10.3f} {:>10.3f} {}\n",
                   i,
                   l.name,
                   double(l.fwdCompute) * us,
                   double(l.igCompute) * us,
                   double(l.wgCompute) * us,
                   comms.count(i) ? comms[i] : std::string("  none"));
    }
    fmt::print("\ngraph      {} nodes per NPU, {} tp and {} dp collectives\n",
               program.nodes.size(),
               program.opsPerGroup[static_cast<uint32_t>(WorkloadGroup::TP)],
               program.opsPerGroup[static_cast<uint32_t>(WorkloadGroup::DP)]);
    if (nodes)
    {
        for (size_t i = 0; i < program.nodes.size(); ++i)
        {
            const GraphNode& n = program.nodes[i];
            std::string deps;
            for (uint32_t d : n.deps)
            {
                deps += std::to_string(d) + " ";
            }
            fmt::print("  {:>5} {:<30} {:>12}  after {}\n",
                       i,
                       n.label,
                       n.compute ? fmt::format("{:.3f} us", n.task.measured.GetSeconds() * 1e6)
                                 : Si(double(n.bytes), "B"),
                       deps);
        }
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string workloadFile = "examples/workloads/gpt3-175b.yaml";
    std::string topologyFile;
    uint32_t gpus = 0;
    uint32_t gpusPerServer = 8;
    std::string gpu = "H100";
    int32_t showRank = -1;
    bool nodes = false;
    std::string astraSimFile;
    AstraSimImportOptions astraSim;
    std::string chakraOut;
    CommandLine cmd(__FILE__);
    cmd.AddValue("workload", "Workload file (YAML)", workloadFile);
    cmd.AddValue("topology", "Topology file: GPUs, servers and GPU models from it", topologyFile);
    cmd.AddValue("gpus", "Without --topology: the number of GPUs (0: dp from the file)", gpus);
    cmd.AddValue("gpus-per-server",
                 "Without --topology: GPUs per server (NVLink domain)",
                 gpusPerServer);
    cmd.AddValue("gpu", "Without --topology: the GPU preset (A100, H100, H200, B200)", gpu);
    cmd.AddValue("rank", "Print this worker's groups (-1: worker 0)", showRank);
    cmd.AddValue("nodes", "Print every node of each stage's program", nodes);
    cmd.AddValue("astra-sim",
                 "An ASTRA-sim text workload to print instead of --workload (needs --topology "
                 "or --gpus)",
                 astraSimFile);
    cmd.AddValue("clock",
                 "With --astra-sim: the clock its compute cycles tick at, Hz",
                 astraSim.clock);
    cmd.AddValue("mp",
                 "With --astra-sim HYBRID_DATA_MODEL / HYBRID_MODEL_DATA: the first dimension "
                 "(0: the GPUs of a server)",
                 astraSim.modelParallel);
    cmd.AddValue("chakra-out",
                 "Export the graph as a Chakra trace, one file PREFIX.<rank>.et per worker",
                 chakraOut);
    cmd.Parse(argc, argv);

    try
    {
        std::vector<uint32_t> servers;
        std::vector<std::string> models;
        if (!topologyFile.empty())
        {
            const TopologyDescription topo = TopologyReader::ReadFile(topologyFile);
            servers = WorkloadPlacement::ServersOf(topo);
            models = WorkloadPlacement::GpuModelsOf(topo);
            gpus = topo.GetGpuCount();
        }
        if (!astraSimFile.empty())
        {
            if (gpus == 0)
            {
                throw FabricConfigError("--astra-sim", "needs --topology or --gpus");
            }
            for (uint32_t r = servers.size(); r < gpus; ++r)
            {
                servers.push_back(r / gpusPerServer);
            }
            PrintAstraSim(astraSimFile, servers, astraSim, nodes);
            return 0;
        }
        WorkloadDescription w = WorkloadReader::ReadFile(workloadFile, gpus);
        if (gpus == 0)
        {
            w.Validate(0);
            gpus = w.GetGpuCount();
        }
        if (servers.empty())
        {
            for (uint32_t r = 0; r < gpus; ++r)
            {
                servers.push_back(r / gpusPerServer);
                models.push_back(gpu);
            }
        }
        const double t0 = WallClockNow();
        Ptr<WorkloadGenerator> generator = CreateObject<WorkloadGenerator>();
        const ExecutionGraph graph = generator->Generate(w, servers);
        const double generateSeconds = WallClockNow() - t0;
        const ParallelismPlan& p = w.plan;

        fmt::print("workload   {} ({})\n", w.name, workloadFile);
        fmt::print("plan       dp {} x tp {}{} x pp {}{}{} = {} GPUs, zero {}, {} micro-batches "
                   "of {} per pipeline, bucket {} MiB, overlap {}\n",
                   p.dp,
                   p.tp,
                   p.sequenceParallel ? " (SP)" : "",
                   p.pp,
                   p.virtualStages > 1 ? fmt::format(" (v {})", p.virtualStages) : "",
                   p.ep > 1 ? fmt::format(" ep {}", p.ep) : "",
                   w.GetGpuCount(),
                   p.zero,
                   w.GetMicroBatches(),
                   w.training.microBatch,
                   p.bucketBytes / 1048576.0,
                   p.overlap ? "on" : "off");
        for (const auto& warning : graph.GetPlacement().GetWarnings())
        {
            fmt::print("warning    {}\n", warning);
        }
        const double params = WorkloadArithmetic::ModelParameters(w.model);
        const double modelFlops = WorkloadArithmetic::IterationFlops(w, false);
        const double hwFlops = WorkloadArithmetic::IterationFlops(w, true);
        fmt::print(
            "model      {} parameters, {} per iteration ({} with recomputation), "
            "{} FLOP per token\n",
            Si(params, ""),
            Si(modelFlops, "FLOP"),
            Si(hwFlops, "FLOP"),
            Si(modelFlops /
                   (double(w.training.globalBatch) *
                    (w.model.kind == ModelKind::TRANSFORMER ? w.model.transformer.sequence : 1)),
               ""));
        if (w.model.kind == ModelKind::TRANSFORMER && w.model.transformer.experts == 0)
        {
            fmt::print("megatron   72 B s l h^2 (1 + s/6h + V/12lh) = {}; 96 B s l h^2 (...) = {}"
                       " (SC21 eq. 3, for f = 4h without GQA)\n",
                       Si(WorkloadArithmetic::MegatronIterationFlops(w.model.transformer,
                                                                     w.training.globalBatch,
                                                                     false),
                          "FLOP"),
                       Si(WorkloadArithmetic::MegatronIterationFlops(w.model.transformer,
                                                                     w.training.globalBatch,
                                                                     true),
                          "FLOP"));
        }
        const double bubble = double(p.pp - 1) / (double(p.virtualStages) * w.GetMicroBatches());
        fmt::print("pipeline   bubble (p-1)/(v m) = {:.4f}\n", bubble);
        fmt::print("graph      {} nodes over {} workers, built in {:.3f} s\n",
                   graph.GetTotalNodes(),
                   graph.GetNWorkers(),
                   generateSeconds);
        if (!chakraOut.empty())
        {
            const double t1 = WallClockNow();
            const auto files = ChakraTrace::Write(graph, chakraOut);
            uint64_t bytes = 0;
            for (const auto& f : files)
            {
                std::ifstream in(f, std::ios::binary | std::ios::ate);
                bytes += static_cast<uint64_t>(in.tellg());
            }
            fmt::print("chakra     {} files {} .. {}, {:.1f} KiB, written in {:.3f} s\n",
                       files.size(),
                       files.front(),
                       files.back(),
                       bytes / 1024.0,
                       WallClockNow() - t1);
        }

        const GpuSpec spec = GpuSpec::Preset(models.empty() || models[0].empty() ? gpu : models[0]);
        for (const auto& program : graph.GetPrograms())
        {
            const uint32_t s = program->stage;
            double flops = 0;
            uint32_t computeNodes = 0;
            std::map<std::string, std::pair<uint32_t, double>> perGroupOp;
            for (const GraphNode& n : program->nodes)
            {
                if (n.compute)
                {
                    flops += n.task.flops;
                    ++computeNodes;
                }
                else if (n.group != WorkloadGroup::FWD_RECV && n.group != WorkloadGroup::BWD_RECV)
                {
                    auto& e = perGroupOp[WorkloadGroupName(n.group) + " " + CollectiveOpName(n.op)];
                    e.first++;
                    e.second += n.bytes;
                }
            }
            const MemoryFootprint mem = WorkloadArithmetic::GpuMemory(w, s, program->inFlight);
            fmt::print("\nstage {}: {} nodes ({} compute), {} per GPU per iteration\n",
                       s,
                       program->nodes.size(),
                       computeNodes,
                       Si(flops, "FLOP"));
            fmt::print("  memory   {} params: weights {}, gradients {}, optimizer {}, "
                       "activations {} ({} micro-batches in flight) = {} of {} ({})\n",
                       Si(mem.parameters, ""),
                       Gib(mem.weights),
                       Gib(mem.gradients),
                       Gib(mem.optimizer),
                       Gib(mem.activations),
                       program->inFlight.empty() ? 0 : program->inFlight[0],
                       Gib(mem.GetTotal()),
                       Gib(double(spec.hbmBytes)),
                       spec.name);
            for (const auto& [name, e] : perGroupOp)
            {
                fmt::print("  {:<26} {:>6} ops  {:>12} bytes sent-size total\n",
                           name,
                           e.first,
                           Si(e.second, "B"));
            }
            std::string order;
            for (size_t i = 0; i < program->schedule.size() && i < 48; ++i)
            {
                order += program->schedule[i] + " ";
            }
            fmt::print("  schedule {}{}\n", order, program->schedule.size() > 48 ? "..." : "");
            if (nodes)
            {
                for (size_t i = 0; i < program->nodes.size(); ++i)
                {
                    const GraphNode& n = program->nodes[i];
                    std::string deps;
                    for (uint32_t d : n.deps)
                    {
                        deps += std::to_string(d) + " ";
                    }
                    if (n.compute)
                    {
                        fmt::print("  {:>5} compute {:<28} {:>10}  after {}\n",
                                   i,
                                   n.label,
                                   Si(n.task.flops, "FLOP"),
                                   deps);
                    }
                    else
                    {
                        fmt::print("  {:>5} {:<7} {:<28} {:>10}  seq {} after {}\n",
                                   i,
                                   WorkloadGroupName(n.group),
                                   n.label,
                                   Si(n.bytes, "B"),
                                   n.seq,
                                   deps);
                    }
                }
            }
        }
        const uint32_t rank = showRank < 0 ? 0 : static_cast<uint32_t>(showRank);
        if (rank < graph.GetNWorkers())
        {
            const RankCoord c = graph.GetPlacement().GetCoord(rank);
            fmt::print("\nworker {} (topology rank {}, server {}): dp {}, pp {}, tp {}\n",
                       rank,
                       graph.GetPlacement().GetTopologyRank(rank),
                       graph.GetPlacement().GetServerOf(rank),
                       c.dp,
                       c.pp,
                       c.tp);
            for (auto g : {WorkloadGroup::TP,
                           WorkloadGroup::DP,
                           WorkloadGroup::EP,
                           WorkloadGroup::EDP,
                           WorkloadGroup::FWD_SEND,
                           WorkloadGroup::BWD_SEND})
            {
                const GroupInstance gi = graph.GetGroup(rank, g);
                std::string members;
                for (size_t i = 0; i < gi.workers.size() && i < 16; ++i)
                {
                    members +=
                        std::to_string(graph.GetPlacement().GetTopologyRank(gi.workers[i])) + " ";
                }
                fmt::print("  {:<10} ranks {}{}\n",
                           g == WorkloadGroup::FWD_SEND   ? "pp-fwd out"
                           : g == WorkloadGroup::BWD_SEND ? "pp-bwd out"
                                                          : WorkloadGroupName(g),
                           members,
                           gi.workers.size() > 16 ? "..." : "");
            }
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << e.what() << std::endl;
        return 1;
    }
    return 0;
}
