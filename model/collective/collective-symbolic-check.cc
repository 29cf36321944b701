/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "collective-symbolic-check.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <queue>
#include <unordered_map>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CollectiveSymbolicCheck");

namespace
{

/// How a transfer touches a rank's copy of a chunk.
enum Access : uint8_t
{
    READ,   //!< sends it
    REDUCE, //!< adds into it
    WRITE,  //!< replaces it
};

const char*
AccessName(uint8_t a)
{
    return a == READ ? "sends" : (a == REDUCE ? "reduces into" : "overwrites");
}

const char*
KindName(TransferKind k)
{
    switch (k)
    {
    case TransferKind::LOAD_REDUCE:
        return "load-reduce";
    case TransferKind::MULTICAST:
        return "multicast";
    case TransferKind::GROUP_REDUCE:
        return "group all-reduce";
    default:
        return "send";
    }
}

std::string
Describe(const CollectiveSchedule& s, uint32_t i)
{
    const CollectiveTransfer& t = s.transfers[i];
    if (t.kind != TransferKind::SEND)
    {
        return "transfer " + std::to_string(i) + " (" + KindName(t.kind) + " of rank " +
               std::to_string(t.src) + " in group " + std::to_string(t.group) + ", chunk " +
               std::to_string(t.chunk) + ", step " + std::to_string(t.step) + ")";
    }
    return "transfer " + std::to_string(i) + " (rank " + std::to_string(t.src) + " -> rank " +
           std::to_string(t.dst) + ", chunk " + std::to_string(t.chunk) + ", step " +
           std::to_string(t.step) + ", " + (t.reduce ? "reduce" : "copy") + ")";
}

/// Every rank's copy of every chunk: a set of contributing ranks, or nothing defined.
class State
{
  public:
    State(uint32_t nranks, uint32_t chunks)
        : m_n(nranks),
          m_chunks(chunks),
          m_words((nranks + 63) / 64),
          m_bits(static_cast<size_t>(nranks) * chunks * m_words, 0),
          m_defined(static_cast<size_t>(nranks) * chunks, 0)
    {
    }

    /// Give rank r's chunk c the contribution {who}.
    void Set(uint32_t r, uint32_t c, uint32_t who)
    {
        const size_t loc = Loc(r, c);
        m_defined[loc] = 1;
        for (uint32_t w = 0; w < m_words; ++w)
        {
            m_bits[loc * m_words + w] = 0;
        }
        m_bits[loc * m_words + who / 64] |= uint64_t{1} << (who % 64);
    }

    bool Defined(uint32_t r, uint32_t c) const
    {
        return m_defined[Loc(r, c)] != 0;
    }

    /// \return whether rank r's chunk c holds exactly {who}, or every rank if who == n
    bool Is(uint32_t r, uint32_t c, uint32_t who) const
    {
        if (!Defined(r, c))
        {
            return false;
        }
        const uint64_t* b = &m_bits[Loc(r, c) * m_words];
        for (uint32_t w = 0; w < m_words; ++w)
        {
            uint64_t want = 0;
            if (who == m_n)
            {
                const uint32_t bitsHere = std::min<uint32_t>(64, m_n - 64 * w);
                want = bitsHere == 64 ? ~uint64_t{0} : (uint64_t{1} << bitsHere) - 1;
            }
            else if (who / 64 == w)
            {
                want = uint64_t{1} << (who % 64);
            }
            if (b[w] != want)
            {
                return false;
            }
        }
        return true;
    }

    /// \return "" or what went wrong applying in-network transfer i
    std::string ApplyInNetwork(const CollectiveSchedule& s, uint32_t i)
    {
        const CollectiveTransfer& t = s.transfers[i];
        const auto& members = s.groups[t.group];
        std::vector<uint64_t> sum(m_words, 0);
        const bool sums = t.kind != TransferKind::MULTICAST;
        for (uint32_t m : members)
        {
            if (!sums && m != t.src)
            {
                continue;
            }
            const size_t from = Loc(m, t.chunk);
            if (!m_defined[from])
            {
                return Describe(s, i) + " reads rank " + std::to_string(m) + "'s chunk " +
                       std::to_string(t.chunk) + ", which holds nothing yet";
            }
            for (uint32_t w = 0; w < m_words; ++w)
            {
                if (sum[w] & m_bits[from * m_words + w])
                {
                    return Describe(s, i) + " adds rank " + std::to_string(m) + "'s chunk " +
                           std::to_string(t.chunk) + " (" + SetString(m, t.chunk) +
                           ") to contributions it holds already: a contribution added twice";
                }
                sum[w] |= m_bits[from * m_words + w];
            }
        }
        for (uint32_t m : members)
        {
            if ((t.kind == TransferKind::LOAD_REDUCE && m != t.dst) ||
                (t.kind == TransferKind::MULTICAST && m == t.src))
            {
                continue;
            }
            const size_t to = Loc(m, t.chunk);
            m_defined[to] = 1;
            for (uint32_t w = 0; w < m_words; ++w)
            {
                m_bits[to * m_words + w] = sum[w];
            }
        }
        return "";
    }

