/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COLLECTIVE_TUNER_H
#define COLLECTIVE_TUNER_H

#include "collective-protocol.h"
#include "collective-schedule.h"

#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One (algorithm, protocol) the tuner considered, with NCCL's model numbers for it.
 */
struct TunerCandidate
{
    std::string algorithm; //!< "ring", "tree", "collnet-direct", "collnet-chain", "nvls", ...
    NcclAlgorithm family{NcclAlgorithm::RING};               //!< the NCCL family
    CollectiveProtocol protocol{CollectiveProtocol::SIMPLE}; //!< the protocol
    double latencyUs{0}; //!< the model's latency (after the ring plateau factor), us
    double busBwGBps{0}; //!< bus bandwidth after the refinements, GB/s
    double algBwGBps{0}; //!< algorithm bandwidth (after the tree correction factor), GB/s
    Time time;           //!< predicted time: latencyUs + bytes / (1000 algBwGBps) us
};

/**
 * \ingroup ai-fabric
 * \brief What CollectiveTuner::Choose returns: the fastest candidate and every candidate.
 */
struct TunerChoice
{
    std::string algorithm;                                   //!< the chosen algorithm's name
    NcclAlgorithm family{NcclAlgorithm::RING};               //!< its NCCL family
    CollectiveProtocol protocol{CollectiveProtocol::SIMPLE}; //!< the chosen protocol
    Time time;                                               //!< its predicted time
    std::vector<TunerCandidate>
        candidates; //!< all, in NCCL's order (Tree, Ring, CollNet, NVLS x LL, LL128, Simple)
};

/**
 * \ingroup ai-fabric
 * \brief Picks (algorithm, protocol) for a collective as NCCL's tuning model does
 * (`ncclTopoTuneModel` and `ncclTopoGetAlgoTime` in `src/graph/tuning.cc`, fact sheet §9.2).
 *
 * Inputs: the operation, its size S in bytes (nccl-tests' S, NCCL's nBytes), nNodes, ranks per
 * node (ppn; nRanks = nNodes x ppn), and the bandwidth per GPU that NCCL's topology search
 * would find inside a node (intra) and across nodes (inter): NCCL's nChannels x graph bwIntra
 * (bwInter). The per-channel bandwidth is that total / NChannels.
 *
 * Model, for each candidate algorithm a and protocol p (fact sheet §9.2):
 * - bw = bwIntra if nNodes <= 2 else bwInter (per channel); busBw = nChannels x bw;
 * - refinements: Ring LL: min(llMaxBw, 0.5 busBw); Ring LL128: min(0.92 busBw,
 *   nCh x perChMaxRingLL128Bw); Tree (all-reduce): min(0.92 busBw, nCh x perChMaxTreeBw), then
 *   Tree LL: min(busBw / 3.8, llMaxBw); Tree LL128: min(busBw x (7/9 on one node, 120/128 on
 *   several), nCh x perChMaxTreeLL128Bw); Tree with NCCL's TREE pattern (TreePattern): x 0.85;
 * - NVLS and NVLSTree (Simple only, at least 2 channels): per channel intraBw = bwIntra x
 *   nvlsEff x (nCh-1)/nCh, x2 for all-reduce, x(ppn-1)/ppn otherwise; bw = min(intraBw,
 *   bwInter); NVLSTree: busBw capped at nCh x perChMaxNVLSTreeBw; CollNet: bw = bwIntra;
 * - algBw = busBw x nRanks / nsteps for Ring, NVLS and NVLSTree (nsteps = 2(n-1) all-reduce,
 *   n-1 reduce-scatter and all-gather, n broadcast and reduce), busBw x 0.5 for Tree and
 *   CollNet;
 * - latency: intraLat = hwLat[IntraLinkType], interLat = hwLat[NET] + NetLatency (+
 *   NetLatency again for Simple); Ring: base + (nsteps - nInterSteps) x max(intraLat,
 *   netOverhead) + nInterSteps x interLat, nInterSteps = 2(nNodes-1) all-reduce, nNodes-1
 *   otherwise, netOverhead = 1 us (Intel, other) or 2 us (AMD), x3 for Simple, only with
 *   several nodes; Ring broadcast and reduce: base + nsteps x hwLat[intra on one node, NET on
 *   several] (Simple: the Tree row), NCCL's branch for rings whose channels differ; Tree:
 *   base + 2 ((ppn-1) intraLat + floor(log2 nNodes) interLat); NVLS: intraLat (+ interLat on
 *   several nodes); NVLSTree: base + intraLat + 2 log2(nNodes) interLat; CollNetDirect: base +
 *   2 (min(1, ppn-1) intraLat + (ppn-1) 0.4) + interLat; CollNetChain: base + 2 (ppn-1)
 *   intraLat + interLat;
 * - time = lat x latCount + S / (1000 algBw) us with latCount 1 (one operation); the ring
 *   Simple all-reduce latency on several nodes is multiplied by 1.4 (SM80+) or 1.9 when
 *   S / (nCh x nRanks) >= 64; Tree all-reduce bandwidth is multiplied by NCCL's correction
 *   factor for log2(S/64) (TreeCorrection).
 * The fastest candidate wins; ties go to the first in NCCL's order (Tree, Ring, NVLS; LL,
 * LL128, Simple).
 *
 * Candidates: ring (every operation but all-to-all and send/recv, which NCCL runs as
 * point-to-point), tree (all-reduce only), collnet-direct and collnet-chain (all-reduce on two
 * or more nodes, only with EnableCollNet; Direct needs NVLink), nvls (all-reduce, and on one
 * node reduce-scatter and all-gather; across nodes only with EnableCollNet) and nvls-tree
 * (all-reduce on two or more nodes); the NVLS pair only with EnableNvls, on Hopper and later,
 * NVLink inside nodes and two or more ranks per node.
 *
 * Simplified (documented): NCCL's topology search is not run (the caller gives the
 * bandwidths); PAT is not a candidate; LL128 is taken as enabled (as NCCL
 * does by default on Hopper over NVLink); the nChannels the search would pick per algorithm is
 * one NChannels for all; NCCL's extras that the fact sheet does not list are left out (interLat
 * from the Tree row when ppn = 1, per-call channel counts, several operations per launch). The
 * tree correction factors are NCCL's `treeCorrectionFactor` table (`tuning.cc` of the 2.2x
 * releases; the fact sheet names it without values).
 */
