/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric-tests
 * TopologyReader: every shipped topology file reads and validates; every malformed file in
 * test/data/topologies/bad/ ends in a TopologyError that names the file, the line and the
 * field at fault; and smaller cases read from strings (units, defaults, positions).
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// \return test/data/topologies/bad/NAME
std::string
BadFile(const std::string& name)
{
    return std::string(AIFABRIC_TEST_DATA_DIR) + "/topologies/bad/" + name;
}

/// \return examples/topologies/NAME
std::string
ShippedFile(const std::string& name)
{
    return std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/topologies/" + name;
}

/**
 * \brief Run a read that must fail, and check the error's position, field and message.
 * \param read the read
 * \param file the file name the error must give
 * \param line the line the error must give (1-based)
 * \param field the field the error must name
 * \param fragment a substring of the message
 * \return success with the message, or failure saying what happened instead
 */
::testing::AssertionResult
FailsWith(const std::function<void()>& read,
          const std::string& file,
          int line,
          const std::string& field,
          const std::string& fragment)
{
    try
    {
        read();
    }
    catch (const TopologyError& e)
    {
        const std::string what = e.what();
        // A whole-file problem (line 0) names the file alone; others FILE:LINE:COL.
        const std::string prefix =
            line == 0 ? file + ": " : file + ":" + std::to_string(line) + ":";
        if (e.GetFile() != file || e.GetLine() != line || e.GetField() != field)
        {
            return ::testing::AssertionFailure()
                   << "expected " << file << " line " << line << " field '" << field << "', got "
                   << e.GetFile() << " line " << e.GetLine() << " field '" << e.GetField()
                   << "': " << what;
        }
        if (what.rfind(prefix, 0) != 0 ||
            what.find(": field '" + field + "': ") == std::string::npos)
        {
            return ::testing::AssertionFailure()
                   << "message does not read FILE:LINE:COL: field 'FIELD': ...: " << what;
        }
        if (what.find(fragment) == std::string::npos)
        {
            return ::testing::AssertionFailure()
                   << "message \"" << what << "\" does not contain \"" << fragment << "\"";
        }
        return ::testing::AssertionSuccess() << what;
    }
    catch (const std::exception& e)
    {
        return ::testing::AssertionFailure() << "threw something else: " << e.what();
    }
    return ::testing::AssertionFailure() << "read without error";
}

/// One malformed file and the error it must give.
struct BadCase
{
    std::string file;     //!< name in test/data/topologies/bad/
    int line;             //!< expected line, 1-based
    std::string field;    //!< expected field
    std::string fragment; //!< expected substring of the message
};

/**
 * \brief Print a row by its file name (GoogleTest prints bytes otherwise).
 * \param c the row
 * \param os where to print
 */
void
PrintTo(const BadCase& c, std::ostream* os)
{
    *os << c.file;
}

