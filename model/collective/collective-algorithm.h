/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COLLECTIVE_ALGORITHM_H
#define COLLECTIVE_ALGORITHM_H

#include "collective-schedule.h"

#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Where the ranks of a communicator are: the server of each rank.
 *
 * The ranks of one server form its local group (they share NVLink); ranks of different servers
 * talk over the network. Server indices are labels: only equality matters. Servers are ordered
 * by their first rank, and the ranks of a server by rank.
 */
struct RankLayout
{
    std::vector<uint32_t> server; //!< server index of each communicator rank
    /**
     * Rail of each rank: which of its server's network ports (HCAs) it uses, numbered alike on
     * every server (rail i of one server and rail i of another meet on the same leaf switches of
     * a rail-optimised fabric). Empty: unknown, every rank counts as rail 0.
     */
    std::vector<uint32_t> rail;

    /**
     * \param nranks number of ranks
     * \return a layout with one rank per server
     */
    static RankLayout Flat(uint32_t nranks);

    /**
     * \param servers number of servers
     * \param ranksPerServer ranks on each server
     * \return a layout where server s holds ranks s * ranksPerServer ... (s + 1) * ranksPerServer -
     * 1
     */
    static RankLayout Uniform(uint32_t servers, uint32_t ranksPerServer);

    /** \return the number of ranks */
    uint32_t GetNRanks() const;

    /**
     * \param rank a rank
     * \return its rail (0 when the layout has no rails)
     */
    uint32_t GetRail(uint32_t rank) const;

    /**
     * \return the ranks of each server: servers in the order of their first rank, each server's
     * ranks in increasing order
     */
    std::vector<std::vector<uint32_t>> GetServerRanks() const;
};

/**
 * \ingroup ai-fabric
 * \brief Turns a collective operation on a communicator into a CollectiveSchedule.
 *
 * Build() cuts the buffer into chunks and lets the algorithm (a subclass) move them:
 *
 * - the algorithm runs on *slices*: each slice is cut into a fixed number of *slots* (the
 *   algorithm's unit: n for a ring all-reduce, two for the double binary tree...), each slot one
 *   chunk of the schedule. Chunk c of the schedule is slot (c mod slots) of slice (c / slots);
 *   for reduce-scatter and all-gather the slots are the n shards (chunk c is shard c mod n), for
 *   all-to-all the n * n (source, destination) pairs (chunk c is pair c mod n^2, see
 *   CollectiveSymbolicCheck).
 * - `Channels` splits every slot's bytes over that many channels, each an independent copy of
 *   the algorithm on its share; its transfers carry the channel's index.
 * - `ChunkSize` (if not 0) cuts each channel's share of each slot into pieces of at most
 *   ChunkSize bytes, so that no chunk (and no transfer) exceeds it. The pieces of a channel are
 *   slices that pipeline through the algorithm's steps: step k of piece p is step p + k of the
 *   schedule.
 *
 * `Pxn` (on by default) routes every transfer between servers whose two ranks sit on different
 * rails through the rank of the sender's server on the receiver's rail (NCCL's PXN, "proxy over
 * NVLink"): the sender hands the data over NVLink to that rank, whose HCA sends it, so network
 * traffic stays on one rail and off the spines. It needs the layout's rails; the relay must be a
 * rank of the communicator.
 *
 * Bytes are split exactly: a total that does not divide gives its remainder, one byte each, to
 * the first slots, channels and pieces. A chunk that gets no bytes (an operation of fewer bytes
 * than chunks) is left out of the schedule: it has no transfers.
 *
 * Dependencies follow from the data: the builder tracks, for every rank's copy of every chunk,
 * which transfers wrote and read it, and makes each transfer wait for what it must (the transfer
 * that brought the data it sends; for a write, earlier accesses to what it overwrites), reduced
 * to the transfers not already implied by the others. Reductions into one chunk commute and do
 * not wait for each other. Transfers are listed by step; every dependency has a smaller step.
 *
 * An operation of 0 bytes gives a schedule with no chunks; one rank gives one chunk (all bytes)
 * and no transfers.
 */
