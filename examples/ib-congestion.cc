/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Congestion as InfiniBand fabrics handle it, in three scenarios, each run twice (before and
 * after) in one process (doc/congestion.md shows their figures):
 *
 * - incast: N senders write to one destination D; a victim on the first switch writes to an
 *   idle destination over the same inter-switch cable and VL. Congestion control off, then on:
 *   the victim's throughput over time, FECN/BECN counts, the hottest ports.
 * - all-to-all: an all-to-all on a rail-optimised NDR fat-tree (a topology file), static
 *   routing, then adaptive routing: time, busbw, the hottest ports, link heat maps.
 * - two-jobs: two jobs on an oversubscribed fat-tree with two nodes per leaf, each job on one
 *   node of each leaf, so that both jobs' traffic crosses the same leaf-spine links; job A
 *   alone, then with job B, each with static and with adaptive routing.
 *
 *   ib-congestion --scenario=incast --plot=doc/pictures/congestion
 *   ib-congestion --scenario=all-to-all --bytes=16M --plot=doc/pictures/congestion
 *   ib-congestion --scenario=two-jobs --bytes=16M
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

/// Routing and congestion control, set before anything is built.
void
SetFabricDefaults(bool adaptive, bool cc)
{
    Config::SetDefault("ns3::IbSwitch::AdaptiveRouting", BooleanValue(adaptive));
    Config::SetDefault("ns3::IbSwitch::CongestionControl", BooleanValue(cc));
    Config::SetDefault("ns3::RdmaQueuePair::CongestionControl", BooleanValue(cc));
}

/// Print the hottest ports.
void
PrintHot(const std::vector<HotPort>& hot)
{
    for (const auto& h : hot)
    {
        fmt::print("    hot port {}: {:.1f} us above threshold, max queue {} B, credit stall "
                   "{:.1f} us\n",
                   h.name,
                   h.aboveThreshold.GetSeconds() * 1e6,
                   h.maxQueueBytes,
                   h.creditStall.GetSeconds() * 1e6);
    }
}

/// What one incast run measured.
struct IncastRun
{
    double victimGbps{0};             //!< victim payload throughput over its message
    double incastGbps{0};             //!< incast payload throughput into D
    uint64_t marked{0};               //!< FECN marks
    uint64_t becn{0};                 //!< BECNs received by the senders
    uint32_t maxCcti{0};              //!< highest CCT index
    std::vector<double> victimSeries; //!< victim Gb/s per bin
    std::vector<double> queueSeries;  //!< D's port queue, KiB per bin
    std::vector<HotPort> hot;         //!< hottest ports
};

/// Victim payload bytes by bin.
struct Binner
{
    Time bin;
    std::vector<uint64_t> bytes;

    void OnRx(uint64_t oldValue, uint64_t newValue)
    {
        const auto b =
            static_cast<size_t>(Simulator::Now().GetPicoSeconds() / bin.GetPicoSeconds());
        if (bytes.size() <= b)
        {
            bytes.resize(b + 1, 0);
        }
        bytes[b] += newValue - oldValue;
    }
};

