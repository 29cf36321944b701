/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * A longer sweep of the conservation property (see test/conservation-property-test.cc):
 * N random lossless scenarios (RandomFabricScenario) from seed S on, each checked for
 * delivery exactly once and in order per queue pair, no leaked credit, no packet left behind.
 *
 * Prints the scenarios per wall second and the counts of checks passed; with --verbose=1,
 * what each scenario built and, for a failing one, every failed check (the reproduction of a
 * seed the property test reports: --scenarios=1 --seed=S --verbose=1).
 *
 * Try: --scenarios=100000 --seed=10001 --maxBytes=16384
 */

#include "bench-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <fmt/core.h>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("ConservationBench");

int
main(int argc, char* argv[])
{
    uint64_t scenarios = 1000;
    uint64_t seed = 1;
    uint64_t maxBytes = 8192;
    bool verbose = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("scenarios", "number of scenarios", scenarios);
    cmd.AddValue("seed", "seed of the first scenario (the others follow)", seed);
    cmd.AddValue("maxBytes", "largest message, bytes", maxBytes);
    cmd.AddValue("verbose", "print every scenario and every failed check", verbose);
    cmd.Parse(argc, argv);
    Time::SetResolution(Time::PS);

    ConservationTotals totals;
    const double start = WallClockSeconds();
    for (uint64_t s = seed; s < seed + scenarios; ++s)
    {
        const ConservationResult r = RandomFabricScenario::RunOnce(s, maxBytes);
        totals.Add(r);
        const bool ok = r.Passed();
        if (verbose || !ok)
        {
            std::cout << (ok ? "ok   " : "FAIL ") << r.description;
            if (r.reordered > 0 || r.retransmitted > 0)
            {
                std::cout << " {reordered " << r.reordered << ", retransmitted " << r.retransmitted
                          << "}";
            }
            std::cout << "\n";
        }
        if (!ok)
        {
            if (!r.error.empty())
            {
                std::cout << "  exception: " << r.error << "\n";
            }
            for (const std::string& f : r.fails)
            {
                std::cout << "  " << f << "\n";
            }
        }
    }
    const double wall = WallClockSeconds() - start;
    std::cout << fmt::format("scenarios {} (seeds {}..{}), passed {}, failed {}\n",
                             scenarios,
                             seed,
                             seed + scenarios - 1,
                             totals.passed,
                             totals.scenarios - totals.passed);
    std::cout << fmt::format("messages {}, bytes {}, scenarios with credit stalls {}, packets "
                             "reordered {}, retransmitted {}\n",
                             totals.messages,
                             totals.bytes,
                             totals.stalled,
                             totals.reordered,
                             totals.retransmitted);
    std::cout << fmt::format("checks passed: delivery {} queue pairs, credits {} port VLs, "
                             "buffers {} ports and switches\n",
                             totals.delivery,
                             totals.credits,
                             totals.buffers);
    std::cout << fmt::format("wall {:.2f} s, {:.0f} scenarios/s, peak RSS {:.0f} MiB\n",
                             wall,
                             scenarios / wall,
                             PeakRssMiB());
    return totals.passed == totals.scenarios ? 0 : 1;
}
