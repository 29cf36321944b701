/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "workload-reader.h"

#include "../fabric/yaml-field-reader.h"

#include "ns3/log.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WorkloadReader");

namespace
{

const std::vector<std::string> kTopKeys{"name", "model", "training", "parallelism", "memory"};
const std::vector<std::string> kModelKeys{"type",
                                          "layers",
                                          "hidden",
                                          "ffn",
                                          "heads",
                                          "kv-heads",
                                          "sequence",
                                          "vocabulary",
                                          "mlp",
                                          "dtype",
                                          "moe"};
const std::vector<std::string> kMoeKeys{"experts", "top-k", "expert-ffn", "every"};
const std::vector<std::string> kLayerKeys{"name",
                                          "forward-flops",
                                          "weight-bytes",
                                          "activation-bytes",
                                          "count"};
const std::vector<std::string> kTrainingKeys{"global-batch",
                                             "micro-batch",
                                             "gradient-accumulation",
                                             "recompute",
                                             "optimizer-bytes-per-parameter"};
const std::vector<std::string> kMemoryKeys{"experts",
                                           "optimizer",
                                           "activations",
                                           "prefetch",
                                           "reduce"};
const std::vector<std::string> kPlanKeys{"dp",
                                         "tp",
                                         "sequence-parallel",
                                         "pp",
                                         "virtual-stages",
                                         "schedule",
                                         "ep",
                                         "zero",
                                         "bucket-size",
                                         "overlap",
                                         "order",
                                         "ranks",
                                         "mode",
                                         "staleness",
                                         "servers"};

/// Reads one workload document, field by field.
class Parser : public YamlFieldReader
{
  public:
    /// \param file the name errors give the document
    explicit Parser(const std::string& file)
        : YamlFieldReader(file)
    {
    }

    void Raise(const SourceLocation& where,
               const std::string& field,
               const std::string& what) const override
    {
        throw WorkloadError(where, field, what);
    }

    /// \param yaml the text \return the description, not yet validated
    WorkloadDescription Read(const std::string& yaml);

  private:
    /**
     * \param f a field
     * \param names the allowed words
     * \return the index of the word the field holds
     */
    size_t Choice(const YamlField& f, const std::vector<std::string>& names) const;

