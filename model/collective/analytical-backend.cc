/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "analytical-backend.h"

#include "collective-closed-form.h"

#include "ns3/boolean.h"
#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-switch.h"
#include "ns3/log.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AnalyticalBackend");

NS_OBJECT_ENSURE_REGISTERED(AnalyticalBackend);

namespace
{

/// One hop of a path as the model needs it.
struct HopInfo
{
    std::vector<FabricNetDevice*> ports; //!< the ports sprayed over
    std::vector<double> portRates;       //!< each port's payload bytes/s (rate x payload eff)
    double aggregate{0};                 //!< sum of portRates
    double slowest{0};                   //!< smallest of portRates
    double delay{0};                     //!< largest cable delay of its ports, s
    double switchLatency{0};             //!< latency of the switch it leaves (0 at the source)
    bool cutThrough{true};               //!< every switch of the hop is cut-through
    uint32_t mtu{0};                     //!< smallest Mtu of its ports
};

/// A path between two topology ranks.
struct PathInfo
{
    std::vector<HopInfo> hops;               //!< in order
    NcclLinkType link{NcclLinkType::NVLINK}; //!< NVLINK if every port is NVLink, else NET
};

/**
 * \param topology the fabric
 * \param from source topology rank
 * \param to destination topology rank
 * \return the path's hops with their rates, delays, latencies and Mtus
 */
PathInfo
DescribePath(Ptr<FabricTopology> topology, uint32_t from, uint32_t to)
{
    PathInfo path;
    const auto hops = topology->GetPathHops(from, to);
    for (size_t h = 0; h < hops.size(); ++h)
    {
        HopInfo info;
        info.slowest = std::numeric_limits<double>::infinity();
        info.mtu = std::numeric_limits<uint32_t>::max();
        for (const auto& port : hops[h])
        {
            const double rate = static_cast<double>(port->GetDataRate().GetBitRate()) / 8.0 *
                                port->GetPayloadEfficiency();
            info.ports.push_back(PeekPointer(port));
            info.portRates.push_back(rate);
            info.aggregate += rate;
            info.slowest = std::min(info.slowest, rate);
            info.mtu = std::min<uint32_t>(info.mtu, port->GetMtu());
            if (auto channel = DynamicCast<FabricChannel>(port->GetChannel()))
            {
                info.delay = std::max(info.delay, channel->GetDelay().GetSeconds());
            }
            if (Ptr<FabricSwitch> sw = port->GetSwitch())
            {
                info.switchLatency = std::max(info.switchLatency, sw->GetLatency().GetSeconds());
                info.cutThrough = info.cutThrough && sw->IsCutThrough();
            }
            if (!DynamicCast<NvlinkNetDevice>(port))
            {
                path.link = NcclLinkType::NET;
            }
        }
        if (!(info.aggregate > 0))
        {
            throw FabricConfigError("AnalyticalBackend",
                                    "hop " + std::to_string(h) + " from rank " +
                                        std::to_string(from) + " to rank " + std::to_string(to) +
                                        " has no bandwidth");
        }
        path.hops.push_back(std::move(info));
    }
    return path;
}

/**
 * \param port a transmitting port
 * \param topology the fabric
 * \return "node/ifIndex -> peer node"
 */
std::string
LinkName(Ptr<FabricNetDevice> port, Ptr<FabricTopology> topology)
{
    std::string name =
        topology->GetName(port->GetNode()) + "/" + std::to_string(port->GetIfIndex());
    if (auto channel = DynamicCast<FabricChannel>(port->GetChannel()))
    {
        if (Ptr<FabricNetDevice> peer = channel->GetPeer(port))
        {
            name += " -> " + topology->GetName(peer->GetNode());
        }
    }
    return name;
}

} // namespace

uint64_t
AnalyticalResult::GetTotalLinkBytes() const
{
    uint64_t total = 0;
    for (const auto& link : links)
    {
        total += link.bytes;
    }
    return total;
}

