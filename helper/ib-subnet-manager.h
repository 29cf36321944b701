/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_SUBNET_MANAGER_H
#define IB_SUBNET_MANAGER_H

#include "ns3/ib-net-device.h"
#include "ns3/ib-switch.h"
#include "ns3/node-container.h"

#include <map>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What an InfiniBand subnet manager does at bring-up: discover the fabric, give every
 * HCA port a LID and program every switch's linear forwarding table.
 *
 * LIDs a user set beforehand (IbNetDevice::SetLid) are kept; the others are handed out from 1
 * upwards. Routes are minimum-hop; among equally short next hops a switch takes the port that
 * carries the fewest destinations so far, as OpenSM's default minhop engine balances them
 * (fact sheet §6). Every switch also gets, per destination, an adaptive-routing group of all
 * its ports one hop nearer, which it uses only when its AdaptiveRouting attribute is on (free of
 * credit loops on trees; on other topologies minimum-hop AR may not be). Fat-tree up/down
 * routing comes with the topology builder.
 */
class IbSubnetManager
{
  public:
    IbSubnetManager();

    /**
     * \brief Discover the IB ports and switches on the nodes, assign LIDs, compute routes.
     * \param nodes the nodes of the subnet (HCA nodes and switches)
     *
     * Throws FabricConfigError on a LID used twice or a port without a cable.
     */
    void Run(NodeContainer nodes);

    /**
     * \param device an HCA port
     * \return its LID (0 before Run())
     */
    uint16_t GetLid(Ptr<NetDevice> device) const;

    /**
     * \param lid a LID
     * \return the HCA port that has it, or nullptr
     */
    Ptr<IbNetDevice> GetPort(uint16_t lid) const;

    /**
     * \brief The switches a packet crosses between two HCA ports, in order.
     * \param from source LID
     * \param to destination LID
     * \return the switches' node ids; throws FabricConfigError if the route is broken
     */
    std::vector<uint32_t> GetPath(uint16_t from, uint16_t to) const;

    /** \return the HCA ports, by LID */
    const std::map<uint16_t, Ptr<IbNetDevice>>& GetPorts() const;

  private:
    /** \brief Give LIDs to the HCA ports that have none; check uniqueness. */
    void AssignLids();
    /** \brief Fill every switch's forwarding table. */
    void ComputeRoutes();

    std::vector<Ptr<IbNetDevice>> m_hcas;         //!< HCA ports found
    std::vector<Ptr<IbSwitch>> m_switches;        //!< switches found
    std::map<uint32_t, size_t> m_switchIndex;     //!< node id -> index in m_switches
    std::map<uint16_t, Ptr<IbNetDevice>> m_byLid; //!< HCA ports by LID
};

} // namespace ns3

#endif /* IB_SUBNET_MANAGER_H */
