/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_ENGINE_H
#define RDMA_ENGINE_H

#include "rdma-queue-pair.h"
#include "rdma-transport-header.h"

#include "ns3/address.h"
#include "ns3/net-device.h"
#include "ns3/object.h"

#include <array>
#include <string>
#include <vector>

namespace ns3
{

class FabricNetDevice;
class Node;

/**
 * \ingroup ai-fabric
 * \brief The RDMA engine of an endpoint (the transport half of an HCA, or of a GPU's NVLink
 * block): it owns the node's queue pairs and is the upper layer of its fabric ports.
 *
 * It works over any FabricNetDevice and knows addresses only as 16-bit numbers (LIDs on
 * InfiniBand, GPU ids on NVLink): it sends with FabricNetDevice::SendTo() and protocol number
 * 2 ("IBA local": a BTH follows), takes the port's receive callback, and adds a TxSpace
 * callback to keep the port's transmit queue full.
 *
 * Scheduling, per port and VL: pending ACKs and NAKs go first; then the queue pairs with
 * packets ready take turns, one packet each (round robin), so QPs share the port fairly packet
 * by packet. A QP leaves the turn while its inflight window or its rate limit holds it and
 * rejoins when an ACK or its pacing timer frees it. Posting work rings a doorbell: the engine
 * looks at the QP in a zero-delay event, so work posted before Simulator::Run() or inside a
 * completion callback starts in order.
 *
 * Incoming packets find their QP by the BTH DestQP, an index into a flat table. The hot path
 * allocates nothing but the packet: headers are reused, lists are intrusive.
 *
 * Install() (or RdmaHelper, which also sets attributes) puts one engine on an endpoint node,
 * aggregated to it; RdmaHelper also connects queue pairs between nodes.
 */
class RdmaEngine : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Protocol number given to FabricNetDevice::SendTo(): "IBA local", a BTH follows.
    static constexpr uint16_t PROTOCOL_NUMBER = 2;

    /// The first QP number handed out (0 and 1 are the IBA's special QPs).
    static constexpr uint32_t FIRST_QPN = 2;

    RdmaEngine();
    ~RdmaEngine() override;

    RdmaEngine(const RdmaEngine&) = delete;
    RdmaEngine& operator=(const RdmaEngine&) = delete;

    /**
     * \brief The engine of an endpoint node, made on first use.
     *
     * A node has at most one engine, aggregated to it. A new engine takes every endpoint
     * FabricNetDevice of the node as a port, in device order; the members of a FabricPortGroup
     * act as one port, which its first member stands for.
     *
     * \param node an endpoint node (not a switch) with at least one fabric port
     * \param engine the engine to attach if the node has none yet; nullptr: one with default
     * attributes. Ignored when the node has an engine already.
     * \return the node's engine; throws FabricConfigError for a switch or a node without ports
     */
    static Ptr<RdmaEngine> Install(Ptr<Node> node, Ptr<RdmaEngine> engine = nullptr);

    /**
     * \brief Use an endpoint port: the engine becomes its upper layer (receive callback and a
     * TxSpace callback).
     * \param device the port; not a switch port, and on the same node as the others
     * \return the port's index on the engine
     */
    uint32_t AddPort(Ptr<FabricNetDevice> device);

    /** \return the number of ports */
    uint32_t GetNPorts() const;

    /**
     * \param index a port index
     * \return the port
     */
    Ptr<FabricNetDevice> GetPort(uint32_t index) const;

    /**
     * \brief Create a queue pair with default attributes on a port.
     * \param port the port index
     * \return the QP, not yet connected
     */
    Ptr<RdmaQueuePair> CreateQueuePair(uint32_t port = 0);

    /**
     * \brief Put a queue pair (e.g. made by an ObjectFactory) on this engine; it gets the next
     * QP number.
     * \param qp the QP, on no engine yet
     * \param port the port index it sends through
     */
    void AddQueuePair(Ptr<RdmaQueuePair> qp, uint32_t port = 0);

