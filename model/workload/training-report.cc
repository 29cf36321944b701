/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "training-report.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ns3
{

namespace
{

/**
 * \param t a time
 * \return it in microseconds
 */
double
Us(Time t)
{
    return t.GetPicoSeconds() / 1e6;
}

/**
 * \param report a report
 * \return its JSON object
 */
nlohmann::json
ToJson(const TrainingReport& report)
{
    nlohmann::json j;
    j["workload"] = report.workload;
    j["backend"] = report.backend;
    j["mode"] = report.mode;
    j["gpus"] = report.gpus;
    j["workers"] = report.workers;
    j["plan"] = report.plan;
    j["model_flops_per_iteration"] = report.modelFlopsPerIteration;
    j["completed_iterations"] = report.completedIterations;
    j["max_clock_gap"] = report.maxClockGap;
    j["max_staleness"] = report.maxStaleness;
    if (report.events > 0)
    {
        j["events"] = report.events;
    }
    if (report.wallSeconds > 0)
    {
        j["wall_s"] = report.wallSeconds;
    }
    nlohmann::json iterations = nlohmann::json::array();
    for (const auto& it : report.iterations)
    {
        iterations.push_back({{"iteration", it.iteration},
                              {"end_us", Us(it.end)},
                              {"time_us", Us(it.time)},
                              {"compute_us", Us(it.compute)},
                              {"communication_us", Us(it.communication)},
                              {"exposed_us", Us(it.exposed)},
                              {"memory_us", Us(it.memory)},
                              {"exposed_memory_us", Us(it.exposedMemory)},
                              {"idle_us", Us(it.idle)},
                              {"workers", it.workers},
                              {"mfu", it.mfu}});
    }
    j["iterations"] = iterations;
    nlohmann::json workers = nlohmann::json::array();
    for (const auto& r : report.perWorker)
    {
        workers.push_back({{"worker", r.worker},
                           {"iteration", r.iteration},
                           {"start_us", Us(r.start)},
                           {"end_us", Us(r.end)},
                           {"compute_us", Us(r.compute)},
                           {"communication_us", Us(r.communication)},
                           {"exposed_us", Us(r.exposed)},
                           {"memory_us", Us(r.memory)},
                           {"exposed_memory_us", Us(r.exposedMemory)},
                           {"idle_us", Us(r.idle)},
                           {"slowdown", r.slowdown},
                           {"staleness", r.staleness}});
    }
    j["per_worker"] = workers;
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : report.groups)
    {
        groups.push_back({{"group", g.group},
                          {"ops", g.ops},
                          {"bytes", g.bytes},
                          {"time_us", Us(g.time)},
                          {"analytical_time_us", Us(g.analyticalSum)}});
    }
    j["communicators"] = groups;
    if (report.measuredLinks)
    {
        nlohmann::json classes = nlohmann::json::array();
        for (const auto& c : report.links.classes)
        {
            classes.push_back({{"class", c.name},
                               {"ports", c.ports},
                               {"active_ports", c.activePorts},
                               {"bytes", c.bytes},
                               {"busiest", c.busiest},
                               {"mean", c.mean},
                               {"busiest_port", c.busiestPort},
                               {"credit_stall_us", Us(c.creditStall)}});
        }
        nlohmann::json ports = nlohmann::json::array();
        for (const auto& p : report.ports)
        {
            ports.push_back({{"port", p.name},
                             {"class", p.linkClass},
                             {"bytes", p.bytes},
                             {"utilisation", p.utilisation},
                             {"credit_stall_us", Us(p.creditStall)}});
        }
        const Time period = report.hotPortSamplePeriod;
        const bool sampled = period.IsStrictlyPositive();
        size_t samples = 0;
        nlohmann::json hot = nlohmann::json::array();
        for (const auto& h : report.hotPorts)
        {
            nlohmann::json port = {{"port", h.name},
                                   {"switch", h.switchName},
                                   {"index", h.port},
                                   {"above_threshold_us", Us(h.aboveThreshold)},
                                   {"max_queue_bytes", h.maxQueueBytes},
                                   {"credit_stall_us", Us(h.creditStall)}};
            if (sampled)
            {
                nlohmann::json stall = nlohmann::json::array();
                for (size_t i = 0; i < h.stallSeries.size(); ++i)
                {
                    stall.push_back(h.GetStallFraction(i, period));
                }
                port["queue_bytes_series"] = h.queueSeries;
                port["credit_stall_series"] = stall;
                samples = std::max(samples, h.queueSeries.size());
            }
            hot.push_back(std::move(port));
        }
        j["links"] = {{"duration_us", Us(report.links.duration)},
                      {"bound_by", report.links.GetBoundBy()},
                      {"credit_stall_share", report.links.creditStallShare},
                      {"classes", classes},
                      {"ports", ports},
                      {"hot_ports", hot}};
        if (sampled)
        {
            j["links"]["hot_port_series"] = {{"start_us", Us(report.hotPortSampleStart)},
                                             {"period_us", Us(period)},
                                             {"samples", samples}};
        }
    }
    return j;
}

} // namespace

std::vector<WorkerIterationRecord>
TrainingReport::GetWorker(uint32_t worker) const
{
    std::vector<WorkerIterationRecord> records;
    for (const auto& r : perWorker)
    {
        if (r.worker == worker)
        {
            records.push_back(r);
        }
    }
    return records;
}

void
TrainingReport::WriteJson(std::ostream& os, const TrainingReport* analytical) const
{
    nlohmann::json j;
    j["schema"] = "ai-fabric training report 1";
    j[backend] = ToJson(*this);
    if (analytical)
    {
        j[analytical->backend] = ToJson(*analytical);
    }
    os << j.dump(1) << "\n";
}

} // namespace ns3
