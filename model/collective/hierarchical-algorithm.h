/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef HIERARCHICAL_ALGORITHM_H
#define HIERARCHICAL_ALGORITHM_H

#include "collective-algorithm.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Two-level collectives: rings inside each server (NVLink) and rings along the rails
 * between servers (the ranks with the same local index, one per server, that share a network
 * rail), so that only 1/g of the data crosses the network per rank with g ranks per server.
 *
 * With S servers of g ranks each (the same g on every server; rank (s, i) is the i-th rank of
 * server s), the slots are the n = S * g shards and local group i is the S shards of the ranks
 * with local index i:
 *
 * - reduce-scatter: ring reduce-scatter of the local groups inside each server (g - 1 steps;
 *   rank (s, i) then holds group i summed over its server), then ring reduce-scatter along each
 *   rail (S - 1 steps; rank (s, i) ends with its shard summed over every server).
 * - all-gather: ring all-gather along each rail (S - 1 steps), then of the local groups inside
 *   each server (g - 1 steps).
 * - all-reduce: reduce-scatter inside each server, all-reduce of each shard along its rail,
 *   all-gather inside each server: 2(g - 1) + 2(S - 1) steps; each rank sends 2(S - 1)/n of the
 *   buffer across servers and 2(g - 1)/g inside its server.
 * - broadcast: along the root's rail from the root's server (a chain), then inside every server
 *   from that rank (a chain); reduce: the reverse, chains inside each server ending at the rank
 *   on the root's rail, then along the rail ending at the root.
 *
 * One server (S = 1) is not an error: the rail phases vanish and the algorithm is the ring inside
 * the server; one rank per server (g = 1) gives the ring across servers. Servers with different
 * numbers of ranks have no rails: every operation is unsupported on such layouts, as are
 * all-to-all and send/recv.
 */
class HierarchicalAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    HierarchicalAlgorithm();
    ~HierarchicalAlgorithm() override;

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

#endif /* HIERARCHICAL_ALGORITHM_H */
