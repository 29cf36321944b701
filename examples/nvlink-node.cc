/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * One NVLink node: the eight GPUs of a board preset and its NVSwitch chips, under one traffic
 * pattern, against the pattern's closed form.
 *
 * NvlinkHelper::InstallBoard() builds the board: every GPU cabled to every NVSwitch chip with
 * the preset's number of links (DGX H100: 18 NVLink 4 links of 25 GB/s, 5/4/4/5 over 4 chips;
 * DGX A100: 12 NVLink 3 links, 2 to each of 6 chips; HGX B200: 18 NVLink 5 links of 50 GB/s,
 * 9/9 over 2 chips). A GPU's links act as one port that sprays transfer units over them; every
 * chip sprays the units for a GPU over its links to that GPU.
 *
 *   GPU 0 ==\                 /== GPU 0
 *   GPU 1 ===+== NVSwitch k ==+=== GPU 1      (every GPU to every chip, several links each)
 *   ...   ==/                 \== ...
 *
 * Traffic: raw UC RDMA WRITEs (FabricTrafficGenerator), one message of --size bytes per flow,
 * all flows starting at 0:
 * - pairwise: GPU i -> GPU i^1 (0<->1, 2<->3, ...);
 * - all-to-all: every GPU to each of the seven others;
 * - fan-in: GPUs 1..7 -> GPU 0.
 *
 * A GPU's generators share its links' transmit queues, and the first to start fills them (18
 * links x 16 transfer units) before the others take turns. GPU i therefore starts its flows
 * in the order i+1, i+2, ... (mod 8), as NCCL staggers the peers of an all-to-all: the GPUs'
 * first packets go to eight different receivers. Started in board order instead, seven GPUs
 * would open with GPU 0 and the all-to-all would end about 1.6% later, the switches draining
 * that start-up backlog at the end.
 *
 * Printed: the board (links per GPU, link rate, the GPU's NVLink bandwidth per direction); per
 * GPU the egress and ingress rates, both as data payload (what the sinks received, per second
 * from 0 to the GPU's last delivery in that direction) and as wire bytes (NVLink header flits
 * included), with the closed form's figure beside the measured one; each GPU's completion time
 * (last delivery of its flows, out or in) against the closed form; link utilisation (time each
 * port's transmitter was busy with data / the run's completion time, min / mean / max over the
 * GPU-side ports, the NVSwitch-side ports and all of them); drops (0 with flow control).
 *
 * The closed forms: a GPU moves data at most at links x rate x 256/272 (an NVLink packet of
 * 256 data bytes carries a 16-byte header flit; in general data / wire bytes of one transfer
 * unit). Pairwise and all-to-all are limited by each sender's links (the chips' links to a
 * receiver match them); fan-in by the receiver's links, shared evenly by the seven senders.
 * The completion time is the bottleneck's wire bytes over its links' rate, plus the path
 * latency (two cables and one chip).
 *
 * Options: --board=H100|A100|B200, --pattern=pairwise|all-to-all|fan-in, --size (bytes per
 * flow), --unit (the transfer unit: NvlinkNetDevice's Mtu, 256 simulates every NVLink packet),
 * --pcap (GPU 0's first link: nvlink-node-*.pcap, link type 147 with the NvlinkHeader first).
 * Try: --pattern=fan-in --board=B200 --size=4194304 --unit=1024
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <fmt/core.h>
#include <fmt/format.h>
#include <iostream>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("NvlinkNode");

namespace
{

/// min / mean / max of a set of ratios.
struct Spread
{
    double min{0};  //!< smallest
    double mean{0}; //!< average
    double max{0};  //!< largest
};

/**
 * \param ports transmitting ports
 * \param runTime the run's length
 * \return their transmitters' busy time as a fraction of the run
 */
Spread
Utilisation(const std::vector<Ptr<FabricNetDevice>>& ports, Time runTime)
{
    Spread s;
    if (ports.empty() || !runTime.IsStrictlyPositive())
    {
        return s;
    }
    s.min = 1e300;
    for (const auto& port : ports)
    {
        const double u = port->GetTxBusyTime().GetSeconds() / runTime.GetSeconds();
        s.min = std::min(s.min, u);
        s.max = std::max(s.max, u);
        s.mean += u;
    }
    s.mean /= ports.size();
    return s;
}

/**
 * \param bytes bytes
 * \param t a duration
 * \return bytes per second in GB/s (10^9 B/s), or 0 for no time
 */
double
GBps(double bytes, Time t)
{
    return t.IsStrictlyPositive() ? bytes / t.GetSeconds() / 1e9 : 0.0;
}

/**
 * \param value a rate, or a negative number for none
 * \return the rate with two decimals, or "-"
 */
std::string
Cell(double value)
{
    return value < 0 ? std::string("-") : fmt::format("{:.2f}", value);
}

} // namespace

int
main(int argc, char* argv[])
{
    // Picosecond resolution: an NVLink 5 byte lasts 20 ps, a nanosecond clock would round
    // every transfer unit's serialisation time.
    Time::SetResolution(Time::PS);

    std::string boardName = "H100";
    std::string pattern = "all-to-all";
    uint64_t size = 16 << 20;
    uint32_t unit = 4096;
    bool pcap = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("board",
                 "Board preset: H100 (DGX H100), A100 (DGX A100), B200 (HGX B200)",
                 boardName);
    cmd.AddValue("pattern",
                 "Traffic: pairwise (i -> i^1), all-to-all, fan-in (1..7 -> 0)",
                 pattern);
    cmd.AddValue("size", "Bytes per flow (one message)", size);
    cmd.AddValue("unit",
                 "Transfer unit in data bytes (NvlinkNetDevice Mtu, 16-65535): 256 simulates "
                 "every NVLink packet",
                 unit);
    cmd.AddValue("pcap", "Write pcap of GPU 0's first link (nvlink-node-*.pcap)", pcap);
    cmd.Parse(argc, argv);

    try
    {
        if (pattern != "pairwise" && pattern != "all-to-all" && pattern != "fan-in")
        {
            throw FabricConfigError("command line",
                                    "--pattern is pairwise, all-to-all or fan-in, not \"" +
                                        pattern + "\"");
        }
        if (unit < 16 || unit > 0xFFFF || size == 0)
        {
            throw FabricConfigError("command line", "needs 16 <= --unit <= 65535 and --size >= 1");
        }
        const NvlinkBoardSpec spec = NvlinkBoardSpec::FromName(boardName);

        NvlinkHelper nvlink;
        nvlink.SetDeviceAttribute("Mtu", UintegerValue(unit));
        NvlinkBoard board = nvlink.InstallBoard(spec);
        const uint32_t gpus = board.gpus.GetN();
        if (pattern == "pairwise" && gpus % 2 != 0)
        {
            throw FabricConfigError("nvlink-node", "pairwise needs an even number of GPUs");
        }

        // Flows: (source, destination) board indices. A GPU's flows start in the order
        // from + 1, from + 2, ... (mod gpus), so that the first packets of the GPUs go to
        // different receivers.
        std::vector<std::pair<uint32_t, uint32_t>> flows;
        for (uint32_t from = 0; from < gpus; ++from)
        {
            for (uint32_t k = 1; k < gpus; ++k)
            {
                const uint32_t to = (from + k) % gpus;
                const bool wanted = pattern == "pairwise"     ? to == (from ^ 1)
                                    : pattern == "all-to-all" ? true
                                                              : to == 0;
                if (wanted)
                {
                    flows.emplace_back(from, to);
                }
            }
        }

        std::vector<Ptr<FabricTrafficSink>> sinks;
        for (uint32_t g = 0; g < gpus; ++g)
        {
            Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
            board.gpus.Get(g)->AddApplication(sink);
            sinks.push_back(sink);
        }
        std::vector<uint32_t> flowsOut(gpus);
        std::vector<uint32_t> flowsIn(gpus);
        for (const auto& [from, to] : flows)
        {
            Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
            gen->SetDevice(board.GetGpuPort(from));
            gen->SetAttribute("DestinationLid", UintegerValue(board.gpuIds[to]));
            gen->SetAttribute("MessageSize", UintegerValue(size));
            gen->SetAttribute("MessageCount", UintegerValue(1));
            board.gpus.Get(from)->AddApplication(gen);
            ++flowsOut[from];
            ++flowsIn[to];
        }
        if (pcap)
        {
            nvlink.EnablePcap("nvlink-node", board.links[0].front());
        }

        Simulator::Run();

        // Every port of the board, GPU side and NVSwitch side.
        std::vector<Ptr<FabricNetDevice>> gpuPorts;
        std::vector<Ptr<FabricNetDevice>> switchPorts;
        for (const auto& links : board.links)
        {
            gpuPorts.insert(gpuPorts.end(), links.begin(), links.end());
        }
        for (uint32_t s = 0; s < board.switches.GetN(); ++s)
        {
            Ptr<FabricSwitch> sw = board.switches.Get(s)->GetObject<FabricSwitch>();
            for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
            {
                switchPorts.push_back(sw->GetPort(p));
            }
        }
        std::vector<Ptr<FabricNetDevice>> allPorts(gpuPorts);
        allPorts.insert(allPorts.end(), switchPorts.begin(), switchPorts.end());

        // Measured, per GPU: payload delivered and last delivery, out and in.
        std::vector<uint64_t> payloadOut(gpus);
        std::vector<uint64_t> payloadIn(gpus);
        std::vector<Time> doneOut(gpus);
        std::vector<Time> doneIn(gpus);
        Time makespan;
        uint64_t delivered = 0;
        for (uint32_t to = 0; to < gpus; ++to)
        {
            for (const auto& [src, stats] : sinks[to]->GetFlows())
            {
                const auto it = std::find(board.gpuIds.begin(), board.gpuIds.end(), src);
                NS_ABORT_MSG_IF(it == board.gpuIds.end(), "delivery from unknown GPU " << src);
                const auto from = static_cast<uint32_t>(it - board.gpuIds.begin());
                payloadOut[from] += stats.payloadBytes;
                payloadIn[to] += stats.payloadBytes;
                doneOut[from] = std::max(doneOut[from], stats.lastRx);
                doneIn[to] = std::max(doneIn[to], stats.lastRx);
                makespan = std::max(makespan, stats.lastRx);
                delivered += stats.payloadBytes;
            }
        }

        // Closed forms. Wire bytes of one flow: its full transfer units and the last one
        // (padded to 4 bytes, as the generator pads), each NVLink packet with its header flit.
        Ptr<NvlinkNetDevice> port0 = board.GetGpuPort(0);
        const uint32_t links = spec.LinksPerGpu();
        const double linkBytesPerS = spec.linkRate.GetBitRate() / 8.0;
        const double gpuWire = links * linkBytesPerS; // per GPU and direction
        const double efficiency =
            static_cast<double>(unit) / port0->GetWireBytesForData(unit); // 256/272 for k x 256
        const double gpuData = gpuWire * efficiency;
        const uint64_t rest = size % unit;
        const uint64_t flowWire = size / unit * port0->GetWireBytesForData(unit) +
                                  (rest ? port0->GetWireBytesForData((rest + 3) / 4 * 4) : 0);
        const Time cableDelay = DynamicCast<FabricChannel>(port0->GetChannel())->GetDelay();
        const Time chipLatency = board.switches.Get(0)->GetObject<FabricSwitch>()->GetLatency();
        const Time pathLatency = cableDelay * 2 + chipLatency;
        // The bottleneck GPU's links carry this many flows (a sender's out, or in fan-in the
        // receiver's in), each getting the same share of them.
        const uint32_t bottleneckFlows = pattern == "pairwise" ? 1 : gpus - 1;
        const Time expectedDone = Seconds(bottleneckFlows * flowWire / gpuWire) + pathLatency;
        const double flowData = gpuData / bottleneckFlows;
        const double flowWireRate = flowData / efficiency;

        fmt::print("nvlink-node: {} ({}), {} GPUs, {} NVSwitch chips; {} links per GPU ({}) of "
                   "{:.0f} GB/s per direction: {:.1f} GB/s per GPU and direction on the wire, "
                   "{:.2f} GB/s of data\n",
                   spec.name,
                   NvlinkGenerationName(spec.generation),
                   gpus,
                   board.switches.GetN(),
                   links,
                   fmt::format("{}", fmt::join(spec.linksPerSwitch, "/")),
                   linkBytesPerS / 1e9,
                   gpuWire / 1e9,
                   gpuData / 1e9);
        fmt::print("pattern {}: {} flows of {} B; transfer unit {} B = {} B on the wire ({} NVLink "
                   "packets, data efficiency {:.4f}); path latency {:.0f} ns\n",
                   pattern,
                   flows.size(),
                   size,
                   unit,
                   port0->GetWireBytesForData(unit),
                   port0->GetPacketCount(unit),
                   efficiency,
                   pathLatency.GetSeconds() * 1e9);
        fmt::print("rates in GB/s (10^9 B/s) from 0 to the GPU's last delivery in that direction; "
                   "'exp' = closed form\n");
        fmt::print("{:>3} {:>4} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} {:>8} | {:>10} "
                   "{:>10}\n",
                   "GPU",
                   "id",
                   "out data",
                   "exp",
                   "out wire",
                   "exp",
                   "in data",
                   "exp",
                   "in wire",
                   "exp",
                   "done (us)",
                   "exp (us)");
        for (uint32_t g = 0; g < gpus; ++g)
        {
            uint64_t wireOut = 0;
            uint64_t wireIn = 0;
            for (const auto& link : board.links[g])
            {
                wireOut += link->GetTxBytes();
                wireIn += link->GetRxBytes();
            }
            const bool out = flowsOut[g] > 0;
            const bool in = flowsIn[g] > 0;
            fmt::print(
                "{:>3} {:>4} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} {:>8} | {:>10.3f} "
                "{:>10.3f}\n",
                g,
                board.gpuIds[g],
                Cell(out ? GBps(payloadOut[g], doneOut[g]) : -1),
                Cell(out ? flowsOut[g] * flowData / 1e9 : -1),
                Cell(out ? GBps(wireOut, doneOut[g]) : -1),
                Cell(out ? flowsOut[g] * flowWireRate / 1e9 : -1),
                Cell(in ? GBps(payloadIn[g], doneIn[g]) : -1),
                Cell(in ? flowsIn[g] * flowData / 1e9 : -1),
                Cell(in ? GBps(wireIn, doneIn[g]) : -1),
                Cell(in ? flowsIn[g] * flowWireRate / 1e9 : -1),
                std::max(doneOut[g], doneIn[g]).GetSeconds() * 1e6,
                (out || in ? expectedDone.GetSeconds() * 1e6 : 0.0));
        }

        fmt::print("link utilisation (data transmit time / {:.3f} us run), min / mean / max:\n",
                   makespan.GetSeconds() * 1e6);
        const std::vector<std::pair<std::string, const std::vector<Ptr<FabricNetDevice>>*>> groups{
            {"GPU -> NVSwitch", &gpuPorts},
            {"NVSwitch -> GPU", &switchPorts},
            {"all ports", &allPorts}};
        for (const auto& [name, ports] : groups)
        {
            const Spread u = Utilisation(*ports, makespan);
            fmt::print("  {:<16} {:>4} ports  {:7.3f}% {:7.3f}% {:7.3f}%\n",
                       name,
                       ports->size(),
                       100 * u.min,
                       100 * u.mean,
                       100 * u.max);
        }

        uint64_t drops = 0;
        for (const auto& port : allPorts)
        {
            drops += port->GetRxDropCount();
        }
        fmt::print("delivered {} B of {} B; packets dropped: {}\n",
                   delivered,
                   size * flows.size(),
                   drops);
        const std::string limit =
            pattern == "fan-in" ? fmt::format("GPU 0's {} links carry {} flows", links, gpus - 1)
                                : fmt::format("each sender's {} links carry its {} flow(s)",
                                              links,
                                              bottleneckFlows);
        fmt::print("closed form ({}): done at {:.3f} us, {:.2f} GB/s of data per bottleneck GPU; "
                   "measured {:.3f} us (ratio {:.4f})\n",
                   limit,
                   expectedDone.GetSeconds() * 1e6,
                   gpuData / 1e9,
                   makespan.GetSeconds() * 1e6,
                   makespan.GetSeconds() / expectedDone.GetSeconds());
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "nvlink-node: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
