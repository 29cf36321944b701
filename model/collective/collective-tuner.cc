/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "collective-tuner.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CollectiveTuner");

NS_OBJECT_ENSURE_REGISTERED(CollectiveTuner);

namespace
{

// NCCL's per-generation tables (fact sheet §9.2, NCCL 2.30 tuning.cc), GB/s. Rows: Volta,
// Ampere, Hopper, Blackwell; columns: 1 node, 2 nodes, more.

/// llMaxBws: on one node the row is the GPU generation; on several, the CPU vendor's (Intel
/// and others row 0, AMD row 1).
constexpr double LL_MAX_BW[4][3] = {
    {39.0, 39.0, 20.4},
    {87.7, 22.5, 19.0},
    {141.0, 45.0, 35.0},
    {282.0, 90.0, 70.0},
};

/// perChMaxRingLL128Bws.
constexpr double PER_CH_MAX_RING_LL128_BW[4][3] = {
    {20.0, 20.0, 20.0},
    {20.0, 20.0, 20.0},
    {36.7, 36.7, 36.7},
    {40.0, 40.0, 40.0},
};

/// perChMaxTreeLL128Bws.
constexpr double PER_CH_MAX_TREE_LL128_BW[4][3] = {
    {20.0, 20.0, 20.0},
    {20.0, 20.0, 20.0},
    {36.7, 36.7, 29.0},
    {55.6, 31.67, 20.0},
};

/// perChMaxTreeBws.
constexpr double PER_CH_MAX_TREE_BW[4][3] = {
    {26.5, 18.5, 10.0},
    {24.0, 23.6, 17.8},
    {38.7, 41.4, 36.0},
    {70.0, 42.8, 24.0},
};

/// perChMaxNVLSTreeBws, GB/s (fact sheet §9.2): [generation][1 node, 2 nodes, more].
constexpr double PER_CH_MAX_NVLS_TREE_BW[4][3] = {
    {0, 0, 0},
    {0, 0, 0},
    {0, 57.7, 45.5},
    {0, 96.0, 80.0},
};

/// NVLS efficiency (fact sheet §8.5, §9.2): none before Hopper.
constexpr double NVLS_EFFICIENCY[4] = {0.0, 0.0, 0.85, 0.74};

// clang-format off
/// NCCL's treeCorrectionFactor[protocol][log2(bytes / 64)], 64 B to 256 MiB (tuning.cc of the
/// 2.2x releases; the fact sheet names the table without its values).
constexpr double TREE_CORRECTION[3][23] = {
    {1.0, 1.0, 1.0, 1.0,  .9,  .8,  .7,  .7,  .7,  .7,  .6,  .5, // LL: 64 B .. 128 KiB
      .4,  .4,  .5,  .6,  .7,  .8,  .9, 1.0, 1.0, 1.0, 1.0}, // 256 KiB .. 256 MiB
    {1.0, 1.0, 1.0, 1.0, 1.0,  .9,  .8,  .8,  .8,  .7,  .6,  .6, // LL128: 64 B .. 128 KiB
      .6,  .6,  .6,  .6,  .8,  .9,  .9,  .9,  .9, 1.0, 1.0}, // 256 KiB .. 256 MiB
    { .9,  .9,  .9,  .9,  .9,  .9,  .9,  .8,  .7,  .6,  .6,  .5, // Simple: 64 B .. 128 KiB
      .5,  .5,  .5,  .6,  .7,  .8,  .7,  .7,  .8,  .9,  .9}, // 256 KiB .. 256 MiB
};

// clang-format on

/**
 * \param n a positive integer
 * \return floor(log2 n) (0 for 0, as NCCL's log2i)
 */
int
Log2i(uint64_t n)
{
    int l = 0;
    while (n >>= 1)
    {
        ++l;
    }
    return l;
}

/**
 * \param link a link type
 * \param a an algorithm family
 * \param p a protocol
 * \return NCCL's per-step hardware latency in microseconds
 */
double
HwLatUs(NcclLinkType link, NcclAlgorithm a, CollectiveProtocol p)
{
    return NcclHwLatency(link, a, p).GetSeconds() * 1e6;
}

} // namespace

