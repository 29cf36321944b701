/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric-tests
 * The inputs the fuzz targets once broke (test/fuzz/regressions/TARGET/), replayed through the
 * same parsers in every build: each must end in a FabricConfigError or a result, never another
 * exception, a crash or a hang. And the fixes they led to, with the error each input now gets.
 */

// fuzz-parsers.h resolves job traces' relative workloads from the source tree.
#ifndef AIFABRIC_SOURCE_DIR
#define AIFABRIC_SOURCE_DIR AIFABRIC_TEST_DATA_DIR "/../.."
#endif
#include "fuzz/fuzz-parsers.h"

#include "ns3/duration-text.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

/// \return the message of the FabricConfigError \p parse throws ("" if it throws none)
template <typename F>
std::string
ErrorOf(F&& parse)
{
    try
    {
        parse();
    }
    catch (const FabricConfigError& e)
    {
        return e.what();
    }
    return "";
}

} // namespace

TEST(FuzzRegressionTest, EveryFoundInputNowGetsAClearError)
{
    const std::filesystem::path root =
        std::filesystem::path(AIFABRIC_TEST_DATA_DIR) / ".." / "fuzz" / "regressions";
    uint32_t replayed = 0;
    for (const auto& folder : std::filesystem::directory_iterator(root))
    {
        const std::string name = folder.path().filename().string();
        ASSERT_TRUE(fuzz::Targets().count(name)) << folder.path() << " names no fuzz target";
        for (const auto& file : std::filesystem::directory_iterator(folder.path()))
        {
            std::ifstream in(file.path(), std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            EXPECT_EQ(fuzz::Targets().at(name)(text.str()), "") << file.path();
            ++replayed;
        }
    }
    EXPECT_GE(replayed, 5U);
}

TEST(FuzzRegressionTest, StrayCommaIsASyntaxErrorNotAHang)
{
    // yaml-cpp 0.7's LoadAll never returns on it.
    const std::string error = ErrorOf([] { TopologyReader::ReadString("name: x\n,\n", "t.yaml"); });
    EXPECT_NE(error.find("t.yaml:"), std::string::npos) << error;
    EXPECT_NE(error.find("syntax"), std::string::npos) << error;
    EXPECT_NE(ErrorOf([] { WorkloadReader::ReadString(",", "w.yaml"); }).find("w.yaml:1:1"),
              std::string::npos);
}

TEST(FuzzRegressionTest, SizesRefuseNanInfinityAndOverflow)
{
    for (const char* bad : {"nan", "inf", "-inf", "1e30G", "18446744073709551616", "-1", "3X"})
    {
        EXPECT_NE(ErrorOf([&] { ParseByteSize(bad, "--bytes"); }).find("--bytes"),
                  std::string::npos)
            << bad;
    }
    EXPECT_EQ(ParseByteSize("1.5K", "--bytes"), 1536U);
    EXPECT_EQ(ParseByteSize("256M", "--bytes"), 256U << 20);
}

TEST(FuzzRegressionTest, DurationsRefuseWhatTimeWouldAbortOn)
{
    // Time's string constructor aborts the process on these.
    for (const char* bad : {"abc", "10", "10 us", "-1us", "1e3us", "us", ""})
    {
        EXPECT_NE(ErrorOf([&] { ParseDuration(bad, "--queue-period"); }).find("--queue-period"),
                  std::string::npos)
            << bad;
    }
    EXPECT_EQ(ParseDuration("10us", "--queue-period"), MicroSeconds(10));
    EXPECT_EQ(ParseDuration("1.5ms", "--queue-period"), MicroSeconds(1500));
    EXPECT_EQ(ParseDuration("0", "--queue-period"), Time());
}

TEST(FuzzRegressionTest, StragglerListsTakeWholeWorkersAndFiniteFactors)
{
    const auto list = TrainingJob::ParseStragglers("5:0:1.5,3:*:2", "--stragglers");
    ASSERT_EQ(list.size(), 2U);
    EXPECT_EQ(list[0].worker, 5U);
    EXPECT_EQ(list[0].iteration.value_or(99), 0U);
    EXPECT_DOUBLE_EQ(list[0].factor, 1.5);
    EXPECT_FALSE(list[1].iteration.has_value());
    for (const char* bad : {"-1:0:2",
                            "1x:0:2",
                            "1:0:inf",
                            "1:0:nan",
                            "1:0:0",
                            "1:0:2x",
                            "1:-3:2",
                            "1:0",
                            "99999999999:0:2"})
    {
        EXPECT_NE(ErrorOf([&] {
                      TrainingJob::ParseStragglers(bad, "--stragglers");
                  }).find("--stragglers"),
                  std::string::npos)
            << bad;
    }
}

TEST(FuzzRegressionTest, VlTablesTakeWholeNumbersOnly)
{
    EXPECT_EQ(VlArbiter::ParseTable("0:64, 1:32 ,", "HighPriorityTable").size(), 2U);
    for (const char* bad : {"0x:4", "1:-1", "1:4y", ":4", "1:"})
    {
        EXPECT_NE(ErrorOf([&] {
                      VlArbiter::ParseTable(bad, "HighPriorityTable");
                  }).find("HighPriorityTable"),
                  std::string::npos)
            << bad;
    }
}
