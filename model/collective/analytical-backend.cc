/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "analytical-backend.h"

#include "collective-closed-form.h"
#include "connection-slots.h"

#include "ns3/boolean.h"
#include "ns3/credit-flow-control.h"
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
#include <utility>

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
    std::vector<double> portRates;       //!< each port's sustainable payload bytes/s
    std::vector<double> lineRates;       //!< each port's payload bytes/s on the wire
    double aggregate{0};                 //!< sum of portRates
    double slowest{0};                   //!< smallest of lineRates (serialises a packet)
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

/// Which path: (source, relay or NO_RELAY, destination), or in-network (kind, group, rank).
struct PathKey
{
    uint32_t a; //!< source topology rank (in-network: the kind)
    uint32_t b; //!< relay (in-network: the group)
    uint32_t c; //!< destination topology rank (in-network: the issuing rank)

    /**
     * \param o another key
     * \return whether they are the same
     */
    bool operator==(const PathKey& o) const
    {
        return a == o.a && b == o.b && c == o.c;
    }
};

/// Hash of a PathKey.
struct PathKeyHash
{
    /**
     * \param k a key
     * \return its hash
     */
    size_t operator()(const PathKey& k) const
    {
        uint64_t h = k.a * 0x9E3779B97F4A7C15ULL;
        h ^= (h >> 29) + k.b * 0xBF58476D1CE4E5B9ULL;
        h ^= (h >> 31) + k.c * 0x94D049BB133111EBULL;
        return static_cast<size_t>(h ^ (h >> 32));
    }
};

/// What the fluid model keeps of a path, shared by every transfer on it.
struct PathPorts
{
    std::vector<uint32_t> ports;  //!< dense indices of the ports of every hop, hop after hop
    std::vector<uint32_t> hopEnd; //!< per hop: the end of its ports in `ports`
    uint32_t mtu{std::numeric_limits<uint32_t>::max()};         //!< smallest Mtu on the path
    double bottleneck{std::numeric_limits<double>::infinity()}; //!< smallest hop aggregate
    double requestOverhead{0}; //!< in-network: NvlsRequestOverhead of its first hop
    std::vector<std::pair<uint64_t, uint64_t>> sizes; //!< (bytes, transfers) carried
    std::vector<uint32_t> hopSets;                    //!< per hop: its HopSet
    std::vector<uint32_t> classes; //!< the PortClass of every port of every hop, once per class
    uint64_t cachedBytes{std::numeric_limits<uint64_t>::max()}; //!< size of the cached values
    Time cachedStep;                                            //!< its step latency
    Time cachedFirstPacket; //!< a transfer's of cachedBytes: its first packet's latency
    double cachedTail{0};   //!< and its tail latency
};

/**
 * The ports of one hop as the fluid model shares them. Ports that every hop takes all or none
 * of (the 18 NVLink ports from a GPU to its NVSwitches) form one PortClass, whose ports always
 * have the same users; a transfer joins and leaves the classes of its hops, not every port.
 */
struct HopSet
{
    std::vector<uint32_t> ports;   //!< dense port indices, in the hop's order
    std::vector<uint32_t> classes; //!< per class of its ports: the class, once per occurrence
    std::vector<double> shareOf;   //!< one class: its ports' shares summed, per user count
    bool oneClass{true};           //!< all its ports are of one class
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

/// Each port's sustainable payload rate, computed once per port (see AnalyticalBackend).
struct SustainedRates
{
    bool creditLoop{true}; //!< bound a port by its receiver's buffer over the credit loop
    std::unordered_map<FabricNetDevice*, double> rates; //!< port -> payload bytes/s