TypeId
CollectiveTuner::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::CollectiveTuner")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<CollectiveTuner>()
            .AddAttribute("NChannels",
                          "NCCL channels (rings or tree pairs run side by side); 16, what NCCL "
                          "typically opens on an 8-GPU H100 node [assumption: the search "
                          "decides in NCCL]. Caps scale with it; bandwidths are totals.",
                          UintegerValue(16),
                          MakeUintegerAccessor(&CollectiveTuner::m_nChannels),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("GpuGeneration",
                          "GPU generation: the row of NCCL's per-generation tables "
                          "(bandwidth caps, NVLS efficiency, ring plateau factor).",
                          EnumValue(HOPPER),
                          MakeEnumAccessor(&CollectiveTuner::m_generation),
                          MakeEnumChecker(VOLTA,
                                          "Volta",
                                          AMPERE,
                                          "Ampere",
                                          HOPPER,
                                          "Hopper",
                                          BLACKWELL,
                                          "Blackwell"))
            .AddAttribute("CpuVendor",
                          "CPU vendor: the llMaxBws row on several nodes and the network post "
                          "overhead (Intel 1 us, AMD 2 us, other 1 us; x3 for Simple).",
                          EnumValue(INTEL),
                          MakeEnumAccessor(&CollectiveTuner::m_cpuVendor),
                          MakeEnumChecker(INTEL, "Intel", AMD, "AMD", OTHER, "Other"))
            .AddAttribute("IntraLinkType",
                          "How GPUs of one node reach each other: the hardware latency row "
                          "for intra-node steps (NVLINK or PCI).",
                          EnumValue(static_cast<int>(NcclLinkType::NVLINK)),
                          MakeEnumAccessor(&CollectiveTuner::SetIntraLinkType,
                                           &CollectiveTuner::GetIntraLinkType),
                          MakeEnumChecker(static_cast<int>(NcclLinkType::NVLINK),
                                          "NVLINK",
                                          static_cast<int>(NcclLinkType::PCI),
                                          "PCI"))
            .AddAttribute("NetLatency",
                          "NCCL's graph latencyInter: extra latency of a network step (added "
                          "twice for Simple, the flush); 0 for InfiniBand.",
                          TimeValue(Time()),
                          MakeTimeAccessor(&CollectiveTuner::m_netLatency),
                          MakeTimeChecker(Time()))
            .AddAttribute("TreePattern",
                          "The tree graph has NCCL's TREE pattern (not BALANCED_TREE): Tree "
                          "bus bandwidth x 0.85.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&CollectiveTuner::m_treePattern),
                          MakeBooleanChecker())
            .AddAttribute("TreeCorrection",
                          "Multiply Tree all-reduce bandwidth by NCCL's correction factor for "
                          "the message size (treeCorrectionFactor, 64 B to 256 MiB).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&CollectiveTuner::m_treeCorrection),
                          MakeBooleanChecker())
            .AddAttribute("EnableNvls",
                          "Consider NVLS and NVLSTree (NVLink SHARP; Hopper and later, Simple "
                          "only). NCCL uses NVLS across nodes only with CollNet (SHARP) "
                          "enabled.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&CollectiveTuner::m_enableNvls),
                          MakeBooleanChecker())
            .AddAttribute("EnableCollNet",
                          "Consider CollNetDirect and CollNetChain (SHARP through NCCL's CollNet "
                          "plugin; NCCL_COLLNET_ENABLE, off by default in NCCL). CollNetDirect "
                          "also needs NVLink inside the nodes (fact sheet §7.5).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&CollectiveTuner::m_enableCollNet),
                          MakeBooleanChecker());
    return tid;
}

CollectiveTuner::CollectiveTuner()
    : m_nChannels(16),
      m_generation(HOPPER),
      m_cpuVendor(INTEL),
      m_intraLink(NcclLinkType::NVLINK),
      m_netLatency(),
      m_treePattern(false),
      m_treeCorrection(true),
      m_enableNvls(false),
      m_enableCollNet(false)
{
    NS_LOG_FUNCTION(this);
}

CollectiveTuner::~CollectiveTuner()
{
    NS_LOG_FUNCTION(this);
}

double
CollectiveTuner::GetNcclNvlinkBandwidth(GpuGeneration generation)
{
    // NCCL topo.h: SM70_NVLINK_BW 20.0, SM80_NVLINK_BW 20.0, SM90_NVLINK_BW 20.6,
    // SM100_NVLINK_BW 40.1 (fact sheet §8.1).
    switch (generation)
    {
    case VOLTA:
    case AMPERE:
        return 20.0;
    case HOPPER:
        return 20.6;
    case BLACKWELL:
        return 40.1;
    }
    return 20.0;
}

