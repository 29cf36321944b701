/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PASE_PLAN_GRAPH_H
#define PASE_PLAN_GRAPH_H

#include "layer-graph.h"
#include "pase-cost-model.h"

#include "ns3/execution-graph.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Turns a per-layer plan into the execution graph TrainingJob replays, so that the
 * plan PaSE's cost model ranks runs on either backend.
 *
 * Device d holds replica d / q and coordinates (mixed radix over the split dims, the first
 * innermost) of d mod q, where q is the layer's product of splits. Per layer, in order, the
 * forward pass fetches each input whose producer's layout differs (an all-to-all of all p
 * devices sized so that each sends what the cost model says it fetches), computes its tile
 * (FLOPs / q) and all-reduces partial outputs among the devices that split a dim the output
 * lacks; the backward pass, in reverse, computes 2 x FLOPs / q, all-reduces partial input
 * gradients and weight gradients among the devices that split a dim the input or the weights
 * lack (the weight gradients off the critical path), and sends input gradients back through
 * the same redistribution. Every collective's bytes are the cost model's, so that the
 * packet-level and analytical times of the graph test the model's ranking and nothing else.
 */
class PasePlanGraph
{
  public:
    /**
     * \param graph the layer graph
     * \param plan a configuration per layer (from PaseSearch)
     * \param devices the devices p
     * \param serverOfRank the server of each topology rank (its size: the GPUs)
     * \param ranks the topology ranks of the p devices (empty: 0 .. p-1)
     * \return the graph of one iteration; throws FabricConfigError on a plan that does not
     * fit the graph
     */
    static ExecutionGraph Build(const LayerGraph& graph,
                                const std::vector<PaseConfig>& plan,
                                uint32_t devices,
                                const std::vector<uint32_t>& serverOfRank,
                                const std::vector<uint32_t>& ranks = {});
};

} // namespace ns3

#endif /* PASE_PLAN_GRAPH_H */
