/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Study: data-movement limits to frontier training (Erdil & Schneider-Joseph 2024,
// arXiv:2411.01137). Sweeps training compute over decades on the analytical model
// (DataMovementLimits), searches the best DP x TP x PP plan at each, and prints where
// utilisation falls off (the data-movement wall) and where no plan finishes in time (the
// latency wall). --check runs the collective terms the sweep relies on packet by packet on
// a small fabric (TP all-reduce over NVLink, PP send/recv and DP all-reduce over NDR) and says
// how far the sweep's closed forms are off. See doc/study-data-movement-limits.md.

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <cmath>
#include <fmt/core.h>
#include <iostream>

using namespace ns3;

namespace
{

/**
 * \brief Run one collective packet by packet and return its report.
 */
CollectiveReport
RunPacket(Ptr<FabricTopology> topology,
          const std::vector<uint32_t>& ranks,
          CollectiveOp op,
          uint64_t bytes)
{
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->Setup(topology, ranks);
    CollectiveReport out;
    comm->Start(
        op,
        bytes,
        [&out](const CollectiveReport& r) { out = r; },
        0,
        1);
    Simulator::Run();
    comm->Dispose();
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS);
    double from = 1e24;
    double to = 1e32;
    uint32_t perDecade = 4;
    bool check = true;
    std::string plotDir;
    std::string topologyFile = "examples/topologies/dgx-h100-4node-ndr-railopt.yaml";

    CommandLine cmd(__FILE__);
    cmd.Usage("Data-movement limits to frontier training: utilisation against training compute");
    cmd.AddValue("from", "Lowest training compute, FLOP", from);
    cmd.AddValue("to", "Highest training compute, FLOP", to);
    cmd.AddValue("perDecade", "Points per factor of 10", perDecade);
    cmd.AddValue("check", "Check the sweep's collective terms packet by packet", check);
    cmd.AddValue("topology", "Fabric of the packet-level check (4 DGX H100 or more)", topologyFile);
    cmd.AddValue("plot", "Directory for the figure (utilisation against FLOP)", plotDir);
    cmd.Parse(argc, argv);

    try
    {
        Ptr<DataMovementLimits> model = CreateObject<DataMovementLimits>();
        const std::vector<DataMovementPoint> points = model->Sweep(from, to, perDecade);
        fmt::print("{:>9} {:>9} {:>6} {:>6} {:>9} {:>9} {:>6} {:>5} {:>5} {:>3} {:>10} {:>7} "
                   "{:>6} {:>6} {:>6} {:>6} {:>6}\n",
                   "FLOP",
                   "params",
                   "layers",
                   "hidden",
                   "batch_tok",
                   "steps",
                   "dp",
                   "tp",
                   "pp",
                   "mb",
                   "gpus",
                   "util",
                   "comp%",
                   "hbm%",
                   "tp%",
                   "bub%",
                   "dp%");
        std::vector<std::vector<double>> rows;
        for (const auto& p : points)
        {
            const DataMovementPlan& b = p.best;
            if (!p.feasible)
            {
                fmt::print("{:9.2e} {:9.2e} {:6} {:6} {:9.2e} {:9.2e}   infeasible: no plan "
                           "finishes within the duration\n",
                           p.flops,
                           p.parameters,
                           p.layers,
                           p.hidden,
                           p.batchTokens,
                           p.steps);
                rows.push_back({p.flops, std::nan("")});
                continue;
            }
            const double s = b.step;
            fmt::print("{:9.2e} {:9.2e} {:6} {:6} {:9.2e} {:9.2e} {:6} {:5} {:5} {:3} {:10.3e} "
                       "{:7.3f} {:6.1f} {:6.1f} {:6.1f} {:6.1f} {:6.1f}\n",
                       p.flops,
                       p.parameters,
                       p.layers,
                       p.hidden,
                       p.batchTokens,
                       p.steps,
                       b.dp,
                       b.tp,
                       b.pp,
                       b.microBatch,
                       b.gpus,
                       b.utilisation,
                       100 * (b.compute - b.memoryBound) / s,
                       100 * b.memoryBound / s,
                       100 * b.tensorParallel / s,
                       100 * b.bubble / s,
                       100 * b.dataParallel / s);
            rows.push_back({p.flops, b.utilisation});
        }
        const double wall = model->FindDataMovementWall(points);
        const double latency = DataMovementLimits::FindLatencyWall(points);
        fmt::print("data-movement wall (utilisation < knee x best): {}\n",
                   wall > 0 ? fmt::format("{:.2e} FLOP", wall) : std::string("not reached"));
        fmt::print("latency wall (no plan finishes in time): {}\n",
                   latency > 0 ? fmt::format("{:.2e} FLOP", latency) : std::string("not reached"));
        fmt::print("paper (Erdil & Schneider-Joseph 2024): utilisation falls past ~1e28 FLOP, "
                   "infeasible past ~1e31 FLOP\n");
        // The same sweep with a rack-scale NVLink domain (GB200 NVL72: 72 GPUs, NVLink5 at
        // 900 GB/s per GPU and direction), the change in hardware the paper's walls hinge on.
        Ptr<DataMovementLimits> rack = CreateObject<DataMovementLimits>();
        rack->SetAttribute("ScaleUpSize", UintegerValue(72));
        rack->SetAttribute("ScaleUpBandwidth", DoubleValue(900e9));
        const std::vector<DataMovementPoint> rackPoints = rack->Sweep(from, to, perDecade);
        for (size_t i = 0; i < rows.size(); ++i)
        {
            rows[i].push_back(rackPoints[i].feasible ? rackPoints[i].best.utilisation
                                                     : std::nan(""));
        }
        const double rackWall = rack->FindDataMovementWall(rackPoints);
        const double rackLatency = DataMovementLimits::FindLatencyWall(rackPoints);
        fmt::print("with a 72-GPU NVLink domain at 900 GB/s: data-movement wall {}, latency wall "
                   "{}\n",
                   rackWall > 0 ? fmt::format("{:.2e} FLOP", rackWall) : "not reached",
                   rackLatency > 0 ? fmt::format("{:.2e} FLOP", rackLatency) : "not reached");
        if (!plotDir.empty())
        {
            std::string extra;
            if (wall > 0)
            {
                extra += fmt::format("set arrow from {:e}, graph 0 to {:e}, graph 1 nohead dt 2 "
                                     "lc rgb 'orange'\nset label 'data-movement wall' at {:e}, "
                                     "graph 0.95 rotate by 90 right\n",
                                     wall,
                                     wall,
                                     wall);
            }
            if (latency > 0)
            {
                extra += fmt::format("set arrow from {:e}, graph 0 to {:e}, graph 1 nohead dt 2 "
                                     "lc rgb 'red'\nset label 'latency wall' at {:e}, graph 0.95 "
                                     "rotate by 90 right\n",
                                     latency,
                                     latency,
                                     latency);
            }
            extra += "set yrange [0:1]\nset xrange [1e23:1e32]\nset format x '10^{%L}'\nset key "
                     "inside bottom left\n";
            FabricPlotHelper(plotDir).PlotSeries(
                "data-movement-limits",
                "Best utilisation against training compute "
                "(H100, 3 months; walls of the DGX curve)",
                "training compute (FLOP)",
                "utilisation (MFU)",
                {"8-GPU NVLink domain (DGX H100)", "72-GPU NVLink domain (NVL72-class)"},
                rows,
                true,
                false,
                extra);
        }

        if (check)
        {
            // The smallest point's plan, at the scale of a few servers: its TP all-reduce over
            // one server's NVLink, its PP activation send over NDR, and a DP all-reduce of one
            // 25 MiB gradient bucket over 4 servers' rails.
            const DataMovementPoint& p = points.front();
            const double tokens = double(p.best.microBatch ? p.best.microBatch : 1) * 2048;
            const uint32_t tp = 8;
            const uint64_t tpBytes = uint64_t(2.0 * tokens * p.hidden);
            const uint64_t ppBytes = tpBytes / tp;
            const uint64_t dpBytes = 25ull << 20;
            std::string path = topologyFile;
            if (!SystemPath::Exists(path))
            {
                path = std::string(AIFABRIC_SOURCE_DIR) + "/" + topologyFile;
            }
            Ptr<FabricTopology> topology = TopologyHelper().Build(TopologyReader::ReadFile(path));
            const uint32_t perServer = topology->GetNRanks() / 4;

            struct Check
            {
                std::string what;
                std::vector<uint32_t> ranks;
                CollectiveOp op;
                uint64_t bytes;
                double model;
            };

            std::vector<Check> checks = {
                {"TP all-reduce, 8 GPUs, NVLink",
                 {0, 1, 2, 3, 4, 5, 6, 7},
                 CollectiveOp::ALL_REDUCE,
                 tpBytes,
                 model->AllReduceTime(double(tpBytes), tp, false)},
                {"PP send/recv, 2 servers, NDR",
                 {0, perServer},
                 CollectiveOp::SEND_RECV,
                 ppBytes,
                 model->PointToPointTime(double(ppBytes), true)},
                {"DP all-reduce, 4 servers, NDR rail",
                 {0, perServer, 2 * perServer, 3 * perServer},
                 CollectiveOp::ALL_REDUCE,
                 dpBytes,
                 model->AllReduceTime(double(dpBytes), 4, true)},
            };
            fmt::print("\npacket-level check of the sweep's terms ({} at {:.0e} FLOP)\n",
                       topologyFile,
                       p.flops);
            fmt::print("{:<36} {:>12} {:>12} {:>12} {:>12} {:>8}\n",
                       "term",
                       "bytes",
                       "sweep_us",
                       "analytic_us",
                       "packet_us",
                       "off%");
            for (const auto& c : checks)
            {
                const CollectiveReport r = RunPacket(topology, c.ranks, c.op, c.bytes);
                const double packet = r.packetTime.GetSeconds();
                fmt::print("{:<36} {:>12} {:>12.2f} {:>12.2f} {:>12.2f} {:>+8.1f}\n",
                           c.what,
                           c.bytes,
                           c.model * 1e6,
                           r.analyticalTime.GetSeconds() * 1e6,
                           packet * 1e6,
                           100 * (c.model - packet) / packet);
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