uint32_t
CollectiveTuner::GetDefaultChannels(GpuGeneration generation,
                                    uint32_t nNodes,
                                    double nvlinkBandwidth,
                                    uint32_t nicsPerNode,
                                    double nicBandwidth)
{
    // Per-channel speeds NCCL's search tries, fastest first (search.cc, NCCL 2.30).
    static const std::vector<double> intra{40, 30, 20, 18, 15, 12, 10, 9, 7, 6, 5, 4, 3};
    static const std::vector<double>
        inter{48, 30, 28, 24, 20, 18, 15, 12, 10, 9, 7, 6, 5, 4, 3, 2.4, 1.2, 0.24, 0.12};
    static const std::vector<double> intraSm90{60, 50, 40, 30, 24, 20, 15, 12, 11, 6, 3};
    static const std::vector<double>
        interSm90{48, 45, 42, 40, 30, 24, 22, 20, 17.5, 15, 12, 6, 3, 2.4, 1.2, 0.24, 0.12};
    static const std::vector<double> intraSm100{90, 80, 70, 60, 50, 45, 40, 30, 24, 20, 19, 18};
    static const std::vector<double> interSm100{96, 86,   80, 48, 45.1, 42, 40,  30,  24,   22,
                                                20, 17.5, 15, 12, 6,    3,  2.4, 1.2, 0.24, 0.12};
    const bool sm90 = generation == HOPPER;
    const bool sm100 = generation == BLACKWELL;
    const bool multiNode = nNodes > 1 && nicsPerNode > 0 && nicBandwidth > 0;
    const uint32_t maxChannels = 32; // the ring graph's maxChannels: MAXCHANNELS / 2
    const auto& speeds = multiNode ? (sm100 ? interSm100 : (sm90 ? interSm90 : inter))
                                   : (sm100 ? intraSm100 : (sm90 ? intraSm90 : intra));
    uint32_t channels = 1;
    double speed = speeds.back();
    for (double s : speeds)
    {
        uint32_t fit = 0;
        if (multiNode)
        {
            // One ring per NIC per speed's worth of its bandwidth; every channel also crosses
            // each GPU's NVLink once.
            fit = nicBandwidth >= s ? nicsPerNode * static_cast<uint32_t>(nicBandwidth / s) : 0;
            if (nvlinkBandwidth > 0 && fit * s > nvlinkBandwidth)
            {
                fit = 0;
            }
        }
        else
        {
            fit = nvlinkBandwidth >= s ? static_cast<uint32_t>(nvlinkBandwidth / s) : 0;
        }
        if (fit > 0)
        {
            channels = std::min(fit, maxChannels);
            speed = s;
            break;
        }
    }
    // ncclTopoDupChannels: fast channels are split in two.
    const bool newerThanAmpere = sm90 || sm100;
    if (speed >= 25.0 && !(newerThanAmpere && speed < 50.0 && channels > 4))
    {
        const uint32_t dup = std::min(channels * 2, maxChannels);
        speed /= (dup + channels - 1) / channels;
        channels = dup;
    }
    // ncclTopoPostset (connect.cc) doubles every ring and tree.
    channels = std::min<uint32_t>(64, channels * 2);
    // "Use 4 compute channels per search channel to reach peak BW on <8 PPN".
    if (newerThanAmpere && nNodes > 1 && speed > 45.0 && channels < 16)
    {
        channels = std::min<uint32_t>(64, channels * 2);
    }
    return channels;
}

void
CollectiveTuner::SetIntraLinkType(int link)
{
    m_intraLink = static_cast<NcclLinkType>(link);
}

int
CollectiveTuner::GetIntraLinkType() const
{
    return static_cast<int>(m_intraLink);
}

