/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "cell-scheduler.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <limits>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CellScheduler");

CellScheduler::CellScheduler(ClusterSpec cluster, Estimator estimate)
    : m_cluster(std::move(cluster)),
      m_estimate(std::move(estimate))
{
    if (m_cluster.gpuType.size() != m_cluster.server.size() || m_cluster.gpuType.empty())
    {
        throw FabricConfigError("CellScheduler", "the cluster needs a type and a server per rank");
    }
}

std::vector<std::string>
CellScheduler::GetGpuTypes() const
{
    std::vector<std::string> types;
    for (const std::string& t : m_cluster.gpuType)
    {
        if (std::find(types.begin(), types.end(), t) == types.end())
        {
            types.push_back(t);
        }
    }
    return types;
}

std::vector<uint32_t>
CellScheduler::Allocate(const std::vector<bool>& free, const std::string& type, uint32_t gpus) const
{
    // Servers of this type: their ranks and free ranks, in rank order.
    std::map<uint32_t, std::pair<std::vector<uint32_t>, std::vector<uint32_t>>> servers;
    std::vector<uint32_t> order;
    for (uint32_t r = 0; r < m_cluster.gpuType.size(); ++r)
    {
        if (m_cluster.gpuType[r] != type)
        {
            continue;
        }
        auto& s = servers[m_cluster.server[r]];
        if (s.first.empty())
        {
            order.push_back(m_cluster.server[r]);
        }
        s.first.push_back(r);
        if (free[r])
        {
            s.second.push_back(r);
        }
    }
    if (order.empty())
    {
        return {};
    }
    const uint32_t perServer = static_cast<uint32_t>(servers[order[0]].first.size());
    std::vector<uint32_t> ranks;
    if (gpus >= perServer)
    {
        if (gpus % perServer != 0)
        {
            return {};
        }
        for (uint32_t s : order)
        {
            if (servers[s].second.size() == servers[s].first.size() && ranks.size() < gpus)
            {
                ranks.insert(ranks.end(), servers[s].first.begin(), servers[s].first.end());
            }
        }
        return ranks.size() == gpus ? ranks : std::vector<uint32_t>();
    }
    // Best fit: the server with the fewest free GPUs that still hold the job.
    uint32_t best = UINT32_MAX;
    for (uint32_t s : order)
    {
        const size_t n = servers[s].second.size();
        if (n >= gpus && (best == UINT32_MAX || n < servers[best].second.size()))
        {
            best = s;
        }
    }
    if (best == UINT32_MAX)
    {
        return {};
    }
    const auto& f = servers[best].second;
    return std::vector<uint32_t>(f.begin(), f.begin() + gpus);
}

JobCell
CellScheduler::SearchCell(const TraceJob& job,
                          uint32_t index,
                          const std::string& type,
                          uint32_t gpus,
                          uint32_t pp)
{
    const auto key = std::make_tuple(index, type, gpus, pp);
    auto it = m_cells.find(key);
    if (it != m_cells.end())
    {
        return it->second;
    }
    JobCell best;
    best.job = index;
    best.gpuType = type;
    best.gpus = gpus;
    best.pp = pp;
    best.iteration = Time();
    if (gpus % pp == 0)
    {
        for (uint32_t tp = 1; tp <= 8 && tp <= gpus / pp; tp *= 2)
        {
            if ((gpus / pp) % tp != 0)
            {
                continue;
            }
            JobCell c = best;
            c.tp = tp;
            c.dp = gpus / pp / tp;
            c.iteration = m_estimate(job, c);
            best.candidates++;
            if (c.iteration.IsStrictlyPositive() &&
                (!best.iteration.IsStrictlyPositive() || c.iteration < best.iteration))
            {
                c.candidates = best.candidates;
                best = c;
            }
        }
    }
    m_cells[key] = best;
    return best;
}

