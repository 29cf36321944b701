/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "collective-algorithm.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CollectiveAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(CollectiveAlgorithm);

namespace
{

/// \return piece `index` of `total` cut into `parts` pieces, remainders to the first pieces
uint64_t
Share(uint64_t total, uint64_t parts, uint64_t index)
{
    return total / parts + (index < total % parts ? 1 : 0);
}

} // namespace

RankLayout
RankLayout::Flat(uint32_t nranks)
{
    RankLayout layout;
    for (uint32_t r = 0; r < nranks; ++r)
    {
        layout.server.push_back(r);
    }
    return layout;
}

RankLayout
RankLayout::Uniform(uint32_t servers, uint32_t ranksPerServer)
{
    RankLayout layout;
    for (uint32_t s = 0; s < servers; ++s)
    {
        for (uint32_t i = 0; i < ranksPerServer; ++i)
        {
            layout.server.push_back(s);
        }
    }
    return layout;
}

uint32_t
RankLayout::GetNRanks() const
{
    return static_cast<uint32_t>(server.size());
}

uint32_t
RankLayout::GetRail(uint32_t rank) const
{
    return rank < rail.size() ? rail[rank] : 0;
}

std::vector<std::vector<uint32_t>>
RankLayout::GetServerRanks() const
{
    std::vector<std::vector<uint32_t>> groups;
    std::map<uint32_t, size_t> index;
    for (uint32_t r = 0; r < server.size(); ++r)
    {
        auto it = index.find(server[r]);
        if (it == index.end())
        {
            it = index.emplace(server[r], groups.size()).first;
            groups.emplace_back();
        }
        groups[it->second].push_back(r);
    }
    return groups;
}

TypeId
CollectiveAlgorithm::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::CollectiveAlgorithm")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddAttribute("Channels",
                          "Channels (as NCCL's): every slot of the buffer is split over this many "
                          "channels, each an independent copy of the algorithm on its share.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&CollectiveAlgorithm::m_channels),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ChunkSize",
                          "Largest chunk in bytes: each channel's share is cut into pieces of at "
                          "most this many bytes per slot, which pipeline through the algorithm's "
                          "steps. 0: one piece per channel (no pipelining).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&CollectiveAlgorithm::m_chunkSize),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("Pxn",
                          "Relay each transfer between servers whose ranks are on different "
                          "rails through the sender's server's rank on the receiver's rail "
                          "(NCCL's PXN, NCCL_P2P_PXN_LEVEL), so that network traffic stays on "
                          "one rail. Needs the layout's rails.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&CollectiveAlgorithm::m_pxn),
                          MakeBooleanChecker());
    return tid;
}

CollectiveAlgorithm::CollectiveAlgorithm()
    : m_channels(1),
      m_chunkSize(0),
      m_pxn(true)
{
    NS_LOG_FUNCTION(this);
}

CollectiveAlgorithm::~CollectiveAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

bool
CollectiveAlgorithm::Supports(CollectiveOp op, const RankLayout& layout) const
{
    return GetUnsupportedReason(op, layout).empty();
}

uint32_t
CollectiveAlgorithm::GetChannels() const
{
    return m_channels;
}

uint64_t
CollectiveAlgorithm::GetChunkSize() const
{
    return m_chunkSize;
}

