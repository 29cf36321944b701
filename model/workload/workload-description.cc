/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "workload-description.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WorkloadDescription");

WorkloadError::~WorkloadError() = default;

uint32_t
WorkloadDtypeBytes(WorkloadDtype dtype)
{
    switch (dtype)
    {
    case WorkloadDtype::FP32:
    case WorkloadDtype::TF32:
        return 4;
    case WorkloadDtype::BF16:
    case WorkloadDtype::FP16:
        return 2;
    case WorkloadDtype::FP8:
        return 1;
    }
    return 2;
}

std::string
WorkloadDtypeName(WorkloadDtype dtype)
{
    switch (dtype)
    {
    case WorkloadDtype::FP32:
        return "fp32";
    case WorkloadDtype::TF32:
        return "tf32";
    case WorkloadDtype::BF16:
        return "bf16";
    case WorkloadDtype::FP16:
        return "fp16";
    case WorkloadDtype::FP8:
        return "fp8";
    }
    return "bf16";
}

bool
TransformerSpec::IsMoeLayer(uint32_t i) const
{
    return experts > 0 && moeEvery > 0 && (i + 1) % moeEvery == 0;
}

SourceLocation
WorkloadDescription::Locate(const std::string& field) const
{
    std::string path = field;
    while (!path.empty())
    {
        auto found = locations.find(path);
        if (found != locations.end())
        {
            return found->second;
        }
        const auto cut = path.find_last_of(".[");
        path = cut == std::string::npos ? "" : path.substr(0, cut);
    }
    return where;
}

bool
MemorySpec::UsesPool() const
{
    return experts == StatePlacement::POOL || optimizer == StatePlacement::POOL ||
           activations == StatePlacement::POOL;
}

uint32_t
WorkloadDescription::GetMicroBatches() const
{
    return training.gradientAccumulation;
}

uint32_t
WorkloadDescription::GetGpuCount() const
{
    const uint32_t workers = plan.dp * plan.tp * plan.pp;
    return plan.mode == TrainingMode::SYNC ? workers : workers + plan.servers;
}

