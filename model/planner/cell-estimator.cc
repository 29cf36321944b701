/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "cell-estimator.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/training-job.h"
#include "ns3/workload-generator.h"
#include "ns3/workload-placement.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CellEstimator");

CellEstimator::CellEstimator(Ptr<FabricTopology> topology)
    : m_topology(topology),
      m_cluster(ClusterOf(topology))
{
}

ClusterSpec
CellEstimator::ClusterOf(Ptr<FabricTopology> topology)
{
    ClusterSpec c;
    c.gpuType = WorkloadPlacement::GpuModelsOf(topology->GetDescription());
    c.server = WorkloadPlacement::ServersOf(topology->GetDescription());
    if (c.gpuType.size() != topology->GetNRanks() || c.server.size() != topology->GetNRanks())
    {
        throw FabricConfigError("CellEstimator",
                                "the topology '" + topology->GetDescription().name +
                                    "' names no GPU type per rank (node kinds with a gpu)");
    }
    return c;
}

const std::vector<uint32_t>&
CellEstimator::GetServers() const
{
    return m_cluster.server;
}

WorkloadDescription
CellEstimator::Plan(const TraceJob& job, const JobCell& cell, const std::vector<uint32_t>& ranks)
{
    WorkloadDescription w = job.workload;
    w.name = job.name + " (" + w.name + ")";
    w.plan.dp = cell.dp;
    w.plan.tp = cell.tp;
    w.plan.pp = cell.pp;
    w.plan.virtualStages = 1;
    w.plan.ranks.clear();
    w.training.gradientAccumulation = 0;
    w.Validate(0);
    if (ranks.size() != w.GetGpuCount())
    {
        throw WorkloadError(w.where,
                            "parallelism",
                            "the JobCell has " + std::to_string(ranks.size()) + " GPUs, the plan " +
                                std::to_string(w.GetGpuCount()));
    }
    w.plan.ranks = ranks;
    return w;
}

Time
CellEstimator::Estimate(const TraceJob& job, const JobCell& cell)
{
    // Where the job would sit in an empty cluster: the first servers of its type.
    std::vector<uint32_t> ranks;
    for (uint32_t r = 0; r < m_cluster.gpuType.size() && ranks.size() < cell.gpus; ++r)
    {
        if (m_cluster.gpuType[r] == cell.gpuType)
        {
            ranks.push_back(r);
        }
    }
    if (ranks.size() < cell.gpus)
    {
        return Time();
    }
    WorkloadDescription w;
    try
    {
        w = Plan(job, cell, ranks);
    }
    catch (const WorkloadError& e)
    {
        NS_LOG_LOGIC("infeasible: " << e.what());
        return Time();
    }
    auto graph = std::make_shared<const ExecutionGraph>(
        CreateObject<WorkloadGenerator>()->Generate(w, m_cluster.server));
    Ptr<TrainingJob> tj = CreateObject<TrainingJob>();
    tj->SetAttribute("Backend", StringValue("analytical"));
    tj->Setup(m_topology, graph);
    const Time t = graph->GetCriticalPath(
        [&](uint32_t worker, const GraphNode& n) { return tj->GetComputeTime(worker, n); },
        [&](uint32_t worker, const GraphNode& n) {
            const GroupInstance g = graph->GetGroup(worker, n);
            if (g.workers.size() < 2 || n.bytes == 0)
            {
                return Time();
            }
            std::vector<uint32_t> members;
            for (uint32_t m : g.workers)
            {
                members.push_back(graph->GetPlacement().GetTopologyRank(m));
            }
            const auto key = std::make_tuple(members, static_cast<int>(n.op), n.bytes);
            auto known = m_estimates.find(key);
            if (known != m_estimates.end())
            {
                return known->second;
            }
            Ptr<Communicator>& comm = m_communicators[members];
            if (!comm)
            {
                comm = CreateObject<Communicator>();
                comm->SetAttribute("MeasureLinks", BooleanValue(false));
                comm->Setup(m_topology, members);
            }
            const Time t = comm->Estimate(n.op, n.bytes, 0, 1).analyticalTime;
            m_estimates[key] = t;
            return t;
        });
    tj->Dispose();
    return t;
}

} // namespace ns3
