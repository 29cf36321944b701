/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "execution-graph.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ExecutionGraph");

std::string
WorkloadGroupName(WorkloadGroup group)
{
    switch (group)
    {
    case WorkloadGroup::TP:
        return "tp";
    case WorkloadGroup::DP:
        return "dp";
    case WorkloadGroup::EP:
        return "ep";
    case WorkloadGroup::FWD_SEND:
    case WorkloadGroup::FWD_RECV:
        return "pp-fwd";
    case WorkloadGroup::BWD_SEND:
    case WorkloadGroup::BWD_RECV:
        return "pp-bwd";
    case WorkloadGroup::EDP:
        return "expert-dp";
    }
    return "?";
}

bool
operator==(const GraphNode& a, const GraphNode& b)
{
    return a.compute == b.compute && a.task.kind == b.task.kind && a.task.flops == b.task.flops &&
           a.task.hbmBytes == b.task.hbmBytes && a.task.dtype == b.task.dtype &&
           a.task.measured == b.task.measured && a.phase == b.phase && a.group == b.group &&
           a.op == b.op && a.bytes == b.bytes && a.seq == b.seq && a.microBatch == b.microBatch &&
           a.chunk == b.chunk && a.layer == b.layer && a.label == b.label && a.deps == b.deps &&
           a.instance == b.instance && a.memory == b.memory;
}

std::string
MemoryAccessName(MemoryAccess access)
{
    switch (access)
    {
    case MemoryAccess::LOAD:
        return "load";
    case MemoryAccess::STORE:
        return "store";
    default:
        return "none";
    }
}

bool
operator!=(const GraphNode& a, const GraphNode& b)
{
    return !(a == b);
}

ExecutionGraph::ExecutionGraph() = default;

ExecutionGraph::ExecutionGraph(const WorkloadDescription& workload,
                               const WorkloadPlacement& placement,
                               std::vector<std::shared_ptr<const RankProgram>> programs)
    : m_workload(workload),
      m_placement(placement),
      m_programs(std::move(programs))
{
}

ExecutionGraph::ExecutionGraph(const WorkloadDescription& workload,
                               const WorkloadPlacement& placement,
                               std::vector<std::shared_ptr<const RankProgram>> programs,
                               std::vector<uint32_t> programOf,
                               std::vector<GroupInstance> groups)
    : m_workload(workload),
      m_placement(placement),
      m_programs(std::move(programs)),
      m_programOf(std::move(programOf)),
      m_groups(std::move(groups))
{
    NS_LOG_FUNCTION(this);
    if (!m_programOf.empty() && m_programOf.size() != m_placement.GetNWorkers())
    {
        throw FabricConfigError("ExecutionGraph",
                                "programOf has " + std::to_string(m_programOf.size()) +
                                    " entries for " + std::to_string(GetNWorkers()) + " workers");
    }
    for (uint32_t p : m_programOf)
    {
        if (p >= m_programs.size())
        {
            throw FabricConfigError("ExecutionGraph",
                                    "program index " + std::to_string(p) + " out of range");
        }
    }
    for (size_t i = 0; i < m_groups.size(); ++i)
    {
        // Explicit groups get ids of their own kind, above every WorkloadGroup's.
        m_groups[i].id = (uint64_t(0xff) << 56) | i;
        m_groups[i].self = 0;
    }
}

const WorkloadDescription&
ExecutionGraph::GetWorkload() const
{
    return m_workload;
}

const WorkloadPlacement&
ExecutionGraph::GetPlacement() const
{
    return m_placement;
}

uint32_t
ExecutionGraph::GetNWorkers() const
{
    return m_placement.GetNWorkers();
}

const RankProgram&
ExecutionGraph::GetProgram(uint32_t worker) const
{
    return *m_programs.at(GetProgramIndex(worker));
}

uint32_t
ExecutionGraph::GetProgramIndex(uint32_t worker) const
{
    return m_programOf.empty() ? m_placement.GetCoord(worker).pp : m_programOf.at(worker);
}

const std::vector<GroupInstance>&
ExecutionGraph::GetGroups() const
{
    return m_groups;
}