    void ReadModel(const YamlField& f, ModelSpec& model);
    void ReadLayers(const YamlField& f, ModelSpec& model);
    void ReadTraining(const YamlField& f, TrainingSpec& training);
    void ReadPlan(const YamlField& f, ParallelismPlan& plan);
    /// \param f the memory section \param memory what it fills
    void ReadMemory(const YamlField& f, MemorySpec& memory);
};

size_t
Parser::Choice(const YamlField& f, const std::vector<std::string>& names) const
{
    const std::string s = Text(f);
    for (size_t i = 0; i < names.size(); ++i)
    {
        if (s == names[i])
        {
            return i;
        }
    }
    Fail(f.where, f.path, "unknown value \"" + s + "\" (" + Join(names) + ")");
}

void
Parser::ReadModel(const YamlField& section, ModelSpec& model)
{
    const YamlFields fields =
        Map(section.value, section.path, section.where, &kModelKeys, "in model");
    Require(fields, section.path, section.where, {"type"}, "model");
    model.kind = Choice(fields.at("type"), {"transformer", "layers"}) == 0 ? ModelKind::TRANSFORMER
                                                                           : ModelKind::LAYERS;
    TransformerSpec& t = model.transformer;
    for (const auto& [key, f] : fields)
    {
        if (model.kind == ModelKind::LAYERS && key != "type" && key != "layers" && key != "dtype")
        {
            Fail(f.where,
                 f.path,
                 "is a transformer field; a layer-list model has layers and dtype");
        }
        if (key == "layers")
        {
            if (model.kind == ModelKind::LAYERS)
            {
                ReadLayers(f, model);
            }
            else
            {
                t.layers = Unsigned(f);
            }
        }
        else if (key == "hidden")
        {
            t.hidden = Unsigned(f);
        }
        else if (key == "ffn")
        {
            t.ffn = Unsigned(f);
        }
        else if (key == "heads")
        {
            t.heads = Unsigned(f);
        }
        else if (key == "kv-heads")
        {
            t.kvHeads = Unsigned(f);
        }
        else if (key == "sequence")
        {
            t.sequence = Unsigned(f);
        }
        else if (key == "vocabulary")
        {
            t.vocabulary = Unsigned(f);
        }
        else if (key == "mlp")
        {
            t.gatedMlp = Choice(f, {"gelu", "swiglu"}) == 1;
        }
        else if (key == "dtype")
        {
            static const std::vector<std::string> names{"fp32", "tf32", "bf16", "fp16", "fp8"};
            model.dtype = static_cast<WorkloadDtype>(Choice(f, names));
        }
        else if (key == "moe")
        {
            const YamlFields moe = Map(f.value, f.path, f.where, &kMoeKeys, "in model.moe");
            Require(moe, f.path, f.where, {"experts", "top-k"}, "model.moe");
            for (const auto& [k, g] : moe)
            {
                const uint32_t v = Unsigned(g);
                if (k == "experts")
                {
                    t.experts = v;
                    if (v == 0)
                    {
                        Fail(g.where, g.path, "must be at least 1");
                    }
                }
                else if (k == "top-k")
                {
                    t.topK = v;
                }
                else if (k == "expert-ffn")
                {
                    t.expertFfn = v;
                }
                else if (k == "every")
                {
                    t.moeEvery = v;
                }
            }
        }
    }
}

void
Parser::ReadLayers(const YamlField& f, ModelSpec& model)
{
    const auto entries = List(f);
    for (size_t i = 0; i < entries.size(); ++i)
    {
        const std::string path = f.path + "[" + std::to_string(i) + "]";
        LayerSpec layer;
        layer.where = entries[i].second;
        const YamlFields fields =
            Map(entries[i].first, path, layer.where, &kLayerKeys, "in a layer");
        Require(fields,
                path,
                layer.where,
                {"forward-flops", "weight-bytes", "activation-bytes"},
                "a layer");
        for (const auto& [key, g] : fields)
        {
            if (key == "name")
            {
                layer.name = Text(g);
            }
            else if (key == "forward-flops")
            {
                layer.forwardFlops = NonNegative(g);
            }
            else if (key == "weight-bytes")
            {
                layer.weightBytes = Bytes(g);
            }
            else if (key == "activation-bytes")
            {
                layer.activationBytes = Bytes(g);
            }
            else if (key == "count")
            {
                layer.count = Unsigned(g);
            }
        }
        if (layer.name.empty())
        {
            layer.name = "layer" + std::to_string(i);
        }
        model.layers.push_back(layer);
    }
}

void
Parser::ReadTraining(const YamlField& section, TrainingSpec& tr)
{
    const YamlFields fields =
        Map(section.value, section.path, section.where, &kTrainingKeys, "in training");
    Require(fields, section.path, section.where, {"global-batch"}, "training");
    for (const auto& [key, f] : fields)
    {
        if (key == "global-batch")
        {
            tr.globalBatch = Unsigned(f);
        }
        else if (key == "micro-batch")
        {
            tr.microBatch = Unsigned(f);
        }
        else if (key == "gradient-accumulation")
        {
            tr.gradientAccumulation = Unsigned(f);
        }
        else if (key == "recompute")
        {
            tr.recompute = Choice(f, {"none", "full"}) == 0 ? Recompute::NONE : Recompute::FULL;
        }
        else if (key == "optimizer-bytes-per-parameter")
        {
            tr.optimizerBytes = Unsigned(f);
        }
    }
}

void
Parser::ReadMemory(const YamlField& section, MemorySpec& memory)
{
    const YamlFields fields =
        Map(section.value, section.path, section.where, &kMemoryKeys, "in memory");
    auto where = [this](const YamlField& f) {
        return Choice(f, {"hbm", "pool"}) == 0 ? StatePlacement::HBM : StatePlacement::POOL;
    };
    for (const auto& [key, f] : fields)
    {
        if (key == "experts")
        {
            memory.experts = where(f);
        }
        else if (key == "optimizer")
        {
            memory.optimizer = where(f);
        }
        else if (key == "activations")
        {
            memory.activations = where(f);
        }
        else if (key == "prefetch")
        {
            memory.prefetch = Unsigned(f);
        }
        else if (key == "reduce")
        {
            memory.reduceInPool = Choice(f, {"gpus", "pool"}) == 1;
        }
    }
}

void
Parser::ReadPlan(const YamlField& section, ParallelismPlan& plan)
{
    const YamlFields fields =
        Map(section.value, section.path, section.where, &kPlanKeys, "in parallelism");
    for (const auto& [key, f] : fields)
    {
        if (key == "dp")
        {
            plan.dp = Unsigned(f);
        }
        else if (key == "tp")
        {
            plan.tp = Unsigned(f);
        }
        else if (key == "sequence-parallel")
        {
            plan.sequenceParallel = Bool(f);
        }
        else if (key == "pp")
        {
            plan.pp = Unsigned(f);
        }
        else if (key == "virtual-stages")
        {
            plan.virtualStages = Unsigned(f);
        }
        else if (key == "schedule")
        {
            plan.schedule = Choice(f, {"1f1b", "interleaved"}) == 0 ? PipelineSchedule::ONE_F_ONE_B
                                                                    : PipelineSchedule::INTERLEAVED;
        }
        else if (key == "ep")
        {
            plan.ep = Unsigned(f);
        }
        else if (key == "zero")
        {
            plan.zero = Unsigned(f);
        }
        else if (key == "bucket-size")
        {
            plan.bucketBytes = Bytes(f);
        }
        else if (key == "overlap")
        {
            plan.overlap = Bool(f);
        }
        else if (key == "order")
        {
            plan.order.clear();
            for (const auto& [node, where] : List(f))
            {
                YamlField entry{f.path, f.key, node, where};
                plan.order.push_back(Text(entry));
            }
        }
        else if (key == "ranks")
        {
            for (const auto& [node, where] : List(f))
            {
                YamlField entry{f.path, f.key, node, where};
                plan.ranks.push_back(Unsigned(entry));
            }
        }
        else if (key == "mode")
        {
            plan.mode = static_cast<TrainingMode>(
                Choice(f, {"sync", "parameter-server", "stale-synchronous"}));
        }
        else if (key == "staleness")
        {
            plan.staleness = Unsigned(f);
        }
        else if (key == "servers")
        {
            plan.servers = Unsigned(f);
        }
    }
}

WorkloadDescription
Parser::Read(const std::string& yaml)
{
    const SourceLocation start{m_file, 1, 1};
    const YAML::Node root =
        LoadDocument(yaml, "a workload file", "a workload needs model and training", kTopKeys);
    WorkloadDescription w;
    w.file = m_file;
    w.where = At(root, start);
    const YamlFields top = Map(root, "", w.where, &kTopKeys, "at the top level");
    Require(top, "", w.where, {"model", "training"}, "a workload");
    if (top.count("name"))
    {
        w.name = Text(top.at("name"));
    }
    ReadModel(top.at("model"), w.model);
    ReadTraining(top.at("training"), w.training);
    if (top.count("parallelism"))
    {
        ReadPlan(top.at("parallelism"), w.plan);
    }
    if (top.count("memory"))
    {
        ReadMemory(top.at("memory"), w.memory);
    }
    w.locations = GetLocations();
    return w;
}

WorkloadDescription
Finish(WorkloadDescription w, uint32_t gpus)
{
    if (gpus != 0 || w.plan.dp != 0)
    {
        w.Validate(gpus);
    }
    return w;
}

} // namespace

WorkloadDescription
WorkloadReader::ReadFile(const std::string& path, uint32_t gpus)
{
    NS_LOG_FUNCTION(path << gpus);
    Parser parser(path);
    return Finish(parser.Read(parser.ReadFileText(path, "a workload file")), gpus);
}

WorkloadDescription
WorkloadReader::ReadString(const std::string& yaml, const std::string& name, uint32_t gpus)
{
    NS_LOG_FUNCTION(name << gpus);
    return Finish(Parser(name).Read(yaml), gpus);
}

} // namespace ns3
