/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "tree-algorithm.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TreeAlgorithm");

NS_OBJECT_ENSURE_REGISTERED(TreeAlgorithm);

namespace
{

/// One tree of the double binary tree at rank level, with the levels of its ranks.
struct RankTree
{
    std::vector<int> parent;      //!< parent of each rank (-1: the root)
    std::vector<uint32_t> depth;  //!< hops from the root
    std::vector<uint32_t> height; //!< longest path down to a leaf
    uint32_t root{0};             //!< the root
};

RankTree
MakeTree(const RankLayout& layout, uint32_t tree, uint32_t root, uint32_t channel)
{
    RankTree t;
    t.parent = TreeAlgorithm::GetParents(layout, tree, root, channel);
    const uint32_t n = static_cast<uint32_t>(t.parent.size());
    t.depth.assign(n, 0);
    t.height.assign(n, 0);
    for (uint32_t r = 0; r < n; ++r)
    {
        if (t.parent[r] < 0)
        {
            t.root = r;
        }
        for (int p = t.parent[r]; p >= 0; p = t.parent[p])
        {
            ++t.depth[r];
        }
    }
    std::vector<uint32_t> byDepth(n);
    for (uint32_t r = 0; r < n; ++r)
    {
        byDepth[r] = r;
    }
    std::stable_sort(byDepth.begin(), byDepth.end(), [&t](uint32_t a, uint32_t b) {
        return t.depth[a] > t.depth[b];
    });
    for (uint32_t r : byDepth)
    {
        if (t.parent[r] >= 0)
        {
            uint32_t& h = t.height[t.parent[r]];
            h = std::max(h, t.height[r] + 1);
        }
    }
    return t;
}

/// Reduce up the tree: a rank sends at the step of its height. \return the step after the last
uint32_t
ReduceUp(CollectiveAlgorithm::SliceBuilder& builder, const RankTree& t, uint32_t slot)
{
    const uint32_t n = static_cast<uint32_t>(t.parent.size());
    std::vector<uint32_t> order(n);
    for (uint32_t r = 0; r < n; ++r)
    {
        order[r] = r;
    }
    std::stable_sort(order.begin(), order.end(), [&t](uint32_t a, uint32_t b) {
        return t.height[a] < t.height[b];
    });
    for (uint32_t r : order)
    {
        if (t.parent[r] >= 0)
        {
            builder.Send(r, t.parent[r], slot, true, t.height[r]);
        }
    }
    return t.height[t.root];
}

/// Broadcast down the tree from step `first` (a rank at depth d sends at first + d), skipping
/// the edge into `skip` (a rank that has the data already; n for none).
void
BroadcastDown(CollectiveAlgorithm::SliceBuilder& builder,
              const RankTree& t,
              uint32_t slot,
              uint32_t first,
              uint32_t skip)
{
    const uint32_t n = static_cast<uint32_t>(t.parent.size());
    std::vector<uint32_t> order(n);
    for (uint32_t r = 0; r < n; ++r)
    {
        order[r] = r;
    }
    std::stable_sort(order.begin(), order.end(), [&t](uint32_t a, uint32_t b) {
        return t.depth[a] < t.depth[b];
    });
    for (uint32_t r : order)
    {
        if (t.parent[r] >= 0 && r != skip)
        {
            builder.Send(t.parent[r], r, slot, false, first + t.depth[r] - 1);
        }
    }
}

} // namespace

TypeId
TreeAlgorithm::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TreeAlgorithm")
                            .SetParent<CollectiveAlgorithm>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<TreeAlgorithm>();
    return tid;
}

TreeAlgorithm::TreeAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

TreeAlgorithm::~TreeAlgorithm()
{
    NS_LOG_FUNCTION(this);
}

std::string
TreeAlgorithm::GetName() const
{
    return "tree";
}

std::string
TreeAlgorithm::GetUnsupportedReason(CollectiveOp op, const RankLayout& /* layout */) const
{
    if (op != CollectiveOp::ALL_REDUCE && op != CollectiveOp::BROADCAST &&
        op != CollectiveOp::REDUCE)
    {
        return "the double binary tree implements all-reduce, broadcast and reduce, not " +
               CollectiveOpName(op);
    }
    return "";
}

