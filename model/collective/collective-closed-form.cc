/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "collective-closed-form.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <string>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CollectiveClosedForm");

namespace CollectiveClosedForm
{

namespace
{

/**
 * \brief Refuse arguments no formula here has a meaning for.
 * \param what the formula
 * \param n ranks
 * \param bandwidth B
 */
void
Check(const char* what, uint32_t n, double bandwidth)
{
    if (n == 0 || !(bandwidth > 0))
    {
        throw FabricConfigError(std::string("CollectiveClosedForm::") + what,
                                "needs n >= 1 and a positive bandwidth (n = " + std::to_string(n) +
                                    ", B = " + std::to_string(bandwidth) + " B/s)");
    }
}

/**
 * \param n ranks (>= 1)
 * \return ceil(log2 n)
 */
uint32_t
CeilLog2(uint32_t n)
{
    uint32_t levels = 0;
    while ((uint64_t{1} << levels) < n)
    {
        ++levels;
    }
    return levels;
}

} // namespace

double
RingAllReduce(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("RingAllReduce", n, bandwidth);
    return 2.0 * (n - 1) / n * bytes / bandwidth + 2.0 * (n - 1) * alpha;
}

double
RingReduceScatter(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("RingReduceScatter", n, bandwidth);
    return double(n - 1) / n * bytes / bandwidth + double(n - 1) * alpha;
}

double
RingAllGather(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("RingAllGather", n, bandwidth);
    return double(n - 1) / n * bytes / bandwidth + double(n - 1) * alpha;
}

double
RingBroadcast(uint32_t n, double bytes, double bandwidth, double alpha, uint32_t chunks)
{
    Check("RingBroadcast", n, bandwidth);
    if (n == 1)
    {
        return 0;
    }
    const double k = std::max<uint32_t>(chunks, 1);
    return (n + k - 2) * (alpha + bytes / (k * bandwidth));
}

double
RingReduce(uint32_t n, double bytes, double bandwidth, double alpha, uint32_t chunks)
{
    Check("RingReduce", n, bandwidth);
    return RingBroadcast(n, bytes, bandwidth, alpha, chunks);
}

double
DoubleBinaryTreeAllReduce(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("DoubleBinaryTreeAllReduce", n, bandwidth);
    if (n == 1)
    {
        return 0;
    }
    return 2.0 * CeilLog2(n) * alpha + 2.0 * bytes / bandwidth;
}

double
HalvingDoublingAllReduce(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("HalvingDoublingAllReduce", n, bandwidth);
    if ((n & (n - 1)) != 0)
    {
        throw FabricConfigError("CollectiveClosedForm::HalvingDoublingAllReduce",
                                "needs a power of two ranks, not " + std::to_string(n));
    }
    return 2.0 * CeilLog2(n) * alpha + 2.0 * (n - 1) / n * bytes / bandwidth;
}

double
DirectAllReduce(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("DirectAllReduce", n, bandwidth);
    if (n == 1)
    {
        return 0;
    }
    return 2.0 * alpha + 2.0 * (n - 1) / n * bytes / bandwidth;
}

double
DirectReduceScatter(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("DirectReduceScatter", n, bandwidth);
    if (n == 1)
    {
        return 0;
    }
    return alpha + double(n - 1) / n * bytes / bandwidth;
}

double
DirectAllGather(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("DirectAllGather", n, bandwidth);
    return DirectReduceScatter(n, bytes, bandwidth, alpha);
}

double
DirectAllToAll(uint32_t n, double bytes, double bandwidth, double alpha)
{
    Check("DirectAllToAll", n, bandwidth);
    return DirectReduceScatter(n, bytes, bandwidth, alpha);
}

double
AlgBandwidth(double bytes, double seconds)
{
    if (!(seconds > 0))
    {
        throw FabricConfigError("CollectiveClosedForm::AlgBandwidth",
                                "needs a positive time, not " + std::to_string(seconds) + " s");
    }
    return bytes / seconds;
}

double
BusBandwidthFactor(CollectiveOp op, uint32_t n)
{
    if (n == 0)
    {
        throw FabricConfigError("CollectiveClosedForm::BusBandwidthFactor", "needs n >= 1");
    }
    switch (op)
    {
    case CollectiveOp::ALL_REDUCE:
        return 2.0 * (n - 1) / n;
    case CollectiveOp::REDUCE_SCATTER:
    case CollectiveOp::ALL_GATHER:
    case CollectiveOp::ALL_TO_ALL:
        return double(n - 1) / n;
    case CollectiveOp::BROADCAST:
    case CollectiveOp::REDUCE:
    case CollectiveOp::SEND_RECV:
        return 1.0;
    }
    return 1.0;
}

double
BusBandwidth(CollectiveOp op, uint32_t n, double algBandwidth)
{
    return algBandwidth * BusBandwidthFactor(op, n);
}

} // namespace CollectiveClosedForm

} // namespace ns3
