/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric-tests
 * \brief In-tree glue: runs every GoogleTest case of ai-fabric as one ns-3 TestSuite.
 *
 * The standalone build runs each test/\*-test.cc as its own GoogleTest executable under
 * CTest. In an ns-3 source tree the same sources are compiled into the module's test library
 * together with this file, and `./test.py -s ai-fabric` (or `test-runner --suite=ai-fabric`)
 * reaches them through the TestSuite below. GoogleTest's own main() must not be linked here:
 * ns-3's test-runner owns main().
 */

#include "ns3/test.h"

#include <gtest/gtest.h>

namespace ns3
{

/**
 * \defgroup ai-fabric-tests Tests for ai-fabric
 * \ingroup ai-fabric
 * \ingroup tests
 */

/**
 * \ingroup ai-fabric-tests
 * \brief Runs all GoogleTest cases linked into the test library and fails if any fails.
 *
 * GoogleTest's filter and output flags still work through the environment
 * (e.g. `GTEST_FILTER=IbHeader*`, `GTEST_BRIEF=1`).
 */
class AiFabricGoogleTestCase : public TestCase
{
  public:
    AiFabricGoogleTestCase();

  private:
    void DoRun() override;
};

AiFabricGoogleTestCase::AiFabricGoogleTestCase()
    : TestCase("Run every GoogleTest case of ai-fabric")
{
}

void
AiFabricGoogleTestCase::DoRun()
{
    // InitGoogleTest wants a mutable, null-terminated argv; test-runner's own arguments mean
    // nothing to GoogleTest, so hand it a fake one with just a program name.
    char programName[] = "ai-fabric-gtest";
    char* argv[] = {programName, nullptr};
    int argc = 1;
    testing::InitGoogleTest(&argc, argv);
    // An empty test library (a mistake in the build's source list) must not pass silently.
    NS_TEST_ASSERT_MSG_GT(testing::UnitTest::GetInstance()->total_test_count(),
                          0,
                          "no GoogleTest cases were linked into the ai-fabric test library");
    const int failed = RUN_ALL_TESTS();
    NS_TEST_ASSERT_MSG_EQ(failed, 0, "GoogleTest cases of ai-fabric failed (see above)");
}

/**
 * \ingroup ai-fabric-tests
 * \brief The "ai-fabric" TestSuite: `./test.py -s ai-fabric`.
 */
class AiFabricTestSuite : public TestSuite
{
  public:
    AiFabricTestSuite();
};

AiFabricTestSuite::AiFabricTestSuite()
    : TestSuite("ai-fabric", UNIT)
{
    AddTestCase(new AiFabricGoogleTestCase, TestCase::QUICK);
}

static AiFabricTestSuite g_aiFabricTestSuite; //!< Static instance that registers the suite.

} // namespace ns3
