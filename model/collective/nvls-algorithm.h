/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLS_ALGORITHM_H
#define NVLS_ALGORITHM_H

#include "collective-algorithm.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NCCL's NVLS (NVLink SHARP): the NVSwitch reduces and multicasts (fact sheet §8.5).
 *
 * The buffer has one slot per rank of a server (the rank at position i of its server owns
 * slot i):
 * - all-reduce: each rank pulls its slot reduced over its server's GPUs (LOAD_REDUCE, NVLS's
 *   multimem.ld_reduce), then, on several servers, all-reduces it with the ranks of the same
 *   position on the other servers by SHARP (GROUP_REDUCE: NCCL runs multi-node NVLS over
 *   CollNet), then stores it to every GPU of its server at once (MULTICAST, multimem.st). Each
 *   GPU link carries about S each way, against 2(n-1)/n S for a ring.
 * - reduce-scatter (one server): each rank pulls its shard reduced.
 * - all-gather (one server): each rank multicasts its shard.
 *
 * Every server needs the same number of ranks. Whether the switches can do it (NVSwitch 3 and
 * later, multicast groups left) is the communicator's business: see Communicator.
 */
class NvlsAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NvlsAlgorithm();
    ~NvlsAlgorithm() override;

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

/**
 * \ingroup ai-fabric
 * \brief NCCL's NVLSTree: NVLS inside each server, a tree over the network between servers.
 *
 * All-reduce only, on two or more servers with the same number of ranks each. The rank at
 * position i of every server owns slot i: it pulls the slot reduced over its server
 * (LOAD_REDUCE), the owners of slot i on the servers reduce it up a binary tree over the
 * servers and broadcast it back down (point-to-point sends over the HCAs), and each owner
 * multicasts the result to its server (MULTICAST). Channel c roots its trees at server
 * c mod servers, so that the roots' extra work spreads.
 */
class NvlsTreeAlgorithm : public CollectiveAlgorithm
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NvlsTreeAlgorithm();
    ~NvlsTreeAlgorithm() override;

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

/**
 * \ingroup ai-fabric
 * \param layout a layout
 * \return "" if every server holds the same number of ranks, else which do not
 */
std::string CheckUniformServers(const RankLayout& layout);

} // namespace ns3

#endif /* NVLS_ALGORITHM_H */
