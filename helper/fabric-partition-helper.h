/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_PARTITION_HELPER_H
#define FABRIC_PARTITION_HELPER_H

#include "ns3/fabric-net-device.h"
#include "ns3/node-container.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Joins the parts of a fabric whose nodes sit on different ns-3 systems (simulator
 * processes): each port whose cable ends on another system gets a FabricRemoteLink.
 *
 * Spread the nodes first (TopologyHelper::SetSystemCount). Then, in a distributed run (ns-3
 * built with MPI, GlobalValue SimulatorImplementationType set to
 * ns3::DistributedSimulatorImpl or ns3::NullMessageSimulatorImpl, MpiInterface::Enable called),
 * InstallMpi() gives every local port on a cut cable an FabricMpiLink and the MPI receiver
 * that takes its peer's messages. In one process, InstallLoopback() sends every cut cable
 * through a FabricLoopbackLink: the same messages, serialised and rebuilt, so a sequential
 * run can show that the distributed path changes no result.
 *
 * \code
 *   MpiInterface::Enable(&argc, &argv);
 *   TopologyHelper helper;
 *   helper.SetSystemCount(MpiInterface::GetSize());
 *   Ptr<FabricTopology> fabric = helper.Build(description);
 *   FabricPartitionHelper::InstallMpi(NodeContainer::GetGlobal());
 * \endcode
 */
class FabricPartitionHelper
{
  public:
    /**
     * \param nodes the nodes to look at
     * \return every fabric port on them whose cable's far end is on another system
     */
    static std::vector<Ptr<FabricNetDevice>> GetCutPorts(const NodeContainer& nodes);

    /**
     * \brief Route every cut cable among the nodes, both directions, through loopback links.
     * \param nodes the nodes (e.g. NodeContainer::GetGlobal())
     * \return the ports given a link
     */
    static uint32_t InstallLoopback(const NodeContainer& nodes);

    /**
     * \brief In a distributed run: give each port of this process (MpiInterface::GetSystemId)
     * on a cut cable an MPI link, and its device the MPI receiver for the far end's messages.
     * Throws FabricConfigError if the module was built without ns-3's mpi module.
     * \param nodes the nodes (e.g. NodeContainer::GetGlobal())
     * \return the ports given a link
     */
    static uint32_t InstallMpi(const NodeContainer& nodes);

    /** \return true if the module was built with ns-3's mpi module (InstallMpi works) */
    static bool HaveMpi();
};

} // namespace ns3

#endif /* FABRIC_PARTITION_HELPER_H */
