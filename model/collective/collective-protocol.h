/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COLLECTIVE_PROTOCOL_H
#define COLLECTIVE_PROTOCOL_H

#include "collective-schedule.h"

#include "ns3/nstime.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NCCL's three wire protocols (fact sheet §9.1).
 *
 * - LL: 16-byte lines of 8 data bytes and 8 flag bytes, 50 % of the bytes are data; the
 *   lowest latency (no fence: the receiver polls the flags).
 * - LL128: 128-byte lines of 120 data bytes and one 8-byte flag word, 93.75 %.
 * - SIMPLE: bulk data with separate flags and memory fences, about 100 %; the highest latency.
 */
enum class CollectiveProtocol
{
    LL,    //!< low latency: 8 of every 16 bytes are data
    LL128, //!< low latency, 128-byte lines: 120 of every 128 bytes are data
    SIMPLE //!< bulk copies with fences: all bytes are data
};

/**
 * \ingroup ai-fabric
 * \brief NCCL's algorithm families, as its tuning tables index them (fact sheet §9.2).
 */
enum class NcclAlgorithm
{
    TREE,           //!< double binary tree
    RING,           //!< ring
    COLLNET_DIRECT, //!< in-network reduction (SHARP), direct
    COLLNET_CHAIN,  //!< in-network reduction (SHARP), chain
    NVLS,           //!< NVLink SHARP (NVSwitch multicast and reduction)
    NVLS_TREE,      //!< NVLS inside nodes, trees across
    PAT,            //!< parallel aggregated trees (all-gather, reduce-scatter; 1 GPU per node)
};

/**
 * \ingroup ai-fabric
 * \brief The link types of NCCL's per-step hardware latency table (fact sheet §9.2).
 */
enum class NcclLinkType
{
    NVLINK, //!< NVLink (direct or through NVSwitch)
    PCI,    //!< PCIe peer to peer
    NET,    //!< the network (InfiniBand, RoCE)
};

/**
 * \ingroup ai-fabric
 * \param protocol a protocol
 * \return its name as NCCL writes it: "LL", "LL128", "Simple"
 */
std::string CollectiveProtocolName(CollectiveProtocol protocol);

/**
 * \ingroup ai-fabric
 * \brief Parse a protocol name (case-insensitive: "ll", "LL128", "simple").
 * \param name the name
 * \return the protocol; throws FabricConfigError for an unknown name
 */
CollectiveProtocol ParseCollectiveProtocol(const std::string& name);

/**
 * \ingroup ai-fabric
 * \brief The share of the bytes a protocol moves that are data (fact sheet §9.1): LL 0.5,
 * LL128 120/128 = 0.9375, Simple 1.
 * \param protocol a protocol
 * \return its data efficiency, in (0, 1]
 */
double CollectiveProtocolEfficiency(CollectiveProtocol protocol);

/**
 * \ingroup ai-fabric
 * \param algorithm an algorithm family
 * \return its name as NCCL writes it: "Tree", "Ring", "CollNetDirect", "CollNetChain",
 * "NVLS", "NVLSTree", "PAT"
 */
std::string NcclAlgorithmName(NcclAlgorithm algorithm);

/**
 * \ingroup ai-fabric
 * \brief The NCCL latency row that fits a schedule's algorithm name (case-insensitive):
 * names containing "nvls" give NVLS (NVLS_TREE if they also contain "tree"), "collnet" gives
 * COLLNET_DIRECT (COLLNET_CHAIN with "chain"), "pat" gives PAT, names containing "tree" give
 * TREE, and everything else (ring, halving-doubling, direct, hierarchical...) RING.
 * \param name an algorithm's name ("ring", "double-binary-tree", "nvls")
 * \return the family whose latencies apply
 */
NcclAlgorithm NcclAlgorithmForName(const std::string& name);

/**
 * \ingroup ai-fabric
 * \param link a link type
 * \return "NVLINK", "PCI" or "NET"
 */
std::string NcclLinkTypeName(NcclLinkType link);

/**
 * \ingroup ai-fabric
 * \brief NCCL's base latency of one collective (fact sheet §9.2, NCCL 2.30 `tuning.cc`
 * `baseLatencies`), in microseconds (LL / LL128 / Simple): Tree 6.8 / 14.0 / 8.4,
 * Ring 6.6 / 14.0 / 8.4, CollNet, NVLS and NVLSTree 0, PAT 8.0 / 8.0 / 8.0.
 * \param algorithm an algorithm family
 * \param protocol a protocol
 * \return the base latency
 */
Time NcclBaseLatency(NcclAlgorithm algorithm, CollectiveProtocol protocol);

/**
 * \ingroup ai-fabric
 * \brief Whether NCCL's hardware latency table has an entry for a combination (the fact
 * sheet's "–" entries have none: CollNet, NVLS, NVLSTree and PAT run Simple only, and NVLS and
 * NVLSTree have no PCI entry).
 * \param link a link type
 * \param algorithm an algorithm family
 * \param protocol a protocol
 * \return true if NcclHwLatency answers for it
 */
bool NcclHasHwLatency(NcclLinkType link, NcclAlgorithm algorithm, CollectiveProtocol protocol);

/**
 * \ingroup ai-fabric
 * \brief NCCL's hardware latency of one step (fact sheet §9.2, NCCL 2.30 `tuning.cc`
 * `hwLatencies`), in microseconds (LL / LL128 / Simple):
 *
 * | algorithm | NVLINK | PCI | NET |
 * |---|---|---|---|
 * | Tree | 0.6 / 1.25 / 4.0 | 1.0 / 1.9 / 4.0 | 5.0 / 8.5 / 14 |
 * | Ring | 0.6 / 1.9 / 3.4 | 1.0 / 2.5 / 5.7 | 2.7 / 4.0 / 14.0 |
 * | CollNetDirect | – / – / 3.7 | – / – / 3.7 | – / – / 31 |
 * | CollNetChain | – / – / 2.8 | – / – / 2.8 | – / – / 30 |
 * | NVLS | – / – / 25 | – | – / – / 18 |
 * | NVLSTree | – / – / 25 | – | – / – / 20.9 |
 * | PAT | – / – / 4.0 | – / – / 4.0 | – / – / 14 |
 *
 * \param link a link type
 * \param algorithm an algorithm family
 * \param protocol a protocol
 * \return the latency of one step; throws FabricConfigError for a "–" entry
 */
Time NcclHwLatency(NcclLinkType link, NcclAlgorithm algorithm, CollectiveProtocol protocol);

/**
 * \ingroup ai-fabric
 * \brief NCCL's once-per-operation latency of a schedule's in-network transfers (fact sheet
 * §9.2: NVLS lat = intraLat (+ interLat on several nodes); CollNet's interLat): the NVLINK row
 * of the family if the schedule has NVLS transfers, plus its NET row if it has SHARP ones. Both
 * backends add it once, before the first transfer; the in-network transfers themselves pay no
 * per-step latency.
 * \param schedule the schedule
 * \param algorithm its NCCL family
 * \param protocol the protocol
 * \return the latency (zero for a schedule of sends only)
 */
Time NcclInNetworkLatency(const CollectiveSchedule& schedule,
                          NcclAlgorithm algorithm,
                          CollectiveProtocol protocol);

} // namespace ns3

#endif /* COLLECTIVE_PROTOCOL_H */
