/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CREDIT_FLOW_CONTROL_H
#define CREDIT_FLOW_CONTROL_H

#include "ns3/nstime.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Credit-based link-level flow control, InfiniBand style, in 64-byte blocks per VL.
 *
 * The receiver of a link keeps, per data VL, ABR (blocks received) and the free room of its
 * input buffer, and advertises FCCL = ABR + free blocks in flow-control packets (FCPs). The
 * sender keeps FCTBS (blocks sent) and may send a packet of b blocks on a VL only while
 * FCTBS + b <= FCCL. (Fact sheet §3, after the Mellanox IB model: "FCCL = ABR + FREE".)
 *
 * Counters are kept cumulative in 64 bits; the 12-bit modulo-4096 wire fields are what
 * ToWireField() gives. Link errors are not modelled, so ABR never needs resynchronising.
 */
class CreditFlowControl
{
  public:
    /// Bytes in one credit block.
    static constexpr uint32_t BLOCK_BYTES = 64;

    /**
     * \param bytes packet size on the wire
     * \return the number of 64-byte blocks the packet takes
     */
    static uint32_t BlocksFor(uint32_t bytes)
    {
        return (bytes + BLOCK_BYTES - 1) / BLOCK_BYTES;
    }

    /**
     * \param counter a cumulative block counter (FCTBS, ABR or FCCL)
     * \return its 12-bit value as carried in a flow-control packet
     */
    static uint16_t ToWireField(uint64_t counter)
    {
        return static_cast<uint16_t>(counter & 0x0FFF);
    }
};

/**
 * \ingroup ai-fabric
 * \brief The sending end of a credited link direction: FCTBS and the FCCL last heard, per VL.
 *
 * FCPs travel on the reverse link and take time to arrive. Their arrival is recorded here as
 * a pending update with its arrival time and applied lazily, the next time the sender looks
 * at its credits: an FCP costs a simulator event only when the sender is stalled waiting
 * for it (the device schedules that wake-up).
 */
class CreditSender
{
  public:
    /**
     * \brief Start a link: the receiver's initial advertisement (the FCP "init" operation).
     * \param numVls number of data VLs
     * \param initialLimit the receiver's buffer size in blocks, per VL
     */
    void Reset(uint8_t numVls, uint64_t initialLimit);

    /**
     * \param vl the VL
     * \param blocks blocks the packet needs
     * \return true if the advertised limit leaves room for the packet
     */
    bool CanSend(uint8_t vl, uint32_t blocks) const
    {
        return m_sent[vl] + blocks <= m_limit[vl];
    }

    /**
     * \brief Count a packet as sent.
     * \param vl the VL
     * \param blocks its size in blocks
     */
    void Consume(uint8_t vl, uint32_t blocks)
    {
        m_sent[vl] += blocks;
    }

    /**
     * \brief Record an FCP that will arrive at a given time.
     * \param arrival when its last bit reaches this sender
     * \param vl the VL it refers to
     * \param limit the FCCL it carries
     */
    void AddUpdate(Time arrival, uint8_t vl, uint64_t limit);

    /**
     * \brief Apply every FCP that has arrived by now.
     * \param now the current time
     */
    void ApplyArrived(Time now)
    {
        while (!m_inFlight.empty() && m_inFlight.front().arrival <= now)
        {
            const Update& u = m_inFlight.front();
            if (u.limit > m_limit[u.vl])
            {
                m_limit[u.vl] = u.limit;
            }
            m_inFlight.pop_front();
        }
    }

    /** \return true if an FCP is still on its way */
    bool HasUpdateInFlight() const
    {
        return !m_inFlight.empty();
    }

    /** \return the arrival time of the next FCP on its way (HasUpdateInFlight() must hold) */
    Time NextUpdateArrival() const
    {
        return m_inFlight.front().arrival;
    }

    /**
     * \param vl the VL
     * \return FCTBS, blocks sent so far on the VL
     */
    uint64_t GetBlocksSent(uint8_t vl) const
    {
        return m_sent[vl];
    }

    /**
     * \param vl the VL
     * \return the FCCL last applied on the VL
     */
    uint64_t GetCreditLimit(uint8_t vl) const
    {
        return m_limit[vl];
    }

    /**
     * \param vl the VL
     * \return the FCCL the VL will have once every FCP now on its way has been applied (the
     * largest of the one applied and those in flight): what a quiet link settles at
     */
    uint64_t GetEventualCreditLimit(uint8_t vl) const
    {
        uint64_t limit = m_limit[vl];
        for (const Update& u : m_inFlight)
        {
            if (u.vl == vl && u.limit > limit)
            {
                limit = u.limit;
            }
        }
        return limit;
    }

  private:
    /// An FCP on its way back to this sender.
    struct Update
    {
        Time arrival;   //!< when it arrives
        uint8_t vl;     //!< VL it refers to
        uint64_t limit; //!< FCCL it carries
    };

    std::vector<uint64_t> m_sent;  //!< FCTBS per VL
    std::vector<uint64_t> m_limit; //!< FCCL per VL
    std::deque<Update> m_inFlight; //!< FCPs on the reverse link, in arrival order
};

/**
 * \ingroup ai-fabric
 * \brief The receiving end: an input buffer per VL and the credit limit it advertises.
 */
class CreditReceiver
{
  public:
    /**
     * \param numVls number of data VLs
     * \param capacityBlocks buffer size per VL, in blocks
     */
    void Reset(uint8_t numVls, uint32_t capacityBlocks);

    /**
     * \brief Take a packet into the buffer.
     * \param vl its VL
     * \param blocks its size in blocks
     * \return false if it does not fit (possible only when the sender ignores credits)
     */
    bool Accept(uint8_t vl, uint32_t blocks)
    {
        if (m_occupied[vl] + blocks > m_capacity)
        {
            return false;
        }
        m_occupied[vl] += blocks;
        m_received[vl] += blocks;
        return true;
    }

    /**
     * \brief A packet has left the buffer: its blocks are free again.
     * \param vl its VL
     * \param blocks its size in blocks
     */
    void Release(uint8_t vl, uint32_t blocks)
    {
        m_occupied[vl] -= blocks;
    }

    /**
     * \param vl the VL
     * \return FCCL = ABR + free blocks, what an FCP sent now carries
     */
    uint64_t GetCreditLimit(uint8_t vl) const
    {
        return m_received[vl] + m_capacity - m_occupied[vl];
    }

    /**
     * \param vl the VL
     * \return blocks held in the buffer
     */
    uint32_t GetOccupiedBlocks(uint8_t vl) const
    {
        return m_occupied[vl];
    }

    /** \return buffer size per VL, in blocks */
    uint32_t GetCapacityBlocks() const
    {
        return m_capacity;
    }

  private:
    uint32_t m_capacity{0};           //!< blocks per VL
    std::vector<uint32_t> m_occupied; //!< blocks held, per VL
    std::vector<uint64_t> m_received; //!< ABR per VL
};

} // namespace ns3

#endif /* CREDIT_FLOW_CONTROL_H */