GroupInstance
ExecutionGraph::GetGroup(uint32_t worker, const GraphNode& node) const
{
    if (node.instance == UINT32_MAX)
    {
        return GetGroup(worker, node.group);
    }
    if (node.instance >= m_groups.size())
    {
        throw FabricConfigError("ExecutionGraph",
                                "worker " + std::to_string(worker) + ": group index " +
                                    std::to_string(node.instance) + " out of range");
    }
    GroupInstance g = m_groups[node.instance];
    auto it = std::find(g.workers.begin(), g.workers.end(), worker);
    if (it == g.workers.end())
    {
        throw FabricConfigError("ExecutionGraph",
                                "worker " + std::to_string(worker) + " is not a member of group '" +
                                    g.name + "'");
    }
    g.self = static_cast<uint32_t>(it - g.workers.begin());
    return g;
}

const std::vector<std::shared_ptr<const RankProgram>>&
ExecutionGraph::GetPrograms() const
{
    return m_programs;
}

uint64_t
ExecutionGraph::GetTotalNodes() const
{
    uint64_t n = 0;
    for (uint32_t w = 0; w < GetNWorkers(); ++w)
    {
        n += GetProgram(w).nodes.size();
    }
    return n;
}

GroupInstance
ExecutionGraph::GetGroup(uint32_t worker, WorkloadGroup group) const
{
    const RankCoord c = m_placement.GetCoord(worker);
    const ParallelismPlan& plan = m_workload.plan;
    const uint32_t P = plan.pp;
    const uint32_t T = plan.tp;
    const uint32_t D = plan.dp;
    const uint32_t E = plan.ep;
    GroupInstance g;
    const uint64_t kind = static_cast<uint64_t>(group) << 56;
    auto at = [&](uint32_t dp, uint32_t pp, uint32_t tp) {
        return m_placement.GetWorker(RankCoord{dp, pp, tp});
    };
    switch (group)
    {
    case WorkloadGroup::TP:
        for (uint32_t t = 0; t < T; ++t)
        {
            g.workers.push_back(at(c.dp, c.pp, t));
        }
        g.self = c.tp;
        g.id = kind | (uint64_t(c.dp) * P + c.pp);
        break;
    case WorkloadGroup::DP:
        for (uint32_t d = 0; d < D; ++d)
        {
            g.workers.push_back(at(d, c.pp, c.tp));
        }
        g.self = c.dp;
        g.id = kind | (uint64_t(c.pp) * T + c.tp);
        break;
    case WorkloadGroup::EP: {
        const uint32_t block = c.dp / E;
        for (uint32_t e = 0; e < E; ++e)
        {
            g.workers.push_back(at(block * E + e, c.pp, c.tp));
        }
        g.self = c.dp % E;
        g.id = kind | ((uint64_t(c.pp) * T + c.tp) * (D / E) + block);
        break;
    }
    case WorkloadGroup::EDP: {
        const uint32_t lane = c.dp % E;
        for (uint32_t d = lane; d < D; d += E)
        {
            g.workers.push_back(at(d, c.pp, c.tp));
        }
        g.self = c.dp / E;
        g.id = kind | ((uint64_t(c.pp) * T + c.tp) * E + lane);
        break;
    }
    case WorkloadGroup::FWD_SEND:
    case WorkloadGroup::FWD_RECV:
    case WorkloadGroup::BWD_SEND:
    case WorkloadGroup::BWD_RECV: {
        const bool fwd = group == WorkloadGroup::FWD_SEND || group == WorkloadGroup::FWD_RECV;
        const bool send = group == WorkloadGroup::FWD_SEND || group == WorkloadGroup::BWD_SEND;
        // The sender's stage names the pipe; forward pipes go s -> s + 1, backward s -> s - 1.
        uint32_t sender;
        uint32_t receiver;
        if (send)
        {
            sender = c.pp;
            receiver = fwd ? (c.pp + 1) % P : (c.pp + P - 1) % P;
        }
        else
        {
            receiver = c.pp;
            sender = fwd ? (c.pp + P - 1) % P : (c.pp + 1) % P;
        }
        g.workers = {at(c.dp, sender, c.tp), at(c.dp, receiver, c.tp)};
        g.self = send ? 0 : 1;
        const uint64_t pipeKind =
            static_cast<uint64_t>(fwd ? WorkloadGroup::FWD_SEND : WorkloadGroup::BWD_SEND) << 56;
        g.id = pipeKind | ((uint64_t(c.dp) * T + c.tp) * P + sender);
        break;
    }
    }
    return g;
}

