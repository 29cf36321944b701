/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "collective-protocol.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CollectiveProtocol");

namespace
{

/// Rows of NCCL's tables, in NcclAlgorithm order.
constexpr int N_ALGORITHMS = 7;
/// Columns: LL, LL128, Simple.
constexpr int N_PROTOCOLS = 3;

/// Marks a "–" entry of the hardware latency table.
constexpr double NONE = -1.0;

/// Base latency in microseconds (fact sheet §9.2; NCCL 2.30 tuning.cc baseLatencies).
constexpr double BASE_LATENCY_US[N_ALGORITHMS][N_PROTOCOLS] = {
    {6.8, 14.0, 8.4}, // Tree
    {6.6, 14.0, 8.4}, // Ring
    {0, 0, 0},        // CollNetDirect
    {0, 0, 0},        // CollNetChain
    {0, 0, 0},        // NVLS
    {0, 0, 0},        // NVLSTree
    {8.0, 8.0, 8.0},  // PAT
};

/// Hardware latency per step in microseconds, per link type (NVLINK, PCI, NET), algorithm and
/// protocol (fact sheet §9.2; NCCL 2.30 tuning.cc hwLatencies). NONE: "–" on the sheet.
constexpr double HW_LATENCY_US[3][N_ALGORITHMS][N_PROTOCOLS] = {
    {
        // NVLINK
        {0.6, 1.25, 4.0},  // Tree
        {0.6, 1.9, 3.4},   // Ring
        {NONE, NONE, 3.7}, // CollNetDirect
        {NONE, NONE, 2.8}, // CollNetChain
        {NONE, NONE, 25},  // NVLS
        {NONE, NONE, 25},  // NVLSTree
        {NONE, NONE, 4.0}, // PAT
    },
    {
        // PCI
        {1.0, 1.9, 4.0},    // Tree
        {1.0, 2.5, 5.7},    // Ring
        {NONE, NONE, 3.7},  // CollNetDirect
        {NONE, NONE, 2.8},  // CollNetChain
        {NONE, NONE, NONE}, // NVLS
        {NONE, NONE, NONE}, // NVLSTree
        {NONE, NONE, 4.0},  // PAT
    },
    {
        // NET
        {5.0, 8.5, 14},     // Tree
        {2.7, 4.0, 14.0},   // Ring
        {NONE, NONE, 31},   // CollNetDirect
        {NONE, NONE, 30},   // CollNetChain
        {NONE, NONE, 18},   // NVLS
        {NONE, NONE, 20.9}, // NVLSTree
        {NONE, NONE, 14},   // PAT
    },
};

/**
 * \param us microseconds with at most three decimals (every table entry)
 * \return the same as a Time, exact (whole nanoseconds)
 */
Time
FromMicroseconds(double us)
{
    return NanoSeconds(static_cast<int64_t>(std::llround(us * 1000.0)));
}

std::string
Lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return s;
}

} // namespace

std::string
CollectiveProtocolName(CollectiveProtocol protocol)
{
    switch (protocol)
    {
    case CollectiveProtocol::LL:
        return "LL";
    case CollectiveProtocol::LL128:
        return "LL128";
    case CollectiveProtocol::SIMPLE:
        return "Simple";
    }
    return "?";
}

CollectiveProtocol
ParseCollectiveProtocol(const std::string& name)
{
    const std::string n = Lower(name);
    if (n == "ll")
    {
        return CollectiveProtocol::LL;
    }
    if (n == "ll128")
    {
        return CollectiveProtocol::LL128;
    }
    if (n == "simple")
    {
        return CollectiveProtocol::SIMPLE;
    }
    throw FabricConfigError("CollectiveProtocol",
                            "unknown protocol \"" + name + "\" (LL, LL128 or Simple)");
}

double
CollectiveProtocolEfficiency(CollectiveProtocol protocol)
{
    switch (protocol)
    {
    case CollectiveProtocol::LL:
        return 0.5; // 8 data bytes per 16-byte line (fact sheet §9.1)
    case CollectiveProtocol::LL128:
        return 120.0 / 128.0; // 120 data bytes per 128-byte line (§9.1)
    case CollectiveProtocol::SIMPLE:
        return 1.0; // flags travel apart from the data (§9.1: about 100 %)
    }
    return 1.0;
}

