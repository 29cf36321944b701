/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef ASTRA_SIM_WORKLOAD_READER_H
#define ASTRA_SIM_WORKLOAD_READER_H

#include "execution-graph.h"
#include "workload-description.h"

#include "ns3/collective-schedule.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup ai-fabric
/// The training loops of ASTRA-sim's (v1) text workloads that the importer replays.
enum class AstraSimParallelism : uint8_t
{
    DATA,                     //!< DATA: weight-gradient collectives on every NPU
    MODEL,                    //!< MODEL: forward and input-gradient collectives on every NPU
    HYBRID_DATA_MODEL,        //!< model-parallel inside the first dimension, data across
    HYBRID_MODEL_DATA,        //!< data-parallel inside the first dimension, model across
    TRANSFORMER,              //!< HYBRID_TRANSFORMER, model_parallel_NPU_group given
    TRANSFORMER_FWD_IN_BCKWD, //!< HYBRID_TRANSFORMER_FWD_IN_BCKWD (checkpoints ignored)
    MICRO,                    //!< MICRO: the weight-gradient collectives alone
};

/**
 * \ingroup ai-fabric
 * \param p a parallelism type
 * \return its keyword in the file ("HYBRID_TRANSFORMER")
 */
std::string AstraSimParallelismName(AstraSimParallelism p);

/**
 * \ingroup ai-fabric
 * \brief One communication of a layer: NONE, or a collective and its size.
 */
struct AstraSimComm
{
    bool none{true};                           //!< NONE (or a size of 0): nothing is sent
    CollectiveOp op{CollectiveOp::ALL_REDUCE}; //!< the collective
    uint64_t bytes{0};                         //!< its size in bytes (our collective's S)
};

/**
 * \ingroup ai-fabric
 * \brief One layer line of an ASTRA-sim workload file.
 */
struct AstraSimLayer
{
    std::string name;        //!< the layer's name (field 1)
    int64_t reserved{-1};    //!< the reserved / dependency field (2), ignored
    uint64_t fwdCompute{0};  //!< forward compute, cycles (3)
    AstraSimComm fwdComm;    //!< forward communication (4, 5)
    uint64_t igCompute{0};   //!< input-gradient compute, cycles (6)
    AstraSimComm igComm;     //!< input-gradient communication (7, 8)
    uint64_t wgCompute{0};   //!< weight-gradient compute, cycles (9)
    AstraSimComm wgComm;     //!< weight-gradient communication (10, 11)
    uint64_t updateDelay{0}; //!< delay after each of the layer's collectives, cycles (12)
    SourceLocation where;    //!< its line
};

/**
 * \ingroup ai-fabric
 * \brief An ASTRA-sim text workload as read: the parallelism line and the layers.
 */
struct AstraSimWorkload
{
    std::string file;                                           //!< where it was read from
    SourceLocation where;                                       //!< its parallelism line
    AstraSimParallelism parallelism{AstraSimParallelism::DATA}; //!< line 1's keyword
    uint32_t modelParallelGroup{0};    //!< model_parallel_NPU_group (0: not in the file)
    std::vector<AstraSimLayer> layers; //!< the layers, in file order
};

/**
 * \ingroup ai-fabric
 * \brief How an ASTRA-sim workload becomes an execution graph.
 */
struct AstraSimImportOptions
{
    /// The clock ASTRA-sim's compute cycles tick at, in Hz: a compute of c cycles lasts
    /// c / clock seconds, rounded to the simulator's time resolution. 1 GHz (1 ns a cycle) is
    /// the clock ASTRA-sim's sample workloads assume.
    double clock{1e9};
    /// The model-parallel group of HYBRID_DATA_MODEL and HYBRID_MODEL_DATA, which ASTRA-sim
    /// takes from the first dimension of its topology (0: the GPUs of one server).
    uint32_t modelParallel{0};
};

/**
 * \ingroup ai-fabric
 * \brief Reads ASTRA-sim's layer-wise text workloads (the v1 `workload` files) and turns them
 * into an ExecutionGraph.
 *
 * The format (doc/astra-sim-import.md): line 1 the parallelism keyword (DATA, MODEL,
 * HYBRID_DATA_MODEL, HYBRID_MODEL_DATA, HYBRID_TRANSFORMER `model_parallel_NPU_group: N`,
 * HYBRID_TRANSFORMER_FWD_IN_BCKWD `model_parallel_NPU_group: N` with checkpoint lists, MICRO);
 * line 2 the number of layers; then one line per layer of twelve whitespace-separated fields:
 * name, reserved, forward compute, forward comm type, size, input-gradient compute, comm type,
 * size, weight-gradient compute, comm type, size, update delay. Times are cycles, sizes bytes,
 * comm types ALLREDUCE, ALLGATHER, REDUCESCATTER, ALLTOALL or NONE.
 *
 * Every problem is a WorkloadError reading `FILE:LINE:COLUMN: field 'NAME': ...`.
 */
class AstraSimWorkloadReader
{
  public:
    AstraSimWorkloadReader() = delete;

    /**
     * \brief Read a workload file.
     * \param path the file's path, used as the file name in error messages
     * \return the workload
     */
    static AstraSimWorkload ReadFile(const std::string& path);

    /**
     * \brief Read a workload given as text.
     * \param text the file's contents
     * \param name what error messages call it
     * \return the workload
     */
    static AstraSimWorkload ReadString(const std::string& text,
                                       const std::string& name = "<string>");

    /**
     * \brief The plan a workload runs with on a number of NPUs: tp is the model-parallel
     * group, dp the rest, order as ASTRA-sim's dimensions put them.
     * \param workload the workload
     * \param serverOfRank the server of each topology rank (its size is the NPU count)
     * \param options the clock and the hybrid types' model-parallel group
     * \return the validated description (WorkloadError if the NPUs do not divide)
     */
    static WorkloadDescription Describe(const AstraSimWorkload& workload,
                                        const std::vector<uint32_t>& serverOfRank,
                                        const AstraSimImportOptions& options = {});

    /**
     * \brief The execution graph of one training iteration, ASTRA-sim's training loop: the
     * forward pass layer by layer (a forward collective blocks the next layer), then the
     * backward pass from the last layer (an input-gradient collective blocks the next
     * compute; a weight-gradient collective overlaps the rest of the iteration).
     * \param workload the workload
     * \param serverOfRank the server of each topology rank (its size is the NPU count)
     * \param options the clock and the hybrid types' model-parallel group
     * \return the graph
     */
    static ExecutionGraph Build(const AstraSimWorkload& workload,
                                const std::vector<uint32_t>& serverOfRank,
                                const AstraSimImportOptions& options = {});
};

} // namespace ns3

#endif /* ASTRA_SIM_WORKLOAD_READER_H */
