/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DISTRIBUTED_RELAY_H
#define DISTRIBUTED_RELAY_H

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What a PacketExecutor needs from the other simulator processes of a distributed run
 * (ns-3's MPI engine), besides the packets that cross the cut cables.
 *
 * Each process runs the executor for the whole schedule but acts only for its own ranks: it
 * posts the transfers its ranks send and completes those its ranks receive. What another
 * process needs travels as a message, handled there one lookahead later with the time it
 * happened: a completion that a transfer it sends depends on, and the freeing of a receive
 * slot of a connection it sends on (ConnectionSlots: when the receiver forwards the piece, or
 * when it arrives if nothing forwards it). After Simulator::Run, AllReduce combines what each
 * process saw. MpiDistributedRelay is the implementation over MPI.
 */
class DistributedRelay : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DistributedRelay();
    ~DistributedRelay() override;

    /// Runs on the receiving process: transfer `index` completed at `when`.
    typedef Callback<void, uint32_t, Time> CompletionCallback;

    /** \return this process's system id (ns-3 Node system id) */
    virtual uint32_t GetSystemId() const = 0;

    /** \return how many processes take part */
    virtual uint32_t GetSystemCount() const = 0;

    /** \return how long a message to another process takes (at least the engine's lookahead) */
    virtual Time GetLookahead() const = 0;

    /**
     * \brief Tell another process that something happened to a transfer now (it completed,
     * or its receive slot freed: the executor sets the top bit); the completion callback runs
     * there GetLookahead() from now, with the same word and the time.
     * \param system the process
     * \param index the transfer's index, top bit as the executor uses it
     */
    virtual void SendCompletion(uint32_t system, uint32_t index) = 0;

    /**
     * \brief Combine over every process, in place: each element of `maxima` becomes the
     * largest any process has, each of `sums` the sum. Every process must call it, with
     * vectors of the same sizes (after Simulator::Run).
     * \param maxima values to take the maximum of
     * \param sums values to add up
     */
    virtual void AllReduce(std::vector<int64_t>& maxima, std::vector<uint64_t>& sums) = 0;

    /** \param callback what runs when another process's completion message arrives */
    void SetCompletionCallback(CompletionCallback callback);

  protected:
    /**
     * \brief Hand an arrived completion message to the executor.
     * \param index the transfer
     * \param when when it completed, on the sender's process
     */
    void Deliver(uint32_t index, Time when);

    void DoDispose() override;

  private:
    CompletionCallback m_callback; //!< the executor's handler
};

} // namespace ns3

#endif /* DISTRIBUTED_RELAY_H */