std::vector<JobPlacement>
CellScheduler::Schedule(const JobTrace& trace, Policy policy)
{
    NS_LOG_FUNCTION(trace.name << policy);
    const uint32_t nJobs = static_cast<uint32_t>(trace.jobs.size());
    const uint32_t nRanks = static_cast<uint32_t>(m_cluster.gpuType.size());
    std::vector<JobPlacement> out(nJobs);
    const std::vector<bool> empty(nRanks, true);
    const std::vector<std::string> types = GetGpuTypes();

    // The Cells a job may run in (CELLS) or its one fixed plan per type (FCFS).
    auto options = [&](uint32_t j) {
        const TraceJob& job = trace.jobs[j];
        std::vector<JobCell> cells;
        for (const std::string& type : types)
        {
            if (!job.gpuType.empty() && policy == FCFS && job.gpuType != type)
            {
                continue;
            }
            if (policy == FCFS)
            {
                JobCell c;
                c.job = j;
                c.gpuType = type;
                c.gpus = job.gpus;
                c.pp = job.workload.plan.pp;
                c.tp = job.workload.plan.tp;
                if (c.gpus % (c.pp * c.tp) != 0)
                {
                    continue;
                }
                c.dp = c.gpus / (c.pp * c.tp);
                c.iteration = m_estimate(job, c);
                c.candidates = 1;
                if (c.iteration.IsStrictlyPositive())
                {
                    cells.push_back(c);
                }
                continue;
            }
            for (uint32_t gpus : {job.gpus / 2, job.gpus, job.gpus * 2})
            {
                if (gpus == 0)
                {
                    continue;
                }
                for (uint32_t pp : {1u, 2u, 4u})
                {
                    const JobCell c = SearchCell(job, j, type, gpus, pp);
                    if (c.iteration.IsStrictlyPositive())
                    {
                        cells.push_back(c);
                    }
                }
            }
        }
        return cells;
    };
    std::vector<std::vector<JobCell>> cells(nJobs);
    for (uint32_t j = 0; j < nJobs; ++j)
    {
        out[j].job = j;
        const std::vector<JobCell> all = options(j);
        for (const JobCell& c : all)
        {
            if (!Allocate(empty, c.gpuType, c.gpus).empty())
            {
                cells[j].push_back(c);
            }
        }
        out[j].placed = !cells[j].empty();
        if (!out[j].placed)
        {
            out[j].reason = all.empty() ? "no plan of it is feasible on any GPU type"
                                        : "its GPUs fit nowhere in the cluster";
        }
    }

    std::vector<bool> free(nRanks, true);
    std::vector<int> owner(nRanks, -1);
    std::vector<uint32_t> waiting;
    std::vector<std::pair<Time, uint32_t>> running; // (end, job)
    uint32_t next = 0;
    uint32_t done = 0;
    Time now = Seconds(0);
    auto start = [&](uint32_t j, const JobCell& c, std::vector<uint32_t> ranks) {
        JobPlacement& p = out[j];
        p.cell = c;
        p.ranks = std::move(ranks);
        p.start = now;
        p.end = now + c.iteration * static_cast<int64_t>(trace.jobs[j].iterations);
        p.waited = now - trace.jobs[j].arrival;
        std::set<uint32_t> after;
        for (uint32_t r : p.ranks)
        {
            NS_ASSERT_MSG(free[r], "rank given twice");
            free[r] = false;
            if (owner[r] >= 0)
            {
                after.insert(static_cast<uint32_t>(owner[r]));
            }
            owner[r] = static_cast<int>(j);
        }
        p.after.assign(after.begin(), after.end());
        running.emplace_back(p.end, j);
    };
    auto duration = [&](uint32_t j, const JobCell& c) {
        return c.iteration * static_cast<int64_t>(trace.jobs[j].iterations);
    };
    while (done < nJobs)
    {
        // Next event: an arrival or a completion.
        Time t = Time::Max();
        if (next < nJobs)
        {
            t = trace.jobs[next].arrival;
        }
        for (const auto& [end, j] : running)
        {
            t = std::min(t, end);
        }
        if (t == Time::Max())
        {
            break; // nothing runs and nothing arrives: the rest wait forever (cannot happen)
        }
        now = std::max(now, t);
        for (auto it = running.begin(); it != running.end();)
        {
            if (it->first <= now)
            {
                for (uint32_t r : out[it->second].ranks)
                {
                    free[r] = true;
                }
                ++done;
                it = running.erase(it);
            }
            else
            {
                ++it;
            }
        }
        while (next < nJobs && trace.jobs[next].arrival <= now)
        {
            if (out[next].placed)
            {
                waiting.push_back(next);
            }
            else
            {
                ++done;
            }
            ++next;
        }
        for (auto it = waiting.begin(); it != waiting.end();)
        {
            const uint32_t j = *it;
            const JobCell* chosen = nullptr;
            std::vector<uint32_t> ranks;
            Time bestEver = Time::Max();
            for (const JobCell& c : cells[j])
            {
                bestEver = std::min(bestEver, duration(j, c));
            }
            for (const JobCell& c : cells[j])
            {
                std::vector<uint32_t> r = Allocate(free, c.gpuType, c.gpus);
                if (r.empty())
                {
                    continue;
                }
                if (!chosen || duration(j, c) < duration(j, *chosen))
                {
                    chosen = &c;
                    ranks = std::move(r);
                }
                if (policy == FCFS)
                {
                    break; // the first type where it fits
                }
            }
            // Crius waits for a better Cell when the free ones would more than double the
            // job's run time.
            if (chosen && policy == CELLS && duration(j, *chosen) > bestEver * 2 &&
                !running.empty())
            {
                chosen = nullptr;
                out[j].reason = "waited for a better JobCell";
            }
            if (chosen)
            {
                start(j, *chosen, ranks);
                it = waiting.erase(it);
                continue;
            }
            if (out[j].reason.empty())
            {
                out[j].reason = "waited for free GPUs";
            }
            if (policy == FCFS)
            {
                break; // the head of the queue blocks the rest
            }
            ++it;
        }
    }
    return out;
}

ScheduleSummary
SummariseSchedule(const JobTrace& trace,
                  const std::vector<JobPlacement>& placements,
                  const std::vector<Time>& ends)
{
    ScheduleSummary s;
    Time first = Time::Max();
    Time last = Seconds(0);
    double samples = 0;
    double jct = 0;
    for (uint32_t i = 0; i < placements.size(); ++i)
    {
        const JobPlacement& p = placements[i];
        const TraceJob& job = trace.jobs[p.job];
        if (!p.placed)
        {
            ++s.unplaced;
            continue;
        }
        ++s.placed;
        const Time end = ends.empty() ? p.end : ends[i];
        first = std::min(first, job.arrival);
        last = std::max(last, end);
        jct += (end - job.arrival).GetSeconds();
        samples += double(job.iterations) * job.workload.training.globalBatch;
    }
    if (s.placed > 0)
    {
        s.meanJct = jct / s.placed;
        s.makespan = (last - first).GetSeconds();
        s.throughput = s.makespan > 0 ? samples / s.makespan : 0;
    }
    return s;
}

} // namespace ns3