/// \return the rows of the table, one per file in test/data/topologies/bad/
std::vector<BadCase>
BadCases()
{
    return {
        {"unknown-top-level-key.yaml", 3, "gpus", "unknown key 'gpus'; allowed at the top level"},
        {"unknown-fat-tree-key.yaml", 8, "fat-tree.radx", "did you mean 'radix'?"},
        {"missing-kind.yaml", 5, "nodes[0].kind", "is missing: every entry of nodes needs kind"},
        {"unknown-kind-reference.yaml", 7, "nodes[1].kind", "no node kind \"dgx-h200\""},
        {"count-zero.yaml", 6, "nodes[0].count", "must be at least 1"},
        {"count-negative.yaml", 5, "nodes[0].count", "must not be negative"},
        {"count-not-integer.yaml", 6, "nodes[0].count", "must be a whole number, not 2.5"},
        {"bandwidth-without-unit.yaml", 5, "dimensions[0].bandwidth", "needs a unit, e.g. 400Gbps"},
        {"bandwidth-zero.yaml", 4, "dimensions[1].bandwidth", "must be greater than zero"},
        {"latency-negative.yaml", 6, "dimensions[0].latency", "must be greater than zero"},
        {"bad-time-unit.yaml", 7, "fat-tree.link-delay", "unknown time unit \"nsec\""},
        {"bad-block.yaml", 4, "dimensions[1].block", "unknown block \"mesh\""},
        {"torus-as-block.yaml", 3, "dimensions[0].block", "a torus is not a block"},
        {"dimension-size-one.yaml", 5, "dimensions[1].size", "joins at least 2 units"},
        {"fat-tree-levels-4.yaml", 7, "fat-tree.levels", "must be 2 or 3"},
        {"odd-radix.yaml", 8, "fat-tree.radix", "must be an even number of ports, >= 4"},
        {"oversubscription-below-one.yaml", 8, "fat-tree.oversubscription", "must be >= 1"},
        {"unknown-ib-speed.yaml", 8, "fat-tree.speed", "unknown InfiniBand speed \"NDR400\""},
        {"unknown-hca-speed.yaml",
         5,
         "node-kinds.dgx-h100.hca-speed",
         "unknown InfiniBand speed \"NDR400\""},
        {"unknown-board.yaml", 5, "node-kinds.dgx-v100.board", "unknown NVLink board \"V100\""},
        {"board-with-4-gpus.yaml", 5, "node-kinds.half-dgx.gpus", "board H100 has 8 GPUs, not 4"},
        {"kind-without-gpus-or-board.yaml", 4, "node-kinds.server", "needs gpus"},
        {"link-to-missing-switch.yaml", 9, "links[1].b", "no switch named \"s1\""},
        {"gpu-rank-out-of-range.yaml", 7, "links[0].a", "GPU rank 4 does not exist (ranks 0-3)"},
        {"nodes-and-dimensions.yaml", 7, "dimensions", "not both"},
        {"syntax-error.yaml", 5, "(syntax)", "YAML syntax error"},
        {"empty.yaml", 1, "(document)", "is empty"},
        {"two-documents.yaml", 5, "(document)", "holds 2 YAML documents"},
        {"number-is-a-string.yaml",
         7,
         "fat-tree.radix",
         "must be a whole number, not \"sixty-four\""},
        {"rate-unknown-unit.yaml", 3, "dimensions[0].bandwidth", "unknown rate unit \"Tbps\""},
        {"switch-latency-on-ring.yaml",
         7,
         "dimensions[0].switch-latency",
         "applies only to dimensions of block: switch"},
        {"duplicate-key.yaml", 9, "fat-tree.radix", "is given twice (first on line 7)"},
        {"bad-link-type.yaml", 3, "dimensions[0].link", "unknown link type \"ethernet\""},
        {"nodes-not-a-list.yaml", 5, "nodes", "must be a list"},
        {"rail-optimized-unequal-hcas.yaml",
         10,
         "fat-tree.rail-optimized",
         "needs the same number of HCAs"},
        {"bool-not-bool.yaml", 4, "allow-deadlock", "must be true or false"},
        {"nvls-on-a100.yaml", 5, "node-kinds.dgx-a100.nvls", "has no NVLS"},
        {"sharp-groups-zero.yaml", 9, "fat-tree.sharp-groups", "must be at least 1"},
    };
}

/// Fixture of the reader's tests (picosecond clock, as every test of the module).
class TopologyReaderTest : public FabricTest
{
};

/// Fixture of the table of malformed files.
class TopologyReaderBadFileTest : public FabricTest, public ::testing::WithParamInterface<BadCase>
{
};

TEST_P(TopologyReaderBadFileTest, FailsAtTheFieldAtFault)
{
    const BadCase& c = GetParam();
    const std::string path = BadFile(c.file);
    EXPECT_TRUE(
        FailsWith([&] { TopologyReader::ReadFile(path); }, path, c.line, c.field, c.fragment));
}

