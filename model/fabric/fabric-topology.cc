/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-topology.h"

#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-port-group.h"
#include "ns3/fabric-switch.h"
#include "ns3/log.h"
#include "ns3/node.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricTopology");

NS_OBJECT_ENSURE_REGISTERED(FabricTopology);

TypeId
FabricTopology::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FabricTopology")
                            .SetParent<Object>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<FabricTopology>();
    return tid;
}

FabricTopology::FabricTopology() = default;

FabricTopology::~FabricTopology() = default;

void
FabricTopology::DoDispose()
{
    m_scaleUp.clear();
    m_hcas.clear();
    m_links.clear();
    Object::DoDispose();
}

uint32_t
FabricTopology::AddGpu(Ptr<Node> node, uint16_t gpuId, uint32_t server, const std::string& name)
{
    m_gpus.Add(node);
    m_gpuIds.push_back(gpuId);
    m_servers.push_back(server);
    m_scaleUp.push_back(nullptr);
    m_hcas.push_back(nullptr);
    m_memory.push_back(false);
    m_names[node->GetId()] = name;
    return m_gpus.GetN() - 1;
}

void
FabricTopology::SetScaleUpPort(uint32_t rank, Ptr<FabricNetDevice> port)
{
    m_scaleUp.at(rank) = port;
}

void
FabricTopology::SetHcaPort(uint32_t rank, Ptr<FabricNetDevice> port)
{
    m_hcas.at(rank) = port;
}

void
FabricTopology::SetMemoryEndpoint(uint32_t rank)
{
    m_memory.at(rank) = true;
}

bool
FabricTopology::IsMemoryEndpoint(uint32_t rank) const
{
    GetGpuNode(rank);
    return m_memory[rank];
}

std::vector<uint32_t>
FabricTopology::GetMemoryEndpoints() const
{
    std::vector<uint32_t> ranks;
    for (uint32_t r = 0; r < m_memory.size(); ++r)
    {
        if (m_memory[r])
        {
            ranks.push_back(r);
        }
    }
    return ranks;
}

uint32_t
FabricTopology::GetNGpus() const
{
    return static_cast<uint32_t>(std::count(m_memory.begin(), m_memory.end(), false));
}

void
FabricTopology::AddSwitch(Ptr<Node> node, const std::string& name)
{
    m_switches.Add(node);
    m_names[node->GetId()] = name;
}

void
FabricTopology::AddLink(Ptr<FabricNetDevice> a, Ptr<FabricNetDevice> b, const std::string& category)
{
    m_links.push_back(Link{a, b, category});
}

void
FabricTopology::SetBisectionBandwidth(DataRate bisection)
{
    m_bisection = bisection;
}

void
FabricTopology::SetDescription(const TopologyDescription& description)
{
    m_description = description;
}

const TopologyDescription&
FabricTopology::GetDescription() const
{
    return m_description;
}

uint32_t
FabricTopology::GetNRanks() const
{
    return m_gpus.GetN();
}

Ptr<Node>
FabricTopology::GetGpuNode(uint32_t rank) const
{
    if (rank >= m_gpus.GetN())
    {
        throw FabricConfigError("FabricTopology",
                                "rank " + std::to_string(rank) + " does not exist (ranks 0-" +
                                    std::to_string(m_gpus.GetN() - 1) + ")");
    }
    return m_gpus.Get(rank);
}

NodeContainer
FabricTopology::GetGpuNodes() const
{
    return m_gpus;
}

NodeContainer
FabricTopology::GetSwitchNodes() const
{
    return m_switches;
}

uint16_t
FabricTopology::GetGpuId(uint32_t rank) const
{
    GetGpuNode(rank);
    return m_gpuIds[rank];
}

Ptr<FabricNetDevice>
FabricTopology::GetScaleUpPort(uint32_t rank) const
{
    GetGpuNode(rank);
    return m_scaleUp[rank];
}

Ptr<FabricNetDevice>
FabricTopology::GetHcaPort(uint32_t rank) const
{
    GetGpuNode(rank);
    return m_hcas[rank];
}

uint32_t
FabricTopology::GetServer(uint32_t rank) const
{
    GetGpuNode(rank);
    return m_servers[rank];
}

std::string
FabricTopology::GetName(Ptr<Node> node) const
{
    auto it = m_names.find(node->GetId());
    return it == m_names.end() ? "node" + std::to_string(node->GetId()) : it->second;
}

