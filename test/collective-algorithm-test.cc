/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Collective algorithms: every algorithm and operation it supports, on 2 to 16 ranks (and
 * hierarchical layouts of 1, 2 and 4 servers of 2 to 8 ranks), with and without channels and
 * pipelining, passes the symbolic check and conserves bytes; the symbolic check fails on broken
 * schedules (a dropped transfer, a reduction applied twice, a missing dependency); closed forms
 * of steps and bytes per rank; NCCL's double binary trees; configuration errors; receive slots
 * (ConnectionSlots): sources wait for a free slot, earliest first, forwarders never wait.
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"

#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace ns3;

namespace
{

const std::vector<CollectiveOp> kAllOps = {CollectiveOp::ALL_REDUCE,
                                           CollectiveOp::REDUCE_SCATTER,
                                           CollectiveOp::ALL_GATHER,
                                           CollectiveOp::BROADCAST,
                                           CollectiveOp::REDUCE,
                                           CollectiveOp::ALL_TO_ALL,
                                           CollectiveOp::SEND_RECV};

const std::vector<uint32_t> kRankCounts = {2, 3, 4, 5, 7, 8, 16};

/// What each algorithm implements.
const std::map<std::string, std::set<CollectiveOp>> kSupported = {
    {"ns3::RingAlgorithm",
     {CollectiveOp::ALL_REDUCE,
      CollectiveOp::REDUCE_SCATTER,
      CollectiveOp::ALL_GATHER,
      CollectiveOp::BROADCAST,
      CollectiveOp::REDUCE}},
    {"ns3::TreeAlgorithm",
     {CollectiveOp::ALL_REDUCE, CollectiveOp::BROADCAST, CollectiveOp::REDUCE}},
    {"ns3::HalvingDoublingAlgorithm",
     {CollectiveOp::ALL_REDUCE, CollectiveOp::REDUCE_SCATTER, CollectiveOp::ALL_GATHER}},
    {"ns3::DirectAlgorithm", {kAllOps.begin(), kAllOps.end()}},
    {"ns3::HierarchicalAlgorithm",
     {CollectiveOp::ALL_REDUCE,
      CollectiveOp::REDUCE_SCATTER,
      CollectiveOp::ALL_GATHER,
      CollectiveOp::BROADCAST,
      CollectiveOp::REDUCE}},
};

/// Channels and ChunkSize of a run.
struct Config
{
    uint32_t channels;
    uint64_t chunkSize;
};

const std::vector<Config> kConfigs = {{1, 0}, {2, 0}, {1, 30000}, {2, 30000}};

Ptr<CollectiveAlgorithm>
Make(const std::string& type, uint32_t channels = 1, uint64_t chunkSize = 0)
{
    ObjectFactory factory(type);
    factory.Set("Channels", UintegerValue(channels));
    factory.Set("ChunkSize", UintegerValue(chunkSize));
    return factory.Create<CollectiveAlgorithm>();
}

/// The symbolic check, bytes conserved, chunk sizes, channels and steps.
::testing::AssertionResult
Verify(const CollectiveSchedule& s, uint64_t bytes, const Config& cfg)
{
    const std::string what = s.algorithm + " " + CollectiveOpName(s.op) + " on " +
                             std::to_string(s.nranks) + " ranks, " + std::to_string(cfg.channels) +
                             " channels, chunks of " + std::to_string(cfg.chunkSize) + ": ";
    const std::string error = CollectiveSymbolicCheck::Check(s);
    if (!error.empty())
    {
        return ::testing::AssertionFailure() << what << error;
    }
    uint64_t total = 0;
    for (uint64_t b : s.chunkBytes)
    {
        total += b;
        if (cfg.chunkSize > 0 && b > cfg.chunkSize)
        {
            return ::testing::AssertionFailure() << what << "a chunk of " << b << " bytes";
        }
    }
    const uint64_t expected = bytes * (s.op == CollectiveOp::ALL_TO_ALL ? s.nranks : 1);
    if (total != expected)
    {
        return ::testing::AssertionFailure()
               << what << total << " bytes in chunks, not " << expected;
    }
    for (const auto& t : s.transfers)
    {
        if (t.bytes == 0 || t.channel >= cfg.channels)
        {
            return ::testing::AssertionFailure()
                   << what << "a transfer of " << t.bytes << " bytes on channel " << t.channel;
        }
        for (uint32_t d : t.deps)
        {
            // Step-synchronous algorithms (halving-doubling) also wait for the previous step of
            // the sender, whatever its chunk.
            const bool stepSync = s.algorithm == "halving-doubling";
            if (s.transfers[d].step >= t.step || (!stepSync && s.transfers[d].chunk != t.chunk) ||
                s.transfers[d].channel != t.channel)
            {
                return ::testing::AssertionFailure()
                       << what << "a transfer at step " << t.step << " depends on one at step "
                       << s.transfers[d].step << " of chunk " << s.transfers[d].chunk;
            }
        }
    }
    return ::testing::AssertionSuccess();
}

/// \return bytes each rank sends
std::vector<uint64_t>
SentPerRank(const CollectiveSchedule& s)
{
    std::vector<uint64_t> sent(s.nranks, 0);
    for (const auto& t : s.transfers)
    {
        sent[t.src] += t.bytes;
    }
    return sent;
}

/// Remove transfer k, renumbering the dependencies (those on k dropped).
CollectiveSchedule
Drop(CollectiveSchedule s, uint32_t k)
{
    s.transfers.erase(s.transfers.begin() + k);
    for (auto& t : s.transfers)
    {
        std::vector<uint32_t> deps;
        for (uint32_t d : t.deps)
        {
            if (d != k)
            {
                deps.push_back(d > k ? d - 1 : d);
            }
        }
        t.deps = deps;
    }
    return s;
}

uint32_t
Log2(uint32_t n)
{
    uint32_t l = 0;
    while ((1u << (l + 1)) <= n)
    {
        ++l;
    }
    return l;
}

TEST(CollectiveAlgorithmTest, TypeIdsAndAttributes)
{
    for (const auto& [type, ops] : kSupported)
    {
        TypeId tid = TypeId::LookupByName(type);
        EXPECT_EQ(tid.GetGroupName(), "AiFabric");
        Ptr<CollectiveAlgorithm> algo = Make(type, 3, 4096);
        EXPECT_EQ(algo->GetChannels(), 3u);
        EXPECT_EQ(algo->GetChunkSize(), 4096u);
        for (CollectiveOp op : kAllOps)
        {
            EXPECT_EQ(algo->Supports(op, RankLayout::Flat(4)), ops.count(op) == 1)
                << type << " " << CollectiveOpName(op);
        }
    }
    Ptr<CollectiveAlgorithm> ring = Make("ns3::RingAlgorithm");
    EXPECT_EQ(ring->GetChannels(), 1u);
    EXPECT_EQ(ring->GetChunkSize(), 0u);
}

TEST(CollectiveAlgorithmTest, EveryAlgorithmOpAndRankCountIsCorrect)
{
    const uint64_t bytes = 1000003;
    uint32_t schedules = 0;
    for (const auto& [type, ops] : kSupported)
    {
        if (type == "ns3::HierarchicalAlgorithm")
        {
            continue;
        }
        for (const Config& cfg : kConfigs)
        {
            Ptr<CollectiveAlgorithm> algo = Make(type, cfg.channels, cfg.chunkSize);
            for (uint32_t n : kRankCounts)
            {
                std::vector<RankLayout> layouts = {RankLayout::Flat(n)};
                if (n % 2 == 0)
                {
                    layouts.push_back(RankLayout::Uniform(2, n / 2));
                    RankLayout interleaved; // servers 0, 1, 0, 1...
                    for (uint32_t r = 0; r < n; ++r)
                    {
                        interleaved.server.push_back(r % 2);
                    }
                    layouts.push_back(interleaved);
                }
                for (const RankLayout& layout : layouts)
                {
                    for (CollectiveOp op : ops)
                    {
                        for (uint32_t root : {0u, n - 1, n / 2})
                        {
                            const uint32_t peer = (root + 1 + n / 3) % n == root
                                                      ? (root + 1) % n
                                                      : (root + 1 + n / 3) % n;
                            const CollectiveSchedule s = algo->Build(op, bytes, layout, root, peer);
                            EXPECT_TRUE(Verify(s, bytes, cfg)) << "root " << root;
                            ++schedules;
                            if (op != CollectiveOp::BROADCAST && op != CollectiveOp::REDUCE &&
                                op != CollectiveOp::SEND_RECV)
                            {
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    EXPECT_GT(schedules, 500u);
}

TEST(CollectiveAlgorithmTest, HierarchicalLayoutsAreCorrect)
{
    const uint64_t bytes = 1000003;
    for (const Config& cfg : kConfigs)
    {
        Ptr<CollectiveAlgorithm> algo =
            Make("ns3::HierarchicalAlgorithm", cfg.channels, cfg.chunkSize);
        for (uint32_t servers : {1u, 2u, 4u})
        {
            for (uint32_t g = 2; g <= 8; ++g)
            {
                const RankLayout layout = RankLayout::Uniform(servers, g);
                const uint32_t n = servers * g;
                for (CollectiveOp op : kSupported.at("ns3::HierarchicalAlgorithm"))
                {
                    for (uint32_t root : {0u, n - 1, g + 1 < n ? g + 1 : 1})
                    {
                        const CollectiveSchedule s = algo->Build(op, bytes, layout, root);
                        EXPECT_TRUE(Verify(s, bytes, cfg)) << servers << " x " << g;
                    }
                }
            }
        }
    }
    // Servers listed out of order: rank 0 on server 7, rank 1 on server 3...
    RankLayout shuffled;
    shuffled.server = {7, 3, 7, 3, 5, 5, 3, 7, 5};
    Ptr<CollectiveAlgorithm> algo = Make("ns3::HierarchicalAlgorithm");
    for (CollectiveOp op : kSupported.at("ns3::HierarchicalAlgorithm"))
    {
        EXPECT_TRUE(Verify(algo->Build(op, bytes, shuffled, 4), bytes, {1, 0}));
    }
}

TEST(CollectiveAlgorithmTest, EmptyAndTinySchedules)
{
    for (const auto& [type, ops] : kSupported)
    {
        Ptr<CollectiveAlgorithm> algo = Make(type, 2, 100);
        for (CollectiveOp op : ops)
        {
            const CollectiveSchedule none = algo->Build(op, 0, RankLayout::Flat(4), 0, 1);
            EXPECT_EQ(none.chunks, 0u);
            EXPECT_TRUE(none.transfers.empty());
            EXPECT_EQ(CollectiveSymbolicCheck::Check(none), "");

            const CollectiveSchedule one = algo->Build(op, 1000, RankLayout::Flat(1), 0, 0);
            EXPECT_EQ(one.chunks, 1u);
            EXPECT_EQ(one.chunkBytes.at(0), 1000u);
            EXPECT_TRUE(one.transfers.empty());
            EXPECT_EQ(CollectiveSymbolicCheck::Check(one), "");

            // Fewer bytes than chunks: empty chunks have no transfers.
            for (uint64_t bytes : {1u, 3u, 5u})
            {
                const CollectiveSchedule tiny =
                    algo->Build(op, bytes, RankLayout::Uniform(2, 4), 3, 6);
                EXPECT_TRUE(Verify(tiny, bytes, {2, 100}));
            }
        }
    }
}

TEST(CollectiveAlgorithmTest, SymbolicCheckFailsOnBrokenSchedules)
{
    const CollectiveSchedule good =
        Make("ns3::RingAlgorithm")->Build(CollectiveOp::ALL_REDUCE, 4000, RankLayout::Flat(4));
    ASSERT_EQ(CollectiveSymbolicCheck::Check(good), "");
    ASSERT_EQ(good.transfers.size(), 24u);

    // A dropped transfer: the last one of the all-gather leaves a rank without a chunk.
    std::string error = CollectiveSymbolicCheck::Check(Drop(good, 23));
    EXPECT_EQ(error,
              "all-reduce: rank 0's chunk 1 ends with {0, 2, 3} but should hold all 4 ranks");
    // Dropping one of the reduce-scatter leaves partial sums (or sends data never received).
    error = CollectiveSymbolicCheck::Check(Drop(good, 5));
    EXPECT_FALSE(error.empty());

    // A reduction applied twice.
    CollectiveSchedule twice = good;
    CollectiveTransfer again = good.transfers[4]; // step 1 of the reduce-scatter
    again.deps = {4};
    again.step = 2;
    twice.transfers.push_back(again);
    error = CollectiveSymbolicCheck::Check(twice);
    EXPECT_NE(error.find("a contribution added twice"), std::string::npos) << error;

    // A missing dependency: an all-gather transfer no longer waits for its data. The listed order
    // still works, but another valid order does not.
    uint32_t victim = 0;
    for (uint32_t i = 0; i < good.transfers.size(); ++i)
    {
        if (!good.transfers[i].reduce && !good.transfers[i].deps.empty())
        {
            victim = i;
            break;
        }
    }
    CollectiveSchedule racy = good;
    racy.transfers[victim].deps.clear();
    error = CollectiveSymbolicCheck::Check(racy);
    EXPECT_EQ(error.rfind("race: ", 0), 0u) << error;
    EXPECT_NE(error.find("transfer " + std::to_string(victim)), std::string::npos) << error;

    // A reduction turned into a copy: the receiver loses its own contribution.
    CollectiveSchedule copied = good;
    copied.transfers[0].reduce = false;
    error = CollectiveSymbolicCheck::Check(copied);
    EXPECT_FALSE(error.empty());

    // Structure: a dependency on a later transfer; a transfer of the wrong size.
    CollectiveSchedule forward = good;
    forward.transfers[0].deps = {3};
    error = CollectiveSymbolicCheck::Check(forward);
    EXPECT_NE(error.find("not an earlier one"), std::string::npos) << error;
    CollectiveSchedule shortened = good;
    shortened.transfers[2].bytes -= 1;
    error = CollectiveSymbolicCheck::Check(shortened);
    EXPECT_NE(error.find("moves 999 bytes of a chunk of 1000"), std::string::npos) << error;

    // Two copies into one chunk in no order: the final value depends on the order.
    const CollectiveSchedule bcast =
        Make("ns3::DirectAlgorithm")->Build(CollectiveOp::BROADCAST, 100, RankLayout::Flat(3));
    CollectiveSchedule clash = bcast;
    CollectiveTransfer relay = bcast.transfers[0]; // 0 -> 1
    relay.src = 2;
    relay.dst = 1;
    relay.step = 1;
    relay.deps = {1}; // after 0 -> 2, but not ordered with 0 -> 1
    clash.transfers.push_back(relay);
    EXPECT_EQ(CollectiveSymbolicCheck::Check(clash).rfind("race: ", 0), 0u);
    EXPECT_EQ(CollectiveSymbolicCheck::CheckRaces(bcast), "");

    // Data sent before it exists.
    CollectiveSchedule early = bcast;
    early.transfers[0].src = 2;
    early.transfers[0].dst = 1;
    error = CollectiveSymbolicCheck::Check(early);
    EXPECT_NE(error.find("which holds nothing yet"), std::string::npos) << error;
}

TEST(CollectiveAlgorithmTest, EveryTransferAndDependencyIsNeeded)
{
    // Dropping any transfer breaks the result; dropping any dependency (they are minimal) leaves
    // two conflicting transfers unordered, which the race check reports.
    const std::vector<std::pair<std::string, RankLayout>> cases = {
        {"ns3::RingAlgorithm", RankLayout::Flat(5)},
        {"ns3::TreeAlgorithm", RankLayout::Flat(6)},
        {"ns3::TreeAlgorithm", RankLayout::Uniform(3, 2)},
        {"ns3::HalvingDoublingAlgorithm", RankLayout::Flat(6)},
        {"ns3::DirectAlgorithm", RankLayout::Flat(4)},
        {"ns3::HierarchicalAlgorithm", RankLayout::Uniform(2, 3)},
    };
    uint32_t mutants = 0;
    for (const auto& [type, layout] : cases)
    {
        Ptr<CollectiveAlgorithm> algo = Make(type, 1, 100);
        for (CollectiveOp op : kSupported.at(type))
        {
            const CollectiveSchedule s = algo->Build(op, 1200, layout, 1, 2);
            ASSERT_EQ(CollectiveSymbolicCheck::Check(s), "");
            for (uint32_t k = 0; k < s.transfers.size(); ++k)
            {
                EXPECT_NE(CollectiveSymbolicCheck::Check(Drop(s, k)), "")
                    << type << " " << CollectiveOpName(op) << " without transfer " << k;
                for (size_t d = 0; d < s.transfers[k].deps.size(); ++d)
                {
                    CollectiveSchedule racy = s;
                    racy.transfers[k].deps.erase(racy.transfers[k].deps.begin() + d);
                    const std::string result = CollectiveSymbolicCheck::Check(racy);
                    if (type == "ns3::HalvingDoublingAlgorithm" && result.empty())
                    {
                        continue; // a step-synchronisation dependency: timing, not data
                    }
                    EXPECT_EQ(result.rfind("race: ", 0), 0u)
                        << type << " " << CollectiveOpName(op) << " transfer " << k << " dep " << d;
                    ++mutants;
                }
            }
        }
    }
    EXPECT_GT(mutants, 300u);
}

TEST(CollectiveAlgorithmTest, RingClosedForms)
{
    Ptr<CollectiveAlgorithm> ring = Make("ns3::RingAlgorithm");
    Ptr<CollectiveAlgorithm> ring2 = Make("ns3::RingAlgorithm", 2);
    for (uint32_t n : kRankCounts)
    {
        const uint64_t bytes = 2 * n * 1000;
        for (auto algo : {ring, ring2})
        {
            const uint32_t channels = algo->GetChannels();
            const CollectiveSchedule ar =
                algo->Build(CollectiveOp::ALL_REDUCE, bytes, RankLayout::Flat(n));
            EXPECT_EQ(ar.GetNSteps(), 2 * (n - 1));
            EXPECT_EQ(ar.transfers.size(), channels * 2 * (n - 1) * n);
            for (uint64_t sent : SentPerRank(ar))
            {
                EXPECT_EQ(sent, 2 * (n - 1) * bytes / n);
            }
            for (const auto& t : ar.transfers)
            {
                EXPECT_EQ(t.dst, (t.src + 1) % n);
                // Step k waits for exactly the step k - 1 transfer that brought the chunk.
                if (t.step == 0)
                {
                    EXPECT_TRUE(t.deps.empty());
                    EXPECT_TRUE(t.reduce);
                }
                else
                {
                    ASSERT_EQ(t.deps.size(), 1u);
                    const auto& d = ar.transfers[t.deps[0]];
                    EXPECT_EQ(d.dst, t.src);
                    EXPECT_EQ(d.step + 1, t.step);
                }
                EXPECT_EQ(t.reduce, t.step < n - 1);
            }
            for (CollectiveOp op : {CollectiveOp::REDUCE_SCATTER, CollectiveOp::ALL_GATHER})
            {
                const CollectiveSchedule s = algo->Build(op, bytes, RankLayout::Flat(n));
                EXPECT_EQ(s.GetNSteps(), n - 1);
                for (uint64_t sent : SentPerRank(s))
                {
                    EXPECT_EQ(sent, (n - 1) * bytes / n);
                }
            }
        }
        // Broadcast: n - 1 hops, pipelined: P pieces take P + n - 2 steps.
        const CollectiveSchedule b =
            ring->Build(CollectiveOp::BROADCAST, 8000, RankLayout::Flat(n), 1);
        EXPECT_EQ(b.GetNSteps(), n - 1);
        const CollectiveSchedule bp =
            Make("ns3::RingAlgorithm", 1, 1000)
                ->Build(CollectiveOp::BROADCAST, 8000, RankLayout::Flat(n), 1);
        EXPECT_EQ(bp.chunks, 8u);
        EXPECT_EQ(bp.GetNSteps(), 8 + n - 2);
    }
    // The ring keeps each server's ranks together: with servers interleaved, only 2 transfers per
    // step cross servers.
    RankLayout interleaved;
    interleaved.server = {0, 1, 0, 1, 0, 1, 0, 1};
    // Server 1 is walked backwards, so the ring crosses between servers on one rail.
    EXPECT_EQ(RingAlgorithm::GetRingOrder(interleaved),
              (std::vector<uint32_t>{0, 2, 4, 6, 7, 5, 3, 1}));
    const CollectiveSchedule ar = ring->Build(CollectiveOp::ALL_REDUCE, 8000, interleaved);
    uint32_t crossing = 0;
    for (const auto& t : ar.transfers)
    {
        crossing += interleaved.server[t.src] != interleaved.server[t.dst];
    }
    EXPECT_EQ(crossing, 2u * ar.GetNSteps());
}

TEST(CollectiveAlgorithmTest, HalvingDoublingClosedForms)
{
    Ptr<CollectiveAlgorithm> hd = Make("ns3::HalvingDoublingAlgorithm");
    for (uint32_t n : kRankCounts)
    {
        const uint64_t bytes = 16 * 1024;
        const CollectiveSchedule ar =
            hd->Build(CollectiveOp::ALL_REDUCE, bytes, RankLayout::Flat(n));
        const bool power = (n & (n - 1)) == 0;
        EXPECT_EQ(ar.GetNSteps(), 2 * Log2(n) + (power ? 0 : 2)) << n;
        if (power)
        {
            for (uint64_t sent : SentPerRank(ar))
            {
                EXPECT_EQ(sent, 2 * (n - 1) * bytes / n);
            }
            // Step j of the reduce-scatter pairs ranks at distance 2^j.
            for (const auto& t : ar.transfers)
            {
                const uint32_t j = t.step < Log2(n) ? t.step : 2 * Log2(n) - 1 - t.step;
                EXPECT_EQ(t.src ^ t.dst, 1u << j);
            }
        }
        const CollectiveSchedule rs =
            hd->Build(CollectiveOp::REDUCE_SCATTER, bytes, RankLayout::Flat(n));
        EXPECT_EQ(rs.GetNSteps(), Log2(n) + (power ? 0 : 2));
        const CollectiveSchedule ag =
            hd->Build(CollectiveOp::ALL_GATHER, bytes, RankLayout::Flat(n));
        EXPECT_EQ(ag.GetNSteps(), Log2(n) + (power ? 0 : 2));
    }
}

TEST(CollectiveAlgorithmTest, DoubleBinaryTree)
{
    // NCCL's trees.cc pictures: 12 ranks (mirror) and 13 ranks (shift).
    auto parents12 = TreeAlgorithm::GetParents(RankLayout::Flat(12), 0, 0);
    EXPECT_EQ(parents12, (std::vector<int>{-1, 2, 4, 2, 8, 6, 4, 6, 0, 10, 8, 10}));
    parents12 = TreeAlgorithm::GetParents(RankLayout::Flat(12), 1, 0);
    EXPECT_EQ(parents12, (std::vector<int>{1, 3, 1, 11, 5, 7, 5, 3, 9, 7, 9, -1}));
    auto parents13 = TreeAlgorithm::GetParents(RankLayout::Flat(13), 0, 0);
    EXPECT_EQ(parents13, (std::vector<int>{-1, 2, 4, 2, 8, 6, 4, 6, 0, 10, 12, 10, 8}));
    parents13 = TreeAlgorithm::GetParents(RankLayout::Flat(13), 1, 0);
    EXPECT_EQ(parents13, (std::vector<int>{9, -1, 3, 5, 3, 9, 7, 5, 7, 1, 11, 0, 11}));

    Ptr<CollectiveAlgorithm> tree = Make("ns3::TreeAlgorithm");
    for (uint32_t n : kRankCounts)
    {
        const uint64_t bytes = 4000 * n;
        for (const RankLayout& layout :
             {RankLayout::Flat(n), RankLayout::Uniform(n % 2 == 0 ? 2 : 1, n % 2 == 0 ? n / 2 : n)})
        {
            const CollectiveSchedule ar = tree->Build(CollectiveOp::ALL_REDUCE, bytes, layout);
            // Each rank sends at most twice the buffer; at most 3 children per rank and tree.
            for (uint64_t sent : SentPerRank(ar))
            {
                EXPECT_LE(sent, 2 * bytes);
            }
            std::map<std::pair<uint32_t, uint32_t>, std::set<uint32_t>> children;
            for (const auto& t : ar.transfers)
            {
                if (!t.reduce)
                {
                    children[{t.chunk % 2, t.src}].insert(t.dst);
                }
            }
            for (const auto& [key, kids] : children)
            {
                EXPECT_LE(kids.size(), 3u);
            }
            // One rank per server, even n: every rank is interior in exactly one tree.
            if (layout.server == RankLayout::Flat(n).server && n % 2 == 0)
            {
                for (uint32_t r = 0; r < n; ++r)
                {
                    EXPECT_EQ(children.count({0, r}) + children.count({1, r}), 1u) << n << " " << r;
                }
            }
        }
        // Pipelining: P pieces run P - 1 steps behind the first, not P times as long.
        const CollectiveSchedule one =
            tree->Build(CollectiveOp::ALL_REDUCE, bytes, RankLayout::Flat(n));
        const CollectiveSchedule piped =
            Make("ns3::TreeAlgorithm", 1, 500)
                ->Build(CollectiveOp::ALL_REDUCE, bytes, RankLayout::Flat(n));
        const uint32_t pieces = piped.chunks / 2;
        EXPECT_EQ(pieces, 4 * n);
        EXPECT_EQ(piped.GetNSteps(), one.GetNSteps() + pieces - 1);
    }
}

TEST(CollectiveAlgorithmTest, DirectAndHierarchicalClosedForms)
{
    Ptr<CollectiveAlgorithm> direct = Make("ns3::DirectAlgorithm");
    for (uint32_t n : kRankCounts)
    {
        const uint64_t bytes = n * 1000;
        const CollectiveSchedule a2a =
            direct->Build(CollectiveOp::ALL_TO_ALL, bytes, RankLayout::Flat(n));
        EXPECT_EQ(a2a.GetNSteps(), 1u);
        EXPECT_EQ(a2a.transfers.size(), n * (n - 1));
        for (uint64_t sent : SentPerRank(a2a))
        {
            EXPECT_EQ(sent, (n - 1) * bytes / n);
        }
        const CollectiveSchedule ar =
            direct->Build(CollectiveOp::ALL_REDUCE, bytes, RankLayout::Flat(n));
        EXPECT_EQ(ar.GetNSteps(), 2u);
        for (uint64_t sent : SentPerRank(ar))
        {
            EXPECT_EQ(sent, 2 * (n - 1) * bytes / n);
        }
        const CollectiveSchedule sr =
            direct->Build(CollectiveOp::SEND_RECV, bytes, RankLayout::Flat(n), n - 1, 0);
        ASSERT_EQ(sr.transfers.size(), 1u);
        EXPECT_EQ(sr.transfers[0].src, n - 1);
        EXPECT_EQ(sr.transfers[0].dst, 0u);
    }

    Ptr<CollectiveAlgorithm> hier = Make("ns3::HierarchicalAlgorithm");
    for (uint32_t servers : {1u, 2u, 4u})
    {
        for (uint32_t g = 2; g <= 8; ++g)
        {
            const uint32_t n = servers * g;
            const uint64_t bytes = n * 1000;
            const RankLayout layout = RankLayout::Uniform(servers, g);
            const CollectiveSchedule ar = hier->Build(CollectiveOp::ALL_REDUCE, bytes, layout);
            EXPECT_EQ(ar.GetNSteps(), 2 * (g - 1) + 2 * (servers - 1));
            std::vector<uint64_t> inter(n, 0);
            std::vector<uint64_t> intra(n, 0);
            for (const auto& t : ar.transfers)
            {
                if (layout.server[t.src] != layout.server[t.dst])
                {
                    EXPECT_EQ(t.src % g, t.dst % g); // along a rail
                    inter[t.src] += t.bytes;
                }
                else
                {
                    intra[t.src] += t.bytes;
                }
            }
            for (uint32_t r = 0; r < n; ++r)
            {
                EXPECT_EQ(inter[r], 2 * (servers - 1) * bytes / n);
                EXPECT_EQ(intra[r], 2 * (g - 1) * bytes / g);
            }
        }
    }
}

TEST(CollectiveAlgorithmTest, ConfigurationErrors)
{
    const RankLayout four = RankLayout::Flat(4);
    EXPECT_THROW(Make("ns3::RingAlgorithm")->Build(CollectiveOp::ALL_TO_ALL, 100, four),
                 FabricConfigError);
    EXPECT_THROW(Make("ns3::TreeAlgorithm")->Build(CollectiveOp::REDUCE_SCATTER, 100, four),
                 FabricConfigError);
    EXPECT_THROW(Make("ns3::HalvingDoublingAlgorithm")->Build(CollectiveOp::BROADCAST, 100, four),
                 FabricConfigError);
    EXPECT_THROW(Make("ns3::DirectAlgorithm")->Build(CollectiveOp::ALL_REDUCE, 100, RankLayout{}),
                 FabricConfigError);
    EXPECT_THROW(Make("ns3::DirectAlgorithm")->Build(CollectiveOp::BROADCAST, 100, four, 4),
                 FabricConfigError);
    EXPECT_THROW(Make("ns3::DirectAlgorithm")->Build(CollectiveOp::SEND_RECV, 100, four, 2, 2),
                 FabricConfigError);
    RankLayout uneven;
    uneven.server = {0, 0, 0, 1, 1};
    try
    {
        Make("ns3::HierarchicalAlgorithm")->Build(CollectiveOp::ALL_REDUCE, 100, uneven);
        ADD_FAILURE() << "no error";
    }
    catch (const FabricConfigError& e)
    {
        EXPECT_NE(std::string(e.what()).find("same number of ranks on every server"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(Make("ns3::HierarchicalAlgorithm")->Supports(CollectiveOp::ALL_REDUCE, uneven));
    EXPECT_TRUE(Make("ns3::RingAlgorithm")->Supports(CollectiveOp::ALL_REDUCE, uneven));
}

} // namespace

TEST(ConnectionSlotsTest, SourcesWaitForSlotsForwardersDoNot)
{
    // A chain 0 -> 1 -> 2 in six pieces: a_p (0 -> 1) is data rank 0 starts with, b_p (1 -> 2)
    // forwards a_p (the same chunk). Two slots per connection.
    CollectiveSchedule s;
    s.op = CollectiveOp::BROADCAST;
    s.nranks = 3;
    s.chunks = 6;
    s.chunkBytes.assign(6, 1024);
    const uint32_t pieces = 6;
    for (uint32_t p = 0; p < pieces; ++p)
    {
        CollectiveTransfer a;
        a.src = 0;
        a.dst = 1;
        a.chunk = p;
        a.bytes = 1024;
        a.step = p;
        a.slice = p;
        s.transfers.push_back(a);
    }
    for (uint32_t p = 0; p < pieces; ++p)
    {
        CollectiveTransfer b;
        b.src = 1;
        b.dst = 2;
        b.chunk = p;
        b.bytes = 1024;
        b.step = p + 1;
        b.slice = p;
        b.deps = {p};
        s.transfers.push_back(b);
    }
    ConnectionSlots slots(s, 2);
    EXPECT_EQ(slots.GetNConnections(), 2u);
    EXPECT_NE(slots.GetConnection(0), slots.GetConnection(pieces));
    // a_0 and a_1 take the two slots; a_3, then a_2, wait.
    EXPECT_EQ(slots.Ready(0), (std::vector<uint32_t>{0}));
    EXPECT_EQ(slots.Ready(1), (std::vector<uint32_t>{1}));
    EXPECT_TRUE(slots.Ready(3).empty());
    EXPECT_TRUE(slots.Ready(2).empty());
    EXPECT_EQ(slots.GetHeld(), 2u);
    // a_0's arrival frees nothing: rank 1 has not forwarded it yet.
    EXPECT_TRUE(slots.Arrived(0).empty());
    // Posting b_0 (a forwarder: it never waits) consumes a_0 and lets the earliest waiting
    // source go, a_2, though a_3 was ready first.
    EXPECT_EQ(slots.Ready(pieces), (std::vector<uint32_t>{pieces, 2}));
    EXPECT_EQ(slots.GetHeld(), 1u);
    // Nothing forwards b_0: its slot frees when it arrives, with nobody waiting on its connection.
    EXPECT_TRUE(slots.Arrived(pieces).empty());
    EXPECT_TRUE(slots.Arrived(1).empty());
    EXPECT_EQ(slots.Ready(pieces + 1), (std::vector<uint32_t>{pieces + 1, 3}));
    EXPECT_EQ(slots.GetHeld(), 0u);
    // Unlimited slots: everything goes at once.
    ConnectionSlots unlimited(s, 0);
    for (uint32_t p = 0; p < pieces; ++p)
    {
        EXPECT_EQ(unlimited.Ready(p), (std::vector<uint32_t>{p}));
    }
    EXPECT_EQ(unlimited.GetHeld(), 0u);
    // A slot holds a piece: the transfers of one piece never wait for each other (one step of
    // halving-doubling sends several chunks to the same partner).
    for (auto& t : s.transfers)
    {
        t.slice = 0;
    }
    ConnectionSlots onePiece(s, 2);
    for (uint32_t p = 0; p < pieces; ++p)
    {
        EXPECT_EQ(onePiece.Ready(p), (std::vector<uint32_t>{p}));
    }
}
