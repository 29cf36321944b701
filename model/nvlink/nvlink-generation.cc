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

NvlinkPacketFormat
NvlinkGetPacketFormat(NvlinkGeneration generation)
{
    // The one table of NVLink wire overheads. The packet format of NVLink 3, 4 and 5 is not
    // public (fact sheet §8.3). NVLink 1/2 packets carry up to 256 data bytes in 16-byte flits
    // behind a header flit [WikiChip], and the LS10 counters name header, address-extension,
    // byte-enable and data flits [OGKM]; what else a write costs (its response flits on the
    // reverse link, link-level CRC and replay) is not published. So the overhead per 256-byte
    // packet is ONE CALIBRATED FIGURE: 54 bytes, chosen so that a packet-level ring all-reduce
    // of 1 GiB on one 8 x H100 board (24 channels, NCCL's count there) runs at a busbw of
    // 370 GB/s, the "effective NVLink bandwidth" an NCCL maintainer gives for H100 (line rate
    // 450 GB/s less ~20% protocol overhead; nccl-tests issue 212; NCCL's own SM90 figure is
    // 18 x 20.6 = 370.8 GB/s, topo.h). NVLink 3 and 5 follow the same rule with no figure of
    // their own: their effective rate follows from their line rate.
    switch (generation)
    {
    case NvlinkGeneration::NVLINK3:
    case NvlinkGeneration::NVLINK4:
    case NvlinkGeneration::NVLINK5:
        return NvlinkPacketFormat{256, 54, true};
    }
    return NvlinkPacketFormat{256, 54, true};
}

double
NvlinkWireEfficiency(NvlinkGeneration generation)
{
    const NvlinkPacketFormat format = NvlinkGetPacketFormat(generation);
    return static_cast<double>(format.maxPayload) / (format.maxPayload + format.overhead);
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
