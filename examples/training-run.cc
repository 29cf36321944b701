/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * The main job: one training job replayed over a fabric, packet by packet and on the
 * analytical backend in the same run, with the iteration's breakdown (compute, communication,
 * exposed communication, idle), per-communicator traffic and the links that bound it. Writes
 * a JSON report and a Chrome-trace timeline (open it in ui.perfetto.dev).
 *
 * Without arguments: the GPT-style workload examples/workloads/gpt-mainjob.yaml (TP 8 x PP 2 x
 * DP 2) on examples/topologies/dgx-h100-4node-ndr-railopt.yaml (4 DGX H100, NDR rails).
 *
 *   training-run --workload=examples/workloads/llama-70b.yaml --topology=... --iterations=2
 *   training-run --slowdown="ns3::UniformRandomVariable[Min=1|Max=1.3]" --stragglers=5:0:2.0
 *   training-run --queue-period=10us   (the hottest ports' queue and credit-stall series in
 *                                       report.json, links.hot_port_series)
 *   training-run --chakra=/tmp/mainjob   (replay the Chakra trace /tmp/mainjob.<rank>.et, as
 *                                         workload-info --chakra-out writes it, or a foreign one)
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <chrono>
#include <fmt/core.h>
#include <fstream>
#include <iostream>
#include <sys/resource.h>
#include <unistd.h>

using namespace ns3;

