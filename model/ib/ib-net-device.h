/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_NET_DEVICE_H
#define IB_NET_DEVICE_H

#include "ib-crc-trailer.h"
#include "ib-link-speed.h"
#include "ib-lrh-header.h"

#include "ns3/fabric-net-device.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief An InfiniBand port: an HCA port on an endpoint, or a port of an IbSwitch.
 *
 * The data rate is lanes x per-lane signalling x the generation's encoding efficiency
 * (LinkSpeed, LinkWidth; default NDR 4x = 400 Gb/s of data). On an endpoint, SendTo() frames
 * the upper layer's packet (which starts with a BTH, or a GRH) with a Local Route Header and
 * the ICRC/VCRC trailer, padding it to a 4-byte boundary; delivery removes them again. The
 * upper-layer protocol number is the LRH's LNH: PROTOCOL_IBA_LOCAL (BTH follows) or
 * PROTOCOL_IBA_GLOBAL (GRH follows). Addresses are LIDs, carried as Mac16Address.
 */
class IbNetDevice : public FabricNetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Protocol number for packets whose next header is a BTH (LNH "IBA local").
    static constexpr uint16_t PROTOCOL_IBA_LOCAL = 2;
    /// Protocol number for packets whose next header is a GRH (LNH "IBA global").
    static constexpr uint16_t PROTOCOL_IBA_GLOBAL = 3;

    /// Link-layer bytes an endpoint adds: LRH (8) + ICRC (4) + VCRC (2).
    static constexpr uint32_t LINK_OVERHEAD = 14;

    /// The most header bytes above the link layer: GRH 40 + BTH 12 + RETH 16 + ImmDt 4.
    static constexpr uint32_t MAX_TRANSPORT_HEADERS = 72;

    IbNetDevice();
    ~IbNetDevice() override;

    /** \return the port's LID */
    uint16_t GetLid() const;

    /**
     * \param lid the port's LID (unicast 0x0001-0xBFFF)
     */
    void SetLid(uint16_t lid);

    std::string DescribeAddress(uint16_t address) const override;

    /// RC packet overhead without GRH: LRH 8 + BTH 12 + ICRC 4 + VCRC 2 (fact sheet §1.1).
    static constexpr uint32_t RC_PACKET_OVERHEAD = 26;

    /** \return Mtu / (Mtu + 26): RC packets of full size without GRH */
    double GetPayloadEfficiency() const override;

  protected:
    void AddFraming(Ptr<Packet> packet,
                    uint16_t dst,
                    uint8_t sl,
                    uint8_t vl,
                    uint16_t protocol) override;
    uint16_t RemoveFraming(Ptr<Packet> packet, uint16_t& protocol) override;
    void RewriteVl(Ptr<Packet> packet, uint8_t vl) override;
    void CheckConfiguration() override;
    uint32_t GetMaxPacketBytes() const override;

  private:
    /**
     * \param speed the generation
     */
    void SetLinkSpeed(IbLinkSpeed speed);
    /**
     * \param width lanes
     */
    void SetLinkWidth(uint32_t width);

    IbLinkSpeed m_speed{IbLinkSpeed::NDR}; //!< generation
    uint32_t m_width{4};                   //!< lanes

    // Framing objects kept for every packet: an ns-3 Header or Trailer costs about 110
    // instructions to construct and destroy (ObjectBase's logged destructor), twice per
    // packet each way. Every field written is set (or read back) each time.
    IbLrhHeader m_txLrh;  //!< the LRH being added
    IbCrcTrailer m_txCrc; //!< the ICRC/VCRC trailer being added
    IbLrhHeader m_rxLrh;  //!< the LRH being removed or rewritten
    IbCrcTrailer m_rxCrc; //!< the trailer being removed
};

} // namespace ns3

#endif /* IB_NET_DEVICE_H */