void
TreeAlgorithm::GetBtree(int m, int node, int* up, int* down0, int* down1)
{
    int bit = 1;
    for (; bit < m; bit <<= 1)
    {
        if (bit & node)
        {
            break;
        }
    }
    if (node == 0)
    {
        *up = -1;
        *down0 = -1;
        *down1 = m > 1 ? bit >> 1 : -1;
        return;
    }
    int parent = (node ^ bit) | (bit << 1);
    if (parent >= m)
    {
        parent = node ^ bit;
    }
    *up = parent;
    int lowbit = bit >> 1;
    *down0 = lowbit == 0 ? -1 : node - lowbit;
    while (lowbit != 0 && node + lowbit >= m)
    {
        lowbit >>= 1;
    }
    *down1 = lowbit == 0 ? -1 : node + lowbit;
}

std::vector<int>
TreeAlgorithm::GetParents(const RankLayout& layout, uint32_t tree, uint32_t root, uint32_t channel)
{
    // Each server's chain in the channel's order: the channels' chains start on different rails
    // (NCCL's tree graph: NET n -> GPU a -> ... -> GPU x), and PXN keeps each link between
    // servers on the receiver's rail.
    std::vector<std::vector<uint32_t>> chains;
    for (const auto& ranks : layout.GetServerRanks())
    {
        chains.push_back(CollectiveAlgorithm::GetChannelOrder(ranks, layout, channel));
    }
    const int s = static_cast<int>(chains.size());
    int rootServer = 0;
    for (int i = 0; i < s; ++i)
    {
        auto it = std::find(chains[i].begin(), chains[i].end(), root);
        if (it != chains[i].end())
        {
            rootServer = i;
            std::rotate(chains[i].begin(), it, chains[i].end());
        }
    }
    std::vector<int> parent(layout.GetNRanks(), -1);
    for (int v = 0; v < s; ++v)
    {
        // Parent server of virtual server v (server rootServer + v) in this tree.
        int up;
        int d0;
        int d1;
        if (tree == 0)
        {
            GetBtree(s, v, &up, &d0, &d1);
        }
        else if (s % 2 == 1)
        {
            GetBtree(s, (v - 1 + s) % s, &up, &d0, &d1);
            up = up < 0 ? -1 : (up + 1) % s;
        }
        else
        {
            GetBtree(s, s - 1 - v, &up, &d0, &d1);
            up = up < 0 ? -1 : s - 1 - up;
        }
        const std::vector<uint32_t>& chain = chains[(v + rootServer) % s];
        for (size_t i = 1; i < chain.size(); ++i)
        {
            parent[chain[i]] = static_cast<int>(chain[i - 1]);
        }
        parent[chain[0]] = up < 0 ? -1 : static_cast<int>(chains[(up + rootServer) % s].back());
    }
    return parent;
}

uint32_t
TreeAlgorithm::GetSlots(CollectiveOp /* op */, const RankLayout& /* layout */) const
{
    return 2;
}

bool
TreeAlgorithm::HasSlotLanes(CollectiveOp op) const
{
    return true;
}

void
TreeAlgorithm::BuildSlice(SliceBuilder& builder,
                          CollectiveOp op,
                          const RankLayout& layout,
                          uint32_t root,
                          uint32_t /* peer */) const
{
    const uint32_t n = layout.GetNRanks();
    const uint32_t channel = builder.GetChannel();
    // All-reduce: the trees hang from the channel's first rank of the first server.
    const uint32_t treeRoot =
        op == CollectiveOp::ALL_REDUCE
            ? GetChannelOrder(layout.GetServerRanks().front(), layout, channel).front()
            : root;
    const RankTree t0 = MakeTree(layout, 0, treeRoot, channel);
    const RankTree t1 = MakeTree(layout, 1, treeRoot, channel);
    switch (op)
    {
    case CollectiveOp::ALL_REDUCE:
        BroadcastDown(builder, t0, 0, ReduceUp(builder, t0, 0), n);
        BroadcastDown(builder, t1, 1, ReduceUp(builder, t1, 1), n);
        break;
    case CollectiveOp::BROADCAST:
        BroadcastDown(builder, t0, 0, 0, n);
        if (t1.root != root)
        {
            builder.Send(root, t1.root, 1, false, 0);
            BroadcastDown(builder, t1, 1, 1, root);
        }
        else
        {
            BroadcastDown(builder, t1, 1, 0, n);
        }
        break;
    case CollectiveOp::REDUCE: {
        ReduceUp(builder, t0, 0);
        const uint32_t last = ReduceUp(builder, t1, 1);
        if (t1.root != root)
        {
            builder.Send(t1.root, root, 1, false, last);
        }
        break;
    }
    default:
        break;
    }
}

} // namespace ns3
