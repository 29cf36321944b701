/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "topology-description.h"

#include "ns3/ib-link-speed.h"

#include <cmath>
#include <set>

namespace ns3
{

TopologyError::~TopologyError() = default;

namespace
{

/// The IB generation named, or a TopologyError.
IbLinkSpeed
ParseIbSpeed(const std::string& name, const SourceLocation& where, const std::string& field)
{
    for (auto speed : {IbLinkSpeed::SDR,
                       IbLinkSpeed::DDR,
                       IbLinkSpeed::QDR,
                       IbLinkSpeed::FDR10,
                       IbLinkSpeed::FDR,
                       IbLinkSpeed::EDR,
                       IbLinkSpeed::HDR,
                       IbLinkSpeed::NDR,
                       IbLinkSpeed::XDR})
    {
        if (IbLinkSpeedName(speed) == name)
        {
            return speed;
        }
    }
    throw TopologyError(where,
                        field,
                        "unknown InfiniBand speed \"" + name +
                            "\" (SDR, DDR, QDR, FDR10, FDR, EDR, HDR, NDR, XDR)");
}

} // namespace

uint32_t
TopologyDescription::GetGpuCount() const
{
    if (!dimensions.empty())
    {
        uint64_t n = 1;
        for (const auto& d : dimensions)
        {
            n *= d.size;
        }
        return static_cast<uint32_t>(std::min<uint64_t>(n, UINT32_MAX));
    }
    uint64_t n = 0;
    for (const auto& g : groups)
    {
        auto it = kinds.find(g.kind);
        if (it != kinds.end() && !it->second.memory)
        {
            n += static_cast<uint64_t>(g.count) * it->second.gpus;
        }
    }
    return static_cast<uint32_t>(std::min<uint64_t>(n, UINT32_MAX));
}

void
TopologyDescription::Validate() const
{
    if (groups.empty() && dimensions.empty())
    {
        throw TopologyError(where, "nodes", "the topology has no GPUs: give nodes or dimensions");
    }
    if (!groups.empty() && !dimensions.empty())
    {
        throw TopologyError(dimensions.front().where,
                            "dimensions",
                            "give either nodes (servers with boards and HCAs) or dimensions "
                            "(abstract GPUs), not both");
    }
    for (const auto& [name, kind] : kinds)
    {
        const std::string field = "node-kinds." + name;
        if (kind.gpus == 0)
        {
            throw TopologyError(kind.where, field + ".gpus", "must be at least 1");
        }
        if (!kind.board.empty() && kind.board != "H100" && kind.board != "H200" &&
            kind.board != "A100" && kind.board != "B200")
        {
            throw TopologyError(kind.where,
                                field + ".board",
                                "unknown NVLink board \"" + kind.board +
                                    "\" (A100, H100, H200, B200)");
        }
        if (!kind.board.empty() && kind.gpus != 8)
        {
            throw TopologyError(kind.where,
                                field + ".gpus",
                                "board " + kind.board + " has 8 GPUs, not " +
                                    std::to_string(kind.gpus));
        }
        if (kind.nvls == 1 && kind.board.empty())
        {
            throw TopologyError(kind.where,
                                field + ".nvls",
                                "NVLS needs an NVLink board with NVSwitches (give board: H100, "
                                "H200 or B200)");
        }
        if (kind.nvls == 1 && kind.board == "A100")
        {
            throw TopologyError(kind.where,
                                field + ".nvls",
                                "the A100 board's second-generation NVSwitch has no NVLS "
                                "(multicast and in-switch reduction need third-generation "
                                "NVSwitch: H100 and later, fact sheet §8.5)");
        }
        if (kind.memory)
        {
            if (!kind.board.empty())
            {
                throw TopologyError(kind.where,
                                    field + ".board",
                                    "a memory node has no NVLink board: its ports are HCAs");
            }
            if (kind.hcas != kind.gpus)
            {
                throw TopologyError(kind.where,
                                    field + ".hcas",
                                    "a memory node's ports are its HCAs: hcas must equal ports (" +
                                        std::to_string(kind.gpus) + ")");
            }
            if (kind.hcaSpeed.empty())
            {
                throw TopologyError(kind.where, field + ".hca-speed", "must be given");
            }
            if (kind.memoryBandwidth.GetBitRate() == 0)
            {
                throw TopologyError(kind.where,
                                    field + ".memory.bandwidth",
                                    "must be greater than zero");
            }
            if (kind.memoryCapacity == 0)
            {
                throw TopologyError(kind.where,
                                    field + ".memory.capacity",
                                    "must be greater than zero");
            }
        }
        if (kind.hcas > 0)
        {
            ParseIbSpeed(kind.hcaSpeed, kind.where, field + ".hca-speed");
            if (!IbIsValidLinkWidth(kind.hcaWidth))
            {
                throw TopologyError(kind.where,
                                    field + ".hca-width",
                                    std::to_string(kind.hcaWidth) +
                                        " lanes does not exist (1, 2, 4, 8, 12)");
            }
        }
    }
    uint64_t gpus = 0;
    std::set<uint32_t> rails;
    for (size_t i = 0; i < groups.size(); ++i)
    {
        const auto& g = groups[i];
        const std::string field = "nodes[" + std::to_string(i) + "]";
        auto it = kinds.find(g.kind);
        if (it == kinds.end())
        {
            throw TopologyError(g.where,
                                field + ".kind",
                                "no node kind \"" + g.kind + "\" is defined in node-kinds");
        }
        if (g.count == 0)
        {
            throw TopologyError(g.where, field + ".count", "must be at least 1");
        }
        gpus += static_cast<uint64_t>(g.count) * it->second.gpus;
        if (!it->second.memory)
        {
            rails.insert(it->second.hcas); // memory ports spread over the GPUs' rails
        }
        // GPUs are ranks 0 to GetGpuCount() - 1; memory-pool ports follow them.
        if (!it->second.memory && i > 0 && kinds.count(groups[i - 1].kind) &&
            kinds.at(groups[i - 1].kind).memory)
        {
            throw TopologyError(g.where,
                                field + ".kind",
                                "memory nodes come after every GPU node group (GPUs are the "
                                "first ranks)");
        }
    }
    if (dimensions.empty() && GetGpuCount() == 0)
    {
        throw TopologyError(where, "nodes", "the topology has no GPUs, only memory nodes");
    }
    for (size_t i = 0; i < dimensions.size(); ++i)
    {
        const auto& d = dimensions[i];
        const std::string field = "dimensions[" + std::to_string(i) + "]";
        if (d.size < 2)
        {
            throw TopologyError(d.where, field + ".size", "a dimension joins at least 2 units");
        }
        if (d.rate.GetBitRate() == 0)
        {
            throw TopologyError(d.where, field + ".bandwidth", "must be greater than zero");
        }
        if (!d.latency.IsStrictlyPositive())
        {
            throw TopologyError(d.where, field + ".latency", "must be greater than zero");
        }
        if (d.linksPerPair == 0)
        {
            throw TopologyError(d.where, field + ".links", "must be at least 1");
        }
    }
    if (GetGpuCount() > 0xFFFE || gpus > 0xFFFE)
    {
        throw TopologyError(where, "nodes", "more than 65534 GPUs");
    }
    if (fatTree.present)
    {
        const auto& ft = fatTree;
        if (groups.empty())
        {
            throw TopologyError(ft.where, "fat-tree", "a fat-tree joins the HCAs of nodes");
        }
        if (ft.levels != 2 && ft.levels != 3)
        {
            throw TopologyError(ft.where, "fat-tree.levels", "must be 2 or 3");
        }
        if (ft.radix < 4 || ft.radix % 2 != 0)
        {
            throw TopologyError(ft.where,
                                "fat-tree.radix",
                                "must be an even number of ports, >= 4");
        }
        if (!(ft.oversubscription >= 1.0) || !std::isfinite(ft.oversubscription))
        {
            throw TopologyError(ft.where,
                                "fat-tree.oversubscription",
                                "must be >= 1 (1 = non-blocking, 2 = 2:1)");
        }
        ParseIbSpeed(ft.speed, ft.where, "fat-tree.speed");
        if (!IbIsValidLinkWidth(ft.width))
        {
            throw TopologyError(ft.where, "fat-tree.width", "lanes must be 1, 2, 4, 8 or 12");
        }
        if (!ft.linkDelay.IsStrictlyPositive())
        {
            throw TopologyError(ft.where, "fat-tree.link-delay", "must be greater than zero");
        }
        if (ft.railOptimized && rails.size() > 1)
        {
            throw TopologyError(ft.where,
                                "fat-tree.rail-optimized",
                                "needs the same number of HCAs (rails) on every node kind");
        }
        if (*rails.rbegin() == 0)
        {
            throw TopologyError(ft.where, "fat-tree", "no node has an HCA to attach");
        }
    }
    std::set<std::string> switchNames;
    for (size_t i = 0; i < switches.size(); ++i)
    {
        const auto& s = switches[i];
        if (s.name.empty() || !switchNames.insert(s.name).second)
        {
            throw TopologyError(s.where,
                                "switches[" + std::to_string(i) + "].name",
                                s.name.empty() ? "is empty" : "\"" + s.name + "\" is used twice");
        }
    }
    for (size_t i = 0; i < links.size(); ++i)
    {
        const auto& l = links[i];
        const std::string field = "links[" + std::to_string(i) + "]";
        if (l.rate.GetBitRate() == 0)
        {
            throw TopologyError(l.where, field + ".bandwidth", "must be greater than zero");
        }
        if (!l.delay.IsStrictlyPositive())
        {
            throw TopologyError(l.where, field + ".latency", "must be greater than zero");
        }
        if (l.count == 0)
        {
            throw TopologyError(l.where, field + ".count", "must be at least 1");
        }
        for (const auto* end : {&l.a, &l.b})
        {
            const auto colon = end->find(':');
            const std::string type = end->substr(0, colon);
            const std::string ref = colon == std::string::npos ? "" : end->substr(colon + 1);
            if (colon == std::string::npos || (type != "gpu" && type != "switch" && type != "hca"))
            {
                throw TopologyError(l.where,
                                    field + (end == &l.a ? ".a" : ".b"),
                                    "\"" + *end +
                                        "\" is not gpu:RANK, switch:NAME or hca:NODE/PORT");
            }
            if (type == "switch" && !switchNames.count(ref))
            {
                throw TopologyError(l.where,
                                    field + (end == &l.a ? ".a" : ".b"),
                                    "no switch named \"" + ref + "\"");
            }
            if (type == "gpu")
            {
                unsigned long rank = 0;
                try
                {
                    rank = std::stoul(ref);
                }
                catch (const std::exception&)
                {
                    rank = UINT32_MAX;
                }
                if (rank >= GetGpuCount())
                {
                    throw TopologyError(l.where,
                                        field + (end == &l.a ? ".a" : ".b"),
                                        "GPU rank " + ref + " does not exist (ranks 0-" +
                                            std::to_string(GetGpuCount() - 1) + ")");
                }
            }
        }
    }
}

} // namespace ns3