    /// \return "" or what went wrong applying transfer i
    std::string Apply(const CollectiveSchedule& s, uint32_t i)
    {
        const CollectiveTransfer& t = s.transfers[i];
        if (t.kind != TransferKind::SEND)
        {
            return ApplyInNetwork(s, i);
        }
        const size_t from = Loc(t.src, t.chunk);
        const size_t to = Loc(t.dst, t.chunk);
        if (!m_defined[from])
        {
            return Describe(s, i) + " sends rank " + std::to_string(t.src) + "'s chunk " +
                   std::to_string(t.chunk) + ", which holds nothing yet";
        }
        if (!t.reduce)
        {
            m_defined[to] = 1;
            for (uint32_t w = 0; w < m_words; ++w)
            {
                m_bits[to * m_words + w] = m_bits[from * m_words + w];
            }
            return "";
        }
        if (!m_defined[to])
        {
            return Describe(s, i) + " reduces into rank " + std::to_string(t.dst) + "'s chunk " +
                   std::to_string(t.chunk) + ", which holds nothing yet";
        }
        for (uint32_t w = 0; w < m_words; ++w)
        {
            if (m_bits[to * m_words + w] & m_bits[from * m_words + w])
            {
                return Describe(s, i) + " adds " + SetString(t.src, t.chunk) + " to rank " +
                       std::to_string(t.dst) + "'s chunk " + std::to_string(t.chunk) +
                       ", which holds " + SetString(t.dst, t.chunk) +
                       " already: a contribution added twice";
            }
        }
        for (uint32_t w = 0; w < m_words; ++w)
        {
            m_bits[to * m_words + w] |= m_bits[from * m_words + w];
        }
        return "";
    }

    /// \return rank r's chunk c as text: "nothing", "{0, 3}" or "all 8 ranks"
    std::string SetString(uint32_t r, uint32_t c) const
    {
        if (!Defined(r, c))
        {
            return "nothing";
        }
        if (Is(r, c, m_n) && m_n > 1)
        {
            return "all " + std::to_string(m_n) + " ranks";
        }
        std::string text = "{";
        const uint64_t* b = &m_bits[Loc(r, c) * m_words];
        for (uint32_t k = 0; k < m_n; ++k)
        {
            if (b[k / 64] >> (k % 64) & 1)
            {
                text += (text.size() > 1 ? ", " : "") + std::to_string(k);
            }
        }
        return text + "}";
    }

    /// \return the first (rank, chunk) where the two states differ, or "" if none
    std::string Compare(const State& other) const
    {
        for (uint32_t r = 0; r < m_n; ++r)
        {
            for (uint32_t c = 0; c < m_chunks; ++c)
            {
                const size_t loc = Loc(r, c);
                bool same = m_defined[loc] == other.m_defined[loc];
                for (uint32_t w = 0; same && m_defined[loc] && w < m_words; ++w)
                {
                    same = m_bits[loc * m_words + w] == other.m_bits[loc * m_words + w];
                }
                if (!same)
                {
                    return "rank " + std::to_string(r) + "'s chunk " + std::to_string(c) +
                           " ends with " + other.SetString(r, c) + " instead of " + SetString(r, c);
                }
            }
        }
        return "";
    }

  private:
    size_t Loc(uint32_t r, uint32_t c) const
    {
        return static_cast<size_t>(r) * m_chunks + c;
    }

