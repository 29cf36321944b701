/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef AI_FABRIC_TEST_UTIL_H
#define AI_FABRIC_TEST_UTIL_H

#include "ns3/nstime.h"
#include "ns3/simulator.h"

#include <gtest/gtest.h>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Base fixture of the module's tests: picosecond clock, a clean simulator after each.
 *
 * An NDR byte lasts 20 ps, so the tests compare times in picoseconds. ns-3 lets the
 * resolution be chosen once per process, before the first simulation.
 */
class FabricTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (Time::GetResolution() != Time::PS)
        {
            Time::SetResolution(Time::PS);
        }
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace ns3

#endif /* AI_FABRIC_TEST_UTIL_H */
