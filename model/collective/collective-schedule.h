/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COLLECTIVE_SCHEDULE_H
#define COLLECTIVE_SCHEDULE_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup ai-fabric
/// The collective operations of a communicator, as NCCL names them.
enum class CollectiveOp
{
    ALL_REDUCE,     //!< every rank ends with the sum of every rank's buffer
    REDUCE_SCATTER, //!< rank r ends with shard r of the sum
    ALL_GATHER,     //!< every rank ends with every rank's shard
    BROADCAST,      //!< every rank ends with the root's buffer
    REDUCE,         //!< the root ends with the sum
    ALL_TO_ALL,     //!< rank r ends with shard r of every rank's buffer
    SEND_RECV,      //!< the root's buffer goes to one peer
};

/**
 * \ingroup ai-fabric
 * \param op an operation
 * \return its name ("all-reduce")
 */
std::string CollectiveOpName(CollectiveOp op);

/// \ingroup ai-fabric
/// What a transfer does: a point-to-point send, or an in-network operation of a group.
enum class TransferKind : uint8_t
{
    SEND,         //!< src sends the chunk to dst (over NVLink or the network)
    LOAD_REDUCE,  //!< NVLS multimem.ld_reduce: dst's copy becomes the sum of every member's copy
    MULTICAST,    //!< NVLS multimem.st: src's copy is written to every other member's copy
    GROUP_REDUCE, //!< SHARP all-reduce: every member's copy becomes the sum of all members' copies
};

/**
 * \ingroup ai-fabric
 * \brief One transfer of a schedule: `bytes` of chunk `chunk` from rank `src` to rank `dst`,
 * which either reduces them into its copy of the chunk or takes them as its copy.
 *
 * A transfer may start once every transfer in `deps` has completed (its data arrived and, if
 * reduced, the reduction is done); it completes when its data has arrived (plus the reduction).
 * `step` groups transfers that an algorithm runs at the same time (ring step k, tree level...):
 * the analytical backend shares a link among the transfers of one step that cross it.
 *
 * `via` names a rank of the sender's server that relays the data (NCCL's PXN): the sender hands
 * it over NVLink to that rank, whose HCA is on the receiver's rail, and that rank sends it on over
 * the network. The data's meaning is unchanged (it goes from src to dst); only its path is.
 *
 * In-network transfers (kind other than SEND) involve a group of ranks (`group`): NVLS's
 * load-reduce (src = dst = the requesting rank) and multicast store (src = dst = the storing
 * rank) on an NVSwitch, and SHARP's all-reduce of the group on InfiniBand switches (src = dst =
 * the group's first member). `reduce` is false for them.
 */
struct CollectiveTransfer
{
    uint32_t src{0};        //!< sending rank
    uint32_t dst{0};        //!< receiving rank
    uint32_t chunk{0};      //!< which chunk of the buffer (see CollectiveSchedule)
    uint64_t bytes{0};      //!< payload bytes
    bool reduce{false};     //!< the receiver adds them into its copy (else: replaces it)
    uint32_t step{0};       //!< concurrency group
    uint32_t slice{0};      //!< pipelined piece of the buffer it belongs to
    uint32_t channel{0};    //!< NCCL-like channel (each channel has its own connections)
    uint32_t lane{0};       //!< independent connection within a channel (each tree of two)
    uint32_t via{NO_RELAY}; //!< rank whose network port carries it (PXN), or NO_RELAY
    TransferKind kind{TransferKind::SEND}; //!< a send, or an in-network operation
    uint32_t group{0};                     //!< in-network: index in CollectiveSchedule::groups
    std::vector<uint32_t> deps; //!< transfers (indices in the schedule) that must complete first

    /// `via` of a transfer that goes straight from src to dst.
    static constexpr uint32_t NO_RELAY = UINT32_MAX;
};

/**
 * \ingroup ai-fabric
 * \brief What an algorithm turns (op, bytes, ranks) into: every rank's transfers with their
 * dependencies. Both backends (packet level and analytical) run the same schedule.
 *
 * The buffer is cut into `chunks` chunks. The initial and final contents of each rank's chunks
 * follow from the operation (see CollectiveSymbolicCheck): for all-reduce every rank starts
 * with its own contribution to every chunk; for reduce-scatter and all-gather, chunk c is shard
 * c mod nranks; for all-to-all, chunk (a * nranks + b) is what rank a sends to rank b.
 */
struct CollectiveSchedule
{
    CollectiveOp op{CollectiveOp::ALL_REDUCE}; //!< the operation
    uint32_t nranks{0};                        //!< ranks 0..nranks-1 (communicator ranks)
    uint32_t root{0};                          //!< broadcast, reduce, send/recv: the root
    uint32_t peer{0};                          //!< send/recv: the receiver
    uint64_t bytes{0};                         //!< the operation's size (nccl-tests' S)
    uint32_t chunks{0};                        //!< chunks of the buffer
    std::vector<uint64_t> chunkBytes;          //!< bytes of each chunk
    std::string algorithm;                     //!< which algorithm made it
    std::vector<CollectiveTransfer> transfers; //!< every transfer, in a valid order
    /// In-network groups: the communicator ranks of each (an NVLS multicast object's GPUs, a
    /// SHARP group's HCAs); in-network transfers name one by index.
    std::vector<std::vector<uint32_t>> groups;

    /**
     * \brief Check the structure: ranks, chunks and dependencies in range, dependencies only on
     * earlier transfers (so the listed order is a valid execution order), no self sends; an
     * in-network transfer names a group that holds its rank.
     * Throws FabricConfigError naming the transfer at fault.
     */
    void CheckStructure() const;

    /** \return the number of steps (largest step + 1) */
    uint32_t GetNSteps() const;

    /** \return true if any transfer is an in-network operation */
    bool HasInNetwork() const;
};

} // namespace ns3

#endif /* COLLECTIVE_SCHEDULE_H */
