/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TOPOLOGY_HELPER_H
#define TOPOLOGY_HELPER_H

#include "ns3/fabric-topology.h"
#include "ns3/topology-description.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Builds a wired, addressed and routed fabric from a topology: a file's
 * (TopologyReader) or one described here in code with the same vocabulary.
 *
 * Node groups become servers: their GPUs on an NVLink board (NvlinkHelper presets) and one HCA
 * per rail on GPU r of the server, cabled into a 2-level InfiniBand fat-tree (rail-optimised:
 * rail r on leaf group r) with up/down routing that spreads destinations over the spines as
 * OpenSM's ftree engine does. Dimensions become abstract GPUs, each behind a router port of its
 * own, joined per dimension by rings (dimension-order routing, datelines on a second VL),
 * fully connected blocks or switches. Explicit switches and links are routed by shortest path.
 * After building, the channel dependency graph of the routes is checked: a routing that could
 * deadlock is refused (TopologyError) unless allow-deadlock is set.
 */
class TopologyHelper
{
  public:
    TopologyHelper();

    /** \param name the topology's title */
    void SetName(const std::string& name);
    /** \param kind a server kind */
    void AddNodeKind(const NodeKindSpec& kind);
    /**
     * \param kind a kind added before
     * \param count how many servers of it
     */
    void AddNodes(const std::string& kind, uint32_t count);
    /** \param fatTree the InfiniBand fat-tree across the servers' HCAs */
    void SetFatTree(const FatTreeSpec& fatTree);
    /** \param dimension one more dimension of abstract GPUs */
    void AddDimension(const DimensionSpec& dimension);
    /** \param sw an explicit switch */
    void AddSwitch(const SwitchSpec& sw);
    /** \param link an explicit link */
    void AddLink(const LinkSpec& link);
    /**
     * \brief The common cluster in one call: `servers` DGX H100 (8 GPUs on the H100
     * NVSwitch board, 8 NDR HCAs; kind "dgx-h100") on a 2-level rail-optimised NDR fat-tree
     * of radix-`radix` switches, named "Nx DGX H100, NDR rail-optimised fat-tree".
     * \param servers DGX H100 servers
     * \param radix ports per switch
     */
    void SetDgxH100RailFatTree(uint32_t servers, uint32_t radix);
    /** \param allow build even if the routes can deadlock */
    void SetAllowDeadlock(bool allow);
    /**
     * \param datelines false to route rings without datelines (for studying deadlock)
     */
    void SetDatelines(bool datelines);
    /**
     * \brief Spread the nodes over this many simulator processes (ns-3 system ids, for
     * the MPI engine). Cuts fall on InfiniBand cables only: a server's GPUs, NVSwitches and
     * HCAs share one system; servers go in consecutive blocks (server s of S on system
     * s x systems / S); a leaf goes with the servers it serves (its first HCA's), a pod's
     * aggregation switches with its first leaf, and the top layer (spines, cores) is split in
     * consecutive blocks.
     * Dimension topologies split their GPUs (with their routers) in consecutive blocks,
     * explicit switches in order. Default 1: every node on system 0.
     * \param systems processes (>= 1), e.g. MpiInterface::GetSize()
     */
    void SetSystemCount(uint32_t systems);

    /** \return the description built so far */
    const TopologyDescription& GetDescription() const;

    /** \return the fabric described through this helper's methods */
    Ptr<FabricTopology> Build() const;

    /**
     * \param description a topology (e.g. from TopologyReader::ReadFile)
     * \return the fabric
     */
    Ptr<FabricTopology> Build(const TopologyDescription& description) const;

  private:
    TopologyDescription m_description; //!< what the methods added
    bool m_datelines{true};            //!< break ring cycles with a second VL
    uint32_t m_systems{1};             //!< simulator processes to spread the nodes over
};

} // namespace ns3

#endif /* TOPOLOGY_HELPER_H */
