/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * The PaSE study (doc/study-pase.md): search per-layer parallelism strategies with PaSE's
 * dynamic program (Elango, IPDPS 2021) and check its cost model's ranking packet by packet.
 *
 *   study-pase                                  AlexNet, p = 16, top 3 + data parallelism
 *                                               replayed on 2 DGX H100 servers, both backends
 *   study-pase --graph=examples/studies/transformer.yaml --devices=64 --replay=none
 *   study-pase --graph=examples/studies/inceptionv3.yaml --devices=8
 *
 * It prints the search time, the best strategy per layer, and for each replayed plan its
 * cost-model figure, its analytical and its packet-level iteration time, then how far the
 * cost model's ranking holds at packet level (Kendall's tau over the plans, and whether the
 * cost model's best plan is the packet level's best).
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"

#include <fmt/core.h>
#include <fstream>
#include <unistd.h>

using namespace ns3;

namespace
{

std::string
FindFile(const std::string& path)
{
    if (path.empty() || path[0] == '/' || access(path.c_str(), R_OK) == 0)
    {
        return path;
    }
    const std::string inSource = std::string(AIFABRIC_SOURCE_DIR) + "/" + path;
    return access(inSource.c_str(), R_OK) == 0 ? inSource : path;
}

/// Kendall's tau-a of two rankings of the same items.
double
KendallTau(const std::vector<double>& a, const std::vector<double>& b)
{
    double concordant = 0;
    double discordant = 0;
    for (size_t i = 0; i < a.size(); ++i)
    {
        for (size_t j = i + 1; j < a.size(); ++j)
        {
            const double s = (a[i] - a[j]) * (b[i] - b[j]);
            concordant += s > 0;
            discordant += s < 0;
        }
    }
    const double pairs = a.size() * (a.size() - 1) / 2.0;
    return pairs > 0 ? (concordant - discordant) / pairs : 1.0;
}

/// Iteration times of one plan: (analytical, packet), 0 where not run.
std::pair<double, double>
Replay(const LayerGraph& graph,
       const PasePlan& plan,
       uint32_t devices,
       const std::string& topologyFile,
       const std::string& backend)
{
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadFile(FindFile(topologyFile)));
    if (topology->GetNRanks() < devices)
    {
        throw FabricConfigError("--topology",
                                topologyFile + " has " + std::to_string(topology->GetNRanks()) +
                                    " GPUs, fewer than --devices=" + std::to_string(devices));
    }
    std::vector<uint32_t> servers;
    for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
    {
        servers.push_back(topology->GetServer(r));
    }
    auto g = std::make_shared<const ExecutionGraph>(
        PasePlanGraph::Build(graph, plan.configs, devices, servers));
    TrainingHelper helper;
    Ptr<TrainingJob> analytical;
    Ptr<TrainingJob> packet;
    if (backend != "packet")
    {
        helper.SetJobAttribute("Backend", StringValue("analytical"));
        analytical = helper.Install(topology, g);
    }
    if (backend != "analytical")
    {
        helper.SetJobAttribute("Backend", StringValue("packet"));
        packet = helper.Install(topology, g);
    }
    Simulator::Run();
    auto time = [](Ptr<TrainingJob> job) {
        if (!job)
        {
            return 0.0;
        }
        const TrainingReport r = job->GetReport();
        if (r.iterations.empty())
        {
            throw FabricConfigError("study-pase", "a replay did not finish its iteration");
        }
        return r.iterations[0].time.GetSeconds();
    };
    const auto result = std::make_pair(time(analytical), time(packet));
    Simulator::Destroy();
    return result;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string graphFile = "examples/studies/alexnet.yaml";
    std::string topologyFile = "examples/topologies/dgx-h100-4node-ndr-railopt.yaml";
    uint32_t devices = 16;
    uint32_t top = 3;
    double flopPerByte = 0;
    std::string replay = "both";
    std::string plotDir;

    CommandLine cmd(__FILE__);
    cmd.AddValue("graph", "Layer graph (YAML, examples/studies/)", graphFile);
    cmd.AddValue("devices", "Devices p (a power of two)", devices);
    cmd.AddValue("top", "Plans to keep and replay besides data parallelism", top);
    cmd.AddValue("r", "FLOP per byte (0: the PaseCostModel default)", flopPerByte);
    cmd.AddValue("replay", "both, packet, analytical or none", replay);
    cmd.AddValue("topology", "Topology the plans are replayed on (YAML)", topologyFile);
    cmd.AddValue("plot",
                 "Write pase-plans.dat and pase-plans.plt (gnuplot: model cost against the "
                 "replayed times per plan) to this directory",
                 plotDir);
    cmd.Parse(argc, argv);

