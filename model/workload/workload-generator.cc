/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "workload-generator.h"

#include "workload-arithmetic.h"

#include "ns3/log.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WorkloadGenerator");

NS_OBJECT_ENSURE_REGISTERED(WorkloadGenerator);

TypeId
WorkloadGenerator::GetTypeId()
{
    static TypeId tid = TypeId("ns3::WorkloadGenerator")
                            .SetParent<Object>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<WorkloadGenerator>();
    return tid;
}

WorkloadGenerator::WorkloadGenerator() = default;
WorkloadGenerator::~WorkloadGenerator() = default;

std::vector<std::tuple<bool, uint32_t, uint32_t>>
WorkloadGenerator::GetPipelineOrder(const WorkloadDescription& w, uint32_t s)
{
    const uint32_t p = w.plan.pp;
    const uint32_t v = w.plan.virtualStages;
    const uint32_t m = w.GetMicroBatches();
    std::vector<std::tuple<bool, uint32_t, uint32_t>> order;
    if (w.plan.schedule == PipelineSchedule::ONE_F_ONE_B || v == 1)
    {
        const uint32_t warmup = std::min(p - s - 1, m);
        for (uint32_t i = 0; i < warmup; ++i)
        {
            order.emplace_back(true, i, 0);
        }
        for (uint32_t i = 0; i < m - warmup; ++i)
        {
            order.emplace_back(true, warmup + i, 0);
            order.emplace_back(false, i, 0);
        }
        for (uint32_t i = m - warmup; i < m; ++i)
        {
            order.emplace_back(false, i, 0);
        }
        return order;
    }
    // Megatron-LM, forward_backward_pipelining_with_interleaving.
    const uint32_t total = m * v;
    uint32_t warmup = (p - s - 1) * 2 + (v - 1) * p;
    if (m == p)
    {
        warmup = total;
    }
    warmup = std::min(warmup, total);
    auto mbOf = [&](uint32_t k) { return (k / (p * v)) * p + k % p; };
    auto fwdChunk = [&](uint32_t k) { return (k / p) % v; };
    auto bwdChunk = [&](uint32_t k) { return v - 1 - (k / p) % v; };
    for (uint32_t k = 0; k < warmup; ++k)
    {
        order.emplace_back(true, mbOf(k), fwdChunk(k));
    }
    for (uint32_t k = 0; k < total - warmup; ++k)
    {
        order.emplace_back(true, mbOf(warmup + k), fwdChunk(warmup + k));
        order.emplace_back(false, mbOf(k), bwdChunk(k));
    }
    for (uint32_t k = total - warmup; k < total; ++k)
    {
        order.emplace_back(false, mbOf(k), bwdChunk(k));
    }
    return order;
}

namespace
{

/// Builds one stage's program node by node.
class ProgramBuilder
{
  public:
    ProgramBuilder(const WorkloadDescription& w, uint32_t stage)
        : m_w(w),
          m_prog(std::make_shared<RankProgram>())
    {
        m_prog->stage = stage;
        m_prog->opsPerGroup.assign(kWorkloadGroups, 0);
        m_lastOfGroup.assign(kWorkloadGroups, UINT32_MAX);
    }

    /// \return the index of a new compute node (after the previous compute node)
    uint32_t Compute(const ComputeTask& task,
                     ComputePhase phase,
                     uint32_t mb,
                     uint32_t chunk,
                     uint32_t layer,
                     const std::string& label,
                     std::vector<uint32_t> deps = {})
    {
        GraphNode n = Placed(mb, chunk, layer, label);
        n.compute = true;
        n.task = task;
        n.phase = phase;
        if (m_lastCompute != UINT32_MAX)
        {
            deps.push_back(m_lastCompute);
        }
        n.deps = Clean(deps);
        m_lastCompute = Add(n);
        return m_lastCompute;
    }

