/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_UPPER_HEADERS_H
#define FABRIC_UPPER_HEADERS_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief How many bytes of an upper-layer packet are its headers, per protocol number.
 *
 * A link that carries upper-layer headers apart from the payload (NVLink puts the transport's
 * address and command in its header flits) needs their size, but the link layer must not read
 * the transport's headers itself. The layer that owns a protocol number registers a function
 * for it, once, when the library loads; the link asks through GetBytes(). A protocol with no
 * function has no headers to set apart (0 bytes).
 */
class FabricUpperHeaders
{
  public:
    /// The bytes of a packet's upper-layer headers; the packet starts with them.
    using BytesFunction = uint32_t (*)(Ptr<const Packet> packet);

    /**
     * \brief Register the function for one protocol number (replaces an earlier one).
     * \param protocol the protocol number given to FabricNetDevice::SendTo
     * \param bytes the function
     * \return true (so that a registration can initialise a static constant)
     */
    static bool Register(uint16_t protocol, BytesFunction bytes);

    /**
     * \param protocol the packet's protocol number
     * \param packet an upper-layer packet of that protocol
     * \return the bytes of its headers; 0 if no function is registered for the protocol
     */
    static uint32_t GetBytes(uint16_t protocol, Ptr<const Packet> packet);
};

} // namespace ns3

#endif // FABRIC_UPPER_HEADERS_H