    uint32_t m_n;                   //!< ranks
    uint32_t m_chunks;              //!< chunks
    uint32_t m_words;               //!< 64-bit words per set
    std::vector<uint64_t> m_bits;   //!< the sets
    std::vector<uint8_t> m_defined; //!< whether each copy holds data
};

State
Initial(const CollectiveSchedule& s)
{
    const uint32_t n = s.nranks;
    State state(n, s.chunks);
    for (uint32_t c = 0; c < s.chunks; ++c)
    {
        switch (s.op)
        {
        case CollectiveOp::ALL_REDUCE:
        case CollectiveOp::REDUCE_SCATTER:
        case CollectiveOp::REDUCE:
            for (uint32_t r = 0; r < n; ++r)
            {
                state.Set(r, c, r);
            }
            break;
        case CollectiveOp::ALL_GATHER:
            state.Set(c % n, c, c % n);
            break;
        case CollectiveOp::BROADCAST:
        case CollectiveOp::SEND_RECV:
            state.Set(s.root, c, s.root);
            break;
        case CollectiveOp::ALL_TO_ALL: {
            const uint32_t a = static_cast<uint32_t>(c % (static_cast<uint64_t>(n) * n) / n);
            state.Set(a, c, a);
            break;
        }
        }
    }
    return state;
}

/// \return "" if the final state is what the operation must leave, else the first miss
std::string
CheckFinal(const CollectiveSchedule& s, const State& state)
{
    const uint32_t n = s.nranks;
    auto expect = [&](uint32_t r, uint32_t c, uint32_t who) -> std::string {
        if (state.Is(r, c, who))
        {
            return "";
        }
        const std::string want =
            who == n ? "all " + std::to_string(n) + " ranks" : "{" + std::to_string(who) + "}";
        return CollectiveOpName(s.op) + ": rank " + std::to_string(r) + "'s chunk " +
               std::to_string(c) + " ends with " + state.SetString(r, c) + " but should hold " +
               want;
    };
    for (uint32_t c = 0; c < s.chunks; ++c)
    {
        if (s.chunkBytes[c] == 0)
        {
            continue;
        }
        std::string error;
        switch (s.op)
        {
        case CollectiveOp::ALL_REDUCE:
            for (uint32_t r = 0; r < n && error.empty(); ++r)
            {
                error = expect(r, c, n);
            }
            break;
        case CollectiveOp::REDUCE_SCATTER:
            error = expect(c % n, c, n);
            break;
        case CollectiveOp::ALL_GATHER:
            for (uint32_t r = 0; r < n && error.empty(); ++r)
            {
                error = expect(r, c, c % n);
            }
            break;
        case CollectiveOp::BROADCAST:
            for (uint32_t r = 0; r < n && error.empty(); ++r)
            {
                error = expect(r, c, s.root);
            }
            break;
        case CollectiveOp::REDUCE:
            error = expect(s.root, c, n);
            break;
        case CollectiveOp::ALL_TO_ALL: {
            const uint64_t pair = c % (static_cast<uint64_t>(n) * n);
            error = expect(static_cast<uint32_t>(pair % n), c, static_cast<uint32_t>(pair / n));
            break;
        }
        case CollectiveOp::SEND_RECV:
            error = expect(s.peer, c, s.root);
            break;
        }
        if (!error.empty())
        {
            return error;
        }
    }
    return "";
}

/// Run the transfers in the given order. \return "" or the first error
std::string
Run(const CollectiveSchedule& s, const std::vector<uint32_t>& order, State& state)
{
    for (uint32_t i : order)
    {
        std::string error = state.Apply(s, i);
        if (!error.empty())
        {
            return error;
        }
    }
    return "";
}

} // namespace

