/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_TRAFFIC_GENERATOR_H
#define FABRIC_TRAFFIC_GENERATOR_H

#include "ns3/application.h"
#include "ns3/ib-bth-header.h"
#include "ns3/ib-reth-header.h"
#include "ns3/traced-callback.h"

namespace ns3
{

class FabricNetDevice;

/**
 * \ingroup ai-fabric
 * \brief Sends messages from an endpoint port as unreliable-connected RDMA WRITEs, packet by
 * packet, over any fabric port (InfiniBand HCA, NVLink).
 *
 * For studying the link layer without a transport: each message is cut into path-MTU packets
 * with UC RDMA WRITE FIRST / MIDDLE / LAST opcodes (ONLY for a one-packet message, a RETH on
 * the first), consecutive PSNs, and no acknowledgements. The generator keeps the port's
 * transmit queue for its VL full, so the port sends as fast as the fabric lets it; messages
 * follow one another back to back. A reliable transport with queue pairs is RdmaEngine's job.
 */
class FabricTrafficGenerator : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricTrafficGenerator();
    ~FabricTrafficGenerator() override;

    /**
     * \param device the port to send from (default: the node's first FabricNetDevice)
     */
    void SetDevice(Ptr<FabricNetDevice> device);

    /** \return payload bytes handed to the port so far */
    uint64_t GetPayloadBytesSent() const;

    /** \return packets handed to the port so far */
    uint64_t GetPacketsSent() const;

    /** \return messages whose last packet has been handed to the port */
    uint64_t GetMessagesSent() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * \brief Queue packets while the port has room and messages remain.
     */
    void Fill();

    /**
     * \brief The port's transmit queue has room again.
     * \param device the port
     * \param vl the VL that has room
     */
    void OnTxSpace(Ptr<FabricNetDevice> device, uint8_t vl);

    Ptr<FabricNetDevice> m_device; //!< the port
    uint16_t m_dlid;               //!< destination LID
    uint64_t m_messageSize;        //!< bytes per message
    uint32_t m_messageCount;       //!< messages to send, 0 = until stopped
    uint8_t m_sl;                  //!< service level
    uint32_t m_destQp;             //!< destination QP number in the BTH
    bool m_running{false};         //!< between start and stop
    bool m_hooked{false};          //!< TxSpace callback added
    bool m_filling{false};         //!< Fill() is on the stack

    uint64_t m_offset{0};       //!< bytes of the current message already queued
    uint32_t m_psn{0};          //!< next PSN
    uint64_t m_payloadSent{0};  //!< payload bytes queued
    uint64_t m_packetsSent{0};  //!< packets queued
    uint64_t m_messagesSent{0}; //!< messages fully queued
    // Kept, not made per packet: an ns-3 header costs more to construct and destroy than
    // to fill. Fill() sets every field it uses each time.
    IbBthHeader m_bth;   //!< the BTH of the packet being made
    IbRethHeader m_reth; //!< the RETH of a message's first packet

    TracedCallback<Ptr<const Packet>> m_txTrace; //!< Tx
};

} // namespace ns3

#endif /* FABRIC_TRAFFIC_GENERATOR_H */
