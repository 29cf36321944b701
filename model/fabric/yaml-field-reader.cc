/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "yaml-field-reader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <yaml-cpp/eventhandler.h>

namespace ns3
{

namespace
{

/**
 * Walks a YAML stream's documents without building them, to find a stream on which yaml-cpp
 * 0.7's LoadAll never returns: after a stray ',' at the top level its parser yields the same
 * empty document, at the same position, forever (found by test/fuzz).
 */
class DocumentWalk : public YAML::EventHandler
{
  public:
    /// \return whether a document started where the one before it did
    bool IsStuck() const
    {
        return m_stuck;
    }

    /// \return where the stuck document starts
    const YAML::Mark& GetLast() const
    {
        return m_last;
    }

    void OnDocumentStart(const YAML::Mark& mark) override
    {
        m_stuck = m_started && mark.pos == m_last.pos;
        m_started = true;
        m_last = mark;
    }

    void OnDocumentEnd() override
    {
    }

    void OnNull(const YAML::Mark&, YAML::anchor_t) override
    {
    }

    void OnAlias(const YAML::Mark&, YAML::anchor_t) override
    {
    }

    void OnScalar(const YAML::Mark&,
                  const std::string&,
                  YAML::anchor_t,
                  const std::string&) override
    {
    }

    void OnSequenceStart(const YAML::Mark&,
                         const std::string&,
                         YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }

    void OnSequenceEnd() override
    {
    }

    void OnMapStart(const YAML::Mark&,
                    const std::string&,
                    YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }

    void OnMapEnd() override
    {
    }

  private:
    bool m_started{false}; //!< a document has started
    bool m_stuck{false};   //!< the last document started where the one before it did
    YAML::Mark m_last;     //!< where the last document started
};

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

} // namespace

YamlFieldReader::YamlFieldReader(const std::string& file)
    : m_file(file)
{
}

YamlFieldReader::~YamlFieldReader() = default;

void
YamlFieldReader::Fail(const SourceLocation& where,
                      const std::string& field,
                      const std::string& what) const
{
    Raise(where, field, what);
    std::abort(); // Raise always throws
}

/// \return the words joined with ", "
std::string
YamlFieldReader::Join(const std::vector<std::string>& words)
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
YamlFieldReader::JoinAnd(const std::vector<std::string>& words)
{
    std::string out;
    for (size_t i = 0; i < words.size(); ++i)
    {
        out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
    }
    return out;
}

SourceLocation
YamlFieldReader::At(const YAML::Node& node, const SourceLocation& fallback) const
{
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0)
    {
        return fallback;
    }
    return SourceLocation{m_file, mark.line + 1, mark.column + 1};
}

std::string
YamlFieldReader::Child(const std::string& parent, const std::string& key)
{
    return parent.empty() ? key : parent + "." + key;
}

std::string
YamlFieldReader::Describe(const YAML::Node& node)
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

YamlFields
YamlFieldReader::Map(const YAML::Node& node,
                     const std::string& path,
                     const SourceLocation& where,
                     const std::vector<std::string>* allowed,
                     const std::string& context)
{
    if (!node.IsMap())
    {
        const std::string expected =
            allowed ? "a mapping of " + Join(*allowed) : "a mapping of names to entries";
        Fail(where, path, "must be " + expected + ", not " + Describe(node));
    }
    YamlFields fields;
    for (auto it = node.begin(); it != node.end(); ++it)
    {
        const SourceLocation keyWhere = At(it->first, where);
        if (!it->first.IsScalar() || it->first.Scalar().empty())
        {
            Fail(keyWhere, path, "keys must be plain names");
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
            Fail(keyWhere, fieldPath, what + "; allowed " + context + ": " + Join(*allowed));
        }
        auto previous = fields.find(key);
        if (previous != fields.end())
        {
            Fail(keyWhere,
                 fieldPath,
                 "is given twice (first on line " + std::to_string(previous->second.where.line) +
                     ")");
        }
        YamlField f;
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
YamlFieldReader::Require(const YamlFields& fields,
                         const std::string& path,
                         const SourceLocation& where,
                         const std::vector<std::string>& keys,
                         const std::string& context) const
{
    for (const auto& key : keys)
    {
        if (!fields.count(key))
        {
            Fail(where, Child(path, key), "is missing: " + context + " needs " + JoinAnd(keys));
        }
    }
}

std::vector<std::pair<YAML::Node, SourceLocation>>
YamlFieldReader::List(const YamlField& f) const
{
    if (!f.value.IsSequence())
    {
        Fail(f.where, f.path, "must be a list of entries (\"- {...}\"), not " + Describe(f.value));
    }
    std::vector<std::pair<YAML::Node, SourceLocation>> entries;
    for (const auto& entry : f.value)
    {
        entries.emplace_back(entry, At(entry, f.where));
    }
    return entries;
}

std::string
YamlFieldReader::Text(const YamlField& f) const
{
    if (f.value.IsNull())
    {
        Fail(f.where, f.path, "has no value");
    }
    if (!f.value.IsScalar())
    {
        Fail(f.where, f.path, "must be a single value, not " + Describe(f.value));
    }
    return Trim(f.value.Scalar());
}

uint32_t
YamlFieldReader::Unsigned(const YamlField& f) const
{
    const std::string s = Text(f);
    const std::string digits = s.substr(!s.empty() && s[0] == '+' ? 1 : 0);
    if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos)
    {
        if (digits.size() > 10 || std::stoull(digits) > std::numeric_limits<uint32_t>::max())
        {
            Fail(f.where, f.path, s + " is too large");
        }
        return static_cast<uint32_t>(std::stoull(digits));
    }
    double value = 0;
    if (ParseNumber(s, value))
    {
        if (value < 0 || s[0] == '-')
        {
            Fail(f.where, f.path, "must not be negative (got " + s + ")");
        }
        Fail(f.where, f.path, "must be a whole number, not " + s);
    }
    Fail(f.where, f.path, "must be a whole number, not \"" + s + "\"");
}

double
YamlFieldReader::Number(const YamlField& f) const
{
    const std::string s = Text(f);
    double value = 0;
    if (!ParseNumber(s, value))
    {
        Fail(f.where, f.path, "must be a number, not \"" + s + "\"");
    }
    return value;
}

bool
YamlFieldReader::Bool(const YamlField& f) const
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
    Fail(f.where, f.path, "must be true or false, not \"" + s + "\"");
}

