/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_CHANNEL_H
#define FABRIC_CHANNEL_H

#include "ns3/channel.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

namespace ns3
{

class FabricNetDevice;

/**
 * \ingroup ai-fabric
 * \brief A full-duplex point-to-point cable between two fabric ports.
 *
 * Each direction carries data packets from one end and the flow-control packets of the other
 * end's receiver. The channel holds the propagation delay; the sending device schedules the
 * arrival at the receiver (in the receiver's context) from it, so a hop costs one event.
 */
class FabricChannel : public Channel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricChannel();
    ~FabricChannel() override;

    /**
     * \brief Attach a port to one end of the cable.
     * \param device the port; at most two per channel
     */
    void Attach(Ptr<FabricNetDevice> device);

    /**
     * \param device one end
     * \return the other end, or nullptr while it is not attached
     */
    Ptr<FabricNetDevice> GetPeer(Ptr<const FabricNetDevice> device) const;

    /** \return the one-way propagation delay */
    Time GetDelay() const;

    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    Time m_delay;                   //!< one-way propagation delay
    Ptr<FabricNetDevice> m_ends[2]; //!< the two ports
    std::size_t m_nEnds{0};         //!< ports attached so far
};

} // namespace ns3

#endif /* FABRIC_CHANNEL_H */