IncastRun
RunIncast(bool cc,
          uint32_t senders,
          uint64_t incastBytes,
          uint64_t victimBytes,
          DataRate victimRate,
          Time bin)
{
    SetFabricDefaults(false, cc);
    // Hosts 0 .. senders/2 - 1 and the victim on switch A, the others, D and R on switch B.
    const uint32_t onA = senders / 2;
    const uint32_t victim = senders;
    const uint32_t d = senders + 1;
    const uint32_t r = senders + 2;
    Ptr<FabricTopology> topology;
    IbHelper ib;
    NodeContainer hosts;
    NodeContainer switches;
    hosts.Create(senders + 3);
    switches.Create(2);
    ib.InstallSwitch(switches);
    std::vector<Ptr<IbNetDevice>> edge(hosts.GetN());
    for (uint32_t h = 0; h < hosts.GetN(); ++h)
    {
        const bool a = h < onA || h == victim;
        NetDeviceContainer link = ib.Install(hosts.Get(h), switches.Get(a ? 0 : 1));
        edge[h] = DynamicCast<IbNetDevice>(link.Get(1));
    }
    ib.Install(switches.Get(0), switches.Get(1));
    IbSubnetManager sm;
    sm.Run(NodeContainer(hosts, switches));
    RdmaHelper rdma;
    std::vector<std::pair<Ptr<RdmaQueuePair>, Ptr<RdmaQueuePair>>> incast;
    for (uint32_t s = 0; s < senders; ++s)
    {
        incast.push_back(rdma.Connect(hosts.Get(s), hosts.Get(d)));
        incast.back().first->PostWrite(incastBytes);
    }
    // The victim offers a quarter of its line rate: room for it stays on the A-B cable once
    // the incast senders are held to their share of D.
    rdma.SetQueuePairAttribute("RateLimit", DataRateValue(victimRate));
    auto v = rdma.Connect(hosts.Get(victim), hosts.Get(r));
    v.first->PostWrite(victimBytes);
    RdmaCompletion done;
    v.second->SetReceiveCompletionCallback(
        MakeCallback(+[](RdmaCompletion* out, Ptr<RdmaQueuePair>, const RdmaCompletion& c) {
            *out = c;
        }).Bind(&done));
    Binner binner{bin, {}};
    v.second->TraceConnectWithoutContext("RxBytes", MakeCallback(&Binner::OnRx, &binner));
    // D's port queue, sampled once per bin.
    Ptr<IbSwitch> b = switches.Get(1)->GetObject<IbSwitch>();
    const uint16_t dPort = edge[d]->GetSwitchPort();
    IncastRun run;
    std::function<void()> sample = [&]() {
        run.queueSeries.push_back(b->GetEgressQueueBytes(dPort) / 1024.0);
        if (v.second->GetBytesReceived() < victimBytes ||
            incast.front().second->GetBytesReceived() < incastBytes)
        {
            Simulator::Schedule(bin, sample);
        }
    };
    Simulator::ScheduleNow(sample);
    Time incastEnd;
    for (const auto& qp : incast)
    {
        qp.second->SetReceiveCompletionCallback(
            MakeCallback(+[](Time* end, Ptr<RdmaQueuePair>, const RdmaCompletion& c) {
                *end = std::max(*end, c.end);
            }).Bind(&incastEnd));
    }
    Simulator::Run();
    run.victimGbps = victimBytes * 8.0 / (done.end - done.start).GetSeconds() / 1e9;
    for (const auto& [requester, responder] : incast)
    {
        run.becn += requester->GetBecnReceived();
        run.maxCcti = std::max(run.maxCcti, requester->GetMaxCctIndex());
    }
    uint64_t delivered = 0;
    for (const auto& qp : incast)
    {
        delivered += qp.second->GetBytesReceived();
    }
    run.incastGbps = delivered * 8.0 / incastEnd.GetSeconds() / 1e9;
    for (uint32_t s = 0; s < 2; ++s)
    {
        run.marked += switches.Get(s)->GetObject<IbSwitch>()->GetMarkedPackets();
    }
    for (uint64_t bytes : binner.bytes)
    {
        run.victimSeries.push_back(bytes * 8.0 / bin.GetSeconds() / 1e9);
    }
    // Hottest ports, named by switch and port index (no FabricTopology here).
    for (uint32_t s = 0; s < 2; ++s)
    {
        Ptr<IbSwitch> sw = switches.Get(s)->GetObject<IbSwitch>();
        for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
        {
            HotPort h;
            h.switchName = s == 0 ? "A" : "B";
            h.port = p;
            h.name =
                h.switchName + "/" + std::to_string(p) + (p == dPort && s == 1 ? " (to D)" : "");
            h.aboveThreshold = sw->GetTimeAboveThreshold(p);
            h.maxQueueBytes = sw->GetMaxEgressQueueBytes(p);
            for (uint8_t vl = 0; vl < sw->GetPort(p)->GetNumDataVls(); ++vl)
            {
                h.creditStall += sw->GetPort(p)->GetCreditStallTime(vl);
            }
            run.hot.push_back(h);
        }
    }
    std::sort(run.hot.begin(), run.hot.end(), [](const HotPort& x, const HotPort& y) {
        return x.aboveThreshold != y.aboveThreshold ? x.aboveThreshold > y.aboveThreshold
                                                    : x.creditStall > y.creditStall;
    });
    run.hot.resize(std::min<size_t>(3, run.hot.size()));
    Simulator::Destroy();
    return run;
}