INSTANTIATE_TEST_SUITE_P(BadFiles,
                         TopologyReaderBadFileTest,
                         ::testing::ValuesIn(BadCases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                             std::string name =
                                 info.param.file.substr(0, info.param.file.find('.'));
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST_F(TopologyReaderTest, EveryBadFileIsInTheTable)
{
    std::set<std::string> listed;
    for (const auto& c : BadCases())
    {
        EXPECT_TRUE(listed.insert(c.file).second) << c.file << " is listed twice";
    }
    std::set<std::string> present;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::string(AIFABRIC_TEST_DATA_DIR) + "/topologies/bad"))
    {
        present.insert(entry.path().filename().string());
    }
    EXPECT_EQ(present, listed);
    EXPECT_GE(present.size(), 18U);
}

TEST_F(TopologyReaderTest, MissingFile)
{
    const std::string path = BadFile("no-such-file.yaml");
    EXPECT_TRUE(FailsWith([&] { TopologyReader::ReadFile(path); },
                          path,
                          0,
                          "(file)",
                          "cannot be read: No such file or directory"));
    const std::string dir = std::string(AIFABRIC_TEST_DATA_DIR) + "/topologies";
    EXPECT_TRUE(
        FailsWith([&] { TopologyReader::ReadFile(dir); }, dir, 0, "(file)", "is a directory"));
}

TEST_F(TopologyReaderTest, ShippedFilesBeginWithAComment)
{
    for (const auto* name : {"dgx-h100-node.yaml",
                             "dgx-h100-4node-ndr-railopt.yaml",
                             "dgx-h100-32node-ndr-railopt.yaml",
                             "torus-2d.yaml",
                             "hetero-a100-h100.yaml"})
    {
        std::ifstream in(ShippedFile(name));
        std::string first;
        ASSERT_TRUE(std::getline(in, first)) << name;
        EXPECT_EQ(first.rfind("# ", 0), 0U) << name << " must begin by saying what it models";
        EXPECT_NO_THROW(TopologyReader::ReadFile(ShippedFile(name))) << name;
    }
}

TEST_F(TopologyReaderTest, DgxH100Node)
{
    const std::string path = ShippedFile("dgx-h100-node.yaml");
    const TopologyDescription t = TopologyReader::ReadFile(path);
    EXPECT_EQ(t.file, path);
    EXPECT_EQ(t.GetGpuCount(), 8U);
    ASSERT_EQ(t.kinds.size(), 1U);
    const NodeKindSpec& kind = t.kinds.at("dgx-h100");
    EXPECT_EQ(kind.name, "dgx-h100");
    EXPECT_EQ(kind.gpuModel, "H100");
    EXPECT_EQ(kind.board, "H100");
    EXPECT_EQ(kind.gpus, 8U);
    EXPECT_EQ(kind.hcas, 0U);
    ASSERT_EQ(t.groups.size(), 1U);
    EXPECT_EQ(t.groups[0].count, 1U);
    EXPECT_FALSE(t.fatTree.present);
    EXPECT_TRUE(t.dimensions.empty());
    EXPECT_FALSE(t.allowDeadlock);
}

TEST_F(TopologyReaderTest, DgxH100FourNodes)
{
    const TopologyDescription t =
        TopologyReader::ReadFile(ShippedFile("dgx-h100-4node-ndr-railopt.yaml"));
    EXPECT_EQ(t.GetGpuCount(), 32U);
    const NodeKindSpec& kind = t.kinds.at("dgx-h100");
    EXPECT_EQ(kind.hcas, 8U);
    EXPECT_EQ(kind.hcaSpeed, "NDR");
    EXPECT_EQ(kind.hcaWidth, 4U);
    ASSERT_TRUE(t.fatTree.present);
    EXPECT_EQ(t.fatTree.levels, 2U);
    EXPECT_EQ(t.fatTree.radix, 64U);
    EXPECT_DOUBLE_EQ(t.fatTree.oversubscription, 1.0);
    EXPECT_TRUE(t.fatTree.railOptimized);
    EXPECT_EQ(t.fatTree.speed, "NDR");
    EXPECT_EQ(t.fatTree.width, 4U);
    EXPECT_EQ(t.fatTree.linkDelay, NanoSeconds(100));
    EXPECT_EQ(t.fatTree.switchLatency, NanoSeconds(330));
}