std::string
CollectiveSymbolicCheck::CheckRaces(const CollectiveSchedule& s)
{
    NS_LOG_FUNCTION(s.transfers.size());
    const uint32_t nt = static_cast<uint32_t>(s.transfers.size());

    // Components of the dependency graph: transfers of different components are never ordered.
    std::vector<uint32_t> up(nt);
    for (uint32_t i = 0; i < nt; ++i)
    {
        up[i] = i;
    }
    auto find = [&up](uint32_t x) {
        while (up[x] != x)
        {
            up[x] = up[up[x]];
            x = up[x];
        }
        return x;
    };
    for (uint32_t i = 0; i < nt; ++i)
    {
        for (uint32_t d : s.transfers[i].deps)
        {
            const uint32_t a = find(i);
            const uint32_t b = find(d);
            if (a != b)
            {
                up[std::max(a, b)] = std::min(a, b);
            }
        }
    }
    std::vector<uint32_t> comp(nt);
    std::vector<uint32_t> local(nt);
    std::unordered_map<uint32_t, std::vector<uint32_t>> members;
    for (uint32_t i = 0; i < nt; ++i)
    {
        comp[i] = find(i);
        auto& m = members[comp[i]];
        local[i] = static_cast<uint32_t>(m.size());
        m.push_back(i);
    }

    // Accesses to each (rank, chunk), in schedule order.
    std::unordered_map<uint64_t, std::vector<std::pair<uint32_t, uint8_t>>> accesses;
    std::vector<uint64_t> keys;
    for (uint32_t i = 0; i < nt; ++i)
    {
        const CollectiveTransfer& t = s.transfers[i];
        auto touch = [&](uint32_t rank, uint8_t access) {
            const uint64_t key = static_cast<uint64_t>(rank) * s.chunks + t.chunk;
            auto& list = accesses[key];
            if (list.empty())
            {
                keys.push_back(key);
            }
            if (!list.empty() && list.back().first == i)
            {
                list.back().second = std::max(list.back().second, access); // WRITE wins
                return;
            }
            list.emplace_back(i, access);
        };
        if (t.kind == TransferKind::SEND)
        {
            touch(t.src, READ);
            touch(t.dst, t.reduce ? REDUCE : WRITE);
            continue;
        }
        for (uint32_t m : s.groups[t.group])
        {
            const bool reads = t.kind != TransferKind::MULTICAST || m == t.src;
            const bool writes = t.kind == TransferKind::GROUP_REDUCE ||
                                (t.kind == TransferKind::LOAD_REDUCE && m == t.dst) ||
                                (t.kind == TransferKind::MULTICAST && m != t.src);
            if (reads)
            {
                touch(m, READ);
            }
            if (writes)
            {
                touch(m, WRITE);
            }
        }
    }
    auto conflict = [](uint8_t a, uint8_t b) { return a == WRITE || b == WRITE || a != b; };
    auto race = [&s](uint64_t key, uint32_t j, uint8_t kj, uint32_t i, uint8_t ki) {
        return "race: " + Describe(s, j) + " " + AccessName(kj) + " rank " +
               std::to_string(key / s.chunks) + "'s chunk " + std::to_string(key % s.chunks) +
               " and " + Describe(s, i) + " " + AccessName(ki) +
               " it, but no chain of dependencies orders them";
    };

    // Conflicting accesses from different components are races; the rest is checked within
    // each component.
    std::unordered_map<uint32_t,
                       std::vector<std::pair<uint64_t, std::vector<std::pair<uint32_t, uint8_t>>>>>
        work;
    for (uint64_t key : keys)
    {
        const auto& list = accesses[key];
        bool single = true;
        for (const auto& access : list)
        {
            single = single && comp[access.first] == comp[list[0].first];
        }
        for (size_t b = 1; !single && b < list.size(); ++b)
        {
            for (size_t a = 0; a < b; ++a)
            {
                if (comp[list[a].first] != comp[list[b].first] &&
                    conflict(list[a].second, list[b].second))
                {
                    return race(key, list[a].first, list[a].second, list[b].first, list[b].second);
                }
            }
        }
        std::unordered_map<uint32_t, size_t> where;
        for (const auto& access : list)
        {
            auto& lists = work[comp[access.first]];
            auto it = where.find(comp[access.first]);
            if (it == where.end())
            {
                it = where.emplace(comp[access.first], lists.size()).first;
                lists.emplace_back(key, std::vector<std::pair<uint32_t, uint8_t>>());
            }
            lists[it->second].second.push_back(access);
        }
    }

    // Within a component: reachability from ancestor bitsets (or a search in a huge component).
    // Each access must follow the conflicting accesses since the last overwrite; it is enough
    // to check the last run of them, as those were checked against the earlier ones.
    const uint32_t kBitsetLimit = 8192;
    std::vector<uint32_t> stamp(nt, 0);
    uint32_t generation = 0;
    std::vector<uint32_t> stack;
    std::vector<uint32_t> roots;
    for (const auto& entry : work)
    {
        roots.push_back(entry.first);
    }
    std::sort(roots.begin(), roots.end());
    for (uint32_t root : roots)
    {
        const std::vector<uint32_t>& m = members[root];
        const size_t words = (m.size() + 63) / 64;
        std::vector<uint64_t> anc;
        if (m.size() <= kBitsetLimit)
        {
            anc.assign(m.size() * words, 0);
            for (uint32_t x : m)
            {
                uint64_t* ax = &anc[local[x] * words];
                for (uint32_t d : s.transfers[x].deps)
                {
                    const uint64_t* ad = &anc[local[d] * words];
                    for (size_t w = 0; w < words; ++w)
                    {
                        ax[w] |= ad[w];
                    }
                    ax[local[d] / 64] |= uint64_t{1} << (local[d] % 64);
                }
            }
        }
        auto ordered = [&](uint32_t j, uint32_t i) {
            if (!anc.empty())
            {
                return (anc[local[i] * words + local[j] / 64] >> (local[j] % 64) & 1) != 0;
            }
            ++generation;
            stack.assign(1, i);
            while (!stack.empty())
            {
                const uint32_t x = stack.back();
                stack.pop_back();
                for (uint32_t d : s.transfers[x].deps)
                {
                    if (d == j)
                    {
                        return true;
                    }
                    if (d > j && stamp[d] != generation)
                    {
                        stamp[d] = generation;
                        stack.push_back(d);
                    }
                }
            }
            return false;
        };
        for (const auto& [key, list] : work[root])
        {
            // Runs of one kind since the last overwrite.
            int64_t lastWrite = -1;
            std::vector<std::pair<uint8_t, std::vector<uint32_t>>> runs;
            for (const auto& [i, kind] : list)
            {
                const std::pair<uint8_t, std::vector<uint32_t>>* required = nullptr;
                if (kind == WRITE)
                {
                    required = runs.empty() ? nullptr : &runs.back();
                }
                else if (!runs.empty() && runs.back().first != kind)
                {
                    required = &runs.back();
                }
                else if (runs.size() >= 2)
                {
                    required = &runs[runs.size() - 2];
                }
                if (required)
                {
                    for (uint32_t j : required->second)
                    {
                        if (!ordered(j, i))
                        {
                            return race(key, j, required->first, i, kind);
                        }
                    }
                }
                else if (lastWrite >= 0 && !ordered(static_cast<uint32_t>(lastWrite), i))
                {
                    return race(key, static_cast<uint32_t>(lastWrite), WRITE, i, kind);
                }
                if (kind == WRITE)
                {
                    lastWrite = i;
                    runs.clear();
                }
                else if (!runs.empty() && runs.back().first == kind)
                {
                    runs.back().second.push_back(i);
                }
                else
                {
                    runs.emplace_back(kind, std::vector<uint32_t>{i});
                }
            }
        }
    }
    return "";
}

