/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "topology-reader.h"

#include "yaml-field-reader.h"

#include "ns3/log.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TopologyReader");

namespace
{

/// The keys each section allows, in the order the documentation gives them.
const std::vector<std::string> kTopKeys{"name",
                                        "node-kinds",
                                        "nodes",
                                        "fat-tree",
                                        "dimensions",
                                        "switches",
                                        "links",
                                        "allow-deadlock",
                                        "faults"}; // read by FaultScheduleReader
const std::vector<std::string> kKindKeys{"gpu",
                                         "board",
                                         "gpus",
                                         "hcas",
                                         "hca-speed",
                                         "hca-width",
                                         "nvls",
                                         "nvls-groups",
                                         "ports",
                                         "memory"};
const std::vector<std::string> kMemoryKeys{"capacity", "bandwidth", "latency"};
const std::vector<std::string> kGroupKeys{"kind", "count"};
const std::vector<std::string> kFatTreeKeys{"levels",
                                            "radix",
                                            "oversubscription",
                                            "rail-optimized",
                                            "speed",
                                            "width",
                                            "link-delay",
                                            "switch-latency",
                                            "sharp",
                                            "sharp-groups",
                                            "sharp-osts",
                                            "sharp-buffer"};
const std::vector<std::string>
    kDimensionKeys{"block", "size", "bandwidth", "latency", "links", "link", "switch-latency"};
const std::vector<std::string> kSwitchKeys{"name", "type", "latency"};
const std::vector<std::string> kLinkKeys{"a", "b", "type", "bandwidth", "latency", "count"};

/// The checked keys of one mapping, as the shared reader gives them.
using Field = YamlField;
using Fields = YamlFields;

/**
 * \brief Turns the YAML tree of one document into a TopologyDescription, remembering where
 * each field was written (YamlFieldReader) so that every error points at it.
 */
class Parser : public YamlFieldReader
{
  public:
    /// \param file the name errors give the document
    explicit Parser(const std::string& file)
        : YamlFieldReader(file)
    {
    }

    /// \param yaml the text \return the validated description
    TopologyDescription Read(const std::string& yaml);

    void Raise(const SourceLocation& where,
               const std::string& field,
               const std::string& what) const override
    {
        throw TopologyError(where, field, what);
    }

  private:
    /// \return nvlink or infiniband
    FabricLinkType LinkType(const Field& f) const;
    /// \return ring, fully-connected or switch
    BlockType Block(const Field& f) const;

    void ReadKinds(const Field& f, TopologyDescription& topo);
    void ReadGroups(const Field& f, TopologyDescription& topo);
    void ReadFatTree(const Field& f, TopologyDescription& topo);
    void ReadDimensions(const Field& f, TopologyDescription& topo);
    void ReadSwitches(const Field& f, TopologyDescription& topo);
    void ReadLinks(const Field& f, TopologyDescription& topo);