class CollectiveTuner : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// GPU generations: the row of NCCL's per-generation tables.
    enum GpuGeneration
    {
        VOLTA,     //!< SM70
        AMPERE,    //!< SM80
        HOPPER,    //!< SM90
        BLACKWELL, //!< SM100
    };

    /// CPU vendors: llMaxBw row on several nodes, network post overhead.
    enum CpuVendor
    {
        INTEL, //!< x86 Intel
        AMD,   //!< x86 AMD
        OTHER, //!< anything else (ARM, POWER)
    };

    CollectiveTuner();
    ~CollectiveTuner() override;

    /**
     * \param generation a GPU generation
     * \return NCCL's bandwidth of one NVLink in GB/s for that generation (topo.h: SM70 20,
     * SM80 20, SM90 20.6, SM100 40.1): a modelling figure, not a line rate
     */
    static double GetNcclNvlinkBandwidth(GpuGeneration generation);

    /**
     * \brief The number of ring (and tree) channels NCCL opens by default.
     *
     * NCCL's graph search (search.cc) takes the fastest per-channel speed of its table for the
     * generation that the GPUs' NVLink (one node) or the NICs (several nodes) can carry, and as
     * many channels as fit: on one node totalBw / speed, across nodes one per NIC per speed's
     * worth of NIC bandwidth, as long as the channels fit in the NVLink bandwidth too. It
     * doubles them when a channel is fast (ncclTopoDupChannels), connect.cc doubles them again
     * (ncclTopoPostset), and Hopper and later double once more across nodes while fewer than 16
     * channels run at more than 45 GB/s. Capped at MAXCHANNELS (64). DGX H100: 24 on one node,
     * 16 across nodes with 8 NDR NICs. The search's other refinements (PCI paths, crossNic,
     * timeouts) are left out.
     * \param generation the GPUs' generation
     * \param nNodes nodes of the communicator
     * \param nvlinkBandwidth NCCL's NVLink bandwidth of one GPU, GB/s (links x
     * GetNcclNvlinkBandwidth); 0 for GPUs without NVLink
     * \param nicsPerNode network ports of a node (0: none)
     * \param nicBandwidth one NIC's bandwidth, GB/s
     * \return the channel count
     */
    static uint32_t GetDefaultChannels(GpuGeneration generation,
                                       uint32_t nNodes,
                                       double nvlinkBandwidth,
                                       uint32_t nicsPerNode,
                                       double nicBandwidth);

    /**
     * \brief Pick the algorithm and protocol NCCL's model predicts fastest.
     * \param op the operation (not all-to-all or send/recv: FabricConfigError)
     * \param bytes S, the operation's size in bytes
     * \param nNodes nodes (>= 1)
     * \param ranksPerNode GPUs per node in the communicator (>= 1)
     * \param intraBandwidth per GPU, inside a node: NCCL's nChannels x bwIntra
     * \param interBandwidth per GPU, across nodes: NCCL's nChannels x bwInter (ignored on one
     * node, where it is taken equal to the intra bandwidth)
     * \return the choice and every candidate's prediction
     */
    TunerChoice Choose(CollectiveOp op,
                       uint64_t bytes,
                       uint32_t nNodes,
                       uint32_t ranksPerNode,
                       DataRate intraBandwidth,
                       DataRate interBandwidth) const;

  private:
    /** \param link the intra-node link type, as an EnumValue's integer */
    void SetIntraLinkType(int link);
    /** \return the intra-node link type as an integer */
    int GetIntraLinkType() const;

    uint32_t m_nChannels;       //!< NCCL channels
    GpuGeneration m_generation; //!< table row
    CpuVendor m_cpuVendor;      //!< llMaxBw row on several nodes, net overhead
    NcclLinkType m_intraLink;   //!< NVLINK or PCI inside a node
    Time m_netLatency;          //!< NCCL's graph latencyInter
    bool m_treePattern;         //!< NCCL_TOPO_PATTERN_TREE (x0.85 on Tree)
    bool m_treeCorrection;      //!< apply treeCorrectionFactor
    bool m_enableNvls;          //!< consider NVLS and NVLSTree
    bool m_enableCollNet;       //!< consider CollNetDirect and CollNetChain
};

} // namespace ns3

#endif /* COLLECTIVE_TUNER_H */
