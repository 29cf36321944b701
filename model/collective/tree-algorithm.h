/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TREE_ALGORITHM_H
#define TREE_ALGORITHM_H

#include "collective-algorithm.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NCCL's double binary tree: two trees, each carrying half of the data (slot 0 and slot
 * 1), so that the bandwidth of every rank's links is used in both directions.
 *
 * Between servers, tree 0 is NCCL's binary tree (ncclGetBtree: server 0 the root, a server's
 * parent found from its lowest set bit) and tree 1 its mirror (server s to S - 1 - s) when the
 * number of servers S is even, or the same tree shifted by one server when S is odd
 * (ncclGetDtree). Inside a server the ranks form a chain, as NCCL's balanced tree pattern does:
 * the first rank talks to the parent server, the last rank to the child servers, so that no
 * rank has more than NCCL_MAX_TREE_ARITY = 3 children (here at most 2). With one rank per server
 * this is exactly NCCL's double binary tree over ranks, where every rank is a leaf of one tree.
 *
 * - all-reduce: in each tree, reduce up to the root (a rank sends up once it has received from
 *   all its children), then broadcast down; per rank at most 2x the buffer sent. With ChunkSize
 *   the pieces pipeline through the levels (piece p reaches level l at step p + l).
 * - broadcast and reduce (not tree operations in NCCL; provided here): tree 0 is rooted at the
 *   root (servers renumbered from the root's, the root first in its chain); tree 1 keeps its own
 *   root, which receives its half from the root first (broadcast) or hands the reduced half to
 *   the root last (reduce).
 *
 * Reduce-scatter, all-gather, all-to-all and send/recv are not tree operations.
 */
class TreeAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TreeAlgorithm();
    ~TreeAlgorithm() override;

    std::string GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const override;
    std::string GetName() const override;

    /**
     * \brief NCCL's binary tree (ncclGetBtree) over m nodes: node 0 is the root.
     * \param m number of nodes
     * \param node a node
     * \param[out] up its parent (-1 for the root)
     * \param[out] down0 its first child (-1 if none)
     * \param[out] down1 its second child (-1 if none)
     */
    static void GetBtree(int m, int node, int* up, int* down0, int* down1);

    /**
     * \brief A rank-level tree of the double binary tree.
     * \param layout the layout
     * \param tree 0 or 1
     * \param root the rank that roots tree 0 (its server is renumbered server 0, itself first in
     * its chain)
     * \param channel the channel: each server's chain is in its channel order (see
     * CollectiveAlgorithm::GetChannelOrder)
     * \return the parent of each rank (-1 for the tree's root)
     */
    static std::vector<int> GetParents(const RankLayout& layout,
                                       uint32_t tree,
                                       uint32_t root,
                                       uint32_t channel = 0);

  protected:
    uint32_t GetSlots(CollectiveOp op, const RankLayout& layout) const override;
    /** \return true: each of the two trees has connections of its own */
    bool HasSlotLanes(CollectiveOp op) const override;
    void BuildSlice(SliceBuilder& builder,
                    CollectiveOp op,
                    const RankLayout& layout,
                    uint32_t root,
                    uint32_t peer) const override;
};

} // namespace ns3

#endif /* TREE_ALGORITHM_H */
