/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "hierarchical-algorithm.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("HierarchicalAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(HierarchicalAlgorithm);

TypeId
HierarchicalAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::HierarchicalAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<HierarchicalAlgorithm>();
    return tid;
}

HierarchicalAlgorithm::HierarchicalAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

HierarchicalAlgorithm::~HierarchicalAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

std::string
HierarchicalAlgorithm::GetName() const
{
    return "hierarchical";
}

std::string
HierarchicalAlgorithm::GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const
{
    if (op == CollectiveOp::ALL_TO_ALL || op == CollectiveOp::SEND_RECV)
    {
        return "the hierarchical algorithm implements all-reduce, reduce-scatter, all-gather, "
               "broadcast and reduce, not " +
               CollectiveOpName(op);
    }
    const auto servers = layout.GetServerRanks();
    for (size_t s = 1; s < servers.size(); ++s)
    {
        if (servers[s].size() != servers[0].size())
        {
            return "needs the same number of ranks on every server (the server of rank " +
                   std::to_string(servers[0][0]) + " has " + std::to_string(servers[0].size()) +
                   ", the server of rank " + std::to_string(servers[s][0]) + " has " +
                   std::to_string(servers[s].size()) + ")";
        }
    }
    return "";
}

uint32_t
HierarchicalAlgorithm::GetSlots(CollectiveOp op, const RankLayout& layout) const
{
    return op == CollectiveOp::ALL_REDUCE ? layout.GetNRanks() : 1;
}

void
HierarchicalAlgorithm::BuildSlice(SliceBuilder& builder,
                                  CollectiveOp op,
                                  const RankLayout& layout,
                                  uint32_t root,
                                  uint32_t /* peer */) const
{
    const auto servers = layout.GetServerRanks();
    const uint32_t nServers = static_cast<uint32_t>(servers.size());
    const uint32_t g = static_cast<uint32_t>(servers[0].size());
    // Rails (ring over servers) and their slots: rail i's position s is rank (s, i), whose slot
    // is its own rank's shard.
    std::vector<std::vector<uint32_t>> rails(g);
    std::vector<std::vector<std::vector<uint32_t>>> railSlots(g);
    for (uint32_t i = 0; i < g; ++i)
    {
        for (uint32_t s = 0; s < nServers; ++s)
        {
            rails[i].push_back(servers[s][i]);
            railSlots[i].push_back({servers[s][i]});
        }
    }
    // Local groups: local position i's group is the shards of rail i.
    std::vector<std::vector<uint32_t>> localGroups(g);
    for (uint32_t i = 0; i < g; ++i)
    {
        localGroups[i] = rails[i];
    }

    uint32_t rootServer = 0;
    uint32_t rootLocal = 0;
    for (uint32_t s = 0; s < nServers; ++s)
    {
        for (uint32_t i = 0; i < g; ++i)
        {
            if (servers[s][i] == root)
            {
                rootServer = s;
                rootLocal = i;
            }
        }
    }

    uint32_t step = 0;
    switch (op)
    {
    case CollectiveOp::ALL_REDUCE:
    case CollectiveOp::REDUCE_SCATTER: {
        uint32_t next = step;
        for (uint32_t s = 0; s < nServers; ++s)
        {
            next = AddRingReduceScatter(builder, servers[s], localGroups, step);
        }
        step = next;
        for (uint32_t i = 0; i < g; ++i)
        {
            next = AddRingReduceScatter(builder, rails[i], railSlots[i], step);
        }
        step = next;
        if (op == CollectiveOp::REDUCE_SCATTER)
        {
            break;
        }
    }
        [[fallthrough]];
    case CollectiveOp::ALL_GATHER: {
        uint32_t next = step;
        for (uint32_t i = 0; i < g; ++i)
        {
            next = AddRingAllGather(builder, rails[i], railSlots[i], step);
        }
        step = next;
        for (uint32_t s = 0; s < nServers; ++s)
        {
            AddRingAllGather(builder, servers[s], localGroups, step);
        }
        break;
    }
    case CollectiveOp::BROADCAST: {
        // Along the root's rail from its server; each server's chain starts when its rail rank
        // has the data (position q received it at step q - 1).
        std::vector<uint32_t> rail;
        for (uint32_t q = 0; q < nServers; ++q)
        {
            rail.push_back(servers[(rootServer + q) % nServers][rootLocal]);
        }
        AddChain(builder, rail, 0, false, 0);
        for (uint32_t q = 0; q < nServers; ++q)
        {
            const auto& local = servers[(rootServer + q) % nServers];
            std::vector<uint32_t> chain;
            for (uint32_t m = 0; m < g; ++m)
            {
                chain.push_back(local[(rootLocal + m) % g]);
            }
            AddChain(builder, chain, 0, false, q);
        }
        break;
    }
    case CollectiveOp::REDUCE: {
        // Chains inside each server ending at the rank on the root's rail, then along the rail
        // ending at the root.
        for (uint32_t s = 0; s < nServers; ++s)
        {
            std::vector<uint32_t> chain;
            for (uint32_t m = 1; m <= g; ++m)
            {
                chain.push_back(servers[s][(rootLocal + m) % g]);
            }
            AddChain(builder, chain, 0, true, 0);
        }
        std::vector<uint32_t> rail;
        for (uint32_t q = 1; q <= nServers; ++q)
        {
            rail.push_back(servers[(rootServer + q) % nServers][rootLocal]);
        }
        AddChain(builder, rail, 0, true, g - 1);
        break;
    }
    default:
        break;
    }
}

} // namespace ns3
