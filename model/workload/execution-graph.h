/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef EXECUTION_GRAPH_H
#define EXECUTION_GRAPH_H

#include "compute-model.h"
#include "workload-description.h"
#include "workload-placement.h"

#include "ns3/collective-schedule.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup ai-fabric
/// The communicators a rank's collective nodes run on.
enum class WorkloadGroup : uint8_t
{
    TP,       //!< its tensor-parallel group (same dp and stage)
    DP,       //!< its data-parallel group (same stage and tensor rank)
    EP,       //!< its expert-parallel group (EP consecutive data-parallel ranks)
    FWD_SEND, //!< activations to the next stage (2 ranks: this one sends)
    FWD_RECV, //!< activations from the previous stage (this one receives)
    BWD_SEND, //!< gradients to the previous stage
    BWD_RECV, //!< gradients from the next stage
    EDP,      //!< its expert-data-parallel group: the data-parallel ranks that hold the same
              //!< experts (same dp mod ep), which reduce the experts' gradients
};

/// \ingroup ai-fabric
/// The number of WorkloadGroup values.
constexpr uint32_t kWorkloadGroups = 8;

/**
 * \ingroup ai-fabric
 * \param group a group
 * \return its name ("tp", "dp", "ep", "pp-fwd", "pp-bwd")
 */
std::string WorkloadGroupName(WorkloadGroup group);

/// \ingroup ai-fabric
/// What a compute node does.
enum class ComputePhase : uint8_t
{
    FORWARD,   //!< forward pass
    BACKWARD,  //!< backward pass
    RECOMPUTE, //!< the forward recomputed in the backward pass
    OPTIMIZER, //!< the optimizer step
};

/// \ingroup ai-fabric
/// What a remote-memory node does.
enum class MemoryAccess : uint8_t
{
    NONE,  //!< not a memory node
    LOAD,  //!< pool -> GPU
    STORE, //!< GPU -> pool
};

/// \ingroup ai-fabric
/// What a remote-memory node moves: it decides how much of the pool the data holds.
enum class MemoryContent : uint8_t
{
    NONE,        //!< not a memory node
    EXPERTS,     //!< MoE expert weights and their gradients (held once per pool)
    OPTIMIZER,   //!< optimizer states (held once per worker)
    ACTIVATIONS, //!< offloaded activations (held per micro-batch in flight)
};

/**
 * \ingroup ai-fabric
 * \param access a memory access
 * \return its name ("load", "store", "none")
 */
std::string MemoryAccessName(MemoryAccess access);

/**
 * \ingroup ai-fabric
 * \brief One node of a rank's execution graph: compute, this rank's part of a collective
 * or of a pipeline send/receive, or a load from / store to its memory pool.
 *
 * A memory node (compute false, memory LOAD or STORE) belongs to its rank alone: it moves
 * `bytes` between the GPU and the pool port TrainingJob assigns it, and starts once its
 * dependencies are done.
 *
 * Compute nodes run one at a time in program order (each depends on the previous compute
 * node: the GPU's compute stream). A collective node starts when every member of its group
 * has reached its node of the same `seq` (the operation's index among that group's operations
 * in one iteration); the nodes of one group on one rank depend on each other in order, as
 * operations on one NCCL communicator run in issue order.
 */
struct GraphNode
{
    bool compute{true};                         //!< compute (else collective)
    ComputeTask task;                           //!< compute: the work
    ComputePhase phase{ComputePhase::FORWARD};  //!< compute: which pass
    WorkloadGroup group{WorkloadGroup::TP};     //!< collective: its communicator
    CollectiveOp op{CollectiveOp::ALL_REDUCE};  //!< collective: the operation
    uint64_t bytes{0};                          //!< collective: its size (nccl-tests' S)
    uint32_t seq{0};                            //!< collective: index within the group
    MemoryAccess memory{MemoryAccess::NONE};    //!< memory node: load or store
    MemoryContent content{MemoryContent::NONE}; //!< memory node: what it moves
    uint32_t microBatch{UINT32_MAX};            //!< the micro-batch, if any
    uint32_t chunk{0};                          //!< the model chunk (virtual stage index)
    uint32_t layer{UINT32_MAX};                 //!< the layer, if any
    std::string label;                          //!< for timelines: "F3 L12 attention"
    std::vector<uint32_t> deps;                 //!< earlier nodes of the program
    /// collective: index of its group among the graph's explicit groups
    /// (ExecutionGraph::GetGroups, imported traces); UINT32_MAX: `group` of the placement
    uint32_t instance{UINT32_MAX};
};

/**
 * \ingroup ai-fabric
 * \param a a node
 * \param b another
 * \return whether every field of the two (the compute task's included) is the same
 */
bool operator==(const GraphNode& a, const GraphNode& b);

