/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "data-movement-limits.h"

#include "ns3/double.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DataMovementLimits");

NS_OBJECT_ENSURE_REGISTERED(DataMovementLimits);

TypeId
DataMovementLimits::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DataMovementLimits")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<DataMovementLimits>()
            .AddAttribute("PeakFlops",
                          "Dense BF16 peak of one GPU, FLOP/s (H100 SXM5 datasheet: 989e12)",
                          DoubleValue(989e12),
                          MakeDoubleAccessor(&DataMovementLimits::m_peakFlops),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("HbmBandwidth",
                          "HBM bandwidth of one GPU, bytes/s (H100 SXM5: 3.35e12)",
                          DoubleValue(3.35e12),
                          MakeDoubleAccessor(&DataMovementLimits::m_hbmBandwidth),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("HbmCapacity",
                          "HBM capacity of one GPU, bytes (H100 SXM5: 80e9)",
                          DoubleValue(80e9),
                          MakeDoubleAccessor(&DataMovementLimits::m_hbmCapacity),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("ScaleUpSize",
                          "GPUs of one NVLink domain (DGX H100: 8)",
                          UintegerValue(8),
                          MakeUintegerAccessor(&DataMovementLimits::m_scaleUpSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ScaleUpBandwidth",
                          "NVLink bandwidth per GPU and direction, bytes/s (NVLink4: 18 x 25 GB/s)",
                          DoubleValue(450e9),
                          MakeDoubleAccessor(&DataMovementLimits::m_scaleUpBandwidth),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("ScaleUpLatency",
                          "Per-step latency of a collective over NVLink (NCCL tuning.cc, ring LL "
                          "over NVLINK: 0.6 us)",
                          TimeValue(NanoSeconds(600)),
                          MakeTimeAccessor(&DataMovementLimits::m_scaleUpLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ScaleOutBandwidth",
                          "Scale-out bandwidth per GPU, bytes/s (one NDR 400 Gb/s HCA per GPU: "
                          "50e9)",
                          DoubleValue(50e9),
                          MakeDoubleAccessor(&DataMovementLimits::m_scaleOutBandwidth),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("ScaleOutLatency",
                          "Per-step latency of a collective over the network (NCCL tuning.cc, "
                          "ring LL over NET: 2.7 us)",
                          TimeValue(NanoSeconds(2700)),
                          MakeTimeAccessor(&DataMovementLimits::m_scaleOutLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("CollectiveBaseLatency",
                          "Fixed latency of one collective (NCCL tuning.cc, ring LL base: 6.6 us)",
                          TimeValue(NanoSeconds(6600)),
                          MakeTimeAccessor(&DataMovementLimits::m_baseLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("TrainingDays",
                          "Longest training run, days (Erdil & Schneider-Joseph's baseline: 3 "
                          "months, 90 days)",
                          DoubleValue(90.0),
                          MakeDoubleAccessor(&DataMovementLimits::m_durationDays),
                          MakeDoubleChecker<double>(1e-6))
            .AddAttribute("TokensPerParameter",
                          "Compute-optimal tokens per parameter r (Hoffmann et al. 2022: 20)",
                          DoubleValue(20.0),
                          MakeDoubleAccessor(&DataMovementLimits::m_tokensPerParameter),
                          MakeDoubleChecker<double>(1e-3))
            .AddAttribute("AspectRatio",
                          "Hidden size per layer h / l (GPT-3 175B: 12288 / 96 = 128)",
                          DoubleValue(128.0),
                          MakeDoubleAccessor(&DataMovementLimits::m_aspectRatio),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("SequenceLength",
                          "Tokens per sequence (Chinchilla: 2048)",
                          UintegerValue(2048),
                          MakeUintegerAccessor(&DataMovementLimits::m_sequence),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("BatchCoefficient",
                          "k of the batch rule B = k C^e, tokens per step (DeepSeek-AI 2024, "
                          "arXiv:2401.02954, eq. 1: B_opt = 0.292 C^0.3271)",
                          DoubleValue(0.292),
                          MakeDoubleAccessor(&DataMovementLimits::m_batchCoefficient),
                          MakeDoubleChecker<double>(1e-30))
            .AddAttribute("BatchExponent",
                          "e of the batch rule B = k C^e (DeepSeek-AI 2024: 0.3271)",
                          DoubleValue(0.3271),
                          MakeDoubleAccessor(&DataMovementLimits::m_batchExponent),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("Knee",
                          "The data-movement wall is where the best utilisation falls below this "
                          "fraction of the sweep's highest",
                          DoubleValue(0.8),
                          MakeDoubleAccessor(&DataMovementLimits::m_knee),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("MaxDegree",
                          "Largest TP or PP degree searched",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&DataMovementLimits::m_maxDegree),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

DataMovementLimits::DataMovementLimits()
{
    NS_LOG_FUNCTION(this);
}

DataMovementLimits::~DataMovementLimits()
{
    NS_LOG_FUNCTION(this);
}

void
DataMovementLimits::Shape(double flops, DataMovementPoint& p) const
{
    if (!(flops > 0) || !std::isfinite(flops))
    {
        throw FabricConfigError("DataMovementLimits", "training compute must be > 0 FLOP");
    }
    p.flops = flops;
    p.parameters = std::sqrt(flops / (6.0 * m_tokensPerParameter));
    p.tokens = m_tokensPerParameter * p.parameters;
    // N = 12 l h^2 with h = a l.
    const double l = std::cbrt(p.parameters / (12.0 * m_aspectRatio * m_aspectRatio));
    p.layers = std::max<uint32_t>(1, uint32_t(std::lround(l)));
    p.hidden = std::max<uint32_t>(128, uint32_t(std::lround(m_aspectRatio * l / 128.0)) * 128);
    p.batchTokens = m_batchCoefficient * std::pow(flops, m_batchExponent);
    p.batchTokens = std::max(p.batchTokens, double(m_sequence));
    p.steps = p.tokens / p.batchTokens;
}

double
DataMovementLimits::AllReduceTime(double bytes, uint32_t ranks, bool scaleOut) const
{
    if (ranks <= 1)
    {
        return 0;
    }
    const double alpha = (scaleOut ? m_scaleOutLatency : m_scaleUpLatency).GetSeconds();
    const double bw = scaleOut ? m_scaleOutBandwidth : m_scaleUpBandwidth;
    const double n = ranks;
    return m_baseLatency.GetSeconds() + 2.0 * (n - 1) * alpha + 2.0 * (n - 1) / n * bytes / bw;
}

double
DataMovementLimits::PointToPointTime(double bytes, bool scaleOut) const
{
    const double alpha = (scaleOut ? m_scaleOutLatency : m_scaleUpLatency).GetSeconds();
    const double bw = scaleOut ? m_scaleOutBandwidth : m_scaleUpBandwidth;
    return alpha + bytes / bw;
}

DataMovementPlan
DataMovementLimits::EvaluatePlan(double flops,
                                 uint32_t dp,
                                 uint32_t tp,
                                 uint32_t pp,
                                 uint32_t microBatch) const
{
    DataMovementPoint p;
    Shape(flops, p);
    DataMovementPlan r;
    r.dp = dp;
    r.tp = tp;
    r.pp = pp;
    r.microBatch = microBatch;
    r.gpus = double(dp) * tp * pp;
    const double sequences = std::floor(p.batchTokens / m_sequence);
    // Every sequence of the batch runs: the last micro-batch round may be partly idle.
    const double m = std::ceil(sequences / (double(dp) * microBatch));
    if (dp == 0 || tp == 0 || pp == 0 || microBatch == 0 || m < 1 || pp > p.layers)
    {
        return r;
    }
    r.microBatches = uint32_t(std::min(m, 4e9));
    const double h = p.hidden;
    const double s = m_sequence;
    const double t = double(microBatch) * s; // tokens per micro-batch
    const double layersPerStage = double(p.layers) / pp;

    // One layer's forward on one micro-batch: GEMMs (24 t h^2) and attention (4 t s h), split
    // over TP; bytes: bf16 weights and the GEMMs' inputs and outputs.
    const double fwdFlops = (24.0 * t * h * h + 4.0 * t * s * h) / tp;
    const double fwdBytes = 2.0 * (12.0 * h * h / tp + t * h * (4.0 + 12.0 / tp));
    const double fwdMath = fwdFlops / m_peakFlops;
    const double fwd = std::max(fwdMath, fwdBytes / m_hbmBandwidth);
    const bool tpOut = tp > m_scaleUpSize;
    // Sequence parallel: per layer 2 all-gathers + 2 reduce-scatters each way = 4 all-reduces.
    const double ar = AllReduceTime(2.0 * t * h, tp, tpOut);
    const double arLatency = AllReduceTime(0, tp, tpOut); // base + 2 (t - 1) alpha
    const bool ppOut = double(tp) * pp > m_scaleUpSize;
    const double p2p = pp > 1 ? PointToPointTime(2.0 * t * h / tp, ppOut) : 0;
    const double slot = layersPerStage * (3.0 * fwd + 4.0 * ar) + 2.0 * p2p;
    const double slots = m + pp - 1;

    r.compute = slots * layersPerStage * 3.0 * fwd;
    r.memoryBound = slots * layersPerStage * 3.0 * (fwd - fwdMath);
    r.tensorParallel = slots * layersPerStage * 4.0 * ar;
    r.tpLatency = slots * layersPerStage * 4.0 * arLatency;
    r.pipeline = slots * 2.0 * p2p;
    r.bubble = (pp - 1) * slot;

    // Data parallel: bf16 gradients of this GPU's share, overlapped with the last
    // micro-batch's backward pass.
    const double localParams = p.parameters / (double(tp) * pp);
    const bool dpOut = r.gpus > m_scaleUpSize;
    const double dpTime = AllReduceTime(2.0 * localParams, dp, dpOut);
    r.dataParallel = std::max(0.0, dpTime - layersPerStage * 2.0 * fwd);
    // Adam over the ZeRO-1 shard: read and write 16 B of state per parameter.
    r.optimizer = 32.0 * localParams / dp / m_hbmBandwidth;
    r.step = slots * slot + r.dataParallel + r.optimizer;

    // HBM: bf16 weights, fp32 gradients, the optimizer shard (12 B, ZeRO-1), and 1F1B's in-flight
    // activations: min(p, m) micro-batches of l / p layers, 34 s b h / t bytes a layer
    // (Korthikanti et al. 2022, sequence parallel + selective recomputation).
    const double inFlight = std::min<double>(pp, m);
    r.memoryBytes = localParams * (6.0 + 12.0 / dp) + inFlight * layersPerStage * 34.0 * t * h / tp;
    r.fits = r.memoryBytes <= m_hbmCapacity;
    r.trainingTime = p.steps * r.step;
    r.utilisation = 6.0 * p.parameters * p.tokens / (r.gpus * m_peakFlops * r.trainingTime);
    return r;
}

DataMovementPoint
DataMovementLimits::Evaluate(double flops) const
{
    NS_LOG_FUNCTION(this << flops);
    DataMovementPoint p;
    Shape(flops, p);
    const double sequences = std::floor(p.batchTokens / m_sequence);
    const double duration = m_durationDays * 86400.0;
    for (uint32_t tp = 1; tp <= m_maxDegree && tp * 128 <= p.hidden; tp *= 2)
    {
        for (uint32_t pp = 1; pp <= m_maxDegree && pp <= p.layers; pp *= 2)
        {
            for (uint32_t mb = 1; mb <= 8; mb *= 2)
            {
                for (uint64_t dp = 1; double(dp) * mb <= sequences; dp *= 2)
                {
                    const DataMovementPlan r = EvaluatePlan(flops, uint32_t(dp), tp, pp, mb);
                    ++p.plansSearched;
                    if (r.microBatches == 0 || !r.fits || r.trainingTime > duration)
                    {
                        continue;
                    }
                    if (!p.feasible || r.utilisation > p.best.utilisation)
                    {
                        p.best = r;
                        p.feasible = true;
                    }
                }
            }
        }
    }
    NS_LOG_LOGIC("C " << flops << " feasible " << p.feasible << " util " << p.best.utilisation);
    return p;
}

std::vector<DataMovementPoint>
DataMovementLimits::Sweep(double from, double to, uint32_t perDecade) const
{
    if (!(from > 0) || !(to >= from) || perDecade == 0)
    {
        throw FabricConfigError("DataMovementLimits",
                                "sweep needs 0 < from <= to and at least one point per decade");
    }
    std::vector<DataMovementPoint> points;
    const double lo = std::log10(from);
    const double hi = std::log10(to);
    const uint32_t n = uint32_t(std::lround((hi - lo) * perDecade));
    for (uint32_t i = 0; i <= n; ++i)
    {
        points.push_back(Evaluate(std::pow(10.0, lo + double(i) / perDecade)));
    }
    return points;
}

double
DataMovementLimits::FindDataMovementWall(const std::vector<DataMovementPoint>& points) const
{
    double top = 0;
    for (const auto& p : points)
    {
        if (p.feasible)
        {
            top = std::max(top, p.best.utilisation);
        }
    }
    for (const auto& p : points)
    {
        if (!p.feasible || p.best.utilisation < m_knee * top)
        {
            return p.flops;
        }
    }
    return 0;
}

double
DataMovementLimits::FindLatencyWall(const std::vector<DataMovementPoint>& points)
{
    for (const auto& p : points)
    {
        if (!p.feasible)
        {
            return p.flops;
        }
    }
    return 0;
}

} // namespace ns3