void
Incast(uint32_t senders, const std::string& plotDir)
{
    const uint64_t incastBytes = 4 << 20;
    const uint64_t victimBytes = 4 << 20;
    const Time bin = MicroSeconds(10);
    fmt::print("# incast: {} senders x {} MiB to D (half of them on the victim's switch); "
               "victim {} MiB to an idle destination over the same A-B cable and VL\n",
               senders,
               incastBytes >> 20,
               victimBytes >> 20);
    std::map<bool, IncastRun> runs;
    for (bool cc : {false, true})
    {
        IncastRun run = RunIncast(cc, senders, incastBytes, victimBytes, DataRate("100Gb/s"), bin);
        fmt::print("  CC {:>3}: victim {:6.1f} Gb/s, incast into D {:6.1f} Gb/s, FECN marks "
                   "{}, BECNs {}, max CCT index {}\n",
                   cc ? "on" : "off",
                   run.victimGbps,
                   run.incastGbps,
                   run.marked,
                   run.becn,
                   run.maxCcti);
        PrintHot(run.hot);
        runs[cc] = run;
    }
    if (!plotDir.empty())
    {
        FabricPlotHelper plots(plotDir);
        std::vector<std::vector<double>> rows;
        const size_t n = std::max(runs[false].victimSeries.size(), runs[true].victimSeries.size());
        for (size_t i = 0; i < n; ++i)
        {
            auto at = [i](const std::vector<double>& s) {
                return i < s.size() ? s[i] : std::nan("");
            };
            rows.push_back({(i + 0.5) * bin.GetSeconds() * 1e6,
                            at(runs[false].victimSeries),
                            at(runs[true].victimSeries),
                            at(runs[false].queueSeries),
                            at(runs[true].queueSeries)});
        }
        std::vector<std::string> files = plots.PlotSeries(
            "incast-victim",
            fmt::format("victim of a {}-to-1 incast: throughput (Gb/s) and D's queue (KiB)",
                        senders),
            "time (us)",
            "Gb/s or KiB",
            {"victim Gb/s, CC off",
             "victim Gb/s, CC on",
             "D queue KiB, CC off",
             "D queue KiB, CC on"},
            rows,
            false,
            false);
        for (const auto& f : files)
        {
            fmt::print("# wrote {}\n", f);
        }
    }
}

/// One collective on a topology; returns its report and fills the hottest ports.
CollectiveReport
RunCollective(Ptr<FabricTopology> topology,
              const std::vector<uint32_t>& ranks,
              CollectiveOp op,
              uint64_t bytes,
              std::vector<HotPort>* hot,
              std::vector<PortUsage>* ports)
{
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->Setup(topology, ranks);
    FabricLinkUsage usage(topology);
    FabricHotPorts hotPorts(topology);
    CollectiveReport report;
    comm->Start(op,
                bytes,
                MakeCallback(+[](CollectiveReport* out,
                                 std::vector<PortUsage>* p,
                                 const FabricLinkUsage* links,
                                 const CollectiveReport& r) {
                    *out = r;
                    *p = links->MeasurePorts();
                }).Bind(&report, ports, &usage));
    Simulator::Run();
    *hot = hotPorts.Rank(3);
    return report;
}