TEST_F(TopologyReaderTest, DgxH100ThirtyTwoNodes)
{
    const TopologyDescription t =
        TopologyReader::ReadFile(ShippedFile("dgx-h100-32node-ndr-railopt.yaml"));
    EXPECT_EQ(t.GetGpuCount(), 256U);
    EXPECT_EQ(t.groups.at(0).count, 32U);
    EXPECT_EQ(t.fatTree.radix, 64U);
    EXPECT_TRUE(t.fatTree.railOptimized);
}

TEST_F(TopologyReaderTest, Torus2d)
{
    const TopologyDescription t = TopologyReader::ReadFile(ShippedFile("torus-2d.yaml"));
    EXPECT_EQ(t.GetGpuCount(), 16U);
    EXPECT_TRUE(t.groups.empty());
    ASSERT_EQ(t.dimensions.size(), 2U);
    for (const auto& d : t.dimensions)
    {
        EXPECT_EQ(d.block, BlockType::RING);
        EXPECT_EQ(d.size, 4U);
        EXPECT_EQ(d.rate, DataRate("200Gbps"));
        EXPECT_EQ(d.latency, NanoSeconds(100));
        EXPECT_EQ(d.linksPerPair, 2U);
        EXPECT_EQ(d.link, FabricLinkType::NVLINK);
    }
}

TEST_F(TopologyReaderTest, HeterogeneousCluster)
{
    const TopologyDescription t = TopologyReader::ReadFile(ShippedFile("hetero-a100-h100.yaml"));
    EXPECT_EQ(t.GetGpuCount(), 64U);
    ASSERT_EQ(t.groups.size(), 2U);
    EXPECT_EQ(t.groups[0].kind, "dgx-a100");
    EXPECT_EQ(t.groups[1].kind, "dgx-h100");
    EXPECT_EQ(t.kinds.at("dgx-a100").hcaSpeed, "HDR");
    EXPECT_EQ(t.kinds.at("dgx-a100").board, "A100");
    EXPECT_EQ(t.kinds.at("dgx-h100").hcaSpeed, "NDR");
    EXPECT_EQ(t.kinds.at("dgx-a100").hcas, t.kinds.at("dgx-h100").hcas);
    EXPECT_EQ(t.fatTree.speed, "NDR");
    EXPECT_TRUE(t.fatTree.railOptimized);
}

TEST_F(TopologyReaderTest, PositionsAreOneBased)
{
    const std::string yaml = "name: positions\n"                       // 1
                             "node-kinds:\n"                           // 2
                             "  dgx: {board: H100}\n"                  // 3
                             "nodes:\n"                                // 4
                             "  - {kind: dgx, count: 2}\n"             // 5
                             "  - kind: dgx\n"                         // 6
                             "    count: 1\n"                          // 7
                             "fat-tree:\n"                             // 8
                             "  radix: 64\n"                           // 9
                             "switches:\n"                             // 10
                             "  - {name: s0}\n"                        // 11
                             "links:\n"                                // 12
                             "  - {a: \"gpu:0\", b: \"switch:s0\"}\n"; // 13
    const TopologyDescription t = TopologyReader::ReadString(yaml, "pos.yaml");
    EXPECT_EQ(t.file, "pos.yaml");
    EXPECT_EQ(t.where.file, "pos.yaml");
    EXPECT_EQ(t.where.line, 1);
    EXPECT_EQ(t.kinds.at("dgx").where.line, 3);
    EXPECT_EQ(t.kinds.at("dgx").where.column, 8);
    EXPECT_EQ(t.groups[0].where.line, 5);
    EXPECT_EQ(t.groups[0].where.column, 5);
    EXPECT_EQ(t.groups[1].where.line, 6);
    EXPECT_EQ(t.groups[1].where.column, 5);
    EXPECT_EQ(t.fatTree.where.line, 9);
    EXPECT_EQ(t.switches[0].where.line, 11);
    EXPECT_EQ(t.links[0].where.line, 13);
    EXPECT_EQ(t.links[0].where.file, "pos.yaml");
}

