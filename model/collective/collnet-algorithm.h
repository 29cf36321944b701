/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COLLNET_ALGORITHM_H
#define COLLNET_ALGORITHM_H

#include "collective-algorithm.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NCCL's CollNetDirect: SHARP across servers, NVLink directly to a head per HCA inside.
 *
 * All-reduce on two or more servers with the same number of ranks each. The first
 * min(ranks per server, 8) ranks of every server are heads (NCCL_MAX_DIRECT_ARITY 7 peers plus
 * the head itself), one slot each: every rank of the server sends head h its share of slot h,
 * which the head reduces (step 0); the heads of slot h on all servers all-reduce it by SHARP
 * over their HCAs (GROUP_REDUCE, step 1); each head sends the result to every rank of its
 * server (step 2). NCCL disables CollNetDirect without NVSwitch (fact sheet §7.5): the
 * communicator checks that.
 */
class CollNetDirectAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    CollNetDirectAlgorithm();
    ~CollNetDirectAlgorithm() override;

    std::string GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const override;
    std::string GetName() const override;

    /// Heads per server at most: NCCL_MAX_DIRECT_ARITY (7) + 1.
    static constexpr uint32_t MAX_HEADS = 8;

  protected:
    uint32_t GetSlots(CollectiveOp op, const RankLayout& layout) const override;
    void BuildSlice(SliceBuilder& builder,
                    CollectiveOp op,
                    const RankLayout& layout,
                    uint32_t root,
                    uint32_t peer) const override;
};

/**
 * \ingroup ai-fabric
 * \brief NCCL's CollNetChain: a chain inside each server to one head, SHARP across servers.
 *
 * All-reduce on two or more servers with the same number of ranks each, one slot. On channel c
 * each server's ranks form a chain in channel order (GetChannelOrder: it starts at the rank on
 * rail c mod rails, the head); the chain reduces toward the head, the heads of all servers
 * all-reduce by SHARP (GROUP_REDUCE, one group per rail as SHARP gives each rail a tree), and
 * the result goes back down the chain.
 */
class CollNetChainAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    CollNetChainAlgorithm();
    ~CollNetChainAlgorithm() override;

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

#endif /* COLLNET_ALGORITHM_H */
