/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_LINK_USAGE_H
#define FABRIC_LINK_USAGE_H

#include "fabric-topology.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What the ports of one class of links (all GPU -> NVSwitch ports, all HCA -> leaf
 * ports...) did during a measurement.
 */
struct LinkClassUsage
{
    std::string name;        //!< "NVLink GPU->NVSwitch", "IB hca->leaf", ...
    uint32_t ports{0};       //!< transmitting ports of the class
    uint32_t activePorts{0}; //!< those that sent anything
    uint64_t bytes{0};       //!< wire bytes they sent (headers included)
    double busiest{0};       //!< utilisation of the busiest port: busy time / duration
    double mean{0};          //!< mean utilisation of the active ports
    std::string busiestPort; //!< "node/ifIndex -> peer" of the busiest port
    Time creditStall;        //!< time its ports waited for credits with a packet ready
};

/**
 * \ingroup ai-fabric
 * \brief One transmitting port during a measurement.
 */
struct PortUsage
{
    std::string name;      //!< "node/ifIndex -> peer"
    std::string linkClass; //!< its LinkClassUsage::name
    uint64_t bytes{0};     //!< wire bytes it sent
    double utilisation{0}; //!< busy time / duration
    Time creditStall;      //!< time it waited for credits with a packet ready
};

/**
 * \ingroup ai-fabric
 * \brief The link classes of a measurement, busiest first, and what bound the run.
 */
struct LinkUsageReport
{
    Time duration;                       //!< the measured interval
    std::vector<LinkClassUsage> classes; //!< by busiest-port utilisation, highest first
    double creditStallShare{0}; //!< credit-stall time over (active ports x duration), all ports

    /**
     * \return one line naming the resource that limited the run, e.g. "NVLink GPU->NVSwitch
     * 96% busy; IB hca->leaf 81%; credit stalls 0%" (the busiest classes, at most three)
     */
    std::string GetBoundBy() const;

    /**
     * \param name a class name
     * \return its usage (a zero one if no such class carried data)
     */
    LinkClassUsage GetClass(const std::string& name) const;
};

/**
 * \ingroup ai-fabric
 * \brief Measures, from the devices' own counters (bytes sent, transmitter busy time, credit
 * stalls), how busy each class of a fabric's links was over an interval.
 *
 * A link class is a topology link category and a direction: each link's first end (the GPU of
 * an "nvlink" link, the HCA of an "hca-leaf" link, the leaf of a "leaf-spine" link) sends in
 * one class, its second end in the reverse one. Start() takes a snapshot; Measure() compares
 * the counters now with it. Nothing is added to the per-packet path.
 */
class FabricLinkUsage
{
  public:
    /**
     * \brief Bind to a fabric.
     * \param topology the fabric
     */
    explicit FabricLinkUsage(Ptr<FabricTopology> topology);

    /** \brief Take the snapshot the next Measure() compares with. */
    void Start();

    /** \return what every link class did since Start() */
    LinkUsageReport Measure() const;

    /**
     * \return every transmitting port since Start(), in the topology's link order, idle ones
     * included (a heat map shows idle links too)
     */
    std::vector<PortUsage> MeasurePorts() const;

    /**
     * \param category a topology link category
     * \param firstEnd the link's first end sends (else its second end)
     * \param infiniband the port is an InfiniBand port
     * \return the class's name: "NVLink GPU->NVSwitch", "IB hca->leaf", "IB leaf->hca"...
     */
    static std::string ClassName(const std::string& category, bool firstEnd, bool infiniband);

  private:
    /// A transmitting port and its counters at Start().
    struct Port
    {
        Ptr<FabricNetDevice> device; //!< the port
        uint32_t linkClass{0};       //!< index in m_classNames
        uint64_t bytes{0};           //!< GetTxBytes() at Start()
        Time busy;                   //!< GetTxBusyTime() at Start()
        Time stall;                  //!< credit stall time (all VLs) at Start()
    };

    /**
     * \param device a port
     * \return its credit-stall time over all data VLs
     */
    static Time StallTime(Ptr<FabricNetDevice> device);

    Ptr<FabricTopology> m_topology;        //!< the fabric
    std::vector<std::string> m_classNames; //!< link classes
    std::vector<Port> m_ports;             //!< every transmitting port of a link
    Time m_start;                          //!< when Start() ran
};

} // namespace ns3

#endif /* FABRIC_LINK_USAGE_H */
