/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef WORKLOAD_PLACEMENT_H
#define WORKLOAD_PLACEMENT_H

#include "workload-description.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A worker's place in the plan: data-parallel replica, pipeline stage, tensor rank.
 */
struct RankCoord
{
    uint32_t dp{0}; //!< data-parallel index
    uint32_t pp{0}; //!< pipeline stage
    uint32_t tp{0}; //!< tensor-parallel index
};

/**
 * \ingroup ai-fabric
 * \brief How the parallel groups map onto topology ranks.
 *
 * Workers are numbered with the plan's `order`, innermost first: by default tp, then pp,
 * then dp, so that worker w = tp + TP (pp + PP dp). A tensor-parallel group is then a run of
 * consecutive ranks, i.e. one NVLink domain on 8-GPU servers with TP <= 8 (Megatron-LM keeps TP
 * innermost for this reason; its own default order puts dp before pp, "tp-cp-ep-dp-pp",
 * which `order: [tp, dp, pp]` gives). Worker w runs on topology rank w, or on the plan's
 * `ranks[w]` when given. The parameter servers of the asynchronous modes follow the workers.
 * A tensor-parallel group whose GPUs sit on several servers gets a warning: its all-reduces
 * then cross the scale-out network.
 */
class WorkloadPlacement
{
  public:
    WorkloadPlacement();

    /**
     * \param w a validated workload
     * \param serverOfRank the server of each topology rank (FabricTopology::GetServer); its
     * size is the number of GPUs
     */
    WorkloadPlacement(const WorkloadDescription& w, const std::vector<uint32_t>& serverOfRank);

    /** \return the number of workers dp x tp x pp */
    uint32_t GetNWorkers() const;
    /** \return the number of parameter servers (0 in synchronous mode) */
    uint32_t GetNServers() const;
    /** \param worker a worker \return its coordinates */
    const RankCoord& GetCoord(uint32_t worker) const;
    /** \param c coordinates \return the worker there */
    uint32_t GetWorker(const RankCoord& c) const;
    /** \param worker a worker \return its topology rank */
    uint32_t GetTopologyRank(uint32_t worker) const;
    /** \param server a parameter server index \return its topology rank */
    uint32_t GetServerRank(uint32_t server) const;
    /** \param worker a worker \return the server its GPU sits in */
    uint32_t GetServerOf(uint32_t worker) const;
    /** \return what the placement warns about (a TP group across servers...) */
    const std::vector<std::string>& GetWarnings() const;

    /**
     * \param topology a topology description
     * \return the server of each rank, as TopologyHelper numbers them (node groups in order;
     * in a dimension topology every GPU is its own server)
     */
    static std::vector<uint32_t> ServersOf(const TopologyDescription& topology);

    /**
     * \param topology a topology description
     * \return the GPU model of each rank (its node kind's gpu; "" for dimension topologies)
     */
    static std::vector<std::string> GpuModelsOf(const TopologyDescription& topology);

  private:
    uint32_t m_dp{1};                    //!< DP degree
    uint32_t m_tp{1};                    //!< TP degree
    uint32_t m_pp{1};                    //!< PP degree
    std::vector<uint32_t> m_stride;      //!< stride of dp, pp, tp in the worker index
    std::vector<RankCoord> m_coords;     //!< per worker
    std::vector<uint32_t> m_ranks;       //!< per worker, then per server: topology rank
    std::vector<uint32_t> m_serverOf;    //!< per worker: its GPU's server
    uint32_t m_servers{0};               //!< parameter servers
    std::vector<std::string> m_warnings; //!< warnings
};

} // namespace ns3

#endif /* WORKLOAD_PLACEMENT_H */
