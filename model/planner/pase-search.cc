/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pase-search.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PaseSearch");

namespace
{

/// A taken vertex and its configuration, linked to those taken before (shared by entries).
struct Trail
{
    uint32_t vertex;               //!< the vertex
    uint16_t config;               //!< its configuration index
    std::shared_ptr<Trail> before; //!< the vertices taken before
};

/// One of the k best partial plans of a table entry.
struct Entry
{
    double cost;                  //!< cost of the vertices taken
    std::shared_ptr<Trail> trail; //!< their configurations
};

/// Hash of a dependent-set assignment.
struct KeyHash
{
    size_t operator()(const std::vector<uint16_t>& k) const
    {
        size_t h = 1469598103934665603ull;
        for (uint16_t v : k)
        {
            h = (h ^ v) * 1099511628211ull;
        }
        return h;
    }
};

/// Everything the search needs, precomputed.
struct Problem
{
    std::vector<std::vector<PaseConfig>> configs;                 //!< per vertex
    std::vector<std::vector<double>> vertexCost;                  //!< per vertex, config
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> nbrs; //!< (neighbour, edge)
    std::vector<std::pair<uint32_t, uint32_t>> edges;             //!< (producer, consumer)
    std::vector<std::vector<double>> edgeCost;                    //!< per edge: [cp * Kc + cc]

    /// \return the cost of edge e with its ends' configurations
    double EdgeCost(uint32_t e, uint32_t a, uint16_t ca, uint16_t cb) const
    {
        const auto& [p, c] = edges[e];
        const size_t kc = configs[c].size();
        return a == p ? edgeCost[e][size_t(ca) * kc + cb] : edgeCost[e][size_t(cb) * kc + ca];
    }
};

Problem
Prepare(const LayerGraph& graph, Ptr<const PaseCostModel> model)
{
    Problem pr;
    const uint32_t n = static_cast<uint32_t>(graph.layers.size());
    pr.nbrs.resize(n);
    for (uint32_t v = 0; v < n; ++v)
    {
        pr.configs.push_back(model->GetConfigs(graph.layers[v]));
        if (pr.configs.back().size() > std::numeric_limits<uint16_t>::max())
        {
            throw FabricConfigError("PaseSearch",
                                    "layer '" + graph.layers[v].name +
                                        "' has too many configurations");
        }
        std::vector<double> costs;
        for (const PaseConfig& c : pr.configs.back())
        {
            costs.push_back(model->GetLayerCost(graph.layers[v], c, graph.elementBytes));
        }
        pr.vertexCost.push_back(std::move(costs));
    }
    pr.edges = graph.GetEdges();
    for (uint32_t e = 0; e < pr.edges.size(); ++e)
    {
        const auto [p, c] = pr.edges[e];
        pr.nbrs[p].emplace_back(c, e);
        pr.nbrs[c].emplace_back(p, e);
        std::vector<double> m;
        m.reserve(pr.configs[p].size() * pr.configs[c].size());
        for (const PaseConfig& cp : pr.configs[p])
        {
            for (const PaseConfig& cc : pr.configs[c])
            {
                m.push_back(model->GetEdgeCost(graph.layers[p],
                                               cp,
                                               graph.layers[c],
                                               cc,
                                               graph.elementBytes));
            }
        }
        pr.edgeCost.push_back(std::move(m));
    }
    return pr;
}

/// Insert a candidate into a k-best list kept sorted by cost.
void
Keep(std::vector<Entry>& list, Entry e, uint32_t k)
{
    if (list.size() >= k && e.cost >= list.back().cost)
    {
        return;
    }
    auto it = std::upper_bound(list.begin(), list.end(), e.cost, [](double c, const Entry& x) {
        return c < x.cost;
    });
    list.insert(it, std::move(e));
    if (list.size() > k)
    {
        list.pop_back();
    }
}

} // namespace

