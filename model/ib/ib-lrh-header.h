/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_LRH_HEADER_H
#define IB_LRH_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief InfiniBand Local Route Header (LRH), 8 bytes.
 *
 * Wire layout (big-endian), after the Linux kernel's include/rdma/ib_hdrs.h and Wireshark's
 * InfiniBand dissector:
 *
 * \verbatim
   byte 0   : VL (7:4) | LVer (3:0)
   byte 1   : SL (7:4) | reserved (3:2) | LNH (1:0)
   bytes 2-3: DLID
   bytes 4-5: reserved (15:11) | PktLen (10:0), in 4-byte words
   bytes 6-7: SLID
   \endverbatim
 *
 * PktLen counts from the first byte of the LRH to the last byte of the ICRC; the VCRC is not
 * included. Reserved bits are written as zero and ignored on reception.
 */
class IbLrhHeader : public Header
{
  public:
    /**
     * \brief Link Next Header: what follows the LRH.
     */
    enum Lnh : uint8_t
    {
        RAW = 0,        //!< Raw packet, no IBA transport header
        IP_NON_IBA = 1, //!< IP (non-IBA) transport
        IBA_LOCAL = 2,  //!< IBA local: a BTH follows
        IBA_GLOBAL = 3  //!< IBA global: a GRH follows
    };

    static constexpr uint32_t SIZE = 8;           //!< Serialized size in bytes
    static constexpr uint16_t MAX_PKT_LEN = 2047; //!< Largest PktLen value, in 4-byte words
    static constexpr uint32_t MAX_PACKET_BYTES = 4 * MAX_PKT_LEN; //!< 8188 bytes

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Construct an LRH with VL 0, LVer 0, SL 0, LNH IBA_LOCAL, LIDs 0 and PktLen 0.
     */
    IbLrhHeader();
    ~IbLrhHeader() override;

    /**
     * \brief Set the virtual lane.
     * \param vl the virtual lane, 0..15
     */
    void SetVl(uint8_t vl);
    /**
     * \brief Get the virtual lane.
     * \return the virtual lane, 0..15
     */
    uint8_t GetVl() const;

    /**
     * \brief Set the link version.
     * \param lver the link version, 0..15
     */
    void SetLver(uint8_t lver);
    /**
     * \brief Get the link version.
     * \return the link version, 0..15
     */
    uint8_t GetLver() const;

    /**
     * \brief Set the service level.
     * \param sl the service level, 0..15
     */
    void SetSl(uint8_t sl);
    /**
     * \brief Get the service level.
     * \return the service level, 0..15
     */
    uint8_t GetSl() const;

    /**
     * \brief Set the Link Next Header field.
     * \param lnh what follows the LRH
     */
    void SetLnh(Lnh lnh);
    /**
     * \brief Get the Link Next Header field.
     * \return what follows the LRH
     */
    Lnh GetLnh() const;

    /**
     * \brief Set the destination LID.
     * \param dlid the destination local identifier
     */
    void SetDlid(uint16_t dlid);
    /**
     * \brief Get the destination LID.
     * \return the destination local identifier
     */
    uint16_t GetDlid() const;

    /**
     * \brief Set the packet length field.
     * \param words the packet length in 4-byte words, 0..2047
     */
    void SetPktLen(uint16_t words);
    /**
     * \brief Get the packet length field.
     * \return the packet length in 4-byte words
     */
    uint16_t GetPktLen() const;

    /**
     * \brief Set the packet length from a byte count.
     * \param bytes bytes from the start of the LRH to the end of the ICRC; a multiple of 4,
     *        at most 8188
     */
    void SetPacketLengthBytes(uint32_t bytes);
    /**
     * \brief Get the packet length in bytes.
     * \return PktLen times 4
     */
    uint32_t GetPacketLengthBytes() const;

    /**
     * \brief Set the source LID.
     * \param slid the source local identifier
     */
    void SetSlid(uint16_t slid);
    /**
     * \brief Get the source LID.
     * \return the source local identifier
     */
    uint16_t GetSlid() const;

    /**
     * \brief Get the name of an LNH value.
     * \param lnh the value
     * \return "RAW", "IP_NON_IBA", "IBA_LOCAL" or "IBA_GLOBAL"
     */
    static std::string LnhToString(Lnh lnh);

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint8_t m_vl;      //!< Virtual lane (4 bits)
    uint8_t m_lver;    //!< Link version (4 bits)
    uint8_t m_sl;      //!< Service level (4 bits)
    Lnh m_lnh;         //!< Link next header (2 bits)
    uint16_t m_dlid;   //!< Destination LID
    uint16_t m_pktLen; //!< Packet length in 4-byte words (11 bits)
    uint16_t m_slid;   //!< Source LID
};

} // namespace ns3

#endif /* IB_LRH_HEADER_H */
