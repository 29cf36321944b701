/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_LINK_SPEED_H
#define IB_LINK_SPEED_H

#include "ns3/data-rate.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief InfiniBand link generations.
 */
enum class IbLinkSpeed : uint8_t
{
    SDR,   //!< 2.5 Gb/s per lane, 8b/10b
    DDR,   //!< 5 Gb/s per lane, 8b/10b
    QDR,   //!< 10 Gb/s per lane, 8b/10b
    FDR10, //!< 10.3125 Gb/s per lane, 64b/66b
    FDR,   //!< 14.0625 Gb/s per lane, 64b/66b
    EDR,   //!< 25.78125 Gb/s per lane, 64b/66b
    HDR,   //!< 53.125 Gb/s per lane, PAM4 with RS-FEC
    NDR,   //!< 106.25 Gb/s per lane, PAM4 with RS-FEC
    XDR,   //!< 212.5 Gb/s per lane
};

/**
 * \ingroup ai-fabric
 * \param speed a generation
 * \return its signalling rate per lane, in Gb/s (fact sheet §4.1, rdma-core's dump.c)
 */
double IbLaneSignallingGbps(IbLinkSpeed speed);

/**
 * \ingroup ai-fabric
 * \param speed a generation
 * \return the fraction of the signalling rate left for data after line encoding and FEC
 */
double IbEncodingEfficiency(IbLinkSpeed speed);

/**
 * \ingroup ai-fabric
 * \param speed a generation
 * \param width lanes: 1, 2, 4, 8 or 12
 * \return the link's data rate, lanes x per-lane signalling x encoding efficiency
 */
DataRate IbLinkDataRate(IbLinkSpeed speed, uint32_t width);

/**
 * \ingroup ai-fabric
 * \param speed a generation
 * \return its name ("NDR")
 */
std::string IbLinkSpeedName(IbLinkSpeed speed);

/**
 * \ingroup ai-fabric
 * \param width a lane count
 * \return true for the widths IB has (1x, 2x, 4x, 8x, 12x)
 */
bool IbIsValidLinkWidth(uint32_t width);

} // namespace ns3

#endif /* IB_LINK_SPEED_H */
