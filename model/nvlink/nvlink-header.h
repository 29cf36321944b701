/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLINK_HEADER_H
#define NVLINK_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The header of a simulated NVLink transfer unit: one or more NVLink packets sent back to
 * back toward one GPU.
 *
 * NVLink 3-5 packet formats are not public (fact sheet §8.3): NVLink 1/2 packets are 1 to 18
 * flits of 16 B, a header flit carrying the CRC, and up to 256 B of data. This 16-byte header
 * stands for that header flit; its fields are the model's, not the hardware's:
 *
 *   byte 0: command (write 0x01); byte 1: VL (bits 7:4), SL (bits 3:0);
 *   bytes 2-3: destination GPU id; bytes 4-5: source GPU id; bytes 6-7: data bytes;
 *   bytes 8-9: NVLink packets in the unit; bytes 10-11: upper-layer protocol;
 *   bytes 12-13: upper-layer header bytes; bytes 14-15: CRC.
 *
 * A unit of k NVLink packets carries k header flits on the wire. The upper layer's own headers
 * (an RDMA BTH) follow this header in the simulated packet, but on NVLink what they say
 * (addresses, lengths, sequence) travels in the header flits: they count as header, not data.
 */
class NvlinkHeader : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Serialised size.
    static constexpr uint32_t SIZE = 16;
    /// Command of a posted write.
    static constexpr uint8_t COMMAND_WRITE = 0x01;

    NvlinkHeader();

    /** \param command the command */
    void SetCommand(uint8_t command);
    /** \return the command */
    uint8_t GetCommand() const;
    /** \param vl the virtual lane (0-15) */
    void SetVl(uint8_t vl);
    /** \return the virtual lane */
    uint8_t GetVl() const;
    /** \param sl the service level (0-15) */
    void SetSl(uint8_t sl);
    /** \return the service level */
    uint8_t GetSl() const;
    /** \param id destination GPU id */
    void SetDestination(uint16_t id);
    /** \return destination GPU id */
    uint16_t GetDestination() const;
    /** \param id source GPU id */
    void SetSource(uint16_t id);
    /** \return source GPU id */
    uint16_t GetSource() const;
    /** \param bytes data bytes of the unit (upper-layer headers excluded) */
    void SetPayloadLength(uint16_t bytes);
    /** \return data bytes of the unit */
    uint16_t GetPayloadLength() const;
    /** \param bytes upper-layer header bytes that follow this header */
    void SetUpperHeaderLength(uint16_t bytes);
    /** \return upper-layer header bytes that follow this header */
    uint16_t GetUpperHeaderLength() const;
    /** \param packets NVLink packets in the unit */
    void SetPacketCount(uint16_t packets);
    /** \return NVLink packets in the unit */
    uint16_t GetPacketCount() const;
    /** \param protocol upper-layer protocol number */
    void SetProtocol(uint16_t protocol);
    /** \return upper-layer protocol number */
    uint16_t GetProtocol() const;
    /** \param crc the CRC field */
    void SetCrc(uint16_t crc);
    /** \return the CRC field */
    uint16_t GetCrc() const;

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint8_t m_command{COMMAND_WRITE}; //!< command
    uint8_t m_vl{0};                  //!< virtual lane
    uint8_t m_sl{0};                  //!< service level
    uint16_t m_dst{0};                //!< destination GPU id
    uint16_t m_src{0};                //!< source GPU id
    uint16_t m_length{0};             //!< data bytes
    uint16_t m_upperHeaders{0};       //!< upper-layer header bytes
    uint16_t m_packets{1};            //!< NVLink packets in the unit
    uint16_t m_protocol{0};           //!< upper-layer protocol
    uint16_t m_crc{0};                //!< CRC (zero: nothing is corrupted)
};

} // namespace ns3

#endif /* NVLINK_HEADER_H */
