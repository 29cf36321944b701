/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "topology-reader.h"

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
                                        "allow-deadlock"};
const std::vector<std::string> kKindKeys{"gpu", "board", "gpus", "hcas", "hca-speed", "hca-width"};
const std::vector<std::string> kGroupKeys{"kind", "count"};
const std::vector<std::string> kFatTreeKeys{"levels",
                                            "radix",
                                            "oversubscription",
                                            "rail-optimized",
                                            "speed",
                                            "width",
                                            "link-delay",
                                            "switch-latency"};
const std::vector<std::string>
    kDimensionKeys{"block", "size", "bandwidth", "latency", "links", "link", "switch-latency"};
const std::vector<std::string> kSwitchKeys{"name", "type", "latency"};
const std::vector<std::string> kLinkKeys{"a", "b", "type", "bandwidth", "latency", "count"};

/// A rate unit ns-3's DataRate accepts, and its size in bits.
struct RateUnit
{
    const char* name; //!< as written
    double bits;      //!< bits per unit
};

/// Every unit DataRate's parser knows in ns-3.37 (it has no T prefix).
const RateUnit kRateUnits[] = {
    {"bps", 1.0},
    {"b/s", 1.0},
    {"Bps", 8.0},
    {"B/s", 8.0},
    {"kbps", 1e3},
    {"kb/s", 1e3},
    {"Kbps", 1e3},
    {"Kb/s", 1e3},
    {"kBps", 8e3},
    {"kB/s", 8e3},
    {"KBps", 8e3},
    {"KB/s", 8e3},
    {"Kib/s", 1024.0},
    {"KiB/s", 8192.0},
    {"Mbps", 1e6},
    {"Mb/s", 1e6},
    {"MBps", 8e6},
    {"MB/s", 8e6},
    {"Mib/s", 1048576.0},
    {"MiB/s", 8388608.0},
    {"Gbps", 1e9},
    {"Gb/s", 1e9},
    {"GBps", 8e9},
    {"GB/s", 8e9},
    {"Gib/s", 1073741824.0},
    {"GiB/s", 8589934592.0},
};

/// A time unit ns-3's Time accepts.
struct TimeUnit
{
    const char* name; //!< as written
    Time::Unit unit;  //!< ns-3's unit
    double seconds;   //!< its length in seconds
};

/// Every unit Time's string constructor knows in ns-3.37.
const TimeUnit kTimeUnits[] = {
    {"s", Time::S, 1.0},
    {"ms", Time::MS, 1e-3},
    {"us", Time::US, 1e-6},
    {"ns", Time::NS, 1e-9},
    {"ps", Time::PS, 1e-12},
    {"fs", Time::FS, 1e-15},
    {"min", Time::MIN, 60.0},
    {"h", Time::H, 3600.0},
    {"d", Time::D, 86400.0},
    {"y", Time::Y, 365.0 * 86400.0},
};

/// Longest time a topology may give, in seconds (far beyond any latency; keeps ps in int64).
constexpr double kMaxSeconds = 1e6;

/// \return the words joined with ", "
std::string
Join(const std::vector<std::string>& words)
{
    std::string out;
    for (const auto& w : words)
    {
        out += (out.empty() ? "" : ", ") + w;
    }
    return out;
}

/// \return the words joined with ", " and a last " and "
std::string
JoinAnd(const std::vector<std::string>& words)
{
    std::string out;
    for (size_t i = 0; i < words.size(); ++i)
    {
        out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
    }
    return out;
}