CollectiveSchedule
CollectiveAlgorithm::Build(CollectiveOp op,
                           uint64_t bytes,
                           const RankLayout& layout,
                           uint32_t root,
                           uint32_t peer) const
{
    NS_LOG_FUNCTION(this << CollectiveOpName(op) << bytes << layout.GetNRanks() << root << peer);
    const std::string where = GetInstanceTypeId().GetName() + " " + CollectiveOpName(op);
    const uint32_t n = layout.GetNRanks();
    if (n == 0)
    {
        throw FabricConfigError(where, "the rank layout has no ranks");
    }
    const bool rooted = op == CollectiveOp::BROADCAST || op == CollectiveOp::REDUCE ||
                        op == CollectiveOp::SEND_RECV;
    if (rooted && root >= n)
    {
        throw FabricConfigError(where,
                                "root " + std::to_string(root) + " is not a rank of " +
                                    std::to_string(n));
    }
    if (op == CollectiveOp::SEND_RECV && n > 1 && (peer >= n || peer == root))
    {
        throw FabricConfigError(where,
                                "peer " + std::to_string(peer) + " is not a rank of " +
                                    std::to_string(n) + " other than the root " +
                                    std::to_string(root));
    }
    const std::string reason = GetUnsupportedReason(op, layout);
    if (!reason.empty())
    {
        throw FabricConfigError(where, reason);
    }

    CollectiveSchedule schedule;
    schedule.op = op;
    schedule.nranks = n;
    schedule.root = rooted ? root : 0;
    schedule.peer = op == CollectiveOp::SEND_RECV ? (n > 1 ? peer : root) : 0;
    schedule.bytes = bytes;
    schedule.algorithm = GetName();
    if (bytes == 0)
    {
        NS_LOG_LOGIC("no bytes: empty schedule");
        return schedule;
    }
    if (n == 1)
    {
        NS_LOG_LOGIC("one rank: nothing moves");
        schedule.chunks = 1;
        schedule.chunkBytes.push_back(bytes);
        return schedule;
    }

    // Slots and their bytes.
    uint32_t slots = 0;
    std::vector<uint64_t> slotBytes;
    switch (op)
    {
    case CollectiveOp::REDUCE_SCATTER:
    case CollectiveOp::ALL_GATHER:
        slots = n;
        for (uint32_t s = 0; s < n; ++s)
        {
            slotBytes.push_back(Share(bytes, n, s));
        }
        break;
    case CollectiveOp::ALL_TO_ALL:
        slots = n * n;
        for (uint32_t s = 0; s < slots; ++s)
        {
            slotBytes.push_back(Share(bytes, n, s % n));
        }
        break;
    default:
        slots = GetSlots(op, layout);
        NS_ABORT_MSG_IF(slots == 0, GetName() << " has no slots for " << CollectiveOpName(op));
        for (uint32_t s = 0; s < slots; ++s)
        {
            slotBytes.push_back(Share(bytes, slots, s));
        }
        break;
    }

    // Slices: channel by channel, piece by piece; slot s of slice i is chunk i * slots + s.
    struct Slice
    {
        uint32_t channel;
        uint32_t piece;
    };

    std::vector<Slice> slices;
    for (uint32_t ch = 0; ch < m_channels; ++ch)
    {
        uint64_t largest = 0;
        for (uint32_t s = 0; s < slots; ++s)
        {
            largest = std::max(largest, Share(slotBytes[s], m_channels, ch));
        }
        uint64_t pieces = 1;
        if (m_chunkSize > 0 && largest > m_chunkSize)
        {
            pieces = (largest + m_chunkSize - 1) / m_chunkSize;
        }
        for (uint64_t p = 0; p < pieces; ++p)
        {
            for (uint32_t s = 0; s < slots; ++s)
            {
                schedule.chunkBytes.push_back(
                    Share(Share(slotBytes[s], m_channels, ch), pieces, p));
            }
            slices.push_back({ch, static_cast<uint32_t>(p)});
        }
    }
    schedule.chunks = static_cast<uint32_t>(schedule.chunkBytes.size());
    NS_LOG_LOGIC(slices.size() << " slices of " << slots << " slots");

    SliceBuilder builder(schedule, slots);
    for (uint32_t i = 0; i < slices.size(); ++i)
    {
        builder.BeginSlice(i * slots, slices[i].channel, slices[i].piece);
        BuildSlice(builder, op, layout, root, peer);
    }
    builder.Finish();
    if (IsStepSynchronous(op))
    {
        SynchroniseSteps(schedule);
    }
    if (HasSlotLanes(op))
    {
        // Each slot runs over connections of its own (NCCL gives each tree its own channels).
        for (auto& t : schedule.transfers)
        {
            t.lane = t.chunk % slots;
        }
    }
    if (m_pxn && !layout.rail.empty())
    {
        AddRailRelays(schedule, layout);
    }
    return schedule;
}

