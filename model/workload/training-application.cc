/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "training-application.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TrainingApplication");

NS_OBJECT_ENSURE_REGISTERED(TrainingApplication);

namespace
{

/**
 * \param spans intervals
 * \return the same time as disjoint intervals, sorted
 */
std::vector<std::pair<Time, Time>>
Merge(std::vector<std::pair<Time, Time>> spans)
{
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<Time, Time>> merged;
    for (const auto& span : spans)
    {
        if (!merged.empty() && span.first <= merged.back().second)
        {
            merged.back().second = std::max(merged.back().second, span.second);
        }
        else
        {
            merged.push_back(span);
        }
    }
    return merged;
}

/**
 * \param spans disjoint intervals
 * \return their total length
 */
Time
Length(const std::vector<std::pair<Time, Time>>& spans)
{
    Time total;
    for (const auto& [a, b] : spans)
    {
        total += b - a;
    }
    return total;
}

/**
 * \param a disjoint sorted intervals
 * \param b disjoint sorted intervals
 * \return the length of their intersection
 */
Time
Overlap(const std::vector<std::pair<Time, Time>>& a, const std::vector<std::pair<Time, Time>>& b)
{
    Time total;
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() && j < b.size())
    {
        const Time lo = std::max(a[i].first, b[j].first);
        const Time hi = std::min(a[i].second, b[j].second);
        if (hi > lo)
        {
            total += hi - lo;
        }
        if (a[i].second < b[j].second)
        {
            ++i;
        }
        else
        {
            ++j;
        }
    }
    return total;
}

} // namespace

TypeId
TrainingApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TrainingApplication")
                            .SetParent<Application>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<TrainingApplication>();
    return tid;
}

TrainingApplication::TrainingApplication()
{
    NS_LOG_FUNCTION(this);
}

TrainingApplication::~TrainingApplication()
{
    NS_LOG_FUNCTION(this);
}

void
TrainingApplication::DoDispose()
{
    m_job = nullptr;
    m_program = nullptr;
    m_dependents = nullptr;
    Application::DoDispose();
}

void
TrainingApplication::Setup(Ptr<TrainingJob> job, uint32_t worker)
{
    if (!job || worker >= job->GetGraph().GetNWorkers())
    {
        throw FabricConfigError("TrainingApplication",
                                "worker " + std::to_string(worker) + " is not in the job (" +
                                    std::to_string(job ? job->GetGraph().GetNWorkers() : 0) +
                                    " workers)");
    }
    m_job = job;
    m_worker = worker;
    m_program = &job->GetGraph().GetProgram(worker);
    m_dependents = &job->GetDependents(*m_program);
}

uint32_t
TrainingApplication::GetWorker() const
{
    return m_worker;
}

uint32_t
TrainingApplication::GetCompletedIterations() const
{
    return m_completed;
}

void
TrainingApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!m_job)
    {
        throw FabricConfigError("TrainingApplication", "started without Setup()");
    }
    m_running = true;
    m_iterationStart = Simulator::Now();
    StartIteration();
}

void
TrainingApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    // The iteration under way finishes (its peers wait for it); no new one starts.
    m_running = false;
}

void
TrainingApplication::StartIteration()
{
    const uint32_t limit = m_job->GetIterations();
    if (!m_running || m_inIteration || (limit > 0 && m_iteration >= limit))
    {
        return;
    }
    if (!m_job->MayStart(m_worker,
                         m_iteration,
                         MakeCallback(&TrainingApplication::StartIteration, this)))
    {
        return;
    }
    NS_LOG_INFO("worker " << m_worker << " starts iteration " << m_iteration);
    m_inIteration = true;
    m_job->NotifyStart(m_worker, m_iteration);
    m_slowdown = m_job->GetSlowdown(m_worker, m_iteration);
    m_computeSpans.clear();
    m_commSpans.clear();
    m_memorySpans.clear();
    const auto& nodes = m_program->nodes;
    m_waiting.resize(nodes.size());
    m_left = static_cast<uint32_t>(nodes.size());
    std::vector<uint32_t> roots;
    for (uint32_t i = 0; i < nodes.size(); ++i)
    {
        m_waiting[i] = static_cast<uint32_t>(nodes[i].deps.size());
        if (m_waiting[i] == 0)
        {
            roots.push_back(i);
        }
    }
    if (nodes.empty())
    {
        Simulator::ScheduleNow(&TrainingApplication::EndIteration, this);
        return;
    }
    for (uint32_t i : roots)
    {
        Ready(i);
    }
}