void
AllToAll(const std::string& topologyFile, uint64_t bytes, const std::string& plotDir)
{
    fmt::print("# all-to-all of {} B on \"{}\"\n", bytes, topologyFile);
    std::vector<std::vector<double>> uplinks(2); // leaf->spine utilisation, sorted
    for (bool adaptive : {false, true})
    {
        SetFabricDefaults(adaptive, false);
        Ptr<FabricTopology> topology =
            TopologyHelper().Build(TopologyReader::ReadFile(topologyFile));
        std::vector<uint32_t> ranks;
        for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
        {
            ranks.push_back(r);
        }
        std::vector<HotPort> hot;
        std::vector<PortUsage> ports;
        const CollectiveReport report =
            RunCollective(topology, ranks, CollectiveOp::ALL_TO_ALL, bytes, &hot, &ports);
        uint64_t reroutes = 0;
        NodeContainer switches = topology->GetSwitchNodes();
        for (auto it = switches.Begin(); it != switches.End(); ++it)
        {
            if (auto sw = (*it)->GetObject<IbSwitch>())
            {
                reroutes += sw->GetAdaptiveReroutes();
            }
        }
        fmt::print("  {:>8} routing: {:9.1f} us, busbw {:7.2f} GB/s (alpha-beta {:7.2f}), "
                   "packets rerouted {}; {}\n",
                   adaptive ? "adaptive" : "static",
                   report.packetTime.GetSeconds() * 1e6,
                   report.PacketBusBandwidth() / 1e9,
                   report.AnalyticalBusBandwidth() / 1e9,
                   reroutes,
                   report.links.GetBoundBy());
        PrintHot(hot);
        for (const auto& p : ports)
        {
            if (p.linkClass == "IB leaf->spine")
            {
                uplinks[adaptive].push_back(p.utilisation);
            }
        }
        std::sort(uplinks[adaptive].rbegin(), uplinks[adaptive].rend());
        if (!plotDir.empty())
        {
            FabricPlotHelper plots(plotDir);
            const std::string name =
                std::string("all-to-all-links-") + (adaptive ? "adaptive" : "static");
            for (const auto& f :
                 plots.PlotLinkHeatMap(name,
                                       std::string("all-to-all link utilisation, ") +
                                           (adaptive ? "adaptive" : "static") + " routing",
                                       ports))
            {
                fmt::print("# wrote {}\n", f);
            }
        }
        Simulator::Destroy();
    }
    if (!plotDir.empty() && !uplinks[0].empty())
    {
        std::vector<std::vector<double>> rows;
        for (size_t i = 0; i < uplinks[0].size(); ++i)
        {
            rows.push_back({static_cast<double>(i),
                            uplinks[0][i],
                            i < uplinks[1].size() ? uplinks[1][i] : std::nan("")});
        }
        FabricPlotHelper plots(plotDir);
        for (const auto& f : plots.PlotSeries("all-to-all-uplinks",
                                              "all-to-all: leaf->spine uplinks, busiest first",
                                              "uplink (sorted by utilisation)",
                                              "busy time / run",
                                              {"static routing", "adaptive routing"},
                                              rows,
                                              false,
                                              false))
        {
            fmt::print("# wrote {}\n", f);
        }
    }
}

/// A fat-tree with two nodes per leaf (not rail-optimised), 2:1 oversubscribed.
Ptr<FabricTopology>
SharedSpineTopology(uint32_t nodes)
{
    TopologyHelper helper;
    helper.SetName("DGX H100 nodes, two per leaf, 2:1 oversubscribed NDR fat-tree");
    NodeKindSpec dgx;
    dgx.name = "dgx-h100";
    dgx.gpuModel = "H100";
    dgx.board = "H100";
    dgx.gpus = 8;
    dgx.hcas = 8;
    helper.AddNodeKind(dgx);
    helper.AddNodes("dgx-h100", nodes);
    FatTreeSpec ft;
    ft.present = true;
    ft.radix = 24; // 16 HCAs (two nodes) down, 8 up per leaf
    ft.oversubscription = 2;
    ft.railOptimized = false;
    helper.SetFatTree(ft);
    return helper.Build();
}