    /**
     * \param port a transmitting port
     * \param line its payload bytes/s on the wire (rate x payload efficiency)
     * \param delay its cable's delay, s
     * \return the payload bytes/s it sustains: line, or less where the receiver's input buffer
     * does not cover the credit loop
     */
    double Get(Ptr<FabricNetDevice> port, Ptr<FabricChannel> channel, double line, double delay)
    {
        if (!creditLoop)
        {
            return line;
        }
        auto [it, fresh] = rates.emplace(PeekPointer(port), line);
        if (!fresh)
        {
            return it->second;
        }
        // The cable's other end (the device resolves its peer only when initialised).
        Ptr<FabricNetDevice> peer = channel ? channel->GetPeer(port) : nullptr;
        BooleanValue flowControl;
        port->GetAttribute("FlowControl", flowControl);
        if (!peer || !flowControl.Get())
        {
            return line; // without credits a full buffer drops; nothing holds the sender back
        }
        UintegerValue buffer;
        peer->GetAttribute("RxBufferSize", buffer);
        // Whole packets of the largest size fit the buffer's 64-byte credit blocks.
        const double wire = static_cast<double>(port->GetDataRate().GetBitRate()) / 8.0;
        const auto packet =
            static_cast<uint64_t>(std::llround(port->GetMtu() / port->GetPayloadEfficiency()));
        const uint64_t blocks = buffer.Get() / CreditFlowControl::BLOCK_BYTES;
        const uint64_t perPacket =
            (packet + CreditFlowControl::BLOCK_BYTES - 1) / CreditFlowControl::BLOCK_BYTES;
        const double usable = static_cast<double>(blocks / perPacket * packet);
        // The loop: the cable there, the receiving switch's latency, a packet's serialisation,
        // the cable back.
        Ptr<FabricSwitch> sw = peer->GetSwitch();
        const double loop = 2 * delay + (sw ? sw->GetLatency().GetSeconds() : 0.0) + packet / wire;
        it->second = std::min(line, usable / loop * port->GetPayloadEfficiency());
        return it->second;
    }
};

/**
 * \param topology the fabric
 * \param from source topology rank
 * \param to destination topology rank
 * \param sustained the ports' sustainable rates
 * \return the path's hops with their rates, delays, latencies and Mtus
 */
PathInfo
DescribePath(Ptr<FabricTopology> topology, uint32_t from, uint32_t to, SustainedRates& sustained)
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
            const double line = static_cast<double>(port->GetDataRate().GetBitRate()) / 8.0 *
                                port->GetPayloadEfficiency();
            double delay = 0;
            Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(port->GetChannel());
            if (channel)
            {
                delay = channel->GetDelay().GetSeconds();
                info.delay = std::max(info.delay, delay);
            }
            const double rate = sustained.Get(port, channel, line, delay);
            info.ports.push_back(PeekPointer(port));
            info.portRates.push_back(rate);
            info.lineRates.push_back(line);
            info.aggregate += rate;
            info.slowest = std::min(info.slowest, line);
            info.mtu = std::min<uint32_t>(info.mtu, port->GetMtu());
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
            .AddAttribute("CreditLoop",
                          "Bound each port's rate by its credit loop: at most the receiver's "
                          "input buffer (RxBufferSize, in whole largest packets) per round trip "
                          "of 2 x cable delay + the receiving switch's PortToPortLatency + one "
                          "packet's serialisation, as credit-based flow control allows.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&AnalyticalBackend::m_creditLoop),
                          MakeBooleanChecker())
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
      m_slotsPerConnection(8),
      m_creditLoop(true)
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
    // relay, then the relay's to the receiver, one pipeline). A deque keeps them in place, as
    // in-network paths point into the ones they are made of.
    const auto n = static_cast<uint32_t>(schedule.transfers.size());
    std::deque<PathInfo> paths;
    SustainedRates sustained;
    sustained.creditLoop = m_creditLoop;
    std::unordered_map<PathKey, uint32_t, PathKeyHash> pathIds;
    std::unordered_map<PathKey, uint32_t, PathKeyHash> inNetworkIds;

    // What the model keeps per transfer, in one cache line.
    struct State
    {
        double end{0};        //!< when it completed
        double remaining{0};  //!< wire bytes left at lastUpdate
        double rate{0};       //!< wire bytes/s now (at the end: over its whole drain)
        double drainStart{0}; //!< when it began to move data
        double lastUpdate{0}; //!< when remaining was last brought up to date
        double tail{0};       //!< latency after its last byte leaves (first packet's excess)
        double wire{0};       //!< wire payload bytes
        uint32_t path{0};     //!< index in paths
        uint32_t version{0};  //!< of its rate, to skip stale drain projections
    };