    /// \return the index of a new collective node (after the previous one of its group)
    uint32_t Collective(WorkloadGroup group,
                        CollectiveOp op,
                        uint64_t bytes,
                        uint32_t mb,
                        uint32_t chunk,
                        uint32_t layer,
                        const std::string& label,
                        std::vector<uint32_t> deps = {})
    {
        GraphNode n = Placed(mb, chunk, layer, label);
        n.compute = false;
        n.group = group;
        n.op = op;
        n.bytes = bytes;
        const auto g = static_cast<uint32_t>(group);
        n.seq = m_prog->opsPerGroup[g]++;
        if (m_lastOfGroup[g] != UINT32_MAX)
        {
            deps.push_back(m_lastOfGroup[g]);
        }
        n.deps = Clean(deps);
        m_lastOfGroup[g] = Add(n);
        return m_lastOfGroup[g];
    }

    /**
     * \brief A remote-memory node. Loads run one after another (the pool-to-GPU direction),
     * as do stores; a load also waits until the compute that consumed the load `prefetch` + 1
     * before it has finished, so that at most `prefetch` + 1 buffers are held.
     * \return its index
     */
    uint32_t Memory(MemoryAccess access,
                    MemoryContent content,
                    uint64_t bytes,
                    uint32_t mb,
                    uint32_t chunk,
                    uint32_t layer,
                    const std::string& label,
                    std::vector<uint32_t> deps = {})
    {
        GraphNode n = Placed(mb, chunk, layer, label);
        n.compute = false;
        n.memory = access;
        n.content = content;
        n.bytes = bytes;
        uint32_t& last = access == MemoryAccess::LOAD ? m_lastLoad : m_lastStore;
        deps.push_back(last);
        if (access == MemoryAccess::LOAD)
        {
            const size_t window = size_t(m_w.memory.prefetch) + 1;
            if (m_loadConsumers.size() >= window)
            {
                deps.push_back(m_loadConsumers[m_loadConsumers.size() - window]);
            }
        }
        n.deps = Clean(deps);
        last = Add(n);
        if (access == MemoryAccess::LOAD)
        {
            m_loads.push_back(last);
            m_loadConsumers.push_back(UINT32_MAX);
        }
        return last;
    }

    /**
     * \param load a load node
     * \param consumer the compute node after which its buffer is free
     */
    void Consume(uint32_t load, uint32_t consumer)
    {
        for (size_t k = m_loads.size(); k-- > 0;)
        {
            if (m_loads[k] == load)
            {
                m_loadConsumers[k] = consumer;
                return;
            }
        }
        NS_ASSERT_MSG(false, "not a load node");
    }

    /// \return the last compute node (UINT32_MAX if none)
    uint32_t LastCompute() const
    {
        return m_lastCompute;
    }

    /// \return the last node of a group (UINT32_MAX if none)
    uint32_t LastOf(WorkloadGroup g) const
    {
        return m_lastOfGroup[static_cast<uint32_t>(g)];
    }

    /// \return the program
    std::shared_ptr<RankProgram> Get()
    {
        return m_prog;
    }

  private:
    /// \return a node with its place in the iteration (micro-batch, chunk, layer) and label set
    static GraphNode Placed(uint32_t mb, uint32_t chunk, uint32_t layer, const std::string& label)
    {
        GraphNode n;
        n.microBatch = mb;
        n.chunk = chunk;
        n.layer = layer;
        n.label = label;
        return n;
    }

    static std::vector<uint32_t> Clean(std::vector<uint32_t> deps)
    {
        deps.erase(std::remove(deps.begin(), deps.end(), UINT32_MAX), deps.end());
        std::sort(deps.begin(), deps.end());
        deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
        return deps;
    }

    uint32_t Add(const GraphNode& n)
    {
        m_prog->nodes.push_back(n);
        return static_cast<uint32_t>(m_prog->nodes.size() - 1);
    }

    const WorkloadDescription& m_w;
    std::shared_ptr<RankProgram> m_prog;
    uint32_t m_lastCompute{UINT32_MAX};
    std::vector<uint32_t> m_lastOfGroup;
    uint32_t m_lastLoad{UINT32_MAX};       //!< the last load node
    uint32_t m_lastStore{UINT32_MAX};      //!< the last store node
    std::vector<uint32_t> m_loads;         //!< the load nodes, in order
    std::vector<uint32_t> m_loadConsumers; //!< per load: the compute that used it
};

/// A short label: "F3.1" for the forward of micro-batch 3, chunk 1 (chunk left out if v = 1).
std::string
Tag(const char* what, uint32_t mb, uint32_t chunk, uint32_t v)
{
    return std::string(what) + std::to_string(mb) + (v > 1 ? "." + std::to_string(chunk) : "");
}

} // namespace

