/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Cost of simulating an NVLink node against the transfer unit: the same 8-GPU all-to-all on
 * the DGX H100 preset, run with transfer units (NvlinkNetDevice's Mtu) of 256, 1024 and 4096
 * data bytes.
 *
 * A transfer unit of k x 256 bytes stands for k NVLink packets sent back to back, with every
 * header flit counted on the wire, so the bytes on the wire are the same at every unit and
 * only the granularity (and the number of simulator events) changes. 256 simulates each
 * NVLink packet.
 *
 * Scenario: NvlinkHelper::InstallBoard(NvlinkBoardSpec::DgxH100()) (8 GPUs, 18 links of
 * 25 GB/s each over 4 NVSwitch chips, default attributes), one FabricTrafficGenerator per
 * ordered pair of GPUs writing --bytes as one message, one FabricTrafficSink per GPU; all 56
 * flows start at 0, GPU g's in the order g+1, g+2, ... (mod 8), as in nvlink-node.
 *
 * For each unit it prints the simulated packet-hops (cable traversals by data transfer units:
 * the sum over every port of the board of its transmitted packets), the simulated completion
 * time (last delivery), the wall time of Simulator::Run() alone, packet-hops per wall second,
 * simulated NVLink bytes per wall second (wire bytes over every hop, header flits included,
 * and payload delivered), the events the simulator executed, the peak resident memory
 * (getrusage ru_maxrss: the process's high-water mark so far, so a later run's figure is at
 * least an earlier one's), and how far the completion time moved against unit 256, in percent.
 * Simulator::Destroy() runs between units.
 *
 * Try: --bytes=1048576, or --unit=4096 to run one unit (e.g. under
 * valgrind --tool=callgrind --toggle-collect='ns3::Simulator::Run()').
 */

#include "bench-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <chrono>
#include <fmt/core.h>
#include <iostream>
#include <sys/resource.h>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("NvlinkBench");

namespace
{

/// What one run measured.
struct RunResult
{
    uint32_t unit{0};       //!< transfer unit, data bytes
    uint64_t hops{0};       //!< packet-hops
    uint64_t wireBytes{0};  //!< bytes on the wire, every hop
    uint64_t delivered{0};  //!< payload bytes delivered to the sinks
    uint64_t drops{0};      //!< packets dropped anywhere
    uint64_t events{0};     //!< simulator events executed
    Time done;              //!< last delivery
    double buildSeconds{0}; //!< wall time of the set-up
    double runSeconds{0};   //!< wall time of Simulator::Run()
    double peakMiB{0};      //!< process high-water mark after the run
};

/**
 * \brief Build the board, run the all-to-all, collect the figures, destroy the simulation.
 * \param unit transfer unit in data bytes
 * \param bytes payload bytes per ordered pair of GPUs
 * \return what it measured
 */
RunResult
RunAllToAll(uint32_t unit, uint64_t bytes)
{
    RunResult result;
    result.unit = unit;
    const double t0 = WallClockSeconds();
    NvlinkHelper nvlink;
    nvlink.SetDeviceAttribute("Mtu", UintegerValue(unit));
    NvlinkBoard board = nvlink.InstallBoard(NvlinkBoardSpec::DgxH100());
    const uint32_t gpus = board.gpus.GetN();

    std::vector<Ptr<FabricTrafficSink>> sinks;
    for (uint32_t g = 0; g < gpus; ++g)
    {
        Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
        board.gpus.Get(g)->AddApplication(sink);
        sinks.push_back(sink);
        // Peers in the order g + 1, g + 2, ...: the GPUs' first packets go to different GPUs.
        for (uint32_t k = 1; k < gpus; ++k)
        {
            const uint32_t to = (g + k) % gpus;
            Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
            gen->SetDevice(board.GetGpuPort(g));
            gen->SetAttribute("DestinationLid", UintegerValue(board.gpuIds[to]));
            gen->SetAttribute("MessageSize", UintegerValue(bytes));
            gen->SetAttribute("MessageCount", UintegerValue(1));
            board.gpus.Get(g)->AddApplication(gen);
        }
    }
    const double t1 = WallClockSeconds();
    Simulator::Run();
    const double t2 = WallClockSeconds();
    result.buildSeconds = t1 - t0;
    result.runSeconds = t2 - t1;
    result.events = Simulator::GetEventCount();

    std::vector<Ptr<FabricNetDevice>> ports;
    for (const auto& links : board.links)
    {
        ports.insert(ports.end(), links.begin(), links.end());
    }
    for (uint32_t s = 0; s < board.switches.GetN(); ++s)
    {
        Ptr<FabricSwitch> sw = board.switches.Get(s)->GetObject<FabricSwitch>();
        for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
        {
            ports.push_back(sw->GetPort(p));
        }
    }
    for (const auto& port : ports)
    {
        result.hops += port->GetTxPackets();
        result.wireBytes += port->GetTxBytes();
        result.drops += port->GetRxDropCount();
    }
    for (const auto& sink : sinks)
    {
        result.delivered += sink->GetTotalPayloadBytes();
        for (const auto& [src, flow] : sink->GetFlows())
        {
            result.done = std::max(result.done, flow.lastRx);
        }
    }
    Simulator::Destroy();
    result.peakMiB = PeakRssMiB();
    return result;
}

/**
 * \brief Print one run's figures.
 * \param r what it measured
 * \param expected payload bytes the run should deliver
 * \param reference the unit-256 run, or nullptr
 */
void
Report(const RunResult& r, uint64_t expected, const RunResult* reference)
{
    fmt::print("transfer unit {} B ({} NVLink packets per simulated packet)\n",
               r.unit,
               (r.unit + 255) / 256);
    fmt::print("  packet-hops (simulated)      {}\n", r.hops);
    fmt::print("  payload delivered            {} B of {} B{}\n",
               r.delivered,
               expected,
               r.drops ? fmt::format(", {} packets DROPPED", r.drops) : std::string());
    fmt::print("  completion (simulated)       {:.3f} us\n", r.done.GetSeconds() * 1e6);
    fmt::print("  build (wall)                 {:.3f} s\n", r.buildSeconds);
    fmt::print("  Simulator::Run() (wall)      {:.3f} s\n", r.runSeconds);
    fmt::print("  packet-hops/s                {:.0f} ({:.1f} ns of wall per hop)\n",
               r.hops / r.runSeconds,
               r.runSeconds / r.hops * 1e9);
    fmt::print("  NVLink bytes/s (simulated)   {:.3f} GB wire (all hops) and {:.3f} GB payload "
               "per wall second\n",
               r.wireBytes / r.runSeconds / 1e9,
               r.delivered / r.runSeconds / 1e9);
    fmt::print("  events executed              {} ({:.2f} per packet-hop)\n",
               r.events,
               static_cast<double>(r.events) / r.hops);
    fmt::print("  peak memory (ru_maxrss)      {:.1f} MiB (process high-water mark so far)\n",
               r.peakMiB);
    if (reference)
    {
        fmt::print("  completion vs unit 256       {:+.3f}%\n",
                   100.0 * (r.done.GetSeconds() / reference->done.GetSeconds() - 1.0));
    }
    else
    {
        fmt::print("  completion vs unit 256       n/a (no unit-256 run)\n");
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    // Picosecond resolution: an NVLink 4 link moves a byte in 40 ps.
    Time::SetResolution(Time::PS);

    uint64_t bytes = uint64_t{8} << 20; // a few seconds of Simulator::Run() in all
    uint32_t unit = 0;

    CommandLine cmd(__FILE__);
    cmd.AddValue("bytes", "Payload bytes per ordered pair of GPUs (56 pairs)", bytes);
    cmd.AddValue("unit",
                 "Run one transfer unit (16-65535 data bytes); 0: 256, 1024 and 4096",
                 unit);
    cmd.Parse(argc, argv);

    try
    {
        if (bytes == 0 || (unit != 0 && (unit < 16 || unit > 0xFFFF)))
        {
            throw FabricConfigError("command line", "needs --bytes >= 1 and --unit 0 or 16-65535");
        }
        const std::vector<uint32_t> units =
            unit ? std::vector<uint32_t>{unit} : std::vector<uint32_t>{256, 1024, 4096};
        const NvlinkBoardSpec spec = NvlinkBoardSpec::DgxH100();
        const uint64_t expected = bytes * spec.gpus * (spec.gpus - 1);
        fmt::print("nvlink-bench: {} all-to-all, {} GPUs x {} links of {:.0f} GB/s; {} B per "
                   "ordered pair ({} B in all)\n",
                   spec.name,
                   spec.gpus,
                   spec.LinksPerGpu(),
                   spec.linkRate.GetBitRate() / 8e9,
                   bytes,
                   expected);

        std::vector<RunResult> results;
        results.reserve(units.size()); // keeps the reference pointer valid
        const RunResult* reference = nullptr;
        for (uint32_t u : units)
        {
            results.push_back(RunAllToAll(u, bytes));
            if (u == 256)
            {
                reference = &results.back();
            }
            Report(results.back(), expected, reference);
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "nvlink-bench: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
