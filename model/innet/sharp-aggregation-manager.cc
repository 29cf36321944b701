/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sharp-aggregation-manager.h"

#include "ns3/fabric-channel.h"
#include "ns3/fabric-config-error.h"
#include "ns3/ib-switch.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SharpAggregationManager");

NS_OBJECT_ENSURE_REGISTERED(SharpAggregationManager);

TypeId
SharpAggregationManager::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SharpAggregationManager")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<SharpAggregationManager>()
            .AddAttribute("OstsPerGroup",
                          "OSTs a group reserves at each AN (and each member may have in "
                          "flight). Default 8 [derived]: 3 % of the default 256 OSTs of an AN, "
                          "the default quota of a streaming job (per_prio_default_sat_quota, "
                          "SHARP 3.0.0; fact sheet §7.1), rounded up.",
                          UintegerValue(8),
                          MakeUintegerAccessor(&SharpAggregationManager::m_osts),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("BufferPerOst",
                          "Buffer bytes a group reserves per OST at each AN: the largest "
                          "operation. Default 64 KiB [assumed: not public]; 8 OSTs of it "
                          "cover the bandwidth-delay product of an NDR tree of a few hops.",
                          UintegerValue(64 * 1024),
                          MakeUintegerAccessor(&SharpAggregationManager::m_bufferPerOst),
                          MakeUintegerChecker<uint64_t>(1, 256 * 1024 * 1024))
            .AddTraceSource("GroupRefused",
                            "A group could not get a tree: the reason.",
                            MakeTraceSourceAccessor(&SharpAggregationManager::m_refusedTrace),
                            "ns3::SharpAggregationManager::RefusedTracedCallback");
    return tid;
}

SharpAggregationManager::SharpAggregationManager()
    : m_osts(8),
      m_bufferPerOst(64 * 1024)
{
}

SharpAggregationManager::~SharpAggregationManager() = default;

namespace
{

/// The device at the other end of a port's cable, or nullptr.
Ptr<FabricNetDevice>
PeerOf(Ptr<FabricNetDevice> port)
{
    Ptr<FabricChannel> channel = DynamicCast<FabricChannel>(port->GetChannel());
    return channel ? channel->GetPeer(port) : nullptr;
}

/// Node id of a switch, for ordering and messages.
uint32_t
IdOf(Ptr<FabricSwitch> sw)
{
    return sw->GetObject<Node>()->GetId();
}

/// Orders switches by node id: maps keyed by switch iterate in the same order every run
/// (ordered by address they did not, and the tree's children came out in a different order).
struct ByNodeId
{
    bool operator()(const FabricSwitch* a, const FabricSwitch* b) const
    {
        return a->GetObject<Node>()->GetId() < b->GetObject<Node>()->GetId();
    }
};

/// Group ids in use (unique in the simulation, as SHARP's are in a subnet).
std::set<uint16_t>&
GroupsInUse()
{
    static std::set<uint16_t> groups;
    return groups;
}

} // namespace

Ptr<SharpAggregationNode>
SharpAggregationManager::GetAggregationNode(Ptr<FabricSwitch> sw)
{
    Ptr<Node> node = sw->GetObject<Node>();
    if (Ptr<SharpAggregationNode> an = node->GetObject<SharpAggregationNode>())
    {
        return an;
    }
    Ptr<IbSwitch> ib = DynamicCast<IbSwitch>(sw);
    if (!ib)
    {
        throw FabricConfigError("SharpAggregationManager",
                                sw->Describe() + " is not an InfiniBand switch");
    }
    if (!ib->IsSharpCapable())
    {
        throw FabricConfigError("SharpAggregationManager",
                                sw->Describe() + " has no SHARP aggregation node (Sharp false)");
    }
    Ptr<SharpAggregationNode> an = CreateObject<SharpAggregationNode>();
    node->AggregateObject(an);
    // Above the HCAs' LIDs (rank + 1), below the multicast range.
    an->Install(sw, static_cast<uint16_t>(0xBFFF - node->GetId()));
    return an;
}

