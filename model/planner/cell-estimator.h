/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CELL_ESTIMATOR_H
#define CELL_ESTIMATOR_H

#include "cell-scheduler.h"

#include "ns3/communicator.h"
#include "ns3/execution-graph.h"
#include "ns3/fabric-topology.h"

#include <map>
#include <tuple>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Estimates a Cell on the analytical backend: the job's execution graph under the Cell's
 * plan, on GPUs of the Cell's type where the scheduler would put it in an empty cluster, timed
 * as the analytical TrainingJob replays it (its critical path with the compute model's times
 * and Communicator::Estimate's alpha-beta times; no contention).
 */
class CellEstimator
{
  public:
    /// \param topology the cluster's fabric
    explicit CellEstimator(Ptr<FabricTopology> topology);

    /**
     * \param job a job
     * \param cell a Cell with its plan
     * \return its iteration time (zero when the plan cannot run: TP not dividing the heads...)
     */
    Time Estimate(const TraceJob& job, const JobCell& cell);

    /**
     * \param job a job
     * \param cell a Cell with its plan
     * \param ranks the topology ranks of its workers
     * \return its workload under the plan, validated, placed on the ranks; throws WorkloadError
     */
    static WorkloadDescription Plan(const TraceJob& job,
                                    const JobCell& cell,
                                    const std::vector<uint32_t>& ranks);

    /**
     * \param topology a fabric
     * \return each rank's GPU type and server
     */
    static ClusterSpec ClusterOf(Ptr<FabricTopology> topology);

    /** \return the servers of the topology's ranks */
    const std::vector<uint32_t>& GetServers() const;

  private:
    Ptr<FabricTopology> m_topology;                                     //!< the fabric
    ClusterSpec m_cluster;                                              //!< its ranks
    std::map<std::vector<uint32_t>, Ptr<Communicator>> m_communicators; //!< by ranks
    /// Collective estimates by (ranks, operation, bytes)
    std::map<std::tuple<std::vector<uint32_t>, int, uint64_t>, Time> m_estimates;
};

} // namespace ns3

#endif /* CELL_ESTIMATOR_H */
