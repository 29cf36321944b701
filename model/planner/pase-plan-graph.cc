/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pase-plan-graph.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PasePlanGraph");

namespace
{

/// The devices that share device d's coordinates on every split dim outside `free` (and d's
/// replica), in device order.
std::vector<uint32_t>
Members(const PaseConfig& c, uint32_t devices, uint32_t d, const std::vector<bool>& free)
{
    const uint32_t q = PaseCostModel::GetParts(c);
    auto coords = [&](uint32_t x) {
        std::vector<uint32_t> out(c.size(), 0);
        uint32_t local = x % q;
        for (uint32_t k = 0; k < c.size(); ++k)
        {
            out[k] = local % c[k];
            local /= c[k];
        }
        return out;
    };
    const std::vector<uint32_t> mine = coords(d);
    std::vector<uint32_t> members;
    for (uint32_t x = 0; x < devices; ++x)
    {
        if (x / q != d / q)
        {
            continue;
        }
        const std::vector<uint32_t> theirs = coords(x);
        bool same = true;
        for (uint32_t k = 0; k < c.size() && same; ++k)
        {
            same = free[k] || theirs[k] == mine[k];
        }
        if (same)
        {
            members.push_back(x);
        }
    }
    return members;
}

/// \return which dims are outside a tensor
std::vector<bool>
Outside(const GraphLayer& layer, const std::vector<uint32_t>& tensor)
{
    std::vector<bool> out(layer.dims.size(), true);
    for (uint32_t d : tensor)
    {
        out[d] = false;
    }
    return out;
}

/// \return the bytes of a tensor's tile under c
double
TileBytes(const GraphLayer& layer,
          const PaseConfig& c,
          const std::vector<uint32_t>& tensor,
          uint32_t elementBytes)
{
    double n = elementBytes;
    for (uint32_t d : tensor)
    {
        n *= static_cast<double>(layer.dims[d].size) / c[d];
    }
    return n;
}

} // namespace

