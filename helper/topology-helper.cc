/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "topology-helper.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-port-group.h"
#include "ns3/ib-helper.h"
#include "ns3/ib-link-speed.h"
#include "ns3/ib-net-device.h"
#include "ns3/ib-switch.h"
#include "ns3/log.h"
#include "ns3/memory-pool.h"
#include "ns3/node.h"
#include "ns3/nv-switch.h"
#include "ns3/nvlink-helper.h"
#include "ns3/nvls-group-manager.h"
#include "ns3/sharp-aggregation-manager.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TopologyHelper");

TopologyHelper::TopologyHelper() = default;

void
TopologyHelper::SetName(const std::string& name)
{
    m_description.name = name;
}

void
TopologyHelper::AddNodeKind(const NodeKindSpec& kind)
{
    m_description.kinds[kind.name] = kind;
}

void
TopologyHelper::AddNodes(const std::string& kind, uint32_t count)
{
    NodeGroupSpec group;
    group.kind = kind;
    group.count = count;
    m_description.groups.push_back(group);
}

void
TopologyHelper::SetFatTree(const FatTreeSpec& fatTree)
{
    m_description.fatTree = fatTree;
    m_description.fatTree.present = true;
}

void
TopologyHelper::AddDimension(const DimensionSpec& dimension)
{
    m_description.dimensions.push_back(dimension);
}

void
TopologyHelper::AddSwitch(const SwitchSpec& sw)
{
    m_description.switches.push_back(sw);
}

void
TopologyHelper::AddLink(const LinkSpec& link)
{
    m_description.links.push_back(link);
}

void
TopologyHelper::SetAllowDeadlock(bool allow)
{
    m_description.allowDeadlock = allow;
}

void
TopologyHelper::SetDatelines(bool datelines)
{
    m_datelines = datelines;
}

void
TopologyHelper::SetDgxH100RailFatTree(uint32_t servers, uint32_t radix)
{
    SetName(std::to_string(servers) + "x DGX H100, NDR rail-optimised fat-tree");
    NodeKindSpec dgx;
    dgx.name = "dgx-h100";
    dgx.gpuModel = "H100";
    dgx.board = "H100";
    dgx.gpus = 8;
    dgx.hcas = 8;
    AddNodeKind(dgx);
    AddNodes("dgx-h100", servers);
    FatTreeSpec ft;
    ft.present = true;
    ft.levels = 2;
    ft.radix = radix;
    ft.railOptimized = true;
    ft.speed = "NDR";
    SetFatTree(ft);
}

void
TopologyHelper::SetSystemCount(uint32_t systems)
{
    if (systems == 0)
    {
        throw FabricConfigError("TopologyHelper", "SetSystemCount needs at least one system");
    }
    m_systems = systems;
}

const TopologyDescription&
TopologyHelper::GetDescription() const
{
    return m_description;
}

Ptr<FabricTopology>
TopologyHelper::Build() const
{
    return Build(m_description);
}

namespace
{

/// The IB generation with this name (the description was validated).
IbLinkSpeed
SpeedNamed(const std::string& name)
{
    for (auto speed : {IbLinkSpeed::SDR,
                       IbLinkSpeed::DDR,
                       IbLinkSpeed::QDR,
                       IbLinkSpeed::FDR10,
                       IbLinkSpeed::FDR,
                       IbLinkSpeed::EDR,
                       IbLinkSpeed::HDR,
                       IbLinkSpeed::NDR,
                       IbLinkSpeed::XDR})
    {
        if (IbLinkSpeedName(speed) == name)
        {
            return speed;
        }
    }
    return IbLinkSpeed::NDR;
}

/// An HCA waiting for its leaf.
struct Hca
{
    uint32_t rank;     //!< the GPU it sits on
    uint32_t server;   //!< its server
    uint32_t rail;     //!< its index on the server
    std::string speed; //!< its IB generation
    uint32_t width;    //!< its lanes
};

/// Everything built so far, with the pieces routing needs.
class Builder
{
  public:
    Builder(const TopologyDescription& d, bool datelines, uint32_t systems)
        : m_d(d),
          m_datelines(datelines),
          m_systems(systems),
          m_topo(CreateObject<FabricTopology>())
    {
        m_topo->SetDescription(d);
    }

    Ptr<FabricTopology> Run()
    {
        if (!m_d.groups.empty())
        {
            BuildServers();
            if (m_d.fatTree.present)
            {
                BuildFatTree();
            }
        }
        else
        {
            BuildDimensions();
        }
        if (!m_d.links.empty())
        {
            BuildExplicit();
        }
        const std::string cycle = m_topo->FindDeadlockCycle();
        if (!cycle.empty() && !m_d.allowDeadlock)
        {
            throw TopologyError(m_d.where,
                                "routing",
                                "the routes can deadlock: their channel dependency graph has a "
                                "cycle: " +
                                    cycle + " (set allow-deadlock to build it anyway)");
        }
        m_topo->SetBisectionBandwidth(DataRate(static_cast<uint64_t>(m_bisection)));
        ApplyInNetwork();
        return m_topo;
    }

  private:
    void BuildServers();
    void BuildFatTree();
    /// The fat-tree's SHARP settings and resources on its switches (routes are set by now).
    void ApplyInNetwork();
    /// Leaves on new nodes, every HCA cabled to its leaf and given its LID.
    void CableLeaves(const std::vector<std::vector<uint32_t>>& leafHcas,
                     IbHelper& ib,
                     NodeContainer& leafNodes,
                     std::vector<uint32_t>& hcaLeaf,
                     std::vector<uint16_t>& hcaLeafPort);
    /// Aggregation switches in pods above the leaves, and a core layer above them.
    void BuildThreeLevels(const std::vector<std::vector<uint32_t>>& leafHcas,
                          const std::vector<uint32_t>& up);
    /// The fat-tree's closed-form bisection: half the HCAs across the cut, oversubscribed.
    void SetFatTreeBisection();
    void BuildDimensions();
    void BuildExplicit();

    /**
     * \param index a node's place among count alike (servers, leaves, spines...)
     * \param count how many there are
     * \return the system (simulator process) it goes to: consecutive blocks
     */
    uint32_t SystemOf(uint32_t index, uint32_t count) const
    {
        return static_cast<uint32_t>(static_cast<uint64_t>(index) * m_systems / count);
    }