SharpGroupInfo
SharpAggregationManager::CreateGroup(const std::vector<Ptr<FabricNetDevice>>& hcas)
{
    NS_LOG_FUNCTION(this << hcas.size());
    SharpGroupInfo info;
    info.members = static_cast<uint32_t>(hcas.size());
    info.osts = m_osts;
    info.bufferPerOst = m_bufferPerOst;
    auto refuse = [&](const std::string& why) {
        info.refused = why;
        m_refusedTrace(why);
        return info;
    };
    if (hcas.size() < 2)
    {
        return refuse("a group needs two members");
    }
    // The members' leaf switches, and the port of each toward its member.
    std::vector<Ptr<FabricSwitch>> leafOf;
    std::vector<uint16_t> leafPortOf;
    for (const auto& hca : hcas)
    {
        Ptr<FabricNetDevice> peer = hca ? PeerOf(hca) : nullptr;
        if (!peer || !peer->GetSwitch() || !DynamicCast<IbSwitch>(peer->GetSwitch()))
        {
            return refuse(std::string("member port ") + (hca ? hca->Describe() : "(none)") +
                          " is not cabled to an InfiniBand switch");
        }
        leafOf.push_back(peer->GetSwitch());
        leafPortOf.push_back(peer->GetSwitchPort());
    }
    // Every switch of the fabric reachable from the leaves, and its level: 1 for a switch
    // with an endpoint (HCA) cabled to it, then the distance from such switches.
    std::map<FabricSwitch*, uint32_t, ByNodeId> level;
    {
        std::set<FabricSwitch*, ByNodeId> seen;
        std::deque<Ptr<FabricSwitch>> queue;
        std::vector<Ptr<FabricSwitch>> all;
        for (const auto& leaf : leafOf)
        {
            if (seen.insert(PeekPointer(leaf)).second)
            {
                queue.push_back(leaf);
            }
        }
        while (!queue.empty())
        {
            Ptr<FabricSwitch> sw = queue.front();
            queue.pop_front();
            all.push_back(sw);
            for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
            {
                Ptr<FabricNetDevice> peer = PeerOf(sw->GetPort(p));
                if (peer && peer->GetSwitch() && seen.insert(PeekPointer(peer->GetSwitch())).second)
                {
                    queue.push_back(peer->GetSwitch());
                }
            }
        }
        for (const auto& sw : all)
        {
            for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
            {
                Ptr<FabricNetDevice> peer = PeerOf(sw->GetPort(p));
                // An endpoint on another node (an AN's own device is on the switch's node).
                if (peer && !peer->GetSwitch() && peer->GetNode() != sw->GetPort(p)->GetNode())
                {
                    level[PeekPointer(sw)] = 1;
                    queue.push_back(sw);
                    break;
                }
            }
        }
        while (!queue.empty())
        {
            Ptr<FabricSwitch> sw = queue.front();
            queue.pop_front();
            for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
            {
                Ptr<FabricNetDevice> peer = PeerOf(sw->GetPort(p));
                if (peer && peer->GetSwitch() && !level.count(PeekPointer(peer->GetSwitch())))
                {
                    level[PeekPointer(peer->GetSwitch())] = level[PeekPointer(sw)] + 1;
                    queue.push_back(peer->GetSwitch());
                }
            }
        }
    }

    // The tree, level by level. ports[sw]: ports of sw the tree uses; parent[sw]: its parent
    // and the ports on both ends of the link between them.
    struct Up
    {
        Ptr<FabricSwitch> parent;
        uint16_t childPort{0};  //!< on the child, toward the parent
        uint16_t parentPort{0}; //!< on the parent, toward the child
    };

    std::map<FabricSwitch*, Up, ByNodeId> parentOf;
    std::map<FabricSwitch*, std::vector<uint16_t>, ByNodeId> ports;
    std::vector<Ptr<FabricSwitch>> current;
    for (size_t m = 0; m < hcas.size(); ++m)
    {
        auto& p = ports[PeekPointer(leafOf[m])];
        if (p.empty() && std::find(current.begin(), current.end(), leafOf[m]) == current.end())
        {
            current.push_back(leafOf[m]);
        }
        p.push_back(leafPortOf[m]);
    }
    std::vector<std::vector<Ptr<FabricSwitch>>> levels{current};
    auto requestFor = [&](FabricSwitch* sw, std::vector<uint16_t> extra) {
        SharpAggregationNode::Request r;
        r.osts = m_osts;
        r.bufferPerOst = m_bufferPerOst;
        r.ports = ports[sw];
        r.ports.insert(r.ports.end(), extra.begin(), extra.end());
        return r;
    };
    // Resources of the leaves themselves.
    for (const auto& sw : current)
    {
        const std::string why =
            GetAggregationNode(sw)->CheckReservation(requestFor(PeekPointer(sw), {}));
        if (!why.empty())
        {
            return refuse(sw->Describe() + ": " + why);
        }
    }
    while (current.size() > 1)
    {
        // Candidate parents: switches one level up, each with the children it can take.
        std::map<uint32_t, std::pair<Ptr<FabricSwitch>, std::vector<Up>>> candidates;
        std::map<uint32_t, std::vector<size_t>> covers; // candidate id -> indices in current
        for (size_t i = 0; i < current.size(); ++i)
        {
            Ptr<FabricSwitch> c = current[i];
            std::set<uint32_t> done;
            for (uint16_t p = 0; p < c->GetNPorts(); ++p)
            {
                Ptr<FabricNetDevice> peer = PeerOf(c->GetPort(p));
                if (!peer || !peer->GetSwitch())
                {
                    continue;
                }
                Ptr<FabricSwitch> s = peer->GetSwitch();
                if (level[PeekPointer(s)] != level[PeekPointer(c)] + 1 ||
                    !DynamicCast<IbSwitch>(s) || !done.insert(IdOf(s)).second)
                {
                    continue;
                }
                // The child's uplink must have room for one more tree.
                if (!GetAggregationNode(c)
                         ->CheckReservation(requestFor(PeekPointer(c), {p}))
                         .empty())
                {
                    done.erase(IdOf(s)); // a parallel link may have room
                    continue;
                }
                auto& cand = candidates[IdOf(s)];
                cand.first = s;
                cand.second.push_back({s, p, peer->GetSwitchPort()});
                covers[IdOf(s)].push_back(i);
            }
        }
        std::vector<bool> covered(current.size(), false);
        size_t left = current.size();
        std::vector<Ptr<FabricSwitch>> next;
        std::string lastWhy = "no switch links them";
        while (left > 0)
        {
            uint32_t best = 0;
            size_t bestCount = 0;
            for (const auto& [id, idx] : covers)
            {
                size_t n = 0;
                std::vector<uint16_t> down;
                for (size_t k = 0; k < idx.size(); ++k)
                {
                    if (!covered[idx[k]])
                    {
                        ++n;
                        down.push_back(candidates[id].second[k].parentPort);
                    }
                }
                if (n <= bestCount)
                {
                    continue;
                }
                Ptr<FabricSwitch> s = candidates[id].first;
                const std::string why =
                    GetAggregationNode(s)->CheckReservation(requestFor(PeekPointer(s), down));
                if (!why.empty())
                {
                    lastWhy = s->Describe() + ": " + why;
                    continue;
                }
                best = id;
                bestCount = n;
            }
            if (bestCount == 0)
            {
                return refuse("no aggregation node above level " +
                              std::to_string(level[PeekPointer(current.front())]) +
                              " can take the tree (" + lastWhy + ")");
            }
            const auto& [s, ups] = candidates[best];
            for (size_t k = 0; k < covers[best].size(); ++k)
            {
                const size_t i = covers[best][k];
                if (covered[i])
                {
                    continue;
                }
                covered[i] = true;
                --left;
                FabricSwitch* c = PeekPointer(current[i]);
                parentOf[c] = ups[k];
                ports[c].push_back(ups[k].childPort);
                ports[PeekPointer(s)].push_back(ups[k].parentPort);
            }
            next.push_back(s);
        }
        current = next;
        levels.push_back(current);
    }
    // Grant: a group id, then each AN's reservation, children and routes.
    uint16_t id = 1;
    while (GroupsInUse().count(id))
    {
        if (++id == 0)
        {
            return refuse("group ids exhausted");
        }
    }
    GroupsInUse().insert(id);
    info.group = id;
    info.levels = static_cast<uint32_t>(levels.size());
    for (uint32_t l = 0; l < levels.size(); ++l)
    {
        for (const auto& sw : levels[l])
        {
            Ptr<SharpAggregationNode> an = GetAggregationNode(sw);
            std::vector<SharpAggregationNode::Child> children;
            if (l == 0)
            {
                for (size_t m = 0; m < hcas.size(); ++m)
                {
                    if (leafOf[m] == sw)
                    {
                        children.push_back({hcas[m]->GetLocalAddress(), false});
                    }
                }
            }
            else
            {
                for (const auto& [c, up] : parentOf)
                {
                    if (up.parent == sw)
                    {
                        Ptr<SharpAggregationNode> child =
                            c->GetObject<Node>()->GetObject<SharpAggregationNode>();
                        children.push_back({child->GetAddress(), true});
                        // Each end routes the other's AN over the tree's link.
                        an->AddRoute(child->GetAddress(), up.parentPort);
                        child->AddRoute(an->GetAddress(), up.childPort);
                    }
                }
            }
            auto up = parentOf.find(PeekPointer(sw));
            const uint16_t parentLid =
                up == parentOf.end() ? 0 : GetAggregationNode(up->second.parent)->GetAddress();
            an->Reserve(id, requestFor(PeekPointer(sw), {}), children, parentLid);
            info.maxChildren = std::max<uint32_t>(info.maxChildren, children.size());
            info.nodes.push_back(an);
        }
    }
    for (const auto& leaf : leafOf)
    {
        info.leaves.push_back(GetAggregationNode(leaf)->GetAddress());
    }
    info.upPath.push_back(hcas[0]);
    for (Ptr<FabricSwitch> sw = leafOf[0]; parentOf.count(PeekPointer(sw));
         sw = parentOf[PeekPointer(sw)].parent)
    {
        info.upPath.push_back(sw->GetPort(parentOf[PeekPointer(sw)].childPort));
    }
    return info;
}

void
SharpAggregationManager::ReleaseGroup(const SharpGroupInfo& group)
{
    if (!group.IsGranted())
    {
        return;
    }
    for (const auto& an : group.nodes)
    {
        an->Release(group.group);
    }
    GroupsInUse().erase(group.group);
}

} // namespace ns3
