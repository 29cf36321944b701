/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PASE_SEARCH_H
#define PASE_SEARCH_H

#include "layer-graph.h"
#include "pase-cost-model.h"

#include "ns3/ptr.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A per-layer plan: one configuration per layer, and its total cost.
 */
struct PasePlan
{
    std::vector<PaseConfig> configs; //!< per layer
    double cost{0};                  //!< vertex costs + edge costs, FLOPs
};

/**
 * \ingroup ai-fabric
 * \brief What a search found and what it took.
 */
struct PaseSearchResult
{
    std::vector<PasePlan> plans; //!< the best first, up to k
    std::vector<uint32_t> order; //!< the vertex ordering used
    uint32_t maxDependentSet{0}; //!< the largest dependent set along it
    uint64_t states{0};          //!< DP table entries visited
    double seconds{0};           //!< wall time of the search
};

/**
 * \ingroup ai-fabric
 * \brief PaSE's dynamic program (Elango, IPDPS 2021, §IV): vertices are taken in an order; the
 * table after vertex i is indexed by the configurations of its dependent set (the vertices
 * taken so far that have an edge to one not yet taken), and holds the cheapest cost of the
 * vertices taken given them. Taking a vertex adds its cost and those of its edges to the
 * dependent set, then minimises over the vertices that leave the set. The result is exact; the
 * cost grows with K^(|dependent set| + 1). The ordering is greedy: the next vertex is the one
 * that leaves the smallest dependent set (a chain keeps one vertex in it). Keeping the k
 * cheapest per table entry gives the exact k best plans.
 */
class PaseSearch
{
  public:
    /**
     * \param graph a layer graph
     * \param model the cost model
     * \param k plans to keep (>= 1)
     * \return the k best plans
     */
    static PaseSearchResult Search(const LayerGraph& graph,
                                   Ptr<const PaseCostModel> model,
                                   uint32_t k = 1);

    /**
     * \brief Try every combination (for checking the dynamic program on small graphs).
     * \param graph a layer graph
     * \param model the cost model
     * \return the best plan
     */
    static PasePlan Exhaustive(const LayerGraph& graph, Ptr<const PaseCostModel> model);

    /**
     * \param graph a layer graph
     * \param model the cost model
     * \param plan a plan
     * \return its cost, computed afresh
     */
    static double Cost(const LayerGraph& graph,
                       Ptr<const PaseCostModel> model,
                       const std::vector<PaseConfig>& plan);

    /**
     * \param graph a layer graph
     * \param model the cost model
     * \return data parallelism: every layer split p ways on its first dim (the batch), as far
     * as that dim allows
     */
    static PasePlan DataParallel(const LayerGraph& graph, Ptr<const PaseCostModel> model);
};

} // namespace ns3

#endif /* PASE_SEARCH_H */
