/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TRAINING_REPORT_H
#define TRAINING_REPORT_H

#include "ns3/fabric-hot-ports.h"
#include "ns3/fabric-link-usage.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One GPU's share of one iteration: from the end of its previous iteration (or the
 * job's start) to the end of this one.
 *
 * compute + exposed + exposedMemory + idle = end - start. Communication counts from the moment
 * every member of a collective has arrived (waiting for late peers is idle time, not
 * communication). Remote-memory loads and stores are counted apart from communication.
 */
struct WorkerIterationRecord
{
    uint32_t worker{0};    //!< the worker
    uint32_t iteration{0}; //!< the iteration
    Time start;            //!< when it began
    Time end;              //!< when its last node finished
    Time compute;          //!< time its compute stream was busy
    Time communication;    //!< time at least one of its collectives was in flight
    Time exposed;          //!< communication while no compute ran
    Time memory;           //!< time at least one of its pool loads or stores was in flight
    Time exposedMemory;    //!< memory time while neither compute nor communication ran
    Time idle;             //!< none of these: pipeline bubble, waiting for peers or stragglers
    double slowdown{1.0};  //!< the straggler factor its compute ran with
    uint32_t staleness{0}; //!< asynchronous modes: updates applied since it read the weights
};

/**
 * \ingroup ai-fabric
 * \brief One iteration of the whole job.
 */
struct IterationRecord
{
    uint32_t iteration{0}; //!< the iteration
    Time end;              //!< when its last worker finished it
    Time time;             //!< end minus the previous iteration's end (or the job's start)
    Time compute;          //!< mean over workers of WorkerIterationRecord::compute
    Time communication;    //!< mean communication
    Time exposed;          //!< mean exposed communication
    Time memory;           //!< mean memory time
    Time exposedMemory;    //!< mean exposed memory time
    Time idle;             //!< mean idle time (the bubble)
    uint32_t workers{0};   //!< workers that finished it
    double mfu{0};         //!< model FLOPs / (time x the GPUs' dense peak)
};

/**
 * \ingroup ai-fabric
 * \brief The collectives of one kind of communicator ("tp", "dp", "pp-fwd"...).
 */
struct GroupUsageRecord
{
    std::string group;  //!< WorkloadGroupName
    uint64_t ops{0};    //!< operations (one per group instance and operation)
    uint64_t bytes{0};  //!< their sizes S, summed
    Time time;          //!< their durations, summed
    Time analyticalSum; //!< the analytical backend's durations of the same operations
};

/**
 * \ingroup ai-fabric
 * \brief What a training job did: per iteration, per worker, per communicator kind and per
 * link. ToJson() writes it in the schema documented in doc/ai-fabric.rst.
 */
struct TrainingReport
{
    std::string workload;                         //!< the workload's name
    std::string backend;                          //!< "packet" or "analytical"
    std::string mode;                             //!< "sync", "parameter-server", "stale-sync"
    uint32_t gpus{0};                             //!< GPUs of the plan (workers + servers)
    uint32_t workers{0};                          //!< workers
    std::string plan;                             //!< "dp 2 x tp 8 x pp 2"
    double modelFlopsPerIteration{0};             //!< forward + backward, no recomputation
    std::vector<IterationRecord> iterations;      //!< per iteration
    std::vector<WorkerIterationRecord> perWorker; //!< per worker and iteration
    std::vector<GroupUsageRecord> groups;         //!< per communicator kind
    uint32_t completedIterations{0};              //!< iterations every worker finished
    uint32_t maxClockGap{0};                      //!< stale-sync: most iterations apart
    uint32_t maxStaleness{0};                     //!< asynchronous modes: largest staleness
    bool measuredLinks{false};                    //!< packet level: links measured
    LinkUsageReport links;                        //!< per link class over the whole run
    std::vector<PortUsage> ports;                 //!< per transmitting port over the run
    std::vector<HotPort> hotPorts;                //!< packet level: hottest switch ports
    Time hotPortSamplePeriod; //!< period of hotPorts' series (zero: not sampled)
    Time hotPortSampleStart;  //!< when their first sample was taken
    uint64_t events{0};       //!< simulator events of the run (if known)
    double wallSeconds{0};    //!< wall time of the run (if known)

    /**
     * \param worker a worker
     * \return its iterations, in order
     */
    std::vector<WorkerIterationRecord> GetWorker(uint32_t worker) const;

    /**
     * \brief Write the report as JSON (schema: doc/ai-fabric.rst, "Training reports").
     * \param os the stream
     * \param analytical the analytical replay of the same job, or nullptr
     */
    void WriteJson(std::ostream& os, const TrainingReport* analytical = nullptr) const;
};

} // namespace ns3

#endif /* TRAINING_REPORT_H */
