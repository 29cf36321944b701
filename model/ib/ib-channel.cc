/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-channel.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbChannel");

NS_OBJECT_ENSURE_REGISTERED(IbChannel);

TypeId
IbChannel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbChannel")
                            .SetParent<FabricChannel>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbChannel>();
    return tid;
}

IbChannel::IbChannel()
{
    NS_LOG_FUNCTION(this);
}

IbChannel::~IbChannel()
{
    NS_LOG_FUNCTION(this);
}

} // namespace ns3