void
WorkloadDescription::Validate(uint32_t gpus)
{
    NS_LOG_FUNCTION(this << gpus);
    auto fail = [this](const std::string& field, const std::string& what) {
        throw WorkloadError(Locate(field), field, what);
    };
    auto str = [](uint64_t v) { return std::to_string(v); };
    ParallelismPlan& p = plan;
    if (p.tp == 0 || p.pp == 0 || p.virtualStages == 0 || p.ep == 0)
    {
        fail(p.tp == 0   ? "parallelism.tp"
             : p.pp == 0 ? "parallelism.pp"
             : p.ep == 0 ? "parallelism.ep"
                         : "parallelism.virtual-stages",
             "must be at least 1");
    }
    if (p.zero > 3)
    {
        fail("parallelism.zero", "ZeRO stages are 0-3 (3 = FSDP), not " + str(p.zero));
    }
    if (p.bucketBytes == 0)
    {
        fail("parallelism.bucket-size", "must be greater than zero");
    }
    const bool async = p.mode != TrainingMode::SYNC;
    if (async)
    {
        if (p.tp != 1 || p.pp != 1 || p.ep != 1 || p.zero != 0)
        {
            fail("parallelism.mode",
                 "the parameter-server and stale-synchronous modes replay pure data parallelism "
                 "(tp, pp and ep 1, zero 0)");
        }
        if (p.servers == 0)
        {
            fail("parallelism.servers", "needs at least one parameter server");
        }
    }
    const uint32_t servers = async ? p.servers : 0;
    const uint32_t modelParallel = p.tp * p.pp;
    if (p.dp == 0)
    {
        if (gpus == 0)
        {
            fail("parallelism.dp", "is needed when no topology gives the number of GPUs");
        }
        if (gpus <= servers || (gpus - servers) % modelParallel != 0)
        {
            fail("parallelism.tp",
                 "tp x pp = " + str(modelParallel) + " does not divide the " + str(gpus - servers) +
                     " GPUs" + (servers ? " left beside the servers" : "") + " of the topology");
        }
        p.dp = (gpus - servers) / modelParallel;
    }
    else if (gpus != 0 && uint64_t(p.dp) * modelParallel + servers != gpus)
    {
        fail("parallelism.dp",
             "dp x tp x pp = " + str(p.dp) + " x " + str(p.tp) + " x " + str(p.pp) + " = " +
                 str(uint64_t(p.dp) * modelParallel) +
                 (servers ? " workers + " + str(servers) + " servers" : std::string()) +
                 " but the topology has " + str(gpus) + " GPUs");
    }
    if (p.virtualStages > 1)
    {
        p.schedule = PipelineSchedule::INTERLEAVED;
    }
    if (p.schedule == PipelineSchedule::INTERLEAVED && p.pp == 1)
    {
        fail("parallelism.schedule", "the interleaved schedule needs pp > 1");
    }
    if (p.zero >= 2 && p.pp > 1)
    {
        // DeepSpeed: pipeline parallelism is compatible with ZeRO stage 1 only.
        fail("parallelism.zero", "ZeRO stages 2 and 3 do not combine with pipeline parallelism");
    }
    // Placement.
    {
        std::vector<std::string> sorted = p.order;
        std::sort(sorted.begin(), sorted.end());
        if (sorted != std::vector<std::string>{"dp", "pp", "tp"})
        {
            fail("parallelism.order", "must name tp, pp and dp once each, innermost first");
        }
        if (!p.ranks.empty())
        {
            if (p.ranks.size() != GetGpuCount())
            {
                fail("parallelism.ranks",
                     "lists " + str(p.ranks.size()) + " ranks; the plan uses " +
                         str(GetGpuCount()) + " GPUs");
            }
            std::vector<bool> seen(std::max<uint32_t>(gpus, GetGpuCount()), false);
            for (uint32_t r : p.ranks)
            {
                if (r >= seen.size() || seen[r])
                {
                    fail("parallelism.ranks",
                         "rank " + str(r) + (r >= seen.size() ? " does not exist" : " twice"));
                }
                seen[r] = true;
            }
        }
    }
    // Model.
    const uint32_t chunks = p.pp * p.virtualStages;
    if (model.kind == ModelKind::TRANSFORMER)
    {
        TransformerSpec& t = model.transformer;
        const char* required[] = {"layers", "hidden", "heads", "sequence", "vocabulary"};
        const uint32_t values[] = {t.layers, t.hidden, t.heads, t.sequence, t.vocabulary};
        for (size_t i = 0; i < 5; ++i)
        {
            if (values[i] == 0)
            {
                fail(std::string("model.") + required[i], "must be given and at least 1");
            }
        }
        if (t.ffn == 0)
        {
            t.ffn = 4 * t.hidden;
        }
        if (t.kvHeads == 0)
        {
            t.kvHeads = t.heads;
        }
        if (t.hidden % t.heads != 0)
        {
            fail("model.heads",
                 str(t.heads) + " heads do not divide the hidden size " + str(t.hidden));
        }
        if (t.heads % t.kvHeads != 0)
        {
            fail("model.kv-heads",
                 str(t.kvHeads) + " key/value heads do not divide the " + str(t.heads) + " heads");
        }
        if (t.heads % p.tp != 0)
        {
            fail("parallelism.tp",
                 "tp " + str(p.tp) + " does not divide the " + str(t.heads) +
                     " attention heads (Megatron splits heads over the TP ranks)");
        }
        if (t.kvHeads % p.tp != 0)
        {
            fail("parallelism.tp",
                 "tp " + str(p.tp) + " does not divide the " + str(t.kvHeads) + " key/value heads");
        }
        if (t.ffn % p.tp != 0)
        {
            fail("parallelism.tp", "tp " + str(p.tp) + " does not divide ffn " + str(t.ffn));
        }
        if (t.layers % chunks != 0)
        {
            fail("parallelism.pp",
                 "pp x virtual-stages = " + str(chunks) + " does not divide the " + str(t.layers) +
                     " layers");
        }
        if (t.experts > 0)
        {
            if (t.topK == 0 || t.topK > t.experts)
            {
                fail("model.moe.top-k", "must be between 1 and the " + str(t.experts) + " experts");
            }
            if (t.expertFfn == 0)
            {
                t.expertFfn = t.ffn;
            }
            if (t.moeEvery == 0)
            {
                fail("model.moe.every", "must be at least 1");
            }
            if (p.ep > t.experts)
            {
                fail("parallelism.ep",
                     "ep " + str(p.ep) + " is larger than the " + str(t.experts) + " experts");
            }
            if (t.experts % p.ep != 0)
            {
                fail("parallelism.ep",
                     "ep " + str(p.ep) + " does not divide the " + str(t.experts) + " experts");
            }
            if (p.dp % p.ep != 0)
            {
                fail("parallelism.ep",
                     "ep " + str(p.ep) + " does not divide dp " + str(p.dp) +
                         " (expert-parallel groups are made of data-parallel ranks)");
            }
            if (t.expertFfn % p.tp != 0)
            {
                fail("parallelism.tp",
                     "tp " + str(p.tp) + " does not divide expert-ffn " + str(t.expertFfn));
            }
        }
        else if (p.ep != 1)
        {
            fail("parallelism.ep", "ep " + str(p.ep) + " needs an MoE model (model.moe.experts)");
        }
    }
    else
    {
        uint32_t count = 0;
        for (size_t i = 0; i < model.layers.size(); ++i)
        {
            const LayerSpec& l = model.layers[i];
            const std::string path = "model.layers[" + std::to_string(i) + "]";
            if (l.count == 0)
            {
                fail(path + ".count", "must be at least 1");
            }
            count += l.count;
        }
        if (count == 0)
        {
            fail("model.layers", "a layer-list model needs at least one layer");
        }
        if (p.tp != 1)
        {
            fail("parallelism.tp", "a layer-list model has no tensor-parallel split; tp must be 1");
        }
        if (p.ep != 1)
        {
            fail("parallelism.ep", "a layer-list model has no experts; ep must be 1");
        }
        if (count < chunks)
        {
            fail("parallelism.pp",
                 "pp x virtual-stages = " + str(chunks) + " is more than the " + str(count) +
                     " layers");
        }
    }
    // Batch.
    TrainingSpec& tr = training;
    if (tr.microBatch == 0)
    {
        fail("training.micro-batch", "must be at least 1");
    }
    if (tr.globalBatch == 0)
    {
        fail("training.global-batch", "must be given and at least 1");
    }
    const uint64_t perStep = uint64_t(tr.microBatch) * p.dp;
    if (tr.globalBatch % perStep != 0)
    {
        fail("training.global-batch",
             str(tr.globalBatch) + " is not a multiple of micro-batch x dp = " + str(perStep));
    }
    const auto m = static_cast<uint32_t>(tr.globalBatch / perStep);
    if (tr.gradientAccumulation != 0 && tr.gradientAccumulation != m)
    {
        fail("training.gradient-accumulation",
             "is " + str(tr.gradientAccumulation) +
                 " but global-batch / (micro-batch x dp) = " + str(m));
    }
    tr.gradientAccumulation = m;
    // Pooled memory.
    if (memory.experts == StatePlacement::POOL &&
        (model.kind != ModelKind::TRANSFORMER || model.transformer.experts == 0))
    {
        fail("memory.experts", "pooled experts need an MoE model (model.moe.experts)");
    }
    if (memory.reduceInPool && memory.experts != StatePlacement::POOL)
    {
        fail("memory.reduce", "the pool reduces expert gradients only when it holds the experts");
    }
    if (memory.UsesPool() && async)
    {
        fail("memory",
             "pooled memory is replayed with synchronous training only (parallelism.mode sync)");
    }
    if (memory.activations == StatePlacement::POOL && tr.recompute == Recompute::FULL)
    {
        fail("memory.activations",
             "activations are either recomputed (training.recompute full) or pooled, not both");
    }
    if (p.schedule == PipelineSchedule::INTERLEAVED && m % p.pp != 0)
    {
        // Megatron-LM requires it of its interleaved schedule.
        fail("training.global-batch",
             "the interleaved schedule needs the micro-batches per pipeline (" + str(m) +
                 ") to be a multiple of pp " + str(p.pp));
    }
}

} // namespace ns3
