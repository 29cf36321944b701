/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * A collective through faults: runs one packet-level collective on a topology twice, without
 * and with the `faults` section of its file (cables down and up, switches failing, bit
 * errors), and prints the time the faults cost, the packets they destroyed and the subnet
 * manager's sweeps. A credit deadlock or a fabric cut in two ends the run with a report and
 * exit status 1, never a hang.
 *
 *   ./build/fault-recovery --topology=examples/topologies/fat-tree-8-faults.yaml --bytes=64M
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <iostream>
#include <unistd.h>

using namespace ns3;

namespace
{

/**
 * \param path a path as given, relative to here or to the source tree
 * \return the path that exists
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

/// What one run measured.
struct Outcome
{
    Time time;             //!< the collective's packet-level duration
    uint64_t crcErrors{0}; //!< packets dropped for a bad CRC
    uint64_t downDrops{0}; //!< packets lost with cables
    uint32_t sweeps{0};    //!< subnet manager sweeps after changes
    uint32_t changes{0};   //!< cable changes scheduled
};

/**
 * \param file the topology file
 * \param withFaults apply its faults section
 * \param op the collective
 * \param bytes its size
 * \return what the run measured
 */
Outcome
RunOnce(const std::string& file, bool withFaults, CollectiveOp op, uint64_t bytes)
{
    Outcome out;
    Ptr<FabricTopology> topology = TopologyHelper().Build(TopologyReader::ReadFile(file));
    FabricFaultHelper faults;
    if (withFaults)
    {
        faults.Install(topology, FaultScheduleReader::ReadFile(file));
        faults.AssignStreams(NodeContainer(topology->GetGpuNodes(), topology->GetSwitchNodes()), 1);
    }
    std::vector<uint32_t> ranks(topology->GetNRanks());
    for (uint32_t r = 0; r < ranks.size(); ++r)
    {
        ranks[r] = r;
    }
    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue("ring"));
    comm->Setup(topology, ranks);
    CollectiveReport report;
    bool done = false;
    comm->Start(op,
                bytes,
                MakeCallback(+[](CollectiveReport* r, bool* d, const CollectiveReport& x) {
                    *r = x;
                    *d = true;
                }).Bind(&report, &done));
    // Never a silent hang: a credit loop stops the run with its cycle.
    Ptr<FabricDeadlockWatchdog> watchdog = CreateObject<FabricDeadlockWatchdog>();
    watchdog->SetAttribute("Timeout", TimeValue(MilliSeconds(10)));
    watchdog->Start();
    Simulator::Run();
    if (!done)
    {
        throw FabricConfigError("fault-recovery",
                                "the collective did not finish and nothing is left to run: " +
                                    comm->DescribeUnfinished());
    }
    out.time = report.packetTime;
    FabricFaultHelper::CountDrops(
        NodeContainer(topology->GetGpuNodes(), topology->GetSwitchNodes()),
        out.crcErrors,
        out.downDrops);
    out.sweeps = faults.GetSubnetManager() ? faults.GetSubnetManager()->GetSweeps() : 0;
    out.changes = static_cast<uint32_t>(faults.GetEvents().size());
    Simulator::Destroy();
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS); // an NDR byte lasts 20 ps
    std::string topologyFile = "examples/topologies/fat-tree-8-faults.yaml";
    std::string size = "64M";
    std::string opName = "all-reduce";
    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "Topology file with a faults section", topologyFile);
    cmd.AddValue("bytes", "Collective size (e.g. 64M, 1G)", size);
    cmd.AddValue("op", "all-reduce, all-gather, reduce-scatter", opName);
    cmd.Parse(argc, argv);
    try
    {
        const std::string file = FindFile(topologyFile);
        const uint64_t bytes = ParseByteSize(size, "--bytes");
        CollectiveOp op = CollectiveOp::ALL_REDUCE;
        if (opName == "all-gather")
        {
            op = CollectiveOp::ALL_GATHER;
        }
        else if (opName == "reduce-scatter")
        {
            op = CollectiveOp::REDUCE_SCATTER;
        }
        else if (opName != "all-reduce")
        {
            throw FabricConfigError("--op", "\"" + opName + "\" is not a collective here");
        }
        const Outcome clean = RunOnce(file, false, op, bytes);
        const Outcome faulty = RunOnce(file, true, op, bytes);
        fmt::print("topology        {}\n", file);
        fmt::print("collective      {} of {} bytes, ring, packet level\n", opName, bytes);
        fmt::print("fault-free      {:.3f} us\n", clean.time.GetSeconds() * 1e6);
        fmt::print("with faults     {:.3f} us\n", faulty.time.GetSeconds() * 1e6);
        fmt::print("time lost       {:.3f} us\n", (faulty.time - clean.time).GetSeconds() * 1e6);
        fmt::print("cable changes   {}\n", faulty.changes);
        fmt::print("SM sweeps       {}\n", faulty.sweeps);
        fmt::print("packets lost    {} with cables, {} to CRC errors\n",
                   faulty.downDrops,
                   faulty.crcErrors);
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
