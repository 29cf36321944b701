/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Conservation at scale: 10,000 small random lossless scenarios (RandomFabricScenario: random
 * topology, VLs, buffers and RDMA traffic from a seed), in four shards of 2,500 seeds that
 * ctest runs in parallel. For each: every byte delivered exactly once and in order per queue
 * pair, no credit leaked on any port and VL, no packet left in any buffer or queue. A failing
 * seed is reported with what it built and how to rerun it alone.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace ns3;

namespace
{

/// Scenarios per shard.
constexpr uint64_t SHARD_SCENARIOS = 2500;

/// Fixture: the module's common one.
class ConservationPropertyTest : public FabricTest
{
  protected:
    /**
     * \brief Run the seeds of one shard and check each.
     * \param shard the shard (seeds shard * SHARD_SCENARIOS + 1 on)
     */
    void RunShard(uint64_t shard)
    {
        ConservationTotals totals;
        uint32_t reported = 0;
        for (uint64_t k = 0; k < SHARD_SCENARIOS; ++k)
        {
            const uint64_t seed = shard * SHARD_SCENARIOS + k + 1;
            const ConservationResult r = RandomFabricScenario::RunOnce(seed);
            totals.Add(r);
            if (r.Passed() || reported++ >= 5)
            {
                continue;
            }
            std::ostringstream os;
            os << "scenario seed " << seed << " failed: " << r.description << "\n";
            if (!r.error.empty())
            {
                os << "  exception: " << r.error << "\n";
            }
            for (const std::string& f : r.fails)
            {
                os << "  " << f << "\n";
            }
            os << "  reproduce: ./build/conservation-bench --scenarios=1 --seed=" << seed
               << " --verbose=1";
            ADD_FAILURE() << os.str();
        }
        std::cout << "[conservation] shard " << shard << ": " << totals.passed << "/"
                  << SHARD_SCENARIOS << " scenarios passed; " << totals.messages << " messages, "
                  << totals.bytes << " B, " << totals.stalled
                  << " scenarios with credit stalls; checks passed: delivery " << totals.delivery
                  << " queue pairs, credits " << totals.credits << " port VLs, buffers "
                  << totals.buffers << " ports and switches\n";
        RecordProperty("passed", std::to_string(totals.passed));
        EXPECT_EQ(totals.passed, SHARD_SCENARIOS);
    }
};

} // namespace

TEST_F(ConservationPropertyTest, Shard0)
{
    RunShard(0);
}

TEST_F(ConservationPropertyTest, Shard1)
{
    RunShard(1);
}

TEST_F(ConservationPropertyTest, Shard2)
{
    RunShard(2);
}

TEST_F(ConservationPropertyTest, Shard3)
{
    RunShard(3);
}

TEST_F(ConservationPropertyTest, SameSeedBuildsAndRunsTheSameScenario)
{
    // A failing seed must reproduce: the same seed draws the same scenario, with the same
    // outcome, and another seed draws another one.
    auto run = [](uint64_t seed) {
        RandomFabricScenario scenario(seed);
        scenario.Build();
        const ConservationResult r = scenario.Run();
        std::ostringstream os;
        os << scenario.Describe() << " | " << Simulator::Now().GetTimeStep() << " " << r.messages
           << " " << r.bytes << " " << r.deliveryChecks << " " << r.creditChecks << " "
           << r.bufferChecks << " " << r.creditStalls << " " << r.reordered << " " << r.Passed();
        Simulator::Destroy();
        return os.str();
    };
    for (uint64_t seed : {1u, 309u, 1700u})
    {
        const std::string a = run(seed);
        EXPECT_EQ(a, run(seed));
        EXPECT_NE(a, run(seed + 1));
        EXPECT_NE(a.find("seed " + std::to_string(seed) + ":"), std::string::npos) << a;
    }
}
