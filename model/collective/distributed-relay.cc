/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "distributed-relay.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DistributedRelay");

NS_OBJECT_ENSURE_REGISTERED(DistributedRelay);

TypeId
DistributedRelay::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DistributedRelay").SetParent<Object>().SetGroupName("AiFabric");
    return tid;
}

DistributedRelay::DistributedRelay() = default;

DistributedRelay::~DistributedRelay() = default;

void
DistributedRelay::SetCompletionCallback(CompletionCallback callback)
{
    m_callback = callback;
}

void
DistributedRelay::Deliver(uint32_t index, Time when)
{
    NS_LOG_FUNCTION(this << index << when);
    if (!m_callback.IsNull())
    {
        m_callback(index, when);
    }
}

void
DistributedRelay::DoDispose()
{
    m_callback.Nullify();
    Object::DoDispose();
}

} // namespace ns3
