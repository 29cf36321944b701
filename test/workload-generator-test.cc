/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric-tests
 * WorkloadArithmetic and WorkloadGenerator against closed forms: Megatron-LM's FLOPs per
 * iteration and 6 N D; the TP traffic per layer and micro-batch (2 + 2 all-reduces of b s h
 * elements, the same bytes as all-gather + reduce-scatter with SP); ZeRO's memory per GPU for
 * stages 0-3 (SC20's 7.5B-parameter example) and ZeRO-3's 1.5x the traffic of plain data
 * parallelism; the 1F1B and interleaved pipeline bubbles (p-1)/m and (p-1)/(v m) on the
 * critical path with free communication; placement and its warning.
 */

#include "ns3/ai-fabric-module.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

/// A GPT of l layers, hidden h, on dp x tp x pp GPUs.
WorkloadDescription
Gpt(uint32_t tp, uint32_t pp, uint32_t dp, uint32_t globalBatch, uint32_t microBatch = 1)
{
    WorkloadDescription w;
    TransformerSpec& t = w.model.transformer;
    t.layers = 8;
    t.hidden = 1024;
    t.heads = 16;
    t.sequence = 512;
    t.vocabulary = 32000;
    w.training.globalBatch = globalBatch;
    w.training.microBatch = microBatch;
    w.plan.tp = tp;
    w.plan.pp = pp;
    w.plan.dp = dp;
    return w;
}

/// Servers of 8 GPUs.
std::vector<uint32_t>
Servers(uint32_t gpus)
{
    std::vector<uint32_t> s;
    for (uint32_t r = 0; r < gpus; ++r)
    {
        s.push_back(r / 8);
    }
    return s;
}

/// Per-rank bus volume of a collective, in units of S: all-reduce 2(n-1)/n, RS/AG (n-1)/n.
double
Volume(const GraphNode& n, uint32_t ranks)
{
    const double f = double(ranks - 1) / ranks;
    return n.bytes * (n.op == CollectiveOp::ALL_REDUCE ? 2 * f : f);
}

} // namespace

TEST(WorkloadGenerator, MegatronFlopsAndSixND)
{
    WorkloadDescription w = Gpt(1, 1, 1, 16);
    w.Validate(1);
    const TransformerSpec& t = w.model.transformer;
    EXPECT_DOUBLE_EQ(WorkloadArithmetic::IterationFlops(w, false),
                     WorkloadArithmetic::MegatronIterationFlops(t, 16, false));
    w.training.recompute = Recompute::FULL;
    EXPECT_DOUBLE_EQ(WorkloadArithmetic::IterationFlops(w, true),
                     WorkloadArithmetic::MegatronIterationFlops(t, 16, true));
    // 6 N D: without recomputation and without the attention scores (which have no weights).
    w.training.recompute = Recompute::NONE;
    const double tokens = 16.0 * t.sequence;
    const double scores = 3.0 * t.layers * 16 * WorkloadArithmetic::AttentionScoreFlops(t, 1);
    EXPECT_DOUBLE_EQ(WorkloadArithmetic::IterationFlops(w, false) - scores,
                     6.0 * WorkloadArithmetic::ModelParameters(w.model) * tokens);
    // The generator's compute nodes sum to the same FLOPs, over every GPU of a 3D plan.
    WorkloadDescription p = Gpt(4, 2, 2, 16);
    p.training.recompute = Recompute::FULL;
    p.Validate(16);
    const ExecutionGraph g = CreateObject<WorkloadGenerator>()->Generate(p, Servers(16));
    double sum = 0;
    for (uint32_t worker = 0; worker < g.GetNWorkers(); ++worker)
    {
        for (const GraphNode& n : g.GetProgram(worker).nodes)
        {
            if (n.compute && n.phase != ComputePhase::OPTIMIZER)
            {
                sum += n.task.flops;
            }
        }
    }
    EXPECT_NEAR(sum / WorkloadArithmetic::IterationFlops(p, true), 1.0, 1e-12);
}

