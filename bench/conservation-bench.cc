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

    uint64_t passed = 0;
    uint64_t messages = 0;
    uint64_t bytes = 0;
    uint64_t delivery = 0;
    uint64_t credits = 0;
    uint64_t buffers = 0;
    uint64_t stalled = 0;
    uint64_t reordered = 0;
    uint64_t retransmitted = 0;
    uint64_t failed = 0;
    const double start = WallClockSeconds();
    for (uint64_t s = seed; s < seed + scenarios; ++s)
    {
        RandomFabricScenario scenario(s, maxBytes);
        ConservationResult r;
        std::string error;
        try
        {
            scenario.Build();
            r = scenario.Run();
        }
        catch (const std::exception& e)
        {
            error = e.what();
        }
        Simulator::Destroy();
        messages += r.messages;
        bytes += r.bytes;
        delivery += r.deliveryChecks;
        credits += r.creditChecks;
        buffers += r.bufferChecks;
        stalled += r.creditStalls > 0 ? 1 : 0;
        reordered += r.reordered;
        retransmitted += r.retransmitted;
        const bool ok = error.empty() && r.Passed();
        passed += ok ? 1 : 0;
        if (verbose || !ok)
        {
            std::cout << (ok ? "ok   " : "FAIL ") << scenario.Describe();
            if (r.reordered > 0 || r.retransmitted > 0)
            {
                std::cout << " {reordered " << r.reordered << ", retransmitted " << r.retransmitted
                          << "}";
            }
            std::cout << "\n";
        }
        if (!ok)
        {
            ++failed;
            if (!error.empty())
            {
                std::cout << "  exception: " << error << "\n";
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
                             passed,
                             failed);
    std::cout << fmt::format("messages {}, bytes {}, scenarios with credit stalls {}, packets "
                             "reordered {}, retransmitted {}\n",
                             messages,
                             bytes,
                             stalled,
                             reordered,
                             retransmitted);
    std::cout << fmt::format("checks passed: delivery {} queue pairs, credits {} port VLs, "
                             "buffers {} ports and switches\n",
                             delivery,
                             credits,
                             buffers);
    std::cout << fmt::format("wall {:.2f} s, {:.0f} scenarios/s, peak RSS {:.0f} MiB\n",
                             wall,
                             scenarios / wall,
                             PeakRssMiB());
    return failed == 0 ? 0 : 1;
}
