/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_CHANNEL_H
#define IB_CHANNEL_H

#include "ns3/fabric-channel.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief An InfiniBand cable between two IbNetDevice ports (copper or fibre).
 */
class IbChannel : public FabricChannel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IbChannel();
    ~IbChannel() override;
};

} // namespace ns3

#endif /* IB_CHANNEL_H */
