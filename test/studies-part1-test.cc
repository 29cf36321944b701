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

class SyncAsyncSgdTest : public FabricTest
{
  protected:
    /**
     * \brief ResNet-50 data parallel on 1-GPU NDR hosts, analytical, as the study runs it.
     * \param workers data-parallel workers
     * \param async parameter server, one server per worker, or synchronous all-reduce
     * \param sigma lognormal straggler spread (0: none)
     * \return the progress of 10 iterations
     */
    SgdProgress Run(uint32_t workers, bool async, double sigma)
    {
        WorkloadDescription w = WorkloadReader::ReadFile(std::string(AIFABRIC_TEST_DATA_DIR) +
                                                         "/../../examples/workloads/resnet50.yaml");
        w.training.globalBatch = 64 * workers;
        w.plan.mode = async ? TrainingMode::PARAMETER_SERVER : TrainingMode::SYNC;
        w.plan.servers = async ? workers : 1;
        const uint32_t hosts = workers + (async ? workers : 0);
        Ptr<FabricTopology> topology = TopologyHelper().Build(TopologyReader::ReadString(
            "name: hosts\nnode-kinds:\n  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, "
            "hca-width: 4}\nnodes:\n  - {kind: host, count: " +
                std::to_string(hosts) +
                "}\nfat-tree: {levels: 2, radix: 64, oversubscription: 1, speed: NDR, width: 4}\n",
            "hosts"));
        w.Validate(topology->GetNRanks());
        TrainingHelper helper;
        helper.SetJobAttribute("Backend", StringValue("analytical"));
        helper.SetJobAttribute("Iterations", UintegerValue(10));
        if (sigma > 0)
        {
            Ptr<LogNormalRandomVariable> slowdown = CreateObject<LogNormalRandomVariable>();
            slowdown->SetAttribute("Sigma", DoubleValue(sigma));
            helper.SetJobAttribute("Slowdown", PointerValue(slowdown));
        }
        Ptr<TrainingJob> job = helper.Install(topology, w);
        job->AssignStreams(7);
        Simulator::Run();
        const TrainingReport report = job->GetReport();
        Simulator::Destroy();
        Time until = Time::Max();
        for (uint32_t k = 0; async && k < report.workers; ++k)
        {
            until = std::min(until, report.GetWorker(k).back().end);
        }
        return CreateObject<SgdProgressModel>()->Evaluate(report, w.training.globalBatch, until);
    }
};

TEST_F(SyncAsyncSgdTest, UpdateValueRules)
{
    Ptr<SgdProgressModel> m = CreateObject<SgdProgressModel>();
    // McCandlish et al.: B / (B + B_noise), B_noise 8192.
    EXPECT_DOUBLE_EQ(m->GetUpdateValue(8192, 0), 0.5);
    EXPECT_DOUBLE_EQ(m->GetUpdateValue(64, 1), 64.0 / (64 + 8192));
    // Staleness-aware: tau updates tau old are worth one fresh update of tau times the batch.
    for (uint32_t tau : {2u, 7u, 100u})
    {
        EXPECT_NEAR(tau * m->GetUpdateValue(64, tau), m->GetUpdateValue(64.0 * tau, 0), 1e-12);
    }
    EXPECT_LT(m->GetStalenessFactor(64, 100), m->GetStalenessFactor(64, 10));
    EXPECT_GT(m->GetStalenessFactor(64, 3), 0.97) << "little staleness costs little";
    m->SetAttribute("StalenessRule", StringValue("exponential"));
    m->SetAttribute("StalenessScale", DoubleValue(4.0));
    EXPECT_NEAR(m->GetStalenessFactor(64, 4), std::exp(-1.0), 1e-12);
    m->SetAttribute("StalenessRule", StringValue("none"));
    EXPECT_DOUBLE_EQ(m->GetStalenessFactor(64, 50), 1.0);
    EXPECT_THROW(m->GetUpdateValue(0, 0), FabricConfigError);
    EXPECT_THROW(m->Evaluate(TrainingReport(), 64), FabricConfigError);
}

TEST_F(SyncAsyncSgdTest, CrossoverExistsWithStragglers)
{
    // The study's shipped settings (sigma 0.3, a server per worker): asynchronous SGD reaches
    // the target first on few GPUs, synchronous all-reduce on many.
    const double target = 10000;
    const SgdProgress sync4 = Run(4, false, 0.3);
    const SgdProgress async4 = Run(4, true, 0.3);
    const SgdProgress sync128 = Run(128, false, 0.3);
    const SgdProgress async128 = Run(128, true, 0.3);
    EXPECT_LT(async4.TimeTo(target), sync4.TimeTo(target));
    EXPECT_LT(sync128.TimeTo(target), async128.TimeTo(target));
    // Asynchronous updates are as stale as there are other workers, about.
    EXPECT_NEAR(async4.meanStaleness, 3.0, 0.5);
    EXPECT_GT(async128.meanStaleness, 100.0);
    EXPECT_EQ(sync4.meanStaleness, 0.0);
    EXPECT_EQ(sync4.updates, 10u);
    EXPECT_EQ(async4.meanBatch, 64.0);
    EXPECT_EQ(sync128.meanBatch, 64.0 * 128);

    // Without stragglers the barrier costs nothing and all-reduce wins from the start.
    const SgdProgress sync4Even = Run(4, false, 0);
    const SgdProgress async4Even = Run(4, true, 0);
    EXPECT_LT(sync4Even.TimeTo(target), async4Even.TimeTo(target));
    EXPECT_LT(sync4Even.TimeTo(target), sync4.TimeTo(target)) << "stragglers slow the barrier";
}

} // namespace
} // namespace ns3