std::shared_ptr<RankProgram>
WorkloadGenerator::BuildProgram(const WorkloadDescription& w, uint32_t s) const
{
    const ParallelismPlan& plan = w.plan;
    const uint32_t p = plan.pp;
    const uint32_t v = plan.virtualStages;
    const uint32_t tp = plan.tp;
    const uint32_t b = w.training.microBatch;
    const uint32_t m = w.GetMicroBatches();
    const bool transformer = w.model.kind == ModelKind::TRANSFORMER;
    const TransformerSpec& t = w.model.transformer;
    const WorkloadDtype dtype = w.model.dtype;
    const double dbytes = WorkloadDtypeBytes(dtype);
    const bool sp = plan.sequenceParallel && tp > 1;
    const bool recompute = w.training.recompute == Recompute::FULL;
    const std::vector<LayerSpec> layers =
        transformer ? std::vector<LayerSpec>() : WorkloadArithmetic::ExpandLayers(w);
    const uint32_t lastVirtual = p * v - 1;

    ProgramBuilder pb(w, s);

    // Receives, posted at the start in the order their senders send.
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> fwdRecv; // (mb, chunk) -> node
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> bwdRecv;
    uint64_t activationBytes = 0;
    if (transformer)
    {
        activationBytes = uint64_t(b) * t.sequence * t.hidden * WorkloadDtypeBytes(dtype);
        if (sp)
        {
            activationBytes /= tp;
        }
    }
    if (p > 1)
    {
        const uint32_t prev = (s + p - 1) % p;
        const uint32_t next = (s + 1) % p;
        for (const auto& [fwd, mb, c] : GetPipelineOrder(w, prev))
        {
            const uint32_t j = c * p + prev;
            if (fwd && j < lastVirtual)
            {
                const uint32_t cr = (j + 1) / p;
                fwdRecv[{mb, cr}] = pb.Collective(WorkloadGroup::FWD_RECV,
                                                  CollectiveOp::SEND_RECV,
                                                  0,
                                                  mb,
                                                  cr,
                                                  UINT32_MAX,
                                                  "recv " + Tag("F", mb, cr, v));
            }
        }
        for (const auto& [fwd, mb, c] : GetPipelineOrder(w, next))
        {
            const uint32_t j = c * p + next;
            if (!fwd && j > 0)
            {
                const uint32_t cr = (j - 1) / p;
                bwdRecv[{mb, cr}] = pb.Collective(WorkloadGroup::BWD_RECV,
                                                  CollectiveOp::SEND_RECV,
                                                  0,
                                                  mb,
                                                  cr,
                                                  UINT32_MAX,
                                                  "recv " + Tag("B", mb, cr, v));
            }
        }
    }

    auto layerParams = [&](uint32_t L, bool expertsOnly) -> double {
        if (!transformer)
        {
            return expertsOnly ? 0.0 : double(layers[L].weightBytes) / dbytes;
        }
        const double attn = WorkloadArithmetic::AttentionParameters(t) / tp;
        if (t.IsMoeLayer(L))
        {
            const double router = double(t.hidden) * t.experts;
            const double experts =
                (WorkloadArithmetic::MlpParameters(t, L) - router) / tp / plan.ep;
            return expertsOnly ? experts : attn + router;
        }
        return expertsOnly ? 0.0 : attn + WorkloadArithmetic::MlpParameters(t, L) / tp;
    };
    const uint64_t tpBytes = transformer ? uint64_t(b) * t.sequence * t.hidden * dbytes : 0;
    const uint64_t a2aBytes =
        transformer ? uint64_t(b) * t.sequence / (sp ? tp : 1) * t.topK * t.hidden * dbytes : 0;
    const double hbmActivations = transformer ? 4.0 * b * t.sequence * t.hidden * dbytes : 0;
    const bool zero3 = plan.zero == 3 && plan.dp > 1;
    const bool pooledExperts = w.memory.experts == StatePlacement::POOL;
    const bool pooledActivations = w.memory.activations == StatePlacement::POOL;
    // This GPU's share of a MoE layer's expert weights (its gradients are as large).
    auto expertBytes = [&](uint32_t L) {
        return static_cast<uint64_t>(layerParams(L, true) * dbytes);
    };
    // What a layer keeps for its backward pass (Korthikanti et al.'s per-layer activations).
    auto activationStoreBytes = [&](uint32_t L) {
        return static_cast<uint64_t>(transformer ? WorkloadArithmetic::LayerActivationBytes(w, L)
                                                 : double(layers[L].activationBytes) * b);
    };
    // ZeRO-3 gathers a layer's weights before its forward and its backward; the embedding
    // comes with the first layer.
    auto zero3Bytes = [&](uint32_t L) {
        double params = layerParams(L, false);
        if (L == 0 && transformer)
        {
            params += WorkloadArithmetic::EmbeddingParameters(t) / tp;
        }
        return static_cast<uint64_t>(params * dbytes);
    };

    // TP collectives around a block: before (SP all-gather) and after (all-reduce or SP
    // reduce-scatter).
    auto tpBefore = [&](uint32_t mb, uint32_t c, uint32_t L, const std::string& tag) {
        if (tp > 1 && sp)
        {
            pb.Collective(WorkloadGroup::TP,
                          CollectiveOp::ALL_GATHER,
                          tpBytes,
                          mb,
                          c,
                          L,
                          tag + " tp all-gather",
                          {pb.LastCompute()});
        }
    };
    auto tpAfter = [&](uint32_t mb, uint32_t c, uint32_t L, const std::string& tag) {
        if (tp > 1)
        {
            pb.Collective(WorkloadGroup::TP,
                          sp ? CollectiveOp::REDUCE_SCATTER : CollectiveOp::ALL_REDUCE,
                          tpBytes,
                          mb,
                          c,
                          L,
                          tag + (sp ? " tp reduce-scatter" : " tp all-reduce"),
                          {pb.LastCompute(), pb.LastOf(WorkloadGroup::EP)});
        }
    };
    // Compute that waits for the TP (and EP) collectives issued just before it.
    auto computeAfterComm = [&](const ComputeTask& task,
                                ComputePhase phase,
                                uint32_t mb,
                                uint32_t c,
                                uint32_t L,
                                const std::string& label,
                                std::vector<uint32_t> deps) {
        deps.push_back(pb.LastOf(WorkloadGroup::TP));
        deps.push_back(pb.LastOf(WorkloadGroup::EP));
        return pb.Compute(task, phase, mb, c, L, label, deps);
    };

    // One layer's forward (or its recomputation).
    auto layerForward =
        [&](uint32_t mb, uint32_t c, uint32_t L, ComputePhase phase, std::vector<uint32_t> deps) {
            const std::string tag =
                (phase == ComputePhase::RECOMPUTE ? Tag("R", mb, c, v) : Tag("F", mb, c, v)) +
                " L" + std::to_string(L);
            if (zero3 && phase == ComputePhase::FORWARD)
            {
                deps.push_back(pb.Collective(WorkloadGroup::DP,
                                             CollectiveOp::ALL_GATHER,
                                             zero3Bytes(L),
                                             mb,
                                             c,
                                             L,
                                             tag + " zero-3 all-gather"));
            }
            if (!transformer)
            {
                ComputeTask task{"layer",
                                 layers[L].forwardFlops * b,
                                 double(layers[L].weightBytes) +
                                     2.0 * double(layers[L].activationBytes) * b,
                                 dtype};
                pb.Compute(task, phase, mb, c, L, tag + " " + layers[L].name, deps);
                if (pooledActivations && phase == ComputePhase::FORWARD)
                {
                    pb.Memory(MemoryAccess::STORE,
                              MemoryContent::ACTIVATIONS,
                              activationStoreBytes(L),
                              mb,
                              c,
                              L,
                              tag + " store activations",
                              {pb.LastCompute()});
                }
                return;
            }
            tpBefore(mb, c, L, tag);
            ComputeTask attn{"attention",
                             WorkloadArithmetic::AttentionForwardFlops(t, b) / tp,
                             WorkloadArithmetic::AttentionParameters(t) / tp * dbytes +
                                 hbmActivations,
                             dtype};
            computeAfterComm(attn, phase, mb, c, L, tag + " attention", deps);
            tpAfter(mb, c, L, tag);
            tpBefore(mb, c, L, tag);
            const bool moe = t.IsMoeLayer(L);
            ComputeTask mlp{moe ? "moe" : "mlp",
                            WorkloadArithmetic::MlpForwardFlops(t, L, b) / tp,
                            layerParams(L, moe) * dbytes + hbmActivations,
                            dtype};
            // Pooled experts: this GPU's share of the layer's expert weights comes from the
            // pool, prefetched on the load stream.
            std::vector<uint32_t> mlpDeps;
            uint32_t expertLoad = UINT32_MAX;
            if (moe && pooledExperts)
            {
                expertLoad = pb.Memory(MemoryAccess::LOAD,
                                       MemoryContent::EXPERTS,
                                       expertBytes(L),
                                       mb,
                                       c,
                                       L,
                                       tag + " load experts");
                mlpDeps.push_back(expertLoad);
            }
            if (moe && plan.ep > 1)
            {
                pb.Collective(WorkloadGroup::EP,
                              CollectiveOp::ALL_TO_ALL,
                              a2aBytes,
                              mb,
                              c,
                              L,
                              tag + " ep dispatch",
                              {pb.LastCompute(), pb.LastOf(WorkloadGroup::TP)});
                computeAfterComm(mlp, phase, mb, c, L, tag + " experts", mlpDeps);
                if (expertLoad != UINT32_MAX)
                {
                    pb.Consume(expertLoad, pb.LastCompute());
                }
                pb.Collective(WorkloadGroup::EP,
                              CollectiveOp::ALL_TO_ALL,
                              a2aBytes,
                              mb,
                              c,
                              L,
                              tag + " ep combine",
                              {pb.LastCompute()});
                tpAfter(mb, c, L, tag);
            }
            else
            {
                computeAfterComm(mlp, phase, mb, c, L, tag + (moe ? " experts" : " mlp"), mlpDeps);
                if (expertLoad != UINT32_MAX)
                {
                    pb.Consume(expertLoad, pb.LastCompute());
                }
                tpAfter(mb, c, L, tag);
            }
            if (pooledActivations && phase == ComputePhase::FORWARD)
            {
                pb.Memory(MemoryAccess::STORE,
                          MemoryContent::ACTIVATIONS,
                          activationStoreBytes(L),
                          mb,
                          c,
                          L,
                          tag + " store activations",
                          {pb.LastCompute()});
            }
        };

    // (node, gradient bytes) per layer as the last micro-batch's backward completes it.
    struct GradReady
    {
        uint32_t node;
        double dense;
        double experts;
    };

    std::vector<GradReady> grads;

    std::vector<uint32_t> inFlight(v, 0);
    std::vector<uint32_t> maxInFlight(v, 0);
    const auto order = GetPipelineOrder(w, s);
    for (const auto& [fwd, mb, c] : order)
    {
        const uint32_t j = c * p + s;
        const auto [first, last] = WorkloadArithmetic::LayersOfVirtualStage(w, j);
        if (fwd)
        {
            inFlight[c]++;
            maxInFlight[c] = std::max(maxInFlight[c], inFlight[c]);
            std::vector<uint32_t> deps;
            if (j > 0)
            {
                deps.push_back(fwdRecv.at({mb, c}));
            }
            for (uint32_t L = first; L < last; ++L)
            {
                layerForward(mb,
                             c,
                             L,
                             ComputePhase::FORWARD,
                             L == first ? deps : std::vector<uint32_t>{});
            }
            if (j == lastVirtual && transformer)
            {
                ComputeTask logits{"logits",
                                   WorkloadArithmetic::LogitsForwardFlops(t, b) / tp,
                                   WorkloadArithmetic::EmbeddingParameters(t) / tp * dbytes +
                                       hbmActivations,
                                   dtype};
                computeAfterComm(logits,
                                 ComputePhase::FORWARD,
                                 mb,
                                 c,
                                 UINT32_MAX,
                                 Tag("F", mb, c, v) + " logits",
                                 {});
            }
            if (j < lastVirtual)
            {
                const uint64_t bytes =
                    transformer ? activationBytes : uint64_t(layers[last - 1].activationBytes) * b;
                pb.Collective(WorkloadGroup::FWD_SEND,
                              CollectiveOp::SEND_RECV,
                              bytes,
                              mb,
                              c,
                              UINT32_MAX,
                              "send " + Tag("F", mb, c, v),
                              {pb.LastCompute(), pb.LastOf(WorkloadGroup::TP)});
            }
            continue;
        }
        inFlight[c]--;
        std::vector<uint32_t> deps;
        if (j < lastVirtual)
        {
            deps.push_back(bwdRecv.at({mb, c}));
        }
        const bool lastMb = mb == m - 1;
        if (j == lastVirtual && transformer)
        {
            ComputeTask logits{
                "logits",
                2.0 * WorkloadArithmetic::LogitsForwardFlops(t, b) / tp,
                2.0 * (WorkloadArithmetic::EmbeddingParameters(t) / tp * dbytes + hbmActivations),
                dtype};
            const uint32_t node = computeAfterComm(logits,
                                                   ComputePhase::BACKWARD,
                                                   mb,
                                                   c,
                                                   UINT32_MAX,
                                                   Tag("B", mb, c, v) + " logits",
                                                   deps);
            deps.clear();
            if (lastMb && p > 1)
            {
                grads.push_back({node, WorkloadArithmetic::EmbeddingParameters(t) / tp, 0});
            }
        }
        for (uint32_t L = last; L-- > first;)
        {
            if (recompute)
            {
                layerForward(mb, c, L, ComputePhase::RECOMPUTE, deps);
                deps.clear();
            }
            const std::string tag = Tag("B", mb, c, v) + " L" + std::to_string(L);
            uint32_t activationLoad = UINT32_MAX;
            if (pooledActivations)
            {
                activationLoad = pb.Memory(MemoryAccess::LOAD,
                                           MemoryContent::ACTIVATIONS,
                                           activationStoreBytes(L),
                                           mb,
                                           c,
                                           L,
                                           tag + " load activations");
                deps.push_back(activationLoad);
            }
            if (zero3)
            {
                deps.push_back(pb.Collective(WorkloadGroup::DP,
                                             CollectiveOp::ALL_GATHER,
                                             zero3Bytes(L),
                                             mb,
                                             c,
                                             L,
                                             tag + " zero-3 all-gather"));
            }
            uint32_t node = 0;
            if (!transformer)
            {
                ComputeTask task{"layer",
                                 2.0 * layers[L].forwardFlops * b,
                                 2.0 * (double(layers[L].weightBytes) +
                                        2.0 * double(layers[L].activationBytes) * b),
                                 dtype};
                node = pb.Compute(task,
                                  ComputePhase::BACKWARD,
                                  mb,
                                  c,
                                  L,
                                  tag + " " + layers[L].name,
                                  deps);
                if (activationLoad != UINT32_MAX)
                {
                    pb.Consume(activationLoad, node);
                }
            }
            else
            {
                const bool moe = t.IsMoeLayer(L);
                tpBefore(mb, c, L, tag);
                ComputeTask mlp{moe ? "moe" : "mlp",
                                2.0 * WorkloadArithmetic::MlpForwardFlops(t, L, b) / tp,
                                2.0 * (layerParams(L, moe) * dbytes + hbmActivations),
                                dtype};
                uint32_t expertLoad = UINT32_MAX;
                if (moe && pooledExperts)
                {
                    expertLoad = pb.Memory(MemoryAccess::LOAD,
                                           MemoryContent::EXPERTS,
                                           expertBytes(L),
                                           mb,
                                           c,
                                           L,
                                           tag + " load experts");
                    deps.push_back(expertLoad);
                }
                if (moe && plan.ep > 1)
                {
                    pb.Collective(WorkloadGroup::EP,
                                  CollectiveOp::ALL_TO_ALL,
                                  a2aBytes,
                                  mb,
                                  c,
                                  L,
                                  tag + " ep combine",
                                  {pb.LastCompute(), pb.LastOf(WorkloadGroup::TP)});
                    computeAfterComm(mlp, ComputePhase::BACKWARD, mb, c, L, tag + " experts", deps);
                    pb.Collective(WorkloadGroup::EP,
                                  CollectiveOp::ALL_TO_ALL,
                                  a2aBytes,
                                  mb,
                                  c,
                                  L,
                                  tag + " ep dispatch",
                                  {pb.LastCompute()});
                }
                else
                {
                    computeAfterComm(mlp,
                                     ComputePhase::BACKWARD,
                                     mb,
                                     c,
                                     L,
                                     tag + (moe ? " experts" : " mlp"),
                                     deps);
                }
                const uint32_t mlpNode = pb.LastCompute();
                if (expertLoad != UINT32_MAX)
                {
                    // The expert gradients go to the pool, which accumulates the replicas'.
                    pb.Consume(expertLoad, mlpNode);
                    pb.Memory(MemoryAccess::STORE,
                              MemoryContent::EXPERTS,
                              expertBytes(L),
                              mb,
                              c,
                              L,
                              tag + " store expert gradients",
                              {mlpNode});
                }
                tpAfter(mb, c, L, tag);
                tpBefore(mb, c, L, tag);
                ComputeTask attn{"attention",
                                 2.0 * WorkloadArithmetic::AttentionForwardFlops(t, b) / tp,
                                 2.0 * (WorkloadArithmetic::AttentionParameters(t) / tp * dbytes +
                                        hbmActivations),
                                 dtype};
                node = computeAfterComm(attn,
                                        ComputePhase::BACKWARD,
                                        mb,
                                        c,
                                        L,
                                        tag + " attention",
                                        {});
                if (activationLoad != UINT32_MAX)
                {
                    pb.Consume(activationLoad, node); // free after the layer's backward
                }
                tpAfter(mb, c, L, tag);
            }
            deps.clear();
            if (lastMb)
            {
                double dense = layerParams(L, false);
                if (L == 0 && transformer)
                {
                    dense += WorkloadArithmetic::EmbeddingParameters(t) / tp; // stage 0
                }
                grads.push_back({node, dense, layerParams(L, true)});
            }
        }
        if (j > 0)
        {
            const uint64_t bytes =
                transformer ? activationBytes : uint64_t(layers[first].activationBytes) * b;
            pb.Collective(WorkloadGroup::BWD_SEND,
                          CollectiveOp::SEND_RECV,
                          bytes,
                          mb,
                          c,
                          UINT32_MAX,
                          "send " + Tag("B", mb, c, v),
                          {pb.LastCompute(), pb.LastOf(WorkloadGroup::TP)});
        }
    }
    const uint32_t endOfBackward = pb.LastCompute();

    // Data parallelism: gradient buckets in the order the layers complete.
    std::sort(grads.begin(), grads.end(), [](const GradReady& a, const GradReady& b) {
        return a.node < b.node;
    });

    struct Bucket
    {
        uint32_t node;
        uint64_t bytes;
    };

    auto bucketize = [&](bool experts) {
        std::vector<Bucket> buckets;
        double pending = 0;
        uint32_t at = 0;
        for (const auto& g : grads)
        {
            pending += (experts ? g.experts : g.dense) * dbytes;
            at = g.node;
            if (pending >= double(plan.bucketBytes))
            {
                buckets.push_back({at, static_cast<uint64_t>(pending)});
                pending = 0;
            }
        }
        if (pending >= 1.0)
        {
            buckets.push_back({at, static_cast<uint64_t>(pending)});
        }
        return buckets;
    };
    const bool moeModel = transformer && t.experts > 0;
    const uint32_t edp = plan.dp / plan.ep;
    std::vector<Bucket> dense = plan.dp > 1 ? bucketize(false) : std::vector<Bucket>();
    // Expert gradients the pool reduces (every replica stores into it) need no all-reduce.
    std::vector<Bucket> experts =
        moeModel && edp > 1 && !w.memory.reduceInPool ? bucketize(true) : std::vector<Bucket>();
    const CollectiveOp reduceOp =
        plan.zero == 0 ? CollectiveOp::ALL_REDUCE : CollectiveOp::REDUCE_SCATTER;
    const std::string reduceName = plan.zero == 0 ? "all-reduce" : "reduce-scatter";
    for (size_t i = 0; i < dense.size(); ++i)
    {
        pb.Collective(WorkloadGroup::DP,
                      reduceOp,
                      dense[i].bytes,
                      UINT32_MAX,
                      0,
                      UINT32_MAX,
                      "dp " + reduceName + " bucket " + std::to_string(i),
                      {plan.overlap ? dense[i].node : endOfBackward});
    }
    for (size_t i = 0; i < experts.size(); ++i)
    {
        pb.Collective(WorkloadGroup::EDP,
                      reduceOp,
                      experts[i].bytes,
                      UINT32_MAX,
                      0,
                      UINT32_MAX,
                      "expert-dp " + reduceName + " bucket " + std::to_string(i),
                      {plan.overlap ? experts[i].node : endOfBackward});
    }
    // The optimizer step on the parameters this GPU owns.
    {
        const double psi =
            WorkloadArithmetic::GpuParameters(w, s) / (plan.zero >= 1 && plan.dp > 1 ? plan.dp : 1);
        const double K = w.training.optimizerBytes;
        ComputeTask opt{"optimizer",
                        12.0 * psi,
                        (2.0 * dbytes + 2.0 * K) * psi,
                        WorkloadDtype::FP32};
        // ZeRO-Infinity-style offload: the states come in before the step and go back after.
        const bool pooledOptimizer = w.memory.optimizer == StatePlacement::POOL;
        const auto stateBytes = static_cast<uint64_t>(K * psi);
        std::vector<uint32_t> optDeps{pb.LastOf(WorkloadGroup::DP), pb.LastOf(WorkloadGroup::EDP)};
        uint32_t stateLoad = UINT32_MAX;
        if (pooledOptimizer)
        {
            stateLoad = pb.Memory(MemoryAccess::LOAD,
                                  MemoryContent::OPTIMIZER,
                                  stateBytes,
                                  UINT32_MAX,
                                  0,
                                  UINT32_MAX,
                                  "load optimizer states");
            optDeps.push_back(stateLoad);
        }
        const uint32_t step = pb.Compute(opt,
                                         ComputePhase::OPTIMIZER,
                                         UINT32_MAX,
                                         0,
                                         UINT32_MAX,
                                         "optimizer",
                                         optDeps);
        if (pooledOptimizer)
        {
            pb.Consume(stateLoad, step);
            pb.Memory(MemoryAccess::STORE,
                      MemoryContent::OPTIMIZER,
                      stateBytes,
                      UINT32_MAX,
                      0,
                      UINT32_MAX,
                      "store optimizer states",
                      {step});
        }
    }
    if (plan.zero == 1 || plan.zero == 2)
    {
        for (size_t i = 0; i < dense.size(); ++i)
        {
            pb.Collective(WorkloadGroup::DP,
                          CollectiveOp::ALL_GATHER,
                          dense[i].bytes,
                          UINT32_MAX,
                          0,
                          UINT32_MAX,
                          "dp all-gather bucket " + std::to_string(i),
                          {pb.LastCompute()});
        }
        for (size_t i = 0; i < experts.size(); ++i)
        {
            pb.Collective(WorkloadGroup::EDP,
                          CollectiveOp::ALL_GATHER,
                          experts[i].bytes,
                          UINT32_MAX,
                          0,
                          UINT32_MAX,
                          "expert-dp all-gather bucket " + std::to_string(i),
                          {pb.LastCompute()});
        }
    }
    std::shared_ptr<RankProgram> prog = pb.Get();
    prog->inFlight = maxInFlight;
    for (const auto& [fwd, mb, c] : order)
    {
        prog->schedule.push_back(Tag(fwd ? "F" : "B", mb, c, v));
    }
    return prog;
}

ExecutionGraph
WorkloadGenerator::Generate(const WorkloadDescription& w,
                            const std::vector<uint32_t>& serverOfRank) const
{
    NS_LOG_FUNCTION(this);
    WorkloadPlacement placement(w, serverOfRank);
    std::vector<std::shared_ptr<const RankProgram>> programs;
    for (uint32_t s = 0; s < w.plan.pp; ++s)
    {
        programs.push_back(BuildProgram(w, s));
        NS_LOG_LOGIC("stage " << s << ": " << programs.back()->nodes.size() << " nodes");
    }
    return ExecutionGraph(w, placement, std::move(programs));
}

} // namespace ns3