std::string
FabricTopology::GetPortName(Ptr<FabricNetDevice> port) const
{
    std::string name = GetName(port->GetNode()) + "/" + std::to_string(port->GetIfIndex());
    if (auto channel = DynamicCast<FabricChannel>(port->GetChannel()))
    {
        if (Ptr<FabricNetDevice> peer = channel->GetPeer(port))
        {
            name += " -> " + GetName(peer->GetNode());
        }
    }
    return name;
}

const std::vector<FabricTopology::Link>&
FabricTopology::GetLinks() const
{
    return m_links;
}

std::map<std::string, uint32_t>
FabricTopology::CountLinks() const
{
    std::map<std::string, uint32_t> counts;
    for (const auto& link : m_links)
    {
        counts[link.category]++;
    }
    return counts;
}

DataRate
FabricTopology::GetBisectionBandwidth() const
{
    return m_bisection;
}

namespace
{

/// The port at the other end of a port's cable.
Ptr<FabricNetDevice>
PeerOf(Ptr<FabricNetDevice> port)
{
    return DynamicCast<FabricChannel>(port->GetChannel())->GetPeer(port);
}

} // namespace

std::vector<Ptr<FabricNetDevice>>
FabricTopology::Walk(Ptr<FabricNetDevice> first, uint16_t dst) const
{
    std::vector<Ptr<FabricNetDevice>> hops{first};
    Ptr<FabricNetDevice> at = first;
    while (true)
    {
        Ptr<FabricNetDevice> peer = PeerOf(at);
        Ptr<FabricSwitch> sw = peer->GetSwitch();
        if (!sw)
        {
            if (peer->GetLocalAddress() != dst)
            {
                throw FabricConfigError("FabricTopology",
                                        "the route to address " + std::to_string(dst) +
                                            " ends at " + peer->Describe());
            }
            return hops;
        }
        const auto routes = sw->GetRoutes(dst);
        if (routes.empty())
        {
            throw FabricConfigError(sw->Describe(), "no route to address " + std::to_string(dst));
        }
        at = sw->GetPort(routes.front());
        hops.push_back(at);
        if (hops.size() > m_switches.GetN() + 2)
        {
            throw FabricConfigError("FabricTopology",
                                    "routing loop toward address " + std::to_string(dst));
        }
    }
}

Ptr<FabricNetDevice>
FabricTopology::GetSourcePort(uint32_t from, uint32_t to) const
{
    GetGpuNode(from);
    GetGpuNode(to);
    if (m_servers[from] == m_servers[to] && m_scaleUp[from] && m_scaleUp[to])
    {
        return m_scaleUp[from];
    }
    if (m_hcas[from] && m_hcas[to])
    {
        return m_hcas[from];
    }
    if (m_scaleUp[from] && m_scaleUp[to])
    {
        return m_scaleUp[from];
    }
    throw FabricConfigError("FabricTopology",
                            "no fabric joins rank " + std::to_string(from) + " and rank " +
                                std::to_string(to));
}

uint16_t
FabricTopology::GetDestinationAddress(uint32_t from, uint32_t to) const
{
    Ptr<FabricNetDevice> port = GetSourcePort(from, to);
    return port == m_hcas[from] ? m_hcas[to]->GetLocalAddress() : m_gpuIds[to];
}

std::vector<std::string>
FabricTopology::GetPath(uint32_t from, uint32_t to) const
{
    GetGpuNode(from);
    GetGpuNode(to);
    std::vector<std::string> names{GetName(m_gpus.Get(from))};
    if (from == to)
    {
        return names;
    }
    for (const auto& port : Walk(GetSourcePort(from, to), GetDestinationAddress(from, to)))
    {
        names.push_back(GetName(PeerOf(port)->GetNode()));
    }
    return names;
}

bool
FabricTopology::IsPathSprayed(uint32_t from, uint32_t to) const
{
    for (const auto& hop : GetPathHops(from, to))
    {
        if (hop.size() > 1)
        {
            return true;
        }
    }
    return false;
}