void
CollectiveAlgorithm::AddRailRelays(CollectiveSchedule& schedule, const RankLayout& layout)
{
    // (server, rail) -> the first rank there: the GPU whose HCA that is.
    std::unordered_map<uint64_t, uint32_t> onRail;
    auto key = [](uint32_t server, uint32_t rail) {
        return static_cast<uint64_t>(server) << 32 | rail;
    };
    for (uint32_t r = 0; r < layout.GetNRanks(); ++r)
    {
        onRail.emplace(key(layout.server[r], layout.GetRail(r)), r);
    }
    for (auto& t : schedule.transfers)
    {
        if (layout.server[t.src] == layout.server[t.dst] ||
            layout.GetRail(t.src) == layout.GetRail(t.dst))
        {
            continue;
        }
        auto it = onRail.find(key(layout.server[t.src], layout.GetRail(t.dst)));
        if (it != onRail.end() && it->second != t.src)
        {
            t.via = it->second;
        }
    }
}

std::vector<uint32_t>
CollectiveAlgorithm::GetChannelOrder(const std::vector<uint32_t>& ranks,
                                     const RankLayout& layout,
                                     uint32_t channel)
{
    // NCCL picks the network port of channel c round-robin (search.cc: nets[(c + i) % count])
    // and enters the server on the GPU nearest it; the other GPUs follow on NVLink.
    std::vector<uint32_t> rails;
    for (uint32_t r : ranks)
    {
        rails.push_back(layout.GetRail(r));
    }
    std::vector<uint32_t> distinct = rails;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() < 2)
    {
        return ranks;
    }
    const uint32_t rail = distinct[channel % distinct.size()];
    const auto first = std::find(rails.begin(), rails.end(), rail) - rails.begin();
    std::vector<uint32_t> order(ranks.begin() + first, ranks.end());
    order.insert(order.end(), ranks.begin(), ranks.begin() + first);
    return order;
}

bool
CollectiveAlgorithm::HasSlotLanes(CollectiveOp op) const
{
    return false;
}

bool
CollectiveAlgorithm::IsStepSynchronous(CollectiveOp op) const
{
    return false;
}

void
CollectiveAlgorithm::SynchroniseSteps(CollectiveSchedule& schedule)
{
    // A rank starts step k of a channel's piece only once every transfer of step k - 1 that it
    // sends or receives has completed, as MPI's and NCCL's step loops do. Without it, chunk-level
    // dependencies let a rank run ahead into the next step while its neighbours are still in the
    // last one, and the exchanges collide on the receivers' links.
    auto& transfers = schedule.transfers;
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::vector<uint32_t>> byRankStep;
    for (uint32_t i = 0; i < transfers.size(); ++i)
    {
        const CollectiveTransfer& t = transfers[i];
        byRankStep[{t.channel, t.step, t.src}].push_back(i);
        byRankStep[{t.channel, t.step, t.dst}].push_back(i);
    }
    for (auto& t : transfers)
    {
        if (t.step == 0)
        {
            continue;
        }
        auto it = byRankStep.find({t.channel, t.step - 1, t.src});
        if (it == byRankStep.end())
        {
            continue;
        }
        t.deps.insert(t.deps.end(), it->second.begin(), it->second.end());
        std::sort(t.deps.begin(), t.deps.end());
        t.deps.erase(std::unique(t.deps.begin(), t.deps.end()), t.deps.end());
    }
}

uint32_t
CollectiveAlgorithm::AddRingReduceScatter(SliceBuilder& builder,
                                          const std::vector<uint32_t>& ring,
                                          const std::vector<std::vector<uint32_t>>& groups,
                                          uint32_t firstStep)
{
    const uint32_t m = static_cast<uint32_t>(ring.size());
    if (m < 2)
    {
        return firstStep;
    }
    for (uint32_t k = 0; k + 1 < m; ++k)
    {
        for (uint32_t i = 0; i < m; ++i)
        {
            for (uint32_t slot : groups[(i + m - k - 1) % m])
            {
                builder.Send(ring[i], ring[(i + 1) % m], slot, true, firstStep + k);
            }
        }
    }
    return firstStep + m - 1;
}

