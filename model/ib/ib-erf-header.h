/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_ERF_HEADER_H
#define IB_ERF_HEADER_H

#include "ns3/header.h"
#include "ns3/nstime.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Endace ERF record header (16 bytes), put before each packet in a pcap file of link
 *        type 197 (DLT_ERF) so that Wireshark decodes InfiniBand.
 *
 * Wire layout:
 *
 * \verbatim
   bytes 0-7  : timestamp, LITTLE-endian ERF fixed point: upper 32 bits seconds, lower 32 bits
                binary fraction of a second
   byte 8     : type (bit 7: extension headers present; 21 = InfiniBand)
   byte 9     : flags (bits 1:0 capture interface, 2 varying record length, 3 truncated,
                4 rx error, 5 ds error)
   bytes 10-11: rlen, big-endian: record length including this header
   bytes 12-13: lctr, big-endian: loss counter
   bytes 14-15: wlen, big-endian: wire length of the packet
   \endverbatim
 *
 * The record that follows holds the InfiniBand packet from the LRH to the VCRC.
 */
class IbErfHeader : public Header
{
  public:
    static constexpr uint32_t SIZE = 16;                 //!< Serialized size in bytes
    static constexpr uint8_t TYPE_INFINIBAND = 21;       //!< ERF type: InfiniBand packet
    static constexpr uint8_t FLAG_VARYING_LENGTH = 0x04; //!< Flags bit: varying record length
    static constexpr uint8_t FLAG_TRUNCATED = 0x08;      //!< Flags bit: record truncated

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Construct a header with timestamp 0, type 21 (InfiniBand), flags 0x04 (varying
     *        record length, interface 0), rlen 16, lctr 0 and wlen 0.
     */
    IbErfHeader();
    ~IbErfHeader() override;

    /**
     * \brief Set the timestamp.
     * \param t the time, not negative; rounded to the nearest 2^-32 s
     */
    void SetTimestamp(Time t);
    /**
     * \brief Get the timestamp.
     * \return the time, rounded to the nearest nanosecond
     */
    Time GetTimestamp() const;

    /**
     * \brief Set the raw ERF fixed-point timestamp.
     * \param ts seconds in the upper 32 bits, binary fraction in the lower 32 bits
     */
    void SetRawTimestamp(uint64_t ts);
    /**
     * \brief Get the raw ERF fixed-point timestamp.
     * \return seconds in the upper 32 bits, binary fraction in the lower 32 bits
     */
    uint64_t GetRawTimestamp() const;

    /**
     * \brief Set the record type.
     * \param type the type byte (TYPE_INFINIBAND by default)
     */
    void SetType(uint8_t type);
    /**
     * \brief Get the record type.
     * \return the type byte
     */
    uint8_t GetType() const;

    /**
     * \brief Set the flags byte.
     * \param flags the flags
     */
    void SetFlags(uint8_t flags);
    /**
     * \brief Get the flags byte.
     * \return the flags
     */
    uint8_t GetFlags() const;

    /**
     * \brief Set the record length.
     * \param rlen bytes of the record, this 16-byte header included
     */
    void SetRecordLength(uint16_t rlen);
    /**
     * \brief Get the record length.
     * \return bytes of the record, this 16-byte header included
     */
    uint16_t GetRecordLength() const;

    /**
     * \brief Set the loss counter.
     * \param lctr records lost before this one
     */
    void SetLossCounter(uint16_t lctr);
    /**
     * \brief Get the loss counter.
     * \return records lost before this one
     */
    uint16_t GetLossCounter() const;

    /**
     * \brief Set the wire length.
     * \param wlen bytes of the packet on the wire
     */
    void SetWireLength(uint16_t wlen);
    /**
     * \brief Get the wire length.
     * \return bytes of the packet on the wire
     */
    uint16_t GetWireLength() const;

    /**
     * \brief Set rlen and wlen for a whole, untruncated packet.
     * \param packetBytes bytes of the packet (LRH to VCRC); at most 65519
     */
    void SetLengthsForPacket(uint32_t packetBytes);

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint64_t m_timestamp; //!< ERF fixed-point timestamp
    uint8_t m_type;       //!< Record type
    uint8_t m_flags;      //!< Flags
    uint16_t m_rlen;      //!< Record length, header included
    uint16_t m_lctr;      //!< Loss counter
    uint16_t m_wlen;      //!< Wire length
};

} // namespace ns3

#endif /* IB_ERF_HEADER_H */
