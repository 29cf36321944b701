/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "connection-slots.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <sstream>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ConnectionSlots");

namespace
{

/// Whether `t` sends on the data `d` brought: its receiver passes on the same chunk after it.
bool
IsForwarder(const CollectiveTransfer& t, const CollectiveTransfer& d)
{
    return d.dst == t.src && d.chunk == t.chunk;
}

/// A connection: (sender, receiver, channel, lane).
struct ConnectionKey
{
    uint32_t src;     //!< sender
    uint32_t dst;     //!< receiver
    uint32_t channel; //!< channel
    uint32_t lane;    //!< lane

    /**
     * \param o another key
     * \return whether they are the same
     */
    bool operator==(const ConnectionKey& o) const
    {
        return src == o.src && dst == o.dst && channel == o.channel && lane == o.lane;
    }
};

/// Hash of a ConnectionKey.
struct ConnectionKeyHash
{
    /**
     * \param k a key
     * \return its hash
     */
    size_t operator()(const ConnectionKey& k) const
    {
        uint64_t h = (static_cast<uint64_t>(k.src) << 32 | k.dst) * 0x9E3779B97F4A7C15ULL;
        h ^= (h >> 29) + (static_cast<uint64_t>(k.channel) << 32 | k.lane) * 0xBF58476D1CE4E5B9ULL;
        return static_cast<size_t>(h ^ (h >> 32));
    }
};

} // namespace

ConnectionSlots::ConnectionSlots(const CollectiveSchedule& schedule, uint32_t slots)
    : m_schedule(schedule),
      m_slots(slots)
{
    const auto n = static_cast<uint32_t>(schedule.transfers.size());
    std::unordered_map<ConnectionKey, uint32_t, ConnectionKeyHash> ids;
    m_connectionOf.resize(n);
    m_forwarders.assign(n, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        const CollectiveTransfer& t = schedule.transfers[i];
        const ConnectionKey key{t.src, t.dst, t.channel, t.lane};
        m_connectionOf[i] = ids.emplace(key, static_cast<uint32_t>(ids.size())).first->second;
        for (uint32_t d : t.deps)
        {
            // The receiver of d sends on what it received: d's slot frees when this is posted.
            if (IsForwarder(t, schedule.transfers[d]))
            {
                ++m_forwarders[d];
            }
        }
    }
    m_occupied.assign(ids.size(), {});
    m_waiting.assign(ids.size(), {});
    NS_LOG_LOGIC(n << " transfers on " << ids.size() << " connections, " << slots << " slots each");
}

std::vector<uint32_t>
ConnectionSlots::Ready(uint32_t transfer)
{
    std::vector<uint32_t> out;
    Ready(transfer, out);
    return out;
}

void
ConnectionSlots::Ready(uint32_t transfer, std::vector<uint32_t>& out)
{
    const uint32_t c = m_connectionOf[transfer];
    if (m_schedule.transfers[transfer].deps.empty() &&
        (!HasSlot(transfer) || (!m_waiting[c].empty() && *m_waiting[c].begin() < transfer)))
    {
        m_waiting[c].insert(transfer);
        ++m_held;
        return;
    }
    Post(transfer, out);
}

bool
ConnectionSlots::HasSlot(uint32_t transfer) const
{
    const auto& occupied = m_occupied[m_connectionOf[transfer]];
    if (m_slots == 0 || occupied.size() < m_slots)
    {
        return true;
    }
    const uint32_t slice = m_schedule.transfers[transfer].slice;
    const auto it =
        std::lower_bound(occupied.begin(), occupied.end(), std::make_pair(slice, uint32_t{0}));
    return it != occupied.end() && it->first == slice;
}

std::vector<uint32_t>
ConnectionSlots::Arrived(uint32_t transfer)
{
    std::vector<uint32_t> out;
    Arrived(transfer, out);
    return out;
}

void
ConnectionSlots::Arrived(uint32_t transfer, std::vector<uint32_t>& out)
{
    // Its forwarders depend on its arrival: none has been posted yet, so a count of zero
    // means nothing forwards it.
    if (m_forwarders[transfer] == 0)
    {
        Free(transfer, out);
    }
}