/// \return the edit distance between two short strings
size_t
EditDistance(const std::string& a, const std::string& b)
{
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
    {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i)
    {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
        {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// \return the string without leading and trailing blanks
std::string
Trim(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos)
    {
        return "";
    }
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

/**
 * \brief Split "400Gbps" or "-1.5 us" into its number and its unit.
 * \param s the text
 * \param exponent whether an exponent ("1e3") may follow the digits
 * \param[out] sign '-' or '+' when written, else 0
 * \param[out] number the digits (with '.' and exponent), without sign
 * \param[out] unit what follows the number, blanks trimmed
 * \return false if the text does not begin with a number
 */
bool
SplitQuantity(const std::string& s,
              bool exponent,
              char& sign,
              std::string& number,
              std::string& unit)
{
    size_t i = 0;
    sign = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    {
        sign = s[i++];
    }
    const size_t start = i;
    size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
    {
        ++i;
        ++digits;
    }
    if (i < s.size() && s[i] == '.')
    {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
        {
            ++i;
            ++digits;
        }
    }
    if (digits == 0)
    {
        return false;
    }
    if (exponent && i < s.size() && (s[i] == 'e' || s[i] == 'E'))
    {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-'))
        {
            ++j;
        }
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
        {
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
            {
                ++j;
            }
            i = j;
        }
    }
    number = s.substr(start, i - start);
    unit = Trim(s.substr(i));
    return true;
}

/// \return true if the text is a decimal number and nothing else; its value in value
bool
ParseNumber(const std::string& s, double& value)
{
    char sign = 0;
    std::string number;
    std::string unit;
    if (!SplitQuantity(s, true, sign, number, unit) || !unit.empty())
    {
        return false;
    }
    value = std::strtod(number.c_str(), nullptr) * (sign == '-' ? -1.0 : 1.0);
    return std::isfinite(value);
}

/// One key of a mapping and its value, with the value's position.
struct Field
{
    std::string path;     //!< the field's path ("fat-tree.radix")
    YAML::Node key;       //!< the key as written
    YAML::Node value;     //!< its value
    SourceLocation where; //!< the value's position (the key's when the value is empty)
};

/// The checked keys of one mapping.
using Fields = std::map<std::string, Field>;

/**
 * \brief Turns the YAML tree of one document into a TopologyDescription, remembering where
 * each field was written so that every error points at it.
 */
class Parser
{
  public:
    /// \param file the name errors give the document
    explicit Parser(const std::string& file)
        : m_file(file)
    {
    }

    /// \param yaml the text \return the validated description
    TopologyDescription Read(const std::string& yaml);

  private:
    /// \return the 1-based position of a node, or fallback if it has none
    SourceLocation At(const YAML::Node& node, const SourceLocation& fallback) const;
    /// \return the path of key inside parent
    static std::string Child(const std::string& parent, const std::string& key);
    /// \return a name for what a node is ("a list", "a mapping"...)
    static std::string Describe(const YAML::Node& node);

    /**
     * \brief Check a mapping's keys and index them.
     * \param node the mapping
     * \param path its field path
     * \param where its position
     * \param allowed the keys allowed, or nullptr for any (names of node kinds)
     * \param context how the error names the mapping ("in fat-tree")
     * \return its fields by key
     */
    Fields Map(const YAML::Node& node,
               const std::string& path,
               const SourceLocation& where,
               const std::vector<std::string>* allowed,
               const std::string& context);
    /// Throw unless every key named is present.
    void Require(const Fields& fields,
                 const std::string& path,
                 const SourceLocation& where,
                 const std::vector<std::string>& keys,
                 const std::string& context) const;
    /// \return the entries of a list, each with its path and position
    std::vector<std::pair<YAML::Node, SourceLocation>> List(const Field& field) const;

    /// \return the scalar text of a field
    std::string Text(const Field& f) const;
    /// \return a whole number >= 0 that fits in 32 bits
    uint32_t Unsigned(const Field& f) const;
    /// \return a finite number
    double Number(const Field& f) const;
    /// \return true or false
    bool Bool(const Field& f) const;
    /// \return a rate with a unit, > 0
    DataRate Rate(const Field& f) const;
    /// \return a time with a unit, > 0
    Time Duration(const Field& f) const;
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

    std::string m_file;                                //!< the document's name
    std::map<std::string, SourceLocation> m_locations; //!< where each field path was written
};

SourceLocation
Parser::At(const YAML::Node& node, const SourceLocation& fallback) const
{
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0)
    {
        return fallback;
    }
    return SourceLocation{m_file, mark.line + 1, mark.column + 1};
}

std::string
Parser::Child(const std::string& parent, const std::string& key)
{
    return parent.empty() ? key : parent + "." + key;
}

std::string
Parser::Describe(const YAML::Node& node)
{
    switch (node.Type())
    {
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Null:
        return "empty";
    default:
        return "\"" + node.Scalar() + "\"";
    }
}

Fields
Parser::Map(const YAML::Node& node,
            const std::string& path,
            const SourceLocation& where,
            const std::vector<std::string>* allowed,
            const std::string& context)
{
    if (!node.IsMap())
    {
        const std::string expected =
            allowed ? "a mapping of " + Join(*allowed) : "a mapping of names to entries";
        throw TopologyError(where, path, "must be " + expected + ", not " + Describe(node));
    }
    Fields fields;
    for (auto it = node.begin(); it != node.end(); ++it)
    {
        const SourceLocation keyWhere = At(it->first, where);
        if (!it->first.IsScalar() || it->first.Scalar().empty())
        {
            throw TopologyError(keyWhere, path, "keys must be plain names");
        }
        const std::string key = it->first.Scalar();
        const std::string fieldPath = Child(path, key);
        if (allowed && std::find(allowed->begin(), allowed->end(), key) == allowed->end())
        {
            std::string what = "unknown key '" + key + "'";
            std::string best;
            size_t bestDistance = 3; // suggest only near misses
            for (const auto& candidate : *allowed)
            {
                const size_t d = EditDistance(key, candidate);
                if (d < bestDistance)
                {
                    best = candidate;
                    bestDistance = d;
                }
            }
            if (!best.empty())
            {
                what += " (did you mean '" + best + "'?)";
            }
            throw TopologyError(keyWhere,
                                fieldPath,
                                what + "; allowed " + context + ": " + Join(*allowed));
        }
        auto previous = fields.find(key);
        if (previous != fields.end())
        {
            throw TopologyError(keyWhere,
                                fieldPath,
                                "is given twice (first on line " +
                                    std::to_string(previous->second.where.line) + ")");
        }
        Field f;
        f.path = fieldPath;
        f.key = it->first;
        f.value = it->second;
        // An empty value's mark is that of the next token: point at the key instead.
        f.where = it->second.IsNull() ? keyWhere : At(it->second, keyWhere);
        m_locations[fieldPath] = f.where;
        fields.emplace(key, f);
    }
    return fields;
}

void
Parser::Require(const Fields& fields,
                const std::string& path,
                const SourceLocation& where,
                const std::vector<std::string>& keys,
                const std::string& context) const
{
    for (const auto& key : keys)
    {
        if (!fields.count(key))
        {
            throw TopologyError(where,
                                Child(path, key),
                                "is missing: " + context + " needs " + JoinAnd(keys));
        }
    }
}

std::vector<std::pair<YAML::Node, SourceLocation>>
Parser::List(const Field& f) const
{
    if (!f.value.IsSequence())
    {
        throw TopologyError(f.where,
                            f.path,
                            "must be a list of entries (\"- {...}\"), not " + Describe(f.value));
    }
    std::vector<std::pair<YAML::Node, SourceLocation>> entries;
    for (const auto& entry : f.value)
    {
        entries.emplace_back(entry, At(entry, f.where));
    }
    return entries;
}

std::string
Parser::Text(const Field& f) const
{
    if (f.value.IsNull())
    {
        throw TopologyError(f.where, f.path, "has no value");
    }
    if (!f.value.IsScalar())
    {
        throw TopologyError(f.where, f.path, "must be a single value, not " + Describe(f.value));
    }
    return Trim(f.value.Scalar());
}

uint32_t
Parser::Unsigned(const Field& f) const
{
    const std::string s = Text(f);
    const std::string digits = s.substr(!s.empty() && s[0] == '+' ? 1 : 0);
    if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos)
    {
        if (digits.size() > 10 || std::stoull(digits) > std::numeric_limits<uint32_t>::max())
        {
            throw TopologyError(f.where, f.path, s + " is too large");
        }
        return static_cast<uint32_t>(std::stoull(digits));
    }
    double value = 0;
    if (ParseNumber(s, value))
    {
        if (value < 0 || s[0] == '-')
        {
            throw TopologyError(f.where, f.path, "must not be negative (got " + s + ")");
        }
        throw TopologyError(f.where, f.path, "must be a whole number, not " + s);
    }
    throw TopologyError(f.where, f.path, "must be a whole number, not \"" + s + "\"");
}

double
Parser::Number(const Field& f) const
{
    const std::string s = Text(f);
    double value = 0;
    if (!ParseNumber(s, value))
    {
        throw TopologyError(f.where, f.path, "must be a number, not \"" + s + "\"");
    }
    return value;
}

bool
Parser::Bool(const Field& f) const
{
    const std::string s = Text(f);
    if (s == "true" || s == "True" || s == "TRUE")
    {
        return true;
    }
    if (s == "false" || s == "False" || s == "FALSE")
    {
        return false;
    }
    throw TopologyError(f.where, f.path, "must be true or false, not \"" + s + "\"");
}

DataRate
Parser::Rate(const Field& f) const
{
    const std::string s = Text(f);
    char sign = 0;
    std::string number;
    std::string unit;
    if (!SplitQuantity(s, false, sign, number, unit))
    {
        throw TopologyError(f.where,
                            f.path,
                            "\"" + s + "\" is not a rate: write a number and a unit, e.g. 400Gbps");
    }
    if (unit.empty())
    {
        throw TopologyError(f.where, f.path, "needs a unit, e.g. 400Gbps (got " + s + ")");
    }
    const RateUnit* found = nullptr;
    for (const auto& u : kRateUnits)
    {
        if (unit == u.name)
        {
            found = &u;
        }
    }
    if (!found)
    {
        std::vector<std::string> names;
        for (const auto& u : kRateUnits)
        {
            names.emplace_back(u.name);
        }
        throw TopologyError(f.where,
                            f.path,
                            "unknown rate unit \"" + unit + "\" in \"" + s + "\" (" + Join(names) +
                                ")");
    }
    const double bits = std::strtod(number.c_str(), nullptr) * found->bits;
    if (sign == '-' || bits < 1.0)
    {
        throw TopologyError(f.where, f.path, "must be greater than zero (got " + s + ")");
    }
    if (bits >= 1.8e19)
    {
        throw TopologyError(f.where, f.path, s + " is too large");
    }
    // ns-3's own parser, so that "25GB/s" means here what it means in an Attribute.
    std::istringstream in(number + unit);
    DataRate rate;
    in >> rate;
    if (in.fail() || rate.GetBitRate() == 0)
    {
        throw TopologyError(f.where, f.path, "\"" + s + "\" is not a rate ns-3 can parse");
    }
    return rate;
}

Time
Parser::Duration(const Field& f) const
{
    const std::string s = Text(f);
    char sign = 0;
    std::string number;
    std::string unit;
    if (!SplitQuantity(s, true, sign, number, unit))
    {
        throw TopologyError(f.where,
                            f.path,
                            "\"" + s + "\" is not a time: write a number and a unit, e.g. 100ns");
    }
    if (unit.empty())
    {
        throw TopologyError(f.where, f.path, "needs a unit, e.g. 100ns (got " + s + ")");
    }
    const TimeUnit* found = nullptr;
    for (const auto& u : kTimeUnits)
    {
        if (unit == u.name)
        {
            found = &u;
        }
    }
    if (!found)
    {
        std::vector<std::string> names;
        for (const auto& u : kTimeUnits)
        {
            names.emplace_back(u.name);
        }
        throw TopologyError(f.where,
                            f.path,
                            "unknown time unit \"" + unit + "\" in \"" + s + "\" (" + Join(names) +
                                ")");
    }
    const double value = std::strtod(number.c_str(), nullptr);
    if (sign == '-' || value <= 0)
    {
        throw TopologyError(f.where, f.path, "must be greater than zero (got " + s + ")");
    }
    if (value * found->seconds > kMaxSeconds)
    {
        throw TopologyError(f.where, f.path, s + " is too large");
    }
    const Time t = Time::FromDouble(value, found->unit);
    if (!t.IsStrictlyPositive())
    {
        throw TopologyError(f.where,
                            f.path,
                            s + " is below the simulator's time resolution (rounds to zero)");
    }
    return t;
}

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
        if (!fields.count("gpus") && !fields.count("board"))
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
        }
        if (kind.gpuModel.empty())
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
    std::vector<YAML::Node> documents;
    try
    {
        documents = YAML::LoadAll(yaml);
    }
    catch (const YAML::Exception& e)
    {
        const SourceLocation where =
            e.mark.is_null() ? start : SourceLocation{m_file, e.mark.line + 1, e.mark.column + 1};
        throw TopologyError(where, "(syntax)", "YAML syntax error: " + e.msg);
    }
    if (documents.size() > 1)
    {
        throw TopologyError(At(documents[1], start),
                            "(document)",
                            "holds " + std::to_string(documents.size()) +
                                " YAML documents; a topology file holds one");
    }
    if (documents.empty() || documents[0].IsNull())
    {
        throw TopologyError(start,
                            "(document)",
                            "is empty: a topology needs nodes (with node-kinds) or dimensions");
    }
    const YAML::Node& root = documents[0];
    TopologyDescription topo;
    topo.file = m_file;
    topo.where = At(root, start);
    if (!root.IsMap())
    {
        throw TopologyError(topo.where,
                            "(document)",
                            "must be a mapping of sections (" + Join(kTopKeys) + "), not " +
                                Describe(root));
    }
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
    const SourceLocation where{path, 0, 0};
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw TopologyError(where, "(file)", "is a directory, not a topology file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw TopologyError(where,
                            "(file)",
                            std::string("cannot be read: ") + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
    {
        throw TopologyError(where,
                            "(file)",
                            std::string("cannot be read: ") + std::strerror(errno));
    }
    return Parser(path).Read(text.str());
}

TopologyDescription
TopologyReader::ReadString(const std::string& yaml, const std::string& name)
{
    NS_LOG_FUNCTION(name);
    return Parser(name).Read(yaml);
}

} // namespace ns3