    try
    {
        if (replay != "both" && replay != "packet" && replay != "analytical" && replay != "none")
        {
            throw FabricConfigError("--replay",
                                    "\"" + replay + "\" is not both, packet, analytical or none");
        }
        const LayerGraph graph = LayerGraphReader::ReadFile(FindFile(graphFile));
        Ptr<PaseCostModel> model = CreateObject<PaseCostModel>();
        if (flopPerByte > 0)
        {
            model->SetAttribute("FlopPerByte", DoubleValue(flopPerByte));
        }
        model->SetDevices(devices);
        const PaseSearchResult result = PaseSearch::Search(graph, model);
        const PaseSearchResult ranked =
            top > 1 ? PaseSearch::Search(graph, model, top * 16) : result;
        const PasePlan dp = PaseSearch::DataParallel(graph, model);

        fmt::print("graph      {} ({}, {} layers, {:.3g} GFLOP forward)\n",
                   graph.name,
                   graphFile,
                   graph.layers.size(),
                   graph.GetFlops() / 1e9);
        fmt::print("devices    p = {}, r = {:.0f} FLOP/B\n", devices, model->GetFlopPerByte());
        fmt::print("search     {:.3f} s (best plan), {} table entries, largest dependent set {}\n",
                   result.seconds,
                   result.states,
                   result.maxDependentSet);
        fmt::print("\n{:<14} {:<8} {:<22} {:<22}\n",
                   "layer",
                   "op",
                   "best strategy",
                   "data parallelism");
        const PasePlan& best = result.plans.front();
        for (uint32_t l = 0; l < graph.layers.size(); ++l)
        {
            const GraphLayer& g = graph.layers[l];
            fmt::print("{:<14} {:<8} {:<22} {:<22}\n",
                       g.name,
                       g.op,
                       PaseCostModel::Describe(g, best.configs[l]),
                       PaseCostModel::Describe(g, dp.configs[l]));
        }
        std::vector<std::pair<std::string, PasePlan>> plans;
        // Plans that differ only by symmetric splits cost the same: keep distinct costs.
        for (const PasePlan& p : ranked.plans)
        {
            if (plans.size() >= top)
            {
                break;
            }
            if (plans.empty() ||
                p.cost - plans.back().second.cost > 1e-9 * plans.back().second.cost)
            {
                plans.emplace_back("pase #" + std::to_string(plans.size() + 1), p);
            }
        }
        plans.emplace_back("data-parallel", dp);
        fmt::print("\n{:<14} {:>16} {:>16} {:>16} {:>10}\n",
                   "plan",
                   "model cost(ms)",
                   "analytical(ms)",
                   "packet(ms)",
                   "pkt/anal");
        std::vector<double> costs, analytical, packet;
        const double peak = 989e12; // H100 dense BF16: the cost model's FLOPs as time
        for (const auto& [name, plan] : plans)
        {
            std::pair<double, double> t{0, 0};
            if (replay != "none")
            {
                t = Replay(graph, plan, devices, topologyFile, replay);
            }
            costs.push_back(plan.cost);
            analytical.push_back(t.first);
            packet.push_back(t.second);
            fmt::print("{:<14} {:>16.3f} {:>16.3f} {:>16.3f} {:>10.3f}\n",
                       name,
                       1e3 * plan.cost / peak,
                       1e3 * t.first,
                       1e3 * t.second,
                       t.first > 0 && t.second > 0 ? t.second / t.first : 0.0);
        }
        if (!plotDir.empty())
        {
            std::ofstream dat(plotDir + "/pase-plans.dat");
            dat << "# plan model_cost_ms analytical_ms packet_ms (" << graph.name
                << ", p = " << devices << ")\n";
            for (size_t i = 0; i < plans.size(); ++i)
            {
                dat << '"' << plans[i].first << "\" " << 1e3 * costs[i] / peak << " "
                    << 1e3 * analytical[i] << " " << 1e3 * packet[i] << "\n";
            }
            std::ofstream plt(plotDir + "/pase-plans.plt");
            plt << "set terminal pngcairo size 800,450\nset output 'pase-plans.png'\n"
                << "set title '" << graph.name << ", p = " << devices
                << ": PaSE cost model against the replay'\n"
                << "set style data histograms\nset style histogram clustered gap 1\n"
                << "set style fill solid 0.8 border -1\nset ylabel 'ms per iteration'\n"
                << "set key top left\nset grid ytics\n"
                << "plot 'pase-plans.dat' using 2:xtic(1) title 'cost model (FLOPs / peak)', "
                << "'' using 3 title 'analytical backend', '' using 4 title 'packet level'\n";
            if (!dat || !plt)
            {
                throw FabricConfigError("--plot", "cannot write to " + plotDir);
            }
            fmt::print("# wrote {0}/pase-plans.dat and {0}/pase-plans.plt (cd {0} && gnuplot "
                       "pase-plans.plt)\n",
                       plotDir);
        }
        if (replay != "none" && plans.size() > 1)
        {
            const std::vector<double>& measured = replay == "analytical" ? analytical : packet;
            const size_t bestMeasured =
                std::min_element(measured.begin(), measured.end()) - measured.begin();
            fmt::print("\n# Kendall tau, cost model vs {}: {:.2f}\n",
                       replay == "analytical" ? "analytical" : "packet",
                       KendallTau(costs, measured));
            if (replay == "both")
            {
                fmt::print("# Kendall tau, analytical vs packet: {:.2f}\n",
                           KendallTau(analytical, packet));
            }
            fmt::print("# the cost model's best plan is {} at {} level (best there: {})\n",
                       bestMeasured == 0 ? "also the best" : "not the best",
                       replay == "analytical" ? "analytical" : "packet",
                       plans[bestMeasured].first);
            fmt::print("# best plan vs data parallelism: model {:.2f}x, {} {:.2f}x\n",
                       costs.back() / costs.front(),
                       replay == "analytical" ? "analytical" : "packet",
                       measured.back() / measured.front());
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << "study-pase: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
