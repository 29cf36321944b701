/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "collnet-algorithm.h"

#include "nvls-algorithm.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CollNetAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(CollNetDirectAlgorithm);
NS_OBJECT_ENSURE_REGISTERED(CollNetChainAlgorithm);

namespace
{

/// \return "" if CollNet can run op on layout, else why not
std::string
CollNetReason(const std::string& name, CollectiveOp op, const RankLayout& layout)
{
    if (op != CollectiveOp::ALL_REDUCE)
    {
        return name + " implements all-reduce only, not " + CollectiveOpName(op);
    }
    if (layout.GetServerRanks().size() < 2)
    {
        // NCCL_COLLNET_NODE_THRESHOLD 2 (fact sheet §7.5).
        return name + " needs two or more servers (NCCL_COLLNET_NODE_THRESHOLD 2)";
    }
    return CheckUniformServers(layout);
}

} // namespace

TypeId
CollNetDirectAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::CollNetDirectAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<CollNetDirectAlgorithm>();
    return tid;
}

CollNetDirectAlgorithm::CollNetDirectAlgorithm() = default;

CollNetDirectAlgorithm::~CollNetDirectAlgorithm() = default;

std::string
CollNetDirectAlgorithm::GetName() const
{
    return "collnet-direct";
}

std::string
CollNetDirectAlgorithm::GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const
{
    return CollNetReason("CollNetDirect", op, layout);
}

uint32_t
CollNetDirectAlgorithm::GetSlots(CollectiveOp /* op */, const RankLayout& layout) const
{
    return std::min<uint32_t>(MAX_HEADS,
                              static_cast<uint32_t>(layout.GetServerRanks().front().size()));
}

void
CollNetDirectAlgorithm::BuildSlice(SliceBuilder& builder,
                                   CollectiveOp /* op */,
                                   const RankLayout& layout,
                                   uint32_t /* root */,
                                   uint32_t /* peer */) const
{
    const auto servers = layout.GetServerRanks();
    const uint32_t heads = GetSlots(CollectiveOp::ALL_REDUCE, layout);
    for (uint32_t h = 0; h < heads; ++h)
    {
        std::vector<uint32_t> group;
        for (const auto& ranks : servers)
        {
            for (uint32_t r : ranks)
            {
                if (r != ranks[h])
                {
                    builder.Send(r, ranks[h], h, true, 0);
                }
            }
            group.push_back(ranks[h]);
        }
        builder.InNetwork(TransferKind::GROUP_REDUCE, group.front(), builder.AddGroup(group), h, 1);
        for (const auto& ranks : servers)
        {
            for (uint32_t r : ranks)
            {
                if (r != ranks[h])
                {
                    builder.Send(ranks[h], r, h, false, 2);
                }
            }
        }
    }
}

TypeId
CollNetChainAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::CollNetChainAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<CollNetChainAlgorithm>();
    return tid;
}

CollNetChainAlgorithm::CollNetChainAlgorithm() = default;

CollNetChainAlgorithm::~CollNetChainAlgorithm() = default;

std::string
CollNetChainAlgorithm::GetName() const
{
    return "collnet-chain";
}

std::string
CollNetChainAlgorithm::GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const
{
    return CollNetReason("CollNetChain", op, layout);
}

uint32_t
CollNetChainAlgorithm::GetSlots(CollectiveOp /* op */, const RankLayout& /* layout */) const
{
    return 1;
}

void
CollNetChainAlgorithm::BuildSlice(SliceBuilder& builder,
                                  CollectiveOp /* op */,
                                  const RankLayout& layout,
                                  uint32_t /* root */,
                                  uint32_t /* peer */) const
{
    std::vector<std::vector<uint32_t>> chains;
    std::vector<uint32_t> heads;
    uint32_t ppn = 0;
    for (const auto& ranks : layout.GetServerRanks())
    {
        chains.push_back(GetChannelOrder(ranks, layout, builder.GetChannel()));
        heads.push_back(chains.back().front());
        ppn = static_cast<uint32_t>(ranks.size());
    }
    // Up the chain: the last rank sends to the one before it, ... to the head (steps 0..ppn-2).
    for (const auto& chain : chains)
    {
        std::vector<uint32_t> up(chain.rbegin(), chain.rend());
        AddChain(builder, up, 0, true, 0);
    }
    const uint32_t sharpStep = ppn > 1 ? ppn - 1 : 0;
    builder.InNetwork(TransferKind::GROUP_REDUCE,
                      heads.front(),
                      builder.AddGroup(heads),
                      0,
                      sharpStep);
    for (const auto& chain : chains)
    {
        AddChain(builder, chain, 0, false, sharpStep + 1);
    }
}

} // namespace ns3
