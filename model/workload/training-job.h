/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TRAINING_JOB_H
#define TRAINING_JOB_H

#include "training-report.h"
#include "training-timeline.h"

#include "ns3/callback.h"
#include "ns3/communicator.h"
#include "ns3/compute-model.h"
#include "ns3/execution-graph.h"
#include "ns3/fabric-link-usage.h"
#include "ns3/fabric-topology.h"
#include "ns3/gpu-spec.h"
#include "ns3/memory-pool.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class TrainingApplication;

/**
 * \ingroup ai-fabric
 * \brief One training job on a fabric: the execution graph of its iteration, the
 * communicators of its groups, and what its workers did.
 *
 * Every worker's TrainingApplication replays its program and hands the job its collectives.
 * A collective starts when every member of its group instance has arrived at it (the same
 * operation index of the same iteration) and runs on that group's Communicator, packet by
 * packet (Backend "packet"), or takes the analytical backend's duration of the same schedule
 * (Backend "analytical"). Collectives of different groups run at once and, at packet level,
 * share the links they cross.
 *
 * In the asynchronous modes the data-parallel reductions are replaced by parameter-server
 * traffic: each worker pushes its gradient, split evenly over the servers, and pulls the
 * updated weights back, with no barrier between replicas (stale-synchronous: a replica does
 * not start iteration i before every replica finished iteration i - s - 1).
 */
