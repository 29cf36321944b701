/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COLLECTIVE_SYMBOLIC_CHECK_H
#define COLLECTIVE_SYMBOLIC_CHECK_H

#include "collective-schedule.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Runs a schedule without payload and says whether it does what its operation must.
 *
 * Every rank's copy of every chunk holds a set of contributions (the ranks whose data it
 * contains) or nothing defined yet. Initially, for a schedule of n ranks:
 *
 * - all-reduce, reduce-scatter, reduce: rank r holds {r} in every chunk;
 * - all-gather: rank r holds {r} in the chunks c with c mod n = r (its shard), nothing elsewhere;
 * - broadcast, send/recv: the root holds {root} in every chunk, the others nothing;
 * - all-to-all: chunk c is what rank a = (c mod n^2) / n sends to rank b = c mod n; rank a holds
 *   {a} in it, the others nothing.
 *
 * A transfer sends the sender's copy (which must be defined); the receiver adds it (reduce: the
 * union, which must not count a contribution twice, into a defined copy) or takes it (replace).
 * At the end: all-reduce: every rank holds every rank's contribution in every chunk; reduce-
 * scatter: rank c mod n holds all of chunk c; all-gather: every rank holds {c mod n} in chunk c;
 * broadcast: every rank holds {root}; reduce: the root holds all; all-to-all: rank b holds {a} in
 * chunk c; send/recv: the peer holds {root}. Chunks of no bytes hold nothing to deliver and are
 * not checked.
 *
 * Check() first checks the structure (CollectiveSchedule::CheckStructure), then looks for races:
 * every two transfers that touch the same rank's copy of a chunk, unless both only read it or
 * both reduce into it, must be ordered by the dependencies (one an ancestor of the other). Then it
 * runs the schedule in its listed order and in a second valid order (of the transfers whose
 * dependencies are done, the one listed last first) and requires the same final state.
 */
class CollectiveSymbolicCheck
{
  public:
    /**
     * \param schedule a schedule
     * \return "" if it is correct, else what is wrong: the transfer, rank and chunk at fault,
     * what the chunk holds and what it should
     */
    static std::string Check(const CollectiveSchedule& schedule);

    /**
     * \param schedule a schedule
     * \return "" if no two conflicting transfers are unordered, else the first such pair
     */
    static std::string CheckRaces(const CollectiveSchedule& schedule);
};

} // namespace ns3

#endif /* COLLECTIVE_SYMBOLIC_CHECK_H */
