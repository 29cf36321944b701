/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * The Crius study (doc/study-crius.md): schedule a job trace on a mixed A100 / H100 cluster
 * with Cells (Xue et al. 2024) and with first come, first served on the users' own plans,
 * then replay each schedule with every job's TrainingApplications on one fabric, packet by
 * packet and on the analytical backend, so that jobs interfere on shared links.
 *
 *   study-crius                         the shipped trace on examples/studies/hetero-cluster.yaml
 *   study-crius --replay=analytical     estimates and the analytical replay only (seconds)
 *   study-crius --alone --plot=DIR      also every job alone at packet level; pictures
 *
 * It prints each schedule (Cell, plan, GPUs, start, end), job completion times, makespan and
 * cluster throughput per scheduler and backend, and each job's slowdown from interference:
 * its packet-level iteration time in the shared replay over its analytical (alone) estimate.
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"

#include <chrono>
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

double
Ms(Time t)
{
    return t.GetSeconds() * 1e3;
}

std::string
Ranks(const std::vector<uint32_t>& r)
{
    if (r.empty())
    {
        return "-";
    }
    // Runs of consecutive ranks as a-b.
    std::string s;
    for (size_t i = 0; i < r.size();)
    {
        size_t j = i;
        while (j + 1 < r.size() && r[j + 1] == r[j] + 1)
        {
            ++j;
        }
        s += (s.empty() ? "" : ",") + std::to_string(r[i]) +
             (j > i ? "-" + std::to_string(r[j]) : "");
        i = j + 1;
    }
    return s;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string traceFile = "examples/studies/crius-trace.yaml";
    std::string topologyFile = "examples/studies/hetero-cluster.yaml";
    std::string replay = "both";
    std::string plotDir;
    bool alone = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("trace", "Job trace (YAML)", traceFile);
    cmd.AddValue("topology", "Cluster topology (YAML, node kinds naming their GPU)", topologyFile);
    cmd.AddValue("replay", "both, packet, analytical or none", replay);
    cmd.AddValue("alone",
                 "Also replay every job alone at packet level, to separate interference between "
                 "jobs from the packet level's own effects (congestion inside a job)",
                 alone);
    cmd.AddValue("plot",
                 "Write crius-jct.dat and crius-jct.plt (gnuplot: each job's completion time "
                 "per scheduler and backend) to this directory",
                 plotDir);
    cmd.Parse(argc, argv);

    try
    {
        if (replay != "both" && replay != "packet" && replay != "analytical" && replay != "none")
        {
            throw FabricConfigError("--replay",
                                    "\"" + replay + "\" is not both, packet, analytical or none");
        }
        const TopologyDescription description = TopologyReader::ReadFile(FindFile(topologyFile));
        const JobTrace trace = JobTraceReader::ReadFile(FindFile(traceFile));
        fmt::print("trace      {} ({}, {} jobs)\n", trace.name, traceFile, trace.jobs.size());
        fmt::print("cluster    {} ({})\n", description.name, topologyFile);

        const auto t0 = std::chrono::steady_clock::now();
        Ptr<FabricTopology> planning = TopologyHelper().Build(description);
        CellEstimator estimator(planning);
        const ClusterSpec cluster = CellEstimator::ClusterOf(planning);
        auto estimate = [&](const TraceJob& j, const JobCell& c) {
            return estimator.Estimate(j, c);
        };
        std::vector<std::pair<std::string, std::vector<JobPlacement>>> schedules;
        {
            CellScheduler fcfs(cluster, estimate);
            schedules.emplace_back("fcfs", fcfs.Schedule(trace, CellScheduler::FCFS));
            CellScheduler cells(cluster, estimate);
            schedules.emplace_back("cells", cells.Schedule(trace, CellScheduler::CELLS));
        }
        Simulator::Destroy();
        const double planSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        fmt::print("scheduling {:.2f} s (both schedulers, analytical estimates)\n", planSeconds);

        struct Row
        {
            std::string scheduler;
            std::string backend;
            ScheduleSummary summary;
        };

        std::vector<Row> rows;
        // Per (scheduler, times): each job's completion time, ms (0: not placed).
        std::vector<std::pair<std::string, std::vector<double>>> jcts;
        auto record = [&](const std::string& label,
                          const std::vector<JobPlacement>& placements,
                          const std::vector<Time>& ends) {
            std::vector<double> v(trace.jobs.size(), 0.0);
            for (uint32_t i = 0; i < placements.size(); ++i)
            {
                if (placements[i].placed)
                {
                    const Time end = ends.empty() ? placements[i].end : ends[i];
                    v[placements[i].job] = Ms(end - trace.jobs[placements[i].job].arrival);
                }
            }
            jcts.emplace_back(label, v);
        };
        for (const auto& [name, placements] : schedules)
        {
            fmt::print("\n== {} schedule (estimates)\n", name);
            fmt::print("{:<10} {:<5} {:>4} {:>3} {:>3} {:>3} {:<12} {:>9} {:>9} {:>9} {}\n",
                       "job",
                       "gpu",
                       "gpus",
                       "dp",
                       "tp",
                       "pp",
                       "ranks",
                       "arrive",
                       "start",
                       "end(ms)",
                       "note");
            for (const JobPlacement& p : placements)
            {
                const TraceJob& j = trace.jobs[p.job];
                if (!p.placed)
                {
                    fmt::print("{:<10} not placed: {}\n", j.name, p.reason);
                    continue;
                }
                fmt::print("{:<10} {:<5} {:>4} {:>3} {:>3} {:>3} {:<12} {:>9.2f} {:>9.2f} {:>9.2f} "
                           "{}\n",
                           j.name,
                           p.cell.gpuType,
                           p.cell.gpus,
                           p.cell.dp,
                           p.cell.tp,
                           p.cell.pp,
                           Ranks(p.ranks),
                           Ms(j.arrival),
                           Ms(p.start),
                           Ms(p.end),
                           p.waited.IsStrictlyPositive() ? p.reason : "");
            }
            rows.push_back({name, "estimate", SummariseSchedule(trace, placements)});
            record(name + " estimate", placements, {});
            for (const std::string backend : {"analytical", "packet"})
            {
                if (replay != "both" && replay != backend)
                {
                    continue;
                }
                const auto r0 = std::chrono::steady_clock::now();
                Ptr<FabricTopology> topology = TopologyHelper().Build(description);
                ClusterReplayHelper helper;
                helper.SetBackend(backend);
                const std::vector<ReplayedJob> ran = helper.Run(topology, trace, placements);
                Simulator::Destroy();
                const double wall =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count();
                std::vector<Time> ends;
                for (uint32_t i = 0; i < ran.size(); ++i)
                {
                    ends.push_back(ran[i].ran ? ran[i].end : placements[i].end);
                }
                rows.push_back({name, backend, SummariseSchedule(trace, placements, ends)});
                record(name + " " + backend, placements, ends);
                // Each job alone at packet level, on the same GPUs.
                std::vector<Time> aloneIteration(ran.size());
                if (alone && backend == "packet")
                {
                    for (uint32_t i = 0; i < placements.size(); ++i)
                    {
                        if (!placements[i].placed)
                        {
                            continue;
                        }
                        std::vector<JobPlacement> single = placements;
                        for (uint32_t k = 0; k < single.size(); ++k)
                        {
                            single[k].placed = k == i;
                            single[k].start = Seconds(0);
                            single[k].after.clear();
                        }
                        Ptr<FabricTopology> t = TopologyHelper().Build(description);
                        ClusterReplayHelper one;
                        one.SetBackend("packet");
                        aloneIteration[i] = one.Run(t, trace, single)[i].meanIteration;
                        Simulator::Destroy();
                    }
                }
                const bool withAlone = alone && backend == "packet";
                fmt::print("-- {} replay ({:.1f} s wall)\n", backend, wall);
                fmt::print("{:<10} {:>9} {:>9} {:>14} {:>14} {:>10}{}\n",
                           "job",
                           "start",
                           "end(ms)",
                           "iteration(ms)",
                           "estimate(ms)",
                           "slowdown",
                           withAlone ? "   alone(ms) interference" : "");
                for (uint32_t i = 0; i < ran.size(); ++i)
                {
                    if (!ran[i].ran)
                    {
                        continue;
                    }
                    const JobPlacement& p = placements[i];
                    fmt::print("{:<10} {:>9.2f} {:>9.2f} {:>14.3f} {:>14.3f} {:>10.3f}",
                               trace.jobs[p.job].name,
                               Ms(ran[i].start),
                               Ms(ran[i].end),
                               Ms(ran[i].meanIteration),
                               Ms(p.cell.iteration),
                               ran[i].meanIteration.GetSeconds() / p.cell.iteration.GetSeconds());
                    if (withAlone && aloneIteration[i].IsStrictlyPositive())
                    {
                        fmt::print(" {:>11.3f} {:>12.3f}",
                                   Ms(aloneIteration[i]),
                                   ran[i].meanIteration.GetSeconds() /
                                       aloneIteration[i].GetSeconds());
                    }
                    fmt::print("\n");
                }
            }
        }
        fmt::print("\n{:<8} {:<11} {:>7} {:>13} {:>13} {:>18}\n",
                   "policy",
                   "times",
                   "placed",
                   "mean JCT(ms)",
                   "makespan(ms)",
                   "samples/s");
        for (const Row& r : rows)
        {
            fmt::print("{:<8} {:<11} {:>7} {:>13.2f} {:>13.2f} {:>18.0f}\n",
                       r.scheduler,
                       r.backend,
                       r.summary.placed,
                       r.summary.meanJct * 1e3,
                       r.summary.makespan * 1e3,
                       r.summary.throughput);
        }
        for (const std::string b : {"estimate", "analytical", "packet"})
        {
            const Row* f = nullptr;
            const Row* c = nullptr;
            for (const Row& r : rows)
            {
                if (r.backend == b)
                {
                    (r.scheduler == "fcfs" ? f : c) = &r;
                }
            }
            if (f && c)
            {
                fmt::print("# {}: cells / fcfs mean JCT {:.3f}, makespan {:.3f}\n",
                           b,
                           c->summary.meanJct / f->summary.meanJct,
                           c->summary.makespan / f->summary.makespan);
            }
        }
        if (!plotDir.empty())
        {
            std::ofstream dat(plotDir + "/crius-jct.dat");
            dat << "# job";
            for (const auto& [label, v] : jcts)
            {
                dat << " \"" << label << "\"";
            }
            dat << "\n";
            for (uint32_t j = 0; j < trace.jobs.size(); ++j)
            {
                dat << trace.jobs[j].name;
                for (const auto& [label, v] : jcts)
                {
                    dat << " " << v[j];
                }
                dat << "\n";
            }
            std::ofstream plt(plotDir + "/crius-jct.plt");
            plt << "set terminal pngcairo size 900,450\nset output 'crius-jct.png'\n"
                << "set title '" << trace.name << ": job completion time'\n"
                << "set style data histograms\nset style histogram clustered gap 1\n"
                << "set style fill solid 0.8 border -1\nset ylabel 'ms (end - arrival)'\n"
                << "set key top left\nset grid ytics\nset xtics rotate by -30\nplot ";
            for (size_t c = 0; c < jcts.size(); ++c)
            {
                plt << (c ? ", " : "") << "'crius-jct.dat' using " << c + 2 << (c ? "" : ":xtic(1)")
                    << " title '" << jcts[c].first << "'";
            }
            plt << "\n";
            if (!dat || !plt)
            {
                throw FabricConfigError("--plot", "cannot write to " + plotDir);
            }
            fmt::print("# wrote {0}/crius-jct.dat and {0}/crius-jct.plt (cd {0} && gnuplot "
                       "crius-jct.plt)\n",
                       plotDir);
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << "study-crius: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