class CollectiveAlgorithm : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    CollectiveAlgorithm();
    ~CollectiveAlgorithm() override;

    /**
     * \brief Build the schedule of one operation.
     * \param op the operation
     * \param bytes its size S as nccl-tests counts it: the buffer for all-reduce, broadcast and
     * reduce; the whole output (n shards) for reduce-scatter and all-gather; each rank's send
     * buffer (n pieces, one per destination) for all-to-all; the message for send/recv
     * \param layout the server of each rank
     * \param root broadcast, reduce and send/recv: the root (sender)
     * \param peer send/recv: the receiver
     * \return the schedule
     *
     * Throws FabricConfigError when the layout is empty, the root or peer is out of range (or the
     * peer is the root), or the algorithm does not support the operation on this layout.
     */
    CollectiveSchedule Build(CollectiveOp op,
                             uint64_t bytes,
                             const RankLayout& layout,
                             uint32_t root = 0,
                             uint32_t peer = 1) const;

    /**
     * \param op an operation
     * \param layout a layout
     * \return whether this algorithm implements op on that layout
     */
    virtual bool Supports(CollectiveOp op, const RankLayout& layout) const;

    /**
     * \param op an operation
     * \param layout a layout
     * \return "" if this algorithm implements op on that layout, else why not
     */
    virtual std::string GetUnsupportedReason(CollectiveOp op, const RankLayout& layout) const = 0;

    /** \return the algorithm's name, as schedules carry it ("ring") */
    virtual std::string GetName() const = 0;

    /** \return the number of channels */
    uint32_t GetChannels() const;

    /** \return the largest chunk in bytes (0: no pipelining) */
    uint64_t GetChunkSize() const;

    /**
     * \brief NCCL's PXN: give every transfer between servers whose ranks are on different rails
     * the relay on the receiver's rail in the sender's server, where the communicator has one.
     * \param schedule the schedule
     * \param layout its layout (with rails)
     */
    static void AddRailRelays(CollectiveSchedule& schedule, const RankLayout& layout);

    /**
     * \brief The order of a server's ranks for a channel, as NCCL's ring and tree graphs have
     * it: channel c enters the server through rail (c mod rails) and visits the rest in rank
     * order from there, so that the channels spread over every rail.
     * \param ranks the server's ranks, in rank order
     * \param layout the layout
     * \param channel the channel
     * \return the ranks in channel order
     */
    static std::vector<uint32_t> GetChannelOrder(const std::vector<uint32_t>& ranks,
                                                 const RankLayout& layout,
                                                 uint32_t channel);

    /**
     * \brief Receives the transfers of one slice from an algorithm (for subclasses and their
     * helpers), and turns them into
     * transfers of the schedule with their chunk, channel, step and dependencies.
     *
     * The algorithm must add a slice's transfers in an order in which they can run one after the
     * other (a valid sequential order): dependencies are derived from it.
     */
    class SliceBuilder
    {
      public:
        /**
         * \brief Start building into a schedule.
         * \param schedule the schedule (chunks and chunk sizes set; transfers appended)
         * \param slots chunks per slice
         */
        SliceBuilder(CollectiveSchedule& schedule, uint32_t slots);

        /**
         * \brief Start a slice.
         * \param firstChunk the schedule chunk of slot 0
         * \param channel the channel
         * \param stepOffset added to every step of the slice (the piece's index)
         */
        void BeginSlice(uint32_t firstChunk, uint32_t channel, uint32_t stepOffset);

        /**
         * \brief Add a transfer of the slice. A slot of no bytes adds nothing.
         * \param src sending rank
         * \param dst receiving rank
         * \param slot the slot (chunk of the slice)
         * \param reduce whether the receiver adds the data into its copy (else replaces it)
         * \param step the algorithm's step; it must exceed the step of every transfer it depends on
         */
        void Send(uint32_t src, uint32_t dst, uint32_t slot, bool reduce, uint32_t step);

        /**
         * \brief Add an in-network group to the schedule (or find it, if it has one of the same
         * members).
         * \param members its communicator ranks
         * \return its index in CollectiveSchedule::groups
         */
        uint32_t AddGroup(const std::vector<uint32_t>& members);

        /**
         * \brief Add an in-network transfer of the slice (see TransferKind). A slot of no bytes
         * adds nothing.
         * \param kind LOAD_REDUCE, MULTICAST or GROUP_REDUCE
         * \param rank the rank that issues it (a member of the group)
         * \param group the group (AddGroup())
         * \param slot the slot
         * \param step the algorithm's step (as for Send())
         */
        void InNetwork(TransferKind kind,
                       uint32_t rank,
                       uint32_t group,
                       uint32_t slot,
                       uint32_t step);

        /** \return the number of ranks */
        uint32_t GetNRanks() const;

        /** \return the channel of the slice being built */
        uint32_t GetChannel() const;

        /** \brief Sort the schedule's transfers by step (a valid order, deps renumbered). */
        void Finish();

      private:
        /**
         * \brief Append a transfer, with the dependencies its data accesses imply.
         * \param t the transfer (src, dst, kind, group, reduce set)
         * \param reads ranks whose copy of the slot it reads
         * \param writes ranks whose copy it reduces into (reduce) or overwrites
         * \param reduce whether the writes reduce
         * \param slot the slot
         * \param step the algorithm's step
         */
        void Add(CollectiveTransfer t,
                 const std::vector<uint32_t>& reads,
                 const std::vector<uint32_t>& writes,
                 bool reduce,
                 uint32_t slot,
                 uint32_t step);

        /// The accesses to one rank's copy of one chunk since its last overwrite.
        struct Location
        {
            std::vector<uint32_t> writers; //!< last copy (if any, first) and reductions since
            std::vector<uint32_t> readers; //!< transfers that sent it since the last copy
            bool copied{false};            //!< whether writers starts with a copy
            bool touched{false};           //!< flat table: listed in m_touched
        };

        /**
         * The ancestors of a transfer among its slot's earlier transfers (by index within the
         * slot): every index below `prefix`, and the bits set in `words` words of the slot's
         * arena from `offset`, which cover indices from 64 x (prefix / 64) on. In a pipeline
         * almost every earlier transfer is an ancestor, so the words are few or none, where a
         * plain bitset costs each transfer a bit per earlier one (O(L^2) per slot of L).
         */
        struct Ancestry
        {
            uint32_t prefix{0}; //!< indices below it are all ancestors
            uint32_t words{0};  //!< arena words for the indices above
            uint64_t offset{0}; //!< where they start in the slot's arena
        };

        /**
         * \param rank a rank
         * \param slot a slot
         * \return the accesses to rank's copy of the slot
         */
        Location& At(uint32_t rank, uint32_t slot);

        CollectiveSchedule& m_schedule;                     //!< what is built
        uint32_t m_slots;                                   //!< chunks per slice
        uint32_t m_firstChunk{0};                           //!< chunk of slot 0
        uint32_t m_channel{0};                              //!< channel of the slice
        uint32_t m_stepOffset{0};                           //!< step offset of the slice
        std::unordered_map<uint64_t, Location> m_locations; //!< (rank, slot) accesses, if sparse
        std::vector<Location> m_flat;               //!< (rank, slot) accesses, rank x slots + slot
        std::vector<uint64_t> m_touched;            //!< m_flat entries used by the slice
        std::vector<uint32_t> m_slotCount;          //!< transfers of each slot in the slice
        std::vector<std::vector<uint64_t>> m_arena; //!< per slot: the Ancestry words
        std::vector<Ancestry> m_ancestry;           //!< per transfer of the slice
        uint32_t m_sliceBegin{0};                   //!< index of the slice's first transfer
        std::vector<uint32_t> m_local;              //!< index within its slot's list
        std::vector<uint64_t> m_window;             //!< scratch: the ancestors being merged
        std::vector<uint32_t> m_reads;              //!< scratch: what a send reads
        std::vector<uint32_t> m_writes;             //!< scratch: what a send writes
        std::vector<uint32_t> m_candidates;         //!< scratch: candidate dependencies
        std::vector<uint32_t> m_deps;               //!< scratch: the dependencies kept
    };

  protected:
    /**
     * \param op an operation the algorithm supports, other than reduce-scatter, all-gather and
     * all-to-all (whose slots are the shards and the pairs)
     * \param layout the layout
     * \return the number of slots of a slice
     */
    virtual uint32_t GetSlots(CollectiveOp op, const RankLayout& layout) const = 0;

    /**
     * \param op the operation being built
     * \return true if each rank must finish a step (all it sends and receives in it) before
     * starting the next, as bulk-synchronous step loops do; false (the default) lets chunk
     * dependencies alone order the transfers (pipelines)
     */
    virtual bool IsStepSynchronous(CollectiveOp op) const;

    /**
     * \param op the operation being built
     * \return true if each slot's transfers use connections of their own (lane = slot), as the
     * two trees of NCCL's double binary tree run on channels of their own
     */
    virtual bool HasSlotLanes(CollectiveOp op) const;

    /**
     * \brief Make every transfer of step k depend on the step k - 1 transfers its sender sent
     * or received (same channel).
     * \param schedule the schedule
     */
    static void SynchroniseSteps(CollectiveSchedule& schedule);

    /**
     * \brief Add the transfers of one slice.
     * \param builder where to add them
     * \param op the operation
     * \param layout the layout (at least two ranks)
     * \param root the root (broadcast, reduce, send/recv)
     * \param peer the receiver (send/recv)
     */
    virtual void BuildSlice(SliceBuilder& builder,
                            CollectiveOp op,
                            const RankLayout& layout,
                            uint32_t root,
                            uint32_t peer) const = 0;

    /**
     * \brief Ring reduce-scatter: at step k the rank at ring position i sends group
     * (i - k - 1) mod m to position i + 1, which reduces it; after m - 1 steps position i holds
     * group i complete.
     * \param builder the builder
     * \param ring the ranks in ring order (m of them)
     * \param groups the slots of each position's group (m groups)
     * \param firstStep the step of the first transfers
     * \return the step after the last
     */
    static uint32_t AddRingReduceScatter(SliceBuilder& builder,
                                         const std::vector<uint32_t>& ring,
                                         const std::vector<std::vector<uint32_t>>& groups,
                                         uint32_t firstStep);

    /**
     * \brief Ring all-gather: at step k the rank at position i sends group (i - k) mod m to
     * position i + 1, which takes it; position i starts with group i.
     * \param builder the builder
     * \param ring the ranks in ring order (m of them)
     * \param groups the slots of each position's group (m groups)
     * \param firstStep the step of the first transfers
     * \return the step after the last
     */
    static uint32_t AddRingAllGather(SliceBuilder& builder,
                                     const std::vector<uint32_t>& ring,
                                     const std::vector<std::vector<uint32_t>>& groups,
                                     uint32_t firstStep);

    /**
     * \brief A chain: `chain[0]` sends slot to chain[1], which sends it on, and so on.
     * \param builder the builder
     * \param chain the ranks in order
     * \param slot the slot
     * \param reduce whether each receiver reduces (a reduce chain) or takes (a broadcast chain)
     * \param firstStep the step of the first transfer
     * \return the step after the last
     */
    static uint32_t AddChain(SliceBuilder& builder,
                             const std::vector<uint32_t>& chain,
                             uint32_t slot,
                             bool reduce,
                             uint32_t firstStep);

  private:
    uint32_t m_channels;  //!< channels
    uint64_t m_chunkSize; //!< largest chunk in bytes (0: no pipelining)
    bool m_pxn;           //!< relay cross-rail transfers through the receiver's rail (PXN)
};

} // namespace ns3

#endif /* COLLECTIVE_ALGORITHM_H */