PaseSearchResult
PaseSearch::Search(const LayerGraph& graph, Ptr<const PaseCostModel> model, uint32_t k)
{
    NS_LOG_FUNCTION(graph.name << k);
    if (k == 0)
    {
        throw FabricConfigError("PaseSearch", "k must be >= 1");
    }
    const auto t0 = std::chrono::steady_clock::now();
    const Problem pr = Prepare(graph, model);
    const uint32_t n = static_cast<uint32_t>(graph.layers.size());
    PaseSearchResult result;

    // Greedy ordering: the vertex that leaves the smallest dependent set next.
    std::vector<bool> taken(n, false);
    auto dependentAfter = [&](uint32_t v) {
        std::vector<uint32_t> set;
        for (uint32_t u = 0; u < n; ++u)
        {
            if (!(taken[u] || u == v))
            {
                continue;
            }
            for (const auto& [w, e] : pr.nbrs[u])
            {
                if (!taken[w] && w != v)
                {
                    set.push_back(u);
                    break;
                }
            }
        }
        return set;
    };
    std::vector<uint32_t> frontier;
    using Table = std::unordered_map<std::vector<uint16_t>, std::vector<Entry>, KeyHash>;
    Table table;
    table[{}] = {Entry{0.0, nullptr}};
    for (uint32_t step = 0; step < n; ++step)
    {
        uint32_t best = UINT32_MAX;
        std::vector<uint32_t> bestSet;
        for (uint32_t v = 0; v < n; ++v)
        {
            if (taken[v])
            {
                continue;
            }
            std::vector<uint32_t> s = dependentAfter(v);
            if (best == UINT32_MAX || s.size() < bestSet.size())
            {
                best = v;
                bestSet = std::move(s);
            }
        }
        const uint32_t v = best;
        result.order.push_back(v);
        result.maxDependentSet =
            std::max<uint32_t>(result.maxDependentSet, static_cast<uint32_t>(bestSet.size()));
        // Where each vertex of the new dependent set comes from: the old key or v itself.
        std::vector<int> from;
        for (uint32_t w : bestSet)
        {
            auto it = std::find(frontier.begin(), frontier.end(), w);
            from.push_back(w == v ? -1 : static_cast<int>(it - frontier.begin()));
        }
        // v's edges to the old dependent set.
        std::vector<std::pair<uint32_t, uint32_t>> links; // (position in old key, edge)
        for (const auto& [w, e] : pr.nbrs[v])
        {
            if (taken[w])
            {
                auto it = std::find(frontier.begin(), frontier.end(), w);
                links.emplace_back(static_cast<uint32_t>(it - frontier.begin()), e);
            }
        }
        Table next;
        std::vector<uint16_t> key(bestSet.size());
        const uint32_t kv = static_cast<uint32_t>(pr.configs[v].size());
        for (const auto& [old, entries] : table)
        {
            for (uint32_t c = 0; c < kv; ++c)
            {
                double add = pr.vertexCost[v][c];
                for (const auto& [pos, e] : links)
                {
                    add += pr.EdgeCost(e, frontier[pos], old[pos], static_cast<uint16_t>(c));
                }
                for (size_t i = 0; i < from.size(); ++i)
                {
                    key[i] = from[i] < 0 ? static_cast<uint16_t>(c) : old[from[i]];
                }
                std::vector<Entry>& slot = next[key];
                for (const Entry& en : entries)
                {
                    ++result.states;
                    if (slot.size() >= k && en.cost + add >= slot.back().cost)
                    {
                        break; // entries are sorted: the rest cost more
                    }
                    Keep(slot,
                         Entry{
                             en.cost + add,
                             std::make_shared<Trail>(Trail{v, static_cast<uint16_t>(c), en.trail})},
                         k);
                }
            }
        }
        table = std::move(next);
        frontier = bestSet;
        taken[v] = true;
    }
    std::vector<Entry> all;
    for (auto& [key, entries] : table)
    {
        for (auto& e : entries)
        {
            Keep(all, e, k);
        }
    }
    for (const Entry& e : all)
    {
        PasePlan plan;
        plan.cost = e.cost;
        plan.configs.resize(n);
        for (const Trail* t = e.trail.get(); t; t = t->before.get())
        {
            plan.configs[t->vertex] = pr.configs[t->vertex][t->config];
        }
        result.plans.push_back(std::move(plan));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

PasePlan
PaseSearch::Exhaustive(const LayerGraph& graph, Ptr<const PaseCostModel> model)
{
    const Problem pr = Prepare(graph, model);
    const uint32_t n = static_cast<uint32_t>(graph.layers.size());
    std::vector<uint16_t> pick(n, 0);
    std::vector<uint16_t> bestPick;
    double best = std::numeric_limits<double>::infinity();
    std::function<void(uint32_t, double)> rec = [&](uint32_t v, double cost) {
        if (v == n)
        {
            if (cost < best)
            {
                best = cost;
                bestPick = pick;
            }
            return;
        }
        for (uint32_t c = 0; c < pr.configs[v].size(); ++c)
        {
            pick[v] = static_cast<uint16_t>(c);
            double add = pr.vertexCost[v][c];
            for (const auto& [w, e] : pr.nbrs[v])
            {
                if (w < v)
                {
                    add += pr.EdgeCost(e, w, pick[w], static_cast<uint16_t>(c));
                }
            }
            rec(v + 1, cost + add);
        }
    };
    rec(0, 0.0);
    PasePlan plan;
    plan.cost = best;
    for (uint32_t v = 0; v < n; ++v)
    {
        plan.configs.push_back(pr.configs[v][bestPick[v]]);
    }
    return plan;
}

double
PaseSearch::Cost(const LayerGraph& graph,
                 Ptr<const PaseCostModel> model,
                 const std::vector<PaseConfig>& plan)
{
    double cost = 0;
    for (uint32_t v = 0; v < graph.layers.size(); ++v)
    {
        cost += model->GetLayerCost(graph.layers[v], plan.at(v), graph.elementBytes);
    }
    for (const auto& [p, c] : graph.GetEdges())
    {
        cost += model->GetEdgeCost(graph.layers[p],
                                   plan[p],
                                   graph.layers[c],
                                   plan[c],
                                   graph.elementBytes);
    }
    return cost;
}

PasePlan
PaseSearch::DataParallel(const LayerGraph& graph, Ptr<const PaseCostModel> model)
{
    PasePlan plan;
    for (const GraphLayer& layer : graph.layers)
    {
        uint32_t batch = 0;
        for (uint32_t d = 0; d < layer.dims.size(); ++d)
        {
            if (layer.dims[d].name == "b")
            {
                batch = d;
            }
        }
        PaseConfig c(layer.dims.size(), 1);
        for (const PaseConfig& candidate : model->GetConfigs(layer))
        {
            if (PaseCostModel::GetParts(candidate) == candidate[batch] &&
                candidate[batch] > c[batch])
            {
                c = candidate;
            }
        }
        plan.configs.push_back(c);
    }
    plan.cost = Cost(graph, model, plan.configs);
    return plan;
}

} // namespace ns3
