/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric-tests
 * WorkloadReader and WorkloadDescription::Validate: the shipped workloads read; bad input ends
 * in a WorkloadError naming the file, the line and the field (unknown field, negative size,
 * DP x TP x PP against the GPUs, TP against the heads, EP against the experts...).
 */

#include "ns3/ai-fabric-module.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

/// \return examples/workloads/NAME
std::string
Shipped(const std::string& name)
{
    return std::string(AIFABRIC_TEST_DATA_DIR) + "/../../examples/workloads/" + name;
}

/// A small GPT whose fields the error tests change one at a time (line numbers in comments).
std::string
Gpt(const std::string& modelExtra = "",
    const std::string& planExtra = "tp: 4\n  pp: 2\n",
    const std::string& trainingExtra = "")
{
    return "name: test\n"            // 1
           "model:\n"                // 2
           "  type: transformer\n"   // 3
           "  layers: 8\n"           // 4
           "  hidden: 1024\n"        // 5
           "  heads: 16\n"           // 6
           "  sequence: 512\n"       // 7
           "  vocabulary: 32000\n" + // 8
           modelExtra +              //
           "training:\n"             //
           "  global-batch: 16\n"    //
           "  micro-batch: 2\n" +    //
           trainingExtra +
           "parallelism:\n  " + planExtra;
}

/// Read text that must fail; \return the error
WorkloadError
Fails(const std::string& yaml, uint32_t gpus)
{
    try
    {
        WorkloadReader::ReadString(yaml, "w.yaml", gpus);
    }
    catch (const WorkloadError& e)
    {
        return e;
    }
    ADD_FAILURE() << "no error for:\n" << yaml;
    return WorkloadError(SourceLocation{}, "", "");
}

} // namespace

TEST(WorkloadReader, ShippedFilesRead)
{
    for (const auto& [name, gpus] :
         std::vector<std::pair<std::string, uint32_t>>{{"gpt3-175b.yaml", 1536},
                                                       {"llama-70b.yaml", 256},
                                                       {"mixtral-8x7b.yaml", 32},
                                                       {"resnet50.yaml", 32},
                                                       {"gpt-mainjob.yaml", 32}})
    {
        SCOPED_TRACE(name);
        const WorkloadDescription w = WorkloadReader::ReadFile(Shipped(name), gpus);
        EXPECT_EQ(w.GetGpuCount(), gpus);
        EXPECT_GT(w.GetMicroBatches(), 0u);
    }
    const WorkloadDescription gpt = WorkloadReader::ReadFile(Shipped("gpt3-175b.yaml"), 1536);
    EXPECT_EQ(gpt.plan.dp, 12u);
    EXPECT_EQ(gpt.model.transformer.ffn, 4u * 12288);
    EXPECT_EQ(gpt.GetMicroBatches(), 128u); // 1536 / (1 x 12)
    EXPECT_EQ(gpt.training.recompute, Recompute::FULL);
    const WorkloadDescription moe = WorkloadReader::ReadFile(Shipped("mixtral-8x7b.yaml"), 32);
    EXPECT_EQ(moe.model.transformer.experts, 8u);
    EXPECT_TRUE(moe.model.transformer.gatedMlp);
    const WorkloadDescription cnn = WorkloadReader::ReadFile(Shipped("resnet50.yaml"), 32);
    EXPECT_EQ(cnn.model.kind, ModelKind::LAYERS);
    EXPECT_EQ(cnn.model.layers[1].count, 3u);
    EXPECT_EQ(cnn.model.layers[0].weightBytes, 18800u); // 18.8KB, decimal
}

TEST(WorkloadReader, DefaultsAndSizes)
{
    const WorkloadDescription w =
        WorkloadReader::ReadString(Gpt("", "tp: 4\n  pp: 2\n  bucket-size: 4MiB\n"), "w", 16);
    EXPECT_EQ(w.plan.dp, 2u);
    EXPECT_EQ(w.plan.bucketBytes, 4u << 20);
    EXPECT_EQ(w.model.transformer.kvHeads, 16u);
    EXPECT_EQ(w.GetMicroBatches(), 4u); // 16 / (2 x 2)
    EXPECT_EQ(w.plan.order, (std::vector<std::string>{"tp", "pp", "dp"}));
}

TEST(WorkloadReader, UnknownFieldNamesFileLineAndField)
{
    const WorkloadError e = Fails(Gpt("  hiden-size: 3\n"), 16);
    EXPECT_EQ(e.GetFile(), "w.yaml");
    EXPECT_EQ(e.GetLine(), 9);
    EXPECT_EQ(e.GetField(), "model.hiden-size");
    EXPECT_NE(e.GetProblem().find("unknown key"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).rfind("w.yaml:9:", 0), 0u) << e.what();
    const WorkloadError near = Fails(Gpt("  vocabulry: 3\n"), 16);
    EXPECT_NE(near.GetProblem().find("did you mean 'vocabulary'"), std::string::npos);
}

