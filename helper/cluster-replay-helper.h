/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CLUSTER_REPLAY_HELPER_H
#define CLUSTER_REPLAY_HELPER_H

#include "ns3/cell-scheduler.h"
#include "ns3/fabric-topology.h"
#include "ns3/training-job.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief How one job of a schedule ran in the replay.
 */
struct ReplayedJob
{
    bool ran{false};    //!< it was placed and finished
    Time start;         //!< when its workers started
    Time end;           //!< when its last iteration ended
    Time meanIteration; //!< its mean iteration time
};

/**
 * \ingroup ai-fabric
 * \brief Replays a schedule (CellScheduler) with every job's TrainingApplications on one
 * fabric, so that running jobs share its links. A job starts at its scheduled start or, when
 * later, once every job that held one of its GPUs before it has finished (so that no GPU ever
 * runs two jobs, even when the replay's times differ from the estimates the schedule used).
 */
class ClusterReplayHelper
{
  public:
    ClusterReplayHelper();

    /**
     * \param backend "packet" or "analytical"
     */
    void SetBackend(const std::string& backend);

    /**
     * \brief Install the jobs and run the simulation to its end (Simulator::Run).
     * \param topology the fabric the schedule was made for
     * \param trace the jobs
     * \param placements the schedule, in trace order
     * \return per job, in trace order
     */
    std::vector<ReplayedJob> Run(Ptr<FabricTopology> topology,
                                 const JobTrace& trace,
                                 const std::vector<JobPlacement>& placements);

  private:
    std::string m_backend; //!< the backend
};

} // namespace ns3

#endif /* CLUSTER_REPLAY_HELPER_H */