uint32_t
CollectiveAlgorithm::AddRingAllGather(SliceBuilder& builder,
                                      const std::vector<uint32_t>& ring,
                                      const std::vector<std::vector<uint32_t>>& groups,
                                      uint32_t firstStep)
{
    const uint32_t m = static_cast<uint32_t>(ring.size());
    if (m < 2)
    {
        return firstStep;
    }
    for (uint32_t k = 0; k + 1 < m; ++k)
    {
        for (uint32_t i = 0; i < m; ++i)
        {
            for (uint32_t slot : groups[(i + m - k) % m])
            {
                builder.Send(ring[i], ring[(i + 1) % m], slot, false, firstStep + k);
            }
        }
    }
    return firstStep + m - 1;
}

uint32_t
CollectiveAlgorithm::AddChain(SliceBuilder& builder,
                              const std::vector<uint32_t>& chain,
                              uint32_t slot,
                              bool reduce,
                              uint32_t firstStep)
{
    uint32_t step = firstStep;
    for (size_t h = 0; h + 1 < chain.size(); ++h)
    {
        builder.Send(chain[h], chain[h + 1], slot, reduce, step++);
    }
    return step;
}

// ------------------------------------------------------------------------------- SliceBuilder

CollectiveAlgorithm::SliceBuilder::SliceBuilder(CollectiveSchedule& schedule, uint32_t slots)
    : m_schedule(schedule),
      m_slots(slots)
{
    // Every (rank, slot) in one table where it is small enough (a ring's ranks x ranks at
    // 1,024 ranks: 56 MiB), else in a hash table (all-to-all's ranks x ranks^2 slots).
    const uint64_t locations = static_cast<uint64_t>(schedule.nranks) * slots;
    if (locations <= (uint64_t{1} << 21))
    {
        m_flat.resize(locations);
    }
}

CollectiveAlgorithm::SliceBuilder::Location&
CollectiveAlgorithm::SliceBuilder::At(uint32_t rank, uint32_t slot)
{
    const uint64_t key = static_cast<uint64_t>(rank) * m_slots + slot;
    if (m_flat.empty())
    {
        return m_locations[key];
    }
    Location& location = m_flat[key];
    if (!location.touched)
    {
        location.touched = true;
        m_touched.push_back(key);
    }
    return location;
}

void
CollectiveAlgorithm::SliceBuilder::BeginSlice(uint32_t firstChunk,
                                              uint32_t channel,
                                              uint32_t stepOffset)
{
    m_firstChunk = firstChunk;
    m_channel = channel;
    m_stepOffset = stepOffset;
    m_locations.clear();
    for (uint64_t key : m_touched)
    {
        // Cleared, not freed: the next slice needs as much.
        Location& location = m_flat[key];
        location.writers.clear();
        location.readers.clear();
        location.copied = false;
        location.touched = false;
    }
    m_touched.clear();
    m_slotCount.assign(m_slots, 0);
    m_arena.resize(m_slots);
    for (auto& arena : m_arena)
    {
        arena.clear();
    }
    m_ancestry.clear();
    m_sliceBegin = static_cast<uint32_t>(m_schedule.transfers.size());
}

uint32_t
CollectiveAlgorithm::SliceBuilder::GetNRanks() const
{
    return m_schedule.nranks;
}

uint32_t
CollectiveAlgorithm::SliceBuilder::GetChannel() const
{
    return m_channel;
}

void
CollectiveAlgorithm::SliceBuilder::Send(uint32_t src,
                                        uint32_t dst,
                                        uint32_t slot,
                                        bool reduce,
                                        uint32_t step)
{
    NS_ABORT_MSG_IF(slot >= m_slots || src >= m_schedule.nranks || dst >= m_schedule.nranks ||
                        src == dst,
                    "bad transfer " << src << " -> " << dst << " slot " << slot);
    CollectiveTransfer t;
    t.src = src;
    t.dst = dst;
    t.reduce = reduce;
    // Scratch lists, kept between calls: a million sends need no allocations for them.
    m_reads.assign(1, src);
    m_writes.assign(1, dst);
    Add(std::move(t), m_reads, m_writes, reduce, slot, step);
}