TEST(WorkloadGenerator, TensorParallelTrafficPerLayer)
{
    for (bool sp : {false, true})
    {
        for (bool recompute : {false, true})
        {
            WorkloadDescription w = Gpt(4, 1, 1, 4, 2);
            w.plan.sequenceParallel = sp;
            w.training.recompute = recompute ? Recompute::FULL : Recompute::NONE;
            w.Validate(4);
            const ExecutionGraph g = CreateObject<WorkloadGenerator>()->Generate(w, Servers(4));
            const uint64_t bsh = 2ull * 512 * 1024 * 2; // b s h elements of 2 bytes
            uint32_t ar = 0;
            uint32_t rs = 0;
            uint32_t ag = 0;
            for (const GraphNode& n : g.GetProgram(0).nodes)
            {
                if (n.compute || n.group != WorkloadGroup::TP)
                {
                    continue;
                }
                EXPECT_EQ(n.bytes, bsh);
                ar += n.op == CollectiveOp::ALL_REDUCE;
                rs += n.op == CollectiveOp::REDUCE_SCATTER;
                ag += n.op == CollectiveOp::ALL_GATHER;
            }
            // Per layer and micro-batch: 2 forward + 2 backward (+ 2 recomputed forward).
            const uint32_t expected = 8 * 2 * (recompute ? 6 : 4);
            if (sp)
            {
                EXPECT_EQ(ar, 0u);
                EXPECT_EQ(rs, expected);
                EXPECT_EQ(ag, expected);
            }
            else
            {
                EXPECT_EQ(ar, expected);
                EXPECT_EQ(rs + ag, 0u);
            }
        }
    }
}

TEST(WorkloadGenerator, ZeroMemoryAndTraffic)
{
    // SC20 Figure 1: Psi = 7.5B, N_d = 64, K = 12: 120, 31.4, 16.6 and 1.9 GB.
    WorkloadDescription w = Gpt(1, 1, 64, 64);
    const double psi = 7.5e9;
    const double expected[] = {120e9, 31.40625e9, 16.640625e9, 1.875e9};
    for (uint32_t stage = 0; stage <= 3; ++stage)
    {
        w.plan.zero = stage;
        EXPECT_DOUBLE_EQ(WorkloadArithmetic::ZeroMemory(w, psi).GetTotal(), expected[stage]);
    }
    // ZeRO-3 moves 1.5x the bytes of plain data parallelism (one micro-batch).
    double volume[4] = {0, 0, 0, 0};
    for (uint32_t stage : {0u, 3u})
    {
        WorkloadDescription z = Gpt(1, 1, 8, 8);
        z.plan.zero = stage;
        z.Validate(8);
        const ExecutionGraph g = CreateObject<WorkloadGenerator>()->Generate(z, Servers(8));
        for (const GraphNode& n : g.GetProgram(0).nodes)
        {
            if (!n.compute && n.group == WorkloadGroup::DP)
            {
                volume[stage] += Volume(n, 8);
            }
        }
    }
    EXPECT_NEAR(volume[3] / volume[0], 1.5, 1e-9);
    // Plain DP moves 2 (n-1)/n x the gradient bytes.
    WorkloadDescription z = Gpt(1, 1, 8, 8);
    z.Validate(8);
    EXPECT_NEAR(volume[0] / (2.0 * 7 / 8 * 2 * WorkloadArithmetic::GpuParameters(z, 0)), 1.0, 1e-6);
}

