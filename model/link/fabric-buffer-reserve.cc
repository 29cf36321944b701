/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-buffer-reserve.h"

#include "ns3/buffer.h"
#include "ns3/log.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricBufferReserve");

void
FabricBufferReserve::Reserve()
{
    static bool reserved = false;
    if (reserved)
    {
        return;
    }
    reserved = true;
    NS_LOG_FUNCTION_NOARGS();
    // All alive at once, so that each gets a buffer of its own; freed together at the end.
    std::vector<Buffer> buffers(COUNT);
    for (Buffer& buffer : buffers)
    {
        buffer.AddAtStart(HEADROOM); // the header room: Buffer's recommended start
        buffer.AddAtEnd(TAILROOM);
    }
}

} // namespace ns3
