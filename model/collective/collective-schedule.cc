/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "collective-schedule.h"

#include "ns3/fabric-config-error.h"

#include <algorithm>

namespace ns3
{

std::string
CollectiveOpName(CollectiveOp op)
{
    switch (op)
    {
    case CollectiveOp::ALL_REDUCE:
        return "all-reduce";
    case CollectiveOp::REDUCE_SCATTER:
        return "reduce-scatter";
    case CollectiveOp::ALL_GATHER:
        return "all-gather";
    case CollectiveOp::BROADCAST:
        return "broadcast";
    case CollectiveOp::REDUCE:
        return "reduce";
    case CollectiveOp::ALL_TO_ALL:
        return "all-to-all";
    case CollectiveOp::SEND_RECV:
        return "send-recv";
    }
    return "?";
}

void
CollectiveSchedule::CheckStructure() const
{
    const std::string where = "CollectiveSchedule (" + algorithm + " " + CollectiveOpName(op) + ")";
    if (chunkBytes.size() != chunks)
    {
        throw FabricConfigError(where,
                                "has " + std::to_string(chunks) + " chunks but " +
                                    std::to_string(chunkBytes.size()) + " chunk sizes");
    }
    for (size_t i = 0; i < transfers.size(); ++i)
    {
        const CollectiveTransfer& t = transfers[i];
        const std::string which = "transfer " + std::to_string(i);
        if (t.kind != TransferKind::SEND)
        {
            if (t.group >= groups.size())
            {
                throw FabricConfigError(where,
                                        which + " names in-network group " +
                                            std::to_string(t.group) + " of " +
                                            std::to_string(groups.size()));
            }
            const auto& g = groups[t.group];
            if (t.src != t.dst || std::find(g.begin(), g.end(), t.src) == g.end())
            {
                throw FabricConfigError(where,
                                        which + " (in-network) is issued by rank " +
                                            std::to_string(t.src) + " for rank " +
                                            std::to_string(t.dst) + ", not by a member of group " +
                                            std::to_string(t.group));
            }
            for (uint32_t m : g)
            {
                if (m >= nranks)
                {
                    throw FabricConfigError(where,
                                            "in-network group " + std::to_string(t.group) +
                                                " holds rank " + std::to_string(m));
                }
            }
        }
        else if (t.src >= nranks || t.dst >= nranks || t.src == t.dst)
        {
            throw FabricConfigError(where,
                                    which + " goes from rank " + std::to_string(t.src) +
                                        " to rank " + std::to_string(t.dst));
        }
        if (t.via != CollectiveTransfer::NO_RELAY &&
            (t.via >= nranks || t.via == t.src || t.via == t.dst))
        {
            throw FabricConfigError(where,
                                    which + " from rank " + std::to_string(t.src) + " to rank " +
                                        std::to_string(t.dst) + " is relayed by rank " +
                                        std::to_string(t.via));
        }
        if (t.chunk >= chunks)
        {
            throw FabricConfigError(where,
                                    which + " moves chunk " + std::to_string(t.chunk) + " of " +
                                        std::to_string(chunks));
        }
        for (uint32_t d : t.deps)
        {
            if (d >= i)
            {
                throw FabricConfigError(where,
                                        which + " depends on transfer " + std::to_string(d) +
                                            ", not an earlier one");
            }
        }
    }
}

bool
CollectiveSchedule::HasInNetwork() const
{
    return std::any_of(transfers.begin(), transfers.end(), [](const CollectiveTransfer& t) {
        return t.kind != TransferKind::SEND;
    });
}

uint32_t
CollectiveSchedule::GetNSteps() const
{
    uint32_t steps = 0;
    for (const auto& t : transfers)
    {
        steps = std::max(steps, t.step + 1);
    }
    return steps;
}

} // namespace ns3