void
ConnectionSlots::Post(uint32_t transfer, std::vector<uint32_t>& out)
{
    // Freeing a slot posts waiting sources, which depend on nothing and so free nothing in
    // turn: the recursion is one level deep.
    auto& occupied = m_occupied[m_connectionOf[transfer]];
    const uint32_t slice = m_schedule.transfers[transfer].slice;
    auto it =
        std::lower_bound(occupied.begin(), occupied.end(), std::make_pair(slice, uint32_t{0}));
    if (it != occupied.end() && it->first == slice)
    {
        ++it->second;
    }
    else
    {
        occupied.insert(it, {slice, 1});
    }
    out.push_back(transfer);
    const CollectiveTransfer& t = m_schedule.transfers[transfer];
    for (uint32_t d : t.deps)
    {
        if (IsForwarder(t, m_schedule.transfers[d]) && --m_forwarders[d] == 0)
        {
            Free(d, out);
        }
    }
}

void
ConnectionSlots::SetLocal(std::vector<bool> local)
{
    m_local = std::move(local);
}

std::vector<uint32_t>
ConnectionSlots::TakeRemoteFrees()
{
    std::vector<uint32_t> frees;
    frees.swap(m_remoteFrees);
    return frees;
}

void
ConnectionSlots::Free(uint32_t transfer, std::vector<uint32_t>& out)
{
    if (!m_local.empty() && !m_local[transfer])
    {
        m_remoteFrees.push_back(transfer); // its sender's process holds the slot
        return;
    }
    FreeRemote(transfer, out);
}

void
ConnectionSlots::FreeRemote(uint32_t transfer, std::vector<uint32_t>& out)
{
    const uint32_t c = m_connectionOf[transfer];
    auto& occupied = m_occupied[c];
    const uint32_t slice = m_schedule.transfers[transfer].slice;
    auto it =
        std::lower_bound(occupied.begin(), occupied.end(), std::make_pair(slice, uint32_t{0}));
    if (--it->second == 0)
    {
        occupied.erase(it);
    }
    while (!m_waiting[c].empty() && HasSlot(*m_waiting[c].begin()))
    {
        const uint32_t next = *m_waiting[c].begin();
        m_waiting[c].erase(m_waiting[c].begin());
        --m_held;
        Post(next, out);
    }
}

uint32_t
ConnectionSlots::GetHeld() const
{
    return m_held;
}

void
ConnectionSlots::ThrowStalled(const std::string& where) const
{
    // Which ranks wait on what: per connection with waiting sends, the sender, the receiver,
    // the waiting transfers and the pieces that hold its slots until the receiver forwards them.
    std::ostringstream os;
    os << "stalled with " << m_held << " transfers waiting for receive slots; SlotsPerConnection "
       << m_slots << " is too few for this schedule";
    uint32_t shown = 0;
    uint32_t connections = 0;
    for (uint32_t c = 0; c < m_waiting.size(); ++c)
    {
        if (m_waiting[c].empty())
        {
            continue;
        }
        ++connections;
        if (shown == MAX_STALLS_SHOWN)
        {
            continue;
        }
        ++shown;
        const CollectiveTransfer& first = m_schedule.transfers[*m_waiting[c].begin()];
        os << "\n  rank " << first.src << " waits to send to rank " << first.dst << " (channel "
           << first.channel << ", lane " << first.lane << "): transfer";
        os << (m_waiting[c].size() > 1 ? "s" : "");
        uint32_t listed = 0;
        for (uint32_t t : m_waiting[c])
        {
            if (listed++ == MAX_STALLS_SHOWN)
            {
                os << " ...";
                break;
            }
            os << " " << t << " (chunk " << m_schedule.transfers[t].chunk << ", slice "
               << m_schedule.transfers[t].slice << ")";
        }
        os << " wait" << (m_waiting[c].size() > 1 ? "" : "s") << " for a slot, held by slice";
        os << (m_occupied[c].size() > 1 ? "s" : "");
        for (const auto& [slice, count] : m_occupied[c])
        {
            os << " " << slice;
        }
        os << " until rank " << first.dst << " forwards them";
    }
    if (connections > shown)
    {
        os << "\n  ... and " << (connections - shown) << " more connections";
    }
    throw FabricConfigError(where, os.str());
}

uint32_t
ConnectionSlots::GetNConnections() const
{
    return static_cast<uint32_t>(m_occupied.size());
}

uint32_t
ConnectionSlots::GetConnection(uint32_t transfer) const
{
    return m_connectionOf[transfer];
}

} // namespace ns3
