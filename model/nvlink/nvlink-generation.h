/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLINK_GENERATION_H
#define NVLINK_GENERATION_H

#include "ns3/data-rate.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NVLink generations (fact sheet §8.1).
 */
enum class NvlinkGeneration : uint8_t
{
    NVLINK3, //!< A100: 12 links of 25 GB/s per direction
    NVLINK4, //!< H100/H200: 18 links of 25 GB/s per direction
    NVLINK5, //!< B200/GB200: 18 links of 50 GB/s per direction
};

/**
 * \ingroup ai-fabric
 * \param generation an NVLink generation
 * \return one link's data rate per direction (NVLink 3 and 4: 25 GB/s, NVLink 5: 50 GB/s)
 */
DataRate NvlinkLinkDataRate(NvlinkGeneration generation);

/**
 * \ingroup ai-fabric
 * \param generation an NVLink generation
 * \return NVLink links per GPU (NVLink 3: 12; 4 and 5: 18)
 */
uint32_t NvlinkLinksPerGpu(NvlinkGeneration generation);

/**
 * \ingroup ai-fabric
 * \brief What one NVLink packet carries on the wire, per generation (one table, see the .cc).
 */
struct NvlinkPacketFormat
{
    uint32_t maxPayload; //!< data bytes per packet
    uint32_t overhead;   //!< header, CRC and protocol bytes per packet, on the wire
    bool calibrated;     //!< overhead is a calibrated figure, not a public packet format
};

/**
 * \ingroup ai-fabric
 * \param generation an NVLink generation
 * \return its packet format on the wire
 */
NvlinkPacketFormat NvlinkGetPacketFormat(NvlinkGeneration generation);

/**
 * \ingroup ai-fabric
 * \param generation an NVLink generation
 * \return the share of the line rate left for data: maxPayload / (maxPayload + overhead)
 */
double NvlinkWireEfficiency(NvlinkGeneration generation);

/**
 * \ingroup ai-fabric
 * \param generation an NVLink generation
 * \return its name ("NVLink4")
 */
std::string NvlinkGenerationName(NvlinkGeneration generation);

} // namespace ns3

#endif /* NVLINK_GENERATION_H */
