/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// One libFuzzer target of fuzz-parsers.h, named by AIFABRIC_FUZZ_TARGET at compile time (one
// executable per target: each gets its own coverage map and corpus).

#include "fuzz-parsers.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const ns3::fuzz::Target target = ns3::fuzz::Targets().at(AIFABRIC_FUZZ_TARGET);
    const std::string finding = target(std::string(reinterpret_cast<const char*>(data), size));
    if (!finding.empty())
    {
        std::fprintf(stderr, "fuzz %s: %s\n", AIFABRIC_FUZZ_TARGET, finding.c_str());
        std::abort(); // libFuzzer keeps the input as a crash
    }
    return 0;
}