void
TwoJobs(uint64_t bytes)
{
    const uint32_t nodes = 4;
    fmt::print("# two jobs: ring all-reduce of {} B each, job A on nodes 0 and 2, job B on "
               "nodes 1 and 3 of {} nodes, two nodes per leaf: both jobs cross the same "
               "2:1 oversubscribed leaf-spine links\n",
               bytes,
               nodes);
    for (bool adaptive : {false, true})
    {
        for (bool both : {false, true})
        {
            SetFabricDefaults(adaptive, false);
            Ptr<FabricTopology> topology = SharedSpineTopology(nodes);
            // Ranks are numbered node by node, 8 GPUs each: job A takes the even nodes.
            std::vector<uint32_t> jobA;
            std::vector<uint32_t> jobB;
            for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
            {
                ((r / 8) % 2 == 0 ? jobA : jobB).push_back(r);
            }
            Ptr<Communicator> a = CreateObject<Communicator>();
            a->SetAttribute("Algorithm", StringValue("ring"));
            a->Setup(topology, jobA);
            Ptr<Communicator> b = CreateObject<Communicator>();
            b->SetAttribute("Algorithm", StringValue("ring"));
            b->Setup(topology, jobB);
            FabricHotPorts hot(topology);
            CollectiveReport ra;
            CollectiveReport rb;
            auto keep =
                MakeCallback(+[](CollectiveReport* out, const CollectiveReport& r) { *out = r; });
            a->Start(CollectiveOp::ALL_REDUCE, bytes, keep.Bind(&ra));
            if (both)
            {
                b->Start(CollectiveOp::ALL_REDUCE, bytes, keep.Bind(&rb));
            }
            Simulator::Run();
            fmt::print("  {:>8} routing, {:>13}: job A {:9.1f} us, busbw {:7.2f} GB/s{}\n",
                       adaptive ? "adaptive" : "static",
                       both ? "with job B" : "alone",
                       ra.packetTime.GetSeconds() * 1e6,
                       ra.PacketBusBandwidth() / 1e9,
                       both ? fmt::format("; job B {:9.1f} us", rb.packetTime.GetSeconds() * 1e6)
                            : std::string());
            PrintHot(hot.Rank(2));
            Simulator::Destroy();
        }
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS); // an NDR byte lasts 20 ps
    std::string scenario = "incast";
    uint32_t senders = 8;
    std::string bytesText = "16M";
    std::string topologyFile =
        std::string(AIFABRIC_SOURCE_DIR) + "/examples/topologies/dgx-h100-4node-ndr-railopt.yaml";
    std::string plotDir;
    CommandLine cmd(__FILE__);
    cmd.AddValue("scenario", "incast, all-to-all or two-jobs", scenario);
    cmd.AddValue("senders", "incast: senders (even)", senders);
    cmd.AddValue("bytes", "all-to-all and two-jobs: bytes per collective, e.g. 16M", bytesText);
    cmd.AddValue("topology", "all-to-all: topology file (YAML)", topologyFile);
    cmd.AddValue("plot", "Write figures to this directory", plotDir);
    cmd.Parse(argc, argv);
    try
    {
        const uint64_t bytes = ParseByteSize(bytesText, "--bytes");
        if (scenario == "incast")
        {
            if (senders < 2 || senders % 2 != 0)
            {
                throw FabricConfigError("--senders", "need an even number of senders, >= 2");
            }
            Incast(senders, plotDir);
        }
        else if (scenario == "all-to-all")
        {
            AllToAll(topologyFile, bytes, plotDir);
        }
        else if (scenario == "two-jobs")
        {
            TwoJobs(bytes);
        }
        else
        {
            throw FabricConfigError("--scenario",
                                    "\"" + scenario + "\": incast, all-to-all or two-jobs");
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "ib-congestion: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
