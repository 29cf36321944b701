/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IN_NETWORK_ENGINE_H
#define IN_NETWORK_ENGINE_H

#include "in-network-port.h"
#include "sharp-header.h"

#include "ns3/data-rate.h"
#include "ns3/fabric-channel.h"
#include "ns3/fabric-net-device.h"
#include "ns3/fabric-switch.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The reduction and multicast engine of a switch (SHARP's aggregation node on an IB
 * switch, NVLS on an NVSwitch), reached through an internal port of the switch.
 *
 * As an InfiniBand switch's management agent sits behind its internal port 0, the engine is
 * an endpoint device on the switch's node, cabled by an internal link to one more port of the
 * switch's crossbar. The switch's forwarding table sends packets addressed to the engine
 * through that port; what the engine sends enters the crossbar there and is forwarded like
 * any packet. So credits and buffers apply to in-network traffic exactly as to other traffic,
 * and ordinary forwarding does not change at all: the switch's hot path has no test for
 * in-network packets. The internal link's rate is the engine's throughput (ReductionRate):
 * every packet it reduces or replicates crosses it once in and once out.
 *
 * Subclasses create the internal port pair of their link technology and do the work on the
 * packets (HandlePacket()).
 */
class InNetworkEngine : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    InNetworkEngine();
    ~InNetworkEngine() override;

    /**
     * \brief Attach the engine to a switch: add its internal port and route an address to it.
     * \param sw the switch (its node gets the engine's endpoint device)
     * \param address the engine's address (a LID on IB, an id on NVLink)
     *
     * Throws FabricConfigError if the address is routed elsewhere already or packets wait in
     * the switch (adding a port resets its queues).
     */
    void Install(Ptr<FabricSwitch> sw, uint16_t address);

    /** \return the engine's address */
    uint16_t GetAddress() const;

    /** \return the switch */
    Ptr<FabricSwitch> GetSwitch() const;

    /** \return the switch's port toward the engine */
    uint16_t GetInternalPort() const;

    /** \return the engine's own endpoint device (the far end of the internal link) */
    Ptr<FabricNetDevice> GetDevice() const;

    /** \return the per-operation latency added by the engine */
    Time GetAggregationLatency() const;

    /** \return the engine's throughput (the internal link's rate, each direction) */
    DataRate GetReductionRate() const;

    /**
     * \brief Route an address on this engine's switch (used for other engines' addresses).
     * \param address the address
     * \param port the egress port
     */
    void AddRoute(uint16_t address, uint16_t port);

    /** \return a short name for messages: the kind and the switch's node */
    std::string Describe() const;

  protected:
    void DoDispose() override;

    /**
     * \brief Create the internal link: the engine's endpoint device, the switch-side device,
     * and the channel between them, of the switch's link technology.
     * \param engineSide set to the engine's device
     * \param switchSide set to the switch's new port
     * \param channel set to the channel
     */
    virtual void CreateInternalLink(Ptr<FabricNetDevice>& engineSide,
                                    Ptr<FabricNetDevice>& switchSide,
                                    Ptr<FabricChannel>& channel) = 0;

    /**
     * \brief Give the engine's device its address.
     * \param device the engine's device
     * \param address the address
     */
    virtual void SetDeviceAddress(Ptr<FabricNetDevice> device, uint16_t address) = 0;

    /**
     * \brief A packet for the engine arrived.
     * \param header its in-network header
     * \param tag the contributions its data holds (count 0 if none)
     * \param from the sender's address
     */
    virtual void HandlePacket(const SharpHeader& header,
                              const SharpContributionTag& tag,
                              uint16_t from) = 0;

    /**
     * \brief Send a packet from the engine (it leaves by the switch's forwarding table).
     * \param header its in-network header
     * \param dataBytes data bytes
     * \param dst destination address
     * \param qpn destination QP number
     * \param tag contributions it holds
     * \param urgent ahead of the packets waiting (see InNetworkPort::Send)
     */
    void SendPacket(const SharpHeader& header,
                    uint32_t dataBytes,
                    uint16_t dst,
                    uint32_t qpn,
                    const SharpContributionTag& tag,
                    bool urgent = false);

    Time m_latency;  //!< AggregationLatency attribute
    DataRate m_rate; //!< ReductionRate attribute

  private:
    /**
     * \brief The engine device's receive callback.
     * \param device the device
     * \param packet the packet (from the BTH on)
     * \param protocol the protocol number
     * \param from the sender
     * \return true
     */
    bool Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from);

    Ptr<FabricSwitch> m_switch;    //!< the switch
    Ptr<FabricNetDevice> m_device; //!< the engine's device
    uint16_t m_address{0};         //!< the engine's address
    uint16_t m_internalPort{0};    //!< the switch's port toward the engine
    InNetworkPort m_out;           //!< what the engine sends
};

} // namespace ns3

#endif /* IN_NETWORK_ENGINE_H */
