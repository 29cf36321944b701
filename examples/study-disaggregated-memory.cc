/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Study: disaggregated memory on the fabric (Won et al., "ASTRA-sim2.0", ISPASS 2023).
 *
 * A MoE whose experts do not fit in HBM keeps them in memory on the fabric and loads them
 * layer by layer (examples/workloads/mixtral-8x7b-pooled-experts.yaml). Two placements of
 * that memory: local memory beside each server (examples/topologies/
 * dgx-h100-2node-local-memory.yaml; the replicas all-reduce the expert gradients), and one
 * pool shared by every server (dgx-h100-2node-memory-pool.yaml; the pool sums the replicas'
 * gradients itself). The pool's bandwidth is swept on the analytical backend; the study
 * reports the iteration, exposed communication and exposed memory of each point against the
 * local case, and the bandwidth at which the pool breaks even. --check replays one point
 * packet by packet (long: about 25 minutes on 2 cores for the shipped model).
 *
 *   study-disaggregated-memory
 *   study-disaggregated-memory --bandwidths=100,200,400 --plot=out
 *
 * See doc/study-disaggregated-memory.md.
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <fstream>
#include <iostream>
#include <sstream>
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

/// One replay's figures.
struct Point
{
    Time iteration;     //!< the iteration
    Time exposed;       //!< exposed communication
    Time exposedMemory; //!< exposed memory
};

Point
Replay(const TopologyDescription& topo, const WorkloadDescription& base, const std::string& backend)
{
    Ptr<FabricTopology> topology = TopologyHelper().Build(topo);
    WorkloadDescription w = base;
    w.plan.dp = 0;
    w.training.gradientAccumulation = 0;
    w.Validate(topology->GetNGpus());
    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue(backend));
    helper.SetJobAttribute("Iterations", UintegerValue(1));
    helper.SetJobAttribute("Timeline", BooleanValue(false));
    helper.SetJobAttribute("MeasureLinks", BooleanValue(false));
    Ptr<TrainingJob> job = helper.Install(topology, w);
    Simulator::Run();
    const TrainingReport report = job->GetReport();
    Simulator::Destroy();
    if (report.iterations.empty())
    {
        throw FabricConfigError("study-disaggregated-memory", "the iteration did not finish");
    }
    const IterationRecord& it = report.iterations.front();
    return Point{it.time, it.exposed, it.exposedMemory};
}