DataRate
YamlFieldReader::Rate(const YamlField& f) const
{
    const std::string s = Text(f);
    char sign = 0;
    std::string number;
    std::string unit;
    if (!SplitQuantity(s, false, sign, number, unit))
    {
        Fail(f.where,
             f.path,
             "\"" + s + "\" is not a rate: write a number and a unit, e.g. 400Gbps");
    }
    if (unit.empty())
    {
        Fail(f.where, f.path, "needs a unit, e.g. 400Gbps (got " + s + ")");
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
        Fail(f.where,
             f.path,
             "unknown rate unit \"" + unit + "\" in \"" + s + "\" (" + Join(names) + ")");
    }
    const double bits = std::strtod(number.c_str(), nullptr) * found->bits;
    if (sign == '-' || bits < 1.0)
    {
        Fail(f.where, f.path, "must be greater than zero (got " + s + ")");
    }
    if (bits >= 1.8e19)
    {
        Fail(f.where, f.path, s + " is too large");
    }
    // ns-3's own parser, so that "25GB/s" means here what it means in an Attribute.
    std::istringstream in(number + unit);
    DataRate rate;
    in >> rate;
    if (in.fail() || rate.GetBitRate() == 0)
    {
        Fail(f.where, f.path, "\"" + s + "\" is not a rate ns-3 can parse");
    }
    return rate;
}

Time
YamlFieldReader::Duration(const YamlField& f) const
{
    const std::string s = Text(f);
    char sign = 0;
    std::string number;
    std::string unit;
    if (!SplitQuantity(s, true, sign, number, unit))
    {
        Fail(f.where, f.path, "\"" + s + "\" is not a time: write a number and a unit, e.g. 100ns");
    }
    if (unit.empty())
    {
        Fail(f.where, f.path, "needs a unit, e.g. 100ns (got " + s + ")");
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
        Fail(f.where,
             f.path,
             "unknown time unit \"" + unit + "\" in \"" + s + "\" (" + Join(names) + ")");
    }
    const double value = std::strtod(number.c_str(), nullptr);
    if (sign == '-' || value <= 0)
    {
        Fail(f.where, f.path, "must be greater than zero (got " + s + ")");
    }
    if (value * found->seconds > kMaxSeconds)
    {
        Fail(f.where, f.path, s + " is too large");
    }
    const Time t = Time::FromDouble(value, found->unit);
    if (!t.IsStrictlyPositive())
    {
        Fail(f.where, f.path, s + " is below the simulator's time resolution (rounds to zero)");
    }
    return t;
}

uint64_t
YamlFieldReader::Unsigned64(const YamlField& f) const
{
    const std::string s = Text(f);
    const std::string digits = s.substr(!s.empty() && s[0] == '+' ? 1 : 0);
    if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos)
    {
        if (digits.size() > 19)
        {
            Fail(f.where, f.path, s + " is too large");
        }
        return std::stoull(digits);
    }
    double value = 0;
    if (ParseNumber(s, value))
    {
        if (value < 0 || s[0] == '-')
        {
            Fail(f.where, f.path, "must not be negative (got " + s + ")");
        }
        if (value == std::floor(value) && value < 9.2e18)
        {
            return static_cast<uint64_t>(value); // 1e9, 2.5e6
        }
        Fail(f.where, f.path, "must be a whole number, not " + s);
    }
    Fail(f.where, f.path, "must be a whole number, not \"" + s + "\"");
}