namespace
{

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
 * \param t a time
 * \return it in microseconds
 */
double
Us(Time t)
{
    return t.GetPicoSeconds() / 1e6;
}

/**
 * \param bytes a byte count
 * \return it in GiB or MiB
 */
std::string
Bytes(double bytes)
{
    return bytes >= 1073741824.0 ? fmt::format("{:.2f} GiB", bytes / 1073741824.0)
                                 : fmt::format("{:.1f} MiB", bytes / 1048576.0);
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string workloadFile = "examples/workloads/gpt-mainjob.yaml";
    std::string topologyFile = "examples/topologies/dgx-h100-4node-ndr-railopt.yaml";
    std::string backend = "both";
    uint32_t iterations = 1;
    std::string reportFile = "report.json";
    std::string timelineFile = "timeline.json";
    std::string slowdown;
    std::string stragglers;
    bool perWorker = false;
    std::string astraSimFile;
    AstraSimImportOptions astraSim;
    std::string chakra;
    std::string plotDir;
    bool quiet = false;
    bool noFaults = false;
    std::string queuePeriod = "0";

    CommandLine cmd(__FILE__);
    cmd.AddValue("workload", "Workload file (YAML)", workloadFile);
    cmd.AddValue("topology", "Topology file (YAML)", topologyFile);
    cmd.AddValue("backend", "packet, analytical, or both (side by side)", backend);
    cmd.AddValue("iterations", "Iterations to run", iterations);
    cmd.AddValue("report", "JSON report to write (none: no report)", reportFile);
    cmd.AddValue(
        "timeline",
        "Chrome-trace timeline to write, of the packet-level run if any (none: no timeline)",
        timelineFile);
    cmd.AddValue("slowdown",
                 "Straggler factor per GPU and iteration, a random variable "
                 "(e.g. ns3::LogNormalRandomVariable[Mu=0|Sigma=0.1])",
                 slowdown);
    cmd.AddValue("stragglers", "WORKER:ITERATION:FACTOR,... (ITERATION * for all)", stragglers);
    cmd.AddValue("per-worker", "Print every worker's breakdown", perWorker);
    cmd.AddValue("astra-sim",
                 "Replay an ASTRA-sim text workload instead of --workload",
                 astraSimFile);
    cmd.AddValue("clock",
                 "With --astra-sim: the clock its compute cycles tick at, Hz",
                 astraSim.clock);
    cmd.AddValue("mp",
                 "With --astra-sim HYBRID_DATA_MODEL / HYBRID_MODEL_DATA: the first dimension "
                 "(0: the GPUs of a server)",
                 astraSim.modelParallel);
    cmd.AddValue("chakra",
                 "Replay this Chakra trace (files PREFIX.<rank>.et) instead of --workload",
                 chakra);
    cmd.AddValue("plot",
                 "Write pictures to this directory: each backend's iteration breakdown per "
                 "worker, the packet run's link heat map and the topology coloured by its load",
                 plotDir);
    cmd.AddValue("quiet", "No progress on stderr", quiet);
    cmd.AddValue("no-faults",
                 "Ignore the topology file's faults section (the fault-free run to compare with)",
                 noFaults);
    cmd.AddValue("queue-period",
                 "Sample the switch ports' queue depth and credit stall at this period (e.g. "
                 "10us) into the report's hot-port series; 0: not sampled",
                 queuePeriod);
    cmd.Parse(argc, argv);

    try
    {
        if (backend != "both" && backend != "packet" && backend != "analytical")
        {
            throw FabricConfigError("--backend",
                                    "\"" + backend + "\" is not packet, analytical or both");
        }
        const double t0 =
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
                .count();
        Ptr<FabricTopology> topology =
            TopologyHelper().Build(TopologyReader::ReadFile(FindFile(topologyFile)));
        // Faults from the topology file (doc/faults.md); a watchdog so that a credit deadlock
        // ends the run with its cycle instead of hanging it.
        FabricFaultHelper faults;
        const FaultScheduleSpec faultSchedule =
            noFaults ? FaultScheduleSpec{} : FaultScheduleReader::ReadFile(FindFile(topologyFile));
        faults.Install(topology, faultSchedule);
        Ptr<FabricDeadlockWatchdog> watchdog = CreateObject<FabricDeadlockWatchdog>();
        watchdog->Start();
        std::shared_ptr<const ExecutionGraph> graph;
        if (astraSimFile.empty() && chakra.empty())
        {
            graph = TrainingHelper::Generate(
                topology,
                TrainingHelper::ReadWorkload(topology, FindFile(workloadFile)));
        }
        else if (chakra.empty())
        {
            // An ASTRA-sim text workload replayed on this topology's GPUs.
            workloadFile = astraSimFile;
            graph = std::make_shared<const ExecutionGraph>(AstraSimWorkloadReader::Build(
                AstraSimWorkloadReader::ReadFile(FindFile(astraSimFile)),
                WorkloadPlacement::ServersOf(topology->GetDescription()),
                astraSim));
        }
        else
        {
            graph = TrainingHelper::ReadChakra(topology, chakra);
            workloadFile = chakra + ".<rank>.et";
        }
        const WorkloadDescription& workload = graph->GetWorkload();

        TrainingHelper helper;
        helper.SetJobAttribute("Iterations", UintegerValue(iterations));
        helper.SetJobAttribute("HotPortSamplePeriod",
                               TimeValue(ParseDuration(queuePeriod, "--queue-period")));
        if (!slowdown.empty())
        {
            helper.SetJobAttribute("Slowdown", StringValue(slowdown));
        }
        std::vector<Ptr<TrainingJob>> jobs;
        for (const std::string b : {"packet", "analytical"})
        {
            if (backend == "both" || backend == b)
            {
                helper.SetJobAttribute("Backend", StringValue(b));
                // Only one timeline is written: do not record the other's.
                helper.SetJobAttribute(
                    "Timeline",
                    BooleanValue(jobs.empty() && !timelineFile.empty() && timelineFile != "none"));
                Ptr<TrainingJob> job = helper.Install(topology, graph);
                job->SetStragglers(stragglers, "--stragglers", iterations);
                // Both backends draw the same stragglers.
                job->AssignStreams(0);
                jobs.push_back(job);
            }
        }
        const double t1 =
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
                .count();
        FabricLinkUsage portUsage(topology);
        portUsage.Start();
        FabricProgress meter(std::cerr);
        const bool progress = FabricProgress::ShouldShow(quiet);
        if (progress)
        {
            meter.Start(workload.name);
        }
        Simulator::Run();
        if (progress)
        {
            meter.Stop();
        }
        const double t2 =
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
                .count();

        const ParallelismPlan& p = workload.plan;
        fmt::print("workload   {} ({})\n", workload.name, workloadFile);
        fmt::print("topology   {} ({} GPUs)\n",
                   topology->GetDescription().name,
                   topology->GetNGpus());
        fmt::print("plan       dp {} x tp {}{} x pp {}{}, {} micro-batches of {}, zero {}, "
                   "overlap {}, {}\n",
                   p.dp,
                   p.tp,
                   p.sequenceParallel ? " (SP)" : "",
                   p.pp,
                   p.ep > 1 ? fmt::format(" ep {}", p.ep) : "",
                   workload.GetMicroBatches(),
                   workload.training.microBatch,
                   p.zero,
                   p.overlap ? "on" : "off",
                   jobs.front()->GetReport().mode);
        for (const auto& warning : graph->GetPlacement().GetWarnings())
        {
            fmt::print("warning    {}\n", warning);
        }
        if (faultSchedule.present)
        {
            uint64_t crc = 0;
            uint64_t lost = 0;
            FabricFaultHelper::CountDrops(
                NodeContainer(topology->GetGpuNodes(), topology->GetSwitchNodes()),
                crc,
                lost);
            fmt::print("faults     {} cable changes, {} SM sweeps, {} packets lost with cables, "
                       "{} to CRC errors (compare with --no-faults for the time lost)\n",
                       faults.GetEvents().size(),
                       faults.GetSubnetManager() ? faults.GetSubnetManager()->GetSweeps() : 0,
                       lost,
                       crc);
        }
        fmt::print("\n{:>9} {:>10} {:>12} {:>12} {:>12} {:>12} {:>12} {:>7}\n",
                   "iteration",
                   "backend",
                   "time(us)",
                   "compute(us)",
                   "comm(us)",
                   "exposed(us)",
                   "idle(us)",
                   "MFU");
        std::vector<TrainingReport> reports;
        for (const auto& job : jobs)
        {
            reports.push_back(job->GetReport());
        }
        // Pooled memory: its time apart from communication, and what of it nothing hid.
        const bool pooled = workload.memory.UsesPool();
        for (uint32_t i = 0; i < iterations; ++i)
        {
            for (const auto& r : reports)
            {
                if (i >= r.iterations.size())
                {
                    fmt::print("{:>9} {:>10} (not finished)\n", i, r.backend);
                    continue;
                }
                const IterationRecord& it = r.iterations[i];
                fmt::print("{:>9} {:>10} {:>12.1f} {:>12.1f} {:>12.1f} {:>12.1f} {:>12.1f} "
                           "{:>6.1f}%\n",
                           i,
                           r.backend,
                           Us(it.time),
                           Us(it.compute),
                           Us(it.communication),
                           Us(it.exposed),
                           Us(it.idle),
                           100 * it.mfu);
                if (pooled)
                {
                    fmt::print("{:>9} {:>10} memory {:.1f} us, of it exposed {:.1f} us\n",
                               "",
                               "",
                               Us(it.memory),
                               Us(it.exposedMemory));
                }
            }
        }
        if (reports.size() == 2 && !reports[0].iterations.empty() && !reports[1].iterations.empty())
        {
            fmt::print("# packet / analytical iteration time: {:.3f}\n",
                       reports[0].iterations[0].time.GetSeconds() /
                           reports[1].iterations[0].time.GetSeconds());
        }
        fmt::print("\n{:>12} {:>8} {:>12} {:>16} {:>16}\n",
                   "communicator",
                   "ops",
                   "bytes",
                   reports.front().backend + " (us)",
                   "analytical (us)");
        for (const auto& g : reports.front().groups)
        {
            fmt::print("{:>12} {:>8} {:>12} {:>16.1f} {:>16.1f}\n",
                       g.group,
                       g.ops,
                       Bytes(g.bytes),
                       Us(g.time),
                       Us(g.analyticalSum));
        }
        fmt::print("(times are summed over operations; they overlap each other and compute)\n");
        for (const auto& r : reports)
        {
            if (!r.measuredLinks)
            {
                continue;
            }
            fmt::print("\n{:>26} {:>7} {:>12} {:>9} {:>8}\n",
                       "link class",
                       "ports",
                       "bytes",
                       "busiest",
                       "mean");
            for (const auto& c : r.links.classes)
            {
                fmt::print("{:>26} {:>7} {:>12} {:>8.1f}% {:>7.1f}%\n",
                           c.name,
                           c.activePorts,
                           Bytes(c.bytes),
                           100 * c.busiest,
                           100 * c.mean);
            }
            fmt::print("# over the whole run ({:.1f} us); {}\n",
                       Us(r.links.duration),
                       r.links.GetBoundBy());
            for (size_t i = 0; i < r.hotPorts.size() && i < 5; ++i)
            {
                const auto& h = r.hotPorts[i];
                fmt::print("# hot port {}: {:.1f} us above threshold, max queue {} B, credit "
                           "stall {:.1f} us\n",
                           h.name,
                           Us(h.aboveThreshold),
                           h.maxQueueBytes,
                           Us(h.creditStall));
            }
            if (r.hotPortSamplePeriod.IsStrictlyPositive() && !r.hotPorts.empty())
            {
                fmt::print("# {} samples of their queue and credit stall, one every {:.3f} us "
                           "from {:.1f} us (report: links.hot_port_series)\n",
                           r.hotPorts.front().queueSeries.size(),
                           Us(r.hotPortSamplePeriod),
                           Us(r.hotPortSampleStart));
            }
        }
        if (perWorker)
        {
            for (const auto& r : reports)
            {
                fmt::print("\n{} per worker: worker iteration time compute comm exposed idle "
                           "(us) slowdown\n",
                           r.backend);
                for (const auto& w : r.perWorker)
                {
                    fmt::print("{:>6} {:>4} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} "
                               "{:.3f}\n",
                               w.worker,
                               w.iteration,
                               Us(w.end - w.start),
                               Us(w.compute),
                               Us(w.communication),
                               Us(w.exposed),
                               Us(w.idle),
                               w.slowdown);
                }
            }
        }

        struct rusage usage
        {
        };

        getrusage(RUSAGE_SELF, &usage);
        reports.front().events = Simulator::GetEventCount();
        reports.front().wallSeconds = t2 - t1;
        fmt::print("\nwall {:.1f} s (set-up {:.1f} s, run {:.1f} s), {} events, peak RSS {:.0f} "
                   "MiB\n",
                   t2 - t0,
                   t1 - t0,
                   t2 - t1,
                   Simulator::GetEventCount(),
                   usage.ru_maxrss / 1024.0);
        if (!reportFile.empty() && reportFile != "none")
        {
            std::ofstream os(reportFile);
            reports.front().WriteJson(os, reports.size() > 1 ? &reports[1] : nullptr);
            if (!os)
            {
                throw FabricConfigError("--report", "cannot write " + reportFile);
            }
            fmt::print("wrote      {}\n", reportFile);
        }
        if (!timelineFile.empty() && timelineFile != "none")
        {
            std::vector<std::string> names;
            for (uint32_t w = 0; w < graph->GetNWorkers(); ++w)
            {
                const RankCoord c = graph->GetPlacement().GetCoord(w);
                names.push_back(fmt::format("GPU {} (dp {} pp {} tp {})",
                                            graph->GetPlacement().GetTopologyRank(w),
                                            c.dp,
                                            c.pp,
                                            c.tp));
            }
            std::ofstream os(timelineFile);
            jobs.front()->GetTimeline().WriteChromeTrace(os, names);
            if (!os)
            {
                throw FabricConfigError("--timeline", "cannot write " + timelineFile);
            }
            fmt::print("wrote      {} (open in ui.perfetto.dev)\n", timelineFile);
        }
        if (!plotDir.empty())
        {
            FabricPlotHelper plots(plotDir);
            std::vector<std::string> files;
            for (const auto& r : reports)
            {
                for (const auto& f : plots.PlotIterationBreakdown("iteration-" + r.backend, r))
                {
                    files.push_back(f);
                }
            }
            const bool packet = backend == "both" || backend == "packet";
            const std::vector<PortUsage> ports =
                packet ? portUsage.MeasurePorts() : std::vector<PortUsage>{};
            if (packet)
            {
                for (const auto& f :
                     plots.PlotLinkHeatMap("links",
                                           "link utilisation, " + workload.name + " on " +
                                               topology->GetDescription().name,
                                           ports))
                {
                    files.push_back(f);
                }
            }
            for (const auto& f : plots.PlotTopology("topology", topology, ports))
            {
                files.push_back(f);
            }
            for (const auto& f : files)
            {
                fmt::print("wrote      {}\n", f);
            }
        }
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
