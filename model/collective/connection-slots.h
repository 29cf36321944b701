/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CONNECTION_SLOTS_H
#define CONNECTION_SLOTS_H

#include "collective-schedule.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NCCL's flow control between the ranks of a schedule, shared by both backends.
 *
 * A connection is a (sender, receiver, channel, lane) of the schedule. Its receiver has `slots`
 * receive buffers (NCCL_STEPS, 8), each holding one pipelined piece (CollectiveTransfer::slice)
 * of what the connection carries. A transfer keeps its piece's slot taken from when it is posted
 * until the receiver has consumed it: when the receiver has posted every transfer that forwards
 * the same chunk on from it, or, if none does, when the data has arrived.
 *
 * A transfer that depends on nothing (data its rank starts with: a tree leaf's pieces, a ring's
 * first step) waits while its connection's slots all hold other pieces; the earliest in the
 * schedule goes first. Without that a rank posts its whole buffer at once, and its packets queue
 * in the switches and take input buffers and egress turns from the connections the pipeline
 * waits for, which no NCCL run does. A transfer that forwards received data never waits, nor
 * does one whose piece already holds a slot: the data it forwards frees a slot upstream, and
 * pieces are consumed earliest first, so no schedule can deadlock on its slots.
 */
class ConnectionSlots
{
  public:
    /**
     * \param schedule the schedule (kept by reference: it must outlive this object)
     * \param slots receive buffers per connection; 0: unlimited (only program order holds)
     */
    ConnectionSlots(const CollectiveSchedule& schedule, uint32_t slots);

    /**
     * \brief A transfer's dependencies have completed and its step latency has passed.
     * \param transfer its index
     * \return the transfers to post now, in order (it, unless it waits for a slot)
     */
    std::vector<uint32_t> Ready(uint32_t transfer);

    /**
     * \brief Ready(uint32_t) without allocating.
     * \param transfer its index
     * \param out appended: the transfers to post now, in order
     */
    void Ready(uint32_t transfer, std::vector<uint32_t>& out);

    /**
     * \brief A transfer's data has arrived (and been reduced).
     * \param transfer its index
     * \return the transfers to post now, in order
     */
    std::vector<uint32_t> Arrived(uint32_t transfer);

    /**
     * \brief Arrived(uint32_t) without allocating.
     * \param transfer its index
     * \param out appended: the transfers to post now, in order
     */
    void Arrived(uint32_t transfer, std::vector<uint32_t>& out);

    /** \return transfers that are ready but wait for a slot */
    uint32_t GetHeld() const;

    /**
     * \brief A distributed run: only the senders' process keeps a connection's slots. Here a
     * slot of a transfer not marked local is not freed but set aside for its sender's process
     * (TakeRemoteFrees), which frees it with FreeRemote.
     * \param local per transfer: whether this process sends it
     */
    void SetLocal(std::vector<bool> local);

    /** \return the transfers whose slot freed here for another process, since the last call */
    std::vector<uint32_t> TakeRemoteFrees();

    /**
     * \brief Free the slot of a local transfer that another process consumed (it arrived
     * there, or was forwarded on from there).
     * \param transfer its index
     * \param out appended: the waiting transfers the freed slot lets go
     */
    void FreeRemote(uint32_t transfer, std::vector<uint32_t>& out);

    /**
     * \brief Report a stall: nothing is on its way, yet transfers wait for slots.
     * \param where the backend, for the message
     * \throw FabricConfigError always
     */
    [[noreturn]] void ThrowStalled(const std::string& where) const;

    /// Connections (and transfers per connection) a stall report lists before "...".
    static constexpr uint32_t MAX_STALLS_SHOWN = 8;

    /** \return the number of connections */
    uint32_t GetNConnections() const;

    /**
     * \param transfer a transfer's index
     * \return the index of its connection
     */
    uint32_t GetConnection(uint32_t transfer) const;

  private:
    /**
     * \brief A transfer is posted: take its slot and free those of the data it forwards.
     * \param transfer its index
     * \param out appended: it, and the waiting transfers the freed slots let go
     */
    void Post(uint32_t transfer, std::vector<uint32_t>& out);

    /**
     * \param transfer a transfer that depends on nothing
     * \return whether its connection has a slot for its piece
     */
    bool HasSlot(uint32_t transfer) const;

    /**
     * \brief The receiver has consumed a transfer: free its slot.
     * \param transfer its index
     * \param out appended: the waiting transfer the slot lets go, if any
     */
    void Free(uint32_t transfer, std::vector<uint32_t>& out);

    const CollectiveSchedule& m_schedule; //!< the schedule
    uint32_t m_slots;                     //!< slots per connection (0: unlimited)
    std::vector<uint32_t> m_connectionOf; //!< per transfer: its connection
    /// Per connection: (piece, transfers holding its slot), by piece (a few: the slots).
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> m_occupied;
    std::vector<std::set<uint32_t>> m_waiting; //!< per connection: sources waiting for a slot
    std::vector<uint32_t> m_forwarders;        //!< per transfer: forwarders not yet posted
    uint32_t m_held{0};                        //!< transfers waiting for a slot
    std::vector<bool> m_local;                 //!< distributed: sent by this process
    std::vector<uint32_t> m_remoteFrees;       //!< distributed: freed here for their sender
};

} // namespace ns3

#endif /* CONNECTION_SLOTS_H */
