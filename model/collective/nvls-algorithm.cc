/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvls-algorithm.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvlsAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(NvlsAlgorithm);
NS_OBJECT_ENSURE_REGISTERED(NvlsTreeAlgorithm);

std::string
CheckUniformServers(const RankLayout& layout)
{
    const auto servers = layout.GetServerRanks();
    for (const auto& ranks : servers)
    {
        if (ranks.size() != servers.front().size())
        {
            return "servers hold different numbers of ranks (" +
                   std::to_string(servers.front().size()) + " and " + std::to_string(ranks.size()) +
                   ")";
        }
    }
    return "";
}

TypeId
NvlsAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NvlsAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<NvlsAlgorithm>();
    return tid;
}

NvlsAlgorithm::NvlsAlgorithm() = default;

NvlsAlgorithm::~NvlsAlgorithm() = default;

std::string
NvlsAlgorithm::GetName() const
{
    return "nvls";
}

std::string
NvlsAlgorithm::GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const
{
    const auto servers = layout.GetServerRanks();
    if (op != CollectiveOp::ALL_REDUCE && op != CollectiveOp::REDUCE_SCATTER &&
        op != CollectiveOp::ALL_GATHER)
    {
        return "NVLS implements all-reduce, reduce-scatter and all-gather, not " +
               CollectiveOpName(op);
    }
    if (op != CollectiveOp::ALL_REDUCE && servers.size() > 1)
    {
        return "NVLS " + CollectiveOpName(op) + " runs in one NVLink domain (one server), not " +
               std::to_string(servers.size());
    }
    return CheckUniformServers(layout);
}

uint32_t
NvlsAlgorithm::GetSlots(CollectiveOp /* op */, const RankLayout& layout) const
{
    return static_cast<uint32_t>(layout.GetServerRanks().front().size());
}

void
NvlsAlgorithm::BuildSlice(SliceBuilder& builder,
                          CollectiveOp op,
                          const RankLayout& layout,
                          uint32_t /* root */,
                          uint32_t /* peer */) const
{
    const auto servers = layout.GetServerRanks();
    const uint32_t ppn = static_cast<uint32_t>(servers.front().size());
    if (op == CollectiveOp::REDUCE_SCATTER || op == CollectiveOp::ALL_GATHER)
    {
        // One server: rank r owns shard r (chunk c is shard c mod n).
        const uint32_t g = builder.AddGroup(servers.front());
        for (uint32_t r : servers.front())
        {
            builder.InNetwork(op == CollectiveOp::REDUCE_SCATTER ? TransferKind::LOAD_REDUCE
                                                                 : TransferKind::MULTICAST,
                              r,
                              g,
                              r,
                              0);
        }
        return;
    }
    std::vector<uint32_t> nodeGroup;
    for (const auto& ranks : servers)
    {
        nodeGroup.push_back(builder.AddGroup(ranks));
    }
    for (size_t s = 0; s < servers.size(); ++s)
    {
        for (uint32_t i = 0; i < ppn; ++i)
        {
            builder.InNetwork(TransferKind::LOAD_REDUCE, servers[s][i], nodeGroup[s], i, 0);
        }
    }
    if (servers.size() > 1)
    {
        for (uint32_t i = 0; i < ppn; ++i)
        {
            std::vector<uint32_t> rail;
            for (const auto& ranks : servers)
            {
                rail.push_back(ranks[i]);
            }
            builder.InNetwork(TransferKind::GROUP_REDUCE,
                              rail.front(),
                              builder.AddGroup(rail),
                              i,
                              1);
        }
    }
    for (size_t s = 0; s < servers.size(); ++s)
    {
        for (uint32_t i = 0; i < ppn; ++i)
        {
            builder.InNetwork(TransferKind::MULTICAST, servers[s][i], nodeGroup[s], i, 2);
        }
    }
}

TypeId
NvlsTreeAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NvlsTreeAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<NvlsTreeAlgorithm>();
    return tid;
}

NvlsTreeAlgorithm::NvlsTreeAlgorithm() = default;

NvlsTreeAlgorithm::~NvlsTreeAlgorithm() = default;

std::string
NvlsTreeAlgorithm::GetName() const
{
    return "nvls-tree";
}

std::string
NvlsTreeAlgorithm::GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const
{
    if (op != CollectiveOp::ALL_REDUCE)
    {
        return "NVLSTree implements all-reduce only, not " + CollectiveOpName(op);
    }
    if (layout.GetServerRanks().size() < 2)
    {
        return "NVLSTree needs two or more servers (on one, use NVLS)";
    }
    return CheckUniformServers(layout);
}

uint32_t
NvlsTreeAlgorithm::GetSlots(CollectiveOp /* op */, const RankLayout& layout) const
{
    return static_cast<uint32_t>(layout.GetServerRanks().front().size());
}

void
NvlsTreeAlgorithm::BuildSlice(SliceBuilder& builder,
                              CollectiveOp /* op */,
                              const RankLayout& layout,
                              uint32_t /* root */,
                              uint32_t /* peer */) const
{
    const auto servers = layout.GetServerRanks();
    const uint32_t nServers = static_cast<uint32_t>(servers.size());
    const uint32_t ppn = static_cast<uint32_t>(servers.front().size());
    // Tree position k holds server (k + c) mod servers; position k's parent is (k - 1) / 2.
    const uint32_t shift = builder.GetChannel() % nServers;
    auto serverAt = [&](uint32_t k) { return (k + shift) % nServers; };
    uint32_t depth = 0;
    while ((1u << depth) < nServers + 1)
    {
        ++depth;
    }
    depth -= 1; // levels below the root: position k is at level floor(log2(k + 1))
    auto level = [](uint32_t k) {
        uint32_t l = 0;
        while ((1u << (l + 1)) <= k + 1)
        {
            ++l;
        }
        return l;
    };
    for (size_t s = 0; s < servers.size(); ++s)
    {
        const uint32_t g = builder.AddGroup(servers[s]);
        for (uint32_t i = 0; i < ppn; ++i)
        {
            builder.InNetwork(TransferKind::LOAD_REDUCE, servers[s][i], g, i, 0);
        }
    }
    for (uint32_t i = 0; i < ppn; ++i)
    {
        // Up: the deepest level first, each child reducing into its parent.
        for (uint32_t l = depth; l >= 1; --l)
        {
            for (uint32_t k = 1; k < nServers; ++k)
            {
                if (level(k) == l)
                {
                    builder.Send(servers[serverAt(k)][i],
                                 servers[serverAt((k - 1) / 2)][i],
                                 i,
                                 true,
                                 1 + depth - l);
                }
            }
        }
        // Down: the root's result to its children, level by level.
        for (uint32_t l = 1; l <= depth; ++l)
        {
            for (uint32_t k = 1; k < nServers; ++k)
            {
                if (level(k) == l)
                {
                    builder.Send(servers[serverAt((k - 1) / 2)][i],
                                 servers[serverAt(k)][i],
                                 i,
                                 false,
                                 depth + l);
                }
            }
        }
    }
    for (size_t s = 0; s < servers.size(); ++s)
    {
        const uint32_t g = builder.AddGroup(servers[s]);
        for (uint32_t i = 0; i < ppn; ++i)
        {
            builder.InNetwork(TransferKind::MULTICAST, servers[s][i], g, i, 2 * depth + 1);
        }
    }
}

} // namespace ns3