std::vector<FabricTopology::Hop>
FabricTopology::GetPathHops(uint32_t from, uint32_t to) const
{
    std::vector<Hop> hops;
    if (from == to)
    {
        return hops;
    }
    const uint16_t dst = GetDestinationAddress(from, to);
    Ptr<FabricNetDevice> first = GetSourcePort(from, to);
    Hop hop;
    if (Ptr<FabricPortGroup> group = first->GetGroup())
    {
        for (uint32_t i = 0; i < group->GetNPorts(); ++i)
        {
            hop.push_back(group->GetPort(i));
        }
    }
    else
    {
        hop.push_back(first);
    }
    hops.push_back(hop);
    // Breadth-wise: the next hop is every port the switches reached by this hop's ports may
    // send the packets on (an NVSwitch board's chips all spray toward the destination).
    while (true)
    {
        Hop next;
        for (const auto& port : hops.back())
        {
            Ptr<FabricSwitch> sw = PeerOf(port)->GetSwitch();
            if (!sw)
            {
                continue;
            }
            for (uint16_t p : sw->GetRoutes(dst))
            {
                Ptr<FabricNetDevice> out = sw->GetPort(p);
                if (std::find(next.begin(), next.end(), out) == next.end())
                {
                    next.push_back(out);
                }
            }
        }
        if (next.empty())
        {
            break;
        }
        if (hops.size() > m_switches.GetN() + 2)
        {
            throw FabricConfigError("FabricTopology",
                                    "routing loop toward address " + std::to_string(dst));
        }
        hops.push_back(next);
    }
    return hops;
}

std::string
FabricTopology::FindDeadlockCycle() const
{
    // Channels are (transmitting port, VL); an edge c -> d means a packet holding c may wait
    // for d. Built per destination: from every port toward it, every route and VL it can take.
    std::unordered_map<const FabricNetDevice*, uint32_t> portIndex;
    std::vector<Ptr<FabricNetDevice>> ports;
    auto channelOf = [&](Ptr<FabricNetDevice> port, uint8_t vl) {
        auto [it, fresh] = portIndex.emplace(PeekPointer(port), ports.size());
        if (fresh)
        {
            ports.push_back(port);
        }
        return it->second * 16 + vl;
    };
    std::set<std::pair<uint32_t, uint32_t>> edges;

    // Destinations: each rank's scale-up address and HCA address, with the ports that can
    // send toward them.
    struct Target
    {
        uint16_t address;
        std::vector<Ptr<FabricNetDevice>> sources;
    };

    std::vector<Target> targets;
    for (uint32_t dst = 0; dst < GetNRanks(); ++dst)
    {
        Target up{m_gpuIds[dst], {}};
        Target ib{m_hcas[dst] ? m_hcas[dst]->GetLocalAddress() : uint16_t{0}, {}};
        for (uint32_t src = 0; src < GetNRanks(); ++src)
        {
            if (src == dst)
            {
                continue;
            }
            const bool sameServer = m_servers[src] == m_servers[dst];
            if (m_scaleUp[src] && m_scaleUp[dst] && (sameServer || !m_hcas[src]))
            {
                Ptr<FabricPortGroup> group = m_scaleUp[src]->GetGroup();
                if (group)
                {
                    for (uint32_t i = 0; i < group->GetNPorts(); ++i)
                    {
                        up.sources.push_back(group->GetPort(i));
                    }
                }
                else
                {
                    up.sources.push_back(m_scaleUp[src]);
                }
            }
            if (m_hcas[src] && m_hcas[dst] && !sameServer)
            {
                ib.sources.push_back(m_hcas[src]);
            }
        }
        targets.push_back(up);
        if (ib.address != 0)
        {
            targets.push_back(ib);
        }
    }
    for (const auto& target : targets)
    {
        std::set<uint32_t> visited;
        std::vector<std::pair<Ptr<FabricNetDevice>, uint8_t>> stack;
        for (const auto& src : target.sources)
        {
            const uint8_t vl = src->MapSlToVl(0);
            if (visited.insert(channelOf(src, vl)).second)
            {
                stack.emplace_back(src, vl);
            }
        }
        while (!stack.empty())
        {
            auto [port, vl] = stack.back();
            stack.pop_back();
            const uint32_t from = channelOf(port, vl);
            Ptr<FabricNetDevice> peer = PeerOf(port);
            Ptr<FabricSwitch> sw = peer->GetSwitch();
            if (!sw)
            {
                continue;
            }
            for (uint16_t out : sw->GetRoutes(target.address))
            {
                const uint8_t outVl = sw->GetEgressVl(peer->GetSwitchPort(), vl, out, 0);
                Ptr<FabricNetDevice> next = sw->GetPort(out);
                const uint32_t to = channelOf(next, outVl);
                edges.emplace(from, to);
                if (visited.insert(to).second)
                {
                    stack.emplace_back(next, outVl);
                }
            }
        }
    }

    // Cycle search: iterative depth-first with colours.
    std::unordered_map<uint32_t, std::vector<uint32_t>> next;
    for (const auto& [a, b] : edges)
    {
        next[a].push_back(b);
    }
    std::unordered_map<uint32_t, int> colour; // 0 new, 1 on the stack, 2 done
    std::unordered_map<uint32_t, uint32_t> parent;
    auto describe = [&](uint32_t channel) {
        Ptr<FabricNetDevice> port = ports[channel / 16];
        std::ostringstream os;
        os << GetName(port->GetNode()) << " -> " << GetName(PeerOf(port)->GetNode()) << " (VL "
           << channel % 16 << ")";
        return os.str();
    };
    for (const auto& [start, unused] : next)
    {
        if (colour[start] != 0)
        {
            continue;
        }
        std::vector<std::pair<uint32_t, size_t>> stack{{start, 0}};
        colour[start] = 1;
        while (!stack.empty())
        {
            auto& [node, i] = stack.back();
            const auto& succ = next[node];
            if (i == succ.size())
            {
                colour[node] = 2;
                stack.pop_back();
                continue;
            }
            const uint32_t s = succ[i++];
            if (colour[s] == 1)
            {
                std::vector<std::string> cycle{describe(s)};
                for (uint32_t c = node; c != s; c = parent[c])
                {
                    cycle.push_back(describe(c));
                }
                std::ostringstream os;
                for (auto it = cycle.rbegin(); it != cycle.rend(); ++it)
                {
                    os << *it << "; ";
                }
                os << "back to " << describe(s);
                return os.str();
            }
            if (colour[s] == 0)
            {
                colour[s] = 1;
                parent[s] = node;
                stack.emplace_back(s, 0);
            }
        }
    }
    return "";
}

