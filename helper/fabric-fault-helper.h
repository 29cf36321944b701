/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_FAULT_HELPER_H
#define FABRIC_FAULT_HELPER_H

#include "ns3/fabric-channel.h"
#include "ns3/fabric-fault-schedule.h"
#include "ns3/fabric-topology.h"
#include "ns3/ib-subnet-manager.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Schedules faults on a built fabric: cables going down and up, switches failing and
 * coming back, and bit errors on cables.
 *
 * A cable down loses what is on the wire and what waits for it at a switch port; an endpoint
 * keeps its queue. The RC transport recovers the lost packets by NAK or timeout; the subnet
 * manager, with IbSubnetManager::EnableResweep(), routes around the failure. A switch failure
 * is every cable of the switch going down at once (its buffered packets are discarded with
 * them). Bit errors make packets fail their CRC at the receiving port, which drops them.
 *
 * \code
 *   FabricFaultHelper faults;
 *   faults.LinkDown(spinePort, MicroSeconds(50));
 *   faults.LinkUp(spinePort, MilliSeconds(2));
 *   faults.SetBitErrorRate(hcaPort, 1e-7);
 *   faults.AssignStreams(nodes, 100);
 * \endcode
 */
class FabricFaultHelper
{
  public:
    /** One scheduled change of a cable. */
    struct Event
    {
        Ptr<FabricChannel> channel; //!< the cable
        Time at;                    //!< when
        bool up{false};             //!< its new state
    };

    /**
     * \brief Take a cable down at a given time.
     * \param port either end of the cable (a FabricNetDevice)
     * \param at absolute simulation time, not before now
     */
    void LinkDown(Ptr<NetDevice> port, Time at);

    /**
     * \brief Bring a cable up at a given time.
     * \param port either end of the cable
     * \param at absolute simulation time, not before now
     */
    void LinkUp(Ptr<NetDevice> port, Time at);

    /**
     * \brief Fail a switch: all its cables go down at the given time.
     * \param node the switch's node
     * \param at absolute simulation time
     */
    void FailSwitch(Ptr<Node> node, Time at);

    /**
     * \brief Bring a failed switch back: all its cables come up.
     * \param node the switch's node
     * \param at absolute simulation time
     */
    void RecoverSwitch(Ptr<Node> node, Time at);

    /**
     * \brief Give a cable a bit-error rate (both directions).
     * \param port either end of the cable
     * \param ber errored bits per bit
     */
    void SetBitErrorRate(Ptr<NetDevice> port, double ber);

    /**
     * \brief Give every cable of some nodes a bit-error rate.
     * \param nodes the nodes
     * \param ber errored bits per bit
     */
    void SetBitErrorRate(NodeContainer nodes, double ber);

    /**
     * \brief Fix the random streams of the bit errors on the cables of some nodes.
     * \param nodes the nodes
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(NodeContainer nodes, int64_t stream);

    /**
     * \brief Schedule a topology file's `faults` section (FaultScheduleReader) on the fabric
     * built from the file: its bit-error rate on every cable, its events on the cables and
     * switches they name, and a subnet manager that sweeps again sweep-delay after each
     * change (routes around failures; reports a fabric cut in two). Nothing if the section
     * is absent. Throws TopologyError, with the event's file, line and field, for a name
     * that is no node of the fabric or two nodes without a cable between them.
     * \param topology the fabric
     * \param faults its fault schedule
     */
    void Install(Ptr<FabricTopology> topology, const FaultScheduleSpec& faults);

    /**
     * \return the subnet manager Install() set up for re-sweeps, or nullptr; it lives as
     * long as this helper, which must outlive the simulation
     */
    IbSubnetManager* GetSubnetManager() const;

    /**
     * \brief Count the faults' effects on the fabric's ports.
     * \param nodes the nodes
     * \param crcErrors set to the packets dropped for a bad CRC
     * \param linkDownDrops set to the packets lost to cables being down
     */
    static void CountDrops(NodeContainer nodes, uint64_t& crcErrors, uint64_t& linkDownDrops);

    /** \return the cable changes scheduled so far, in the order they were asked for */
    const std::vector<Event>& GetEvents() const;

    /**
     * \param port a fabric port
     * \return its cable; throws FabricConfigError if it has none
     */
    static Ptr<FabricChannel> GetCable(Ptr<NetDevice> port);

  private:
    /**
     * \brief Schedule one change.
     * \param channel the cable
     * \param at when
     * \param up its new state
     */
    void Schedule(Ptr<FabricChannel> channel, Time at, bool up);

    /**
     * \param node a switch's node
     * \return its cables
     */
    static std::vector<Ptr<FabricChannel>> CablesOf(Ptr<Node> node);

    std::vector<Event> m_events;           //!< scheduled changes
    std::shared_ptr<IbSubnetManager> m_sm; //!< re-sweeps after Install()
};

} // namespace ns3

#endif /* FABRIC_FAULT_HELPER_H */
