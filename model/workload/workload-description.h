/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef WORKLOAD_DESCRIPTION_H
#define WORKLOAD_DESCRIPTION_H

#include "ns3/fabric-config-error.h"
#include "ns3/topology-description.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A workload that cannot run, with the file, line and field at fault
 * ("gpt.yaml:12:7: field 'parallelism.tp': ...").
 */
class WorkloadError : public FabricFileError
{
  public:
    using FabricFileError::FabricFileError;
    ~WorkloadError() override;
};

/// \ingroup ai-fabric
/// Number formats of weights, activations and gradients.
enum class WorkloadDtype
{
    FP32, //!< 4 bytes, the GPU's FP32 (non-tensor) peak
    TF32, //!< 4 bytes in memory, TF32 tensor-core peak
    BF16, //!< 2 bytes, BF16 tensor-core peak
    FP16, //!< 2 bytes, FP16 tensor-core peak (= BF16 on A100-B200)
    FP8,  //!< 1 byte, FP8 tensor-core peak
};

/**
 * \ingroup ai-fabric
 * \param dtype a format
 * \return its size in bytes
 */
uint32_t WorkloadDtypeBytes(WorkloadDtype dtype);

/**
 * \ingroup ai-fabric
 * \param dtype a format
 * \return its name as workload files write it ("bf16")
 */
std::string WorkloadDtypeName(WorkloadDtype dtype);

/**
 * \ingroup ai-fabric
 * \brief A decoder-only transformer (GPT, Llama) with an optional mixture of experts
 * (Mixtral): what Megatron-LM's FLOP and traffic formulas need.
 */
struct TransformerSpec
{
    uint32_t layers{0};     //!< transformer layers l
    uint32_t hidden{0};     //!< hidden size h
    uint32_t ffn{0};        //!< MLP intermediate size (4h for GPT)
    uint32_t heads{0};      //!< attention heads a
    uint32_t kvHeads{0};    //!< key/value heads (= heads without grouped-query attention)
    uint32_t sequence{0};   //!< sequence length s
    uint32_t vocabulary{0}; //!< vocabulary V
    bool gatedMlp{false};   //!< SwiGLU MLP: three h x ffn matrices instead of two
    uint32_t experts{0};    //!< MoE: experts per MoE layer (0: dense)
    uint32_t topK{0};       //!< MoE: experts each token goes to
    uint32_t expertFfn{0};  //!< MoE: intermediate size of one expert
    uint32_t moeEvery{1};   //!< MoE: every n-th layer is an MoE layer (1: all)

    /** \return whether layer i (0-based) is an MoE layer */
    bool IsMoeLayer(uint32_t i) const;
};

/**
 * \ingroup ai-fabric
 * \brief One layer of a generic model (a CNN such as ResNet or AlexNet): per sample.
 */
struct LayerSpec
{
    std::string name;            //!< e.g. "conv2_x"
    double forwardFlops{0};      //!< forward FLOPs per sample (a multiply-add is 2)
    uint64_t weightBytes{0};     //!< bytes of its weights
    uint64_t activationBytes{0}; //!< bytes of its output activations per sample
    uint32_t count{1};           //!< how many such layers in a row
    SourceLocation where;        //!< where it was defined
};

/// \ingroup ai-fabric
/// How a model is given.
enum class ModelKind
{
    TRANSFORMER, //!< TransformerSpec
    LAYERS,      //!< a list of LayerSpec
};

/**
 * \ingroup ai-fabric
 * \brief The model being trained.
 */
struct ModelSpec
{
    ModelKind kind{ModelKind::TRANSFORMER};   //!< which of the two forms
    TransformerSpec transformer;              //!< kind TRANSFORMER
    std::vector<LayerSpec> layers;            //!< kind LAYERS (count expanded at use)
    WorkloadDtype dtype{WorkloadDtype::BF16}; //!< weights, activations and gradients
};

/// \ingroup ai-fabric
/// Activation recomputation (Megatron's --recompute-granularity).
enum class Recompute
{
    NONE, //!< keep every activation
    FULL, //!< keep each layer's input, recompute its forward in the backward pass
};

/**
 * \ingroup ai-fabric
 * \brief The training set-up of one iteration.
 */
struct TrainingSpec
{
    uint32_t globalBatch{0};              //!< samples per iteration B
    uint32_t microBatch{1};               //!< samples per micro-batch b
    uint32_t gradientAccumulation{0};     //!< micro-batches per pipeline m (0: B / (b dp))
    Recompute recompute{Recompute::NONE}; //!< activation recomputation
    /// Optimizer-state bytes per parameter, ZeRO's K: 12 for mixed-precision Adam (fp32 master
    /// weights, momentum, variance; Rajbhandari et al. SC20 §3.1).
    uint32_t optimizerBytes{12};
};

/// \ingroup ai-fabric
/// Pipeline schedules.
enum class PipelineSchedule
{
    ONE_F_ONE_B, //!< PipeDream-flush 1F1B (Narayanan et al. SC21 §2.2.1)
    INTERLEAVED, //!< interleaved 1F1B with v model chunks per GPU (SC21 §2.2.2)
};

