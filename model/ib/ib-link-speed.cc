/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-link-speed.h"

#include "ns3/fabric-config-error.h"

#include <cmath>

namespace ns3
{

double
IbLaneSignallingGbps(IbLinkSpeed speed)
{
    // Fact sheet §4.1 (rdma-core libibmad/dump.c per-lane rates).
    switch (speed)
    {
    case IbLinkSpeed::SDR:
        return 2.5;
    case IbLinkSpeed::DDR:
        return 5.0;
    case IbLinkSpeed::QDR:
        return 10.0;
    case IbLinkSpeed::FDR10:
        return 10.3125; // [unverified] in the fact sheet
    case IbLinkSpeed::FDR:
        return 14.0625;
    case IbLinkSpeed::EDR:
        return 25.78125;
    case IbLinkSpeed::HDR:
        return 53.125;
    case IbLinkSpeed::NDR:
        return 106.25;
    case IbLinkSpeed::XDR:
        return 212.5;
    }
    return 0;
}

double
IbEncodingEfficiency(IbLinkSpeed speed)
{
    switch (speed)
    {
    case IbLinkSpeed::SDR:
    case IbLinkSpeed::DDR:
    case IbLinkSpeed::QDR:
        return 8.0 / 10.0; // 8b/10b
    case IbLinkSpeed::FDR10:
    case IbLinkSpeed::FDR:
    case IbLinkSpeed::EDR:
        return 64.0 / 66.0; // 64b/66b
    case IbLinkSpeed::HDR:
    case IbLinkSpeed::NDR:
    case IbLinkSpeed::XDR:
        // Signalling / data = 1.0625 exactly (256b/257b transcoding + RS(544,514)) [derived,
        // fact sheet §4.1]: 50, 100 and 200 Gb/s of data per lane.
        return 1.0 / 1.0625;
    }
    return 0;
}

DataRate
IbLinkDataRate(IbLinkSpeed speed, uint32_t width)
{
    if (!IbIsValidLinkWidth(width))
    {
        throw FabricConfigError("IbLinkWidth",
                                "width " + std::to_string(width) +
                                    " does not exist (1, 2, 4, 8 or 12 lanes)");
    }
    const double bps = IbLaneSignallingGbps(speed) * 1e9 * IbEncodingEfficiency(speed) * width;
    return DataRate(static_cast<uint64_t>(std::llround(bps)));
}

std::string
IbLinkSpeedName(IbLinkSpeed speed)
{
    switch (speed)
    {
    case IbLinkSpeed::SDR:
        return "SDR";
    case IbLinkSpeed::DDR:
        return "DDR";
    case IbLinkSpeed::QDR:
        return "QDR";
    case IbLinkSpeed::FDR10:
        return "FDR10";
    case IbLinkSpeed::FDR:
        return "FDR";
    case IbLinkSpeed::EDR:
        return "EDR";
    case IbLinkSpeed::HDR:
        return "HDR";
    case IbLinkSpeed::NDR:
        return "NDR";
    case IbLinkSpeed::XDR:
        return "XDR";
    }
    return "?";
}

bool
IbIsValidLinkWidth(uint32_t width)
{
    return width == 1 || width == 2 || width == 4 || width == 8 || width == 12;
}

} // namespace ns3