TEST(WorkloadGenerator, PipelineBubble)
{
    // Uniform layers, free communication, no optimizer: t_f = 1 us, t_b = 2 us per layer.
    for (uint32_t v : {1u, 2u})
    {
        WorkloadDescription w;
        w.model.kind = ModelKind::LAYERS;
        LayerSpec l;
        l.forwardFlops = 1e6;
        l.count = 8;
        w.model.layers = {l};
        w.training.globalBatch = 8;
        w.training.optimizerBytes = 0;
        w.plan.pp = 4;
        w.plan.virtualStages = v;
        w.plan.dp = 1;
        w.Validate(4);
        const ExecutionGraph g = CreateObject<WorkloadGenerator>()->Generate(w, Servers(4));
        auto compute = [](uint32_t, const GraphNode& n) {
            return n.phase == ComputePhase::OPTIMIZER ? Time(0) : MicroSeconds(n.task.flops / 1e6);
        };
        auto free = [](uint32_t, const GraphNode&) { return Time(0); };
        const Time iteration = g.GetCriticalPath(compute, free);
        const double ideal = 8 * (8.0 / 4) * 3.0; // m x layers per stage x (t_f + t_b), us
        const double bubble = (iteration.GetMicroSeconds() - ideal) / ideal;
        EXPECT_NEAR(bubble, 3.0 / (v * 8.0), 1e-9) << "v = " << v;
        // 1F1B holds at most p - s micro-batches of activations on stage s.
        if (v == 1)
        {
            for (uint32_t s = 0; s < 4; ++s)
            {
                EXPECT_EQ(g.GetPrograms()[s]->inFlight[0], 4 - s);
            }
        }
    }
}

TEST(WorkloadGenerator, PlacementAndDeterminism)
{
    WorkloadDescription w = Gpt(8, 2, 2, 8);
    w.Validate(32);
    const ExecutionGraph g = CreateObject<WorkloadGenerator>()->Generate(w, Servers(32));
    EXPECT_TRUE(g.GetPlacement().GetWarnings().empty());
    // TP innermost: one server per TP group; PP next: stage 1 of replica 0 on server 1.
    const GroupInstance tp = g.GetGroup(9, WorkloadGroup::TP);
    EXPECT_EQ(tp.workers, (std::vector<uint32_t>{8, 9, 10, 11, 12, 13, 14, 15}));
    EXPECT_EQ(g.GetPlacement().GetCoord(9).pp, 1u);
    EXPECT_EQ(g.GetGroup(0, WorkloadGroup::DP).workers, (std::vector<uint32_t>{0, 16}));
    EXPECT_EQ(g.GetGroup(0, WorkloadGroup::FWD_SEND).id, g.GetGroup(8, WorkloadGroup::FWD_RECV).id);
    // The same input gives the same graph.
    const ExecutionGraph again = CreateObject<WorkloadGenerator>()->Generate(w, Servers(32));
    ASSERT_EQ(g.GetTotalNodes(), again.GetTotalNodes());
    for (uint32_t s = 0; s < 2; ++s)
    {
        const auto& a = g.GetPrograms()[s]->nodes;
        const auto& b = again.GetPrograms()[s]->nodes;
        for (size_t i = 0; i < a.size(); ++i)
        {
            EXPECT_EQ(a[i].label, b[i].label);
            EXPECT_EQ(a[i].deps, b[i].deps);
        }
    }
    // TP across servers warns; order [tp, dp, pp] puts the DP peers side by side.
    WorkloadDescription wide = Gpt(16, 1, 2, 8);
    wide.Validate(32);
    EXPECT_EQ(CreateObject<WorkloadGenerator>()
                  ->Generate(wide, Servers(32))
                  .GetPlacement()
                  .GetWarnings()
                  .size(),
              1u);
    WorkloadDescription dpFirst = Gpt(8, 2, 2, 8);
    dpFirst.plan.order = {"tp", "dp", "pp"};
    dpFirst.Validate(32);
    const ExecutionGraph d = CreateObject<WorkloadGenerator>()->Generate(dpFirst, Servers(32));
    EXPECT_EQ(d.GetGroup(0, WorkloadGroup::DP).workers, (std::vector<uint32_t>{0, 8}));
}
