/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Study: synchronous all-reduce SGD against asynchronous parameter-server SGD, with and
 * without stragglers (Jin, Yuan, Iandola & Keutzer 2016, "How to scale distributed deep
 * learning?", arXiv:1611.04581).
 *
 * ResNet-50 (examples/workloads/resnet50.yaml) runs data parallel on 4 to 128 GPUs, one H100
 * and one NDR HCA per host on a two-level fat-tree: synchronously (ring all-reduce of the
 * gradients, one update of the global batch per iteration) and asynchronously (each worker
 * pushes its gradient to parameter servers and pulls the weights, one update of its own batch
 * per iteration, as stale as the servers say). SgdProgressModel turns every update into
 * effective updates (batch-size and staleness rules with cited defaults, both Attributes), and
 * the study reports the time to a fixed number of effective updates against the GPU count,
 * and where synchronous training overtakes asynchronous. --check replays the smallest counts
 * packet by packet and says how far the analytical backend is off.
 *
 *   study-sync-async-sgd                         (the sweep, analytical, with the check)
 *   study-sync-async-sgd --sigma=0 --plot=out    (no stragglers; figure in out/)
 *   study-sync-async-sgd --ns3::SgdProgressModel::StalenessRule=none
 *
 * See doc/study-sync-async-sgd.md.
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <cmath>
#include <fmt/core.h>
#include <iostream>
#include <sstream>
#include <unistd.h>

using namespace ns3;

namespace
{

/// One run of the sweep.
struct SgdRun
{
    uint32_t workers{0};  //!< data-parallel workers
    uint32_t servers{0};  //!< parameter servers (asynchronous)
    bool async{false};    //!< parameter server
    double sigma{0};      //!< straggler spread
    SgdProgress progress; //!< what its updates were worth
    Time updateInterval;  //!< mean time between a worker's updates
    Time exposed;         //!< mean exposed communication per worker iteration
};

/**
 * \param hosts hosts of one H100 and one NDR HCA each
 * \return the fabric: a two-level fat-tree of radix 64 (up to 2048 hosts), non-blocking
 */
Ptr<FabricTopology>
Hosts(uint32_t hosts)
{
    const std::string yaml = "name: hosts\n"
                             "node-kinds:\n"
                             "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
                             "nodes:\n"
                             "  - {kind: host, count: " +
                             std::to_string(hosts) +
                             "}\n"
                             "fat-tree: {levels: 2, radix: 64, oversubscription: 1, speed: NDR, "
                             "width: 4}\n";
    return TopologyHelper().Build(TopologyReader::ReadString(yaml, "study-sync-async-sgd hosts"));
}

/**
 * \param path a path as given
 * \return it, or the same path under the module's source directory if only that exists
 */
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

/**
 * \brief Run one configuration and value its updates.
 */
SgdRun
RunOne(const WorkloadDescription& base,
       uint32_t workers,
       uint32_t perWorkerBatch,
       bool async,
       uint32_t workersPerServer,
       double sigma,
       uint32_t iterations,
       const std::string& backend,
       Ptr<SgdProgressModel> model)
{
    SgdRun run;
    run.workers = workers;
    run.async = async;
    run.sigma = sigma;
    run.servers = async ? (workers + workersPerServer - 1) / workersPerServer : 0;

    WorkloadDescription w = base;
    w.training.globalBatch = workers * perWorkerBatch;
    w.training.microBatch = perWorkerBatch;
    w.training.gradientAccumulation = 0;
    w.plan.dp = workers;
    w.plan.tp = 1;
    w.plan.pp = 1;
    w.plan.mode = async ? TrainingMode::PARAMETER_SERVER : TrainingMode::SYNC;
    w.plan.servers = async ? run.servers : 1;
    Ptr<FabricTopology> topology = Hosts(workers + run.servers);
    w.Validate(topology->GetNRanks());

    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue(backend));
    helper.SetJobAttribute("Iterations", UintegerValue(iterations));
    helper.SetJobAttribute("Timeline", BooleanValue(false));
    helper.SetJobAttribute("MeasureLinks", BooleanValue(false));
    if (sigma > 0)
    {
        // Heavy-tailed compute times: a lognormal factor per worker and iteration.
        Ptr<LogNormalRandomVariable> slowdown = CreateObject<LogNormalRandomVariable>();
        slowdown->SetAttribute("Mu", DoubleValue(0.0));
        slowdown->SetAttribute("Sigma", DoubleValue(sigma));
        helper.SetJobAttribute("Slowdown", PointerValue(slowdown));
    }
    Ptr<TrainingJob> job = helper.Install(topology, w);
    job->AssignStreams(7);
    Simulator::Run();
    const TrainingReport report = job->GetReport();
    Simulator::Destroy();

    // Count updates while every worker still runs: a fast asynchronous worker that is done
    // early would otherwise leave the others' staleness behind.
    Time until = Time::Max();
    if (async)
    {
        for (uint32_t k = 0; k < report.workers; ++k)
        {
            const auto mine = report.GetWorker(k);
            if (!mine.empty())
            {
                until = std::min(until, mine.back().end);
            }
        }
    }
    run.progress = model->Evaluate(report, w.training.globalBatch, until);
    Time exposed;
    for (const auto& r : report.perWorker)
    {
        exposed += r.exposed;
    }
    const double perWorker = double(run.progress.updates) / (async ? workers : 1);
    run.updateInterval = Seconds(run.progress.lastUpdate.GetSeconds() / perWorker);
    run.exposed = report.perWorker.empty() ? Time() : exposed / double(report.perWorker.size());
    return run;
}

/**
 * \param list "4,8,16"
 * \return the numbers
 */
std::vector<uint32_t>
ParseList(const std::string& list)
{
    std::vector<uint32_t> out;
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        try
        {
            size_t used = 0;
            const unsigned long v = std::stoul(item, &used);
            if (used != item.size() || v < 2 || v > 480)
            {
                throw std::invalid_argument(item);
            }
            out.push_back(uint32_t(v));
        }
        catch (const std::exception&)
        {
            throw FabricConfigError("--gpus", "\"" + item + "\" is not a GPU count from 2 to 480");
        }
    }
    if (out.empty())
    {
        throw FabricConfigError("--gpus", "needs at least one GPU count");
    }
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS);
    std::string workloadFile = "examples/workloads/resnet50.yaml";
    std::string gpuList = "4,8,16,32,64,128";
    uint32_t perWorkerBatch = 64;
    uint32_t workersPerServer = 1;
    uint32_t iterations = 10;
    double sigma = 0.3;
    double target = 10000;
    bool check = true;
    std::string plotDir;

    CommandLine cmd(__FILE__);
    cmd.Usage("Synchronous all-reduce SGD against asynchronous parameter-server SGD, with "
              "stragglers: time to a fixed number of effective updates against GPU count");
    cmd.AddValue("workload", "Workload file (its model; the plan is set here)", workloadFile);
    cmd.AddValue("gpus", "Worker counts, comma separated", gpuList);
    cmd.AddValue("batch", "Samples per worker and iteration", perWorkerBatch);
    cmd.AddValue("workersPerServer",
                 "Asynchronous: workers per parameter server",
                 workersPerServer);
    cmd.AddValue("iterations", "Iterations each worker runs", iterations);
    cmd.AddValue("sigma",
                 "Stragglers: sigma of the lognormal compute-time factor (0: none)",
                 sigma);
    cmd.AddValue("target", "Effective (noise-free, fresh) updates to reach", target);
    cmd.AddValue("check", "Replay the two smallest counts packet by packet", check);
    cmd.AddValue("plot", "Directory for the figure (time to target against GPUs)", plotDir);
    cmd.Parse(argc, argv);

    try
    {
        if (perWorkerBatch == 0 || iterations < 2 || workersPerServer == 0 || !(target > 0) ||
            sigma < 0)
        {
            throw FabricConfigError("study-sync-async-sgd",
                                    "--batch, --workersPerServer and --target must be > 0, "
                                    "--iterations >= 2 and --sigma >= 0");
        }
        const std::vector<uint32_t> counts = ParseList(gpuList);
        const WorkloadDescription base = WorkloadReader::ReadFile(FindFile(workloadFile));
        Ptr<SgdProgressModel> model = CreateObject<SgdProgressModel>();
        std::vector<double> sigmas = {0.0};
        if (sigma > 0)
        {
            sigmas.push_back(sigma);
        }

        fmt::print("{} on 1-GPU NDR hosts, {} samples per worker and iteration, target {} "
                   "effective updates\n",
                   base.name,
                   perWorkerBatch,
                   target);
        fmt::print("{:>5} {:>6} {:>7} {:>7} {:>11} {:>10} {:>10} {:>9} {:>12} {:>10}\n",
                   "gpus",
                   "mode",
                   "servers",
                   "sigma",
                   "update_ms",
                   "exposed_ms",
                   "staleness",
                   "value",
                   "samples/s",
                   "target_min");
        std::vector<std::vector<double>> rows;
        std::map<double, double> crossover;
        for (uint32_t n : counts)
        {
            std::vector<double> row = {double(n)};
            for (double s : sigmas)
            {
                double syncMinutes = 0;
                for (bool async : {false, true})
                {
                    const SgdRun r = RunOne(base,
                                            n,
                                            perWorkerBatch,
                                            async,
                                            workersPerServer,
                                            s,
                                            iterations,
                                            "analytical",
                                            model);
                    const double minutes = r.progress.TimeTo(target).GetSeconds() / 60.0;
                    fmt::print("{:>5} {:>6} {:>7} {:>7.2f} {:>11.3f} {:>10.3f} {:>10.2f} {:>9.4f} "
                               "{:>12.0f} {:>10.3f}\n",
                               n,
                               async ? "async" : "sync",
                               r.servers,
                               s,
                               r.updateInterval.GetSeconds() * 1e3,
                               r.exposed.GetSeconds() * 1e3,
                               r.progress.meanStaleness,
                               r.progress.progress / r.progress.updates,
                               r.progress.samplesPerSecond,
                               minutes);
                    row.push_back(minutes);
                    if (!async)
                    {
                        syncMinutes = minutes;
                    }
                    else if (syncMinutes < minutes && crossover.count(s) == 0)
                    {
                        crossover[s] = n;
                    }
                }
            }
            rows.push_back(row);
        }
        for (double s : sigmas)
        {
            const std::string what =
                s > 0 ? fmt::format("stragglers (sigma {})", s) : std::string("no stragglers");
            if (crossover.count(s) && crossover[s] == counts.front())
            {
                fmt::print("{}: synchronous all-reduce is faster from the smallest count, {} "
                           "GPUs\n",
                           what,
                           counts.front());
            }
            else if (crossover.count(s))
            {
                fmt::print("{}: synchronous all-reduce overtakes asynchronous SGD at {} GPUs\n",
                           what,
                           crossover[s]);
            }
            else
            {
                fmt::print("{}: asynchronous SGD stays ahead up to {} GPUs\n", what, counts.back());
            }
        }
        fmt::print("paper (Jin et al. 2016): asynchronous parameter-server SGD is competitive on "
                   "few nodes, synchronous all-reduce SGD scales better to many\n");

        if (!plotDir.empty())
        {
            std::vector<std::string> names = {"sync", "async (parameter server)"};
            if (sigmas.size() > 1)
            {
                names.push_back(fmt::format("sync, stragglers (sigma {})", sigma));
                names.push_back(fmt::format("async, stragglers (sigma {})", sigma));
            }
            FabricPlotHelper(plotDir).PlotSeries(
                "sync-async-sgd",
                fmt::format("ResNet-50: time to {:g} effective updates", target),
                "GPUs (workers)",
                "time to target (minutes)",
                names,
                rows,
                true,
                true,
                "set key inside top right\nset xrange [3:180]\nset xtics (4, 8, 16, 32, 64, "
                "128)\n");
        }

        if (check)
        {
            fmt::print("\npacket-level check (no stragglers, {} iterations)\n", iterations);
            fmt::print("{:>5} {:>9} {:>16} {:>16} {:>8}\n",
                       "gpus",
                       "mode",
                       "analytical_ms",
                       "packet_ms",
                       "off%");
            // Each count synchronously, asynchronously as configured, and asynchronously with
            // 4 workers per server, where the servers' links see incast.
            for (size_t i = 0; i < std::min<size_t>(2, counts.size()); ++i)
            {
                for (uint32_t perServer : {0u, workersPerServer, 4u})
                {
                    if (perServer == 4 && workersPerServer == 4)
                    {
                        continue;
                    }
                    Time interval[2];
                    for (bool packet : {false, true})
                    {
                        interval[packet] = RunOne(base,
                                                  counts[i],
                                                  perWorkerBatch,
                                                  perServer > 0,
                                                  std::max(perServer, 1u),
                                                  0,
                                                  iterations,
                                                  packet ? "packet" : "analytical",
                                                  model)
                                               .updateInterval;
                    }
                    const double am = interval[0].GetSeconds() * 1e3;
                    const double pm = interval[1].GetSeconds() * 1e3;
                    fmt::print("{:>5} {:>9} {:>16.3f} {:>16.3f} {:>+8.1f}\n",
                               counts[i],
                               perServer ? fmt::format("async{}:1", perServer) : "sync",
                               am,
                               pm,
                               100 * (am - pm) / pm);
                }
            }
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        Simulator::Destroy();
        return 1;
    }
    Simulator::Destroy();
    return 0;
}
