/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The PaSE study: layer graphs, PaSE's cost model and its dynamic program.

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

std::string
Example(const std::string& path)
{
    return std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/" + path;
}

/// A chain of fully connected layers (dims b, n, m) and one elementwise layer.
const char* kChain = R"(
name: chain
element-bytes: 2
layers:
  - {name: fc1, op: fc, dims: {b: 64, n: 256, m: 128}, output: [b, n], input: [b, m], weight: [n, m]}
  - {name: relu, op: eltwise, flops-per-point: 1, dims: {b: 64, n: 256}, output: [b, n], input: [b, n]}
  - {name: fc2, op: fc, dims: {b: 64, n: 512, m: 256}, output: [b, n], input: [b, m], weight: [n, m]}
  - {name: fc3, op: fc, dims: {b: 64, n: 16, m: 512}, output: [b, n], input: [b, m], weight: [n, m]}
)";

/// A diamond: two branches joined (a residual block).
const char* kDiamond = R"(
name: diamond
layers:
  - {name: in, op: fc, dims: {b: 32, n: 64, m: 64}, output: [b, n], input: [b, m], weight: [n, m]}
  - {name: left, op: fc, dims: {b: 32, n: 64, m: 64}, output: [b, n], input: [b, m], weight: [n, m], inputs: [in]}
  - {name: right, op: fc, dims: {b: 32, n: 64, m: 64}, output: [b, n], input: [b, m], weight: [n, m], inputs: [in]}
  - {name: add, op: eltwise, flops-per-point: 1, dims: {b: 32, n: 64}, output: [b, n], input: [b, n], inputs: [left, right]}
  - {name: out, op: fc, dims: {b: 32, n: 8, m: 64}, output: [b, n], input: [b, m], weight: [n, m]}
)";

Ptr<PaseCostModel>
Model(uint32_t p, double r = 1000)
{
    Ptr<PaseCostModel> m = CreateObject<PaseCostModel>();
    m->SetAttribute("FlopPerByte", DoubleValue(r));
    m->SetDevices(p);
    return m;
}

class PaseTest : public FabricTest
{
};

} // namespace

TEST_F(PaseTest, ChainDynamicProgramEqualsExhaustiveSearch)
{
    const LayerGraph g = LayerGraphReader::ReadString(kChain, "chain.yaml");
    for (uint32_t p : {2u, 4u})
    {
        for (double r : {1.0, 100.0, 10000.0})
        {
            Ptr<PaseCostModel> m = Model(p, r);
            const PaseSearchResult dp = PaseSearch::Search(g, m);
            const PasePlan all = PaseSearch::Exhaustive(g, m);
            ASSERT_EQ(dp.plans.size(), 1u);
            EXPECT_NEAR(dp.plans[0].cost, all.cost, 1e-9 * all.cost) << "p " << p << " r " << r;
            EXPECT_NEAR(PaseSearch::Cost(g, m, dp.plans[0].configs),
                        dp.plans[0].cost,
                        1e-9 * all.cost);
            EXPECT_EQ(dp.maxDependentSet, 1u); // a chain keeps one vertex
        }
    }
}

TEST_F(PaseTest, DiamondDynamicProgramEqualsExhaustiveSearch)
{
    const LayerGraph g = LayerGraphReader::ReadString(kDiamond, "diamond.yaml");
    for (double r : {1.0, 300.0, 30000.0})
    {
        Ptr<PaseCostModel> m = Model(4, r);
        const PaseSearchResult dp = PaseSearch::Search(g, m);
        const PasePlan all = PaseSearch::Exhaustive(g, m);
        EXPECT_NEAR(dp.plans[0].cost, all.cost, 1e-9 * all.cost) << "r " << r;
        EXPECT_EQ(dp.maxDependentSet, 2u); // the two branches
    }
}

TEST_F(PaseTest, OneDeviceMeansNoSplit)
{
    const LayerGraph g = LayerGraphReader::ReadString(kChain, "chain.yaml");
    Ptr<PaseCostModel> m = Model(1);
    const PaseSearchResult r = PaseSearch::Search(g, m, 3);
    ASSERT_EQ(r.plans.size(), 1u); // one configuration per layer: one plan
    for (uint32_t l = 0; l < g.layers.size(); ++l)
    {
        EXPECT_EQ(PaseCostModel::Describe(g.layers[l], r.plans[0].configs[l]), "none");
    }
    EXPECT_DOUBLE_EQ(r.plans[0].cost, 3 * g.GetFlops()); // compute only, forward + backward
}