Time
ExecutionGraph::GetCriticalPath(
    const std::function<Time(uint32_t, const GraphNode&)>& computeTime,
    const std::function<Time(uint32_t, const GraphNode&)>& collectiveTime) const
{
    const uint32_t n = GetNWorkers();
    // Dependents of each node, per program.
    std::vector<std::vector<std::vector<uint32_t>>> dependents(m_programs.size());
    for (size_t s = 0; s < m_programs.size(); ++s)
    {
        dependents[s].resize(m_programs[s]->nodes.size());
        for (uint32_t i = 0; i < m_programs[s]->nodes.size(); ++i)
        {
            for (uint32_t d : m_programs[s]->nodes[i].deps)
            {
                dependents[s][d].push_back(i);
            }
        }
    }
    std::vector<std::vector<uint32_t>> waiting(n);
    std::vector<std::vector<int64_t>> ready(n); // ps
    std::vector<std::pair<uint32_t, uint32_t>> stack;
    for (uint32_t w = 0; w < n; ++w)
    {
        const auto& nodes = GetProgram(w).nodes;
        waiting[w].resize(nodes.size());
        ready[w].assign(nodes.size(), 0);
        for (uint32_t i = 0; i < nodes.size(); ++i)
        {
            waiting[w][i] = static_cast<uint32_t>(nodes[i].deps.size());
            if (waiting[w][i] == 0)
            {
                stack.emplace_back(w, i);
            }
        }
    }

    struct Pending
    {
        uint32_t arrived{0};
        int64_t latest{0};
        std::vector<std::pair<uint32_t, uint32_t>> members;
    };

    std::map<std::pair<uint64_t, uint32_t>, Pending> ops; // (group id, seq)
    int64_t end = 0;
    uint64_t done = 0;
    auto finish = [&](uint32_t w, uint32_t i, int64_t t) {
        ++done;
        end = std::max(end, t);
        const uint32_t s = GetProgramIndex(w);
        for (uint32_t next : dependents[s][i])
        {
            ready[w][next] = std::max(ready[w][next], t);
            if (--waiting[w][next] == 0)
            {
                stack.emplace_back(w, next);
            }
        }
    };
    while (!stack.empty())
    {
        const auto [w, i] = stack.back();
        stack.pop_back();
        const GraphNode& node = GetProgram(w).nodes[i];
        if (node.compute)
        {
            finish(w, i, ready[w][i] + computeTime(w, node).GetPicoSeconds());
            continue;
        }
        if (node.memory != MemoryAccess::NONE)
        {
            finish(w, i, ready[w][i] + collectiveTime(w, node).GetPicoSeconds());
            continue;
        }
        const GroupInstance g = GetGroup(w, node);
        const std::pair<uint64_t, uint32_t> key{g.id, node.seq};
        Pending& op = ops[key];
        op.arrived++;
        op.latest = std::max(op.latest, ready[w][i]);
        op.members.emplace_back(w, i);
        if (op.arrived == g.workers.size())
        {
            Pending complete = std::move(op);
            ops.erase(key);
            const int64_t t =
                complete.latest + collectiveTime(g.workers.front(), node).GetPicoSeconds();
            for (const auto& [mw, mi] : complete.members)
            {
                finish(mw, mi, t);
            }
        }
    }
    if (done != GetTotalNodes())
    {
        throw FabricConfigError("ExecutionGraph",
                                "the graph deadlocks: " + std::to_string(GetTotalNodes() - done) +
                                    " nodes never become ready");
    }
    return PicoSeconds(end);
}

} // namespace ns3
