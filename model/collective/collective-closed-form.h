/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COLLECTIVE_CLOSED_FORM_H
#define COLLECTIVE_CLOSED_FORM_H

#include "collective-schedule.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The classic alpha-beta closed forms of collectives on uniform topologies, and
 * nccl-tests' bandwidth conversions: a check independent of any schedule and of the fabric.
 *
 * Notation, shared by every function:
 * - n: ranks; S: the operation's size in bytes (nccl-tests' S: the whole buffer of an
 *   all-reduce, every rank's shard together for reduce-scatter and all-gather);
 * - B: the bandwidth one rank sends at in one step, bytes per second (the link's rate times
 *   the payload and protocol efficiencies, as the analytical backend counts it);
 * - alpha: the latency of one step in seconds (the path's propagation and switch latencies,
 *   plus whatever per-step protocol latency the caller adds).
 *
 * Every time is in seconds. Sources: Thakur, Rabenseifner and Gropp, "Optimization of
 * Collective Communication Operations in MPICH" (2005) for ring, recursive halving-doubling
 * and pipelined broadcast; NCCL's tuning model (fact sheet §9.2) for the double binary tree;
 * nccl-tests' PERFORMANCE.md (fact sheet §9.3) for algbw and busbw.
 */
namespace CollectiveClosedForm
{

/**
 * \brief Ring all-reduce: a reduce-scatter then an all-gather round the ring, 2(n-1) steps of
 * S/n bytes each:  T = 2(n-1)/n * S/B + 2(n-1) * alpha.
 * \param n ranks (>= 1)
 * \param bytes S
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double RingAllReduce(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Ring reduce-scatter: n-1 steps of S/n bytes:  T = (n-1)/n * S/B + (n-1) * alpha.
 * \param n ranks
 * \param bytes S (every shard together)
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double RingReduceScatter(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Ring all-gather, the same as the reduce-scatter without the reductions:
 * T = (n-1)/n * S/B + (n-1) * alpha.
 * \param n ranks
 * \param bytes S (every shard together)
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double RingAllGather(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Pipelined ring (chain) broadcast from the root: S cut into k chunks that follow
 * each other down the n-1 links of the chain; the last chunk leaves the root after k-1 chunk
 * times and needs n-1 more:  T = (n + k - 2) * (alpha + S/(k B)).  As k grows this tends to
 * S/B + (n-1) alpha, the bound NCCL's busbw factor of 1 stands for.
 * \param n ranks
 * \param bytes S
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \param chunks k (>= 1)
 * \return the time, s
 */
double RingBroadcast(uint32_t n, double bytes, double bandwidth, double alpha, uint32_t chunks);

/**
 * \brief Pipelined ring (chain) reduce toward the root, the broadcast reversed:
 * T = (n + k - 2) * (alpha + S/(k B)).
 * \param n ranks
 * \param bytes S
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \param chunks k (>= 1)
 * \return the time, s
 */
double RingReduce(uint32_t n, double bytes, double bandwidth, double alpha, uint32_t chunks);

/**
 * \brief Double binary tree all-reduce (NCCL's tree), in the limit of many pipelined chunks.
 * Each tree carries S/2; a rank is interior in one tree (it receives two halves from its
 * children, sends one up, and later one down to each child) and a leaf in the other, so it
 * sends and receives 2S in all: the bandwidth term is 2S/B (NCCL's model: algBw = busBw/2,
 * fact sheet §9.2). The first chunk climbs ceil(log2 n) levels and comes back down:
 * T = 2 * ceil(log2 n) * alpha + 2 S/B.
 * \param n ranks
 * \param bytes S
 * \param bandwidth B, bytes/s
 * \param alpha per-step (per tree level) latency, s
 * \return the time, s
 */
double DoubleBinaryTreeAllReduce(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Recursive halving-doubling (Rabenseifner) all-reduce: a reduce-scatter by recursive
 * halving (log2 n steps of S/2, S/4, ... S/n bytes) then an all-gather by recursive doubling:
 * T = 2 log2(n) * alpha + 2(n-1)/n * S/B.  n must be a power of two (FabricConfigError
 * otherwise).
 * \param n ranks, a power of two
 * \param bytes S
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double HalvingDoublingAllReduce(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Direct all-reduce: every rank sends shard j (S/n bytes) to rank j at once
 * (reduce-scatter in one step), then every rank sends its reduced shard to every other (the
 * all-gather in one step); B is a rank's injection bandwidth shared by its n-1 sends:
 * T = 2 alpha + 2(n-1)/n * S/B.
 * \param n ranks
 * \param bytes S
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double DirectAllReduce(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Direct reduce-scatter or all-gather: one step in which every rank sends S/n bytes to
 * each of the n-1 others:  T = alpha + (n-1)/n * S/B.
 * \param n ranks
 * \param bytes S (every shard together)
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double DirectReduceScatter(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Direct all-gather (see DirectReduceScatter):  T = alpha + (n-1)/n * S/B.
 * \param n ranks
 * \param bytes S (every shard together)
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double DirectAllGather(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief Direct all-to-all: every rank sends S/n bytes of its S-byte buffer to each of the
 * n-1 others at once:  T = alpha + (n-1)/n * S/B.
 * \param n ranks
 * \param bytes S (one rank's buffer)
 * \param bandwidth B, bytes/s
 * \param alpha per-step latency, s
 * \return the time, s
 */
double DirectAllToAll(uint32_t n, double bytes, double bandwidth, double alpha);

/**
 * \brief nccl-tests' algorithm bandwidth:  algbw = S / t.
 * \param bytes S
 * \param seconds t (> 0)
 * \return algbw, bytes/s
 */
double AlgBandwidth(double bytes, double seconds);

/**
 * \brief nccl-tests' bus bandwidth factor (fact sheet §9.3): all-reduce 2(n-1)/n,
 * reduce-scatter, all-gather and all-to-all (n-1)/n, broadcast, reduce and send/recv 1.
 * \param op the operation
 * \param n ranks
 * \return busbw / algbw
 */
double BusBandwidthFactor(CollectiveOp op, uint32_t n);

/**
 * \brief nccl-tests' bus bandwidth:  busbw = algbw * BusBandwidthFactor(op, n).
 * \param op the operation
 * \param n ranks
 * \param algBandwidth algbw, bytes/s
 * \return busbw, bytes/s
 */
double BusBandwidth(CollectiveOp op, uint32_t n, double algBandwidth);

} // namespace CollectiveClosedForm

} // namespace ns3

#endif /* COLLECTIVE_CLOSED_FORM_H */