double
Ms(Time t)
{
    return t.GetSeconds() * 1e3;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string workloadFile = "examples/workloads/mixtral-8x7b-pooled-experts.yaml";
    std::string localFile = "examples/topologies/dgx-h100-2node-local-memory.yaml";
    std::string poolFile = "examples/topologies/dgx-h100-2node-memory-pool.yaml";
    std::string bandwidths = "50,100,200,250,300,400,800,1600";
    std::string plotDir;
    double check = 0;
    CommandLine cmd(__FILE__);
    cmd.Usage("Local memory beside each server against one memory pool on the fabric, for a "
              "MoE with offloaded experts: the pool's bandwidth to break even.");
    cmd.AddValue("workload", "Workload file with memory.experts: pool", workloadFile);
    cmd.AddValue("local", "Topology with a memory node per server", localFile);
    cmd.AddValue("pool", "Topology with one shared memory node", poolFile);
    cmd.AddValue("bandwidths", "Pool bandwidths to sweep, GB/s, comma separated", bandwidths);
    cmd.AddValue("plot",
                 "Write disaggregated-memory.dat and .plt (gnuplot) into this folder",
                 plotDir);
    cmd.AddValue("check", "Also replay the pool at this bandwidth (GB/s) packet by packet", check);
    cmd.Parse(argc, argv);
    try
    {
        WorkloadDescription pooled = WorkloadReader::ReadFile(FindFile(workloadFile));
        if (pooled.memory.experts != StatePlacement::POOL)
        {
            throw FabricConfigError(workloadFile, "memory.experts must be pool for this study");
        }
        WorkloadDescription local = pooled;
        local.memory.reduceInPool = false; // per-server memories cannot sum across servers
        pooled.memory.reduceInPool = true;
        const TopologyDescription localTopo = TopologyReader::ReadFile(FindFile(localFile));
        const TopologyDescription poolTopo = TopologyReader::ReadFile(FindFile(poolFile));
        std::string poolKind;
        for (const auto& [name, kind] : poolTopo.kinds)
        {
            poolKind = kind.memory ? name : poolKind;
        }
        if (poolKind.empty())
        {
            throw FabricConfigError(poolFile, "the pool topology has no memory node kind");
        }

        fmt::print("workload  {}\n", pooled.name);
        fmt::print("local     {}\npool      {}\n\n", localTopo.name, poolTopo.name);
        const Point base = Replay(localTopo, local, "analytical");
        fmt::print("{:>14} {:>14} {:>14} {:>14} {:>10}\n",
                   "memory",
                   "iteration(ms)",
                   "exp.comm(ms)",
                   "exp.mem(ms)",
                   "vs local");
        fmt::print("{:>14} {:>14.1f} {:>14.1f} {:>14.1f} {:>10}\n",
                   "local",
                   Ms(base.iteration),
                   Ms(base.exposed),
                   Ms(base.exposedMemory),
                   "1.000");
        std::vector<std::pair<double, Point>> sweep;
        std::stringstream list(bandwidths);
        for (std::string item; std::getline(list, item, ',');)
        {
            const double gbs = std::stod(item);
            if (gbs <= 0)
            {
                throw FabricConfigError("--bandwidths", "bandwidths must be positive");
            }
            TopologyDescription t = poolTopo;
            t.kinds.at(poolKind).memoryBandwidth = DataRate(uint64_t(gbs * 8e9));
            const Point p = Replay(t, pooled, "analytical");
            sweep.emplace_back(gbs, p);
            fmt::print("{:>9.0f} GB/s {:>14.1f} {:>14.1f} {:>14.1f} {:>10.3f}\n",
                       gbs,
                       Ms(p.iteration),
                       Ms(p.exposed),
                       Ms(p.exposedMemory),
                       p.iteration.GetSeconds() / base.iteration.GetSeconds());
        }
        // Break-even: the first swept bandwidth at which the pool is no slower than local.
        for (size_t k = 0; k < sweep.size(); ++k)
        {
            if (sweep[k].second.iteration <= base.iteration)
            {
                fmt::print("\n# the pool breaks even with local memory between {:.0f} and {:.0f} "
                           "GB/s; above it exposed comm + memory is {:.2f}x lower\n",
                           k > 0 ? sweep[k - 1].first : 0.0,
                           sweep[k].first,
                           (base.exposed + base.exposedMemory).GetSeconds() /
                               (sweep.back().second.exposed + sweep.back().second.exposedMemory)
                                   .GetSeconds());
                break;
            }
            if (k + 1 == sweep.size())
            {
                fmt::print("\n# the pool does not break even in the swept range\n");
            }
        }
        if (check > 0)
        {
            TopologyDescription t = poolTopo;
            t.kinds.at(poolKind).memoryBandwidth = DataRate(uint64_t(check * 8e9));
            const Point a = Replay(t, pooled, "analytical");
            const Point p = Replay(t, pooled, "packet");
            fmt::print("# packet check at {:.0f} GB/s: packet {:.1f} ms, analytical {:.1f} ms "
                       "({:+.1f}%)\n",
                       check,
                       Ms(p.iteration),
                       Ms(a.iteration),
                       100 * (p.iteration.GetSeconds() / a.iteration.GetSeconds() - 1));
        }
        if (!plotDir.empty())
        {
            std::ofstream dat(plotDir + "/disaggregated-memory.dat");
            dat << "# pool_GBps iteration_ms exposed_comm_ms exposed_memory_ms local_ms\n";
            for (const auto& [gbs, p] : sweep)
            {
                dat << gbs << " " << Ms(p.iteration) << " " << Ms(p.exposed) << " "
                    << Ms(p.exposedMemory) << " " << Ms(base.iteration) << "\n";
            }
            std::ofstream plt(plotDir + "/disaggregated-memory.plt");
            plt << "set terminal pngcairo size 800,450\n"
                   "set output 'study-disaggregated-memory.png'\n"
                   "set logscale xy\nset xlabel 'pool bandwidth (GB/s)'\nset ylabel 'ms'\n"
                   "set grid\nset key top right\n"
                   "plot 'disaggregated-memory.dat' using 1:2 with linespoints title 'iteration, "
                   "pool', '' using 1:5 with lines dt 2 title 'iteration, local memory', '' "
                   "using 1:4 with linespoints title 'exposed memory, pool'\n";
            if (!dat || !plt)
            {
                throw FabricConfigError("--plot", "cannot write to " + plotDir);
            }
            fmt::print("# wrote {0}/disaggregated-memory.dat and .plt (cd {0} && gnuplot "
                       "disaggregated-memory.plt)\n",
                       plotDir);
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
