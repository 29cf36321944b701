/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_DEADLOCK_WATCHDOG_H
#define FABRIC_DEADLOCK_WATCHDOG_H

#include "fabric-net-device.h"

#include "ns3/event-id.h"
#include "ns3/fabric-config-error.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The error a credit deadlock raises: it carries the cycle in its message.
 *
 * A FabricConfigError, so the shipped programs print it and exit with status 1.
 */
class FabricDeadlockError : public FabricConfigError
{
  public:
    /**
     * \param where who found it
     * \param what the report
     */
    FabricDeadlockError(const std::string& where, const std::string& what);
    ~FabricDeadlockError() override;
};

/**
 * \ingroup ai-fabric
 * \brief Finds credit deadlocks: packets buffered, and some port VL unable to send one for a
 * configurable simulated time.
 *
 * A lossless fabric deadlocks when the buffers of a cycle of links are full and each waits for
 * credits from the next (a torus without datelines, a ring routed minhop). Nothing moves, no
 * event is left but timers, and a simulation would end with packets stuck in buffers, or spin
 * on transport timers forever. The watchdog looks every CheckInterval at every fabric port of
 * the simulation (the nodes in NodeList, found on its first check). When a port VL has waited
 * for credits longer than Timeout, or when nothing but the watchdog is left to run while
 * packets sit in buffers, it builds the wait-for graph (a port VL waits on the input buffer at
 * the other end of its cable, whose packets wait on the switch egress port VLs they are routed
 * to), finds a cycle, fires the Deadlock trace, stops the simulation and, when ThrowOnDeadlock
 * is true, throws FabricDeadlockError out of Simulator::Run().
 *
 * It reschedules itself only while other events remain, so a finished simulation still ends.
 * The checks cost O(ports) each and nothing on the per-packet path.
 */
class FabricDeadlockWatchdog : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricDeadlockWatchdog();
    ~FabricDeadlockWatchdog() override;

    /** \brief One member of a wait-for cycle: a transmitting port and its VL. */
    struct Wait
    {
        Ptr<FabricNetDevice> port; //!< the transmitting port
        uint8_t vl{0};             //!< the VL it cannot send on
        Time waited;               //!< how long it has waited for credits
    };

    /**
     * \brief Begin watching: the first check is one CheckInterval from now.
     */
    void Start();

    /** \brief Stop watching. */
    void Stop();

    /** \return true once a deadlock was found */
    bool HasFired() const;

    /** \return the report of the deadlock found (empty before) */
    const std::string& GetReport() const;

    /**
     * \return the cycle found, each member waiting on the next and the last on the first;
     * empty when the stuck ports form no cycle (then GetReport() gives the longest chain)
     */
    const std::vector<Wait>& GetCycle() const;

    /**
     * \brief Check now, whatever the time since the last check (also called by Start()'s
     * events). Fires as described above.
     */
    void Check();

    /**
     * TracedCallback signature for a deadlock.
     * \param report the cycle, one line per member
     */
    typedef void (*DeadlockTracedCallback)(const std::string& report);

  protected:
    void DoDispose() override;

  private:
    /** \brief Find the fabric ports of the simulation (again, if nodes were added). */
    void CollectPorts();

    /**
     * \brief Build the report and the cycle, fire the trace, stop, throw.
     * \param why why it fired
     */
    void Fire(const std::string& why);

    Time m_timeout;                                     //!< credit wait that counts as a deadlock
    Time m_interval;                                    //!< time between checks (zero: Timeout / 8)
    bool m_throw;                                       //!< throw FabricDeadlockError when it fires
    EventId m_event;                                    //!< next check
    bool m_fired{false};                                //!< a deadlock was found
    std::string m_report;                               //!< its report
    std::vector<Wait> m_cycle;                          //!< its cycle
    std::vector<Ptr<FabricNetDevice>> m_ports;          //!< the ports watched
    uint32_t m_nodesSeen{0};                            //!< NodeList size when m_ports was built
    TracedCallback<const std::string&> m_deadlockTrace; //!< Deadlock
};

} // namespace ns3

#endif /* FABRIC_DEADLOCK_WATCHDOG_H */