TEST_F(TopologyReaderTest, DefaultsAreThoseOfTheDescription)
{
    const TopologyDescription t = TopologyReader::ReadString("node-kinds:\n"
                                                             "  box: {gpus: 4}\n"
                                                             "nodes:\n"
                                                             "  - {kind: box, count: 2}\n"
                                                             "fat-tree: {}\n");
    const NodeKindSpec defaultKind;
    const NodeKindSpec& kind = t.kinds.at("box");
    EXPECT_EQ(kind.gpus, 4U);
    EXPECT_EQ(kind.board, "");
    EXPECT_EQ(kind.hcas, defaultKind.hcas);
    EXPECT_EQ(kind.hcaSpeed, defaultKind.hcaSpeed);
    EXPECT_EQ(kind.hcaWidth, defaultKind.hcaWidth);
    const FatTreeSpec defaultTree;
    EXPECT_TRUE(t.fatTree.present);
    EXPECT_EQ(t.fatTree.levels, defaultTree.levels);
    EXPECT_EQ(t.fatTree.radix, defaultTree.radix);
    EXPECT_EQ(t.fatTree.railOptimized, defaultTree.railOptimized);
    EXPECT_EQ(t.fatTree.speed, defaultTree.speed);
    EXPECT_EQ(t.fatTree.linkDelay, defaultTree.linkDelay);
    EXPECT_EQ(t.fatTree.switchLatency, defaultTree.switchLatency);
    EXPECT_EQ(t.name, "");

    const TopologyDescription d =
        TopologyReader::ReadString("dimensions:\n"
                                   "  - {block: switch, size: 8, bandwidth: 400Gbps, "
                                   "latency: 500ns}\n"
                                   "switches:\n"
                                   "  - {name: s0}\n"
                                   "links:\n"
                                   "  - {a: \"gpu:0\", b: \"switch:s0\"}\n");
    const DimensionSpec defaultDim;
    EXPECT_EQ(d.dimensions[0].block, BlockType::SWITCH);
    EXPECT_EQ(d.dimensions[0].linksPerPair, defaultDim.linksPerPair);
    EXPECT_EQ(d.dimensions[0].link, defaultDim.link);
    EXPECT_EQ(d.dimensions[0].switchLatency, defaultDim.switchLatency);
    const SwitchSpec defaultSwitch;
    EXPECT_EQ(d.switches[0].type, defaultSwitch.type);
    EXPECT_EQ(d.switches[0].latency, defaultSwitch.latency);
    const LinkSpec defaultLink;
    EXPECT_EQ(d.links[0].type, defaultLink.type);
    EXPECT_EQ(d.links[0].rate, defaultLink.rate);
    EXPECT_EQ(d.links[0].delay, defaultLink.delay);
    EXPECT_EQ(d.links[0].count, defaultLink.count);
}