TunerChoice
CollectiveTuner::Choose(CollectiveOp op,
                        uint64_t bytes,
                        uint32_t nNodes,
                        uint32_t ranksPerNode,
                        DataRate intraBandwidth,
                        DataRate interBandwidth) const
{
    NS_LOG_FUNCTION(this << CollectiveOpName(op) << bytes << nNodes << ranksPerNode
                         << intraBandwidth << interBandwidth);
    if (op == CollectiveOp::ALL_TO_ALL || op == CollectiveOp::SEND_RECV)
    {
        throw FabricConfigError("CollectiveTuner",
                                "NCCL does not tune " + CollectiveOpName(op) +
                                    ": it runs as point-to-point sends");
    }
    if (nNodes == 0 || ranksPerNode == 0)
    {
        throw FabricConfigError("CollectiveTuner", "needs at least one node and one rank per node");
    }
    TunerChoice choice;
    choice.algorithm = "ring";
    choice.family = NcclAlgorithm::RING;
    choice.protocol = CollectiveProtocol::SIMPLE;
    const uint32_t nRanks = nNodes * ranksPerNode;
    if (nRanks <= 1)
    {
        return choice; // NCCL tunes nothing for one rank: a local copy
    }

    const double nCh = m_nChannels;
    const int gen = static_cast<int>(m_generation);
    const int index2 = nNodes <= 2 ? static_cast<int>(nNodes) - 1 : 2;
    const int index1 = nNodes == 1 ? gen : (m_cpuVendor == AMD ? 1 : 0);
    const double llMaxBw = LL_MAX_BW[index1][index2];
    const double perChMaxTreeBw = PER_CH_MAX_TREE_BW[gen][index2];
    const double perChMaxRingLL128Bw = PER_CH_MAX_RING_LL128_BW[gen][index2];
    const double perChMaxTreeLL128Bw = PER_CH_MAX_TREE_LL128_BW[gen][index2];
    const double ppn = ranksPerNode;
    // Per-channel bandwidths in GB/s.
    const double bwIntra = static_cast<double>(intraBandwidth.GetBitRate()) / 8e9 / nCh;
    const double bwInter =
        nNodes == 1 ? bwIntra : static_cast<double>(interBandwidth.GetBitRate()) / 8e9 / nCh;
    const double netOverheadBase = nNodes > 1 ? (m_cpuVendor == AMD ? 2.0 : 1.0) : 0.0;
    const double graphLatency = m_netLatency.GetSeconds() * 1e6;

    const bool allReduce = op == CollectiveOp::ALL_REDUCE;
    const bool rsOrAg = op == CollectiveOp::REDUCE_SCATTER || op == CollectiveOp::ALL_GATHER;
    const uint32_t nsteps = allReduce ? 2 * (nRanks - 1) : rsOrAg ? nRanks - 1 : nRanks;
    const uint32_t nInterSteps = nNodes == 1 ? 0 : allReduce ? 2 * (nNodes - 1) : nNodes - 1;

    struct Algo
    {
        NcclAlgorithm family;
        const char* name;
    };

    const Algo algos[] = {{NcclAlgorithm::TREE, "tree"},
                          {NcclAlgorithm::RING, "ring"},
                          {NcclAlgorithm::COLLNET_DIRECT, "collnet-direct"},
                          {NcclAlgorithm::COLLNET_CHAIN, "collnet-chain"},
                          {NcclAlgorithm::NVLS, "nvls"},
                          {NcclAlgorithm::NVLS_TREE, "nvls-tree"}};
    const CollectiveProtocol protos[] = {CollectiveProtocol::LL,
                                         CollectiveProtocol::LL128,
                                         CollectiveProtocol::SIMPLE};
    double best = std::numeric_limits<double>::infinity();
    for (const Algo& algo : algos)
    {
        const NcclAlgorithm a = algo.family;
        if (a == NcclAlgorithm::TREE && !allReduce)
        {
            continue;
        }
        const bool nvlsFamily = a == NcclAlgorithm::NVLS || a == NcclAlgorithm::NVLS_TREE;
        const bool collNet =
            a == NcclAlgorithm::COLLNET_DIRECT || a == NcclAlgorithm::COLLNET_CHAIN;
        if (nvlsFamily && (!m_enableNvls || NVLS_EFFICIENCY[gen] == 0 || m_nChannels < 2 ||
                           m_intraLink != NcclLinkType::NVLINK || ppn < 2))
        {
            continue;
        }
        // NVLS: all-reduce, or reduce-scatter and all-gather on one node; across nodes with
        // CollNet only. NVLSTree: all-reduce across nodes.
        if (a == NcclAlgorithm::NVLS &&
            (!(allReduce || (rsOrAg && nNodes == 1)) || (nNodes > 1 && !m_enableCollNet)))
        {
            continue;
        }
        if (a == NcclAlgorithm::NVLS_TREE && (!allReduce || nNodes < 2))
        {
            continue;
        }
        if (collNet &&
            (!m_enableCollNet || !allReduce || nNodes < 2 ||
             (a == NcclAlgorithm::COLLNET_DIRECT && m_intraLink != NcclLinkType::NVLINK)))
        {
            continue;
        }
        for (CollectiveProtocol p : protos)
        {
            if ((nvlsFamily || collNet) && p != CollectiveProtocol::SIMPLE)
            {
                continue;
            }
            const bool simple = p == CollectiveProtocol::SIMPLE;
            // Bandwidth.
            double bw = nNodes <= 2 || collNet ? bwIntra : bwInter;
            if (nvlsFamily)
            {
                double intraBw = bwIntra * NVLS_EFFICIENCY[gen] * (nCh - 1) / nCh;
                intraBw *= allReduce ? 2.0 : (ppn - 1) / ppn;
                bw = std::min(intraBw, bwInter);
            }
            double busBw = nCh * bw;
            if (a == NcclAlgorithm::NVLS_TREE)
            {
                busBw = std::min(busBw, nCh * PER_CH_MAX_NVLS_TREE_BW[gen][index2]);
            }
            if (a == NcclAlgorithm::RING && p == CollectiveProtocol::LL)
            {
                busBw = std::min(llMaxBw, busBw * 0.5);
            }
            if (a == NcclAlgorithm::RING && p == CollectiveProtocol::LL128)
            {
                busBw = std::min(busBw * 0.92, nCh * perChMaxRingLL128Bw);
            }
            if (a == NcclAlgorithm::TREE)
            {
                busBw = std::min(busBw * 0.92, nCh * perChMaxTreeBw);
                if (p == CollectiveProtocol::LL)
                {
                    busBw = std::min(busBw / 3.8, llMaxBw);
                }
                if (p == CollectiveProtocol::LL128)
                {
                    busBw = std::min(busBw * (nNodes == 1 ? 7.0 / 9.0 : 120.0 / 128.0),
                                     nCh * perChMaxTreeLL128Bw);
                }
                if (m_treePattern)
                {
                    busBw *= 0.85;
                }
            }
            double algBw =
                a == NcclAlgorithm::TREE || collNet ? busBw * 0.5 : busBw * nRanks / nsteps;

            // Latency.
            double lat = NcclBaseLatency(a, p).GetSeconds() * 1e6;
            const double intraLat = HwLatUs(m_intraLink, a, p);
            const double interLat =
                HwLatUs(NcclLinkType::NET, a, p) + graphLatency + (simple ? graphLatency : 0.0);
            if (a == NcclAlgorithm::RING)
            {
                if (op == CollectiveOp::BROADCAST || op == CollectiveOp::REDUCE)
                {
                    const NcclLinkType hw = nNodes == 1 ? m_intraLink : NcclLinkType::NET;
                    const double step =
                        HwLatUs(hw, simple ? NcclAlgorithm::TREE : NcclAlgorithm::RING, p);
                    lat += nsteps * step;
                }
                else
                {
                    const double netOverhead = netOverheadBase * (simple ? 3.0 : 1.0);
                    lat += (nsteps - nInterSteps) * std::max(intraLat, netOverhead) +
                           nInterSteps * interLat;
                }
            }
            else if (a == NcclAlgorithm::TREE)
            {
                lat += 2 * ((ppn - 1) * intraLat + Log2i(nNodes) * interLat);
            }
            else if (a == NcclAlgorithm::COLLNET_DIRECT)
            {
                lat += 2 * (std::min(1.0, ppn - 1) * intraLat + (ppn - 1) * 0.4) + interLat;
            }
            else if (a == NcclAlgorithm::COLLNET_CHAIN)
            {
                lat += 2 * (ppn - 1) * intraLat + interLat;
            }
            else if (a == NcclAlgorithm::NVLS_TREE)
            {
                lat += intraLat + 2 * Log2i(nNodes) * interLat;
            }
            else
            {
                lat = intraLat + (nNodes > 1 ? interLat : 0.0);
            }

            // Time (ncclTopoGetAlgoTime, one operation).
            if (a == NcclAlgorithm::TREE && m_treeCorrection)
            {
                const int logSize = Log2i(bytes >> 6);
                if (logSize < 23)
                {
                    algBw *= TREE_CORRECTION[static_cast<int>(p)][logSize];
                }
            }
            if (a == NcclAlgorithm::RING && simple && nNodes > 1 && allReduce &&
                bytes / (static_cast<uint64_t>(m_nChannels) * nRanks) >= 64)
            {
                lat *= m_generation == VOLTA ? 1.9 : 1.4; // plateau effect of rings
            }
            const double us = lat + static_cast<double>(bytes) / (1000.0 * algBw);

            TunerCandidate c;
            c.algorithm = algo.name;
            c.family = a;
            c.protocol = p;
            c.latencyUs = lat;
            c.busBwGBps = busBw;
            c.algBwGBps = algBw;
            // An algorithm with no bandwidth here (algBw 0) never finishes: it sorts last.
            c.time = std::isfinite(us) ? Seconds(us * 1e-6) : Time::Max();
            choice.candidates.push_back(c);
            NS_LOG_LOGIC(algo.name << "/" << CollectiveProtocolName(p) << ": lat " << lat
                                   << " us, busBw " << busBw << " GB/s, algBw " << algBw
                                   << " GB/s, " << us << " us");
            if (us < best)
            {
                best = us;
                choice.algorithm = c.algorithm;
                choice.family = a;
                choice.protocol = p;
                choice.time = c.time;
            }
        }
    }
    return choice;
}

} // namespace ns3