    std::vector<State> st(n);
    auto addPath = [&paths](PathInfo&& path) {
        paths.push_back(std::move(path));
        return static_cast<uint32_t>(paths.size() - 1);
    };
    auto describe = [&](uint32_t a, uint32_t b) -> const PathInfo& {
        const PathKey key{a, CollectiveTransfer::NO_RELAY, b};
        auto it = pathIds.find(key);
        if (it == pathIds.end())
        {
            it = pathIds.emplace(key, addPath(DescribePath(topology, a, b, sustained))).first;
        }
        return paths[it->second];
    };
    for (uint32_t i = 0; i < n; ++i)
    {
        const CollectiveTransfer& t = schedule.transfers[i];
        if (t.kind != TransferKind::SEND)
        {
            const PathKey key{static_cast<uint32_t>(t.kind), t.group, toTopo[t.src]};
            auto it = inNetworkIds.find(key);
            if (it == inNetworkIds.end())
            {
                std::vector<uint32_t> members;
                for (uint32_t m : schedule.groups[t.group])
                {
                    members.push_back(toTopo[m]);
                }
                PathInfo path = DescribeInNetwork(t, members, toTopo[t.src], describe);
                it = inNetworkIds.emplace(key, addPath(std::move(path))).first;
            }
            st[i].path = it->second;
            continue;
        }
        const uint32_t via = t.via == CollectiveTransfer::NO_RELAY ? t.via : toTopo[t.via];
        const PathKey key{toTopo[t.src], via, toTopo[t.dst]};
        auto it = pathIds.find(key);
        if (it == pathIds.end())
        {
            PathInfo path;
            if (via == CollectiveTransfer::NO_RELAY)
            {
                path = DescribePath(topology, toTopo[t.src], toTopo[t.dst], sustained);
            }
            else
            {
                path = DescribePath(topology, toTopo[t.src], via, sustained);
                PathInfo second = DescribePath(topology, via, toTopo[t.dst], sustained);
                path.hops.insert(path.hops.end(), second.hops.begin(), second.hops.end());
                path.link = NcclLinkType::NET;
            }
            it = pathIds.emplace(key, addPath(std::move(path))).first;
        }
        st[i].path = it->second;
    }

    // Ports: a dense index each, and for each path its ports hop after hop (transfers on one
    // path share the list) and what the transfers on it need of it.
    std::unordered_map<FabricNetDevice*, uint32_t> portIndex;
    std::vector<double> portRate;
    std::vector<PathPorts> pathPorts(paths.size());
    for (uint32_t id = 0; id < paths.size(); ++id)
    {
        const PathInfo& path = paths[id];
        PathPorts& pp = pathPorts[id];
        for (const auto& hop : path.hops)
        {
            for (size_t p = 0; p < hop.ports.size(); ++p)
            {
                auto [it, fresh] = portIndex.emplace(hop.ports[p], portRate.size());
                if (fresh)
                {
                    portRate.push_back(hop.portRates[p]);
                }
                pp.ports.push_back(it->second);
            }
            pp.hopEnd.push_back(static_cast<uint32_t>(pp.ports.size()));
            pp.mtu = std::min(pp.mtu, hop.mtu);
            pp.bottleneck = std::min(pp.bottleneck, hop.aggregate);
        }
        if (path.parallel && !path.hops.empty())
        {
            pp.requestOverhead = NvlsRequestOverhead(path.hops.front().mtu);
        }
    }
    // Hop sets and port classes: ports in the same hop sets (as often) are one class.
    std::vector<HopSet> hopSets;
    {
        std::map<std::vector<uint32_t>, uint32_t> hopSetIds;
        for (auto& pp : pathPorts)
        {
            uint32_t k = 0;
            for (uint32_t h = 0; h < pp.hopEnd.size(); ++h)
            {
                std::vector<uint32_t> ports(pp.ports.begin() + k, pp.ports.begin() + pp.hopEnd[h]);
                k = pp.hopEnd[h];
                auto [it, fresh] = hopSetIds.emplace(ports, hopSets.size());
                if (fresh)
                {
                    hopSets.push_back({std::move(ports), {}, {}, true});
                }
                pp.hopSets.push_back(it->second);
            }
        }
    }
    std::vector<uint32_t> classOf(portRate.size());
    uint32_t nClasses = 0;
    {
        // A port's signature: the hop sets it is in, once per time it is listed there.
        std::vector<std::vector<uint32_t>> signature(portRate.size());
        for (uint32_t hs = 0; hs < hopSets.size(); ++hs)
        {
            for (uint32_t p : hopSets[hs].ports)
            {
                signature[p].push_back(hs);
            }
        }
        std::map<std::vector<uint32_t>, uint32_t> classIds;
        for (uint32_t p = 0; p < portRate.size(); ++p)
        {
            classOf[p] = classIds.emplace(std::move(signature[p]), classIds.size()).first->second;
        }
        nClasses = static_cast<uint32_t>(classIds.size());
    }
    for (auto& hs : hopSets)
    {
        // Every port of a class is listed as often in the hop: the first one's count says it.
        std::map<uint32_t, uint32_t> count;
        for (uint32_t p : hs.ports)
        {
            ++count[p];
        }
        std::vector<uint32_t> done;
        for (uint32_t p : hs.ports)
        {
            const uint32_t c = classOf[p];
            if (std::find(done.begin(), done.end(), c) != done.end())
            {
                continue;
            }
            done.push_back(c);
            hs.classes.insert(hs.classes.end(), count[p], c);
        }
        hs.oneClass = done.size() == 1 && hs.classes.size() == 1;
    }
    for (auto& pp : pathPorts)
    {
        for (uint32_t hs : pp.hopSets)
        {
            pp.classes.insert(pp.classes.end(),
                              hopSets[hs].classes.begin(),
                              hopSets[hs].classes.end());
        }
    }

