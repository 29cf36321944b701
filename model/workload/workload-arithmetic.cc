/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "workload-arithmetic.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WorkloadArithmetic");

namespace
{

/// \return matrices of the MLP: 3 when gated (SwiGLU), else 2
double
MlpMatrices(const TransformerSpec& t)
{
    return t.gatedMlp ? 3.0 : 2.0;
}

/// \return the key/value width k d
double
KvWidth(const TransformerSpec& t)
{
    return double(t.kvHeads) * (double(t.hidden) / t.heads);
}

} // namespace

double
WorkloadArithmetic::AttentionScoreFlops(const TransformerSpec& t, uint32_t b)
{
    const double s = t.sequence;
    return 4.0 * b * s * s * t.hidden;
}

double
WorkloadArithmetic::AttentionForwardFlops(const TransformerSpec& t, uint32_t b)
{
    const double bs = double(b) * t.sequence;
    const double h = t.hidden;
    return 2.0 * bs * h * (h + 2.0 * KvWidth(t)) + AttentionScoreFlops(t, b) + 2.0 * bs * h * h;
}

double
WorkloadArithmetic::MlpForwardFlops(const TransformerSpec& t, uint32_t layer, uint32_t b)
{
    const double bs = double(b) * t.sequence;
    const double h = t.hidden;
    if (t.IsMoeLayer(layer))
    {
        return 2.0 * bs * h * t.experts + t.topK * 2.0 * bs * h * t.expertFfn * MlpMatrices(t);
    }
    return 2.0 * bs * h * t.ffn * MlpMatrices(t);
}

double
WorkloadArithmetic::LogitsForwardFlops(const TransformerSpec& t, uint32_t b)
{
    return 2.0 * b * double(t.sequence) * t.hidden * t.vocabulary;
}

double
WorkloadArithmetic::AttentionParameters(const TransformerSpec& t)
{
    const double h = t.hidden;
    return h * (h + 2.0 * KvWidth(t)) + h * h;
}

double
WorkloadArithmetic::MlpParameters(const TransformerSpec& t, uint32_t layer)
{
    const double h = t.hidden;
    if (t.IsMoeLayer(layer))
    {
        return t.experts * h * t.expertFfn * MlpMatrices(t) + h * t.experts;
    }
    return h * t.ffn * MlpMatrices(t);
}

double
WorkloadArithmetic::EmbeddingParameters(const TransformerSpec& t)
{
    return double(t.vocabulary) * t.hidden;
}

double
WorkloadArithmetic::ModelParameters(const ModelSpec& model)
{
    if (model.kind == ModelKind::LAYERS)
    {
        double bytes = 0;
        for (const auto& l : model.layers)
        {
            bytes += double(l.weightBytes) * l.count;
        }
        return bytes / WorkloadDtypeBytes(model.dtype);
    }
    const TransformerSpec& t = model.transformer;
    double n = EmbeddingParameters(t);
    for (uint32_t i = 0; i < t.layers; ++i)
    {
        n += AttentionParameters(t) + MlpParameters(t, i);
    }
    return n;
}

double
WorkloadArithmetic::IterationFlops(const WorkloadDescription& w, bool withRecompute)
{
    const uint32_t b = w.training.microBatch;
    const double microBatches = double(w.training.globalBatch) / b;
    double layers = 0;
    double logits = 0;
    if (w.model.kind == ModelKind::LAYERS)
    {
        for (const auto& l : w.model.layers)
        {
            layers += l.forwardFlops * l.count * b;
        }
    }
    else
    {
        const TransformerSpec& t = w.model.transformer;
        for (uint32_t i = 0; i < t.layers; ++i)
        {
            layers += AttentionForwardFlops(t, b) + MlpForwardFlops(t, i, b);
        }
        logits = LogitsForwardFlops(t, b);
    }
    const bool recompute = withRecompute && w.training.recompute == Recompute::FULL;
    return microBatches * ((recompute ? 4.0 : 3.0) * layers + 3.0 * logits);
}

double
WorkloadArithmetic::MegatronIterationFlops(const TransformerSpec& t,
                                           uint32_t globalBatch,
                                           bool recompute)
{
    const double B = globalBatch;
    const double s = t.sequence;
    const double l = t.layers;
    const double h = t.hidden;
    const double V = t.vocabulary;
    if (recompute)
    {
        return 96.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * l * h));
    }
    return 72.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (12.0 * l * h));
}

std::vector<LayerSpec>
WorkloadArithmetic::ExpandLayers(const WorkloadDescription& w)
{
    std::vector<LayerSpec> out;
    for (const auto& l : w.model.layers)
    {
        for (uint32_t i = 0; i < l.count; ++i)
        {
            LayerSpec one = l;
            one.count = 1;
            if (l.count > 1)
            {
                one.name = l.name + "." + std::to_string(i);
            }
            out.push_back(one);
        }
    }
    return out;
}

