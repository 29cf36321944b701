/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef WORKLOAD_ARITHMETIC_H
#define WORKLOAD_ARITHMETIC_H

#include "workload-description.h"

#include <cstdint>
#include <utility>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Memory one GPU needs, bytes (ZeRO partitioning applied).
 */
struct MemoryFootprint
{
    double parameters{0};  //!< parameters held by the GPU before ZeRO partitioning, Psi
    double weights{0};     //!< model weights (dtype bytes x Psi, / N_d under ZeRO-3)
    double gradients{0};   //!< gradients (/ N_d under ZeRO-2 and 3)
    double optimizer{0};   //!< optimizer states K x Psi (/ N_d under ZeRO-1, 2, 3)
    double activations{0}; //!< activations kept for the backward pass, at the peak

    /** \return the sum */
    double GetTotal() const
    {
        return weights + gradients + optimizer + activations;
    }
};

/**
 * \ingroup ai-fabric
 * \brief The arithmetic of a training step, counted exactly: matmul FLOPs as Megatron-LM's
 * papers count them (Narayanan et al. SC21 §5.1: a multiply-add is 2 FLOPs; backward twice the
 * forward; full recomputation one more forward of the transformer layers), parameters, and the
 * memory of ZeRO's stages (Rajbhandari et al. SC20 §5) and of activations (Korthikanti et al.,
 * "Reducing Activation Recomputation in Large Transformer Models", MLSys 2023, §4 Table 2).
 *
 * Per layer and micro-batch of b sequences of s tokens, hidden h, a heads of d = h/a, k
 * key/value heads, MLP size f: QKV 2bsh(h + 2kd), scores and values 4bs^2h, projection 2bsh^2,
 * MLP 2bshf x (2, or 3 when gated), logits 2bshV. MoE: a router 2bshE and top-k experts per
 * token. For a GPT (k = a, f = 4h) this is 24bsh^2 + 4bs^2h per layer, and 3 x that per layer
 * and iteration gives SC21's 72 B s l h^2 (1 + s/(6h) + V/(12 l h)).
 */
class WorkloadArithmetic
{
  public:
    WorkloadArithmetic() = delete;

    /**
     * \param t the transformer
     * \param b micro-batch size
     * \return forward FLOPs of one layer's attention block (QKV, scores, values, projection)
     */
    static double AttentionForwardFlops(const TransformerSpec& t, uint32_t b);
    /**
     * \param t the transformer
     * \param b micro-batch size
     * \return forward FLOPs of the attention scores and values alone (4 b s^2 h)
     */
    static double AttentionScoreFlops(const TransformerSpec& t, uint32_t b);
    /**
     * \param t the transformer
     * \param layer which layer (dense or MoE)
     * \param b micro-batch size
     * \return forward FLOPs of its MLP (MoE: router + top-k experts per token)
     */
    static double MlpForwardFlops(const TransformerSpec& t, uint32_t layer, uint32_t b);
    /**
     * \param t the transformer
     * \param b micro-batch size
     * \return forward FLOPs of the logit layer (2 b s h V)
     */
    static double LogitsForwardFlops(const TransformerSpec& t, uint32_t b);

    /** \param t the transformer \return weights of one layer's attention block */
    static double AttentionParameters(const TransformerSpec& t);
    /**
     * \param t the transformer
     * \param layer which layer
     * \return weights of its MLP (MoE: every expert and the router)
     */
    static double MlpParameters(const TransformerSpec& t, uint32_t layer);
    /** \param t the transformer \return the embedding (tied with the logit layer): V h */
    static double EmbeddingParameters(const TransformerSpec& t);

    /**
     * \param model a model
     * \return its parameters (matmul weights and the embedding; biases and norms left out,
     * as Megatron's 12 l h^2 leaves them out)
     */
    static double ModelParameters(const ModelSpec& model);

    /**
     * \brief The FLOPs of one training iteration over the whole cluster, as counted here.
     * \param w a validated workload
     * \param withRecompute count the recomputed forward (hardware FLOPs) or not (model FLOPs,
     * what MFU divides)
     * \return FLOPs
     */
    static double IterationFlops(const WorkloadDescription& w, bool withRecompute);

    /**
     * \brief Megatron-LM's closed form (SC21 eq. 3): 72 B s l h^2 (1 + s/(6h) + V/(12 l h)),
     * or 96 B s l h^2 (1 + s/(6h) + V/(16 l h)) with full recomputation, for a GPT (f = 4h,
     * no grouped-query attention, no MoE).
     * \param t the transformer
     * \param globalBatch B
     * \param recompute full recomputation
     * \return FLOPs per iteration
     */
    static double MegatronIterationFlops(const TransformerSpec& t,
                                         uint32_t globalBatch,
                                         bool recompute);

    /**
     * \param w a validated workload
     * \param virtualStage j in [0, pp x v)
     * \return the layers [first, last) it holds (transformer layers, or expanded layer-list
     * entries)
     */
    static std::pair<uint32_t, uint32_t> LayersOfVirtualStage(const WorkloadDescription& w,
                                                              uint32_t virtualStage);

    /**
     * \param w a validated workload
     * \return the expanded layer list of a layer-list model (count unrolled)
     */
    static std::vector<LayerSpec> ExpandLayers(const WorkloadDescription& w);

    /**
     * \param w a validated workload
     * \param stage a pipeline stage
     * \return the parameters one GPU of that stage holds, Psi: its layers' weights / tp
     * (experts / ep), plus the embedding on the first stage and the logit layer on the last
     */
    static double GpuParameters(const WorkloadDescription& w, uint32_t stage);

    /**
     * \brief Activation bytes of one layer for one micro-batch on one GPU (Korthikanti et al.
     * Table 2, 16-bit activations scaled by the dtype): s b h (34 + 5 a s / h) without
     * parallelism; s b h (10 + 24/t + 5 a s / (h t)) with tensor parallelism; s b h / t (34 +
     * 5 a s / h) with sequence parallelism too; 2 s b h (/ t with SP) with full recomputation.
     * A layer-list model gives its activation bytes per sample.
     * \param w a validated workload
     * \param layer which layer
     * \return bytes
     */
    static double LayerActivationBytes(const WorkloadDescription& w, uint32_t layer);

    /**
     * \brief ZeRO's memory for Psi parameters on N_d data-parallel ranks (SC20 §5):
     * stage 0 (2 + 2 + K) Psi, 1: 4 Psi + K Psi / N_d, 2: 2 Psi + (2 + K) Psi / N_d,
     * 3: (2 + 2 + K) Psi / N_d, with 2 the dtype's bytes.
     * \param w a validated workload (stage, K, dtype, dp)
     * \param psi parameters
     * \return weights, gradients and optimizer (activations zero)
     */
    static MemoryFootprint ZeroMemory(const WorkloadDescription& w, double psi);

    /**
     * \param w a validated workload
     * \param stage a pipeline stage
     * \param inFlight the most (micro-batch, model chunk) pairs whose activations the stage
     * holds at once, per chunk (WorkloadGenerator counts them from the schedule)
     * \return the memory of one GPU of the stage
     */
    static MemoryFootprint GpuMemory(const WorkloadDescription& w,
                                     uint32_t stage,
                                     const std::vector<uint32_t>& inFlight);
};

} // namespace ns3

#endif /* WORKLOAD_ARITHMETIC_H */
