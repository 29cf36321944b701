/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "job-trace.h"

#include "../fabric/yaml-field-reader.h"

#include "ns3/log.h"
#include "ns3/workload-reader.h"

#include <algorithm>
#include <cctype>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("JobTrace");

namespace
{

const std::vector<std::string> kTopKeys{"name", "jobs"};
const std::vector<std::string> kJobKeys{"name", "arrival", "workload", "gpus", "gpu", "iterations"};

/// Reads one job-trace document.
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

    /// \param yaml the text \param folder the trace's folder \return the trace
    JobTrace Read(const std::string& yaml, const std::string& folder)
    {
        const SourceLocation start{m_file, 1, 1};
        const YAML::Node root =
            LoadDocument(yaml, "a job trace", "a job trace needs jobs", kTopKeys);
        JobTrace t;
        t.file = m_file;
        const YamlFields top = Map(root, "", At(root, start), &kTopKeys, "at the top level");
        Require(top, "", start, {"jobs"}, "a job trace");
        if (top.count("name"))
        {
            t.name = Text(top.at("name"));
        }
        const auto entries = List(top.at("jobs"));
        if (entries.empty())
        {
            Fail(top.at("jobs").where, "jobs", "a job trace needs at least one job");
        }
        for (uint32_t i = 0; i < entries.size(); ++i)
        {
            const std::string path = "jobs[" + std::to_string(i) + "]";
            const YamlFields f =
                Map(entries[i].first, path, entries[i].second, &kJobKeys, "in a job");
            Require(f, path, entries[i].second, {"name", "workload", "gpus"}, "a job");
            TraceJob j;
            j.where = entries[i].second;
            j.name = Text(f.at("name"));
            for (const TraceJob& other : t.jobs)
            {
                if (other.name == j.name)
                {
                    Fail(f.at("name").where, f.at("name").path, "a second job '" + j.name + "'");
                }
            }
            j.arrival = Seconds(0);
            if (f.count("arrival"))
            {
                const YamlField& a = f.at("arrival");
                const std::string text = Text(a);
                const size_t digits = text.find_first_not_of("0.");
                if (!text.empty() && text[0] == '0' &&
                    (digits == std::string::npos || std::isalpha(text[digits])))
                {
                    j.arrival = Seconds(0);
                }
                else
                {
                    j.arrival = Duration(a);
                }
            }
            j.gpus = Unsigned(f.at("gpus"));
            if (j.gpus == 0)
            {
                Fail(f.at("gpus").where, f.at("gpus").path, "a job needs at least one GPU");
            }
            if (f.count("gpu"))
            {
                j.gpuType = Text(f.at("gpu"));
            }
            if (f.count("iterations"))
            {
                j.iterations = Unsigned(f.at("iterations"));
                if (j.iterations == 0)
                {
                    Fail(f.at("iterations").where, f.at("iterations").path, "must be >= 1");
                }
            }
            std::string file = Text(f.at("workload"));
            if (!file.empty() && file[0] != '/')
            {
                file = folder + "/" + file;
            }
            j.workload = WorkloadReader::ReadFile(file, 0);
            t.jobs.push_back(j);
        }
        std::stable_sort(t.jobs.begin(), t.jobs.end(), [](const TraceJob& a, const TraceJob& b) {
            return a.arrival < b.arrival;
        });
        return t;
    }
};

} // namespace

JobTrace
JobTraceReader::ReadFile(const std::string& path)
{
    NS_LOG_FUNCTION(path);
    Parser parser(path);
    const size_t slash = path.find_last_of('/');
    return parser.Read(parser.ReadFileText(path, "a job trace"),
                       slash == std::string::npos ? "." : path.substr(0, slash));
}

JobTrace
JobTraceReader::ReadString(const std::string& yaml,
                           const std::string& file,
                           const std::string& folder)
{
    NS_LOG_FUNCTION(file);
    return Parser(file).Read(yaml, folder);
}

} // namespace ns3
