/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef HALVING_DOUBLING_ALGORITHM_H
#define HALVING_DOUBLING_ALGORITHM_H

#include "collective-algorithm.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Recursive halving and doubling (Rabenseifner's all-reduce, as MPICH runs it).
 *
 * With p the largest power of two not above n and r = n - p, MPICH folds the r extra ranks
 * first: for i < r, rank 2i hands its data to rank 2i + 1 and sits out; the p remaining ranks
 * (virtual rank i for rank 2i + 1, i < r; virtual rank i for rank i + r, i >= r) run the
 * power-of-two algorithm; at the end rank 2i + 1 hands the result back to rank 2i.
 *
 * - reduce-scatter (recursive halving, distance doubling): at step j (mask 2^j) virtual rank v
 *   exchanges with v xor mask the halves of what it holds, keeping the slots whose owner agrees
 *   with v on bit j and reducing what it receives. n slots (the shards), the shard of a folded
 *   rank owned by its partner; unfolding sends it its shard.
 * - all-gather (recursive doubling): at step j virtual rank v and v xor 2^j swap everything they
 *   hold; folded ranks hand in their shard first and get all others at the end.
 * - all-reduce: reduce-scatter on p slots, then all-gather in the reverse order of distances:
 *   2 log2 n steps on a power of two (each rank sending 2(n - 1)/n of the buffer), two more
 *   (fold and unfold) otherwise.
 *
 * Ranks are taken in rank order, whatever their servers. Broadcast, reduce, all-to-all and
 * send/recv are outside this algorithm (Supports() says so and names the algorithms that do
 * them: ring, tree, direct).
 */
class HalvingDoublingAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    HalvingDoublingAlgorithm();
    ~HalvingDoublingAlgorithm() override;

    std::string GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const override;
    std::string GetName() const override;

  protected:
    uint32_t GetSlots(CollectiveOp op, const RankLayout& layout) const override;
    /** \return true: recursive halving and doubling run step by step, as MPICH's do */
    bool IsStepSynchronous(CollectiveOp op) const override;
    void BuildSlice(SliceBuilder& builder,
                    CollectiveOp op,
                    const RankLayout& layout,
                    uint32_t root,
                    uint32_t peer) const override;
};

} // namespace ns3

#endif /* HALVING_DOUBLING_ALGORITHM_H */
