/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "analytical-backend.h"

#include "collective-closed-form.h"
#include "connection-slots.h"

#include "ns3/boolean.h"
#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-switch.h"
#include "ns3/log.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/nvls-engine.h"
#include "ns3/sharp-header.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <queue>
#include <tuple>
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
    /// In-network: the hops are the links the operation loads at once (not a chain), and
    /// `latency` is its fixed latency.
    bool parallel{false};
    double latency{0}; //!< in-network: request and answer through the switches, s
};

/**
 * \param path a path
 * \return the time a header takes through it without serialisation: cables and switches
 */
double
ChainLatency(const PathInfo& path)
{
    double latency = 0;
    for (const auto& hop : path.hops)
    {
        latency += hop.delay + hop.switchLatency;
    }
    return latency;
}

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
 * \brief The links an in-network transfer loads and its latency (see AnalyticalBackend).
 * \param t the transfer
 * \param members the topology ranks of its group
 * \param self the topology rank that issues it
 * \param describe the (cached) path between two topology ranks
 * \return its parallel hops
 */
template <typename Describe>
PathInfo
DescribeInNetwork(const CollectiveTransfer& t,
                  const std::vector<uint32_t>& members,
                  uint32_t self,
                  Describe describe)
{
    PathInfo path;
    path.parallel = true;
    std::vector<const HopInfo*> hops;
    auto add = [&hops](const HopInfo& hop) {
        for (const HopInfo* h : hops)
        {
            if (h->ports == hop.ports)
            {
                return;
            }
        }
        hops.push_back(&hop);
    };
    const uint32_t other = members.front() == self ? members[1] : members.front();
    switch (t.kind)
    {
    case TransferKind::LOAD_REDUCE:
        // Every member's uplink carries its copy; the requester's downlink the sum.
        for (uint32_t m : members)
        {
            add(describe(m, m == self ? other : self).hops.front());
        }
        add(describe(other, self).hops.back());
        path.latency = 2 * ChainLatency(describe(other, self));
        break;
    case TransferKind::MULTICAST:
        // The switch writes every member's copy, the storer's own too.
        add(describe(self, other).hops.front());
        for (uint32_t m : members)
        {
            add(m == self ? describe(other, self).hops.back() : describe(self, m).hops.back());
        }
        path.latency = ChainLatency(describe(self, other));
        break;
    default:
        // SHARP: every link of the tree once each way, which the paths between member 0 and
        // the others cover.
        for (uint32_t m : members)
        {
            if (m == self)
            {
                continue;
            }
            for (const auto& hop : describe(self, m).hops)
            {
                add(hop);
            }
            for (const auto& hop : describe(m, self).hops)
            {
                add(hop);
            }
            path.latency = std::max(path.latency, 2 * ChainLatency(describe(self, m)));
        }
        break;
    }
    for (const HopInfo* h : hops)
    {
        path.hops.push_back(*h);
        for (FabricNetDevice* port : h->ports)
        {
            if (!DynamicCast<NvlinkNetDevice>(Ptr<FabricNetDevice>(port)))
            {
                path.link = NcclLinkType::NET;
            }
        }
    }
    return path;
}

/**
 * \param mtu the transfer unit of the requester's NVLink links
 * \return the wire bytes per data byte an NVLS load-reduce adds: NvlsEngine's RequestBytes per
 * NVLink packet of each unit (see InNetworkEndpoint)
 */