std::string
CollectiveSymbolicCheck::Check(const CollectiveSchedule& s)
{
    NS_LOG_FUNCTION(s.algorithm << CollectiveOpName(s.op) << s.nranks << s.transfers.size());
    try
    {
        s.CheckStructure();
    }
    catch (const FabricConfigError& e)
    {
        return e.what();
    }
    const uint32_t nt = static_cast<uint32_t>(s.transfers.size());
    if (s.chunks > 0 && s.nranks == 0)
    {
        return "the schedule has chunks but no ranks";
    }
    const bool rooted = s.op == CollectiveOp::BROADCAST || s.op == CollectiveOp::REDUCE ||
                        s.op == CollectiveOp::SEND_RECV;
    if (s.chunks > 0 && rooted && (s.root >= s.nranks || s.peer >= s.nranks))
    {
        return "root " + std::to_string(s.root) + " or peer " + std::to_string(s.peer) +
               " is not a rank of " + std::to_string(s.nranks);
    }
    for (uint32_t i = 0; i < nt; ++i)
    {
        const CollectiveTransfer& t = s.transfers[i];
        if (t.bytes != s.chunkBytes[t.chunk])
        {
            return Describe(s, i) + " moves " + std::to_string(t.bytes) + " bytes of a chunk of " +
                   std::to_string(s.chunkBytes[t.chunk]);
        }
    }

    // In the listed order.
    State first = Initial(s);
    std::vector<uint32_t> order(nt);
    for (uint32_t i = 0; i < nt; ++i)
    {
        order[i] = i;
    }
    std::string error = Run(s, order, first);
    if (!error.empty())
    {
        return error;
    }
    error = CheckFinal(s, first);
    if (!error.empty())
    {
        return error;
    }

    error = CheckRaces(s);
    if (!error.empty())
    {
        return error;
    }

    // In another valid order: of the ready transfers, the one listed last first.
    std::vector<uint32_t> waiting(nt, 0);
    std::vector<std::vector<uint32_t>> successors(nt);
    for (uint32_t i = 0; i < nt; ++i)
    {
        for (uint32_t d : s.transfers[i].deps)
        {
            successors[d].push_back(i);
            ++waiting[i];
        }
    }
    std::priority_queue<uint32_t> ready;
    for (uint32_t i = 0; i < nt; ++i)
    {
        if (waiting[i] == 0)
        {
            ready.push(i);
        }
    }
    order.clear();
    while (!ready.empty())
    {
        const uint32_t i = ready.top();
        ready.pop();
        order.push_back(i);
        for (uint32_t x : successors[i])
        {
            if (--waiting[x] == 0)
            {
                ready.push(x);
            }
        }
    }
    State second = Initial(s);
    error = Run(s, order, second);
    if (!error.empty())
    {
        return "race: in another valid order, " + error;
    }
    error = first.Compare(second);
    if (!error.empty())
    {
        return "race: in another valid order " + error;
    }
    return "";
}

} // namespace ns3