std::pair<uint32_t, uint32_t>
WorkloadArithmetic::LayersOfVirtualStage(const WorkloadDescription& w, uint32_t virtualStage)
{
    uint64_t n = 0;
    if (w.model.kind == ModelKind::TRANSFORMER)
    {
        n = w.model.transformer.layers;
    }
    else
    {
        for (const auto& l : w.model.layers)
        {
            n += l.count;
        }
    }
    const uint64_t parts = uint64_t(w.plan.pp) * w.plan.virtualStages;
    return {static_cast<uint32_t>(virtualStage * n / parts),
            static_cast<uint32_t>((virtualStage + 1) * n / parts)};
}

double
WorkloadArithmetic::GpuParameters(const WorkloadDescription& w, uint32_t stage)
{
    const uint32_t p = w.plan.pp;
    double psi = 0;
    std::vector<LayerSpec> expanded;
    if (w.model.kind == ModelKind::LAYERS)
    {
        expanded = ExpandLayers(w);
    }
    for (uint32_t c = 0; c < w.plan.virtualStages; ++c)
    {
        const auto [first, last] = LayersOfVirtualStage(w, c * p + stage);
        for (uint32_t i = first; i < last; ++i)
        {
            if (w.model.kind == ModelKind::LAYERS)
            {
                psi += double(expanded[i].weightBytes) / WorkloadDtypeBytes(w.model.dtype);
                continue;
            }
            const TransformerSpec& t = w.model.transformer;
            psi += AttentionParameters(t) / w.plan.tp;
            if (t.IsMoeLayer(i))
            {
                psi +=
                    (MlpParameters(t, i) - double(t.hidden) * t.experts) / w.plan.tp / w.plan.ep +
                    double(t.hidden) * t.experts;
            }
            else
            {
                psi += MlpParameters(t, i) / w.plan.tp;
            }
        }
    }
    if (w.model.kind == ModelKind::TRANSFORMER)
    {
        // Vocabulary-parallel embedding on the first stage; the logit layer shares it when
        // pp = 1 and is a copy on the last stage otherwise (Megatron-LM).
        const double embedding = EmbeddingParameters(w.model.transformer) / w.plan.tp;
        psi += (stage == 0 ? embedding : 0) + (p > 1 && stage == p - 1 ? embedding : 0);
    }
    return psi;
}

double
WorkloadArithmetic::LayerActivationBytes(const WorkloadDescription& w, uint32_t layer)
{
    const double scale = WorkloadDtypeBytes(w.model.dtype) / 2.0; // the paper counts 16-bit
    if (w.model.kind == ModelKind::LAYERS)
    {
        const auto expanded = ExpandLayers(w);
        return double(expanded.at(layer).activationBytes) * w.training.microBatch;
    }
    const TransformerSpec& t = w.model.transformer;
    const double sbh = double(t.sequence) * w.training.microBatch * t.hidden;
    const double t_ = w.plan.tp;
    const double as_h = 5.0 * t.heads * double(t.sequence) / t.hidden;
    const bool sp = w.plan.sequenceParallel && w.plan.tp > 1;
    if (w.training.recompute == Recompute::FULL)
    {
        return scale * 2.0 * sbh / (sp ? t_ : 1.0);
    }
    if (w.plan.tp == 1)
    {
        return scale * sbh * (34.0 + as_h);
    }
    if (sp)
    {
        return scale * sbh / t_ * (34.0 + as_h);
    }
    return scale * sbh * (10.0 + 24.0 / t_ + as_h / t_);
}

MemoryFootprint
WorkloadArithmetic::ZeroMemory(const WorkloadDescription& w, double psi)
{
    const double bytes = WorkloadDtypeBytes(w.model.dtype);
    const double nd = w.plan.dp;
    const double K = w.training.optimizerBytes;
    const uint32_t stage = w.plan.zero;
    MemoryFootprint m;
    m.parameters = psi;
    m.weights = bytes * psi / (stage >= 3 ? nd : 1.0);
    m.gradients = bytes * psi / (stage >= 2 ? nd : 1.0);
    m.optimizer = K * psi / (stage >= 1 ? nd : 1.0);
    return m;
}

MemoryFootprint
WorkloadArithmetic::GpuMemory(const WorkloadDescription& w,
                              uint32_t stage,
                              const std::vector<uint32_t>& inFlight)
{
    MemoryFootprint m = ZeroMemory(w, GpuParameters(w, stage));
    for (uint32_t c = 0; c < w.plan.virtualStages && c < inFlight.size(); ++c)
    {
        const auto [first, last] = LayersOfVirtualStage(w, c * w.plan.pp + stage);
        double perMicroBatch = 0;
        for (uint32_t i = first; i < last; ++i)
        {
            perMicroBatch += LayerActivationBytes(w, i);
        }
        m.activations += perMicroBatch * inFlight[c];
    }
    return m;
}

} // namespace ns3
