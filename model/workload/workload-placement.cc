/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "workload-placement.h"

#include "ns3/log.h"

#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WorkloadPlacement");

WorkloadPlacement::WorkloadPlacement() = default;

WorkloadPlacement::WorkloadPlacement(const WorkloadDescription& w,
                                     const std::vector<uint32_t>& serverOfRank)
    : m_dp(w.plan.dp),
      m_tp(w.plan.tp),
      m_pp(w.plan.pp),
      m_servers(w.plan.mode == TrainingMode::SYNC ? 0 : w.plan.servers)
{
    NS_LOG_FUNCTION(this);
    // Strides of (dp, pp, tp) from the order, innermost first.
    m_stride.assign(3, 0);
    uint32_t stride = 1;
    for (const std::string& dim : w.plan.order)
    {
        const uint32_t index = dim == "dp" ? 0 : dim == "pp" ? 1 : 2;
        m_stride[index] = stride;
        stride *= index == 0 ? m_dp : index == 1 ? m_pp : m_tp;
    }
    const uint32_t workers = m_dp * m_tp * m_pp;
    const uint32_t total = workers + m_servers;
    if (serverOfRank.size() < total)
    {
        throw WorkloadError(w.Locate("parallelism"),
                            "parallelism",
                            "the plan needs " + std::to_string(total) + " GPUs; the topology has " +
                                std::to_string(serverOfRank.size()));
    }
    m_coords.resize(workers);
    for (uint32_t d = 0; d < m_dp; ++d)
    {
        for (uint32_t p = 0; p < m_pp; ++p)
        {
            for (uint32_t t = 0; t < m_tp; ++t)
            {
                m_coords[d * m_stride[0] + p * m_stride[1] + t * m_stride[2]] = RankCoord{d, p, t};
            }
        }
    }
    m_ranks.resize(total);
    for (uint32_t i = 0; i < total; ++i)
    {
        m_ranks[i] = w.plan.ranks.empty() ? i : w.plan.ranks[i];
        if (m_ranks[i] >= serverOfRank.size())
        {
            throw WorkloadError(w.Locate("parallelism.ranks"),
                                "parallelism.ranks",
                                "rank " + std::to_string(m_ranks[i]) + " is not in the topology");
        }
    }
    m_serverOf.resize(workers);
    for (uint32_t i = 0; i < workers; ++i)
    {
        m_serverOf[i] = serverOfRank[m_ranks[i]];
    }
    uint32_t spanning = 0;
    std::string example;
    for (uint32_t d = 0; d < m_dp; ++d)
    {
        for (uint32_t p = 0; p < m_pp; ++p)
        {
            std::set<uint32_t> servers;
            for (uint32_t t = 0; t < m_tp; ++t)
            {
                servers.insert(m_serverOf[GetWorker(RankCoord{d, p, t})]);
            }
            if (servers.size() > 1)
            {
                if (spanning++ == 0)
                {
                    example = "dp " + std::to_string(d) + ", pp " + std::to_string(p) + " over " +
                              std::to_string(servers.size()) + " servers";
                }
            }
        }
    }
    if (spanning > 0)
    {
        m_warnings.push_back(std::to_string(spanning) +
                             " tensor-parallel group(s) span several servers (e.g. " + example +
                             "): their all-reduces cross the scale-out network");
        NS_LOG_WARN(m_warnings.back());
    }
}

uint32_t
WorkloadPlacement::GetNWorkers() const
{
    return static_cast<uint32_t>(m_coords.size());
}

uint32_t
WorkloadPlacement::GetNServers() const
{
    return m_servers;
}

const RankCoord&
WorkloadPlacement::GetCoord(uint32_t worker) const
{
    return m_coords.at(worker);
}

uint32_t
WorkloadPlacement::GetWorker(const RankCoord& c) const
{
    return c.dp * m_stride[0] + c.pp * m_stride[1] + c.tp * m_stride[2];
}

uint32_t
WorkloadPlacement::GetTopologyRank(uint32_t worker) const
{
    return m_ranks.at(worker);
}

uint32_t
WorkloadPlacement::GetServerRank(uint32_t server) const
{
    return m_ranks.at(GetNWorkers() + server);
}

uint32_t
WorkloadPlacement::GetServerOf(uint32_t worker) const
{
    return m_serverOf.at(worker);
}

const std::vector<std::string>&
WorkloadPlacement::GetWarnings() const
{
    return m_warnings;
}

std::vector<uint32_t>
WorkloadPlacement::ServersOf(const TopologyDescription& topology)
{
    std::vector<uint32_t> servers;
    if (!topology.dimensions.empty())
    {
        for (uint32_t r = 0; r < topology.GetGpuCount(); ++r)
        {
            servers.push_back(r);
        }
        return servers;
    }
    uint32_t server = 0;
    for (const auto& group : topology.groups)
    {
        const NodeKindSpec& kind = topology.kinds.at(group.kind);
        for (uint32_t n = 0; n < group.count; ++n, ++server)
        {
            servers.insert(servers.end(), kind.gpus, server);
        }
    }
    return servers;
}

std::vector<std::string>
WorkloadPlacement::GpuModelsOf(const TopologyDescription& topology)
{
    std::vector<std::string> models;
    if (!topology.dimensions.empty())
    {
        return std::vector<std::string>(topology.GetGpuCount(), "");
    }
    for (const auto& group : topology.groups)
    {
        const NodeKindSpec& kind = topology.kinds.at(group.kind);
        for (uint32_t n = 0; n < group.count; ++n)
        {
            models.insert(models.end(), kind.gpus, kind.gpuModel);
        }
    }
    return models;
}

} // namespace ns3