void
TrainingApplication::Ready(uint32_t node)
{
    const GraphNode& n = m_program->nodes[node];
    if (n.compute)
    {
        m_computeQueue.push_back(node);
        RunCompute();
        return;
    }
    if (n.memory != MemoryAccess::NONE)
    {
        m_job->Access(m_worker,
                      node,
                      MakeCallback(&TrainingApplication::MemoryDone, this).Bind(node));
        return;
    }
    m_job->Arrive(m_worker,
                  m_iteration,
                  node,
                  MakeCallback(&TrainingApplication::CollectiveDone, this).Bind(node));
}

void
TrainingApplication::MemoryDone(uint32_t node, Time start, Time end)
{
    if (end > start)
    {
        m_memorySpans.emplace_back(start, end);
        m_job->Record(m_worker,
                      "memory " + MemoryAccessName(m_program->nodes[node].memory),
                      m_program->nodes[node].label,
                      start,
                      end);
    }
    Finish(node);
}

void
TrainingApplication::RunCompute()
{
    if (m_computeBusy || m_computeQueue.empty())
    {
        return;
    }
    const uint32_t node = m_computeQueue.front();
    m_computeQueue.pop_front();
    m_computeBusy = true;
    const Time duration = m_job->GetComputeTime(m_worker, m_program->nodes[node]) * m_slowdown;
    const Time now = Simulator::Now();
    m_computeSpans.emplace_back(now, now + duration);
    Simulator::Schedule(duration, &TrainingApplication::ComputeDone, this, node);
}

void
TrainingApplication::ComputeDone(uint32_t node)
{
    m_computeBusy = false;
    const auto& span = m_computeSpans.back();
    m_job->Record(m_worker, "compute", m_program->nodes[node].label, span.first, span.second);
    Finish(node);
    RunCompute();
}

void
TrainingApplication::CollectiveDone(uint32_t node, Time start, Time end)
{
    const GraphNode& n = m_program->nodes[node];
    if (end > start)
    {
        m_commSpans.emplace_back(start, end);
        // An imported trace's explicit group names its own track ("pg 0", "p2p 0->1").
        m_job->Record(m_worker,
                      n.instance == UINT32_MAX ? WorkloadGroupName(n.group)
                                               : m_job->GetGraph().GetGroups().at(n.instance).name,
                      n.label,
                      start,
                      end);
    }
    Finish(node);
}

void
TrainingApplication::Finish(uint32_t node)
{
    for (uint32_t next : (*m_dependents)[node])
    {
        if (--m_waiting[next] == 0)
        {
            Ready(next);
        }
    }
    if (--m_left == 0)
    {
        EndIteration();
    }
}

void
TrainingApplication::EndIteration()
{
    WorkerIterationRecord record;
    record.worker = m_worker;
    record.iteration = m_iteration;
    record.start = m_iterationStart;
    record.end = Simulator::Now();
    record.slowdown = m_slowdown;
    const auto compute = Merge(m_computeSpans);
    const auto comm = Merge(m_commSpans);
    record.compute = Length(compute);
    record.communication = Length(comm);
    record.exposed = record.communication - Overlap(comm, compute);
    if (!m_memorySpans.empty())
    {
        // Memory time hidden neither behind compute nor behind communication.
        auto busy = m_computeSpans;
        busy.insert(busy.end(), m_commSpans.begin(), m_commSpans.end());
        const auto memory = Merge(m_memorySpans);
        record.memory = Length(memory);
        record.exposedMemory = record.memory - Overlap(memory, Merge(busy));
    }
    record.idle =
        record.end - record.start - record.compute - record.exposed - record.exposedMemory;
    NS_LOG_INFO("worker " << m_worker << " ends iteration " << m_iteration << " after "
                          << (record.end - record.start).As(Time::US));
    m_inIteration = false;
    ++m_completed;
    ++m_iteration;
    m_iterationStart = record.end;
    m_job->NotifyIteration(record);
    StartIteration();
}

} // namespace ns3