TEST(WorkloadReader, NegativeSize)
{
    const WorkloadError e = Fails(Gpt("", "tp: 4\n  pp: 2\n  bucket-size: -25MiB\n"), 16);
    EXPECT_EQ(e.GetField(), "parallelism.bucket-size");
    EXPECT_EQ(e.GetLine(), 15);
    EXPECT_NE(e.GetProblem().find("negative"), std::string::npos);
    const WorkloadError layers = Fails(Gpt("", "tp: -4\n"), 16);
    EXPECT_EQ(layers.GetField(), "parallelism.tp");
    EXPECT_NE(layers.GetProblem().find("negative"), std::string::npos);
}

TEST(WorkloadReader, PlanMustMatchTheGpus)
{
    const WorkloadError e = Fails(Gpt("", "dp: 3\n  tp: 4\n  pp: 2\n"), 16);
    EXPECT_EQ(e.GetField(), "parallelism.dp");
    EXPECT_EQ(e.GetLine(), 13);
    EXPECT_NE(e.GetProblem().find("dp x tp x pp = 3 x 4 x 2 = 24"), std::string::npos)
        << e.GetProblem();
    EXPECT_NE(e.GetProblem().find("16 GPUs"), std::string::npos);
    // Without dp, tp x pp must divide the GPUs.
    const WorkloadError d = Fails(Gpt("", "tp: 4\n  pp: 3\n"), 16);
    EXPECT_EQ(d.GetField(), "parallelism.tp");
}

TEST(WorkloadReader, TpMustDivideTheHeads)
{
    const WorkloadError e = Fails(Gpt("", "tp: 3\n  pp: 1\n"), 30);
    EXPECT_EQ(e.GetField(), "parallelism.tp");
    EXPECT_EQ(e.GetLine(), 13);
    EXPECT_NE(e.GetProblem().find("does not divide the 16 attention heads"), std::string::npos)
        << e.GetProblem();
}

TEST(WorkloadReader, EpAtMostTheExperts)
{
    const std::string moe = "  moe: {experts: 4, top-k: 2}\n";
    const WorkloadError e = Fails(Gpt(moe, "tp: 1\n  ep: 8\n"), 16);
    EXPECT_EQ(e.GetField(), "parallelism.ep");
    EXPECT_EQ(e.GetLine(), 15);
    EXPECT_NE(e.GetProblem().find("larger than the 4 experts"), std::string::npos);
    // EP must also divide dp.
    const WorkloadError d = Fails(Gpt(moe, "tp: 4\n  ep: 4\n"), 8);
    EXPECT_EQ(d.GetField(), "parallelism.ep");
    EXPECT_NE(d.GetProblem().find("does not divide dp 2"), std::string::npos) << d.GetProblem();
}

TEST(WorkloadReader, OtherChecks)
{
    // Layers over pp x v.
    EXPECT_EQ(Fails(Gpt("", "tp: 1\n  pp: 3\n"), 3).GetField(), "parallelism.pp");
    // Global batch a multiple of micro-batch x dp.
    EXPECT_EQ(Fails(Gpt("", "tp: 1\n"), 3).GetField(), "training.global-batch");
    // The interleaved schedule needs m a multiple of pp.
    EXPECT_EQ(Fails(Gpt("", "tp: 1\n  pp: 4\n  virtual-stages: 2\n"), 16).GetField(),
              "training.global-batch");
    // Wrong types and words.
    EXPECT_EQ(Fails(Gpt("  dtype: fp12\n"), 16).GetField(), "model.dtype");
    EXPECT_EQ(Fails(Gpt("", "tp: 4\n  pp: 2\n  overlap: maybe\n"), 16).GetField(),
              "parallelism.overlap");
    EXPECT_EQ(Fails(Gpt("", "tp: 4.5\n"), 16).GetField(), "parallelism.tp");
    EXPECT_EQ(Fails(Gpt("", "tp: 4\n  pp: 2\n  zero: 4\n"), 16).GetField(), "parallelism.zero");
    // Missing sections and syntax.
    EXPECT_EQ(Fails("name: x\n", 8).GetField(), "model");
    EXPECT_EQ(Fails("model: [\n", 8).GetField(), "(syntax)");
    EXPECT_EQ(Fails("", 8).GetField(), "(document)");
    // The file must exist.
    try
    {
        WorkloadReader::ReadFile("/nonexistent/w.yaml", 8);
        ADD_FAILURE();
    }
    catch (const WorkloadError& e)
    {
        EXPECT_EQ(e.GetField(), "(file)");
    }
    // A generic layer list cannot be tensor-parallel.
    const std::string cnn = "model:\n  type: layers\n  layers:\n"
                            "    - {forward-flops: 1e9, weight-bytes: 1MB, activation-bytes: 1MB}\n"
                            "training: {global-batch: 8}\nparallelism: {tp: 2}\n";
    EXPECT_EQ(Fails(cnn, 8).GetField(), "parallelism.tp");
    // A transformer field in a layer list.
    const std::string mixed = "model:\n  type: layers\n  hidden: 5\n  layers: []\n"
                              "training: {global-batch: 8}\n";
    EXPECT_EQ(Fails(mixed, 8).GetField(), "model.hidden");
}
