/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvlink-channel.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvlinkChannel");

NS_OBJECT_ENSURE_REGISTERED(NvlinkChannel);

TypeId
NvlinkChannel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NvlinkChannel")
                            .SetParent<FabricChannel>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<NvlinkChannel>();
    return tid;
}

NvlinkChannel::NvlinkChannel()
{
    NS_LOG_FUNCTION(this);
}

NvlinkChannel::~NvlinkChannel()
{
    NS_LOG_FUNCTION(this);
}

} // namespace ns3
