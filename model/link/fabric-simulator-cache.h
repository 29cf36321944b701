/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_SIMULATOR_CACHE_H
#define FABRIC_SIMULATOR_CACHE_H

#include "ns3/event-id.h"
#include "ns3/event-impl.h"
#include "ns3/nstime.h"
#include "ns3/simulator-impl.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Simulator::Now() and Schedule() for the per-packet paths, without the singleton
 * look-up on each call.
 *
 * Every Simulator:: call first finds the simulator implementation (a function-local static
 * and a null check) before the virtual call that does the work: about 40 of the 50
 * instructions of a Simulator::Now(), which a packet-hop makes five or six times. This keeps
 * the implementation pointer and calls it directly, which is what Simulator:: does after
 * its look-up, so times, event ids and event order are the same.
 *
 * The pointer is taken on first use and let go of when the simulator is destroyed (a
 * ScheduleDestroy event), so a later simulation in the same process, with another
 * implementation (e.g. ns-3's distributed ones), is found afresh. ns-3 refuses to change the
 * implementation of a simulator that exists, so the pointer cannot go stale in between.
 */
class FabricSimulatorCache
{
  public:
    /// \return the current simulated time, as Simulator::Now()
    static Time Now()
    {
        return Get()->Now();
    }

    /**
     * As Simulator::Schedule(delay, event).
     * \param delay from now, not negative
     * \param event the event; the simulator takes a reference of its own
     * \return the event's id
     */
    static EventId Schedule(const Time& delay, EventImpl* event)
    {
        event->Ref(); // the simulator's reference, released after the event runs
        return Get()->Schedule(delay, event);
    }

    /**
     * As Simulator::ScheduleWithContext(context, delay, event).
     * \param context the node id the event runs for
     * \param delay from now, not negative
     * \param event the event; the simulator takes a reference of its own
     */
    static void ScheduleWithContext(uint32_t context, const Time& delay, EventImpl* event)
    {
        event->Ref(); // as Schedule()
        Get()->ScheduleWithContext(context, delay, event);
    }

  private:
    /// \return the simulator implementation, looked up once per simulator
    static SimulatorImpl* Get()
    {
        return s_impl != nullptr ? s_impl : Fetch();
    }

    /// \return the implementation, after looking it up and arranging to forget it
    static SimulatorImpl* Fetch();

    /// Forget the implementation: the simulator is being destroyed.
    static void Forget();

    static SimulatorImpl* s_impl; //!< the implementation, or null until looked up
};

} // namespace ns3

#endif /* FABRIC_SIMULATOR_CACHE_H */
