/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "direct-algorithm.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DirectAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(DirectAlgorithm);

TypeId
DirectAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DirectAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<DirectAlgorithm>();
    return tid;
}

DirectAlgorithm::DirectAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

DirectAlgorithm::~DirectAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

std::string
DirectAlgorithm::GetName() const
{
    return "direct";
}

std::string
DirectAlgorithm::GetUnsupportedReason(CollectiveOp /* op */, const RankLayout& /* layout */) const
{
    return "";
}

uint32_t
DirectAlgorithm::GetSlots(CollectiveOp op, const RankLayout& layout) const
{
    return op == CollectiveOp::ALL_REDUCE ? layout.GetNRanks() : 1;
}

void
DirectAlgorithm::BuildSlice(SliceBuilder& builder,
                            CollectiveOp op,
                            const RankLayout& layout,
                            uint32_t root,
                            uint32_t peer) const
{
    const uint32_t n = layout.GetNRanks();
    switch (op)
    {
    case CollectiveOp::ALL_REDUCE:
    case CollectiveOp::REDUCE_SCATTER:
        for (uint32_t r = 0; r < n; ++r)
        {
            for (uint32_t i = 1; i < n; ++i)
            {
                const uint32_t dst = (r + i) % n;
                builder.Send(r, dst, dst, true, 0);
            }
        }
        if (op == CollectiveOp::REDUCE_SCATTER)
        {
            break;
        }
        for (uint32_t r = 0; r < n; ++r)
        {
            for (uint32_t i = 1; i < n; ++i)
            {
                builder.Send(r, (r + i) % n, r, false, 1);
            }
        }
        break;
    case CollectiveOp::ALL_GATHER:
        for (uint32_t r = 0; r < n; ++r)
        {
            for (uint32_t i = 1; i < n; ++i)
            {
                builder.Send(r, (r + i) % n, r, false, 0);
            }
        }
        break;
    case CollectiveOp::BROADCAST:
        for (uint32_t i = 1; i < n; ++i)
        {
            builder.Send(root, (root + i) % n, 0, false, 0);
        }
        break;
    case CollectiveOp::REDUCE:
        for (uint32_t i = 1; i < n; ++i)
        {
            builder.Send((root + i) % n, root, 0, true, 0);
        }
        break;
    case CollectiveOp::ALL_TO_ALL:
        for (uint32_t a = 0; a < n; ++a)
        {
            for (uint32_t i = 1; i < n; ++i)
            {
                const uint32_t b = (a + i) % n;
                builder.Send(a, b, a * n + b, false, 0);
            }
        }
        break;
    case CollectiveOp::SEND_RECV:
        builder.Send(root, peer, 0, false, 0);
        break;
    }
}

} // namespace ns3
