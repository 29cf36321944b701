/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef YAML_FIELD_READER_H
#define YAML_FIELD_READER_H

// Internal to the module (not installed): the readers of topology and workload files share it,
// so that both check their fields alike and report file:line:column and the field's path.

#include "topology-description.h"

#include "ns3/data-rate.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One key of a YAML mapping and its value, with the value's position.
 */
struct YamlField
{
    std::string path;     //!< the field's path ("fat-tree.radix")
    YAML::Node key;       //!< the key as written
    YAML::Node value;     //!< its value
    SourceLocation where; //!< the value's position (the key's when the value is empty)
};

/// \ingroup ai-fabric
/// The checked keys of one mapping.
using YamlFields = std::map<std::string, YamlField>;

/**
 * \ingroup ai-fabric
 * \brief Checked access to the fields of one YAML document: unknown keys (with a near-miss
 * suggestion), duplicates, missing fields, wrong types, numbers, sizes, rates and times with
 * units. Every problem goes to Fail() with the position and path of the field at fault; a
 * reader derives from this class and throws its own error type there.
 */
class YamlFieldReader
{
  public:
    /// \param file the name errors give the document
    explicit YamlFieldReader(const std::string& file);
    virtual ~YamlFieldReader();

    /**
     * \brief Report a problem through Raise(); never returns.
     * \param where the position
     * \param field the field's path
     * \param what what is wrong
     */
    [[noreturn]] void Fail(const SourceLocation& where,
                           const std::string& field,
                           const std::string& what) const;

    /**
     * \brief Throw the reader's own error type.
     * \param where the position
     * \param field the field's path
     * \param what what is wrong
     */
    virtual void Raise(const SourceLocation& where,
                       const std::string& field,
                       const std::string& what) const = 0;

    /**
     * \brief Read a whole file, failing with field "(file)" if it cannot be read.
     * \param path the path
     * \param kind what the file should be, for the error ("a topology file")
     * \return the text
     */
    std::string ReadFileText(const std::string& path, const std::string& kind) const;

    /**
     * \brief Parse text holding exactly one YAML document that is a mapping.
     * \param yaml the text
     * \param kind what the file is, for the errors ("a topology file")
     * \param emptyHint what an empty document lacks, for the error
     * \param topKeys the allowed top-level keys, named when the document is not a mapping
     * \return the root mapping
     */
    YAML::Node LoadDocument(const std::string& yaml,
                            const std::string& kind,
                            const std::string& emptyHint,
                            const std::vector<std::string>& topKeys) const;

    /// \return the 1-based position of a node, or fallback if it has none
    SourceLocation At(const YAML::Node& node, const SourceLocation& fallback) const;
    /// \return the path of key inside parent
    static std::string Child(const std::string& parent, const std::string& key);
    /// \return a name for what a node is ("a list", "a mapping"...)
    static std::string Describe(const YAML::Node& node);
    /// \return the words joined with ", "
    static std::string Join(const std::vector<std::string>& words);
    /// \return the words joined with ", " and a last " and "
    static std::string JoinAnd(const std::vector<std::string>& words);

    /**
     * \brief Check a mapping's keys and index them.
     * \param node the mapping
     * \param path its field path
     * \param where its position
     * \param allowed the keys allowed, or nullptr for any
     * \param context how the error names the mapping ("in fat-tree")
     * \return its fields by key
     */
    YamlFields Map(const YAML::Node& node,
                   const std::string& path,
                   const SourceLocation& where,
                   const std::vector<std::string>* allowed,
                   const std::string& context);
    /// Fail unless every key named is present.
    void Require(const YamlFields& fields,
                 const std::string& path,
                 const SourceLocation& where,
                 const std::vector<std::string>& keys,
                 const std::string& context) const;
    /// \return the entries of a list, each with its position
    std::vector<std::pair<YAML::Node, SourceLocation>> List(const YamlField& field) const;

    /// \return the scalar text of a field
    std::string Text(const YamlField& f) const;
    /// \return a whole number >= 0 that fits in 32 bits
    uint32_t Unsigned(const YamlField& f) const;
    /// \return a whole number >= 0 that fits in 64 bits
    uint64_t Unsigned64(const YamlField& f) const;
    /// \return a finite number
    double Number(const YamlField& f) const;
    /// \return a finite number >= 0
    double NonNegative(const YamlField& f) const;
    /// \return true or false
    bool Bool(const YamlField& f) const;
    /// \return a rate with a unit, > 0
    DataRate Rate(const YamlField& f) const;
    /// \return a time with a unit, > 0
    Time Duration(const YamlField& f) const;
    /**
     * \return a size in bytes >= 0: a whole number, or a number with a unit (B, KB, MB, GB,
     * TB decimal; KiB, MiB, GiB, TiB binary), e.g. 25MiB or 1.5GB
     */
    uint64_t Bytes(const YamlField& f) const;

    /// \return where each field path was written (filled by Map)
    const std::map<std::string, SourceLocation>& GetLocations() const;
    /// \return the document's name
    const std::string& GetFile() const;

    /**
     * \param path a field path, possibly never written ("plan.tp")
     * \return the position of it or of the nearest enclosing field written; the document's
     * start if none
     */
    SourceLocation Locate(const std::string& path) const;

  protected:
    std::string m_file;                                //!< the document's name
    std::map<std::string, SourceLocation> m_locations; //!< where each field path was written
};

} // namespace ns3

#endif /* YAML_FIELD_READER_H */
