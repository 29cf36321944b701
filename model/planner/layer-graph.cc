/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "layer-graph.h"

#include "../fabric/yaml-field-reader.h"

#include "ns3/log.h"
#include "ns3/workload-description.h"

#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LayerGraph");

double
GraphLayer::GetFlops() const
{
    double points = 1;
    for (const LayerDim& d : dims)
    {
        points *= static_cast<double>(d.size);
    }
    return flopsPerPoint * points;
}

double
GraphLayer::GetElements(const std::vector<uint32_t>& tensor) const
{
    double n = 1;
    for (uint32_t i : tensor)
    {
        n *= static_cast<double>(dims.at(i).size);
    }
    return n;
}

void
LayerGraph::Validate() const
{
    const SourceLocation top{file, file.empty() ? 0 : 1, file.empty() ? 0 : 1};
    if (layers.empty())
    {
        throw WorkloadError(top, "layers", "a layer graph needs at least one layer");
    }
    if (elementBytes == 0)
    {
        throw WorkloadError(top, "element-bytes", "must be > 0");
    }
    for (uint32_t l = 0; l < layers.size(); ++l)
    {
        const GraphLayer& g = layers[l];
        const std::string at = "layers[" + std::to_string(l) + "]";
        if (g.dims.empty())
        {
            throw WorkloadError(g.where, at + ".dims", "layer '" + g.name + "' has no dims");
        }
        for (const LayerDim& d : g.dims)
        {
            if (d.size == 0)
            {
                throw WorkloadError(g.where,
                                    at + ".dims." + d.name,
                                    "layer '" + g.name + "': a dim of size 0");
            }
        }
        for (const auto* t : {&g.output, &g.input, &g.weight})
        {
            for (uint32_t i : *t)
            {
                if (i >= g.dims.size())
                {
                    throw WorkloadError(g.where, at, "a tensor dim out of range");
                }
            }
        }
        if (g.output.empty())
        {
            throw WorkloadError(g.where, at + ".output", "layer '" + g.name + "' has no output");
        }
        for (uint32_t p : g.inputs)
        {
            if (p >= l)
            {
                throw WorkloadError(g.where,
                                    at + ".inputs",
                                    "layer '" + g.name + "' reads a later layer");
            }
            if (g.input.empty())
            {
                throw WorkloadError(g.where,
                                    at + ".input",
                                    "layer '" + g.name + "' has inputs but no input tensor");
            }
        }
        if (!(g.flopsPerPoint >= 0))
        {
            throw WorkloadError(g.where, at + ".flops-per-point", "must be >= 0");
        }
    }
}

std::vector<std::pair<uint32_t, uint32_t>>
LayerGraph::GetEdges() const
{
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    for (uint32_t l = 0; l < layers.size(); ++l)
    {
        for (uint32_t p : layers[l].inputs)
        {
            edges.emplace_back(p, l);
        }
    }
    return edges;
}

double
LayerGraph::GetFlops() const
{
    double f = 0;
    for (const GraphLayer& g : layers)
    {
        f += g.GetFlops();
    }
    return f;
}

namespace
{

const std::vector<std::string> kTopKeys{"name", "element-bytes", "layers"};
const std::vector<std::string> kLayerKeys{"name",
                                          "op",
                                          "dims",
                                          "split",
                                          "output",
                                          "input",
                                          "weight",
                                          "inputs",
                                          "flops-per-point",
                                          "repeat"};

/// Reads one layer-graph document.
class Parser : public YamlFieldReader
{
  public:
    /// \param file the document's name
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