/// \ingroup ai-fabric
/// How data-parallel replicas agree on the weights.
enum class TrainingMode
{
    SYNC,             //!< synchronous SGD: gradients reduced every iteration, one barrier
    PARAMETER_SERVER, //!< asynchronous SGD: push gradients to servers, pull weights, no barrier
    STALE_SYNC,       //!< stale-synchronous: like the parameter server, at most s iterations apart
};

/**
 * \ingroup ai-fabric
 * \brief The parallelism plan.
 */
struct ParallelismPlan
{
    uint32_t dp{0};               //!< data-parallel degree (0: GPUs / (tp pp))
    uint32_t tp{1};               //!< tensor-parallel degree
    bool sequenceParallel{false}; //!< Megatron sequence parallelism (TP all-reduce -> RS + AG)
    uint32_t pp{1};               //!< pipeline stages p
    uint32_t virtualStages{1};    //!< model chunks per GPU v (interleaved schedule)
    PipelineSchedule schedule{PipelineSchedule::ONE_F_ONE_B}; //!< pipeline schedule
    uint32_t ep{1};   //!< expert-parallel degree (within the data-parallel ranks)
    uint32_t zero{0}; //!< ZeRO stage 0-3 (3 = FSDP)
    /// Gradient bucket size: PyTorch DDP's bucket_cap_mb default, 25 MiB.
    uint64_t bucketBytes{25ull << 20};
    bool overlap{true};                               //!< reduce buckets during the backward pass
    std::vector<std::string> order{"tp", "pp", "dp"}; //!< placement, innermost first
    std::vector<uint32_t> ranks;                      //!< explicit placement (empty: by order)
    TrainingMode mode{TrainingMode::SYNC};            //!< how replicas synchronise
    uint32_t staleness{0};                            //!< STALE_SYNC: the bound s
    uint32_t servers{1};                              //!< PARAMETER_SERVER / STALE_SYNC: servers
};

/// \ingroup ai-fabric
/// Where a kind of training state lives.
enum class StatePlacement
{
    HBM,  //!< in the GPU's own memory
    POOL, //!< in a memory pool on the fabric, loaded and stored over it
};

/**
 * \ingroup ai-fabric
 * \brief Which training state lives in pooled memory (ASTRA-sim 2.0's disaggregated memory;
 * ZeRO-Infinity's offload, Rajbhandari et al. SC21).
 *
 * Pooled state is moved by remote-memory nodes of the execution graph: a MoE layer's expert
 * weights are loaded before its forward and its backward and their gradients stored after the
 * backward (reduced over the replicas by the GPUs, or by the pool: reduceInPool); optimizer states
 * are loaded before the optimizer step and stored after it; activations are stored after a layer's
 * forward and loaded before its backward.
 */
struct MemorySpec
{
    StatePlacement experts{StatePlacement::HBM};     //!< MoE expert weights and gradients
    StatePlacement optimizer{StatePlacement::HBM};   //!< optimizer states
    StatePlacement activations{StatePlacement::HBM}; //!< activations kept for the backward
    /// Loads in flight ahead of the compute that needs them (the prefetch depth, in layers):
    /// a load waits until the compute of the load `prefetch` + 1 before it has finished and
    /// freed its buffer. ZeRO-Infinity prefetches the next layer's weights (1).
    uint32_t prefetch{1};
    /// Pooled experts: the replicas' expert gradients are summed by the pool they all store
    /// into (near-memory reduction, no expert-data-parallel all-reduce; every replica of an
    /// expert shard must then use one pool), else by the GPUs' all-reduce as usual.
    bool reduceInPool{false};

    /** \return whether any state lives in a pool */
    bool UsesPool() const;
};

/**
 * \ingroup ai-fabric
 * \brief Everything a workload file says: model, training set-up, parallelism plan.
 */
struct WorkloadDescription
{
    std::string name;      //!< a title
    std::string file;      //!< the file it was read from, if any
    ModelSpec model;       //!< the model
    TrainingSpec training; //!< batch sizes, recomputation
    ParallelismPlan plan;  //!< the plan
    MemorySpec memory;     //!< what lives in pooled memory
    SourceLocation where;  //!< the document
    /// Where each field was written ("parallelism.tp" -> file:line:column), filled by the
    /// reader, so that Validate() points at the field even when called later.
    std::map<std::string, SourceLocation> locations;

    /**
     * \brief Check the workload against a number of GPUs and complete what is derived (dp,
     * gradient accumulation, ffn, kv heads): DP x TP x PP (+ servers) must be the GPUs, TP must
     * divide the heads, EP must divide the experts and the data-parallel degree, PP x v the
     * layers, and so on. Throws WorkloadError naming the field at fault.
     * \param gpus the GPUs of the topology (0: do not check the count; dp must then be given)
     */
    void Validate(uint32_t gpus);

    /** \return micro-batches per iteration and pipeline, m (after Validate) */
    uint32_t GetMicroBatches() const;
    /** \return the GPUs the plan uses: dp x tp x pp, plus servers in asynchronous modes */
    uint32_t GetGpuCount() const;

    /**
     * \param field a field path
     * \return where it (or the nearest enclosing field) was written
     */
    SourceLocation Locate(const std::string& field) const;
};

} // namespace ns3

#endif /* WORKLOAD_DESCRIPTION_H */
