/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "cluster-replay-helper.h"

#include "training-helper.h"

#include "ns3/boolean.h"
#include "ns3/cell-estimator.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/workload-generator.h"

#include <memory>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ClusterReplayHelper");

ClusterReplayHelper::ClusterReplayHelper()
    : m_backend("packet")
{
}

void
ClusterReplayHelper::SetBackend(const std::string& backend)
{
    if (backend != "packet" && backend != "analytical")
    {
        throw FabricConfigError("ClusterReplayHelper",
                                "backend \"" + backend + "\" is not packet or analytical");
    }
    m_backend = backend;
}

std::vector<ReplayedJob>
ClusterReplayHelper::Run(Ptr<FabricTopology> topology,
                         const JobTrace& trace,
                         const std::vector<JobPlacement>& placements)
{
    NS_LOG_FUNCTION(this << trace.name);
    const uint32_t n = static_cast<uint32_t>(placements.size());
    auto result = std::make_shared<std::vector<ReplayedJob>>(n);
    auto started = std::make_shared<std::vector<bool>>(n, false);
    auto jobs = std::make_shared<std::vector<Ptr<TrainingJob>>>(n);
    const std::vector<uint32_t> servers = WorkloadPlacement::ServersOf(topology->GetDescription());
    std::vector<std::shared_ptr<const ExecutionGraph>> graphs(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        const JobPlacement& p = placements[i];
        if (p.placed)
        {
            const WorkloadDescription w = CellEstimator::Plan(trace.jobs[p.job], p.cell, p.ranks);
            graphs[i] = std::make_shared<const ExecutionGraph>(
                CreateObject<WorkloadGenerator>()->Generate(w, servers));
        }
    }
    const std::string backend = m_backend;
    auto tryStart = std::make_shared<std::function<void(uint32_t)>>();
    std::weak_ptr<std::function<void(uint32_t)>> weak = tryStart;
    *tryStart = [=, &trace, &placements](uint32_t i) {
        const JobPlacement& p = placements[i];
        if (!p.placed || (*started)[i] || Simulator::Now() < p.start)
        {
            return;
        }
        for (uint32_t before : p.after)
        {
            if (!(*result)[before].ran)
            {
                return;
            }
        }
        (*started)[i] = true;
        TrainingHelper helper;
        helper.SetJobAttribute("Backend", StringValue(backend));
        helper.SetJobAttribute("Iterations", UintegerValue(trace.jobs[p.job].iterations));
        helper.SetJobAttribute("MeasureLinks", BooleanValue(false));
        Ptr<TrainingJob> job = helper.Install(topology, graphs[i]);
        (*jobs)[i] = job;
        (*result)[i].start = Simulator::Now();
        const uint32_t iterations = trace.jobs[p.job].iterations;
        job->TraceConnectWithoutContext(
            "IterationComplete",
            Callback<void, const IterationRecord&>([=, &placements](const IterationRecord& r) {
                if (r.iteration + 1 != iterations)
                {
                    return;
                }
                ReplayedJob& out = (*result)[i];
                out.ran = true;
                out.end = Simulator::Now();
                out.meanIteration = (out.end - out.start) / static_cast<int64_t>(iterations);
                // Jobs waiting for these GPUs may start now.
                for (uint32_t k = 0; k < placements.size(); ++k)
                {
                    Simulator::ScheduleNow([weak, k]() {
                        if (auto f = weak.lock())
                        {
                            (*f)(k);
                        }
                    });
                }
            }));
    };
    for (uint32_t i = 0; i < n; ++i)
    {
        if (placements[i].placed)
        {
            Simulator::Schedule(placements[i].start, [tryStart, i]() { (*tryStart)(i); });
        }
    }
    Simulator::Run();
    std::vector<ReplayedJob> out = *result;
    for (auto& job : *jobs)
    {
        job = nullptr;
    }
    return out;
}

} // namespace ns3
