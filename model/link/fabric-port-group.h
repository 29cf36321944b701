/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_PORT_GROUP_H
#define FABRIC_PORT_GROUP_H

#include "fabric-net-device.h"

#include "ns3/object.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The ports of one endpoint that act as one: a GPU's NVLink links, sprayed packet by
 * packet so that one transfer can use the GPU's whole NVLink bandwidth.
 *
 * All member ports share the endpoint's address. A packet sent through any member goes to the
 * member the SprayPolicy picks: RoundRobin (the default: each packet to the next link in turn,
 * as the GPU's NVLink block sprays) or LeastLoaded (the link with the fewest packets queued,
 * ties in turn). Transmit-space callbacks and the receive callback registered on any member
 * apply to the whole group, so an upper layer sees one port.
 */
class FabricPortGroup : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// How packets are spread over the member ports.
    enum SprayPolicy
    {
        ROUND_ROBIN,  //!< each packet to the next member in turn
        LEAST_LOADED, //!< each packet to the member with the fewest packets queued
    };

    FabricPortGroup();
    ~FabricPortGroup() override;

    /**
     * \brief Add a port; it must be an endpoint port (not a switch port).
     * \param port the port
     */
    void AddPort(Ptr<FabricNetDevice> port);

    /** \return the number of member ports */
    uint32_t GetNPorts() const;

    /**
     * \param i index
     * \return the i-th member port
     */
    Ptr<FabricNetDevice> GetPort(uint32_t i) const;

    /**
     * \param vl a data VL
     * \return the member the next packet on that VL goes to
     */
    FabricNetDevice* PickPort(uint8_t vl);

    /**
     * \param vl a data VL
     * \return room for packets on the VL before SendTo() refuses
     */
    uint32_t GetTxQueueSpace(uint8_t vl) const;

    /**
     * \param cb called when a member's transmit queue has room again
     */
    void AddTxSpaceCallback(FabricNetDevice::TxSpaceCallback cb);

    /**
     * \brief A member sent a packet from its queue: tell the upper layer.
     * \param port the member
     * \param vl the VL
     */
    void NotifyTxSpace(Ptr<FabricNetDevice> port, uint8_t vl);

    /**
     * \param cb the receive callback of every member
     */
    void SetReceiveCallback(NetDevice::ReceiveCallback cb);

  protected:
    void DoDispose() override;

  private:
    /**
     * \param vl a data VL
     * \return the member that RoundRobin or LeastLoaded picks next, without advancing
     */
    uint32_t Peek(uint8_t vl) const;

    std::vector<Ptr<FabricNetDevice>> m_ports;  //!< members
    SprayPolicy m_policy;                       //!< spreading policy
    uint32_t m_next{0};                         //!< round-robin position
    FabricNetDevice::TxSpaceNotifier m_txSpace; //!< upper-layer refills
    NetDevice::ReceiveCallback m_receive;       //!< upper-layer receive
};

} // namespace ns3

#endif /* FABRIC_PORT_GROUP_H */