TEST_F(TopologyReaderTest, EveryFieldIsRead)
{
    const TopologyDescription t = TopologyReader::ReadString(
        "name: everything\n"
        "dimensions:\n"
        "  - {block: fully-connected, size: 4, bandwidth: 25GB/s, latency: 1us, links: 3,"
        " link: infiniband}\n"
        "  - {block: switch, size: 2, bandwidth: 400Gb/s, latency: 0.5us, link: nvlink,"
        " switch-latency: 250ns}\n"
        "switches:\n"
        "  - {name: nvs, type: nvlink, latency: 90ns}\n"
        "links:\n"
        "  - {a: \"gpu:7\", b: \"switch:nvs\", type: nvlink, bandwidth: 100 Gbps,"
        " latency: 20ns, count: 18}\n"
        "allow-deadlock: true\n");
    EXPECT_EQ(t.name, "everything");
    EXPECT_EQ(t.GetGpuCount(), 8U);
    EXPECT_EQ(t.dimensions[0].block, BlockType::FULLY_CONNECTED);
    EXPECT_EQ(t.dimensions[0].rate, DataRate("200Gbps")); // 25 GB/s is 200 Gb/s
    EXPECT_EQ(t.dimensions[0].latency, MicroSeconds(1));
    EXPECT_EQ(t.dimensions[0].linksPerPair, 3U);
    EXPECT_EQ(t.dimensions[0].link, FabricLinkType::INFINIBAND);
    EXPECT_EQ(t.dimensions[1].rate, DataRate("400Gbps"));
    EXPECT_EQ(t.dimensions[1].latency, NanoSeconds(500));
    EXPECT_EQ(t.dimensions[1].link, FabricLinkType::NVLINK);
    EXPECT_EQ(t.dimensions[1].switchLatency, NanoSeconds(250));
    EXPECT_EQ(t.switches[0].name, "nvs");
    EXPECT_EQ(t.switches[0].type, FabricLinkType::NVLINK);
    EXPECT_EQ(t.switches[0].latency, NanoSeconds(90));
    EXPECT_EQ(t.links[0].a, "gpu:7");
    EXPECT_EQ(t.links[0].b, "switch:nvs");
    EXPECT_EQ(t.links[0].type, FabricLinkType::NVLINK);
    EXPECT_EQ(t.links[0].rate, DataRate("100Gbps"));
    EXPECT_EQ(t.links[0].delay, NanoSeconds(20));
    EXPECT_EQ(t.links[0].count, 18U);
    EXPECT_TRUE(t.allowDeadlock);
}

TEST_F(TopologyReaderTest, RatesAndTimesTakeNs3Units)
{
    const auto rateOf = [](const std::string& bandwidth) {
        return TopologyReader::ReadString("dimensions:\n  - {block: ring, size: 2, bandwidth: " +
                                          bandwidth + ", latency: 1ns}\n")
            .dimensions[0]
            .rate;
    };
    EXPECT_EQ(rateOf("400Gbps"), DataRate(400000000000ULL));
    EXPECT_EQ(rateOf("400Gb/s"), DataRate(400000000000ULL));
    EXPECT_EQ(rateOf("50GBps"), DataRate(400000000000ULL));
    EXPECT_EQ(rateOf("1.5Mbps"), DataRate(1500000ULL));
    EXPECT_EQ(rateOf("1GiB/s"), DataRate(8ULL * 1024 * 1024 * 1024));
    EXPECT_EQ(rateOf("\"400Gbps\""), DataRate(400000000000ULL));

    const auto latencyOf = [](const std::string& latency) {
        return TopologyReader::ReadString(
                   "dimensions:\n  - {block: ring, size: 2, bandwidth: 1Gbps, latency: " + latency +
                   "}\n")
            .dimensions[0]
            .latency;
    };
    EXPECT_EQ(latencyOf("100ns"), NanoSeconds(100));
    EXPECT_EQ(latencyOf("1.5us"), NanoSeconds(1500));
    EXPECT_EQ(latencyOf("2ms"), MilliSeconds(2));
    EXPECT_EQ(latencyOf("1e2ns"), NanoSeconds(100));
    EXPECT_EQ(latencyOf("500ps"), PicoSeconds(500));
}

