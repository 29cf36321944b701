/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-fault-schedule.h"

#include "yaml-field-reader.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FaultScheduleReader");

namespace
{

const std::vector<std::string> kFaultKeys{"bit-error-rate", "sweep-delay", "events"};
const std::vector<std::string> kEventKeys{"at", "state", "switch", "a", "b"};

/// Reads the faults section of one document; the other sections are left to TopologyReader.
class FaultParser : public YamlFieldReader
{
  public:
    /// \param file the name errors give the document
    explicit FaultParser(const std::string& file)
        : YamlFieldReader(file)
    {
    }

    void Raise(const SourceLocation& where,
               const std::string& field,
               const std::string& what) const override
    {
        throw TopologyError(where, field, what);
    }

    /// \param yaml the text \return the schedule
    FaultScheduleSpec Read(const std::string& yaml)
    {
        const YAML::Node root = LoadDocument(yaml, "a topology file", "", {"faults"});
        FaultScheduleSpec spec;
        const SourceLocation start{m_file, 1, 1};
        const YamlFields top = Map(root, "", At(root, start), nullptr, "at the top level");
        if (!top.count("faults"))
        {
            return spec;
        }
        spec.present = true;
        const YamlField& section = top.at("faults");
        const YamlFields fields =
            Map(section.value, "faults", section.where, &kFaultKeys, "in faults");
        if (fields.count("bit-error-rate"))
        {
            const YamlField& f = fields.at("bit-error-rate");
            spec.bitErrorRate = NonNegative(f);
            if (spec.bitErrorRate >= 1.0)
            {
                Fail(f.where, f.path, "a bit-error rate is below 1 (e.g. 1e-12)");
            }
        }
        if (fields.count("sweep-delay"))
        {
            spec.sweepDelay = Duration(fields.at("sweep-delay"));
        }
        if (fields.count("events"))
        {
            const YamlField& list = fields.at("events");
            const auto entries = List(list);
            for (size_t i = 0; i < entries.size(); ++i)
            {
                FaultEventSpec event;
                event.field = list.path + "[" + std::to_string(i) + "]";
                event.where = entries[i].second;
                const YamlFields e =
                    Map(entries[i].first, event.field, event.where, &kEventKeys, "in an event");
                Require(e, event.field, event.where, {"at", "state"}, "every event");
                event.at = Duration(e.at("at"));
                const std::string state = Text(e.at("state"));
                if (state != "down" && state != "up")
                {
                    Fail(e.at("state").where,
                         e.at("state").path,
                         "a state is down or up (got \"" + state + "\")");
                }
                event.up = state == "up";
                const bool isSwitch = e.count("switch") > 0;
                const bool isCable = e.count("a") > 0 || e.count("b") > 0;
                if (isSwitch == isCable)
                {
                    Fail(event.where,
                         event.field,
                         "an event names a switch (switch: NAME) or a cable (a: NAME, b: NAME), "
                         "not both or neither");
                }
                if (isSwitch)
                {
                    event.switchName = Text(e.at("switch"));
                }
                else
                {
                    Require(e, event.field, event.where, {"a", "b"}, "a cable event");
                    event.a = Text(e.at("a"));
                    event.b = Text(e.at("b"));
                }
                spec.events.push_back(event);
            }
        }
        NS_LOG_LOGIC(m_file << ": " << spec.events.size() << " fault events");
        return spec;
    }
};

} // namespace

FaultScheduleSpec
FaultScheduleReader::ReadFile(const std::string& path)
{
    NS_LOG_FUNCTION(path);
    FaultParser parser(path);
    return parser.Read(parser.ReadFileText(path, "a topology file"));
}

FaultScheduleSpec
FaultScheduleReader::ReadString(const std::string& yaml, const std::string& name)
{
    NS_LOG_FUNCTION(name);
    return FaultParser(name).Read(yaml);
}

} // namespace ns3