class TrainingJob : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TrainingJob();
    ~TrainingJob() override;

    /** How collectives take their time. */
    enum Backend
    {
        PACKET,     //!< packet by packet over the fabric (Communicator::Start)
        ANALYTICAL, //!< the alpha-beta model of the same schedule (Communicator::Estimate)
    };

    /** Completion of a collective: when it started (every member arrived) and ended. */
    typedef Callback<void, Time, Time> CollectiveDone;

    /**
     * \brief Bind the job to a fabric and a graph.
     * \param topology the fabric; the placement's topology ranks are its ranks
     * \param graph the iteration's execution graph
     */
    void Setup(Ptr<FabricTopology> topology, std::shared_ptr<const ExecutionGraph> graph);

    /** \return the graph */
    const ExecutionGraph& GetGraph() const;
    /** \return the fabric */
    Ptr<FabricTopology> GetTopology() const;
    /** \return the backend */
    Backend GetBackend() const;
    /** \return iterations each worker runs (0: until its application stops) */
    uint32_t GetIterations() const;

    /**
     * \brief Set one worker's straggler factor for one iteration (over the Slowdown stream).
     * \param worker the worker
     * \param iteration the iteration
     * \param factor its compute durations are multiplied by this (> 0)
     */
    void SetSlowdown(uint32_t worker, uint32_t iteration, double factor);

    /// One entry of a straggler list (see ParseStragglers).
    struct Straggler
    {
        uint32_t worker{0};                //!< the worker
        std::optional<uint32_t> iteration; //!< the iteration; empty: every iteration
        double factor{1};                  //!< compute slowdown, finite and > 0
    };

    /**
     * \brief Parse a straggler list, "WORKER:ITERATION:FACTOR,..." with ITERATION `*` for all
     * (training-run's --stragglers).
     * \param list the text
     * \param field what errors call it (e.g. "--stragglers")
     * \return its entries; throws FabricConfigError naming the entry at fault
     */
    static std::vector<Straggler> ParseStragglers(const std::string& list,
                                                  const std::string& field);

    /**
     * \brief Set the stragglers of a list (ParseStragglers) on this job's workers.
     * \param list the text
     * \param field what errors call it
     * \param iterations the iterations `*` stands for
     */
    void SetStragglers(const std::string& list, const std::string& field, uint32_t iterations);

    /**
     * \brief Fix the random stream of the Slowdown variable (ns-3's AssignStreams idiom):
     * jobs given the same stream draw the same stragglers, whatever else the run creates.
     * \param stream the first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * \param worker a worker
     * \param iteration an iteration
     * \return the factor its compute runs with then (SetSlowdown, else the Slowdown stream's
     * draw for that worker and iteration, else 1)
     */
    double GetSlowdown(uint32_t worker, uint32_t iteration);

    /**
     * \param worker a worker
     * \param node one of its compute nodes
     * \return its duration on the worker's GPU, before any slowdown
     */
    Time GetComputeTime(uint32_t worker, const GraphNode& node) const;

    /**
     * \param worker a worker
     * \return the GPU it runs on (its topology node's GPU model; the workload's otherwise)
     */
    const GpuSpec& GetGpu(uint32_t worker) const;

    /**
     * \param program a stage's program
     * \return for each of its nodes, the nodes that depend on it
     */
    const std::vector<std::vector<uint32_t>>& GetDependents(const RankProgram& program);

    /**
     * \brief A worker reached a collective node.
     * \param worker the worker
     * \param iteration its iteration
     * \param node the node's index in its program
     * \param done called when the collective completes for this worker
     */
    void Arrive(uint32_t worker, uint32_t iteration, uint32_t node, CollectiveDone done);

    /**
     * \brief A worker reached a memory node: move its bytes between the GPU and the worker's
     * pool port (a load: pool to GPU; a store: GPU to pool) over the fabric, on the job's
     * backend. It ends when both the transfer and the pool's service of it (MemoryPool::Access)
     * are done.
     * \param worker the worker
     * \param node the node's index in its program
     * \param done called when the access completes
     */
    void Access(uint32_t worker, uint32_t node, CollectiveDone done);

    /**
     * \param worker a worker
     * \return the topology rank of the memory-pool port it loads from and stores to
     * (UINT32_MAX if the workload pools nothing)
     */
    uint32_t GetPoolPort(uint32_t worker) const;

    /**
     * \brief May a worker start an iteration now? (stale-synchronous bound; always true in
     * the other modes)
     * \param worker the worker
     * \param iteration the iteration
     * \param resume called once it may, if not now
     * \return true if it may start now
     */
    bool MayStart(uint32_t worker, uint32_t iteration, Callback<void> resume);

    /**
     * \brief A worker started an iteration.
     * \param worker the worker
     * \param iteration the iteration
     */
    void NotifyStart(uint32_t worker, uint32_t iteration);

    /**
     * \brief A worker finished an iteration.
     * \param record what it did
     */
    void NotifyIteration(const WorkerIterationRecord& record);

    /**
     * \brief Record a span on a worker's timeline (no-op unless the Timeline attribute).
     * \param worker the worker
     * \param track "compute" or a group name
     * \param label what ran
     * \param start its start
     * \param end its end
     */
    void Record(uint32_t worker,
                const std::string& track,
                const std::string& label,
                Time start,
                Time end);

    /** \return the report of what ran so far (call after Simulator::Run()) */
    TrainingReport GetReport() const;
    /** \return the timeline (empty unless the Timeline attribute) */
    const TrainingTimeline& GetTimeline() const;

    /**
     * TracedCallback signature for a finished iteration of the job.
     * \param record the iteration
     */
    typedef void (*IterationTracedCallback)(const IterationRecord& record);
    /**
     * TracedCallback signature for a finished iteration of one worker.
     * \param record the worker's iteration
     */
    typedef void (*WorkerIterationTracedCallback)(const WorkerIterationRecord& record);
    /**
     * TracedCallback signature for a completed collective.
     * \param group its group's name ("tp", "dp", ...)
     * \param op the operation
     * \param bytes its size
     * \param start when every member had arrived
     * \param end when it completed
     */
    typedef void (*CollectiveTracedCallback)(const std::string& group,
                                             CollectiveOp op,
                                             uint64_t bytes,
                                             Time start,
                                             Time end);

  protected:
    void DoDispose() override;

  private:
    /** One collective operation waiting for its members. */
    struct Pending
    {
        uint32_t arrived{0};                 //!< members arrived
        uint64_t bytes{0};                   //!< its size (the largest of the members' nodes)
        std::vector<CollectiveDone> members; //!< per member (communicator rank)
    };

    /**
     * \param groupId a group instance
     * \param ranks the topology ranks of its members, in communicator rank order
     * \return its communicator (made on first use)
     */
    Ptr<Communicator> GetCommunicator(uint64_t groupId, const std::vector<uint32_t>& ranks);

    /**
     * \param groupId the group instance
     * \param comm its communicator
     * \param op the operation (root 0, peer 1)
     * \param bytes its size
     * \return the analytical duration of its schedule, computed once per group, op and size
     */
    Time GetEstimate(uint64_t groupId, Ptr<Communicator> comm, CollectiveOp op, uint64_t bytes);

    /**
     * \brief Run one collective whose members have all arrived.
     * \param g the group instance
     * \param node the node (of any member)
     * \param op the collective
     */
    void Launch(const GroupInstance& g, const GraphNode& node, Pending op);

    /**
     * \brief Asynchronous modes: push a worker's gradient to the servers and pull the
     * weights back.
     * \param worker the worker
     * \param bytes its gradient bytes in this node
     * \param done completion
     */
    void PushPull(uint32_t worker, uint64_t bytes, CollectiveDone done);

    /**
     * \brief Give each worker its memory-pool port and place its pooled state there
     * (MemoryPool::Allocate). Checks that no worker sits on a pool port.
     */
    void AssignPools();

    /**
     * \brief Account a completed collective.
     * \param group its group
     * \param groupName its explicit group's name (empty: the WorkloadGroup's)
     * \param op the operation
     * \param bytes its size
     * \param start start
     * \param analytical the analytical duration of its schedule
     */
    void Account(WorkloadGroup group,
                 const std::string& groupName,
                 CollectiveOp op,
                 uint64_t bytes,
                 Time start,
                 Time analytical);

    Ptr<FabricTopology> m_topology;                              //!< the fabric
    std::shared_ptr<const ExecutionGraph> m_graph;               //!< the iteration
    Backend m_backend;                                           //!< Backend attribute
    uint32_t m_iterations;                                       //!< Iterations attribute
    Ptr<ComputeModel> m_computeModel;                            //!< ComputeModel attribute
    Ptr<RandomVariableStream> m_slowdownStream;                  //!< Slowdown attribute
    bool m_timelineEnabled;                                      //!< Timeline attribute
    bool m_measureLinks;                                         //!< MeasureLinks attribute
    Time m_hotPortPeriod;                                        //!< HotPortSamplePeriod attribute
    std::vector<GpuSpec> m_gpus;                                 //!< per worker
    std::map<std::pair<uint32_t, uint32_t>, double> m_slowdowns; //!< (worker, iteration)
    std::map<const RankProgram*, std::vector<std::vector<uint32_t>>> m_dependents; //!< cached
    std::map<std::tuple<uint64_t, uint32_t, uint32_t>, Pending> m_pending; //!< (id, it, seq)
    std::unordered_map<uint64_t, Ptr<Communicator>> m_communicators;       //!< per group id
    std::map<std::tuple<uint64_t, uint8_t, uint64_t>, Time> m_estimates;   //!< analytical cache
    /// Analytical parameter servers: when each server's link is free again, towards it
    /// (pushes) and from it (pulls); transfers queue there as they do on the wire.
    std::vector<Time> m_serverInFree;
    std::vector<Time> m_serverOutFree;      //!< see m_serverInFree
    std::vector<Time> m_workerOutFree;      //!< a worker's link towards the servers is free again
    std::vector<Time> m_workerInFree;       //!< a worker's link from the servers is free again
    std::vector<uint32_t> m_poolPort;       //!< per worker: its memory-pool port (rank)
    std::vector<Ptr<MemoryPool>> m_pools;   //!< per worker: the pool behind that port
    std::map<uint32_t, Time> m_poolOutFree; //!< analytical: pool port -> its link to GPUs free
    std::map<uint32_t, Time> m_poolInFree;  //!< analytical: pool port -> its link from GPUs free
    std::map<std::string, GroupUsageRecord> m_groupUsage;     //!< per group name
    std::vector<WorkerIterationRecord> m_records;             //!< as they finish
    std::vector<IterationRecord> m_iterationRecords;          //!< per iteration
    std::vector<uint32_t> m_finishedPerIteration;             //!< workers done, per iteration
    std::vector<uint32_t> m_replicaDone;                      //!< per replica: iterations done
    std::vector<std::vector<uint32_t>> m_replicaProgress;     //!< per replica, iteration: workers
    std::vector<std::vector<uint32_t>> m_replicaStartVersion; //!< per replica, iteration
    uint32_t m_updates{0};                                    //!< replica-iterations applied
    std::vector<std::pair<uint32_t, Callback<void>>> m_held;  //!< stale-sync: (iteration, resume)
    uint32_t m_maxClockGap{0};                                //!< largest gap at a start
    uint32_t m_maxStaleness{0};                               //!< largest staleness
    std::unique_ptr<FabricLinkUsage> m_linkUsage;             //!< packet level: link counters
    Time m_start;                                             //!< the first worker's start
    bool m_started{false};                                    //!< a worker has started
    double m_modelFlops{0};                                   //!< per iteration, all workers
    double m_peakFlops{0};                                    //!< the workers' peaks summed
    TrainingTimeline m_timeline;                              //!< spans, if recorded
    bool m_linksMeasured{false};                              //!< a snapshot was taken
    LinkUsageReport m_linksSnapshot;            //!< link classes at the last finished iteration
    std::vector<PortUsage> m_portsSnapshot;     //!< ports at the last finished iteration
    std::unique_ptr<FabricHotPorts> m_hotPorts; //!< packet level: switch queue counters
    std::vector<HotPort> m_hotSnapshot;         //!< hottest ports at the last iteration

    TracedCallback<const IterationRecord&> m_iterationTrace;             //!< IterationComplete
    TracedCallback<const WorkerIterationRecord&> m_workerIterationTrace; //!< WorkerIteration
    TracedCallback<const std::string&, CollectiveOp, uint64_t, Time, Time>
        m_collectiveTrace; //!< CollectiveComplete
};

} // namespace ns3

#endif /* TRAINING_JOB_H */