std::string
NcclAlgorithmName(NcclAlgorithm algorithm)
{
    switch (algorithm)
    {
    case NcclAlgorithm::TREE:
        return "Tree";
    case NcclAlgorithm::RING:
        return "Ring";
    case NcclAlgorithm::COLLNET_DIRECT:
        return "CollNetDirect";
    case NcclAlgorithm::COLLNET_CHAIN:
        return "CollNetChain";
    case NcclAlgorithm::NVLS:
        return "NVLS";
    case NcclAlgorithm::NVLS_TREE:
        return "NVLSTree";
    case NcclAlgorithm::PAT:
        return "PAT";
    }
    return "?";
}

NcclAlgorithm
NcclAlgorithmForName(const std::string& name)
{
    const std::string n = Lower(name);
    const auto has = [&n](const char* part) { return n.find(part) != std::string::npos; };
    if (has("nvls"))
    {
        return has("tree") ? NcclAlgorithm::NVLS_TREE : NcclAlgorithm::NVLS;
    }
    if (has("collnet"))
    {
        return has("chain") ? NcclAlgorithm::COLLNET_CHAIN : NcclAlgorithm::COLLNET_DIRECT;
    }
    if (n == "pat")
    {
        return NcclAlgorithm::PAT;
    }
    if (has("tree"))
    {
        return NcclAlgorithm::TREE;
    }
    return NcclAlgorithm::RING;
}

std::string
NcclLinkTypeName(NcclLinkType link)
{
    switch (link)
    {
    case NcclLinkType::NVLINK:
        return "NVLINK";
    case NcclLinkType::PCI:
        return "PCI";
    case NcclLinkType::NET:
        return "NET";
    }
    return "?";
}

Time
NcclBaseLatency(NcclAlgorithm algorithm, CollectiveProtocol protocol)
{
    return FromMicroseconds(
        BASE_LATENCY_US[static_cast<int>(algorithm)][static_cast<int>(protocol)]);
}

bool
NcclHasHwLatency(NcclLinkType link, NcclAlgorithm algorithm, CollectiveProtocol protocol)
{
    return HW_LATENCY_US[static_cast<int>(link)][static_cast<int>(algorithm)]
                        [static_cast<int>(protocol)] >= 0;
}

Time
NcclHwLatency(NcclLinkType link, NcclAlgorithm algorithm, CollectiveProtocol protocol)
{
    const double us = HW_LATENCY_US[static_cast<int>(link)][static_cast<int>(algorithm)]
                                   [static_cast<int>(protocol)];
    if (us < 0)
    {
        throw FabricConfigError("CollectiveProtocol",
                                "NCCL has no " + NcclLinkTypeName(link) + " latency for " +
                                    NcclAlgorithmName(algorithm) + " with protocol " +
                                    CollectiveProtocolName(protocol) +
                                    " (that combination does not run)");
    }
    return FromMicroseconds(us);
}

Time
NcclInNetworkLatency(const CollectiveSchedule& schedule,
                     NcclAlgorithm algorithm,
                     CollectiveProtocol protocol)
{
    bool nvls = false;
    bool sharp = false;
    for (const auto& t : schedule.transfers)
    {
        nvls = nvls || t.kind == TransferKind::LOAD_REDUCE || t.kind == TransferKind::MULTICAST;
        sharp = sharp || t.kind == TransferKind::GROUP_REDUCE;
    }
    Time latency;
    if (nvls && NcclHasHwLatency(NcclLinkType::NVLINK, algorithm, protocol))
    {
        latency += NcclHwLatency(NcclLinkType::NVLINK, algorithm, protocol);
    }
    if (sharp && NcclHasHwLatency(NcclLinkType::NET, algorithm, protocol))
    {
        latency += NcclHwLatency(NcclLinkType::NET, algorithm, protocol);
    }
    return latency;
}

} // namespace ns3