/**
 * \ingroup ai-fabric
 * \param a a node
 * \param b another
 * \return !(a == b)
 */
bool operator!=(const GraphNode& a, const GraphNode& b);

/**
 * \ingroup ai-fabric
 * \brief The graph of one iteration for the ranks of one pipeline stage (every data-parallel
 * and tensor-parallel rank of a stage runs the same program).
 */
struct RankProgram
{
    uint32_t stage{0};                 //!< the pipeline stage
    std::vector<GraphNode> nodes;      //!< in a valid order (deps point back)
    std::vector<uint32_t> opsPerGroup; //!< collective nodes per WorkloadGroup
    std::vector<uint32_t> inFlight;    //!< per chunk: most micro-batches held at once
    std::vector<std::string> schedule; //!< the pipeline order: "F0.0", "B0.0" (mb.chunk)
};

/**
 * \ingroup ai-fabric
 * \brief A collective group instance: which topology ranks, and where a worker sits in it.
 */
struct GroupInstance
{
    uint64_t id{0};                //!< unique over the graph (kind and index)
    std::vector<uint32_t> workers; //!< members, in communicator rank order
    uint32_t self{0};              //!< the worker's communicator rank
    std::string name;              //!< explicit groups: its name (a trace's pg_name)
};

/**
 * \ingroup ai-fabric
 * \brief The execution graph of one training iteration for every worker: the workload, its
 * placement, and one RankProgram per pipeline stage.
 */
class ExecutionGraph
{
  public:
    ExecutionGraph();

    /**
     * \param workload the validated workload
     * \param placement its placement
     * \param programs one program per stage
     */
    ExecutionGraph(const WorkloadDescription& workload,
                   const WorkloadPlacement& placement,
                   std::vector<std::shared_ptr<const RankProgram>> programs);

    /**
     * \brief A graph whose workers need not run their stage's program, with groups that need
     * not follow the placement (an imported trace).
     * \param workload the workload
     * \param placement its placement
     * \param programs the distinct programs
     * \param programOf per worker: the index of its program (empty: its pipeline stage)
     * \param groups the explicit groups that nodes name by GraphNode::instance (their `id`
     * and `self` are set here)
     */
    ExecutionGraph(const WorkloadDescription& workload,
                   const WorkloadPlacement& placement,
                   std::vector<std::shared_ptr<const RankProgram>> programs,
                   std::vector<uint32_t> programOf,
                   std::vector<GroupInstance> groups);

    /** \return the workload */
    const WorkloadDescription& GetWorkload() const;
    /** \return the placement */
    const WorkloadPlacement& GetPlacement() const;
    /** \return the number of workers */
    uint32_t GetNWorkers() const;
    /** \param worker a worker \return its program */
    const RankProgram& GetProgram(uint32_t worker) const;
    /** \return the programs, per stage (or as GetProgramIndex numbers them) */
    const std::vector<std::shared_ptr<const RankProgram>>& GetPrograms() const;
    /** \param worker a worker \return the index of its program in GetPrograms() */
    uint32_t GetProgramIndex(uint32_t worker) const;
    /** \return the explicit groups (empty for generated graphs) */
    const std::vector<GroupInstance>& GetGroups() const;

    /**
     * \param worker a worker
     * \param node one of its collective nodes
     * \return the group instance the node runs on (its explicit group, else its
     * WorkloadGroup's instance from the placement)
     */
    GroupInstance GetGroup(uint32_t worker, const GraphNode& node) const;

    /**
     * \param worker a worker
     * \param group one of its groups
     * \return the group instance it belongs to there
     */
    GroupInstance GetGroup(uint32_t worker, WorkloadGroup group) const;

    /**
     * \brief The longest path through the merged graph of every worker (a collective ends at
     * the latest arrival of its members plus its duration): what an iteration takes on
     * resources that never make anything wait but the graph's dependencies.
     * \param computeTime duration of a compute node (worker, node)
     * \param collectiveTime duration of a collective (worker of its lowest member, node)
     * \return the iteration time
     */
    Time GetCriticalPath(
        const std::function<Time(uint32_t, const GraphNode&)>& computeTime,
        const std::function<Time(uint32_t, const GraphNode&)>& collectiveTime) const;

    /** \return the total number of nodes over every worker */
    uint64_t GetTotalNodes() const;

  private:
    WorkloadDescription m_workload;                             //!< the workload
    WorkloadPlacement m_placement;                              //!< its placement
    std::vector<std::shared_ptr<const RankProgram>> m_programs; //!< per stage
    std::vector<uint32_t> m_programOf;                          //!< per worker, if not by stage
    std::vector<GroupInstance> m_groups;                        //!< explicit groups
};

} // namespace ns3

#endif /* EXECUTION_GRAPH_H */
