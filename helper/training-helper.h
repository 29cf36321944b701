/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TRAINING_HELPER_H
#define TRAINING_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/execution-graph.h"
#include "ns3/fabric-topology.h"
#include "ns3/object-factory.h"
#include "ns3/training-job.h"
#include "ns3/workload-description.h"

#include <memory>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Installs a training job on a fabric: reads the workload, generates its execution
 * graph for the topology's servers, makes the TrainingJob and puts one TrainingApplication on
 * each worker's GPU node.
 *
 * \code
 *   TrainingHelper training;
 *   training.SetJobAttribute("Iterations", UintegerValue(2));
 *   Ptr<TrainingJob> job = training.Install(topology, "examples/workloads/gpt-mainjob.yaml");
 *   Simulator::Run();
 *   TrainingReport report = job->GetReport();
 * \endcode
 */
class TrainingHelper
{
  public:
    TrainingHelper();

    /**
     * \brief Set an attribute of every TrainingJob the helper makes.
     * \param name the attribute
     * \param value its value
     */
    void SetJobAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Read a workload file for a topology (its GPU count completes the plan).
     * \param topology the fabric
     * \param path the workload file
     * \return the validated workload (errors: FabricConfigError naming file, line and field)
     */
    static WorkloadDescription ReadWorkload(Ptr<FabricTopology> topology, const std::string& path);

    /**
     * \brief Generate a workload's execution graph, placed on a topology's servers.
     * \param topology the fabric
     * \param workload the workload
     * \return the graph
     */
    static std::shared_ptr<const ExecutionGraph> Generate(Ptr<FabricTopology> topology,
                                                          const WorkloadDescription& workload);

    /**
     * \brief Read a Chakra execution trace, one file per worker (`<prefix>.<worker>.et`), for
     * a topology: a trace that ai-fabric wrote gives back its graph; a foreign one runs worker
     * w on rank w of the topology's servers (see ChakraTrace).
     * \param topology the fabric
     * \param prefix the trace's path prefix
     * \return the graph (errors: FabricConfigError naming the file and node)
     */
    static std::shared_ptr<const ExecutionGraph> ReadChakra(Ptr<FabricTopology> topology,
                                                            const std::string& prefix);

    /**
     * \brief Make a job and install its applications, started at time 0.
     * \param topology the fabric
     * \param graph the job's graph
     * \return the job
     */
    Ptr<TrainingJob> Install(Ptr<FabricTopology> topology,
                             std::shared_ptr<const ExecutionGraph> graph);

    /**
     * \param topology the fabric
     * \param workload the workload
     * \return the job (see the other Install)
     */
    Ptr<TrainingJob> Install(Ptr<FabricTopology> topology, const WorkloadDescription& workload);

    /**
     * \param topology the fabric
     * \param workloadFile the workload file
     * \return the job (see the other Install)
     */
    Ptr<TrainingJob> Install(Ptr<FabricTopology> topology, const std::string& workloadFile);

    /** \return the applications of the last Install, one per worker, in worker order */
    ApplicationContainer GetApplications() const;

  private:
    ObjectFactory m_jobFactory;  //!< makes TrainingJobs
    ApplicationContainer m_apps; //!< the last Install's applications
};

} // namespace ns3

#endif /* TRAINING_HELPER_H */