TEST_F(TopologyReaderTest, StringErrors)
{
    const std::string dim = "dimensions:\n  - {block: ring, size: 4, bandwidth: 200Gbps, ";
    const auto read = [](const std::string& yaml) {
        return [yaml] { TopologyReader::ReadString(yaml); };
    };
    // The default name, and a name of one's own.
    EXPECT_TRUE(FailsWith(read(dim + "latency: 100}\n"),
                          "<string>",
                          2,
                          "dimensions[0].latency",
                          "needs a unit, e.g. 100ns"));
    EXPECT_TRUE(FailsWith([&] { TopologyReader::ReadString("nodes: []\n", "mine"); },
                          "mine",
                          1,
                          "nodes",
                          "the topology has no GPUs"));
    EXPECT_TRUE(FailsWith(read(dim + "latency: fast}\n"),
                          "<string>",
                          2,
                          "dimensions[0].latency",
                          "is not a time"));
    EXPECT_TRUE(FailsWith(read(dim + "latency: 0ns}\n"),
                          "<string>",
                          2,
                          "dimensions[0].latency",
                          "must be greater than zero"));
    EXPECT_TRUE(FailsWith(read("dimensions:\n  - {block: ring, size: 4, bandwidth: -1Gbps, "
                               "latency: 1ns}\n"),
                          "<string>",
                          2,
                          "dimensions[0].bandwidth",
                          "must be greater than zero"));
    EXPECT_TRUE(FailsWith(read("dimensions:\n  - {block: ring, size: 4, bandwidth: 0.1bps, "
                               "latency: 1ns}\n"),
                          "<string>",
                          2,
                          "dimensions[0].bandwidth",
                          "must be greater than zero"));
    EXPECT_TRUE(FailsWith(read(dim + "latency: 1ns, size: 8}\n"),
                          "<string>",
                          2,
                          "dimensions[0].size",
                          "is given twice"));
    EXPECT_TRUE(FailsWith(read("dimensions:\n  - {block: ring, size: 99999999999, bandwidth: "
                               "1Gbps, latency: 1ns}\n"),
                          "<string>",
                          2,
                          "dimensions[0].size",
                          "is too large"));
    EXPECT_TRUE(FailsWith(read("dimensions:\n  - {block: ring, size: , bandwidth: 1Gbps, "
                               "latency: 1ns}\n"),
                          "<string>",
                          2,
                          "dimensions[0].size",
                          "has no value"));
    EXPECT_TRUE(FailsWith(read("dimensions:\n  - {block: ring, size: [4], bandwidth: 1Gbps, "
                               "latency: 1ns}\n"),
                          "<string>",
                          2,
                          "dimensions[0].size",
                          "must be a single value, not a list"));
    EXPECT_TRUE(FailsWith(read("dimensions:\n  - {block: ring, size: 4}\n"),
                          "<string>",
                          2,
                          "dimensions[0].bandwidth",
                          "every dimension needs block, size, bandwidth and latency"));
    EXPECT_TRUE(FailsWith(read("- 1\n- 2\n"),
                          "<string>",
                          1,
                          "(document)",
                          "must be a mapping of sections"));
    EXPECT_TRUE(
        FailsWith(read("# nothing but a comment\n"), "<string>", 1, "(document)", "is empty"));
    EXPECT_TRUE(FailsWith(read("name: x\n\tdimensions: []\n"),
                          "<string>",
                          2,
                          "(syntax)",
                          "YAML syntax error"));
    EXPECT_TRUE(FailsWith(read("node-kinds:\n  dgx: {board: H100}\nnodes:\n  - {kind: dgx, "
                               "count: 1}\nfat-tree:\n"),
                          "<string>",
                          5,
                          "fat-tree",
                          "must be a mapping of levels, radix"));
    EXPECT_TRUE(FailsWith(read("node-kinds:\n  dgx: {board: H100}\nnodes:\n  - {kind: dgx, "
                               "count: 1}\nfat-tree: {oversubscription: 2:1}\n"),
                          "<string>",
                          5,
                          "fat-tree.oversubscription",
                          "must be a number, not \"2:1\""));
    EXPECT_TRUE(FailsWith(read(dim + "latency: 1ns}\nswitches:\n  - {type: nvlink}\n"),
                          "<string>",
                          4,
                          "switches[0].name",
                          "is missing: every switch needs name"));
    EXPECT_TRUE(FailsWith(read(dim + "latency: 1ns}\nswitches:\n  - {name: s}\n  - {name: s}\n"),
                          "<string>",
                          5,
                          "switches[1].name",
                          "\"s\" is used twice"));
    EXPECT_TRUE(FailsWith(read(dim + "latency: 1ns}\nlinks:\n  - {a: \"gpu:0\", b: \"nic:3\"}\n"),
                          "<string>",
                          4,
                          "links[0].b",
                          "is not gpu:RANK, switch:NAME or hca:NODE/PORT"));
}

} // namespace
