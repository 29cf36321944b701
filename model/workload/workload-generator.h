/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef WORKLOAD_GENERATOR_H
#define WORKLOAD_GENERATOR_H

#include "execution-graph.h"
#include "workload-description.h"

#include "ns3/object.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Turns a workload (model + training set-up + parallelism plan) and a placement into
 * the execution graph of one iteration.
 *
 * Per pipeline stage, in the order of the pipeline schedule (1F1B: p - s - 1 warm-up forwards
 * on stage s, then one forward and one backward in turn, then the remaining backwards;
 * interleaved: Megatron-LM's schedule with v model chunks, micro-step k running chunk
 * (k / p) mod v of micro-batch (k / (p v)) p + k mod p, 2 (p - s - 1) + (v - 1) p warm-up
 * steps):
 *
 * - **forward of a layer**: [ZeRO-3 all-gather of its weights], attention, a TP all-reduce of
 *   b s h elements, MLP (or, in an MoE layer, an EP all-to-all dispatch of the b s k h routed
 *   elements, the experts, an all-to-all combine), a TP all-reduce. With sequence parallelism
 *   each all-reduce becomes an all-gather before the block and a reduce-scatter after it, of
 *   the same b s h elements (Korthikanti et al. §4.2.2). The last chunk ends with the logits.
 * - **backward of a layer**: [with full recomputation, its forward again, collectives
 *   included], [ZeRO-3 all-gather], MLP backward, TP all-reduce, attention backward, TP
 *   all-reduce, at twice the forward's FLOPs (SC21 §5.1).
 * - **pipeline**: after a forward, a send of the b s h activations (/ t with sequence
 *   parallelism) to the next stage; after a backward, a send of their gradients back. Every
 *   receive is posted at the start of the iteration; the forward or backward that needs it
 *   depends on it.
 * - **data parallelism**: gradients bucketed (parallelism.bucket-size) in the order the last
 *   micro-batch's backward finishes the layers; each bucket's all-reduce (ZeRO 1-3:
 *   reduce-scatter) depends on the layer that completes it, or, without overlap, on the end of
 *   the backward pass. The experts' gradients go over their expert-data-parallel group. Then
 *   the optimizer step (memory-bound: it reads and writes (2 dtype + 2 K) bytes per parameter
 *   it owns), and under ZeRO-1/2 an all-gather of the updated weights per bucket.
 *
 * Every rank of a stage runs the same program, so the graph holds one RankProgram per stage:
 * building a 16,384-GPU plan takes no longer than building its pipeline.
 */
class WorkloadGenerator : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    WorkloadGenerator();
    ~WorkloadGenerator() override;

    /**
     * \param workload a validated workload
     * \param serverOfRank the server of each topology rank (its size: the GPUs)
     * \return the graph of one iteration
     */
    ExecutionGraph Generate(const WorkloadDescription& workload,
                            const std::vector<uint32_t>& serverOfRank) const;

    /**
     * \param workload a validated workload
     * \param stage a stage
     * \return its pipeline schedule: (forward?, micro-batch, chunk) in order
     */
    static std::vector<std::tuple<bool, uint32_t, uint32_t>> GetPipelineOrder(
        const WorkloadDescription& workload,
        uint32_t stage);

  private:
    /**
     * \param workload the workload
     * \param stage the stage
     * \return its program
     */
    std::shared_ptr<RankProgram> BuildProgram(const WorkloadDescription& workload,
                                              uint32_t stage) const;
};

} // namespace ns3

#endif /* WORKLOAD_GENERATOR_H */