uint32_t
CollectiveAlgorithm::SliceBuilder::AddGroup(const std::vector<uint32_t>& members)
{
    auto& groups = m_schedule.groups;
    const auto it = std::find(groups.begin(), groups.end(), members);
    if (it != groups.end())
    {
        return static_cast<uint32_t>(it - groups.begin());
    }
    groups.push_back(members);
    return static_cast<uint32_t>(groups.size() - 1);
}

void
CollectiveAlgorithm::SliceBuilder::InNetwork(TransferKind kind,
                                             uint32_t rank,
                                             uint32_t group,
                                             uint32_t slot,
                                             uint32_t step)
{
    NS_ABORT_MSG_IF(kind == TransferKind::SEND || group >= m_schedule.groups.size() ||
                        slot >= m_slots,
                    "bad in-network transfer of rank " << rank << " slot " << slot);
    const auto& members = m_schedule.groups[group];
    CollectiveTransfer t;
    t.src = rank;
    t.dst = rank;
    t.kind = kind;
    t.group = group;
    // Loads, stores and SHARP operations run side by side (NCCL gives them warps of their
    // own): each kind has its own connection of the rank on the channel.
    t.lane = static_cast<uint32_t>(kind);
    std::vector<uint32_t> reads;
    std::vector<uint32_t> writes;
    switch (kind)
    {
    case TransferKind::LOAD_REDUCE:
        reads = members;
        writes = {rank};
        break;
    case TransferKind::MULTICAST:
        reads = {rank};
        for (uint32_t m : members)
        {
            if (m != rank)
            {
                writes.push_back(m);
            }
        }
        break;
    default:
        reads = members;
        writes = members;
        break;
    }
    Add(std::move(t), reads, writes, false, slot, step);
}