    /** \return the number of queue pairs */
    uint32_t GetNQueuePairs() const;

    /**
     * \param qpn a QP number
     * \return the QP; throws FabricConfigError if there is none with that number
     */
    Ptr<RdmaQueuePair> GetQueuePair(uint32_t qpn) const;

    /** \return the node of the engine's ports (nullptr before AddPort()) */
    Ptr<Node> GetNode() const;

    /**
     * \brief The ports' receive callback: dispatch a packet to its queue pair.
     * \param device the port
     * \param packet the packet, link framing removed (it starts at the BTH)
     * \param protocol the protocol number (must be PROTOCOL_NUMBER)
     * \param from the sender's address, as Mac16Address
     * \return true
     */
    bool Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from);

    /**
     * \brief Hand packets for queue pair numbers this engine does not have to another
     * receiver instead of rejecting them: the endpoints of in-network collectives (SHARP, NVLS)
     * share the port and address their packets to QP numbers of their own. Only packets that
     * would otherwise be an error take this path, so ordinary traffic pays nothing for it.
     * \param cb the receiver (same signature as Receive()); a null callback restores the error
     */
    void SetForeignPacketCallback(NetDevice::ReceiveCallback cb);

    /** \return a short name for messages */
    std::string Describe() const;

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    friend class RdmaQueuePair;

    /// Work waiting for one VL of one port: intrusive FIFOs of queue pairs.
    struct Lane
    {
        RdmaQueuePair* readyHead{nullptr}; //!< QPs with packets, in turn order
        RdmaQueuePair* readyTail{nullptr}; //!< last of them
        RdmaQueuePair* ctrlHead{nullptr};  //!< QPs owing an ACK/NAK
        RdmaQueuePair* ctrlTail{nullptr};  //!< last of them
        bool kickPending{false};           //!< a doorbell event is scheduled
    };

    /// One port and its lanes.
    struct Port
    {
        Ptr<FabricNetDevice> device;   //!< the port
        FabricNetDevice* raw{nullptr}; //!< the same, for the hot path
        std::array<Lane, 16> lanes;    //!< per VL
        bool filling{false};           //!< Fill() is on the stack
        bool initialized{false};       //!< the device's SL-to-VL table is settled
    };

    /**
     * \param qp a QP of this engine
     * \return its lane (computing its VL the first time)
     */
    Lane& LaneOf(RdmaQueuePair* qp);

    /**
     * \brief A QP has packets and may be able to send: give it a turn, and fill the port.
     * \param qp the QP
     */
    void NotifyReady(RdmaQueuePair* qp);

    /**
     * \brief Work was posted on a QP: give it a turn in a zero-delay event.
     * \param qp the QP
     */
    void Doorbell(RdmaQueuePair* qp);

    /**
     * \brief A QP owes an ACK or NAK: queue it ahead of data and fill the port.
     * \param qp the QP
     */
    void NotifyControl(RdmaQueuePair* qp);

    /**
     * \brief The doorbell event.
     * \param port the port index
     * \param vl the VL
     */
    void Kick(uint32_t port, uint8_t vl);

    /**
     * \brief Hand packets to a port's VL while its transmit queue has room.
     * \param port the port index
     * \param vl the VL
     */
    void Fill(uint32_t port, uint8_t vl);

    /**
     * \brief TxSpace callback of a port.
     * \param port the port index (bound)
     * \param device the port (or the member of its group) that sent a packet
     * \param vl the VL that has room
     */
    void OnTxSpace(uint32_t port, Ptr<FabricNetDevice> device, uint8_t vl);

    Ptr<Node> m_node;                      //!< the endpoint node
    std::vector<Port> m_ports;             //!< ports
    std::vector<Ptr<RdmaQueuePair>> m_qps; //!< QPs, index = QPN - FIRST_QPN
    RdmaTransportHeader m_rxHeader;        //!< reused to read every arriving packet
    NetDevice::ReceiveCallback m_foreign;  //!< packets for QPs of other receivers
};

} // namespace ns3

#endif /* RDMA_ENGINE_H */
