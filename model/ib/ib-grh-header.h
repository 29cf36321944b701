/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_GRH_HEADER_H
#define IB_GRH_HEADER_H

#include "ns3/header.h"

#include <array>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief InfiniBand Global Route Header (GRH), 40 bytes.
 *
 * Present when the LRH's LNH is IBA_GLOBAL. Wire layout (big-endian), after the Linux kernel's
 * include/rdma/ib_hdrs.h and Wireshark's InfiniBand dissector:
 *
 * \verbatim
   bytes 0-3  : IPVer (31:28) | TClass (27:20) | FlowLabel (19:0)
   bytes 4-5  : PayLen
   byte 6     : NxtHdr (0x1B = IBA transport)
   byte 7     : HopLmt
   bytes 8-23 : SGID
   bytes 24-39: DGID
   \endverbatim
 */
class IbGrhHeader : public Header
{
  public:
    /// A 128-bit global identifier, in network byte order.
    using Gid = std::array<uint8_t, 16>;

    static constexpr uint32_t SIZE = 40;                //!< Serialized size in bytes
    static constexpr uint8_t DEFAULT_IP_VER = 6;        //!< IPVer value required by the IBA
    static constexpr uint8_t NEXT_HEADER_IBA = 0x1B;    //!< NxtHdr value for IBA transport
    static constexpr uint32_t MAX_FLOW_LABEL = 0xFFFFF; //!< Largest 20-bit flow label

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Construct a GRH with IPVer 6, TClass 0, FlowLabel 0, PayLen 0, NxtHdr 0x1B,
     *        HopLmt 255 and all-zero GIDs.
     */
    IbGrhHeader();
    ~IbGrhHeader() override;

    /**
     * \brief Set the IP version field.
     * \param ipVer the version, 0..15 (the IBA requires 6)
     */
    void SetIpVer(uint8_t ipVer);
    /**
     * \brief Get the IP version field.
     * \return the version
     */
    uint8_t GetIpVer() const;

    /**
     * \brief Set the traffic class.
     * \param tClass the traffic class
     */
    void SetTClass(uint8_t tClass);
    /**
     * \brief Get the traffic class.
     * \return the traffic class
     */
    uint8_t GetTClass() const;

    /**
     * \brief Set the flow label.
     * \param flowLabel the flow label, 0..0xFFFFF (20 bits)
     */
    void SetFlowLabel(uint32_t flowLabel);
    /**
     * \brief Get the flow label.
     * \return the flow label (20 bits)
     */
    uint32_t GetFlowLabel() const;

    /**
     * \brief Set the payload length.
     * \param payLen bytes after the GRH up to and including the ICRC
     */
    void SetPayLen(uint16_t payLen);
    /**
     * \brief Get the payload length.
     * \return bytes after the GRH up to and including the ICRC
     */
    uint16_t GetPayLen() const;

    /**
     * \brief Set the next header field.
     * \param nxtHdr the next header (0x1B for IBA transport)
     */
    void SetNxtHdr(uint8_t nxtHdr);
    /**
     * \brief Get the next header field.
     * \return the next header
     */
    uint8_t GetNxtHdr() const;

    /**
     * \brief Set the hop limit.
     * \param hopLmt the hop limit
     */
    void SetHopLmt(uint8_t hopLmt);
    /**
     * \brief Get the hop limit.
     * \return the hop limit
     */
    uint8_t GetHopLmt() const;

    /**
     * \brief Set the source GID.
     * \param sgid the source global identifier, network byte order
     */
    void SetSgid(const Gid& sgid);
    /**
     * \brief Get the source GID.
     * \return the source global identifier, network byte order
     */
    Gid GetSgid() const;

    /**
     * \brief Set the destination GID.
     * \param dgid the destination global identifier, network byte order
     */
    void SetDgid(const Gid& dgid);
    /**
     * \brief Get the destination GID.
     * \return the destination global identifier, network byte order
     */
    Gid GetDgid() const;

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint8_t m_ipVer;      //!< IP version (4 bits)
    uint8_t m_tClass;     //!< Traffic class
    uint32_t m_flowLabel; //!< Flow label (20 bits)
    uint16_t m_payLen;    //!< Payload length in bytes
    uint8_t m_nxtHdr;     //!< Next header
    uint8_t m_hopLmt;     //!< Hop limit
    Gid m_sgid;           //!< Source GID
    Gid m_dgid;           //!< Destination GID
};

} // namespace ns3

#endif /* IB_GRH_HEADER_H */
