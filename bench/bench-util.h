/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef AI_FABRIC_BENCH_UTIL_H
#define AI_FABRIC_BENCH_UTIL_H

/**
 * \file
 * \ingroup ai-fabric
 * What every benchmark measures besides the simulation: wall time and peak memory.
 */

#include <chrono>
#include <sys/resource.h>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \return the process's peak resident memory so far, MiB (getrusage's high-water mark)
 */
inline double
PeakRssMiB()
{
    struct rusage usage
    {
    };

    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; // KiB on Linux
}

/**
 * \ingroup ai-fabric
 * \return seconds on the steady (wall) clock
 */
inline double
WallClockSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace ns3

#endif /* AI_FABRIC_BENCH_UTIL_H */
