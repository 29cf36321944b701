/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_AETH_HEADER_H
#define IB_AETH_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief InfiniBand ACK Extended Transport Header (AETH), 4 bytes.
 *
 * One big-endian 32-bit word: Syndrome (bits 31:24) and MSN (bits 23:0). Bits 30:29 of the
 * word (6:5 of the syndrome) give the type: 00 ACK (low five bits: credit count, 0x1F = none
 * or invalid), 01 RNR NAK (low five bits: RNR timer code), 11 NAK (low five bits: NAK code).
 * After the Linux kernel's include/rdma/ib_hdrs.h.
 */
class IbAethHeader : public Header
{
  public:
    static constexpr uint32_t SIZE = 4;           //!< Serialized size in bytes
    static constexpr uint32_t MAX_MSN = 0xFFFFFF; //!< Largest 24-bit message sequence number

    static constexpr uint8_t SYNDROME_TYPE_MASK = 0x60;  //!< Syndrome bits giving the type
    static constexpr uint8_t SYNDROME_VALUE_MASK = 0x1F; //!< Syndrome bits giving the value
    static constexpr uint8_t SYNDROME_ACK = 0x00;        //!< Type bits of an ACK
    static constexpr uint8_t SYNDROME_RNR_NAK = 0x20;    //!< Type bits of an RNR NAK
    static constexpr uint8_t SYNDROME_NAK = 0x60;        //!< Type bits of a NAK

    static constexpr uint8_t CREDITS_INVALID = 0x1F; //!< ACK credit count meaning "none/invalid"

    static constexpr uint8_t NAK_PSN_SEQUENCE_ERROR = 0x60;       //!< NAK: PSN sequence error
    static constexpr uint8_t NAK_INVALID_REQUEST = 0x61;          //!< NAK: invalid request
    static constexpr uint8_t NAK_REMOTE_ACCESS_ERROR = 0x62;      //!< NAK: remote access error
    static constexpr uint8_t NAK_REMOTE_OPERATIONAL_ERROR = 0x63; //!< NAK: remote op. error
    static constexpr uint8_t NAK_INVALID_RD_REQUEST = 0x64;       //!< NAK: invalid RD request

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Construct an ACK with credit count 0x1F (invalid) and MSN 0.
     */
    IbAethHeader();
    ~IbAethHeader() override;

    /**
     * \brief Make a positive acknowledgement.
     * \param msn the message sequence number, 0..0xFFFFFF
     * \param credits the credit count, 0..0x1F (0x1F: none/invalid)
     * \return the AETH
     */
    static IbAethHeader MakeAck(uint32_t msn, uint8_t credits = CREDITS_INVALID);

    /**
     * \brief Make a negative acknowledgement.
     * \param nakCode the full syndrome byte, one of the NAK_* constants (0x60..0x7F)
     * \param msn the message sequence number, 0..0xFFFFFF
     * \return the AETH
     */
    static IbAethHeader MakeNak(uint8_t nakCode, uint32_t msn);

    /**
     * \brief Make a Receiver-Not-Ready negative acknowledgement.
     * \param timerCode the RNR timer code, 0..0x1F
     * \param msn the message sequence number, 0..0xFFFFFF
     * \return the AETH
     */
    static IbAethHeader MakeRnrNak(uint8_t timerCode, uint32_t msn);

    /**
     * \brief Set the syndrome byte.
     * \param syndrome the syndrome, 0..0x7F (bit 7 is reserved)
     */
    void SetSyndrome(uint8_t syndrome);
    /**
     * \brief Get the syndrome byte.
     * \return the syndrome
     */
    uint8_t GetSyndrome() const;

    /**
     * \brief Set the message sequence number.
     * \param msn the MSN, 0..0xFFFFFF (24 bits)
     */
    void SetMsn(uint32_t msn);
    /**
     * \brief Get the message sequence number.
     * \return the MSN (24 bits)
     */
    uint32_t GetMsn() const;

    /**
     * \brief Whether this is a positive acknowledgement.
     * \return true if the syndrome type is ACK
     */
    bool IsAck() const;
    /**
     * \brief Whether this is a NAK (not an RNR NAK).
     * \return true if the syndrome type is NAK
     */
    bool IsNak() const;
    /**
     * \brief Whether this is a Receiver-Not-Ready NAK.
     * \return true if the syndrome type is RNR NAK
     */
    bool IsRnrNak() const;

    /**
     * \brief Get the NAK code; only valid when IsNak().
     * \return the full syndrome byte, comparable with the NAK_* constants
     */
    uint8_t GetNakCode() const;
    /**
     * \brief Get the credit count; only valid when IsAck().
     * \return the credit count, 0..0x1F
     */
    uint8_t GetCredits() const;
    /**
     * \brief Get the RNR timer code; only valid when IsRnrNak().
     * \return the timer code, 0..0x1F
     */
    uint8_t GetRnrTimerCode() const;

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint8_t m_syndrome; //!< Syndrome
    uint32_t m_msn;     //!< Message sequence number (24 bits)
};

} // namespace ns3

#endif /* IB_AETH_HEADER_H */
