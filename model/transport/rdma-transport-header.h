/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_TRANSPORT_HEADER_H
#define RDMA_TRANSPORT_HEADER_H

#include "ns3/header.h"
#include "ns3/ib-aeth-header.h"
#include "ns3/ib-bth-header.h"
#include "ns3/ib-reth-header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The transport headers of one RDMA packet: a BTH and the extended transport headers its
 * opcode calls for, in wire order (RETH, ImmDt, AETH).
 *
 * The BTH opcode decides which extended headers are present (IbOpcodeHasReth,
 * IbOpcodeHasImmediate, IbOpcodeHasAeth): RDMA WRITE First/Only carry a RETH, the
 * *_WITH_IMMEDIATE opcodes 4 bytes of immediate data, ACKNOWLEDGE an AETH. The bytes on the
 * wire are exactly those of IbBthHeader, IbRethHeader, ImmDt and IbAethHeader one after the
 * other; grouping them lets the transport add and read them with one Packet::AddHeader() and
 * one Packet::PeekHeader() per packet. This is the RDMA transport's wire format on every link
 * kind (InfiniBand, NVLink): the link layer frames it (LRH and CRCs on InfiniBand).
 */
class RdmaTransportHeader : public Header
{
  public:
    static constexpr uint32_t IMMEDIATE_SIZE = 4; //!< ImmDt bytes

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** \brief Construct a BTH-only header (opcode RC SEND Only). */
    RdmaTransportHeader();
    ~RdmaTransportHeader() override;

    /** \return the BTH, to read or set its fields */
    IbBthHeader& GetBth()
    {
        return m_bth;
    }

    /** \return the BTH */
    const IbBthHeader& GetBth() const
    {
        return m_bth;
    }

    /** \return the RETH (on the wire only when the opcode carries one) */
    IbRethHeader& GetReth()
    {
        return m_reth;
    }

    /** \return the RETH */
    const IbRethHeader& GetReth() const
    {
        return m_reth;
    }

    /** \return the AETH (on the wire only when the opcode carries one) */
    IbAethHeader& GetAeth()
    {
        return m_aeth;
    }

    /** \return the AETH */
    const IbAethHeader& GetAeth() const
    {
        return m_aeth;
    }

    /**
     * \brief Set the immediate data (on the wire only with a *_WITH_IMMEDIATE opcode).
     * \param immediate the ImmDt word
     */
    void SetImmediate(uint32_t immediate)
    {
        m_immediate = immediate;
    }

    /** \return the immediate data */
    uint32_t GetImmediate() const
    {
        return m_immediate;
    }

    /** \return true if the opcode carries a RETH */
    bool HasReth() const;
    /** \return true if the opcode carries immediate data */
    bool HasImmediate() const;
    /** \return true if the opcode carries an AETH */
    bool HasAeth() const;

    /**
     * \param opcode a BTH opcode
     * \return the bytes of the BTH and the extended headers that opcode carries
     */
    static uint32_t SizeFor(uint8_t opcode);

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    IbBthHeader m_bth;       //!< base transport header
    IbRethHeader m_reth;     //!< RDMA extended transport header
    IbAethHeader m_aeth;     //!< ACK extended transport header
    uint32_t m_immediate{0}; //!< immediate data
};

} // namespace ns3

#endif /* RDMA_TRANSPORT_HEADER_H */
