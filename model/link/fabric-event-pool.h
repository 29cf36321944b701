/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_EVENT_POOL_H
#define FABRIC_EVENT_POOL_H

#include "ns3/event-impl.h"
#include "ns3/ptr.h"

#include <cstddef>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Simulator events of one kind, reused once the simulator has let go of them.
 *
 * A port schedules events at the rate it moves packets (its next transmit decision, each
 * packet's arrival at the peer); making a new EventImpl for each costs an allocation and a
 * free per packet-hop. The pool keeps its events and hands out one that is neither pending
 * nor cancelled: the simulator holds a reference while an event is pending or running, so an
 * event whose only reference is the pool's is free. Events of a port fire in about the order
 * they were scheduled, so the pool is a ring searched from its oldest entry: in steady state
 * the first look finds a free event, and the pool grows only to the number in flight.
 *
 * Reuse changes nothing the simulation can see: each Schedule() still gets its own event id,
 * and events run in the same order.
 *
 * \tparam E an EventImpl subclass with a default constructor
 */
template <typename E>
class FabricEventPool
{
  public:
    /**
     * \return an event that is neither pending nor cancelled, to fill and schedule (with
     * GetPointer(), as the simulator takes a reference of its own)
     */
    E* Take()
    {
        if (m_next < m_events.size())
        {
            Ptr<E>& oldest = m_events[m_next];
            if (oldest->GetReferenceCount() == 1)
            {
                if (oldest->IsCancelled())
                {
                    oldest = Create<E>(); // a cancelled event never runs again
                }
                E* event = PeekPointer(oldest);
                m_next = (m_next + 1) % m_events.size();
                return event;
            }
        }
        // All in flight: a new one, placed so that ring order stays scheduling order.
        const auto at = m_events.insert(m_events.begin() + m_next, Create<E>());
        E* event = PeekPointer(*at);
        m_next = (m_next + 1) % m_events.size();
        return event;
    }

    /** \return the events the pool holds (the most ever in flight at once, at least) */
    std::size_t GetSize() const
    {
        return m_events.size();
    }

    /** \brief Let go of every event (pending ones stay with the simulator until they run). */
    void Clear()
    {
        m_events.clear();
        m_next = 0;
    }

  private:
    std::vector<Ptr<E>> m_events; //!< the ring, oldest at m_next
    std::size_t m_next{0};        //!< where the next search starts
};

} // namespace ns3

#endif // FABRIC_EVENT_POOL_H
