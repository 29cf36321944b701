/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MPI_DISTRIBUTED_RELAY_H
#define MPI_DISTRIBUTED_RELAY_H

#include "distributed-relay.h"

#include "ns3/packet.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief DistributedRelay over ns-3's MPI engine. Install() adds one mailbox node per process
 * (a node of that system with a SimpleNetDevice that no channel joins, so lookahead and
 * counters never see it); a completion goes by MpiInterface::SendPacket to the mailbox of the
 * process concerned, due one lookahead later: the smallest delay of a cable cut between
 * processes. AllReduce is MPI_Allreduce on MpiInterface::GetCommunicator(). Built only with
 * ns-3's mpi module.
 */
class MpiDistributedRelay : public DistributedRelay
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    MpiDistributedRelay();
    ~MpiDistributedRelay() override;

    /**
     * \brief Create the mailboxes and find the lookahead. Call on every process in the same
     * order relative to other node creation (after the fabric is built and partitioned).
     */
    void Install();

    uint32_t GetSystemId() const override;
    uint32_t GetSystemCount() const override;
    Time GetLookahead() const override;
    void SendCompletion(uint32_t system, uint32_t index) override;
    void AllReduce(std::vector<int64_t>& maxima, std::vector<uint64_t>& sums) override;

    /** \return completion messages sent by this process */
    uint64_t GetMessagesSent() const;

  private:
    /** \param message a completion message that arrived at this process's mailbox */
    void Receive(Ptr<Packet> message);

    std::vector<uint32_t> m_mailbox; //!< per process: its mailbox node's id
    Time m_lookahead;                //!< smallest cut cable delay
    uint64_t m_sent{0};              //!< messages sent
};

} // namespace ns3

#endif /* MPI_DISTRIBUTED_RELAY_H */