    // The wire payload bytes of a transfer: its data through the protocol, plus a
    // load-reduce's read requests, which load the links with the data.
    auto computeWire = [&](uint32_t i) {
        const CollectiveTransfer& t = schedule.transfers[i];
        double wire = static_cast<double>(t.bytes) / protoEff;
        if (paths[st[i].path].parallel && t.kind == TransferKind::LOAD_REDUCE)
        {
            wire *= 1.0 + pathPorts[st[i].path].requestOverhead;
        }
        return wire;
    };
    // Each path's NCCL step latency (in-network: none, NcclInNetworkLatency is charged once).
    std::vector<double> pathStep(paths.size());
    for (uint32_t id = 0; id < paths.size(); ++id)
    {
        pathStep[id] = paths[id].parallel ? 0.0 : stepLatency[static_cast<int>(paths[id].link)];
    }

    // Fixed parts of each transfer: its step latency, and the latency of its first packet
    // through the path beyond the time its bytes take at the bottleneck.
    AnalyticalResult result;
    result.transfers.resize(n);
    const Time baseTime = Seconds(base);
    // Seconds() of the times the loop reports, which come in runs of equal values (a batch of
    // transfers ready, posted or done at once): the last conversion is reused.
    double lastSeconds = 0;
    Time lastTime = Seconds(0.0);
    auto toTime = [&lastSeconds, &lastTime](double seconds) {
        if (seconds != lastSeconds)
        {
            lastSeconds = seconds;
            lastTime = Seconds(seconds);
        }
        return lastTime;
    };
    for (uint32_t i = 0; i < n; ++i)
    {
        const PathInfo& path = paths[st[i].path];
        PathPorts& pp = pathPorts[st[i].path];
        AnalyticalTransferTiming& timing = result.transfers[i];
        timing.ready = baseTime;
        timing.hops = static_cast<uint32_t>(path.hops.size());
        timing.link = path.link;
        st[i].wire = computeWire(i);
        if (path.parallel)
        {
            st[i].tail = path.latency;
            timing.firstPacket = Seconds(path.latency);
            continue;
        }
        const double step = pathStep[st[i].path];
        if (step < 0)
        {
            throw FabricConfigError(where,
                                    "transfer " + std::to_string(i) + ": NCCL's " +
                                        NcclAlgorithmName(family) + " does not run " +
                                        CollectiveProtocolName(protocol) + " over " +
                                        NcclLinkTypeName(path.link));
        }
        // The rest follows from the path and the size: computed once per path and size seen
        // last (a path's transfers are one or two sizes).
        const uint64_t bytes = schedule.transfers[i].bytes;
        if (pp.cachedBytes != bytes)
        {
            pp.cachedBytes = bytes;
            pp.cachedStep = Seconds(step);
            const double first = std::min(st[i].wire, static_cast<double>(pp.mtu));
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
            const double firstPacket = path.hops.empty() ? 0.0 : tail + path.hops.back().delay;
            pp.cachedFirstPacket = Seconds(firstPacket);
            pp.cachedTail =
                path.hops.empty() ? 0.0 : std::max(0.0, firstPacket - first / pp.bottleneck);
        }
        timing.stepLatency = pp.cachedStep;
        timing.firstPacket = pp.cachedFirstPacket;
        st[i].tail = pp.cachedTail;
    }

