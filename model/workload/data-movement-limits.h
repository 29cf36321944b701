/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DATA_MOVEMENT_LIMITS_H
#define DATA_MOVEMENT_LIMITS_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One parallelism plan of a compute-optimal dense transformer and what one training
 * step costs under it (seconds; per step unless said otherwise).
 */
struct DataMovementPlan
{
    uint32_t dp{0};           //!< data-parallel degree
    uint32_t tp{0};           //!< tensor-parallel degree (sequence parallel)
    uint32_t pp{0};           //!< pipeline stages
    uint32_t microBatch{0};   //!< sequences per micro-batch
    uint32_t microBatches{0}; //!< micro-batches per step and pipeline, m
    double gpus{0};           //!< dp x tp x pp
    double compute{0};        //!< GEMM and attention time on the critical path (roofline)
    double memoryBound{0};    //!< the part of compute that HBM bandwidth, not FLOPs, set
    double tensorParallel{0}; //!< TP all-reduces on the critical path
    double tpLatency{0};      //!< their latency (alpha) part
    double pipeline{0};       //!< pipeline p2p on the critical path
    double bubble{0};         //!< pipeline fill and drain (p - 1 slots)
    double dataParallel{0};   //!< exposed DP gradient all-reduce
    double optimizer{0};      //!< the optimizer step (HBM bound)
    double step{0};           //!< the step: everything above
    double memoryBytes{0};    //!< HBM per GPU: weights, gradients, optimizer, activations
    double trainingTime{0};   //!< steps x step, s
    double utilisation{0};    //!< 6 N D / (gpus x peak x trainingTime)
    bool fits{false};         //!< memoryBytes <= HBM capacity
};

/**
 * \ingroup ai-fabric
 * \brief One compute level of the sweep: the model, its batch, and the best plan found.
 */
struct DataMovementPoint
{
    double flops{0};           //!< training compute C, FLOP
    double parameters{0};      //!< N = sqrt(C / (6 r))
    double tokens{0};          //!< D = r N
    uint32_t layers{0};        //!< l = (N / (12 a^2))^(1/3)
    uint32_t hidden{0};        //!< h = a l, rounded to a multiple of 128
    double batchTokens{0};     //!< critical-batch bound, tokens per step
    double steps{0};           //!< D / batch
    bool feasible{false};      //!< some plan fits memory and finishes within the duration
    DataMovementPlan best;     //!< the plan of highest utilisation among the feasible
    uint32_t plansSearched{0}; //!< plans evaluated
};

/**
 * \ingroup ai-fabric
 * \brief The analytical model of Erdil & Schneider-Joseph, "Data movement limits to
 * frontier model training" (arXiv:2411.01137, 2024), on this module's cost terms.
 *
 * A training compute C fixes a compute-optimal dense transformer (Hoffmann et al. 2022:
 * D = r N tokens, C = 6 N D) of a fixed aspect ratio h / l (Kaplan et al. 2020), and a
 * critical-batch bound on the tokens per step, B = k C^e (DeepSeek-AI 2024, arXiv:2401.02954,
 * eq. 1: B_opt = 0.292 C^0.3271). The D / B steps must run one after the other within the
 * training duration. For each plan (DP, TP, PP, micro-batch) the step time is
 *
 *   (m + p - 1) x [l / p x (3 GEMM roofline + 4 TP all-reduces) + 2 p2p] + exposed DP + optimizer
 *
 * with the all-reduces costed as NCCL's tuner does (base latency + per-step latency x steps
 * + bytes x 2 (n - 1) / n / bandwidth), over NVLink while TP fits one server and over the
 * scale-out network otherwise. The best plan is the one of highest utilisation among those
 * that fit HBM and finish within the duration; Sweep() walks C over decades. Where the best
 * utilisation falls off is the data-movement wall; where no plan finishes, the latency wall.
 */
class DataMovementLimits : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DataMovementLimits();
    ~DataMovementLimits() override;

    /**
     * \param flops training compute C, FLOP (> 0)
     * \return the model, batch and best plan at that compute
     */
    DataMovementPoint Evaluate(double flops) const;

    /**
     * \param flops the model's compute C
     * \param dp data-parallel degree
     * \param tp tensor-parallel degree
     * \param pp pipeline stages
     * \param microBatch sequences per micro-batch
     * \return that plan's step breakdown (microBatches 0 if the batch cannot be split so)
     */
    DataMovementPlan EvaluatePlan(double flops,
                                  uint32_t dp,
                                  uint32_t tp,
                                  uint32_t pp,
                                  uint32_t microBatch) const;

    /**
     * \param from lowest compute, FLOP
     * \param to highest compute, FLOP
     * \param perDecade points per factor of 10
     * \return the points
     */
    std::vector<DataMovementPoint> Sweep(double from, double to, uint32_t perDecade) const;

    /**
     * \brief The collective cost term the sweep uses (NCCL-tuner style ring all-reduce).
     * \param bytes the buffer S
     * \param ranks the ranks n
     * \param scaleOut whether the ring crosses servers
     * \return base + 2 (n - 1) x per-step latency + 2 (n - 1) / n x S / bandwidth, s
     */
    double AllReduceTime(double bytes, uint32_t ranks, bool scaleOut) const;

    /**
     * \param bytes the message
     * \param scaleOut whether it crosses servers
     * \return per-step latency + bytes / bandwidth, s
     */
    double PointToPointTime(double bytes, bool scaleOut) const;

    /**
     * \param points a sweep
     * \return the first compute whose best utilisation is below Knee x the sweep's highest
     * (0 if none): the data-movement wall
     */
    double FindDataMovementWall(const std::vector<DataMovementPoint>& points) const;

    /**
     * \param points a sweep
     * \return the first infeasible compute (0 if none): the latency wall
     */
    static double FindLatencyWall(const std::vector<DataMovementPoint>& points);

  private:
    /**
     * \param flops compute
     * \param p the point to fill (model and batch)
     */
    void Shape(double flops, DataMovementPoint& p) const;

    double m_peakFlops;          //!< PeakFlops attribute, FLOP/s
    double m_hbmBandwidth;       //!< HbmBandwidth attribute, bytes/s
    double m_hbmCapacity;        //!< HbmCapacity attribute, bytes
    uint32_t m_scaleUpSize;      //!< ScaleUpSize attribute, GPUs
    double m_scaleUpBandwidth;   //!< ScaleUpBandwidth attribute, bytes/s per GPU and direction
    Time m_scaleUpLatency;       //!< ScaleUpLatency attribute, per step
    double m_scaleOutBandwidth;  //!< ScaleOutBandwidth attribute, bytes/s per GPU
    Time m_scaleOutLatency;      //!< ScaleOutLatency attribute, per step
    Time m_baseLatency;          //!< CollectiveBaseLatency attribute
    double m_durationDays;       //!< TrainingDays attribute
    double m_tokensPerParameter; //!< TokensPerParameter attribute
    double m_aspectRatio;        //!< AspectRatio attribute
    uint32_t m_sequence;         //!< SequenceLength attribute
    double m_batchCoefficient;   //!< BatchCoefficient attribute
    double m_batchExponent;      //!< BatchExponent attribute
    double m_knee;               //!< Knee attribute
    uint32_t m_maxDegree;        //!< MaxDegree attribute
};

} // namespace ns3

#endif /* DATA_MOVEMENT_LIMITS_H */