void
CollectiveAlgorithm::SliceBuilder::Add(CollectiveTransfer t,
                                       const std::vector<uint32_t>& reads,
                                       const std::vector<uint32_t>& writes,
                                       bool reduce,
                                       uint32_t slot,
                                       uint32_t step)
{
    const uint32_t chunk = m_firstChunk + slot;
    if (m_schedule.chunkBytes[chunk] == 0)
    {
        return;
    }
    const uint32_t index = static_cast<uint32_t>(m_schedule.transfers.size());
    t.chunk = chunk;
    t.bytes = m_schedule.chunkBytes[chunk];
    t.step = m_stepOffset + step;
    t.slice = m_firstChunk / m_slots;
    t.channel = m_channel;

    // Candidate dependencies from the data: what the copies it reads hold, and for the copies
    // it writes what must happen before they change.
    std::vector<uint32_t>& candidates = m_candidates;
    candidates.clear();
    for (uint32_t r : reads)
    {
        const Location& from = At(r, slot);
        candidates.insert(candidates.end(), from.writers.begin(), from.writers.end());
    }
    for (uint32_t r : writes)
    {
        const Location& to = At(r, slot);
        candidates.insert(candidates.end(), to.readers.begin(), to.readers.end());
        if (reduce)
        {
            if (to.copied)
            {
                candidates.push_back(to.writers.front());
            }
        }
        else
        {
            candidates.insert(candidates.end(), to.writers.begin(), to.writers.end());
        }
    }
    for (uint32_t r : reads)
    {
        At(r, slot).readers.push_back(index);
    }
    for (uint32_t r : writes)
    {
        Location& to = At(r, slot);
        if (reduce)
        {
            to.writers.push_back(index);
        }
        else
        {
            to.writers.assign(1, index);
            to.readers.clear();
            to.copied = true;
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    // Keep only the candidates not implied by the others (all on this chunk): merge their
    // ancestors into a window of words from the common prefix on.
    const uint32_t local = m_slotCount[slot];
    uint32_t prefix = 0;
    for (uint32_t d : candidates)
    {
        prefix = std::max(prefix, m_ancestry[d - m_sliceBegin].prefix);
    }
    const uint32_t base = prefix / 64;
    const uint32_t words = local / 64 + 1 - base;
    m_window.assign(words, 0);
    if (prefix % 64 != 0)
    {
        m_window[0] = (uint64_t{1} << (prefix % 64)) - 1;
    }
    auto& arena = m_arena[slot];
    for (uint32_t d : candidates)
    {
        const Ancestry& a = m_ancestry[d - m_sliceBegin];
        const uint32_t first = a.prefix / 64;
        for (uint32_t w = 0; w < a.words; ++w)
        {
            if (first + w >= base)
            {
                m_window[first + w - base] |= arena[a.offset + w];
            }
        }
    }
    auto isAncestor = [&](uint32_t ld) {
        return ld < prefix || (m_window[ld / 64 - base] >> (ld % 64) & 1);
    };
    m_deps.clear();
    for (uint32_t d : candidates)
    {
        if (!isAncestor(m_local[d]))
        {
            m_deps.push_back(d);
            NS_ABORT_MSG_IF(m_schedule.transfers[d].step >= t.step,
                            "transfer at step " << t.step << " (" << t.src << " -> " << t.dst
                                                << " slot " << slot << ") depends on one at step "
                                                << m_schedule.transfers[d].step);
        }
    }
    t.deps.insert(t.deps.end(), m_deps.begin(), m_deps.end()); // one allocation, exact size
    for (uint32_t d : candidates)
    {
        const uint32_t ld = m_local[d];
        if (ld >= base * 64)
        {
            m_window[ld / 64 - base] |= uint64_t{1} << (ld % 64);
        }
    }
    // The new prefix runs over the set bits that follow; the words beyond it are kept.
    uint32_t newPrefix = prefix;
    while (newPrefix < local && isAncestor(newPrefix))
    {
        if (newPrefix % 64 == 0 && m_window[newPrefix / 64 - base] == ~uint64_t{0})
        {
            newPrefix += 64;
        }
        else
        {
            ++newPrefix;
        }
    }
    Ancestry ancestry;
    ancestry.prefix = newPrefix;
    uint32_t last = words;
    while (last > newPrefix / 64 - base && m_window[last - 1] == 0)
    {
        --last;
    }
    ancestry.offset = arena.size();
    ancestry.words = last - (newPrefix / 64 - base);
    arena.insert(arena.end(), m_window.begin() + (newPrefix / 64 - base), m_window.begin() + last);
    m_ancestry.push_back(ancestry);
    ++m_slotCount[slot];
    m_local.push_back(local);
    m_schedule.transfers.push_back(std::move(t));
}

void
CollectiveAlgorithm::SliceBuilder::Finish()
{
    // The bookkeeping first: sorting copies the transfers once more.
    m_locations = {};
    m_flat = {};
    m_touched = {};
    m_arena = {};
    m_ancestry = {};
    m_local = {};
    auto& transfers = m_schedule.transfers;
    // A stable sort by step, counting: steps are few (a ring's 2(n - 1) plus the pieces).
    uint32_t steps = 0;
    for (const auto& t : transfers)
    {
        steps = std::max(steps, t.step + 1);
    }
    std::vector<uint32_t> firstOfStep(steps + 1, 0);
    for (const auto& t : transfers)
    {
        ++firstOfStep[t.step + 1];
    }
    for (uint32_t k = 0; k < steps; ++k)
    {
        firstOfStep[k + 1] += firstOfStep[k];
    }
    std::vector<uint32_t> order(transfers.size());
    for (uint32_t i = 0; i < order.size(); ++i)
    {
        order[firstOfStep[transfers[i].step]++] = i;
    }
    std::vector<uint32_t> position(transfers.size());
    for (uint32_t i = 0; i < order.size(); ++i)
    {
        position[order[i]] = i;
    }
    std::vector<CollectiveTransfer> sorted;
    sorted.reserve(transfers.size());
    for (uint32_t old : order)
    {
        CollectiveTransfer t = std::move(transfers[old]);
        for (auto& d : t.deps)
        {
            d = position[d];
        }
        std::sort(t.deps.begin(), t.deps.end());
        sorted.push_back(std::move(t));
    }
    transfers = std::move(sorted);
}

} // namespace ns3
