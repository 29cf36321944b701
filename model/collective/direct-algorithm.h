/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIRECT_ALGORITHM_H
#define DIRECT_ALGORITHM_H

#include "collective-algorithm.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Every rank sends its pieces straight to where they must go (NCCL's all-to-all and
 * send/recv, and one-shot versions of the others).
 *
 * - reduce-scatter: every rank sends shard j to rank j, which reduces (one step).
 * - all-gather: every rank sends its shard to every other rank (one step).
 * - all-reduce: reduce-scatter then all-gather on n slots (two steps; each rank sends
 *   2(n - 1)/n of the buffer).
 * - broadcast: the root sends the buffer to every rank; reduce: every rank sends its buffer to the
 *   root, which reduces (one step).
 * - all-to-all: rank a sends piece b of its buffer (chunk a * n + b) to rank b (one step).
 * - send/recv: the root sends the buffer to the peer.
 *
 * A rank addresses its peers in the order rank + 1, rank + 2, ... (mod n), as NCCL's all-to-all
 * does, so that not every rank starts with the same destination.
 */
class DirectAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DirectAlgorithm();
    ~DirectAlgorithm() override;

    std::string GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const override;
    std::string GetName() const override;

  protected:
    uint32_t GetSlots(CollectiveOp op, const RankLayout& layout) const override;
    void BuildSlice(SliceBuilder& builder,
                    CollectiveOp op,
                    const RankLayout& layout,
                    uint32_t root,
                    uint32_t peer) const override;
};

} // namespace ns3

#endif /* DIRECT_ALGORITHM_H */