    // Fluid sharing in time: while transfers move data at once, each port's rate is split
    // equally among those crossing it, and a transfer moves at the slowest of its hops (a hop
    // sprayed over several ports sums its shares of them). Transfers that run at the same time
    // share, whichever step or channel they belong to.
    std::vector<uint32_t> users(nClasses, 0); // active transfers on each port of the class
    std::vector<uint32_t> waiting(n, 0);
    // Who waits for each transfer, all in one array (dependents of i: from first[i] to
    // first[i + 1]), in schedule order.
    std::vector<uint32_t> firstDependent(n + 1, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        waiting[i] = static_cast<uint32_t>(schedule.transfers[i].deps.size());
        for (uint32_t d : schedule.transfers[i].deps)
        {
            ++firstDependent[d + 1];
        }
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        firstDependent[i + 1] += firstDependent[i];
    }
    std::vector<uint32_t> dependents(firstDependent[n]);
    {
        std::vector<uint32_t> fill(firstDependent.begin(), firstDependent.end() - 1);
        for (uint32_t i = 0; i < n; ++i)
        {
            for (uint32_t d : schedule.transfers[i].deps)
            {
                dependents[fill[d]++] = i;
            }
        }
    }
    typedef std::pair<double, uint32_t> Event;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> starts;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> finishes;
    std::vector<bool> recorded(n, false);
    // Transfers between the same two ranks on the same channel and lane share one connection (a
    // queue pair), which sends its messages one after another, in the order they were posted;
    // they are posted as the receiver's slots allow, as at the packet level. Each connection's
    // queue is a range of one array, sized by the transfers it carries; only its head moves
    // data, so per connection one slot range records where the head sits in the port lists.
    ConnectionSlots slots(schedule, m_slotsPerConnection);
    const uint32_t nConnections = slots.GetNConnections();
    std::vector<uint32_t> queueBegin(nConnections + 1, 0);
    std::vector<uint32_t> positionBegin(nConnections + 1, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint32_t c = slots.GetConnection(i);
        ++queueBegin[c + 1];
        positionBegin[c + 1] =
            std::max(positionBegin[c + 1],
                     static_cast<uint32_t>(pathPorts[st[i].path].classes.size()));
    }
    for (uint32_t c = 0; c < nConnections; ++c)
    {
        queueBegin[c + 1] += queueBegin[c];
        positionBegin[c + 1] += positionBegin[c];
    }
    std::vector<uint32_t> queue(n);
    std::vector<uint32_t> queueHead(queueBegin.begin(), queueBegin.end() - 1);
    std::vector<uint32_t> queueTail(queueHead);
    std::vector<uint32_t> position(positionBegin[nConnections]);
    auto scheduleStart = [&](uint32_t i) {
        double at = base;
        for (uint32_t d : schedule.transfers[i].deps)
        {
            at = std::max(at, st[d].end);
        }
        result.transfers[i].ready = toTime(at);
        starts.emplace(at + pathStep[st[i].path], i);
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
    // date only then (st[i].remaining holds them at st[i].lastUpdate), and its projected drain time
    // waits in a heap, stamped with the rate's version so that stale entries are skipped.
    struct OnPort
    {
        uint32_t transfer; //!< an active transfer crossing the class's ports
        uint32_t slot;     //!< where position[] keeps this entry's index in the class's list
    };

    std::vector<std::vector<OnPort>> onPort(nClasses); // active transfers per port class
    std::vector<bool> isActive(n, false);
    std::vector<bool> isDirty(n, false);
    std::vector<uint32_t> dirty;
    std::vector<uint32_t> posts;
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
        for (uint32_t p : pathPorts[st[i].path].classes)
        {
            for (const OnPort& entry : onPort[p])
            {
                markDirty(entry.transfer);
            }
        }
    };
    auto activate = [&](uint32_t i, double at) {
        st[i].drainStart = at;
        st[i].lastUpdate = at;
        st[i].remaining = st[i].wire;
        isActive[i] = true;
        const auto& ports = pathPorts[st[i].path].classes;
        const uint32_t slot = positionBegin[slots.GetConnection(i)];
        for (uint32_t k = 0; k < ports.size(); ++k)
        {
            const uint32_t p = ports[k];
            ++users[p];
            position[slot + k] = static_cast<uint32_t>(onPort[p].size());
            onPort[p].push_back({i, slot + k});
        }
        if (ports.empty())
        {
            st[i].rate = inf;
        }
        markDirty(i);
        markSharers(i);
    };
    auto deactivate = [&](uint32_t i) {
        isActive[i] = false;
        const auto& ports = pathPorts[st[i].path].classes;
        const uint32_t slot = positionBegin[slots.GetConnection(i)];
        for (uint32_t k = 0; k < ports.size(); ++k)
        {
            const uint32_t p = ports[k];
            --users[p];
            auto& list = onPort[p];
            const uint32_t at = position[slot + k];
            list[at] = list.back();
            position[list[at].slot] = at;
            list.pop_back();
        }
    };
    auto post = [&](uint32_t j, double at) {
        result.transfers[j].start = toTime(at);
        const uint32_t c = slots.GetConnection(j);
        queue[queueTail[c]++] = j;
        if (queueTail[c] - queueHead[c] == 1)
        {
            activate(j, at);
        }
    };
    // A hop's rate for one more transfer: each port's rate shared by its users, summed over
    // the ports in their order (memoised per user count when the hop is one class).
    auto hopShare = [&](HopSet& hs) {
        const uint32_t u = users[hs.classes.front()];
        const bool oneClass = hs.oneClass;
        if (oneClass && u < hs.shareOf.size() && hs.shareOf[u] >= 0)
        {
            return hs.shareOf[u];
        }
        double hop = 0;
        for (uint32_t p : hs.ports)
        {
            hop += portRate[p] / users[classOf[p]];
        }
        if (oneClass)
        {
            if (u >= hs.shareOf.size())
            {
                hs.shareOf.resize(u + 1, -1.0);
            }
            hs.shareOf[u] = hop;
        }
        return hop;
    };
    auto remainingAt = [&](uint32_t i, double t) {
        return st[i].rate == inf ? 0.0 : st[i].remaining - st[i].rate * (t - st[i].lastUpdate);
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
            st[i].remaining = remainingAt(i, now);
            st[i].lastUpdate = now;
            double r = inf;
            uint32_t bottleneckHop = 0;
            const PathPorts& pp = pathPorts[st[i].path];
            for (uint32_t h = 0; h < pp.hopSets.size(); ++h)
            {
                const double hop = hopShare(hopSets[pp.hopSets[h]]);
                if (hop < r)
                {
                    r = hop;
                    bottleneckHop = h;
                }
            }
            st[i].rate = r;
            if (!recorded[i] && !pp.hopEnd.empty())
            {
                // What the transfer met when it began: its bottleneck and who shared it.
                recorded[i] = true;
                uint32_t most = 0;
                for (uint32_t c : hopSets[pp.hopSets[bottleneckHop]].classes)
                {
                    most = std::max(most, users[c]);
                }
                result.transfers[i].bottleneckHop = bottleneckHop;
                result.transfers[i].sharers = most;
            }
            drains.emplace(r == inf ? now : now + st[i].remaining / r, i, ++st[i].version);
        }
        dirty.clear();
        while (!drains.empty() &&
               (!isActive[std::get<1>(drains.top())] ||
                std::get<2>(drains.top()) != st[std::get<1>(drains.top())].version))
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
                st[i].end = t;
                completion = std::max(completion, t);
                for (uint32_t d = firstDependent[i]; d < firstDependent[i + 1]; ++d)
                {
                    if (--waiting[dependents[d]] == 0)
                    {
                        scheduleStart(dependents[d]);
                    }
                }
                posts.clear();
                slots.Arrived(i, posts);
                for (uint32_t j : posts)
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
                posts.clear();
                slots.Ready(i, posts);
                for (uint32_t j : posts)
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
                if (!isActive[i] || v != st[i].version)
                {
                    drains.pop();
                    continue;
                }
                const double wire = st[i].wire;
                if (remainingAt(i, t) > 1e-6 * std::max(1.0, wire))
                {
                    break;
                }
                drains.pop();
                const CollectiveTransfer& tr = schedule.transfers[i];
                double finish = t + st[i].tail;
                if (tr.reduce && reductionRate > 0)
                {
                    finish += static_cast<double>(tr.bytes) / reductionRate;
                }
                finishes.emplace(finish, i);
                const double span = t - st[i].drainStart;
                st[i].rate = span > 0 ? wire / span : 0.0;
                st[i].remaining = 0;
                deactivate(i);
                markSharers(i);
                const uint32_t c = slots.GetConnection(i);
                ++queueHead[c];
                if (queueHead[c] != queueTail[c])
                {
                    activate(queue[queueHead[c]], t); // the connection's next message
                }
            }
        }
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        AnalyticalTransferTiming& timing = result.transfers[i];
        timing.end = toTime(st[i].end);
        timing.rate = timing.hops == 0 ? 0.0 : st[i].rate * protoEff;
    }
    if (slots.GetHeld() > 0)
    {
        slots.ThrowStalled(where);
    }
    result.completion = Seconds(completion);

    // Per-port load: every hop carries the bytes, split evenly over its ports. Summed per path
    // and size first (a path's transfers are few sizes), so that the ports are visited once per
    // path, not per transfer; paths in order of first use list the ports in first-use order.
    std::vector<uint32_t> pathOrder;
    for (uint32_t i = 0; i < n; ++i)
    {
        auto& sizes = pathPorts[st[i].path].sizes;
        if (sizes.empty())
        {
            pathOrder.push_back(st[i].path);
        }
        const uint64_t bytes = schedule.transfers[i].bytes;
        auto it = std::find_if(sizes.begin(), sizes.end(), [bytes](const auto& s) {
            return s.first == bytes;
        });
        if (it == sizes.end())
        {
            sizes.emplace_back(bytes, 1);
        }
        else
        {
            ++it->second;
        }
    }
    std::vector<uint32_t> linkOf(portRate.size(), UINT32_MAX);
    std::vector<double> linkRate;
    for (uint32_t id : pathOrder)
    {
        const PathInfo& path = paths[id];
        const PathPorts& pp = pathPorts[id];
        for (const auto& [bytes, count] : pp.sizes)
        {
            uint32_t flat = 0;
            for (const auto& hop : path.hops)
            {
                const uint64_t k = hop.ports.size();
                for (uint64_t p = 0; p < k; ++p, ++flat)
                {
                    uint32_t& link = linkOf[pp.ports[flat]];
                    if (link == UINT32_MAX)
                    {
                        link = static_cast<uint32_t>(result.links.size());
                        AnalyticalLinkLoad load;
                        load.port = hop.ports[p];
                        load.name = topology->GetPortName(load.port);
                        result.links.push_back(std::move(load));
                        linkRate.push_back(hop.lineRates[p] * protoEff);
                    }
                    result.links[link].bytes += count * (bytes / k + (p < bytes % k ? 1 : 0));
                }
            }
        }
    }
    for (size_t l = 0; l < result.links.size(); ++l)
    {
        AnalyticalLinkLoad& load = result.links[l];
        const double busy = static_cast<double>(load.bytes) / linkRate[l];
        load.busy = Seconds(busy);
        load.utilisation = completion > 0 ? busy / completion : 0.0;
    }
    std::vector<uint32_t> hottest(result.links.size());
    for (uint32_t l = 0; l < hottest.size(); ++l)
    {
        hottest[l] = l;
    }
    std::stable_sort(hottest.begin(), hottest.end(), [&result](uint32_t a, uint32_t b) {
        return result.links[a].bytes > result.links[b].bytes;
    });
    hottest.resize(std::min<size_t>(hottest.size(), m_hottestLinks));
    for (uint32_t l : hottest)
    {
        result.hottest.push_back(result.links[l]);
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
