/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_SUBNET_MANAGER_H
#define IB_SUBNET_MANAGER_H

#include "ns3/event-id.h"
#include "ns3/ib-net-device.h"
#include "ns3/ib-switch.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"

#include <map>
#include <utility>
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
     * \brief Discover the IB ports and switches and assign LIDs, as Run() does, but keep the
     * routes the switches have (a topology builder's): for a manager that only re-sweeps
     * after faults (EnableResweep()).
     * \param nodes the nodes of the subnet
     */
    void Discover(NodeContainer nodes);

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

    /**
     * \brief Sweep the subnet again after every link state change (a cable down or up, a
     * switch failing or coming back), as an SM does on the port-state-change trap: once the
     * given delay after the change, all changes within it taken together.
     *
     * Call after Run(). The manager must outlive the simulation (it is called from it).
     * \param delay from a change to the new routes; an assumption, not a measured figure:
     * OpenSM's reaction is a trap, a heavy sweep and a table upload, whose time grows with the
     * fabric (default of the fault helper: 10 ms)
     */
    void EnableResweep(Time delay);

    /**
     * \brief Sweep now: compute routes around the cables that are down. When some HCA port
     * can no longer reach another one (a cable or switch failure cut the fabric), the sweep
     * reports it: with ThrowOnDisconnect (the default) it throws FabricConfigError naming
     * the ports cut off, which ends Simulator::Run(); else it records them
     * (GetUnreachable()) and routes what it can.
     */
    void Sweep();

    /** \return the sweeps done since Run() */
    uint32_t GetSweeps() const;

    /** \return when the last sweep ran (Run() counts as one) */
    Time GetLastSweep() const;

    /**
     * \return the (source LID, destination LID) pairs the last sweep could not connect: one
     * end's cable is down or the switches between them are cut apart
     */
    const std::vector<std::pair<uint16_t, uint16_t>>& GetUnreachable() const;

    /**
     * \param throwOnDisconnect whether Sweep() throws when the fabric is disconnected
     */
    void SetThrowOnDisconnect(bool throwOnDisconnect);

  private:
    /** \brief Give LIDs to the HCA ports that have none; check uniqueness. */
    void AssignLids();
    /** \brief Fill every switch's forwarding table. */
    void ComputeRoutes();

    std::vector<Ptr<IbNetDevice>> m_hcas;         //!< HCA ports found
    std::vector<Ptr<IbSwitch>> m_switches;        //!< switches found
    std::map<uint32_t, size_t> m_switchIndex;     //!< node id -> index in m_switches
    std::map<uint16_t, Ptr<IbNetDevice>> m_byLid; //!< HCA ports by LID

    /** \brief A cable changed state: sweep after the delay, unless a sweep is due already. */
    void OnLinkState(bool up);

    std::vector<std::pair<uint16_t, uint16_t>> m_unreachable; //!< pairs the last sweep cut off
    Time m_resweepDelay;                                      //!< change to sweep
    EventId m_resweep;                                        //!< the sweep due
    uint32_t m_sweeps{0};                                     //!< sweeps since Run()
    Time m_lastSweep;                                         //!< when the last one ran
    bool m_throwOnDisconnect{true};                           //!< Sweep() throws on a cut fabric
    bool m_watching{false}; //!< EnableResweep() connected the traces
};

} // namespace ns3

#endif /* IB_SUBNET_MANAGER_H */
