/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLINK_CHANNEL_H
#define NVLINK_CHANNEL_H

#include "ns3/fabric-channel.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One NVLink link between a GPU and an NVSwitch chip (or two GPUs): both directions.
 *
 * Raw NVLink link latency is not public (fact sheet §8.6); NvlinkHelper sets a board-trace
 * delay of 5 ns by default, an assumption to replace with a measured figure.
 */
class NvlinkChannel : public FabricChannel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NvlinkChannel();
    ~NvlinkChannel() override;
};

} // namespace ns3

#endif /* NVLINK_CHANNEL_H */
