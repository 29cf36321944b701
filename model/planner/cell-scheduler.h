/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CELL_SCHEDULER_H
#define CELL_SCHEDULER_H

#include "job-trace.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A Cell (Crius, Xue et al. 2024, §4): a job with a fixed GPU type, GPU count and
 * pipeline-stage count, and the data x tensor parallelism chosen inside it.
 */
struct JobCell
{
    uint32_t job{0};        //!< index into the trace
    std::string gpuType;    //!< "A100", "H100"
    uint32_t gpus{0};       //!< GPUs
    uint32_t pp{1};         //!< pipeline stages (fixed by the Cell)
    uint32_t dp{1};         //!< data-parallel degree (searched)
    uint32_t tp{1};         //!< tensor-parallel degree (searched)
    Time iteration;         //!< estimated iteration time
    uint32_t candidates{0}; //!< DP x TP plans estimated inside it
};

/**
 * \ingroup ai-fabric
 * \brief Where and when a job ran in a schedule.
 */
struct JobPlacement
{
    uint32_t job{0};             //!< index into the trace
    JobCell cell;                //!< its Cell and plan
    std::vector<uint32_t> ranks; //!< its GPUs, topology ranks, in worker order
    Time start;                  //!< when it started
    Time end;                    //!< when it ends by the estimate
    std::vector<uint32_t> after; //!< jobs that held some of its GPUs before it
    bool placed{false};          //!< false: it fits nowhere in the cluster
    std::string reason;          //!< why it was not placed, or waited
    Time waited;                 //!< start minus arrival
};

/**
 * \ingroup ai-fabric
 * \brief The cluster a scheduler places jobs on: each rank's GPU type and server.
 */
struct ClusterSpec
{
    std::vector<std::string> gpuType; //!< per rank
    std::vector<uint32_t> server;     //!< per rank
};

/**
 * \ingroup ai-fabric
 * \brief Schedules a job trace on a heterogeneous cluster by estimated iteration times.
 *
 * Both policies simulate the cluster with the estimates (no network contention): at each
 * arrival or completion they look at the waiting jobs in arrival order. GPUs are handed out
 * by whole servers for 8 or more (a tensor-parallel group never leaves its server) and from one
 * server, best fit, below that. A job whose request fits no part of the cluster even when
 * empty is not placed and reported.
 *
 * - FCFS (the baseline): strictly first come, first served, with the job's own plan (its
 *   workload file's tp and pp, dp from its GPUs) on exactly its requested GPUs, of the type it
 *   names or any; the queue's head blocks those behind it.
 * - CELLS (Crius): for each waiting job it forms Cells (GPU type x GPU count in {n/2, n, 2n}
 *   of its request n x pipeline stages in {1, 2, 4}), searches DP x TP inside each with the
 *   estimator, and starts the job in the free Cell that finishes it soonest, unless waiting
 *   for its best Cell is sooner by the estimates; jobs that cannot start now do not block
 *   those behind them (backfilling).
 */
class CellScheduler
{
  public:
    /// \ingroup ai-fabric
    /// Scheduling policies.
    enum Policy
    {
        FCFS,  //!< first come, first served with fixed plans
        CELLS, //!< Crius: Cells, DP x TP searched inside, backfilling
    };

    /**
     * \brief Estimates one iteration of a job under a plan on GPUs of one type; a negative or
     * zero time says the plan cannot run (heads not divisible by TP...).
     */
    using Estimator = std::function<Time(const TraceJob& job, const JobCell& cell)>;

    /**
     * \param cluster the cluster
     * \param estimate the estimator
     */
    CellScheduler(ClusterSpec cluster, Estimator estimate);

    /**
     * \param trace the jobs
     * \param policy the policy
     * \return one placement per job, in trace order
     */
    std::vector<JobPlacement> Schedule(const JobTrace& trace, Policy policy);

    /**
     * \param job a job
     * \param index its index
     * \param type a GPU type
     * \param gpus GPUs
     * \param pp pipeline stages
     * \return the Cell with its best DP x TP (iteration 0 when none is feasible)
     */
    JobCell SearchCell(const TraceJob& job,
                       uint32_t index,
                       const std::string& type,
                       uint32_t gpus,
                       uint32_t pp);

    /** \return the GPU types of the cluster, in rank order of first appearance */
    std::vector<std::string> GetGpuTypes() const;

  private:
    /**
     * \param free per rank: free now
     * \param type a GPU type
     * \param gpus GPUs wanted
     * \return ranks to use (empty: none free)
     */
    std::vector<uint32_t> Allocate(const std::vector<bool>& free,
                                   const std::string& type,
                                   uint32_t gpus) const;

    ClusterSpec m_cluster; //!< the cluster
    Estimator m_estimate;  //!< the estimator
    std::map<std::tuple<uint32_t, std::string, uint32_t, uint32_t>, JobCell> m_cells; //!< cache
};

/**
 * \ingroup ai-fabric
 * \brief Figures of a schedule: completion times, makespan, throughput.
 */
struct ScheduleSummary
{
    uint32_t placed{0};   //!< jobs placed
    uint32_t unplaced{0}; //!< jobs that fit nowhere
    double meanJct{0};    //!< mean job completion time (end - arrival), s
    double makespan{0};   //!< last end - first arrival, s
    double throughput{0}; //!< samples per second over the makespan
};

/**
 * \ingroup ai-fabric
 * \param trace the jobs
 * \param placements their placements
 * \param ends each job's end (placements' order), or empty for the estimated ends
 * \return the figures
 */
ScheduleSummary SummariseSchedule(const JobTrace& trace,
                                  const std::vector<JobPlacement>& placements,
                                  const std::vector<Time>& ends = {});

} // namespace ns3

#endif /* CELL_SCHEDULER_H */
