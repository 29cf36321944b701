/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "training-helper.h"

#include "ns3/chakra-trace.h"
#include "ns3/log.h"
#include "ns3/training-application.h"
#include "ns3/workload-generator.h"
#include "ns3/workload-placement.h"
#include "ns3/workload-reader.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TrainingHelper");

TrainingHelper::TrainingHelper()
{
    m_jobFactory.SetTypeId(TrainingJob::GetTypeId());
}

void
TrainingHelper::SetJobAttribute(const std::string& name, const AttributeValue& value)
{
    m_jobFactory.Set(name, value);
}

WorkloadDescription
TrainingHelper::ReadWorkload(Ptr<FabricTopology> topology, const std::string& path)
{
    return WorkloadReader::ReadFile(path, topology->GetNGpus());
}

std::shared_ptr<const ExecutionGraph>
TrainingHelper::Generate(Ptr<FabricTopology> topology, const WorkloadDescription& workload)
{
    std::vector<uint32_t> servers = WorkloadPlacement::ServersOf(topology->GetDescription());
    if (servers.size() != topology->GetNRanks())
    {
        // A topology built in code without a description: the topology's own servers.
        servers.clear();
        for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
        {
            servers.push_back(topology->GetServer(r));
        }
    }
    Ptr<WorkloadGenerator> generator = CreateObject<WorkloadGenerator>();
    return std::make_shared<const ExecutionGraph>(generator->Generate(workload, servers));
}

std::shared_ptr<const ExecutionGraph>
TrainingHelper::ReadChakra(Ptr<FabricTopology> topology, const std::string& prefix)
{
    std::vector<uint32_t> servers;
    for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
    {
        servers.push_back(topology->GetServer(r));
    }
    return std::make_shared<const ExecutionGraph>(ChakraTrace::Read(prefix, servers));
}

Ptr<TrainingJob>
TrainingHelper::Install(Ptr<FabricTopology> topology, std::shared_ptr<const ExecutionGraph> graph)
{
    Ptr<TrainingJob> job = m_jobFactory.Create<TrainingJob>();
    job->Setup(topology, graph);
    m_apps = ApplicationContainer();
    for (uint32_t w = 0; w < graph->GetNWorkers(); ++w)
    {
        Ptr<TrainingApplication> app = CreateObject<TrainingApplication>();
        app->Setup(job, w);
        topology->GetGpuNode(graph->GetPlacement().GetTopologyRank(w))->AddApplication(app);
        app->SetStartTime(Seconds(0));
        m_apps.Add(app);
    }
    return job;
}

Ptr<TrainingJob>
TrainingHelper::Install(Ptr<FabricTopology> topology, const WorkloadDescription& workload)
{
    return Install(topology, Generate(topology, workload));
}

Ptr<TrainingJob>
TrainingHelper::Install(Ptr<FabricTopology> topology, const std::string& workloadFile)
{
    return Install(topology, ReadWorkload(topology, workloadFile));
}

ApplicationContainer
TrainingHelper::GetApplications() const
{
    return m_apps;
}

} // namespace ns3
