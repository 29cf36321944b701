/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ring-algorithm.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RingAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(RingAlgorithm);

TypeId
RingAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RingAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<RingAlgorithm>();
    return tid;
}

RingAlgorithm::RingAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

RingAlgorithm::~RingAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

std::string
RingAlgorithm::GetName() const
{
    return "ring";
}

std::string
RingAlgorithm::GetUnsupportedReason(CollectiveOp op, const RankLayout& /* layout */) const
{
    if (op == CollectiveOp::ALL_TO_ALL || op == CollectiveOp::SEND_RECV)
    {
        return "the ring implements all-reduce, reduce-scatter, all-gather, broadcast and reduce, "
               "not " +
               CollectiveOpName(op) + " (use DirectAlgorithm)";
    }
    return "";
}

std::vector<uint32_t>
RingAlgorithm::GetRingOrder(const RankLayout& layout, uint32_t channel)
{
    std::vector<uint32_t> ring;
    if (!layout.rail.empty())
    {
        // NCCL's ring graph (search.cc): NET n -> GPU a -> ... -> GPU x -> NET n. Channel c
        // enters each server on rail n = c mod rails; the last GPU's data leaves through rail n
        // too, relayed by PXN, so every channel stays on its rail and the rails share the load.
        for (const auto& ranks : layout.GetServerRanks())
        {
            const auto order = GetChannelOrder(ranks, layout, channel);
            ring.insert(ring.end(), order.begin(), order.end());
        }
        return ring;
    }
    // Without rails: servers in turn, every other one walked backwards, so that server 0 leaves
    // from its last rank into the last rank of server 1, and server 1 from its first into the
    // first of server 2.
    bool backwards = false;
    for (const auto& ranks : layout.GetServerRanks())
    {
        if (backwards)
        {
            ring.insert(ring.end(), ranks.rbegin(), ranks.rend());
        }
        else
        {
            ring.insert(ring.end(), ranks.begin(), ranks.end());
        }
        backwards = !backwards;
    }
    return ring;
}

uint32_t
RingAlgorithm::GetSlots(CollectiveOp op, const RankLayout& layout) const
{
    return op == CollectiveOp::ALL_REDUCE ? layout.GetNRanks() : 1;
}

void
RingAlgorithm::BuildSlice(SliceBuilder& builder,
                          CollectiveOp op,
                          const RankLayout& layout,
                          uint32_t root,
                          uint32_t /* peer */) const
{
    const std::vector<uint32_t> ring = GetRingOrder(layout, builder.GetChannel());
    const uint32_t n = static_cast<uint32_t>(ring.size());
    // Slot of ring position i: the shard of its rank (all-reduce: any labelling would do).
    std::vector<std::vector<uint32_t>> groups(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        groups[i].push_back(ring[i]);
    }
    uint32_t rootPos = 0;
    while (ring[rootPos] != root)
    {
        ++rootPos;
    }
    std::vector<uint32_t> chain;
    switch (op)
    {
    case CollectiveOp::REDUCE_SCATTER:
        AddRingReduceScatter(builder, ring, groups, 0);
        break;
    case CollectiveOp::ALL_GATHER:
        AddRingAllGather(builder, ring, groups, 0);
        break;
    case CollectiveOp::ALL_REDUCE:
        AddRingAllGather(builder, ring, groups, AddRingReduceScatter(builder, ring, groups, 0));
        break;
    case CollectiveOp::BROADCAST:
        for (uint32_t h = 0; h < n; ++h)
        {
            chain.push_back(ring[(rootPos + h) % n]);
        }
        AddChain(builder, chain, 0, false, 0);
        break;
    case CollectiveOp::REDUCE:
        for (uint32_t h = 1; h <= n; ++h)
        {
            chain.push_back(ring[(rootPos + h) % n]);
        }
        AddChain(builder, chain, 0, true, 0);
        break;
    default:
        break;
    }
}

} // namespace ns3