    /// Validate, pointing any error at the field's own position.
    void Validate(const TopologyDescription& topo) const;
};

FabricLinkType
Parser::LinkType(const Field& f) const
{
    const std::string s = Text(f);
    if (s == "nvlink")
    {
        return FabricLinkType::NVLINK;
    }
    if (s == "infiniband")
    {
        return FabricLinkType::INFINIBAND;
    }
    throw TopologyError(f.where, f.path, "unknown link type \"" + s + "\" (nvlink, infiniband)");
}

BlockType
Parser::Block(const Field& f) const
{
    const std::string s = Text(f);
    if (s == "ring")
    {
        return BlockType::RING;
    }
    if (s == "fully-connected")
    {
        return BlockType::FULLY_CONNECTED;
    }
    if (s == "switch")
    {
        return BlockType::SWITCH;
    }
    if (s == "torus")
    {
        throw TopologyError(f.where,
                            f.path,
                            "a torus is not a block: it is several ring dimensions (a 4x4 torus "
                            "is two dimensions of block: ring, size: 4)");
    }
    throw TopologyError(f.where,
                        f.path,
                        "unknown block \"" + s + "\" (ring, fully-connected, switch)");
}

void
Parser::ReadKinds(const Field& section, TopologyDescription& topo)
{
    for (const auto& [name, entry] :
         Map(section.value, section.path, section.where, nullptr, "in node-kinds"))
    {
        NodeKindSpec kind;
        kind.name = name;
        kind.where = entry.where;
        const Fields fields =
            Map(entry.value, entry.path, entry.where, &kKindKeys, "in a node kind");
        if (fields.count("memory"))
        {
            // A memory node: its ports are HCAs, one per rail.
            kind.memory = true;
            kind.gpuModel.clear();
            if (!fields.count("ports"))
            {
                throw TopologyError(entry.where,
                                    entry.path,
                                    "a memory node needs ports (how many HCAs reach its pool)");
            }
            if (fields.count("gpus") || fields.count("gpu"))
            {
                const auto& f = fields.count("gpus") ? fields.at("gpus") : fields.at("gpu");
                throw TopologyError(f.where, f.path, "a memory node has ports, not GPUs");
            }
            kind.gpus = Unsigned(fields.at("ports"));
            kind.hcas = kind.gpus;
            const Field& m = fields.at("memory");
            for (const auto& [key, f] : Map(m.value, m.path, m.where, &kMemoryKeys, "in memory"))
            {
                if (key == "capacity")
                {
                    kind.memoryCapacity = Bytes(f);
                }
                else if (key == "bandwidth")
                {
                    kind.memoryBandwidth = Rate(f);
                }
                else if (key == "latency")
                {
                    kind.memoryLatency = Duration(f);
                }
            }
        }
        else if (fields.count("ports"))
        {
            const auto& f = fields.at("ports");
            throw TopologyError(f.where, f.path, "ports are for memory nodes (give memory)");
        }
        else if (!fields.count("gpus") && !fields.count("board"))
        {
            throw TopologyError(entry.where,
                                entry.path,
                                "needs gpus (how many GPUs a node has) or board (an NVLink "
                                "board preset: A100, H100, H200, B200)");
        }
        for (const auto& [key, f] : fields)
        {
            if (key == "gpu")
            {
                kind.gpuModel = Text(f);
            }
            else if (key == "board")
            {
                kind.board = Text(f);
            }
            else if (key == "gpus")
            {
                kind.gpus = Unsigned(f);
            }
            else if (key == "hcas")
            {
                kind.hcas = Unsigned(f);
            }
            else if (key == "hca-speed")
            {
                kind.hcaSpeed = Text(f);
            }
            else if (key == "hca-width")
            {
                kind.hcaWidth = Unsigned(f);
            }
            else if (key == "nvls")
            {
                kind.nvls = Bool(f) ? 1 : 0;
            }
            else if (key == "nvls-groups")
            {
                kind.nvlsGroups = Unsigned(f);
                if (kind.nvlsGroups == 0)
                {
                    throw TopologyError(f.where, f.path, "must be at least 1");
                }
            }
        }
        if (kind.nvls == 1 && kind.board == "A100")
        {
            const auto& f = fields.at("nvls");
            throw TopologyError(f.where,
                                f.path,
                                "the A100 board's second-generation NVSwitch has no NVLS "
                                "(multicast and in-switch reduction need third-generation "
                                "NVSwitch: H100 and later, fact sheet §8.5)");
        }
        if (kind.gpuModel.empty() && !kind.memory)
        {
            kind.gpuModel = kind.board;
        }
        topo.kinds[name] = kind;
    }
}

void
Parser::ReadGroups(const Field& section, TopologyDescription& topo)
{
    const auto entries = List(section);
    for (size_t i = 0; i < entries.size(); ++i)
    {
        const std::string path = section.path + "[" + std::to_string(i) + "]";
        NodeGroupSpec group;
        group.where = entries[i].second;
        m_locations[path] = group.where;
        const Fields fields =
            Map(entries[i].first, path, group.where, &kGroupKeys, "in an entry of nodes");
        Require(fields, path, group.where, kGroupKeys, "every entry of nodes");
        group.kind = Text(fields.at("kind"));
        group.count = Unsigned(fields.at("count"));
        topo.groups.push_back(group);
    }
}

void
Parser::ReadFatTree(const Field& section, TopologyDescription& topo)
{
    auto& ft = topo.fatTree;
    ft.present = true;
    ft.where = section.where;
    for (const auto& [key, f] :
         Map(section.value, section.path, section.where, &kFatTreeKeys, "in fat-tree"))
    {
        if (key == "levels")
        {
            ft.levels = Unsigned(f);
        }
        else if (key == "radix")
        {
            ft.radix = Unsigned(f);
        }
        else if (key == "oversubscription")
        {
            ft.oversubscription = Number(f);
        }
        else if (key == "rail-optimized")
        {
            ft.railOptimized = Bool(f);
        }
        else if (key == "speed")
        {
            ft.speed = Text(f);
        }
        else if (key == "width")
        {
            ft.width = Unsigned(f);
        }
        else if (key == "link-delay")
        {
            ft.linkDelay = Duration(f);
        }
        else if (key == "switch-latency")
        {
            ft.switchLatency = Duration(f);
        }
        else if (key == "sharp")
        {
            ft.sharp = Bool(f);
        }
        else if (key == "sharp-groups" || key == "sharp-osts")
        {
            const uint32_t v = Unsigned(f);
            if (v == 0)
            {
                throw TopologyError(f.where, f.path, "must be at least 1");
            }
            (key == "sharp-groups" ? ft.sharpGroups : ft.sharpOsts) = v;
        }
        else if (key == "sharp-buffer")
        {
            ft.sharpBuffer = Bytes(f);
            if (ft.sharpBuffer == 0)
            {
                throw TopologyError(f.where, f.path, "must be more than 0 bytes");
            }
        }
    }
}

void
Parser::ReadDimensions(const Field& section, TopologyDescription& topo)
{
    const auto entries = List(section);
    for (size_t i = 0; i < entries.size(); ++i)
    {
        const std::string path = section.path + "[" + std::to_string(i) + "]";
        DimensionSpec dim;
        dim.where = entries[i].second;
        m_locations[path] = dim.where;
        const Fields fields =
            Map(entries[i].first, path, dim.where, &kDimensionKeys, "in a dimension");
        Require(fields,
                path,
                dim.where,
                {"block", "size", "bandwidth", "latency"},
                "every dimension");
        dim.block = Block(fields.at("block"));
        for (const auto& [key, f] : fields)
        {
            if (key == "size")
            {
                dim.size = Unsigned(f);
            }
            else if (key == "bandwidth")
            {
                dim.rate = Rate(f);
            }
            else if (key == "latency")
            {
                dim.latency = Duration(f);
            }
            else if (key == "links")
            {
                dim.linksPerPair = Unsigned(f);
            }
            else if (key == "link")
            {
                dim.link = LinkType(f);
            }
            else if (key == "switch-latency")
            {
                if (dim.block != BlockType::SWITCH)
                {
                    throw TopologyError(f.where,
                                        f.path,
                                        "applies only to dimensions of block: switch");
                }
                dim.switchLatency = Duration(f);
            }
        }
        topo.dimensions.push_back(dim);
    }
}

void
Parser::ReadSwitches(const Field& section, TopologyDescription& topo)
{
    const auto entries = List(section);
    for (size_t i = 0; i < entries.size(); ++i)
    {
        const std::string path = section.path + "[" + std::to_string(i) + "]";
        SwitchSpec sw;
        sw.where = entries[i].second;
        m_locations[path] = sw.where;
        const Fields fields = Map(entries[i].first, path, sw.where, &kSwitchKeys, "in a switch");
        Require(fields, path, sw.where, {"name"}, "every switch");
        sw.name = Text(fields.at("name"));
        if (fields.count("type"))
        {
            sw.type = LinkType(fields.at("type"));
        }
        if (fields.count("latency"))
        {
            sw.latency = Duration(fields.at("latency"));
        }
        topo.switches.push_back(sw);
    }
}

void
Parser::ReadLinks(const Field& section, TopologyDescription& topo)
{
    const auto entries = List(section);
    for (size_t i = 0; i < entries.size(); ++i)
    {
        const std::string path = section.path + "[" + std::to_string(i) + "]";
        LinkSpec link;
        link.where = entries[i].second;
        m_locations[path] = link.where;
        const Fields fields = Map(entries[i].first, path, link.where, &kLinkKeys, "in a link");
        Require(fields, path, link.where, {"a", "b"}, "every link");
        link.a = Text(fields.at("a"));
        link.b = Text(fields.at("b"));
        for (const auto& [key, f] : fields)
        {
            if (key == "type")
            {
                link.type = LinkType(f);
            }
            else if (key == "bandwidth")
            {
                link.rate = Rate(f);
            }
            else if (key == "latency")
            {
                link.delay = Duration(f);
            }
            else if (key == "count")
            {
                link.count = Unsigned(f);
            }
        }
        topo.links.push_back(link);
    }
}

void
Parser::Validate(const TopologyDescription& topo) const
{
    try
    {
        topo.Validate();
    }
    catch (const TopologyError& e)
    {
        // Validate() knows the struct at fault; the field itself may sit on another line
        // (block-style mappings): point at the field, or the nearest enclosing one written.
        std::string path = e.GetField();
        auto found = m_locations.end();
        while (!path.empty() && (found = m_locations.find(path)) == m_locations.end())
        {
            const auto cut = path.find_last_of(".[");
            path = cut == std::string::npos ? "" : path.substr(0, cut);
        }
        if (found == m_locations.end())
        {
            throw;
        }
        NS_LOG_LOGIC("validation failed: " << e.what());
        throw TopologyError(found->second, e.GetField(), e.GetProblem());
    }
}

TopologyDescription
Parser::Read(const std::string& yaml)
{
    const SourceLocation start{m_file, 1, 1};
    const YAML::Node root = LoadDocument(yaml,
                                         "a topology file",
                                         "a topology needs nodes (with node-kinds) or dimensions",
                                         kTopKeys);
    TopologyDescription topo;
    topo.file = m_file;
    topo.where = At(root, start);
    const Fields top = Map(root, "", topo.where, &kTopKeys, "at the top level");
    // Sections in dependency order, whatever order the file gives them.
    if (top.count("name"))
    {
        topo.name = Text(top.at("name"));
    }
    if (top.count("node-kinds"))
    {
        ReadKinds(top.at("node-kinds"), topo);
    }
    if (top.count("nodes"))
    {
        ReadGroups(top.at("nodes"), topo);
    }
    if (top.count("fat-tree"))
    {
        ReadFatTree(top.at("fat-tree"), topo);
    }
    if (top.count("dimensions"))
    {
        ReadDimensions(top.at("dimensions"), topo);
    }
    if (top.count("switches"))
    {
        ReadSwitches(top.at("switches"), topo);
    }
    if (top.count("links"))
    {
        ReadLinks(top.at("links"), topo);
    }
    if (top.count("allow-deadlock"))
    {
        topo.allowDeadlock = Bool(top.at("allow-deadlock"));
    }
    NS_LOG_LOGIC(m_file << ": " << topo.kinds.size() << " node kinds, " << topo.groups.size()
                        << " node groups, " << topo.dimensions.size() << " dimensions, "
                        << topo.switches.size() << " switches, " << topo.links.size() << " links");
    Validate(topo);
    return topo;
}

} // namespace

TopologyDescription
TopologyReader::ReadFile(const std::string& path)
{
    NS_LOG_FUNCTION(path);
    Parser parser(path);
    return parser.Read(parser.ReadFileText(path, "a topology file"));
}

TopologyDescription
TopologyReader::ReadString(const std::string& yaml, const std::string& name)
{
    NS_LOG_FUNCTION(name);
    return Parser(name).Read(yaml);
}

} // namespace ns3
