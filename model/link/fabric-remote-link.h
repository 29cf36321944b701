/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_REMOTE_LINK_H
#define FABRIC_REMOTE_LINK_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

class FabricNetDevice;

/**
 * \ingroup ai-fabric
 * \brief How a port reaches the far end of its cable when that end is simulated elsewhere:
 * in another process of ns-3's distributed (MPI) engine (FabricMpiLink), or, to test exactly
 * that path in one process, through a serialise-and-deliver loopback (FabricLoopbackLink).
 *
 * A port with a remote link (FabricNetDevice::SetRemoteLink) hands it every packet and every
 * flow-control packet (FCP) it sends, as a message: the packet (a copy) with a
 * FabricRemoteHeader pushed on. The far end's FabricNetDevice::ReceiveRemote pops the header
 * at the message's receive time and does what the local path does:
 * - a packet arrives when it would have (the local path's arrival event, same time);
 * - an FCP, which the local path hands the sender at once with its arrival time (credits are
 *   applied lazily when due), is delivered one cable delay after it was sent, still before its
 *   last bit arrives (an FCP takes time on the wire), so credits apply at the same instant.
 *
 * Every message is due at least one cable delay after it is sent: the lookahead that ns-3's
 * conservative engines (null message, granted time window) read from the channel's Delay.
 */
class FabricRemoteLink : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricRemoteLink();
    ~FabricRemoteLink() override;

    /**
     * \brief Serve this port: remember it, its peer and its cable's delay (the lookahead).
     * FabricNetDevice::SetRemoteLink calls it.
     * \param port the sending port (cabled)
     */
    void Attach(Ptr<FabricNetDevice> port);

    /**
     * \brief Carry a message to the far end of the port's cable.
     * \param message the packet (or empty, for an FCP) with its FabricRemoteHeader on top
     * \param rxTime when the far end must handle it (absolute; >= now + cable delay)
     */
    virtual void Send(Ptr<Packet> message, Time rxTime) = 0;

    /** \return messages sent so far */
    uint64_t GetMessages() const;

  protected:
    /**
     * \brief Count a message and check it: throws FabricConfigError if it is due sooner than
     * one cable delay (a conservative engine could not deliver it in time), or if its
     * serialised form would not fit ns-3.37's MPI receive buffers (MAX_MPI_MSG_SIZE, 2000
     * bytes, 16 of them the envelope; a packet's virtual payload serialises as its length).
     * \param message the message
     * \param rxTime its receive time
     * \return its serialised size, bytes
     */
    uint32_t Account(Ptr<const Packet> message, Time rxTime);

    /// ns-3.37's MPI engines receive into buffers of MAX_MPI_MSG_SIZE bytes...
    static constexpr uint32_t MPI_MESSAGE_LIMIT = 2000;
    /// ...of which the receive time, node and device take this many.
    static constexpr uint32_t MPI_ENVELOPE_BYTES = 16;

    void DoDispose() override;

    Ptr<FabricNetDevice> m_port; //!< the sending port
    Ptr<FabricNetDevice> m_peer; //!< the far end of its cable
    Time m_lookahead;            //!< the cable's delay

  private:
    uint64_t m_messages{0}; //!< messages sent
};

} // namespace ns3

#endif /* FABRIC_REMOTE_LINK_H */
