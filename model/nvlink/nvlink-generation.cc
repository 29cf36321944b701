/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvlink-generation.h"

namespace ns3
{

DataRate
NvlinkLinkDataRate(NvlinkGeneration generation)
{
    // Fact sheet §8.1: NVLink 3 and 4 carry 25 GB/s per link and direction (A100 nvidia-smi
    // "25 GB/s" x 12; H100 18 x 25 = 450 GB/s); NVLink 5, 50 GB/s (18 x 100 GB/s bidirectional).
    switch (generation)
    {
    case NvlinkGeneration::NVLINK3:
    case NvlinkGeneration::NVLINK4:
        return DataRate("200Gb/s");
    case NvlinkGeneration::NVLINK5:
        return DataRate("400Gb/s");
    }
    return DataRate(0);
}

uint32_t
NvlinkLinksPerGpu(NvlinkGeneration generation)
{
    switch (generation)
    {
    case NvlinkGeneration::NVLINK3:
        return 12;
    case NvlinkGeneration::NVLINK4:
    case NvlinkGeneration::NVLINK5:
        return 18;
    }
    return 0;
}

std::string
NvlinkGenerationName(NvlinkGeneration generation)
{
    switch (generation)
    {
    case NvlinkGeneration::NVLINK3:
        return "NVLink3";
    case NvlinkGeneration::NVLINK4:
        return "NVLink4";
    case NvlinkGeneration::NVLINK5:
        return "NVLink5";
    }
    return "?";
}

} // namespace ns3
