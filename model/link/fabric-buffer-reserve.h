/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_BUFFER_RESERVE_H
#define FABRIC_BUFFER_RESERVE_H

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Fills ns-3's packet-buffer free list with buffers that have room for a fabric
 * packet's whole header stack, so that adding headers and framing never reallocates.
 *
 * A new ns3::Packet takes its byte buffer from ns-3's free list (network/model/buffer.cc),
 * but that list keeps only buffers as large as the largest one ever freed. Fabric packets
 * differ by a few header bytes (the first packet of an RDMA write carries a RETH, an ACK an
 * AETH), so almost every buffer is smaller than the largest and is freed instead of kept. A
 * packet then starts from an empty buffer and reallocates it, copying the bytes, at each
 * header and trailer: four allocations, copies and frees for an IB data packet.
 *
 * Reserve() frees buffers of HEADROOM + TAILROOM bytes into the list once per process, which
 * also tells ns-3 to start every packet HEADROOM bytes into its buffer (Buffer's
 * recommended start). From then on a packet's headers, its LRH and its CRCs go in place, and
 * its buffer, of the largest size, goes back to the list when it dies. Packet contents,
 * sizes and every simulated result are the same; only the allocator's work goes. A buffer
 * larger than ours freed later (a packet with real payload bytes) makes ns-3 free ours
 * instead of keeping them, and the cost returns to what it was without the reserve.
 */
class FabricBufferReserve
{
  public:
    /// Bytes in front of a packet's first byte: the largest header stack a fabric builds.
    static constexpr uint32_t HEADROOM = 128;
    /// Bytes after its last byte: the link's trailers (IB's ICRC and VCRC).
    static constexpr uint32_t TAILROOM = 16;
    /// Buffers reserved: ns-3's free list keeps at most about 1,000.
    static constexpr uint32_t COUNT = 1000;

    /**
     * Frees COUNT buffers of HEADROOM + TAILROOM bytes into ns-3's free list; the first call
     * in a process does it, later ones return at once.
     */
    static void Reserve();
};

} // namespace ns3

#endif // FABRIC_BUFFER_RESERVE_H