TypeId
AnalyticalBackend::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AnalyticalBackend")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<AnalyticalBackend>()
            .AddAttribute("ReductionRate",
                          "Data a GPU reduces per second after a reducing transfer (added as "
                          "bytes / rate to its end); 0 bit/s: reductions are free. Try "
                          "\"1000GB/s\" (bytes) for an HBM-bound H100 kernel [assumption].",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&AnalyticalBackend::m_reductionRate),
                          MakeDataRateChecker())
            .AddAttribute("ProtocolLatency",
                          "Add NCCL's hardware latency of one step (fact sheet §9.2: per "
                          "algorithm family, protocol and link type NVLINK or NET) before "
                          "every transfer.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&AnalyticalBackend::m_protocolLatency),
                          MakeBooleanChecker())
            .AddAttribute("BaseLatency",
                          "Add NCCL's base latency of the algorithm family and protocol "
                          "(fact sheet §9.2: launch and setup, e.g. 8.4 us for Ring/Simple) "
                          "once, before every transfer can start.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&AnalyticalBackend::m_baseLatency),
                          MakeBooleanChecker())
            .AddAttribute("HottestLinks",
                          "How many of the most loaded ports the result lists as hottest.",
                          UintegerValue(10),
                          MakeUintegerAccessor(&AnalyticalBackend::m_hottestLinks),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

AnalyticalBackend::AnalyticalBackend()
    : m_reductionRate(0),
      m_protocolLatency(true),
      m_baseLatency(false),
      m_hottestLinks(10)
{
    NS_LOG_FUNCTION(this);
}

AnalyticalBackend::~AnalyticalBackend()
{
    NS_LOG_FUNCTION(this);
}

AnalyticalResult
AnalyticalBackend::Run(const CollectiveSchedule& schedule,
                       Ptr<FabricTopology> topology,
                       const std::vector<uint32_t>& commToTopoRank,
                       CollectiveProtocol protocol) const
{
    return Run(schedule,
               topology,
               commToTopoRank,
               protocol,
               NcclAlgorithmForName(schedule.algorithm));
}

AnalyticalResult
AnalyticalBackend::Run(const CollectiveSchedule& schedule,
                       Ptr<FabricTopology> topology,
                       const std::vector<uint32_t>& commToTopoRank,
                       CollectiveProtocol protocol,
                       NcclAlgorithm family) const
{
    NS_LOG_FUNCTION(this << schedule.algorithm << CollectiveOpName(schedule.op) << schedule.nranks
                         << CollectiveProtocolName(protocol) << NcclAlgorithmName(family));
    const std::string where =
        "AnalyticalBackend (" + schedule.algorithm + " " + CollectiveOpName(schedule.op) + ")";
    if (!topology)
    {
        throw FabricConfigError(where, "no topology");
    }
    schedule.CheckStructure();

    // Communicator ranks to topology ranks: one each, distinct, in range.
    std::vector<uint32_t> toTopo = commToTopoRank;
    if (toTopo.empty())
    {
        for (uint32_t r = 0; r < schedule.nranks; ++r)
        {
            toTopo.push_back(r);
        }
    }
    if (toTopo.size() != schedule.nranks)
    {
        throw FabricConfigError(where,
                                "maps " + std::to_string(toTopo.size()) +
                                    " communicator ranks but the schedule has " +
                                    std::to_string(schedule.nranks));
    }
    {
        std::vector<bool> used(topology->GetNRanks(), false);
        for (uint32_t r = 0; r < toTopo.size(); ++r)
        {
            if (toTopo[r] >= topology->GetNRanks() || used[toTopo[r]])
            {
                throw FabricConfigError(
                    where,
                    "communicator rank " + std::to_string(r) + " maps to topology rank " +
                        std::to_string(toTopo[r]) +
                        (toTopo[r] >= topology->GetNRanks()
                             ? ", beyond the topology's " + std::to_string(topology->GetNRanks())
                             : ", which another rank has already"));
            }
            used[toTopo[r]] = true;
        }
    }

    const double protoEff = CollectiveProtocolEfficiency(protocol);
    const double reductionRate = static_cast<double>(m_reductionRate.GetBitRate()) / 8.0;
    const double base = m_baseLatency ? NcclBaseLatency(family, protocol).GetSeconds() : 0.0;
    double stepLatency[3] = {0, 0, 0};
    if (m_protocolLatency)
    {
        for (auto link : {NcclLinkType::NVLINK, NcclLinkType::NET})
        {
            if (NcclHasHwLatency(link, family, protocol))
            {
                stepLatency[static_cast<int>(link)] =
                    NcclHwLatency(link, family, protocol).GetSeconds();
            }
            else
            {
                stepLatency[static_cast<int>(link)] = -1; // refused if a transfer needs it
            }
        }
    }

    // Paths, once per pair of topology ranks.
    const size_t n = schedule.transfers.size();
    std::map<std::pair<uint32_t, uint32_t>, PathInfo> paths;
    std::vector<const PathInfo*> pathOf(n);
    for (size_t i = 0; i < n; ++i)
    {
        const auto key =
            std::make_pair(toTopo[schedule.transfers[i].src], toTopo[schedule.transfers[i].dst]);
        auto it = paths.find(key);
        if (it == paths.end())
        {
            it = paths.emplace(key, DescribePath(topology, key.first, key.second)).first;
        }
        pathOf[i] = &it->second;
    }

    // Sharing: per step, the transfers using each port.
    std::map<uint32_t, std::vector<size_t>> byStep;
    for (size_t i = 0; i < n; ++i)
    {
        byStep[schedule.transfers[i].step].push_back(i);
    }
    std::vector<std::vector<uint32_t>> sharers(n);
    std::vector<size_t> mark(n, std::numeric_limits<size_t>::max());
    size_t stamp = 0;
    for (const auto& [step, members] : byStep)
    {
        std::unordered_map<FabricNetDevice*, std::vector<size_t>> users;
        for (size_t i : members)
        {
            for (const auto& hop : pathOf[i]->hops)
            {
                for (FabricNetDevice* port : hop.ports)
                {
                    users[port].push_back(i);
                }
            }
        }
        for (size_t i : members)
        {
            for (const auto& hop : pathOf[i]->hops)
            {
                if (hop.ports.size() == 1)
                {
                    sharers[i].push_back(static_cast<uint32_t>(users[hop.ports[0]].size()));
                    continue;
                }
                ++stamp;
                uint32_t count = 0;
                for (FabricNetDevice* port : hop.ports)
                {
                    for (size_t j : users[port])
                    {
                        if (mark[j] != stamp)
                        {
                            mark[j] = stamp;
                            ++count;
                        }
                    }
                }
                sharers[i].push_back(count);
            }
        }
    }

    // Timing, in schedule order (dependencies point only backward).
    AnalyticalResult result;
    result.transfers.resize(n);
    std::vector<double> end(n, 0.0);
    double completion = 0;
    for (size_t i = 0; i < n; ++i)
    {
        const CollectiveTransfer& t = schedule.transfers[i];
        const PathInfo& path = *pathOf[i];
        AnalyticalTransferTiming& timing = result.transfers[i];
        double ready = base;
        for (uint32_t d : t.deps)
        {
            ready = std::max(ready, end[d]);
        }
        const double step = stepLatency[static_cast<int>(path.link)];
        if (step < 0)
        {
            throw FabricConfigError(where,
                                    "transfer " + std::to_string(i) + ": NCCL's " +
                                        NcclAlgorithmName(family) + " does not run " +
                                        CollectiveProtocolName(protocol) + " over " +
                                        NcclLinkTypeName(path.link));
        }
        const double start = ready + step;

        // Bottleneck rate and the first packet's way through.
        const double wire = static_cast<double>(t.bytes) / protoEff;
        uint32_t mtu = std::numeric_limits<uint32_t>::max();
        for (const auto& hop : path.hops)
        {
            mtu = std::min(mtu, hop.mtu);
        }
        const double first = std::min(wire, static_cast<double>(mtu));
        double bottleneck = std::numeric_limits<double>::infinity();
        uint32_t bottleneckHop = 0;
        double head = 0; // when the first packet's head leaves the current hop
        double tail = 0; // when its tail has left it
        for (size_t h = 0; h < path.hops.size(); ++h)
        {
            const HopInfo& hop = path.hops[h];
            const double s = sharers[i][h];
            const double share = hop.aggregate / s;
            if (share < bottleneck)
            {
                bottleneck = share;
                bottleneckHop = static_cast<uint32_t>(h);
            }
            const double tau =
                first / hop.slowest * std::max(1.0, s / static_cast<double>(hop.ports.size()));
            if (h == 0)
            {
                head = 0;
            }
            else
            {
                const double delay = path.hops[h - 1].delay;
                const double headIn = head + delay;
                const double tailIn = tail + delay;
                head = hop.cutThrough ? std::max(headIn + hop.switchLatency, tailIn - tau)
                                      : tailIn + hop.switchLatency;
            }
            tail = head + tau;
        }
        const double firstPacket = path.hops.empty() ? 0.0 : tail + path.hops.back().delay;
        double finish = start + firstPacket;
        if (!path.hops.empty())
        {
            finish += (wire - first) / bottleneck;
        }
        if (t.reduce && reductionRate > 0)
        {
            finish += static_cast<double>(t.bytes) / reductionRate;
        }
        end[i] = finish;
        completion = std::max(completion, finish);

        timing.ready = Seconds(ready);
        timing.start = Seconds(start);
        timing.end = Seconds(finish);
        timing.stepLatency = Seconds(step);
        timing.firstPacket = Seconds(firstPacket);
        timing.rate = path.hops.empty() ? 0.0 : bottleneck * protoEff;
        timing.hops = static_cast<uint32_t>(path.hops.size());
        timing.bottleneckHop = bottleneckHop;
        timing.sharers = path.hops.empty() ? 1 : sharers[i][bottleneckHop];
        timing.link = path.link;
        NS_LOG_LOGIC("transfer " << i << " " << t.src << "->" << t.dst << " step " << t.step
                                 << ": ready " << ready << " s, end " << finish << " s, rate "
                                 << timing.rate << " B/s (hop " << bottleneckHop << " shared by "
                                 << timing.sharers << ")");
    }
    result.completion = Seconds(completion);

    // Per-port load: every hop carries the bytes, split evenly over its ports.
    std::unordered_map<FabricNetDevice*, size_t> slot;
    std::vector<double> slotRate;
    for (size_t i = 0; i < n; ++i)
    {
        const uint64_t bytes = schedule.transfers[i].bytes;
        for (const auto& hop : pathOf[i]->hops)
        {
            const uint64_t k = hop.ports.size();
            for (uint64_t p = 0; p < k; ++p)
            {
                FabricNetDevice* port = hop.ports[p];
                auto it = slot.find(port);
                if (it == slot.end())
                {
                    it = slot.emplace(port, result.links.size()).first;
                    AnalyticalLinkLoad load;
                    load.port = port;
                    load.name = LinkName(port, topology);
                    result.links.push_back(load);
                    slotRate.push_back(hop.portRates[p] * protoEff);
                }
                result.links[it->second].bytes += bytes / k + (p < bytes % k ? 1 : 0);
            }
        }
    }
    for (size_t l = 0; l < result.links.size(); ++l)
    {
        AnalyticalLinkLoad& load = result.links[l];
        const double busy = static_cast<double>(load.bytes) / slotRate[l];
        load.busy = Seconds(busy);
        load.utilisation = completion > 0 ? busy / completion : 0.0;
    }
    result.hottest = result.links;
    std::stable_sort(
        result.hottest.begin(),
        result.hottest.end(),
        [](const AnalyticalLinkLoad& a, const AnalyticalLinkLoad& b) { return a.bytes > b.bytes; });
    if (result.hottest.size() > m_hottestLinks)
    {
        result.hottest.resize(m_hottestLinks);
    }

    if (completion > 0)
    {
        result.algBandwidth =
            CollectiveClosedForm::AlgBandwidth(static_cast<double>(schedule.bytes), completion);
        result.busBandwidth =
            CollectiveClosedForm::BusBandwidth(schedule.op, schedule.nranks, result.algBandwidth);
    }
    return result;
}

} // namespace ns3