    /**
     * \brief Add count new nodes, node i on SystemOf(i, count).
     * \param nodes where to add them
     * \param count how many
     */
    void CreateNodes(NodeContainer& nodes, uint32_t count) const
    {
        for (uint32_t i = 0; i < count; ++i)
        {
            nodes.Add(CreateObject<Node>(SystemOf(i, count)));
        }
    }

    const TopologyDescription& m_d;
    bool m_datelines;
    uint32_t m_systems; //!< simulator processes
    Ptr<FabricTopology> m_topo;
    std::vector<Hca> m_hcas;
    double m_bisection{0}; //!< bits/s per direction
};

void
Builder::ApplyInNetwork()
{
    if (!m_d.fatTree.present)
    {
        return;
    }
    const FatTreeSpec& ft = m_d.fatTree;
    const bool resources = ft.sharpGroups > 0 || ft.sharpOsts > 0 || ft.sharpBuffer > 0;
    NodeContainer switches = m_topo->GetSwitchNodes();
    for (uint32_t i = 0; i < switches.GetN(); ++i)
    {
        Ptr<IbSwitch> sw = switches.Get(i)->GetObject<IbSwitch>();
        if (!sw)
        {
            continue;
        }
        sw->SetSharp(ft.sharp);
        if (ft.sharp && resources)
        {
            Ptr<SharpAggregationNode> an = SharpAggregationManager::GetAggregationNode(sw);
            if (ft.sharpGroups > 0)
            {
                an->SetAttribute("MaxGroups", UintegerValue(ft.sharpGroups));
            }
            if (ft.sharpOsts > 0)
            {
                an->SetAttribute("OutstandingOperations", UintegerValue(ft.sharpOsts));
            }
            if (ft.sharpBuffer > 0)
            {
                an->SetAttribute("BufferBytes", UintegerValue(ft.sharpBuffer));
            }
        }
    }
}

void
Builder::BuildServers()
{
    NvlinkHelper nvlink; // one helper for all boards: GPU ids rank + 1, in rank order
    uint32_t server = 0;
    double scaleUpBisection = std::numeric_limits<double>::max();
    uint32_t rails = 1; // the most HCAs a GPU server has: the fabric's rails
    for (const auto& [name, k] : m_d.kinds)
    {
        rails = k.memory ? rails : std::max(rails, k.hcas);
    }
    uint32_t servers = 0;
    for (const auto& group : m_d.groups)
    {
        servers += group.count;
    }
    for (const auto& group : m_d.groups)
    {
        const NodeKindSpec& kind = m_d.kinds.at(group.kind);
        for (uint32_t n = 0; n < group.count; ++n, ++server)
        {
            NodeContainer gpus;
            gpus.Create(kind.gpus, SystemOf(server, servers)); // the NVSwitches follow them
            const std::string prefix = "s" + std::to_string(server) + ".";
            std::vector<uint32_t> ranks;
            for (uint32_t g = 0; g < kind.gpus; ++g)
            {
                const uint32_t rank = m_topo->GetNRanks();
                ranks.push_back(rank);
                m_topo->AddGpu(gpus.Get(g),
                               static_cast<uint16_t>(rank + 1),
                               server,
                               prefix + (kind.memory ? "mem" : "gpu") + std::to_string(g));
                if (kind.memory)
                {
                    m_topo->SetMemoryEndpoint(rank);
                }
            }
            if (kind.memory)
            {
                // One pool behind all the node's ports, on the node of its first port.
                Ptr<MemoryPool> pool = CreateObject<MemoryPool>();
                pool->SetName("s" + std::to_string(server));
                pool->SetAttribute("Capacity", UintegerValue(kind.memoryCapacity));
                pool->SetAttribute("Bandwidth", DataRateValue(kind.memoryBandwidth));
                pool->SetAttribute("Latency", TimeValue(kind.memoryLatency));
                gpus.Get(0)->AggregateObject(pool);
            }
            if (!kind.board.empty())
            {
                NvlinkBoardSpec spec = NvlinkBoardSpec::FromName(kind.board);
                if (kind.nvls >= 0)
                {
                    spec.nvls = kind.nvls == 1;
                }
                NvlinkBoard board = nvlink.InstallBoard(spec, gpus);
                if (spec.nvls && kind.nvlsGroups > 0)
                {
                    for (uint32_t s = 0; s < board.switches.GetN(); ++s)
                    {
                        NvlsGroupManager::GetEngine(board.switches.Get(s)->GetObject<NvSwitch>())
                            ->SetAttribute("MaxGroups", UintegerValue(kind.nvlsGroups));
                    }
                }
                for (uint32_t s = 0; s < board.switches.GetN(); ++s)
                {
                    m_topo->AddSwitch(board.switches.Get(s), prefix + "nvsw" + std::to_string(s));
                }
                for (uint32_t g = 0; g < kind.gpus; ++g)
                {
                    NS_ASSERT(board.gpuIds[g] == ranks[g] + 1);
                    m_topo->SetScaleUpPort(ranks[g], board.GetGpuPort(g));
                    for (const auto& port : board.links[g])
                    {
                        auto peer = DynamicCast<FabricChannel>(port->GetChannel())->GetPeer(port);
                        m_topo->AddLink(port, peer, "nvlink");
                    }
                }
                // NVSwitch chips are non-blocking: half the GPUs' links cross the cut.
                scaleUpBisection = std::min(scaleUpBisection,
                                            kind.gpus / 2 * spec.LinksPerGpu() *
                                                static_cast<double>(spec.linkRate.GetBitRate()));
            }
            if (kind.memory)
            {
                // A memory node's ports spread over the GPUs' rails, port p on rail p mod rails.
                for (uint32_t p = 0; p < kind.gpus; ++p)
                {
                    m_hcas.push_back(
                        Hca{ranks[p], server, p % rails, kind.hcaSpeed, kind.hcaWidth});
                }
                continue;
            }
            for (uint32_t rail = 0; rail < std::min(kind.hcas, kind.gpus); ++rail)
            {
                m_hcas.push_back(Hca{ranks[rail], server, rail, kind.hcaSpeed, kind.hcaWidth});
            }
        }
    }
    if (server == 1 && scaleUpBisection != std::numeric_limits<double>::max())
    {
        m_bisection = scaleUpBisection;
    }
}

void
Builder::BuildFatTree()
{
    const FatTreeSpec& ft = m_d.fatTree;
    const uint32_t down = static_cast<uint32_t>(
        std::floor(ft.radix * ft.oversubscription / (ft.oversubscription + 1.0)));
    if (down == 0 || down >= ft.radix)
    {
        throw TopologyError(ft.where,
                            "fat-tree.oversubscription",
                            "leaves of radix " + std::to_string(ft.radix) +
                                " have no ports left for one side");
    }
    // HCAs onto leaves: per rail when rail-optimised, else in (server, rail) order.
    std::vector<std::vector<uint32_t>> leafHcas; // leaf -> indices into m_hcas
    if (ft.railOptimized)
    {
        uint32_t rails = 0;
        for (const auto& h : m_hcas)
        {
            rails = std::max(rails, h.rail + 1);
        }
        for (uint32_t rail = 0; rail < rails; ++rail)
        {
            std::vector<uint32_t> members;
            for (uint32_t i = 0; i < m_hcas.size(); ++i)
            {
                if (m_hcas[i].rail == rail)
                {
                    members.push_back(i);
                }
            }
            for (size_t k = 0; k < members.size(); k += down)
            {
                leafHcas.emplace_back(members.begin() + k,
                                      members.begin() + std::min(members.size(), k + down));
            }
        }
    }
    else
    {
        for (uint32_t k = 0; k < m_hcas.size(); k += down)
        {
            std::vector<uint32_t> members;
            for (uint32_t i = k; i < std::min<uint32_t>(m_hcas.size(), k + down); ++i)
            {
                members.push_back(i);
            }
            leafHcas.push_back(members);
        }
    }
    const auto leaves = static_cast<uint32_t>(leafHcas.size());
    // Uplinks per leaf keep the oversubscription; spines are as few as the ports allow.
    std::vector<uint32_t> up(leaves);
    uint64_t totalUp = 0;
    uint32_t minUp = std::numeric_limits<uint32_t>::max();
    for (uint32_t l = 0; l < leaves; ++l)
    {
        up[l] = std::min<uint32_t>(
            ft.radix - static_cast<uint32_t>(leafHcas[l].size()),
            static_cast<uint32_t>(std::ceil(leafHcas[l].size() / ft.oversubscription)));
        up[l] = std::max<uint32_t>(up[l], 1);
        totalUp += up[l];
        minUp = std::min(minUp, up[l]);
    }
    if (ft.levels == 3 && leaves > 1)
    {
        BuildThreeLevels(leafHcas, up);
        return;
    }
    const auto spines =
        leaves == 1 ? 0u : static_cast<uint32_t>((totalUp + ft.radix - 1) / ft.radix);
    if (leaves > 1 && spines > minUp)
    {
        throw TopologyError(ft.where,
                            "fat-tree.radix",
                            "a 2-level fat-tree of radix " + std::to_string(ft.radix) +
                                " cannot join " + std::to_string(leaves) +
                                " leaves: each leaf would not reach every spine (at most " +
                                std::to_string(ft.radix) +
                                " leaves); raise the radix or use 3 levels");
    }

    IbHelper ib;
    NodeContainer leafNodes;
    std::vector<uint32_t> hcaLeaf;
    std::vector<uint16_t> hcaLeafPort;
    CableLeaves(leafHcas, ib, leafNodes, hcaLeaf, hcaLeafPort);
    NodeContainer spineNodes;
    CreateNodes(spineNodes, spines);
    ib.InstallSwitch(spineNodes);
    for (uint32_t s = 0; s < spines; ++s)
    {
        m_topo->AddSwitch(spineNodes.Get(s), "spine" + std::to_string(s));
    }
    // Leaf uplink j goes to spine j mod S: every leaf reaches every spine.
    std::vector<std::vector<uint16_t>> leafUp(leaves);                 // leaf -> ports
    std::vector<std::vector<std::vector<uint16_t>>> spineDown(spines); // spine -> leaf -> ports
    for (auto& s : spineDown)
    {
        s.resize(leaves);
    }
    for (uint32_t l = 0; l < leaves && spines > 0; ++l)
    {
        for (uint32_t j = 0; j < up[l]; ++j)
        {
            const uint32_t s = j % spines;
            NetDeviceContainer link = ib.Install(leafNodes.Get(l), spineNodes.Get(s));
            auto a = DynamicCast<IbNetDevice>(link.Get(0));
            auto b = DynamicCast<IbNetDevice>(link.Get(1));
            leafUp[l].push_back(a->GetSwitchPort());
            spineDown[s][l].push_back(b->GetSwitchPort());
            m_topo->AddLink(a, b, "leaf-spine");
        }
    }
    for (uint32_t s = 0; s < spines; ++s)
    {
        auto sw = spineNodes.Get(s)->GetObject<FabricSwitch>();
        if (sw->GetNPorts() > ft.radix)
        {
            throw TopologyError(ft.where,
                                "fat-tree.radix",
                                "spine " + std::to_string(s) + " would need " +
                                    std::to_string(sw->GetNPorts()) + " ports, more than " +
                                    std::to_string(ft.radix));
        }
    }
    // Up/down routes, destinations spread over uplinks and parallel links by their index
    // (OpenSM's ftree engine spreads them the same way, for shift all-to-all patterns).
    for (uint32_t i = 0; i < m_hcas.size(); ++i)
    {
        const auto lid = static_cast<uint16_t>(m_hcas[i].rank + 1);
        for (uint32_t l = 0; l < leaves; ++l)
        {
            auto sw = leafNodes.Get(l)->GetObject<FabricSwitch>();
            if (hcaLeaf[i] == l)
            {
                sw->SetRoute(lid, hcaLeafPort[i]);
            }
            else if (!leafUp[l].empty())
            {
                sw->SetRoute(lid, leafUp[l][i % leafUp[l].size()]);
                for (const uint16_t p : leafUp[l])
                {
                    sw->AddAdaptiveRoute(lid, p); // AR group: every up port (all min-hop)
                }
            }
        }
        for (uint32_t s = 0; s < spines; ++s)
        {
            auto sw = spineNodes.Get(s)->GetObject<FabricSwitch>();
            const auto& ports = spineDown[s][hcaLeaf[i]];
            sw->SetRoute(
                lid,
                ports[(i / std::max<size_t>(1, leafUp[hcaLeaf[i]].size())) % ports.size()]);
            for (const uint16_t p : ports)
            {
                sw->AddAdaptiveRoute(lid, p); // parallel links to the leaf
            }
        }
    }
    SetFatTreeBisection();
}

void
Builder::SetFatTreeBisection()
{
    // Closed form: half the HCAs send across the cut, limited by the oversubscription.
    double hcaRate = 0;
    for (const auto& h : m_hcas)
    {
        hcaRate += IbLinkDataRate(SpeedNamed(h.speed), h.width).GetBitRate();
    }
    m_bisection = hcaRate / 2.0 / m_d.fatTree.oversubscription;
}

void
Builder::CableLeaves(const std::vector<std::vector<uint32_t>>& leafHcas,
                     IbHelper& ib,
                     NodeContainer& leafNodes,
                     std::vector<uint32_t>& hcaLeaf,
                     std::vector<uint16_t>& hcaLeafPort)
{
    const FatTreeSpec& ft = m_d.fatTree;
    const auto leaves = static_cast<uint32_t>(leafHcas.size());
    ib.SetChannelAttribute("Delay", TimeValue(ft.linkDelay));
    ib.SetSwitchAttribute("PortToPortLatency", TimeValue(ft.switchLatency));
    // A leaf sits with the servers it serves (its first HCA's): the traffic among them then
    // stays in one process.
    for (uint32_t l = 0; l < leaves; ++l)
    {
        leafNodes.Add(CreateObject<Node>(
            leafHcas[l].empty()
                ? SystemOf(l, leaves)
                : m_topo->GetGpuNode(m_hcas[leafHcas[l].front()].rank)->GetSystemId()));
    }
    ib.InstallSwitch(leafNodes);
    for (uint32_t l = 0; l < leaves; ++l)
    {
        m_topo->AddSwitch(leafNodes.Get(l), "leaf" + std::to_string(l));
    }
    hcaLeaf.assign(m_hcas.size(), 0);
    hcaLeafPort.assign(m_hcas.size(), 0);
    // HCA cables run at the HCA's own speed.
    for (uint32_t l = 0; l < leaves; ++l)
    {
        for (uint32_t i : leafHcas[l])
        {
            const Hca& h = m_hcas[i];
            ib.SetDeviceAttribute("LinkSpeed", StringValue(h.speed));
            ib.SetDeviceAttribute("LinkWidth", UintegerValue(h.width));
            NetDeviceContainer link = ib.Install(m_topo->GetGpuNode(h.rank), leafNodes.Get(l));
            auto hca = DynamicCast<IbNetDevice>(link.Get(0));
            auto leafPort = DynamicCast<IbNetDevice>(link.Get(1));
            hca->SetLid(static_cast<uint16_t>(h.rank + 1));
            m_topo->SetHcaPort(h.rank, hca);
            m_topo->AddLink(hca, leafPort, "hca-leaf");
            hcaLeaf[i] = l;
            hcaLeafPort[i] = leafPort->GetSwitchPort();
        }
    }
    ib.SetDeviceAttribute("LinkSpeed", StringValue(ft.speed));
    ib.SetDeviceAttribute("LinkWidth", UintegerValue(ft.width));
}

void
Builder::BuildThreeLevels(const std::vector<std::vector<uint32_t>>& leafHcas,
                          const std::vector<uint32_t>& up)
{
    // A folded Clos in pods: the leaves of a pod each link once to every aggregation switch of
    // the pod (as many as a leaf has uplinks); aggregation switch j of every pod links to the
    // cores of plane j, one link per core, and every core has one link to each pod.
    const FatTreeSpec& ft = m_d.fatTree;
    const auto leaves = static_cast<uint32_t>(leafHcas.size());
    const uint32_t half = ft.radix / 2;
    const uint32_t perPod = std::min(leaves, half); // leaves per pod: an aggregation's down side
    const uint32_t pods = (leaves + perPod - 1) / perPod;
    const uint32_t aggs = *std::max_element(up.begin(), up.end()); // per pod
    if (pods > ft.radix)
    {
        throw TopologyError(ft.where,
                            "fat-tree.radix",
                            "a 3-level fat-tree of radix " + std::to_string(ft.radix) +
                                " holds at most " + std::to_string(ft.radix) + " pods of " +
                                std::to_string(half) + " leaves; " + std::to_string(leaves) +
                                " leaves need " + std::to_string(pods));
    }
    if (aggs > half)
    {
        throw TopologyError(ft.where,
                            "fat-tree.radix",
                            "leaves with " + std::to_string(aggs) +
                                " uplinks need that many aggregation switches per pod, more than "
                                "an aggregation switch of radix " +
                                std::to_string(ft.radix) + " can pair with (" +
                                std::to_string(half) + ")");
    }
    IbHelper ib;
    NodeContainer leafNodes;
    std::vector<uint32_t> hcaLeaf;
    std::vector<uint16_t> hcaLeafPort;
    CableLeaves(leafHcas, ib, leafNodes, hcaLeaf, hcaLeafPort);
    NodeContainer aggNodes;
    for (uint32_t a = 0; a < pods * aggs; ++a)
    {
        // With its pod's first leaf.
        aggNodes.Add(CreateObject<Node>(leafNodes.Get(a / aggs * perPod)->GetSystemId()));
    }
    NodeContainer coreNodes;
    CreateNodes(coreNodes, aggs * perPod); // plane j holds perPod cores
    ib.InstallSwitch(aggNodes);
    ib.InstallSwitch(coreNodes);
    for (uint32_t a = 0; a < aggNodes.GetN(); ++a)
    {
        m_topo->AddSwitch(aggNodes.Get(a),
                          "agg" + std::to_string(a / aggs) + "." + std::to_string(a % aggs));
    }
    for (uint32_t c = 0; c < coreNodes.GetN(); ++c)
    {
        m_topo->AddSwitch(coreNodes.Get(c),
                          "core" + std::to_string(c / perPod) + "." + std::to_string(c % perPod));
    }
    auto swOf = [](NodeContainer& nodes, uint32_t i) {
        return nodes.Get(i)->GetObject<FabricSwitch>();
    };
    // leafUp[l][j]: leaf l's port to aggregation j of its pod; aggDown[a][k]: aggregation a's
    // port to the k-th leaf of its pod; aggUp[a][c]: to core c of its plane; coreDown[c][p].
    std::vector<std::vector<uint16_t>> leafUp(leaves);
    std::vector<std::vector<uint16_t>> aggDown(aggNodes.GetN(), std::vector<uint16_t>(perPod));
    std::vector<std::vector<uint16_t>> aggUp(aggNodes.GetN());
    std::vector<std::vector<uint16_t>> coreDown(coreNodes.GetN(), std::vector<uint16_t>(pods));
    for (uint32_t l = 0; l < leaves; ++l)
    {
        const uint32_t pod = l / perPod;
        for (uint32_t j = 0; j < up[l]; ++j)
        {
            NetDeviceContainer link = ib.Install(leafNodes.Get(l), aggNodes.Get(pod * aggs + j));
            auto a = DynamicCast<IbNetDevice>(link.Get(0));
            auto b = DynamicCast<IbNetDevice>(link.Get(1));
            leafUp[l].push_back(a->GetSwitchPort());
            aggDown[pod * aggs + j][l % perPod] = b->GetSwitchPort();
            m_topo->AddLink(a, b, "leaf-agg");
        }
    }
    for (uint32_t pod = 0; pod < pods; ++pod)
    {
        for (uint32_t j = 0; j < aggs; ++j)
        {
            for (uint32_t c = 0; c < perPod; ++c)
            {
                const uint32_t agg = pod * aggs + j;
                const uint32_t core = j * perPod + c;
                NetDeviceContainer link = ib.Install(aggNodes.Get(agg), coreNodes.Get(core));
                auto a = DynamicCast<IbNetDevice>(link.Get(0));
                auto b = DynamicCast<IbNetDevice>(link.Get(1));
                aggUp[agg].push_back(a->GetSwitchPort());
                coreDown[core][pod] = b->GetSwitchPort();
                m_topo->AddLink(a, b, "agg-core");
            }
        }
    }
    // Up/down routes, destinations spread over the up ports by their index.
    for (uint32_t i = 0; i < m_hcas.size(); ++i)
    {
        const auto lid = static_cast<uint16_t>(m_hcas[i].rank + 1);
        const uint32_t leaf = hcaLeaf[i];
        const uint32_t pod = leaf / perPod;
        for (uint32_t l = 0; l < leaves; ++l)
        {
            if (l == leaf)
            {
                swOf(leafNodes, l)->SetRoute(lid, hcaLeafPort[i]);
            }
            else
            {
                // Only the planes that reach the destination's leaf: a leaf with fewer HCAs
                // has fewer uplinks, and aggregation j >= up[leaf] of its pod (so plane j)
                // has no cable down to it.
                const auto planes = std::min<size_t>(leafUp[l].size(), up[leaf]);
                size_t plane = i % leafUp[l].size();
                if (plane >= planes)
                {
                    plane = i % planes;
                }
                swOf(leafNodes, l)->SetRoute(lid, leafUp[l][plane]);
                for (size_t j = 0; j < planes; ++j)
                {
                    swOf(leafNodes, l)->AddAdaptiveRoute(lid, leafUp[l][j]);
                }
            }
        }
        for (uint32_t a = 0; a < aggNodes.GetN(); ++a)
        {
            const bool below = a / aggs == pod && !aggDown[a].empty();
            if (below && up[leaf] > a % aggs)
            {
                swOf(aggNodes, a)->SetRoute(lid, aggDown[a][leaf % perPod]);
            }
            else if (a / aggs != pod)
            {
                swOf(aggNodes, a)->SetRoute(lid, aggUp[a][(i / aggs) % aggUp[a].size()]);
                for (const uint16_t p : aggUp[a])
                {
                    swOf(aggNodes, a)->AddAdaptiveRoute(lid, p);
                }
            }
        }
        for (uint32_t c = 0; c < coreNodes.GetN(); ++c)
        {
            swOf(coreNodes, c)->SetRoute(lid, coreDown[c][pod]);
        }
    }
    SetFatTreeBisection();
}

void
Builder::BuildDimensions()
{
    const auto& dims = m_d.dimensions;
    const uint32_t n = m_d.GetGpuCount();
    const FabricLinkType tech = dims.front().link;
    for (size_t d = 0; d < dims.size(); ++d)
    {
        if (dims[d].link != tech)
        {
            throw TopologyError(dims[d].where,
                                "dimensions[" + std::to_string(d) + "].link",
                                "every dimension of one topology must use the same link type");
        }
    }
    const bool anyRing = std::any_of(dims.begin(), dims.end(), [](const DimensionSpec& s) {
        return s.block == BlockType::RING;
    });
    // Coordinates: dimension 0 varies fastest.
    auto coord = [&](uint32_t rank, size_t d) {
        uint32_t stride = 1;
        for (size_t k = 0; k < d; ++k)
        {
            stride *= dims[k].size;
        }
        return (rank / stride) % dims[d].size;
    };
    auto withCoord = [&](uint32_t rank, size_t d, uint32_t c) {
        uint32_t stride = 1;
        for (size_t k = 0; k < d; ++k)
        {
            stride *= dims[k].size;
        }
        return rank - coord(rank, d) * stride + c * stride;
    };
    // One router per GPU: a switch on its own node, the GPU's endpoint port behind it.
    NvlinkHelper nv;
    IbHelper ib;
    double routerRate = 0;
    for (const auto& dim : dims)
    {
        routerRate += static_cast<double>(dim.rate.GetBitRate()) * dim.linksPerPair *
                      (dim.block == BlockType::FULLY_CONNECTED ? dim.size - 1 : 2);
    }
    NodeContainer gpus;
    CreateNodes(gpus, n);
    NodeContainer routers;
    CreateNodes(routers, n); // router i with GPU i
    std::vector<Ptr<FabricSwitch>> router(n);
    std::vector<uint16_t> routerGpuPort(n);
    // Ring ports carry two VLs (datelines); every port of the topology gets the same count.
    const uint32_t vls = anyRing ? 2 : 1;
    nv.SetDeviceAttribute("NumDataVls", UintegerValue(vls));
    ib.SetDeviceAttribute("NumDataVls", UintegerValue(vls));
    nv.SetSwitchAttribute("PortToPortLatency", TimeValue(Time()));
    for (uint32_t r = 0; r < n; ++r)
    {
        m_topo->AddGpu(gpus.Get(r), static_cast<uint16_t>(r + 1), r, "gpu" + std::to_string(r));
        router[r] = CreateObject<NvSwitch>();
        router[r]->SetLatency(Time());
        routers.Get(r)->AggregateObject(router[r]);
        m_topo->AddSwitch(routers.Get(r), "router" + std::to_string(r));
        // The GPU-router connection is on-chip: fast enough never to be the bottleneck, and
        // as short as the clock allows (one step of its resolution).
        NetDeviceContainer link;
        if (tech == FabricLinkType::NVLINK)
        {
            nv.SetChannelAttribute("Delay", TimeValue(Time::From(1)));
            link = nv.Install(gpus.Get(r), routers.Get(r));
            DynamicCast<NvlinkNetDevice>(link.Get(0))->SetGpuId(static_cast<uint16_t>(r + 1));
        }
        else
        {
            ib.SetChannelAttribute("Delay", TimeValue(Time::From(1)));
            link = ib.Install(gpus.Get(r), routers.Get(r));
            DynamicCast<IbNetDevice>(link.Get(0))->SetLid(static_cast<uint16_t>(r + 1));
        }
        auto gpuPort = DynamicCast<FabricNetDevice>(link.Get(0));
        auto routerPort = DynamicCast<FabricNetDevice>(link.Get(1));
        gpuPort->SetDataRate(DataRate(static_cast<uint64_t>(routerRate)));
        routerPort->SetDataRate(DataRate(static_cast<uint64_t>(routerRate)));
        m_topo->SetScaleUpPort(r, gpuPort);
        m_topo->AddLink(gpuPort, routerPort, "gpu-router");
        routerGpuPort[r] = routerPort->GetSwitchPort();
        router[r]->SetRoute(static_cast<uint16_t>(r + 1), routerGpuPort[r]);
    }

    // Links per dimension; remember, per router and dimension, the ports toward each coordinate
    // (rings: +1 and -1 neighbours; fully connected: every peer; switch: the switch).
    struct DimPorts
    {
        std::vector<uint16_t> plus, minus;              // ring
        std::map<uint32_t, std::vector<uint16_t>> peer; // fully connected: coordinate -> ports
        std::vector<uint16_t> toSwitch;                 // switch block
        std::vector<uint16_t> all;                      // every port of the dimension
        std::vector<bool> wrapPlus;                     // ring: is this + port the wrap link
    };

    std::vector<std::vector<DimPorts>> ports(n, std::vector<DimPorts>(dims.size()));
    auto install = [&](Ptr<Node> a, Ptr<Node> b, const DimensionSpec& dim) {
        NetDeviceContainer link;
        if (tech == FabricLinkType::NVLINK)
        {
            nv.SetChannelAttribute("Delay", TimeValue(dim.latency));
            link = nv.Install(a, b);
        }
        else
        {
            ib.SetChannelAttribute("Delay", TimeValue(dim.latency));
            link = ib.Install(a, b);
        }
        auto pa = DynamicCast<FabricNetDevice>(link.Get(0));
        auto pb = DynamicCast<FabricNetDevice>(link.Get(1));
        pa->SetDataRate(dim.rate);
        pb->SetDataRate(dim.rate);
        return std::make_pair(pa, pb);
    };
    double bisection = std::numeric_limits<double>::max();
    for (size_t d = 0; d < dims.size(); ++d)
    {
        const DimensionSpec& dim = dims[d];
        const std::string category =
            std::string(dim.block == BlockType::RING     ? "ring"
                        : dim.block == BlockType::SWITCH ? "switch"
                                                         : "fully-connected") +
            " dim " + std::to_string(d);
        const double linkRate = static_cast<double>(dim.rate.GetBitRate()) * dim.linksPerPair;
        double blockBisection = 0;
        if (dim.block == BlockType::RING)
        {
            for (uint32_t r = 0; r < n; ++r)
            {
                const uint32_t c = coord(r, d);
                if (dim.size == 2 && c == 1)
                {
                    continue; // a ring of two is one pair of neighbours
                }
                const uint32_t next = withCoord(r, d, (c + 1) % dim.size);
                for (uint32_t k = 0; k < dim.linksPerPair; ++k)
                {
                    auto [pa, pb] = install(routers.Get(r), routers.Get(next), dim);
                    ports[r][d].plus.push_back(pa->GetSwitchPort());
                    ports[r][d].wrapPlus.push_back(c + 1 == dim.size);
                    ports[next][d].minus.push_back(pb->GetSwitchPort());
                    ports[r][d].all.push_back(pa->GetSwitchPort());
                    ports[next][d].all.push_back(pb->GetSwitchPort());
                    m_topo->AddLink(pa, pb, category);
                }
            }
            blockBisection = (dim.size == 2 ? 1 : 2) * linkRate;
        }
        else if (dim.block == BlockType::FULLY_CONNECTED)
        {
            for (uint32_t r = 0; r < n; ++r)
            {
                const uint32_t c = coord(r, d);
                for (uint32_t c2 = c + 1; c2 < dim.size; ++c2)
                {
                    const uint32_t peer = withCoord(r, d, c2);
                    for (uint32_t k = 0; k < dim.linksPerPair; ++k)
                    {
                        auto [pa, pb] = install(routers.Get(r), routers.Get(peer), dim);
                        ports[r][d].peer[c2].push_back(pa->GetSwitchPort());
                        ports[peer][d].peer[c].push_back(pb->GetSwitchPort());
                        ports[r][d].all.push_back(pa->GetSwitchPort());
                        ports[peer][d].all.push_back(pb->GetSwitchPort());
                        m_topo->AddLink(pa, pb, category);
                    }
                }
            }
            blockBisection = std::floor(dim.size / 2.0) * std::ceil(dim.size / 2.0) * linkRate;
        }
        else
        {
            // One switch per line of this dimension.
            for (uint32_t r = 0; r < n; ++r)
            {
                if (coord(r, d) != 0)
                {
                    continue;
                }
                Ptr<Node> swNode = CreateObject<Node>(SystemOf(r, n)); // with its line's first
                Ptr<FabricSwitch> sw;
                if (tech == FabricLinkType::NVLINK)
                {
                    sw = CreateObject<NvSwitch>();
                }
                else
                {
                    sw = CreateObject<IbSwitch>();
                }
                sw->SetLatency(dim.switchLatency);
                swNode->AggregateObject(sw);
                m_topo->AddSwitch(swNode, "switch" + std::to_string(d) + "." + std::to_string(r));
                std::vector<std::vector<uint16_t>> toUnit(dim.size);
                for (uint32_t c = 0; c < dim.size; ++c)
                {
                    const uint32_t unit = withCoord(r, d, c);
                    for (uint32_t k = 0; k < dim.linksPerPair; ++k)
                    {
                        auto [pa, pb] = install(routers.Get(unit), swNode, dim);
                        ports[unit][d].toSwitch.push_back(pa->GetSwitchPort());
                        ports[unit][d].all.push_back(pa->GetSwitchPort());
                        toUnit[c].push_back(pb->GetSwitchPort());
                        m_topo->AddLink(pa, pb, category);
                    }
                }
                // The switch sends a packet to the unit whose coordinate matches the
                // destination's along this dimension (dimension-order routing).
                for (uint32_t dst = 0; dst < n; ++dst)
                {
                    for (uint16_t p : toUnit[coord(dst, d)])
                    {
                        sw->AddRoute(static_cast<uint16_t>(dst + 1), p);
                    }
                }
            }
            blockBisection = std::floor(dim.size / 2.0) * linkRate;
        }
        bisection = std::min(bisection, blockBisection * (n / dim.size));
    }
    m_bisection = bisection;

    // Dimension-order routes at every router: fix the lowest differing coordinate first; rings
    // go the shorter way round (ties: +).
    for (uint32_t r = 0; r < n; ++r)
    {
        for (uint32_t dst = 0; dst < n; ++dst)
        {
            if (dst == r)
            {
                continue;
            }
            size_t d = 0;
            while (coord(r, d) == coord(dst, d))
            {
                ++d;
            }
            const DimensionSpec& dim = dims[d];
            const DimPorts& p = ports[r][d];
            const auto id = static_cast<uint16_t>(dst + 1);
            std::vector<uint16_t> out;
            if (dim.block == BlockType::RING)
            {
                const uint32_t c = coord(r, d);
                const uint32_t target = coord(dst, d);
                const uint32_t forward = (target + dim.size - c) % dim.size;
                out = (forward <= dim.size - forward || p.minus.empty()) ? p.plus : p.minus;
                if (out.empty())
                {
                    out = p.minus;
                }
            }
            else if (dim.block == BlockType::FULLY_CONNECTED)
            {
                out = p.peer.at(coord(dst, d));
            }
            else
            {
                out = p.toSwitch;
            }
            for (uint16_t port : out)
            {
                router[r]->AddRoute(id, port);
            }
        }
    }
    // Datelines: on each ring, a packet moves to VL 1 when it crosses the wrap-around link and
    // stays there until it leaves the dimension, so no ring of channels closes on one VL.
    if (m_datelines && anyRing)
    {
        for (uint32_t r = 0; r < n; ++r)
        {
            for (size_t d = 0; d < dims.size(); ++d)
            {
                if (dims[d].block != BlockType::RING)
                {
                    continue;
                }
                const DimPorts& p = ports[r][d];
                const uint32_t c = coord(r, d);
                const uint32_t size = dims[d].size;
                auto isWrap = [&](uint16_t port) {
                    for (size_t k = 0; k < p.plus.size(); ++k)
                    {
                        if (p.plus[k] == port)
                        {
                            return p.wrapPlus[k];
                        }
                    }
                    return c == 0 && size > 2; // the - link of coordinate 0 wraps to size-1
                };
                std::vector<uint16_t> inPorts = p.all;
                inPorts.push_back(routerGpuPort[r]);
                for (size_t e = 0; e < dims.size(); ++e)
                {
                    if (e != d)
                    {
                        inPorts.insert(inPorts.end(),
                                       ports[r][e].all.begin(),
                                       ports[r][e].all.end());
                    }
                }
                for (uint16_t out : p.all)
                {
                    const bool wrap = isWrap(out);
                    for (uint16_t in : inPorts)
                    {
                        const bool sameDim =
                            std::find(p.all.begin(), p.all.end(), in) != p.all.end();
                        for (uint8_t vl = 0; vl < 2; ++vl)
                        {
                            const uint8_t outVl = (wrap || (sameDim && vl == 1)) ? 1 : 0;
                            router[r]->SetVlTransition(in, vl, out, outVl);
                        }
                    }
                }
            }
        }
    }
}

void
Builder::BuildExplicit()
{
    // Switches by name.
    std::map<std::string, Ptr<FabricSwitch>> switches;
    std::vector<Ptr<FabricSwitch>> order;
    for (const auto& spec : m_d.switches)
    {
        Ptr<Node> node = CreateObject<Node>(SystemOf(static_cast<uint32_t>(order.size()),
                                                     static_cast<uint32_t>(m_d.switches.size())));
        Ptr<FabricSwitch> sw;
        if (spec.type == FabricLinkType::NVLINK)
        {
            sw = CreateObject<NvSwitch>();
        }
        else
        {
            sw = CreateObject<IbSwitch>();
        }
        sw->SetLatency(spec.latency);
        node->AggregateObject(sw);
        m_topo->AddSwitch(node, spec.name);
        switches[spec.name] = sw;
        order.push_back(sw);
    }
    // The server of each "hca:NODE/PORT" is found through the ranks' servers.
    auto rankOfHca = [&](const std::string& ref, const LinkSpec& link, const std::string& field) {
        const auto slash = ref.find('/');
        uint32_t server = 0;
        uint32_t port = 0;
        try
        {
            server = static_cast<uint32_t>(std::stoul(ref.substr(0, slash)));
            port = static_cast<uint32_t>(std::stoul(ref.substr(slash + 1)));
        }
        catch (const std::exception&)
        {
            throw TopologyError(link.where, field, "\"hca:" + ref + "\" is not hca:NODE/PORT");
        }
        for (uint32_t r = 0; r < m_topo->GetNRanks(); ++r)
        {
            if (m_topo->GetServer(r) == server)
            {
                if (r + port >= m_topo->GetNRanks() || m_topo->GetServer(r + port) != server)
                {
                    break;
                }
                return r + port;
            }
        }
        throw TopologyError(link.where,
                            field,
                            "server " + std::to_string(server) + " has no HCA " +
                                std::to_string(port));
    };
    NvlinkHelper nv;
    IbHelper ib;
    // A port on an end: a switch port, or a new port on a GPU (joining its NVLink group, or
    // becoming its HCA).
    std::map<uint32_t, Ptr<FabricPortGroup>> groups;
    auto install = [&](const LinkSpec& link) {
        Ptr<Node> nodes[2];
        int64_t ranks[2] = {-1, -1};
        const std::string* ends[2] = {&link.a, &link.b};
        for (int k = 0; k < 2; ++k)
        {
            const std::string field = std::string("links.") + (k == 0 ? "a" : "b");
            const auto colon = ends[k]->find(':');
            const std::string type = ends[k]->substr(0, colon);
            const std::string ref = ends[k]->substr(colon + 1);
            if (type == "switch")
            {
                nodes[k] = switches.at(ref)->GetObject<Node>();
                continue;
            }
            ranks[k] = type == "gpu" ? static_cast<int64_t>(std::stoul(ref))
                                     : static_cast<int64_t>(rankOfHca(ref, link, field));
            nodes[k] = m_topo->GetGpuNode(static_cast<uint32_t>(ranks[k]));
            if (link.type == FabricLinkType::INFINIBAND && m_topo->GetHcaPort(ranks[k]))
            {
                throw TopologyError(link.where,
                                    field,
                                    "GPU " + std::to_string(ranks[k]) + " already has an HCA");
            }
        }
        NetDeviceContainer devices;
        if (link.type == FabricLinkType::NVLINK)
        {
            nv.SetChannelAttribute("Delay", TimeValue(link.delay));
            devices = nv.Install(nodes[0], nodes[1]);
        }
        else
        {
            ib.SetChannelAttribute("Delay", TimeValue(link.delay));
            devices = ib.Install(nodes[0], nodes[1]);
        }
        for (int k = 0; k < 2; ++k)
        {
            auto port = DynamicCast<FabricNetDevice>(devices.Get(k));
            port->SetDataRate(link.rate);
            if (ranks[k] < 0)
            {
                continue;
            }
            const auto rank = static_cast<uint32_t>(ranks[k]);
            if (link.type == FabricLinkType::INFINIBAND)
            {
                DynamicCast<IbNetDevice>(port)->SetLid(static_cast<uint16_t>(rank + 1));
                m_topo->SetHcaPort(rank, port);
                continue;
            }
            DynamicCast<NvlinkNetDevice>(port)->SetGpuId(m_topo->GetGpuId(rank));
            Ptr<FabricNetDevice> scaleUp = m_topo->GetScaleUpPort(rank);
            Ptr<FabricPortGroup> group = scaleUp ? scaleUp->GetGroup() : nullptr;
            if (!group)
            {
                group = CreateObject<FabricPortGroup>();
                if (scaleUp)
                {
                    group->AddPort(scaleUp);
                }
            }
            group->AddPort(port);
            if (!scaleUp)
            {
                m_topo->SetScaleUpPort(rank, port);
            }
        }
        m_topo->AddLink(DynamicCast<FabricNetDevice>(devices.Get(0)),
                        DynamicCast<FabricNetDevice>(devices.Get(1)),
                        link.type == FabricLinkType::NVLINK ? "explicit nvlink" : "explicit ib");
    };
    for (const auto& link : m_d.links)
    {
        for (uint32_t k = 0; k < link.count; ++k)
        {
            install(link);
        }
    }
    // Shortest-path routes on the explicit switches, from every endpoint attached to them.
    // NVSwitches spray over all equally short next hops; IB switches take the least loaded one,
    // as OpenSM's minhop does.
    std::map<const FabricSwitch*, size_t> index;
    for (size_t i = 0; i < order.size(); ++i)
    {
        index[PeekPointer(order[i])] = i;
    }
    std::vector<std::vector<uint32_t>> load(order.size());
    for (size_t i = 0; i < order.size(); ++i)
    {
        load[i].assign(order[i]->GetNPorts(), 0);
    }
    auto peerOf = [](Ptr<FabricNetDevice> port) {
        return DynamicCast<FabricChannel>(port->GetChannel())->GetPeer(port);
    };
    for (size_t s = 0; s < order.size(); ++s)
    {
        for (uint16_t p = 0; p < order[s]->GetNPorts(); ++p)
        {
            Ptr<FabricNetDevice> endpoint = peerOf(order[s]->GetPort(p));
            if (endpoint->GetSwitch())
            {
                continue;
            }
            const uint16_t address = endpoint->GetLocalAddress();
            if (!order[s]->GetRoutes(address).empty())
            {
                if (order[s]->GetObject<NvSwitch>())
                {
                    order[s]->AddRoute(address, p); // parallel links to one GPU: spray
                }
                continue;
            }
            order[s]->SetRoute(address, p);
            // Breadth-first outward from this switch over switch-to-switch links.
            std::vector<uint32_t> dist(order.size(), UINT32_MAX);
            std::deque<size_t> queue{s};
            dist[s] = 0;
            while (!queue.empty())
            {
                const size_t at = queue.front();
                queue.pop_front();
                for (uint16_t q = 0; q < order[at]->GetNPorts(); ++q)
                {
                    Ptr<FabricNetDevice> peer = peerOf(order[at]->GetPort(q));
                    auto it = peer->GetSwitch() ? index.find(PeekPointer(peer->GetSwitch()))
                                                : index.end();
                    if (it != index.end() && dist[it->second] == UINT32_MAX)
                    {
                        dist[it->second] = dist[at] + 1;
                        queue.push_back(it->second);
                    }
                }
            }
            for (size_t t = 0; t < order.size(); ++t)
            {
                if (t == s || dist[t] == UINT32_MAX || !order[t]->GetRoutes(address).empty())
                {
                    continue;
                }
                const bool spray = order[t]->GetObject<NvSwitch>() != nullptr;
                uint16_t best = FabricSwitch::NO_ROUTE;
                for (uint16_t q = 0; q < order[t]->GetNPorts(); ++q)
                {
                    Ptr<FabricNetDevice> peer = peerOf(order[t]->GetPort(q));
                    auto it = peer->GetSwitch() ? index.find(PeekPointer(peer->GetSwitch()))
                                                : index.end();
                    if (it == index.end() || dist[it->second] + 1 != dist[t])
                    {
                        continue;
                    }
                    if (spray)
                    {
                        order[t]->AddRoute(address, q);
                    }
                    else if (best == FabricSwitch::NO_ROUTE || load[t][q] < load[t][best])
                    {
                        best = q;
                    }
                }
                if (!spray && best != FabricSwitch::NO_ROUTE)
                {
                    order[t]->SetRoute(address, best);
                    load[t][best]++;
                }
            }
        }
    }
}

} // namespace

Ptr<FabricTopology>
TopologyHelper::Build(const TopologyDescription& description) const
{
    description.Validate();
    Builder builder(description, m_datelines, m_systems);
    return builder.Run();
}

} // namespace ns3