std::string
FabricTopology::GetSummary() const
{
    std::ostringstream os;
    os << "topology: " << (m_description.name.empty() ? "(unnamed)" : m_description.name) << "\n";
    std::set<uint32_t> servers(m_servers.begin(), m_servers.end());
    os << "GPUs: " << GetNRanks();
    if (!m_description.groups.empty())
    {
        os << " on " << servers.size() << " servers";
    }
    os << "\n";
    std::map<std::string, uint32_t> kinds;
    for (uint32_t i = 0; i < m_switches.GetN(); ++i)
    {
        Ptr<FabricSwitch> sw = m_switches.Get(i)->GetObject<FabricSwitch>();
        kinds[sw ? sw->GetInstanceTypeId().GetName().substr(5) : "?"]++;
    }
    os << "switches: " << m_switches.GetN();
    for (const auto& [kind, n] : kinds)
    {
        os << ", " << n << " " << kind;
    }
    os << "\nlinks: " << m_links.size() << "\n";
    for (const auto& [category, n] : CountLinks())
    {
        os << "  " << category << ": " << n << "\n";
    }
    os << "bisection bandwidth: " << m_bisection.GetBitRate() / 1e9 << " Gb/s per direction\n";
    return os.str();
}

namespace
{

/// \return "25 GB/s" for a link's data rate
std::string
RateText(Ptr<FabricNetDevice> port)
{
    std::ostringstream os;
    const double gbps = port->GetDataRate().GetBitRate() / 1e9;
    if (gbps >= 8 && std::fmod(gbps, 8.0) < 1e-9)
    {
        os << gbps / 8 << " GB/s";
    }
    else
    {
        os << gbps << " Gb/s";
    }
    return os.str();
}

/// \return a colour from green (idle) over yellow to red (busy) for a utilisation in [0, 1]
std::string
LoadColour(double u)
{
    u = std::clamp(u, 0.0, 1.0);
    const int red = static_cast<int>(std::lround(255 * std::min(1.0, 2 * u)));
    const int green = static_cast<int>(std::lround(255 * std::min(1.0, 2 * (1 - u))));
    char text[8];
    std::snprintf(text, sizeof(text), "#%02x%02x00", red, green);
    return text;
}

} // namespace