    /// \param yaml the text \return the graph, not yet validated
    LayerGraph Read(const std::string& yaml)
    {
        const SourceLocation start{m_file, 1, 1};
        const YAML::Node root =
            LoadDocument(yaml, "a layer graph", "a layer graph needs layers", kTopKeys);
        LayerGraph g;
        g.file = m_file;
        const YamlFields top = Map(root, "", At(root, start), &kTopKeys, "at the top level");
        Require(top, "", start, {"layers"}, "a layer graph");
        if (top.count("name"))
        {
            g.name = Text(top.at("name"));
        }
        if (top.count("element-bytes"))
        {
            g.elementBytes = Unsigned(top.at("element-bytes"));
        }
        std::map<std::string, uint32_t> byName;
        const auto entries = List(top.at("layers"));
        for (uint32_t i = 0; i < entries.size(); ++i)
        {
            const std::string path = "layers[" + std::to_string(i) + "]";
            const YamlFields f =
                Map(entries[i].first, path, entries[i].second, &kLayerKeys, "in a layer");
            Require(f, path, entries[i].second, {"name", "dims", "output"}, "a layer");
            GraphLayer layer;
            layer.where = entries[i].second;
            layer.name = Text(f.at("name"));
            layer.op = f.count("op") ? Text(f.at("op")) : "layer";
            if (f.count("flops-per-point"))
            {
                layer.flopsPerPoint = NonNegative(f.at("flops-per-point"));
            }
            const YamlFields dims =
                Map(f.at("dims").value, f.at("dims").path, f.at("dims").where, nullptr, "in dims");
            // A name where a list or mapping stands is the file's error, not a YAML exception.
            auto nameOf = [&](const YamlField& field, const YAML::Node& node) {
                if (!node.IsScalar())
                {
                    Fail(At(node, field.where),
                         field.path,
                         "must be a name, not a list or mapping");
                }
                return node.Scalar();
            };
            // Keep the order written: yaml-cpp iterates a mapping in document order.
            for (const auto& kv : f.at("dims").value)
            {
                const std::string key = nameOf(f.at("dims"), kv.first);
                LayerDim d;
                d.name = key;
                d.size = Unsigned64(dims.at(key));
                d.splittable = !f.count("split");
                layer.dims.push_back(d);
            }
            auto dimIndex = [&](const YamlField& field, const YAML::Node& node) -> uint32_t {
                const std::string name = nameOf(field, node);
                for (uint32_t k = 0; k < layer.dims.size(); ++k)
                {
                    if (layer.dims[k].name == name)
                    {
                        return k;
                    }
                }
                Fail(At(node, field.where),
                     field.path,
                     "'" + name + "' is not one of the layer's dims");
            };
            auto dimList = [&](const std::string& key) {
                std::vector<uint32_t> out;
                if (f.count(key))
                {
                    for (const auto& [node, where] : List(f.at(key)))
                    {
                        out.push_back(dimIndex(f.at(key), node));
                    }
                }
                return out;
            };
            for (uint32_t k : dimList("split"))
            {
                layer.dims[k].splittable = true;
            }
            layer.output = dimList("output");
            layer.input = dimList("input");
            layer.weight = dimList("weight");
            if (f.count("inputs"))
            {
                for (const auto& [node, where] : List(f.at("inputs")))
                {
                    const std::string name = nameOf(f.at("inputs"), node);
                    auto it = byName.find(name);
                    if (it == byName.end())
                    {
                        Fail(where,
                             f.at("inputs").path,
                             "no earlier layer is named '" + name + "'");
                    }
                    layer.inputs.push_back(it->second);
                }
            }
            else if (!g.layers.empty() && !layer.input.empty())
            {
                layer.inputs.push_back(static_cast<uint32_t>(g.layers.size() - 1));
            }
            const uint32_t repeat = f.count("repeat") ? Unsigned(f.at("repeat")) : 1;
            if (repeat == 0)
            {
                Fail(f.at("repeat").where, f.at("repeat").path, "must be >= 1");
            }
            for (uint32_t r = 0; r < repeat; ++r)
            {
                GraphLayer copy = layer;
                if (repeat > 1)
                {
                    copy.name = layer.name + "." + std::to_string(r);
                    if (r > 0)
                    {
                        copy.inputs = {static_cast<uint32_t>(g.layers.size() - 1)};
                    }
                }
                if (byName.count(copy.name))
                {
                    Fail(f.at("name").where,
                         f.at("name").path,
                         "a second layer '" + copy.name + "'");
                }
                byName[copy.name] = static_cast<uint32_t>(g.layers.size());
                if (repeat > 1)
                {
                    byName[layer.name] = static_cast<uint32_t>(g.layers.size());
                }
                g.layers.push_back(copy);
            }
        }
        return g;
    }
};

} // namespace

LayerGraph
LayerGraphReader::ReadFile(const std::string& path)
{
    NS_LOG_FUNCTION(path);
    Parser parser(path);
    LayerGraph g = parser.Read(parser.ReadFileText(path, "a layer graph"));
    g.Validate();
    return g;
}

LayerGraph
LayerGraphReader::ReadString(const std::string& yaml, const std::string& file)
{
    NS_LOG_FUNCTION(file);
    LayerGraph g = Parser(file).Read(yaml);
    g.Validate();
    return g;
}

} // namespace ns3