double
NvlsRequestOverhead(uint32_t mtu)
{
    Ptr<NvlsEngine> engine = CreateObject<NvlsEngine>();
    return static_cast<double>(engine->GetRequestBytes(mtu)) / mtu;
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
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("SlotsPerConnection",
                          "Receive buffers per connection (NCCL_STEPS), as the packet level's "
                          "PacketExecutor::SlotsPerConnection (see ConnectionSlots). 0: "
                          "unlimited.",
                          UintegerValue(8),
                          MakeUintegerAccessor(&AnalyticalBackend::m_slotsPerConnection),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

AnalyticalBackend::AnalyticalBackend()
    : m_reductionRate(0),
      m_protocolLatency(true),
      m_baseLatency(false),
      m_hottestLinks(10),
      m_slotsPerConnection(8)
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
    const double base =
        (m_baseLatency ? NcclBaseLatency(family, protocol).GetSeconds() : 0.0) +
        (m_protocolLatency ? NcclInNetworkLatency(schedule, family, protocol).GetSeconds() : 0.0);
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

    // Paths, once per pair of topology ranks (and relay: PXN's path is the sender's to the
    // relay, then the relay's to the receiver, one pipeline).
    const size_t n = schedule.transfers.size();
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, PathInfo> paths;
    std::vector<const PathInfo*> pathOf(n);
    auto describe = [&](uint32_t a, uint32_t b) -> const PathInfo& {
        const auto key = std::make_tuple(a, CollectiveTransfer::NO_RELAY, b);
        auto it = paths.find(key);
        if (it == paths.end())
        {
            it = paths.emplace(key, DescribePath(topology, a, b)).first;
        }
        return it->second;
    };
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, PathInfo> inNetworkPaths;
    for (size_t i = 0; i < n; ++i)
    {
        const CollectiveTransfer& t = schedule.transfers[i];
        if (t.kind != TransferKind::SEND)
        {
            const auto key = std::make_tuple(static_cast<uint32_t>(t.kind), t.group, toTopo[t.src]);
            auto it = inNetworkPaths.find(key);
            if (it == inNetworkPaths.end())
            {
                std::vector<uint32_t> members;
                for (uint32_t m : schedule.groups[t.group])
                {
                    members.push_back(toTopo[m]);
                }
                it = inNetworkPaths
                         .emplace(key, DescribeInNetwork(t, members, toTopo[t.src], describe))
                         .first;
            }
            pathOf[i] = &it->second;
            continue;
        }
        const uint32_t via = t.via == CollectiveTransfer::NO_RELAY ? t.via : toTopo[t.via];
        const auto key = std::make_tuple(toTopo[t.src], via, toTopo[t.dst]);
        auto it = paths.find(key);
        if (it == paths.end())
        {
            PathInfo path;
            if (via == CollectiveTransfer::NO_RELAY)
            {
                path = DescribePath(topology, toTopo[t.src], toTopo[t.dst]);
            }
            else
            {
                path = DescribePath(topology, toTopo[t.src], via);
                PathInfo second = DescribePath(topology, via, toTopo[t.dst]);
                path.hops.insert(path.hops.end(), second.hops.begin(), second.hops.end());
                path.link = NcclLinkType::NET;
            }
            it = paths.emplace(key, std::move(path)).first;
        }
        pathOf[i] = &it->second;
    }

    // Fixed parts of each transfer: its step latency, its wire bytes, and the latency of its
    // first packet through the path beyond the time its bytes take at the bottleneck.
    AnalyticalResult result;
    result.transfers.resize(n);
    std::vector<double> stepOf(n);
    std::vector<double> wire(n);
    std::vector<double> tailLatency(n);
    std::vector<double> firstPacketOf(n);
    for (size_t i = 0; i < n; ++i)
    {
        const CollectiveTransfer& t = schedule.transfers[i];
        const PathInfo& path = *pathOf[i];
        if (path.parallel)
        {
            // In-network: no per-step latency (NcclInNetworkLatency is charged once); the
            // read requests of a load-reduce load the links with the data.
            stepOf[i] = 0;
            wire[i] = static_cast<double>(t.bytes) / protoEff;
            if (t.kind == TransferKind::LOAD_REDUCE)
            {
                wire[i] *= 1.0 + NvlsRequestOverhead(path.hops.front().mtu);
            }
            tailLatency[i] = path.latency;
            firstPacketOf[i] = path.latency;
            continue;
        }
        stepOf[i] = stepLatency[static_cast<int>(path.link)];
        if (stepOf[i] < 0)
        {
            throw FabricConfigError(where,
                                    "transfer " + std::to_string(i) + ": NCCL's " +
                                        NcclAlgorithmName(family) + " does not run " +
                                        CollectiveProtocolName(protocol) + " over " +
                                        NcclLinkTypeName(path.link));
        }
        wire[i] = static_cast<double>(t.bytes) / protoEff;
        uint32_t mtu = std::numeric_limits<uint32_t>::max();
        double bottleneck = std::numeric_limits<double>::infinity();
        for (const auto& hop : path.hops)
        {
            mtu = std::min(mtu, hop.mtu);
            bottleneck = std::min(bottleneck, hop.aggregate);
        }
        const double first = std::min(wire[i], static_cast<double>(mtu));
        double head = 0; // when the first packet's head leaves the current hop
        double tail = 0; // when its tail has left it
        for (size_t h = 0; h < path.hops.size(); ++h)
        {
            const HopInfo& hop = path.hops[h];
            const double tau = first / hop.slowest;
            if (h > 0)
            {
                const double delay = path.hops[h - 1].delay;
                head = hop.cutThrough
                           ? std::max(head + delay + hop.switchLatency, tail + delay - tau)
                           : tail + delay + hop.switchLatency;
            }
            tail = head + tau;
        }
        firstPacketOf[i] = path.hops.empty() ? 0.0 : tail + path.hops.back().delay;
        tailLatency[i] =
            path.hops.empty() ? 0.0 : std::max(0.0, firstPacketOf[i] - first / bottleneck);
    }

    // Ports, and for each path the ports of each hop (transfers on one path share its list).
    typedef std::vector<std::vector<uint32_t>> PathPorts;
    std::unordered_map<FabricNetDevice*, uint32_t> portIndex;
    std::vector<double> portRate;
    std::unordered_map<const PathInfo*, PathPorts> portsOfPath;
    std::vector<const PathPorts*> hopPorts(n);
    for (size_t i = 0; i < n; ++i)
    {
        auto [entry, freshPath] = portsOfPath.try_emplace(pathOf[i]);
        if (freshPath)
        {
            for (const auto& hop : pathOf[i]->hops)
            {
                std::vector<uint32_t> ports;
                ports.reserve(hop.ports.size());
                for (size_t p = 0; p < hop.ports.size(); ++p)
                {
                    auto [it, fresh] = portIndex.emplace(hop.ports[p], portRate.size());
                    if (fresh)
                    {
                        portRate.push_back(hop.portRates[p]);
                    }
                    ports.push_back(it->second);
                }
                entry->second.push_back(std::move(ports));
            }
        }
        hopPorts[i] = &entry->second;
    }

    // Fluid sharing in time: while transfers move data at once, each port's rate is split
    // equally among those crossing it, and a transfer moves at the slowest of its hops (a hop
    // sprayed over several ports sums its shares of them). Transfers that run at the same time
    // share, whichever step or channel they belong to.
    std::vector<uint32_t> users(portRate.size(), 0);
    std::vector<uint32_t> waiting(n, 0);
    std::vector<std::vector<uint32_t>> dependents(n);
    for (size_t i = 0; i < n; ++i)
    {
        waiting[i] = static_cast<uint32_t>(schedule.transfers[i].deps.size());
        for (uint32_t d : schedule.transfers[i].deps)
        {
            dependents[d].push_back(static_cast<uint32_t>(i));
        }
    }
    typedef std::pair<double, uint32_t> Event;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> starts;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> finishes;
    std::vector<double> end(n, 0.0);
    std::vector<double> ready(n, base);
    std::vector<double> remaining(wire);
    std::vector<double> rate(n, 0.0);
    std::vector<double> drainStart(n, 0.0);
    std::vector<bool> recorded(n, false);
    std::vector<uint32_t> bottleneckOf(n, 0);
    std::vector<uint32_t> sharersOf(n, 1);
    // Transfers between the same two ranks on the same channel and lane share one connection (a
    // queue pair), which sends its messages one after another, in the order they were posted;
    // they are posted as the receiver's slots allow, as at the packet level.
    ConnectionSlots slots(schedule, m_slotsPerConnection);
    std::vector<std::deque<uint32_t>> connection(slots.GetNConnections());
    std::vector<double> posted(n, 0.0);
    auto scheduleStart = [&](uint32_t i) {
        for (uint32_t d : schedule.transfers[i].deps)
        {
            ready[i] = std::max(ready[i], end[d]);
        }
        starts.emplace(ready[i] + stepOf[i], i);
    };
    for (uint32_t i = 0; i < n; ++i)
    {
        if (waiting[i] == 0)
        {
            scheduleStart(i);
        }
    }
    const double inf = std::numeric_limits<double>::infinity();
    double now = 0;
    double completion = 0;
    // The sharing is kept incrementally, so that the model's cost grows with the schedule's
    // transfers, not with transfers x those active at once: a transfer's rate changes only when
    // a transfer crossing one of its ports starts or stops; its remaining bytes are brought up to
    // date only then (remaining[i] holds them at lastUpdate[i]), and its projected drain time
    // waits in a heap, stamped with the rate's version so that stale entries are skipped.
    std::vector<std::vector<uint32_t>> onPort(portRate.size()); // active transfers per port
    std::vector<double> lastUpdate(n, 0.0);
    std::vector<uint32_t> version(n, 0);
    std::vector<bool> isActive(n, false);
    std::vector<bool> isDirty(n, false);
    std::vector<uint32_t> dirty;
    typedef std::tuple<double, uint32_t, uint32_t> Drain; // projected end, transfer, version
    std::priority_queue<Drain, std::vector<Drain>, std::greater<Drain>> drains;
    auto markDirty = [&](uint32_t i) {
        if (!isDirty[i])
        {
            isDirty[i] = true;
            dirty.push_back(i);
        }
    };
    auto markSharers = [&](uint32_t i) {
        for (const auto& ports : *hopPorts[i])
        {
            for (uint32_t p : ports)
            {
                for (uint32_t j : onPort[p])
                {
                    markDirty(j);
                }
            }
        }
    };
    auto activate = [&](uint32_t i, double at) {
        drainStart[i] = at;
        lastUpdate[i] = at;
        isActive[i] = true;
        for (const auto& ports : *hopPorts[i])
        {
            for (uint32_t p : ports)
            {
                ++users[p];
                onPort[p].push_back(i);
            }
        }
        if (hopPorts[i]->empty())
        {
            rate[i] = inf;
        }
        markDirty(i);
        markSharers(i);
    };
    auto post = [&](uint32_t j, double at) {
        posted[j] = at;
        auto& queue = connection[slots.GetConnection(j)];
        queue.push_back(j);
        if (queue.size() == 1)
        {
            activate(j, at);
        }
    };
    auto remainingAt = [&](uint32_t i, double t) {
        return rate[i] == inf ? 0.0 : remaining[i] - rate[i] * (t - lastUpdate[i]);
    };
    while (!starts.empty() || !drains.empty() || !finishes.empty() || !dirty.empty())
    {
        for (uint32_t i : dirty)
        {
            isDirty[i] = false;
            if (!isActive[i])
            {
                continue;
            }
            remaining[i] = remainingAt(i, now);
            lastUpdate[i] = now;
            double r = inf;
            uint32_t bottleneckHop = 0;
            for (size_t h = 0; h < hopPorts[i]->size(); ++h)
            {
                double hop = 0;
                for (uint32_t p : (*hopPorts[i])[h])
                {
                    hop += portRate[p] / users[p];
                }
                if (hop < r)
                {
                    r = hop;
                    bottleneckHop = static_cast<uint32_t>(h);
                }
            }
            rate[i] = r;
            if (!recorded[i] && !hopPorts[i]->empty())
            {
                // What the transfer met when it began: its bottleneck and who shared it.
                recorded[i] = true;
                bottleneckOf[i] = bottleneckHop;
                uint32_t most = 0;
                for (uint32_t p : (*hopPorts[i])[bottleneckHop])
                {
                    most = std::max(most, users[p]);
                }
                sharersOf[i] = most;
            }
            drains.emplace(r == inf ? now : now + remaining[i] / r, i, ++version[i]);
        }
        dirty.clear();
        while (!drains.empty() && (!isActive[std::get<1>(drains.top())] ||
                                   std::get<2>(drains.top()) != version[std::get<1>(drains.top())]))
        {
            drains.pop(); // stale: finished, or its rate changed since
        }
        const double tDrain = drains.empty() ? inf : std::max(now, std::get<0>(drains.top()));
        const double tStart = starts.empty() ? inf : starts.top().first;
        const double tFinish = finishes.empty() ? inf : finishes.top().first;
        const double t = std::min({tDrain, tStart, tFinish});
        if (t == inf)
        {
            break;
        }
        now = t;
        if (t == tFinish)
        {
            while (!finishes.empty() && finishes.top().first <= t)
            {
                const uint32_t i = finishes.top().second;
                finishes.pop();
                end[i] = t;
                completion = std::max(completion, t);
                for (uint32_t next : dependents[i])
                {
                    if (--waiting[next] == 0)
                    {
                        scheduleStart(next);
                    }
                }
                for (uint32_t j : slots.Arrived(i))
                {
                    post(j, t);
                }
            }
        }
        else if (t == tStart)
        {
            while (!starts.empty() && starts.top().first <= t)
            {
                const uint32_t i = starts.top().second;
                starts.pop();
                for (uint32_t j : slots.Ready(i))
                {
                    post(j, t);
                }
            }
        }
        else
        {
            // Every transfer whose bytes are out by now (to a millionth) ends its drain.
            while (!drains.empty())
            {
                const auto [projected, i, v] = drains.top();
                if (!isActive[i] || v != version[i])
                {
                    drains.pop();
                    continue;
                }
                if (remainingAt(i, t) > 1e-6 * std::max(1.0, wire[i]))
                {
                    break;
                }
                drains.pop();
                const CollectiveTransfer& tr = schedule.transfers[i];
                double finish = t + tailLatency[i];
                if (tr.reduce && reductionRate > 0)
                {
                    finish += static_cast<double>(tr.bytes) / reductionRate;
                }
                finishes.emplace(finish, i);
                const double span = t - drainStart[i];
                rate[i] = span > 0 ? wire[i] / span : 0.0;
                remaining[i] = 0;
                isActive[i] = false;
                for (const auto& ports : *hopPorts[i])
                {
                    for (uint32_t p : ports)
                    {
                        --users[p];
                        auto& list = onPort[p];
                        auto it = std::find(list.begin(), list.end(), i);
                        *it = list.back();
                        list.pop_back();
                    }
                }
                markSharers(i);
                auto& queue = connection[slots.GetConnection(i)];
                queue.pop_front();
                if (!queue.empty())
                {
                    activate(queue.front(), t); // the connection's next message
                }
            }
        }
    }
    for (size_t i = 0; i < n; ++i)
    {
        const PathInfo& path = *pathOf[i];
        AnalyticalTransferTiming& timing = result.transfers[i];
        timing.ready = Seconds(ready[i]);
        timing.start = Seconds(posted[i]);
        timing.end = Seconds(end[i]);
        timing.stepLatency = Seconds(stepOf[i]);
        timing.firstPacket = Seconds(firstPacketOf[i]);
        timing.rate = path.hops.empty() ? 0.0 : rate[i] * protoEff;
        timing.hops = static_cast<uint32_t>(path.hops.size());
        timing.bottleneckHop = bottleneckOf[i];
        timing.sharers = sharersOf[i];
        timing.link = path.link;
    }
    if (slots.GetHeld() > 0)
    {
        slots.ThrowStalled(where);
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
                    load.name = topology->GetPortName(port);
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
