/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Reads a topology file, builds the fabric and prints what a user wants to know of it: counts of
 * GPUs, switches and links per kind, the bisection bandwidth, whether the routes are free of
 * deadlock, and the path between two ranks; optionally writes a Graphviz DOT file.
 *
 *   topology-info --topology=examples/topologies/dgx-h100-4node-ndr-railopt.yaml --from=0 --to=9
 *   topology-info --topology=FILE --dot=fabric.dot && dot -Tsvg fabric.dot > fabric.svg
 *
 * A bad file prints the error (file, line and field) and exits with status 1.
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <fstream>
#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS); // an NDR byte lasts 20 ps
    std::string topology;
    int64_t from = -1;
    int64_t to = -1;
    std::string dot;
    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "Topology file (YAML), see doc/topology-format.md", topology);
    cmd.AddValue("from", "Print the path from this rank...", from);
    cmd.AddValue("to", "...to this rank", to);
    cmd.AddValue("dot", "Write the fabric as a Graphviz DOT file", dot);
    cmd.Parse(argc, argv);
    if (topology.empty())
    {
        std::cerr << "topology-info: give --topology=FILE (see --PrintHelp)" << std::endl;
        return 1;
    }
    try
    {
        const TopologyDescription description = TopologyReader::ReadFile(topology);
        TopologyHelper helper;
        Ptr<FabricTopology> fabric = helper.Build(description);
        fmt::print("{}", fabric->GetSummary());
        const std::string cycle = fabric->FindDeadlockCycle();
        fmt::print("routing: {}\n",
                   cycle.empty() ? "deadlock-free (channel dependency graph acyclic on every VL)"
                                 : "CAN DEADLOCK: " + cycle);
        if (from >= 0 || to >= 0)
        {
            const auto path = fabric->GetPath(static_cast<uint32_t>(from < 0 ? 0 : from),
                                              static_cast<uint32_t>(to < 0 ? 0 : to));
            fmt::print("path {} -> {}:", from, to);
            for (size_t i = 0; i < path.size(); ++i)
            {
                fmt::print("{}{}", i ? " -> " : " ", path[i]);
            }
            fmt::print(" ({} hops)\n", path.size() - 1);
        }
        if (!dot.empty())
        {
            std::ofstream out(dot);
            if (!out)
            {
                throw FabricConfigError("topology-info", "cannot write " + dot);
            }
            fabric->WriteDot(out);
            fmt::print("wrote {}\n", dot);
        }
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "topology-info: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
