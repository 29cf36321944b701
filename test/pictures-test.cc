/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Pictures of a run: the plot helper's files exist, carry PNG and SVG signatures, and their
// data files hold the run's numbers; the topology's DOT passes graphviz; progress stays off
// when stderr is not a terminal.

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace ns3;

namespace
{

/// \return the first bytes of a file
std::string
Head(const std::string& path, size_t n)
{
    std::ifstream in(path, std::ios::binary);
    std::string s(n, '\0');
    in.read(s.data(), static_cast<std::streamsize>(n));
    s.resize(static_cast<size_t>(in.gcount()));
    return s;
}

/// \return a whole file
std::string
Slurp(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// \return a fresh directory for a test's pictures
std::string
FreshDir(const std::string& name)
{
    const std::string dir =
        (std::filesystem::temp_directory_path() / ("ai-fabric-pictures-" + name)).string();
    std::filesystem::remove_all(dir);
    return dir;
}

/// Check the picture signatures of NAME.png and NAME.svg where gnuplot or dot rendered them.
void
ExpectRendered(const std::vector<std::string>& files, const std::string& base)
{
    const bool png = std::find(files.begin(), files.end(), base + ".png") != files.end();
    const bool svg = std::find(files.begin(), files.end(), base + ".svg") != files.end();
    EXPECT_EQ(png, svg);
    if (png)
    {
        EXPECT_EQ(Head(base + ".png", 8), std::string("\x89PNG\r\n\x1a\n", 8));
        EXPECT_NE(Slurp(base + ".svg").find("<svg"), std::string::npos);
    }
}

/// The module's fixture: picosecond clock, a clean simulator after each test.
class PicturesTest : public FabricTest
{
};

} // namespace

TEST_F(PicturesTest, BusBandwidthHeatMapAndTopologyHoldTheRunsNumbers)
{
    Ptr<FabricTopology> topology = TopologyHelper().Build(TopologyReader::ReadFile(
        std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/topologies/dgx-h100-node.yaml"));
    std::vector<uint32_t> ranks;
    for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
    {
        ranks.push_back(r);
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue("ring"));
    comm->Setup(topology, ranks);
    FabricLinkUsage usage(topology);
    std::vector<CollectiveReport> rows;
    std::vector<PortUsage> ports;
    for (uint64_t bytes : {1u << 20, 4u << 20})
    {
        usage.Start();
        CollectiveReport report;
        comm->Start(CollectiveOp::ALL_REDUCE,
                    bytes,
                    MakeCallback(+[](CollectiveReport* out,
                                     std::vector<PortUsage>* p,
                                     FabricLinkUsage* u, // Bind's exact type (UBSan)
                                     const CollectiveReport& r) {
                        *out = r;
                        *p = u->MeasurePorts();
                    }).Bind(&report, &ports, &usage));
        Simulator::Run();
        rows.push_back(report);
    }

    const std::string dir = FreshDir("collective");
    FabricPlotHelper plots(dir);
    const auto busbw = plots.PlotBusBandwidth("busbw", "all-reduce", rows);
    // The data file holds both rows: size, algorithm and the packet busbw in GB/s.
    std::istringstream dat(Slurp(dir + "/busbw.dat"));
    std::string line;
    std::getline(dat, line);
    EXPECT_EQ(line[0], '#');
    for (const auto& r : rows)
    {
        ASSERT_TRUE(std::getline(dat, line));
        std::istringstream fields(line);
        uint64_t bytes = 0;
        std::string algorithm;
        double packet = 0;
        double model = 0;
        fields >> bytes >> algorithm >> packet >> model;
        EXPECT_EQ(bytes, r.bytes);
        EXPECT_EQ(algorithm, r.algorithm);
        EXPECT_NEAR(packet, r.PacketBusBandwidth() / 1e9, 1e-3 * packet);
        EXPECT_NEAR(model, r.AnalyticalBusBandwidth() / 1e9, 1e-3 * model);
    }
    EXPECT_TRUE(std::filesystem::exists(dir + "/busbw.plt"));
    ExpectRendered(busbw, dir + "/busbw");
    EXPECT_EQ(FabricPlotHelper::HaveGnuplot(),
              std::find(busbw.begin(), busbw.end(), dir + "/busbw.png") != busbw.end());

    // The heat map's cells are the ports' utilisations; a ring keeps every NVLink port busy.
    const auto heat = plots.PlotLinkHeatMap("links", "links", ports);
    ExpectRendered(heat, dir + "/links");
    std::istringstream cells(Slurp(dir + "/links.dat"));
    std::getline(cells, line);
    uint32_t rowsRead = 0;
    double busiest = 0;
    while (std::getline(cells, line))
    {
        const size_t close = line.find('"', 1);
        std::istringstream fields(line.substr(close + 1));
        uint32_t index = 0;
        double u = 0;
        fields >> index >> u;
        EXPECT_GE(u, 0.0);
        EXPECT_LE(u, 1.0 + 1e-9);
        busiest = std::max(busiest, u);
        ++rowsRead;
    }
    EXPECT_EQ(rowsRead, ports.size());
    EXPECT_GT(busiest, 0.3);

    // The topology picture: DOT with a cluster per server, coloured by load, that dot accepts.
    const auto topo = plots.PlotTopology("topology", topology, ports);
    const std::string dot = Slurp(dir + "/topology.dot");
    EXPECT_NE(dot.find("graph"), std::string::npos);
    EXPECT_NE(dot.find("subgraph \"cluster_s0\""), std::string::npos);
    EXPECT_NE(dot.find("% busy"), std::string::npos);
    ExpectRendered(topo, dir + "/topology");
    EXPECT_EQ(FabricPlotHelper::HaveDot(),
              std::find(topo.begin(), topo.end(), dir + "/topology.svg") != topo.end());
    // The topology's nodes live until the simulator is destroyed: draw before that.
    Simulator::Destroy();
}

TEST_F(PicturesTest, IterationBreakdownHoldsEveryWorkersTimes)
{
    TrainingReport report;
    report.workload = "w";
    report.plan = "dp 2";
    report.backend = "analytical";
    for (uint32_t w = 0; w < 2; ++w)
    {
        WorkerIterationRecord r;
        r.worker = w;
        r.iteration = 0;
        r.start = Seconds(0);
        r.end = MicroSeconds(100);
        r.compute = MicroSeconds(60 + w);
        r.exposed = MicroSeconds(30);
        r.idle = MicroSeconds(10 - w);
        report.perWorker.push_back(r);
    }
    const std::string dir = FreshDir("iteration");
    const auto files = FabricPlotHelper(dir).PlotIterationBreakdown("iteration", report);
    ExpectRendered(files, dir + "/iteration");
    std::istringstream dat(Slurp(dir + "/iteration.dat"));
    std::string line;
    std::getline(dat, line);
    for (uint32_t w = 0; w < 2; ++w)
    {
        uint32_t worker = 0;
        double compute = 0;
        double exposed = 0;
        double idle = 0;
        double total = 0;
        dat >> worker >> compute >> exposed >> idle >> total;
        EXPECT_EQ(worker, w);
        EXPECT_NEAR(compute, 60 + w, 1e-6);
        EXPECT_NEAR(exposed, 30, 1e-6);
        EXPECT_NEAR(idle, 10 - w, 1e-6);
        EXPECT_NEAR(total, 100, 1e-6);
    }
    // An iteration the report does not have is an error, not an empty picture.
    EXPECT_THROW(FabricPlotHelper(dir).PlotIterationBreakdown("none", report, 7),
                 FabricConfigError);
}

TEST_F(PicturesTest, ProgressIsOffWithoutATerminalOrWhenQuiet)
{
    // ctest gives the test a pipe, not a terminal: progress must not show.
    EXPECT_FALSE(FabricProgress::ShouldShow(true));
    if (!isatty(fileno(stderr)))
    {
        EXPECT_FALSE(FabricProgress::ShouldShow(false));
    }
}