TEST_F(PaseTest, RedistributionBytesMatchAHandCount)
{
    const LayerGraph g = LayerGraphReader::ReadString(R"(
element-bytes: 4
layers:
  - {name: a, dims: {b: 8, k: 16}, output: [b, k]}
  - {name: c, dims: {b: 8, k: 16}, output: [b, k], input: [b, k]}
  - {name: conv, op: conv, dims: {b: 8, k: 4, h: 2, w: 2, c: 3}, output: [b, k, h, w], input: [b, c, h, w]}
  - {name: fc, dims: {b: 8, n: 10, m: 16}, output: [b, n], input: [b, m], weight: [n, m], inputs: [conv]}
)");
    const GraphLayer& a = g.layers[0];
    const GraphLayer& c = g.layers[1];
    // Same layout: nothing moves.
    EXPECT_EQ(PaseCostModel::GetRedistributionBytes(a, {4, 1}, c, {4, 1}, 4), 0.0);
    // Batch in 4 -> channels in 4: a device needs 8 x 4 elements and holds 2 x 4 of them.
    EXPECT_EQ(PaseCostModel::GetRedistributionBytes(a, {4, 1}, c, {1, 4}, 4), (32 - 8) * 4.0);
    // Split -> whole (an all-gather): needs 8 x 16, holds 8 x 8.
    EXPECT_EQ(PaseCostModel::GetRedistributionBytes(a, {1, 2}, c, {1, 1}, 4), (128 - 64) * 4.0);
    // Whole -> split: every device already holds its part.
    EXPECT_EQ(PaseCostModel::GetRedistributionBytes(a, {1, 1}, c, {2, 2}, 4), 0.0);
    // Flattening: the fc's m (= k h w) split in 2 falls on the conv's k. The conv split k in
    // 4: a device needs b 8 x k 2 x h 2 x w 2 = 64 elements and holds 8 x 1 x 2 x 2 = 32.
    const GraphLayer& conv = g.layers[2];
    const GraphLayer& fc = g.layers[3];
    EXPECT_EQ(PaseCostModel::GetRedistributionBytes(conv, {1, 4, 1, 1, 1}, fc, {1, 1, 2}, 4),
              (64 - 32) * 4.0);
    // Edge cost: r x (forward + backward).
    Ptr<PaseCostModel> m = Model(4, 10);
    EXPECT_EQ(m->GetEdgeCost(a, {4, 1}, c, {1, 4}, 4), 2 * 10 * (32 - 8) * 4.0);
    // Intra-layer: the data-parallel fc's weight gradient, a ring all-reduce 2 (p-1)/p W.
    const GraphLayer& f = g.layers[3];
    EXPECT_DOUBLE_EQ(m->GetIntraLayerBytes(f, {4, 1, 1}, 4),
                     2.0 * 3 / 4 * 10 * 16 * 4 /* weights */ + 0);
}

TEST_F(PaseTest, TopKPlansAreSortedAndExact)
{
    const LayerGraph g = LayerGraphReader::ReadString(kDiamond, "diamond.yaml");
    Ptr<PaseCostModel> m = Model(4, 300);
    const PaseSearchResult r = PaseSearch::Search(g, m, 5);
    ASSERT_EQ(r.plans.size(), 5u);
    EXPECT_DOUBLE_EQ(r.plans[0].cost, PaseSearch::Search(g, m).plans[0].cost);
    for (uint32_t i = 0; i < r.plans.size(); ++i)
    {
        EXPECT_NEAR(PaseSearch::Cost(g, m, r.plans[i].configs),
                    r.plans[i].cost,
                    1e-9 * r.plans[i].cost);
        if (i > 0)
        {
            EXPECT_LE(r.plans[i - 1].cost, r.plans[i].cost);
            EXPECT_NE(r.plans[i - 1].configs, r.plans[i].configs);
        }
    }
}

TEST_F(PaseTest, BadGraphsNameTheFieldAndLine)
{
    try
    {
        LayerGraphReader::ReadString("layers:\n"
                                     "  - {name: a, dims: {b: 4}, output: [b]}\n"
                                     "  - {name: c, dims: {b: 4}, output: [b], input: [b], "
                                     "inputs: [nope]}\n",
                                     "bad.yaml");
        FAIL() << "no error";
    }
    catch (const WorkloadError& e)
    {
        EXPECT_EQ(e.GetFile(), "bad.yaml");
        EXPECT_EQ(e.GetLine(), 3);
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    }
    EXPECT_THROW(
        LayerGraphReader::ReadString("layers:\n  - {name: a, dims: {b: 0}, output: [b]}\n"),
        WorkloadError);
    EXPECT_THROW(
        LayerGraphReader::ReadString("layers:\n  - {name: a, dims: {b: 4}, output: [x]}\n"),
        WorkloadError);
}

TEST_F(PaseTest, ShippedGraphsBeatDataParallelism)
{
    for (const char* file : {"studies/alexnet.yaml", "studies/rnnlm.yaml"})
    {
        const LayerGraph g = LayerGraphReader::ReadFile(Example(file));
        Ptr<PaseCostModel> m = Model(16);
        const PaseSearchResult r = PaseSearch::Search(g, m);
        const PasePlan dp = PaseSearch::DataParallel(g, m);
        EXPECT_LE(r.plans[0].cost, dp.cost * (1 + 1e-12)) << file;
    }
}