ExecutionGraph
PasePlanGraph::Build(const LayerGraph& graph,
                     const std::vector<PaseConfig>& plan,
                     uint32_t devices,
                     const std::vector<uint32_t>& serverOfRank,
                     const std::vector<uint32_t>& ranks)
{
    NS_LOG_FUNCTION(graph.name << devices);
    const uint32_t n = static_cast<uint32_t>(graph.layers.size());
    if (plan.size() != n)
    {
        throw FabricConfigError("PasePlanGraph",
                                "the plan has " + std::to_string(plan.size()) +
                                    " configurations for " + std::to_string(n) + " layers");
    }
    for (uint32_t l = 0; l < n; ++l)
    {
        if (plan[l].size() != graph.layers[l].dims.size() ||
            PaseCostModel::GetParts(plan[l]) > devices ||
            devices % PaseCostModel::GetParts(plan[l]))
        {
            throw FabricConfigError("PasePlanGraph",
                                    "layer '" + graph.layers[l].name +
                                        "': its configuration does not fit " +
                                        std::to_string(devices) + " devices");
        }
    }
    WorkloadDescription w;
    w.name = graph.name + " (per-layer plan)";
    w.file = graph.file;
    w.model.kind = ModelKind::LAYERS;
    w.model.dtype = graph.elementBytes == 4 ? WorkloadDtype::FP32 : WorkloadDtype::BF16;
    for (const GraphLayer& g : graph.layers)
    {
        LayerSpec s;
        s.name = g.name;
        s.forwardFlops = g.GetFlops() / devices; // per "sample": the workload has p of them
        s.weightBytes = static_cast<uint64_t>(g.GetElements(g.weight) * graph.elementBytes *
                                              (g.weight.empty() ? 0 : 1));
        s.activationBytes = static_cast<uint64_t>(g.GetElements(g.output) * graph.elementBytes);
        s.where = g.where;
        w.model.layers.push_back(s);
    }
    w.plan.dp = devices;
    w.plan.tp = 1;
    w.plan.pp = 1;
    w.plan.ranks = ranks;
    w.training.globalBatch = devices;
    w.training.microBatch = 1;
    w.training.gradientAccumulation = 1;
    const WorkloadPlacement placement(w, serverOfRank);

    std::vector<GroupInstance> groups;
    std::map<std::vector<uint32_t>, uint32_t> groupIndex;
    auto group = [&](const std::vector<uint32_t>& members, const std::string& name) {
        auto it = groupIndex.find(members);
        if (it != groupIndex.end())
        {
            return it->second;
        }
        GroupInstance g;
        g.name = name;
        g.workers = members;
        groups.push_back(g);
        return groupIndex[members] = static_cast<uint32_t>(groups.size() - 1);
    };
    std::vector<uint32_t> world;
    for (uint32_t d = 0; d < devices; ++d)
    {
        world.push_back(d);
    }
    const uint32_t worldGroup = group(world, "all");

    std::vector<std::shared_ptr<const RankProgram>> programs;
    std::vector<uint32_t> programOf;
    for (uint32_t d = 0; d < devices; ++d)
    {
        auto program = std::make_shared<RankProgram>();
        program->opsPerGroup.assign(kWorkloadGroups, 0);
        program->inFlight = {1};
        program->schedule = {"F0.0", "B0.0"};
        std::map<uint32_t, uint32_t> seq;         // per group instance
        std::map<uint32_t, uint32_t> lastOnGroup; // per group instance: its latest node
        auto add = [&](GraphNode node) {
            program->nodes.push_back(std::move(node));
            return static_cast<uint32_t>(program->nodes.size() - 1);
        };
        auto collective = [&](WorkloadGroup kind,
                              CollectiveOp op,
                              double bytes,
                              uint32_t instance,
                              const std::string& label,
                              std::vector<uint32_t> deps,
                              uint32_t layer) {
            GraphNode c;
            c.compute = false;
            c.group = kind;
            c.op = op;
            c.bytes = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(bytes)));
            c.instance = instance;
            c.seq = seq[instance]++;
            c.microBatch = 0;
            c.layer = layer;
            c.label = label;
            // A communicator runs one operation at a time: each waits for the one before.
            auto prev = lastOnGroup.find(instance);
            if (prev != lastOnGroup.end())
            {
                deps.push_back(prev->second);
            }
            c.deps = std::move(deps);
            program->opsPerGroup[static_cast<uint32_t>(kind)]++;
            const uint32_t index = add(std::move(c));
            lastOnGroup[instance] = index;
            return index;
        };
        auto compute =
            [&](uint32_t l, double flops, ComputePhase phase, std::vector<uint32_t> deps) {
                const GraphLayer& g = graph.layers[l];
                GraphNode c;
                c.task.kind = "layer";
                c.task.flops = flops;
                c.task.hbmBytes =
                    TileBytes(g, plan[l], g.output, graph.elementBytes) +
                    (g.input.empty() ? 0 : TileBytes(g, plan[l], g.input, graph.elementBytes)) +
                    (g.weight.empty() ? 0 : TileBytes(g, plan[l], g.weight, graph.elementBytes));
                c.task.dtype = w.model.dtype;
                c.phase = phase;
                c.microBatch = 0;
                c.layer = l;
                c.label = std::string(phase == ComputePhase::FORWARD ? "F " : "B ") + g.name;
                c.deps = std::move(deps);
                return add(std::move(c));
            };
        // The per-device bytes of a redistribution as an all-to-all's size S: each device
        // sends S / p to each of the p - 1 others.
        auto redistributionSize = [&](double perDevice) {
            return devices > 1 ? perDevice * devices / (devices - 1) : 0.0;
        };
        std::vector<uint32_t> forwardDone(n, UINT32_MAX);
        for (uint32_t l = 0; l < n; ++l)
        {
            const GraphLayer& g = graph.layers[l];
            std::vector<uint32_t> deps;
            for (uint32_t u : g.inputs)
            {
                const double bytes = PaseCostModel::GetRedistributionBytes(graph.layers[u],
                                                                           plan[u],
                                                                           g,
                                                                           plan[l],
                                                                           graph.elementBytes);
                if (bytes > 0 && devices > 1)
                {
                    deps.push_back(
                        collective(WorkloadGroup::EP,
                                   CollectiveOp::ALL_TO_ALL,
                                   redistributionSize(bytes),
                                   worldGroup,
                                   "redistribute " + graph.layers[u].name + " -> " + g.name,
                                   {forwardDone[u]},
                                   l));
                }
                else
                {
                    deps.push_back(forwardDone[u]);
                }
            }
            uint32_t last = compute(l,
                                    g.GetFlops() / PaseCostModel::GetParts(plan[l]),
                                    ComputePhase::FORWARD,
                                    deps);
            const auto red = Members(plan[l], devices, d, Outside(g, g.output));
            if (red.size() > 1)
            {
                last = collective(WorkloadGroup::TP,
                                  CollectiveOp::ALL_REDUCE,
                                  TileBytes(g, plan[l], g.output, graph.elementBytes),
                                  group(red, g.name + " partial outputs"),
                                  "all-reduce " + g.name + " outputs",
                                  {last},
                                  l);
            }
            forwardDone[l] = last;
        }
        // Backward: a layer's output gradient is ready when every consumer has sent its part.
        std::vector<std::vector<uint32_t>> gradientIn(n);
        std::vector<uint32_t> tail;
        for (uint32_t l = n; l-- > 0;)
        {
            const GraphLayer& g = graph.layers[l];
            std::vector<uint32_t> deps = gradientIn[l];
            if (deps.empty())
            {
                deps.push_back(forwardDone[l]);
            }
            const uint32_t b = compute(l,
                                       2 * g.GetFlops() / PaseCostModel::GetParts(plan[l]),
                                       ComputePhase::BACKWARD,
                                       deps);
            uint32_t last = b;
            if (!g.input.empty())
            {
                const auto in = Members(plan[l], devices, d, Outside(g, g.input));
                if (in.size() > 1)
                {
                    last = collective(WorkloadGroup::TP,
                                      CollectiveOp::ALL_REDUCE,
                                      TileBytes(g, plan[l], g.input, graph.elementBytes),
                                      group(in, g.name + " partial input gradients"),
                                      "all-reduce " + g.name + " input gradients",
                                      {b},
                                      l);
                }
            }
            if (!g.weight.empty())
            {
                const auto wg = Members(plan[l], devices, d, Outside(g, g.weight));
                if (wg.size() > 1)
                {
                    tail.push_back(collective(WorkloadGroup::DP,
                                              CollectiveOp::ALL_REDUCE,
                                              TileBytes(g, plan[l], g.weight, graph.elementBytes),
                                              group(wg, g.name + " weight gradients"),
                                              "all-reduce " + g.name + " weight gradients",
                                              {b},
                                              l));
                }
            }
            for (uint32_t u : g.inputs)
            {
                const double bytes = PaseCostModel::GetRedistributionBytes(graph.layers[u],
                                                                           plan[u],
                                                                           g,
                                                                           plan[l],
                                                                           graph.elementBytes);
                if (bytes > 0 && devices > 1)
                {
                    gradientIn[u].push_back(collective(WorkloadGroup::EP,
                                                       CollectiveOp::ALL_TO_ALL,
                                                       redistributionSize(bytes),
                                                       worldGroup,
                                                       "redistribute gradients " + g.name + " -> " +
                                                           graph.layers[u].name,
                                                       {last},
                                                       u));
                }
                else
                {
                    gradientIn[u].push_back(last);
                }
            }
            tail.push_back(last);
        }
        programs.push_back(std::move(program));
        programOf.push_back(d);
    }
    return ExecutionGraph(w,
                          placement,
                          std::move(programs),
                          std::move(programOf),
                          std::move(groups));
}

} // namespace ns3