double
YamlFieldReader::NonNegative(const YamlField& f) const
{
    const double value = Number(f);
    if (value < 0)
    {
        Fail(f.where, f.path, "must not be negative (got " + Text(f) + ")");
    }
    return value;
}

uint64_t
YamlFieldReader::Bytes(const YamlField& f) const
{
    const std::string s = Text(f);
    char sign = 0;
    std::string number;
    std::string unit;
    if (!SplitQuantity(s, true, sign, number, unit))
    {
        Fail(f.where, f.path, "\"" + s + "\" is not a size: write bytes, e.g. 25MiB or 4096");
    }
    if (sign == '-')
    {
        Fail(f.where, f.path, "must not be negative (got " + s + ")");
    }

    struct ByteUnit
    {
        const char* name;
        double bytes;
    };

    static const ByteUnit kUnits[] = {{"", 1.0},
                                      {"B", 1.0},
                                      {"KB", 1e3},
                                      {"MB", 1e6},
                                      {"GB", 1e9},
                                      {"TB", 1e12},
                                      {"KiB", 1024.0},
                                      {"MiB", 1048576.0},
                                      {"GiB", 1073741824.0},
                                      {"TiB", 1099511627776.0}};
    for (const auto& u : kUnits)
    {
        if (unit == u.name)
        {
            const double bytes = std::strtod(number.c_str(), nullptr) * u.bytes;
            if (!std::isfinite(bytes) || bytes >= 9.2e18)
            {
                Fail(f.where, f.path, s + " is too large");
            }
            return static_cast<uint64_t>(std::llround(bytes));
        }
    }
    Fail(f.where,
         f.path,
         "unknown size unit \"" + unit + "\" in \"" + s +
             "\" (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
}

std::string
YamlFieldReader::ReadFileText(const std::string& path, const std::string& kind) const
{
    const SourceLocation where{path, 0, 0};
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        Fail(where, "(file)", "is a directory, not " + kind);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        Fail(where, "(file)", std::string("cannot be read: ") + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
    {
        Fail(where, "(file)", std::string("cannot be read: ") + std::strerror(errno));
    }
    return text.str();
}

YAML::Node
YamlFieldReader::LoadDocument(const std::string& yaml,
                              const std::string& kind,
                              const std::string& emptyHint,
                              const std::vector<std::string>& topKeys) const
{
    const SourceLocation start{m_file, 1, 1};
    std::vector<YAML::Node> documents;
    try
    {
        std::istringstream in(yaml);
        YAML::Parser parser(in);
        DocumentWalk walk;
        while (parser.HandleNextDocument(walk))
        {
            if (walk.IsStuck())
            {
                Fail(SourceLocation{m_file, walk.GetLast().line + 1, walk.GetLast().column + 1},
                     "(syntax)",
                     "YAML syntax error: unexpected ',' outside a [list] or {map}");
            }
        }
        documents = YAML::LoadAll(yaml);
    }
    catch (const YAML::Exception& e)
    {
        const SourceLocation where =
            e.mark.is_null() ? start : SourceLocation{m_file, e.mark.line + 1, e.mark.column + 1};
        Fail(where, "(syntax)", "YAML syntax error: " + e.msg);
    }
    if (documents.size() > 1)
    {
        Fail(At(documents[1], start),
             "(document)",
             "holds " + std::to_string(documents.size()) + " YAML documents; " + kind +
                 " holds one");
    }
    if (documents.empty() || documents[0].IsNull())
    {
        Fail(start, "(document)", "is empty: " + emptyHint);
    }
    if (!documents[0].IsMap())
    {
        Fail(At(documents[0], start),
             "(document)",
             "must be a mapping of sections (" + Join(topKeys) + "), not " +
                 Describe(documents[0]));
    }
    return documents[0];
}

const std::map<std::string, SourceLocation>&
YamlFieldReader::GetLocations() const
{
    return m_locations;
}

const std::string&
YamlFieldReader::GetFile() const
{
    return m_file;
}

SourceLocation
YamlFieldReader::Locate(const std::string& field) const
{
    std::string path = field;
    while (!path.empty())
    {
        auto found = m_locations.find(path);
        if (found != m_locations.end())
        {
            return found->second;
        }
        const auto cut = path.find_last_of(".[");
        path = cut == std::string::npos ? "" : path.substr(0, cut);
    }
    return SourceLocation{m_file, 1, 1};
}

} // namespace ns3
