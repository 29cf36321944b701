/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RING_ALGORITHM_H
#define RING_ALGORITHM_H

#include "collective-algorithm.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NCCL's ring: the ranks in one ring, the ranks of each server next to each other (servers
 * in the order of their first rank, ranks by rank), so that the ring crosses the network once
 * per server boundary.
 *
 * - reduce-scatter: n slots (the shards); at step k the rank at ring position i sends slot
 *   (i - k - 1) mod n to position i + 1, which reduces it; after n - 1 steps every rank holds its
 *   own shard complete.
 * - all-gather: n - 1 steps; at step k position i sends slot (i - k) mod n, the receiver takes it.
 * - all-reduce: reduce-scatter then all-gather on n slots (slot of position i ends at i first),
 *   2(n - 1) steps, each rank sending 2(n - 1)/n of the buffer; the chunks rotate as in NCCL's
 *   runRing (step 0 sends chunk i - 1, step n - 1 the completed chunk i).
 * - broadcast: one slot along the ring from the root (n - 1 hops), pipelined piece by piece.
 * - reduce: one slot along the ring ending at the root, each hop reducing.
 *
 * Each transfer of step k depends on the transfer of step k - 1 that brought that chunk into its
 * sender. All-to-all and send/recv are not ring algorithms (see DirectAlgorithm).
 */
class RingAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RingAlgorithm();
    ~RingAlgorithm() override;

    std::string GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const override;
    std::string GetName() const override;

    /**
     * \param layout a layout
     * \param channel the channel
     * \return the ranks in ring order, server by server. With rails (as NCCL builds rings on
     * rail-optimised clusters), channel c enters every server through rail c mod rails and
     * leaves it through the same rail by PXN (see CollectiveAlgorithm), so the channels spread
     * evenly over the HCAs. Without rails, each server's ranks by rank and every other server
     * backwards, so that the ring crosses between servers where ranks of equal position meet.
     */
    static std::vector<uint32_t> GetRingOrder(const RankLayout& layout, uint32_t channel = 0);

  protected:
    uint32_t GetSlots(CollectiveOp op, const RankLayout& layout) const override;
    void BuildSlice(SliceBuilder& builder,
                    CollectiveOp op,
                    const RankLayout& layout,
                    uint32_t root,
                    uint32_t peer) const override;
};

} // namespace ns3

#endif /* RING_ALGORITHM_H */
