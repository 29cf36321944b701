/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLINK_NET_DEVICE_H
#define NVLINK_NET_DEVICE_H

#include "nvlink-header.h"

#include "ns3/fabric-net-device.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One end of one NVLink link: on a GPU or on an NVSwitch chip.
 *
 * The link machinery (credits per VL, VL arbitration, tracing) is FabricNetDevice's. What is
 * NVLink's own is the packet format: data travels in NVLink packets of at most MaxPayload bytes
 * (256 B: 16 data flits of 16 B), each behind a header flit of HeaderBytes (16 B, CRC
 * included). Simulating every 256-byte packet costs many events per byte, so a simulated
 * packet is a *transfer unit* of up to Mtu data bytes from the upper layer, sent as
 * ceil(bytes / MaxPayload) NVLink packets back to back: its wire size counts every header
 * flit, so bandwidth and efficiency are exact at any Mtu. Mtu trades granularity for speed:
 * 256 simulates each NVLink packet; the default 4096 moves 16 of them per event. See the
 * model documentation for when a larger unit is safe.
 *
 * A GPU's links act as one port through a FabricPortGroup, which sprays packets over them.
 * Addresses are GPU ids, carried as Mac16Address. The upper layer's headers (an RDMA BTH and
 * its extended headers) are carried in the simulated packet for the endpoints to read, but do
 * not count as wire bytes: on NVLink, what they say travels in the header flits.
 */
class NvlinkNetDevice : public FabricNetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NvlinkNetDevice();
    ~NvlinkNetDevice() override;

    /**
     * \param dataBytes data bytes of one transfer unit
     * \return the NVLink packets it takes
     */
    uint32_t GetPacketCount(uint32_t dataBytes) const;

    /**
     * \param dataBytes data bytes of one transfer unit
     * \return its size on the wire: the data plus one header flit per NVLink packet
     */
    uint32_t GetWireBytesForData(uint32_t dataBytes) const;

    /** \return the GPU id of this port's GPU (0 on a switch port) */
    uint16_t GetGpuId() const;

    /**
     * \param id the GPU id (1-65534)
     */
    void SetGpuId(uint16_t id);

    std::string DescribeAddress(uint16_t address) const override;

    /** \return MaxPayload / (MaxPayload + HeaderBytes): 256/272 by default */
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
    uint32_t GetWireBytes(Ptr<const Packet> packet) const override;
    uint32_t GetFlowControlPacketBytes() const override;

  private:
    uint32_t m_maxPayload;  //!< data bytes per NVLink packet
    uint32_t m_headerBytes; //!< header (and CRC) bytes per NVLink packet

    // Headers kept for every packet: an ns-3 Header costs about 110 instructions to
    // construct and destroy (ObjectBase's logged destructor). Every field written is set (or
    // read back) each time.
    NvlinkHeader m_txHeader;         //!< the header being added
    mutable NvlinkHeader m_rxHeader; //!< the header being read, removed or rewritten
};

} // namespace ns3

#endif /* NVLINK_NET_DEVICE_H */
