/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "training-timeline.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace ns3
{

void
TrainingTimeline::Add(uint32_t worker,
                      const std::string& track,
                      const std::string& label,
                      Time start,
                      Time end)
{
    auto it = std::find(m_tracks.begin(), m_tracks.end(), track);
    const uint32_t index = static_cast<uint32_t>(it - m_tracks.begin());
    if (it == m_tracks.end())
    {
        m_tracks.push_back(track);
    }
    m_spans.push_back(Span{worker, index, label, start, end});
}

const std::vector<TrainingTimeline::Span>&
TrainingTimeline::GetSpans() const
{
    return m_spans;
}

const std::vector<std::string>&
TrainingTimeline::GetTracks() const
{
    return m_tracks;
}

void
TrainingTimeline::WriteChromeTrace(std::ostream& os,
                                   const std::vector<std::string>& workerNames) const
{
    // Chrome's trace format counts in microseconds; fractions keep nanoseconds.
    auto us = [](Time t) { return t.GetPicoSeconds() / 1e6; };
    nlohmann::json events = nlohmann::json::array();
    std::set<std::pair<uint32_t, uint32_t>> threads;
    std::set<uint32_t> processes;
    for (const auto& span : m_spans)
    {
        processes.insert(span.worker);
        threads.insert({span.worker, span.track});
        events.push_back({{"name", span.label},
                          {"cat", m_tracks[span.track]},
                          {"ph", "X"},
                          {"ts", us(span.start)},
                          {"dur", us(span.end - span.start)},
                          {"pid", span.worker},
                          {"tid", span.track}});
    }
    for (uint32_t worker : processes)
    {
        const std::string name = worker < workerNames.size() && !workerNames[worker].empty()
                                     ? workerNames[worker]
                                     : "worker " + std::to_string(worker);
        events.push_back(
            {{"name", "process_name"}, {"ph", "M"}, {"pid", worker}, {"args", {{"name", name}}}});
        events.push_back({{"name", "process_sort_index"},
                          {"ph", "M"},
                          {"pid", worker},
                          {"args", {{"sort_index", worker}}}});
    }
    for (const auto& [worker, track] : threads)
    {
        events.push_back({{"name", "thread_name"},
                          {"ph", "M"},
                          {"pid", worker},
                          {"tid", track},
                          {"args", {{"name", m_tracks[track]}}}});
    }
    nlohmann::json trace = {{"traceEvents", events}, {"displayTimeUnit", "ns"}};
    os << trace.dump() << "\n";
}

} // namespace ns3