void
FabricTopology::WriteDot(std::ostream& os, const std::map<std::string, double>* load) const
{
    os << "graph \"" << m_description.name << "\" {\n";
    os << "  node [fontsize=10]; edge [fontsize=8];\n";
    // GPUs in a cluster per server.
    std::map<uint32_t, std::vector<uint32_t>> servers;
    for (uint32_t r = 0; r < GetNRanks(); ++r)
    {
        servers[GetServer(r)].push_back(r);
    }
    // NVSwitch chips belong to the server of the GPUs they connect; other switches by level
    // (hops from the nearest GPU).
    std::map<Node*, uint32_t> level;
    std::map<Node*, uint32_t> serverOf;
    std::vector<Node*> frontier;
    for (uint32_t r = 0; r < GetNRanks(); ++r)
    {
        level[PeekPointer(m_gpus.Get(r))] = 0;
        frontier.push_back(PeekPointer(m_gpus.Get(r)));
    }
    while (!frontier.empty())
    {
        std::vector<Node*> next;
        for (const auto& link : m_links)
        {
            Node* a = PeekPointer(link.a->GetNode());
            Node* b = PeekPointer(link.b->GetNode());
            for (auto [from, to] : {std::make_pair(a, b), std::make_pair(b, a)})
            {
                if (std::find(frontier.begin(), frontier.end(), from) != frontier.end() &&
                    !level.count(to))
                {
                    level[to] = level[from] + 1;
                    next.push_back(to);
                }
            }
        }
        frontier = next;
    }
    for (const auto& link : m_links)
    {
        if (link.category != "nvlink")
        {
            continue;
        }
        for (auto [gpu, sw] : {std::make_pair(link.a, link.b), std::make_pair(link.b, link.a)})
        {
            if (!gpu->GetSwitch() && sw->GetSwitch())
            {
                for (uint32_t r = 0; r < GetNRanks(); ++r)
                {
                    if (m_gpus.Get(r) == gpu->GetNode())
                    {
                        serverOf[PeekPointer(sw->GetNode())] = GetServer(r);
                    }
                }
            }
        }
    }
    for (const auto& [server, ranks] : servers)
    {
        os << "  subgraph \"cluster_s" << server << "\" {\n    label=\"server " << server
           << "\"; style=rounded;\n";
        for (uint32_t r : ranks)
        {
            os << "    \"" << GetName(m_gpus.Get(r)) << "\" [shape=ellipse, label=\""
               << GetName(m_gpus.Get(r)) << "\\nrank " << r << "\"];\n";
        }
        for (uint32_t i = 0; i < m_switches.GetN(); ++i)
        {
            auto it = serverOf.find(PeekPointer(m_switches.Get(i)));
            if (it != serverOf.end() && it->second == server)
            {
                os << "    \"" << GetName(m_switches.Get(i)) << "\" [shape=box];\n";
            }
        }
        os << "  }\n";
    }
    std::map<uint32_t, std::vector<std::string>> byLevel;
    for (uint32_t i = 0; i < m_switches.GetN(); ++i)
    {
        Node* sw = PeekPointer(m_switches.Get(i));
        if (!serverOf.count(sw))
        {
            byLevel[level.count(sw) ? level[sw] : 0].push_back(GetName(m_switches.Get(i)));
        }
    }
    for (const auto& [l, names] : byLevel)
    {
        os << "  { rank=same;";
        for (const auto& name : names)
        {
            os << " \"" << name << "\" [shape=box, label=\"" << name << "\\nlevel " << l << "\"];";
        }
        os << " }\n";
    }

    // Parallel links drawn once, with their count and speed; with a load, coloured by the
    // busier direction's utilisation.
    struct Edge
    {
        uint32_t count{0};
        std::string rate;
        double load{-1};
    };

    std::map<std::tuple<std::string, std::string, std::string>, Edge> edges;
    for (const auto& link : m_links)
    {
        std::string a = GetName(link.a->GetNode());
        std::string b = GetName(link.b->GetNode());
        if (b < a)
        {
            std::swap(a, b);
        }
        Edge& e = edges[{a, b, link.category}];
        e.count++;
        e.rate = RateText(link.a);
        if (load)
        {
            for (const auto& port : {link.a, link.b})
            {
                auto it = load->find(GetPortName(port));
                if (it != load->end())
                {
                    e.load = std::max(e.load, it->second);
                }
            }
        }
    }
    for (const auto& [key, e] : edges)
    {
        const auto& [a, b, category] = key;
        os << "  \"" << a << "\" -- \"" << b << "\" [label=\"" << category;
        os << " " << (e.count > 1 ? std::to_string(e.count) + "x" : std::string()) << e.rate;
        if (e.load >= 0)
        {
            os << "\\n"
               << static_cast<int>(std::lround(100 * e.load)) << "% busy\", color=\""
               << LoadColour(e.load) << "\", penwidth=" << 1 + 3 * std::clamp(e.load, 0.0, 1.0);
        }
        else
        {
            os << "\"";
        }
        os << "];\n";
    }
    os << "}\n";
}

} // namespace ns3
