/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "credit-flow-control.h"

#include "ns3/assert.h"

namespace ns3
{

void
CreditSender::Reset(uint8_t numVls, uint64_t initialLimit)
{
    m_sent.assign(numVls, 0);
    m_limit.assign(numVls, initialLimit);
    m_inFlight.clear();
}

void
CreditSender::AddUpdate(Time arrival, uint8_t vl, uint64_t limit)
{
    NS_ASSERT_MSG(vl < m_limit.size(), "FCP for VL " << +vl << " beyond the link's VLs");
    // FCPs share one reverse wire and one delay, so they arrive in the order they were sent.
    NS_ASSERT(m_inFlight.empty() || m_inFlight.back().arrival <= arrival);
    m_inFlight.push_back(Update{arrival, vl, limit});
}

void
CreditReceiver::Reset(uint8_t numVls, uint32_t capacityBlocks)
{
    m_capacity = capacityBlocks;
    m_occupied.assign(numVls, 0);
    m_received.assign(numVls, 0);
}

} // namespace ns3
