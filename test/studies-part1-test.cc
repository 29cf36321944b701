/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The background studies, part 1, run small: their qualitative shapes (doc/study-*.md).

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"

#include <cmath>

namespace ns3
{
namespace
{

class DataMovementLimitsTest : public FabricTest
{
};

TEST_F(DataMovementLimitsTest, CompressedSweepShowsBothWalls)
{
    Ptr<DataMovementLimits> model = CreateObject<DataMovementLimits>();
    const std::vector<DataMovementPoint> points = model->Sweep(1e24, 1e32, 1);
    ASSERT_EQ(points.size(), 9U);
    // Today's scale trains efficiently.
    ASSERT_TRUE(points.front().feasible);
    EXPECT_GT(points.front().best.utilisation, 0.8);
    const double wall = model->FindDataMovementWall(points);
    const double latency = DataMovementLimits::FindLatencyWall(points);
    ASSERT_GT(wall, 1e24);
    ASSERT_GT(latency, wall) << "utilisation falls off before no plan is feasible";
    ASSERT_LT(latency, 1e32);
    double top = 0;
    for (const auto& p : points)
    {
        top = std::max(top, p.feasible ? p.best.utilisation : 0.0);
    }
    for (const auto& p : points)
    {
        if (p.flops < wall)
        {
            EXPECT_TRUE(p.feasible);
            EXPECT_GE(p.best.utilisation, 0.8 * top) << p.flops;
        }
        else if (p.flops < latency)
        {
            // Past the knee: feasible, but the search's best plan loses utilisation with
            // compute (data movement and pipeline bubbles grow faster than the model).
            EXPECT_TRUE(p.feasible);
            EXPECT_LT(p.best.utilisation, 0.8 * top) << p.flops;
        }
        else
        {
            EXPECT_FALSE(p.feasible) << p.flops;
        }
    }
    // Utilisation never rises again past the knee.
    for (size_t i = 1; i < points.size(); ++i)
    {
        if (points[i].flops > wall && points[i].feasible)
        {
            EXPECT_LE(points[i].best.utilisation, points[i - 1].best.utilisation + 1e-9);
        }
    }
}

TEST_F(DataMovementLimitsTest, PlanTermsMatchClosedForms)
{
    Ptr<DataMovementLimits> model = CreateObject<DataMovementLimits>();
    const double c = 1e24;
    const DataMovementPoint p = model->Evaluate(c);
    // Compute-optimal: C = 6 N D with D = 20 N.
    EXPECT_NEAR(6.0 * p.parameters * p.tokens / c, 1.0, 1e-9);
    EXPECT_NEAR(p.tokens / p.parameters, 20.0, 1e-9);
    // DeepSeek's batch rule.
    EXPECT_NEAR(p.batchTokens, 0.292 * std::pow(c, 0.3271), 1.0);

    // One GPU, one stage: no collective terms; the step is the roofline of the whole batch.
    const DataMovementPlan one = model->EvaluatePlan(c, 1, 1, 1, 1);
    EXPECT_EQ(one.tensorParallel, 0.0);
    EXPECT_EQ(one.pipeline, 0.0);
    EXPECT_EQ(one.bubble, 0.0);
    EXPECT_FALSE(one.fits) << "91 B parameters do not fit one GPU";

    // TP over 8 GPUs inside the NVLink domain: 4 all-reduces per layer and micro-batch.
    const DataMovementPlan tp = model->EvaluatePlan(c, 16, 8, 8, 1);
    ASSERT_GT(tp.microBatches, 0U);
    const double t = 2048.0;
    const double ar = model->AllReduceTime(2.0 * t * p.hidden, 8, false);
    const double slots = tp.microBatches + 8 - 1;
    EXPECT_NEAR(tp.tensorParallel, slots * double(p.layers) / 8 * 4 * ar, 1e-9);
    // Ring all-reduce over NVLink: base + 2 (n - 1) alpha + 2 (n - 1) / n S / B.
    EXPECT_NEAR(model->AllReduceTime(1e9, 8, false),
                6.6e-6 + 14 * 0.6e-6 + 2.0 * 7 / 8 * 1e9 / 450e9,
                1e-12);
    EXPECT_NEAR(model->AllReduceTime(1e9, 8, true),
                6.6e-6 + 14 * 2.7e-6 + 2.0 * 7 / 8 * 1e9 / 50e9,
                1e-12);
    EXPECT_NEAR(tp.utilisation * tp.gpus * 989e12 * tp.trainingTime,
                6.0 * p.parameters * p.tokens,
                1e-6 * 6.0 * p.parameters * p.tokens);
}

TEST_F(DataMovementLimitsTest, BiggerScaleUpDomainMovesTheWalls)
{
    Ptr<DataMovementLimits> dgx = CreateObject<DataMovementLimits>();
    Ptr<DataMovementLimits> nvl72 = CreateObject<DataMovementLimits>();
    nvl72->SetAttribute("ScaleUpSize", UintegerValue(72));
    nvl72->SetAttribute("ScaleUpBandwidth", DoubleValue(900e9));
    const auto a = dgx->Sweep(1e24, 1e32, 1);
    const auto b = nvl72->Sweep(1e24, 1e32, 1);
    EXPECT_GE(nvl72->FindDataMovementWall(b), dgx->FindDataMovementWall(a));
    EXPECT_GT(DataMovementLimits::FindLatencyWall(b), DataMovementLimits::FindLatencyWall(a));
}

TEST_F(DataMovementLimitsTest, BadInputIsAnError)
{
    Ptr<DataMovementLimits> model = CreateObject<DataMovementLimits>();
    EXPECT_THROW(model->Evaluate(0), FabricConfigError);
    EXPECT_THROW(model->Evaluate(-1e25), FabricConfigError);
    EXPECT_THROW(model->Sweep(1e26, 1e24, 1), FabricConfigError);
    EXPECT_THROW(model->Sweep(1e24, 1e26, 0), FabricConfigError);
}

} // namespace
} // namespace ns3
