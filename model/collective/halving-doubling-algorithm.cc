/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "halving-doubling-algorithm.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("HalvingDoublingAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(HalvingDoublingAlgorithm);

namespace
{

/// \return the largest power of two not above n (n >= 1)
uint32_t
PowerOfTwoBelow(uint32_t n)
{
    uint32_t p = 1;
    while (p * 2 <= n)
    {
        p *= 2;
    }
    return p;
}

/// The virtual ranks of MPICH's folding.
struct Folding
{
    uint32_t p;     //!< virtual ranks (a power of two)
    uint32_t extra; //!< ranks folded into a partner (r = n - p)

    /// \return the real rank of virtual rank v
    uint32_t Real(uint32_t v) const
    {
        return v < extra ? 2 * v + 1 : v + extra;
    }

    /// \return the virtual rank that stands for real rank r (its partner's if r is folded)
    uint32_t Virtual(uint32_t r) const
    {
        return r < 2 * extra ? r / 2 : r - extra;
    }
};

/**
 * Recursive halving among the virtual ranks: at each step v sends its partner the slots (of
 * those it is still responsible for) whose owner differs from v on the step's bit.
 * \return the step after the last
 */
uint32_t
ReduceScatter(CollectiveAlgorithm::SliceBuilder& builder,
              const Folding& f,
              const std::vector<uint32_t>& owner,
              uint32_t step)
{
    std::vector<std::vector<uint32_t>> held(f.p);
    for (uint32_t v = 0; v < f.p; ++v)
    {
        for (uint32_t s = 0; s < owner.size(); ++s)
        {
            held[v].push_back(s);
        }
    }
    for (uint32_t mask = 1; mask < f.p; mask <<= 1, ++step)
    {
        for (uint32_t v = 0; v < f.p; ++v)
        {
            std::vector<uint32_t> keep;
            for (uint32_t s : held[v])
            {
                if ((owner[s] & mask) == (v & mask))
                {
                    keep.push_back(s);
                }
                else
                {
                    builder.Send(f.Real(v), f.Real(v ^ mask), s, true, step);
                }
            }
            held[v] = keep;
        }
    }
    return step;
}

/**
 * Recursive doubling among the virtual ranks: at each step (masks in the given order) v and its
 * partner swap everything they hold. \return the step after the last
 */
uint32_t
AllGather(CollectiveAlgorithm::SliceBuilder& builder,
          const Folding& f,
          const std::vector<uint32_t>& owner,
          const std::vector<uint32_t>& masks,
          uint32_t step)
{
    std::vector<std::vector<uint32_t>> held(f.p);
    for (uint32_t s = 0; s < owner.size(); ++s)
    {
        held[owner[s]].push_back(s);
    }
    for (uint32_t mask : masks)
    {
        for (uint32_t v = 0; v < f.p; ++v)
        {
            for (uint32_t s : held[v])
            {
                builder.Send(f.Real(v), f.Real(v ^ mask), s, false, step);
            }
        }
        std::vector<std::vector<uint32_t>> next(f.p);
        for (uint32_t v = 0; v < f.p; ++v)
        {
            next[v] = held[v];
            next[v].insert(next[v].end(), held[v ^ mask].begin(), held[v ^ mask].end());
        }
        held = next;
        ++step;
    }
    return step;
}

} // namespace

TypeId
HalvingDoublingAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::HalvingDoublingAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<HalvingDoublingAlgorithm>();
    return tid;
}

HalvingDoublingAlgorithm::HalvingDoublingAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

HalvingDoublingAlgorithm::~HalvingDoublingAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

std::string
HalvingDoublingAlgorithm::GetName() const
{
    return "halving-doubling";
}

std::string
HalvingDoublingAlgorithm::GetUnsupportedReason(CollectiveOp op,
                                               const RankLayout& /* layout */) const
{
    if (op != CollectiveOp::ALL_REDUCE && op != CollectiveOp::REDUCE_SCATTER &&
        op != CollectiveOp::ALL_GATHER)
    {
        return "halving-doubling implements all-reduce, reduce-scatter and all-gather, not " +
               CollectiveOpName(op);
    }
    return "";
}

uint32_t
HalvingDoublingAlgorithm::GetSlots(CollectiveOp /* op */, const RankLayout& layout) const
{
    return PowerOfTwoBelow(layout.GetNRanks());
}

bool
HalvingDoublingAlgorithm::IsStepSynchronous(CollectiveOp op) const
{
    return true;
}

void
HalvingDoublingAlgorithm::BuildSlice(SliceBuilder& builder,
                                     CollectiveOp op,
                                     const RankLayout& layout,
                                     uint32_t /* root */,
                                     uint32_t /* peer */) const
{
    const uint32_t n = layout.GetNRanks();
    Folding f;
    f.p = PowerOfTwoBelow(n);
    f.extra = n - f.p;
    std::vector<uint32_t> descending;
    std::vector<uint32_t> ascending;
    for (uint32_t mask = 1; mask < f.p; mask <<= 1)
    {
        ascending.push_back(mask);
        descending.insert(descending.begin(), mask);
    }
    uint32_t step = 0;
    switch (op)
    {
    case CollectiveOp::ALL_REDUCE: {
        std::vector<uint32_t> owner(f.p);
        for (uint32_t v = 0; v < f.p; ++v)
        {
            owner[v] = v;
        }
        if (f.extra > 0)
        {
            for (uint32_t i = 0; i < f.extra; ++i)
            {
                for (uint32_t s = 0; s < f.p; ++s)
                {
                    builder.Send(2 * i, 2 * i + 1, s, true, step);
                }
            }
            ++step;
        }
        step = ReduceScatter(builder, f, owner, step);
        step = AllGather(builder, f, owner, descending, step);
        for (uint32_t i = 0; i < f.extra; ++i)
        {
            for (uint32_t s = 0; s < f.p; ++s)
            {
                builder.Send(2 * i + 1, 2 * i, s, false, step);
            }
        }
        break;
    }
    case CollectiveOp::REDUCE_SCATTER: {
        std::vector<uint32_t> owner(n);
        for (uint32_t r = 0; r < n; ++r)
        {
            owner[r] = f.Virtual(r);
        }
        if (f.extra > 0)
        {
            for (uint32_t i = 0; i < f.extra; ++i)
            {
                for (uint32_t s = 0; s < n; ++s)
                {
                    builder.Send(2 * i, 2 * i + 1, s, true, step);
                }
            }
            ++step;
        }
        step = ReduceScatter(builder, f, owner, step);
        for (uint32_t i = 0; i < f.extra; ++i)
        {
            builder.Send(2 * i + 1, 2 * i, 2 * i, false, step);
        }
        break;
    }
    case CollectiveOp::ALL_GATHER: {
        std::vector<uint32_t> owner(n);
        for (uint32_t r = 0; r < n; ++r)
        {
            owner[r] = f.Virtual(r);
        }
        if (f.extra > 0)
        {
            for (uint32_t i = 0; i < f.extra; ++i)
            {
                builder.Send(2 * i, 2 * i + 1, 2 * i, false, step);
            }
            ++step;
        }
        step = AllGather(builder, f, owner, ascending, step);
        for (uint32_t i = 0; i < f.extra; ++i)
        {
            for (uint32_t s = 0; s < n; ++s)
            {
                if (s != 2 * i)
                {
                    builder.Send(2 * i + 1, 2 * i, s, false, step);
                }
            }
        }
        break;
    }
    default:
        break;
    }
}

} // namespace ns3
