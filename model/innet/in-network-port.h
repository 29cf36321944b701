/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IN_NETWORK_PORT_H
#define IN_NETWORK_PORT_H

#include "sharp-header.h"

#include "ns3/fabric-net-device.h"
#include "ns3/packet.h"

#include <cstdint>
#include <deque>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The sending side of an in-network endpoint on one port: packets of in-network
 * operations (a BTH, a SharpHeader, virtual data) wait in a software queue of their own and
 * enter the port's transmit queue as it frees, beside whatever else (the RDMA engine) uses it.
 *
 * Nothing is dropped: a full transmit queue only delays the next packet until the port says it
 * has room (TxSpace callback), and from there credits govern the wire as for any packet.
 */
class InNetworkPort
{
  public:
    /// Destination QP number of packets for the aggregation node of a switch.
    static constexpr uint32_t SWITCH_QPN = 0xFFFF01;
    /// Destination QP number of packets for the in-network endpoint of a GPU.
    static constexpr uint32_t ENDPOINT_QPN = 0xFFFF02;
    /// Protocol number given to the link framing: a BTH follows (IBA local on InfiniBand).
    static constexpr uint16_t PROTOCOL = 2;

    InNetworkPort() = default;

    /**
     * \brief Send through a port.
     * \param port the port (an endpoint port)
     * \param own true to send by this port itself even if it belongs to a group (NVLS must
     * reach one particular NVSwitch); false lets a group spray
     * \param sl the service level of every packet
     */
    void Attach(Ptr<FabricNetDevice> port, bool own, uint8_t sl);

    /**
     * \brief Build and queue one packet.
     * \param header its in-network header
     * \param dataBytes virtual data bytes after the header
     * \param dst destination address
     * \param qpn destination QP number in the BTH
     * \param tag contributions its data holds (count 0: none attached)
     * \param urgent queue it ahead of the other waiting packets (reads and their answers,
     * which NVLink carries apart from writes)
     */
    void Send(const SharpHeader& header,
              uint32_t dataBytes,
              uint16_t dst,
              uint32_t qpn,
              const SharpContributionTag& tag,
              bool urgent = false);

    /** \return the port */
    Ptr<FabricNetDevice> GetDevice() const;

    /** \return packets handed to the port so far */
    uint64_t GetSentPackets() const;

    /** \return packets waiting in the software queue */
    size_t GetBacklog() const;

    /** \return bytes waiting in the software queue */
    uint64_t GetBacklogBytes() const;

  private:
    /// A packet waiting for room.
    struct Pending
    {
        Ptr<Packet> packet; //!< the packet
        uint16_t dst;       //!< destination
    };

    /** \brief Move waiting packets into the transmit queue while it has room. */
    void Drain();

    /**
     * \brief TxSpace callback.
     * \param device the port that sent a packet
     * \param vl its VL
     */
    void OnTxSpace(Ptr<FabricNetDevice> device, uint8_t vl);

    Ptr<FabricNetDevice> m_port;   //!< the port
    bool m_own{false};             //!< bypass the group
    uint8_t m_sl{0};               //!< service level
    std::deque<Pending> m_pending; //!< software queue
    std::deque<Pending> m_urgent;  //!< software queue served first
    uint64_t m_sent{0};            //!< packets handed over
    uint64_t m_pendingBytes{0};    //!< bytes in the software queue
    uint32_t m_psn{0};             //!< BTH PSN, counted per packet
    bool m_draining{false};        //!< Drain() is on the stack
};

} // namespace ns3

#endif /* IN_NETWORK_PORT_H */
