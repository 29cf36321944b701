/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_HOT_PORTS_H
#define FABRIC_HOT_PORTS_H

#include "fabric-topology.h"

#include "ns3/event-id.h"
#include "ns3/fabric-switch.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One switch egress port's congestion over a measured interval.
 */
struct HotPort
{
    std::string name;          //!< "leaf0/3 -> spine1" (FabricTopology::GetPortName)
    std::string switchName;    //!< the switch ("leaf0")
    uint16_t port{0};          //!< its index on the switch
    Time aboveThreshold;       //!< time its queue spent at or above the switch's QueueThreshold
    uint32_t maxQueueBytes{0}; //!< deepest queue seen (since the simulation began)
    Time creditStall;          //!< time it waited for credits with a packet ready, all VLs
    uint64_t txBytes{0};       //!< wire bytes it sent
    std::vector<uint32_t> queueSeries; //!< sampled queue depth, bytes (if sampling ran)
    /// Credit-stall time accrued in each sample period, all data VLs (if sampling ran): entry i
    /// is the stall between samples i - 1 and i, entry 0 is zero. Same length as queueSeries.
    std::vector<Time> stallSeries;

    /**
     * \param i a sample
     * \param period the sampling period (FabricHotPorts::GetSamplePeriod)
     * \return stallSeries[i] as a fraction of the period: 0 (never waited) to 1 (waited the
     * whole period), up to the number of data VLs when several wait at once
     */
    double GetStallFraction(size_t i, Time period) const;
};

/**
 * \ingroup ai-fabric
 * \brief The hottest switch ports of a run: which switch, which port, how long its queue stood
 * above the switch's QueueThreshold, how deep it got and how long it waited for credits, and,
 * if asked, two time series at a fixed period: the queue depth at each sample and the
 * credit-stall time accrued since the previous one.
 *
 * It reads counters the switches and ports keep anyway (FabricSwitch::GetTimeAboveThreshold,
 * FabricNetDevice::GetCreditStallTime): nothing is added to the per-packet path. Sampling
 * schedules one event per period while it runs.
 */
class FabricHotPorts
{
  public:
    /**
     * \brief Bind to a fabric.
     * \param topology the fabric
     */
    explicit FabricHotPorts(Ptr<FabricTopology> topology);
    ~FabricHotPorts();

    FabricHotPorts(const FabricHotPorts&) = delete;
    FabricHotPorts& operator=(const FabricHotPorts&) = delete;

    /** \brief Take the snapshot the next Rank() compares with. */
    void Start();

    /**
     * \brief Sample every switch port's queue depth and credit-stall time at a fixed period from
     * now until Stop(), or until nothing else is left to simulate. The first sample is taken
     * at the current time (as an event); the series restart at Start().
     * \param period the sampling period
     */
    void StartSampling(Time period);

    /** \brief Stop sampling. */
    void Stop();

    /** \return the sampling period (zero if never sampled) */
    Time GetSamplePeriod() const;

    /**
     * \param top how many to return at most
     * \return the switch ports since Start(), hottest first: by time above threshold, then by
     * credit-stall time, then by deepest queue; ports that were never hot nor stalled and
     * queued nothing are left out
     */
    std::vector<HotPort> Rank(size_t top = 10) const;

  private:
    /** \brief Take one sample of every port. */
    void Sample();

    /// A switch port being watched.
    struct Watched
    {
        Ptr<FabricSwitch> sw;         //!< the switch
        uint16_t port;                //!< its port
        Time hotAtStart;              //!< time above threshold at Start()
        Time stallAtStart;            //!< credit stall at Start()
        uint64_t txAtStart;           //!< bytes sent at Start()
        std::vector<uint32_t> series; //!< queue depth samples
        Time stallAtSample;           //!< credit stall at the last sample
        std::vector<Time> stall;      //!< credit stall per sample period
    };

    Ptr<FabricTopology> m_topology; //!< the fabric
    std::vector<Watched> m_ports;   //!< every switch port
    Time m_period;                  //!< sampling period
    EventId m_sampleEvent;          //!< next sample
};

} // namespace ns3

#endif /* FABRIC_HOT_PORTS_H */
