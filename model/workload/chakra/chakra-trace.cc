/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "chakra-trace.h"

#include "chakra-et.pb.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <map>
#include <nlohmann/json.hpp>
#include <queue>
#include <set>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ChakraTrace");

namespace
{

namespace pb = ChakraProtoMsg;

/// Format of the aif.* attributes.
constexpr int64_t kAifFormat = 1;

// ----------------------------------------------------------------- attributes

void
Put(google::protobuf::RepeatedPtrField<pb::AttributeProto>* attrs,
    const std::string& name,
    int64_t v)
{
    auto* a = attrs->Add();
    a->set_name(name);
    a->set_int64_val(v);
}

void
PutDouble(google::protobuf::RepeatedPtrField<pb::AttributeProto>* attrs,
          const std::string& name,
          double v)
{
    auto* a = attrs->Add();
    a->set_name(name);
    a->set_double_val(v);
}

void
PutString(google::protobuf::RepeatedPtrField<pb::AttributeProto>* attrs,
          const std::string& name,
          const std::string& v)
{
    auto* a = attrs->Add();
    a->set_name(name);
    a->set_string_val(v);
}

void
PutBool(google::protobuf::RepeatedPtrField<pb::AttributeProto>* attrs,
        const std::string& name,
        bool v)
{
    auto* a = attrs->Add();
    a->set_name(name);
    a->set_bool_val(v);
}

template <class T>
void
PutList(google::protobuf::RepeatedPtrField<pb::AttributeProto>* attrs,
        const std::string& name,
        const std::vector<T>& v)
{
    auto* a = attrs->Add();
    a->set_name(name);
    auto* list = a->mutable_int64_list();
    for (const T& x : v)
    {
        list->add_values(static_cast<int64_t>(x));
    }
}

void
PutStrings(google::protobuf::RepeatedPtrField<pb::AttributeProto>* attrs,
           const std::string& name,
           const std::vector<std::string>& v)
{
    auto* a = attrs->Add();
    a->set_name(name);
    for (const auto& x : v)
    {
        a->mutable_string_list()->add_values(x);
    }
}

/// The attributes of one message by name.
using AttrMap = std::map<std::string, const pb::AttributeProto*>;

AttrMap
MapAttrs(const google::protobuf::RepeatedPtrField<pb::AttributeProto>& attrs)
{
    AttrMap m;
    for (const auto& a : attrs)
    {
        m[a.name()] = &a;
    }
    return m;
}

/// An integer attribute of any integral kind (Chakra's writers differ: int64, int32, uint64).
bool
GetInt(const AttrMap& m, const std::string& name, int64_t& out)
{
    auto it = m.find(name);
    if (it == m.end())
    {
        return false;
    }
    const pb::AttributeProto& a = *it->second;
    switch (a.value_case())
    {
    case pb::AttributeProto::kInt64Val:
        out = a.int64_val();
        return true;
    case pb::AttributeProto::kInt32Val:
        out = a.int32_val();
        return true;
    case pb::AttributeProto::kUint32Val:
        out = a.uint32_val();
        return true;
    case pb::AttributeProto::kUint64Val:
        out = static_cast<int64_t>(a.uint64_val());
        return true;
    case pb::AttributeProto::kBoolVal:
        out = a.bool_val();
        return true;
    case pb::AttributeProto::kDoubleVal:
        out = static_cast<int64_t>(a.double_val());
        return true;
    default:
        return false;
    }
}

/// Reading context: which file, which node, for error messages.
struct Where
{
    std::string file;
    std::string node; //!< "node 12" or "" for the metadata

    [[noreturn]] void Fail(const std::string& what) const
    {
        throw FabricConfigError(file, (node.empty() ? std::string() : node + ": ") + what);
    }
};

int64_t
NeedInt(const AttrMap& m, const std::string& name, const Where& where)
{
    int64_t v = 0;
    if (!GetInt(m, name, v))
    {
        where.Fail("attribute '" + name + "' is missing or not an integer");
    }
    return v;
}

double
NeedDouble(const AttrMap& m, const std::string& name, const Where& where)
{
    auto it = m.find(name);
    if (it == m.end() || it->second->value_case() != pb::AttributeProto::kDoubleVal)
    {
        where.Fail("attribute '" + name + "' is missing or not a double");
    }
    return it->second->double_val();
}

std::string
NeedString(const AttrMap& m, const std::string& name, const Where& where)
{
    auto it = m.find(name);
    if (it == m.end() || it->second->value_case() != pb::AttributeProto::kStringVal)
    {
        where.Fail("attribute '" + name + "' is missing or not a string");
    }
    return it->second->string_val();
}

std::vector<int64_t>
NeedList(const AttrMap& m, const std::string& name, const Where& where)
{
    auto it = m.find(name);
    if (it == m.end() || it->second->value_case() != pb::AttributeProto::kInt64List)
    {
        where.Fail("attribute '" + name + "' is missing or not an int64 list");
    }
    const auto& v = it->second->int64_list().values();
    return std::vector<int64_t>(v.begin(), v.end());
}

std::vector<std::string>
NeedStrings(const AttrMap& m, const std::string& name, const Where& where)
{
    auto it = m.find(name);
    if (it == m.end() || (it->second->value_case() != pb::AttributeProto::kStringList &&
                          it->second->value_case() != pb::AttributeProto::VALUE_NOT_SET))
    {
        where.Fail("attribute '" + name + "' is missing or not a string list");
    }
    const auto& v = it->second->string_list().values();
    return std::vector<std::string>(v.begin(), v.end());
}

// ----------------------------------------------------------------- the workload, field by field

/// Writes every field of a workload as an aif.w.* attribute.
struct WorkloadWriter
{
    google::protobuf::RepeatedPtrField<pb::AttributeProto>* attrs;

    template <class T>
    void operator()(const std::string& name, T& v)
    {
        const std::string key = "aif.w." + name;
        if constexpr (std::is_same_v<T, std::string>)
        {
            PutString(attrs, key, v);
        }
        else if constexpr (std::is_same_v<T, std::vector<std::string>>)
        {
            PutStrings(attrs, key, v);
        }
        else if constexpr (std::is_same_v<T, std::vector<uint32_t>>)
        {
            PutList(attrs, key, v);
        }
        else if constexpr (std::is_same_v<T, double>)
        {
            PutDouble(attrs, key, v);
        }
        else
        {
            Put(attrs, key, static_cast<int64_t>(v));
        }
    }
};

/// Reads them back.
struct WorkloadFieldReader
{
    const AttrMap& attrs;
    const Where& where;

    template <class T>
    void operator()(const std::string& name, T& v)
    {
        const std::string key = "aif.w." + name;
        if constexpr (std::is_same_v<T, std::string>)
        {
            v = NeedString(attrs, key, where);
        }
        else if constexpr (std::is_same_v<T, std::vector<std::string>>)
        {
            v = NeedStrings(attrs, key, where);
        }
        else if constexpr (std::is_same_v<T, std::vector<uint32_t>>)
        {
            const auto list = NeedList(attrs, key, where);
            v.assign(list.begin(), list.end());
        }
        else if constexpr (std::is_same_v<T, double>)
        {
            v = NeedDouble(attrs, key, where);
        }
        else
        {
            v = static_cast<T>(NeedInt(attrs, key, where));
        }
    }
};

/// Visits every field of a workload that shapes its graph (not the source locations).
template <class F>
void
VisitWorkload(WorkloadDescription& w, F&& f)
{
    f("name", w.name);
    f("file", w.file);
    f("model.kind", w.model.kind);
    f("model.dtype", w.model.dtype);
    TransformerSpec& t = w.model.transformer;
    f("model.layers", t.layers);
    f("model.hidden", t.hidden);
    f("model.ffn", t.ffn);
    f("model.heads", t.heads);
    f("model.kv-heads", t.kvHeads);
    f("model.sequence", t.sequence);
    f("model.vocabulary", t.vocabulary);
    f("model.gated-mlp", t.gatedMlp);
    f("model.experts", t.experts);
    f("model.top-k", t.topK);
    f("model.expert-ffn", t.expertFfn);
    f("model.moe-every", t.moeEvery);
    TrainingSpec& tr = w.training;
    f("training.global-batch", tr.globalBatch);
    f("training.micro-batch", tr.microBatch);
    f("training.gradient-accumulation", tr.gradientAccumulation);
    f("training.recompute", tr.recompute);
    f("training.optimizer-bytes", tr.optimizerBytes);
    ParallelismPlan& p = w.plan;
    f("plan.dp", p.dp);
    f("plan.tp", p.tp);
    f("plan.sequence-parallel", p.sequenceParallel);
    f("plan.pp", p.pp);
    f("plan.virtual-stages", p.virtualStages);
    f("plan.schedule", p.schedule);
    f("plan.ep", p.ep);
    f("plan.zero", p.zero);
    f("plan.bucket-bytes", p.bucketBytes);
    f("plan.overlap", p.overlap);
    f("plan.order", p.order);
    f("plan.ranks", p.ranks);
    f("plan.mode", p.mode);
    f("plan.staleness", p.staleness);
    f("plan.servers", p.servers);
    const uint32_t n = static_cast<uint32_t>(w.model.layers.size());
    uint32_t count = n;
    f("model.layer-count", count);
    w.model.layers.resize(count);
    for (uint32_t i = 0; i < count; ++i)
    {
        LayerSpec& l = w.model.layers[i];
        const std::string at = "model.layer." + std::to_string(i) + ".";
        f(at + "name", l.name);
        f(at + "forward-flops", l.forwardFlops);
        f(at + "weight-bytes", l.weightBytes);
        f(at + "activation-bytes", l.activationBytes);
        f(at + "count", l.count);
    }
}

// ----------------------------------------------------------------- the delimited stream

/// Chakra's CollectiveCommType of a collective.
pb::CollectiveCommType
CommType(CollectiveOp op)
{
    switch (op)
    {
    case CollectiveOp::ALL_REDUCE:
        return pb::ALL_REDUCE;
    case CollectiveOp::REDUCE_SCATTER:
        return pb::REDUCE_SCATTER;
    case CollectiveOp::ALL_GATHER:
        return pb::ALL_GATHER;
    case CollectiveOp::BROADCAST:
        return pb::BROADCAST;
    case CollectiveOp::REDUCE:
        return pb::REDUCE;
    case CollectiveOp::ALL_TO_ALL:
        return pb::ALL_TO_ALL;
    case CollectiveOp::SEND_RECV:
        break;
    }
    return pb::ALL_REDUCE;
}

bool
IsSendGroup(WorkloadGroup g)
{
    return g == WorkloadGroup::FWD_SEND || g == WorkloadGroup::BWD_SEND;
}

bool
IsRecvGroup(WorkloadGroup g)
{
    return g == WorkloadGroup::FWD_RECV || g == WorkloadGroup::BWD_RECV;
}

/// A group instance's name in pg_name: "dp.3" (the kind and its index), or the explicit name.
std::string
GroupName(const GroupInstance& g, const GraphNode& node)
{
    if (!g.name.empty())
    {
        return g.name;
    }
    return WorkloadGroupName(node.group) + "." + std::to_string(g.id & ((uint64_t(1) << 56) - 1));
}

void
WriteMessage(google::protobuf::io::CodedOutputStream& out, const google::protobuf::Message& m)
{
    out.WriteVarint32(static_cast<uint32_t>(m.ByteSizeLong()));
    m.SerializeWithCachedSizes(&out);
}

/// One file read: its metadata and nodes.
struct TraceFile
{
    std::string path;
    pb::GlobalMetadata metadata;
    std::vector<pb::Node> nodes;
};

TraceFile
ReadFile(const std::string& path)
{
    TraceFile f;
    f.path = path;
    const int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0)
    {
        throw FabricConfigError(path, "cannot open the trace file");
    }
    struct stat st;
    const int64_t fileSize = fstat(fd, &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
    google::protobuf::io::FileInputStream raw(fd);
    raw.SetCloseOnDelete(true);
    google::protobuf::io::CodedInputStream in(&raw);
    // Our limit is the file, not protobuf's default total-bytes limit.
    in.SetTotalBytesLimit(INT32_MAX);
    bool first = true;
    while (true)
    {
        const int offset = in.CurrentPosition();
        uint32_t size = 0;
        if (!in.ReadVarint32(&size))
        {
            if (raw.GetErrno() == 0 && offset == fileSize)
            {
                break; // clean end of file
            }
            throw FabricConfigError(path,
                                    "truncated or damaged length at byte " +
                                        std::to_string(offset) + " (after node " +
                                        (f.nodes.empty() ? std::string("(none)")
                                                         : std::to_string(f.nodes.back().id())) +
                                        ")");
        }
        const auto limit = in.PushLimit(static_cast<int>(size));
        const std::string what = first
                                     ? std::string("the GlobalMetadata")
                                     : "the message after node " +
                                           (f.nodes.empty() ? std::string("(none)")
                                                            : std::to_string(f.nodes.back().id()));
        bool ok;
        if (first)
        {
            ok = f.metadata.ParseFromCodedStream(&in);
        }
        else
        {
            f.nodes.emplace_back();
            ok = f.nodes.back().ParseFromCodedStream(&in);
            if (ok && in.CurrentPosition() - offset < static_cast<int>(size))
            {
                ok = false;
            }
        }
        if (!ok || !in.ConsumedEntireMessage() || in.BytesUntilLimit() > 0)
        {
            throw FabricConfigError(path,
                                    "truncated or damaged message at byte " +
                                        std::to_string(offset) + " (" + what + ", " +
                                        std::to_string(size) + " bytes announced)");
        }
        in.PopLimit(limit);
        first = false;
    }
    if (first)
    {
        throw FabricConfigError(path, "empty trace: no GlobalMetadata");
    }
    return f;
}

// ----------------------------------------------------------------- foreign traces

/// The process groups a foreign trace declares (pg_config: a JSON list of {pg_name, ranks}, or
/// an object {name: {ranks}}, as PyTorch's execution trace records them).
void
ParsePgConfig(const std::string& text,
              const Where& where,
              uint32_t workers,
              std::map<std::string, std::vector<uint32_t>>& groups)
{
    nlohmann::json j;
    try
    {
        j = nlohmann::json::parse(text);
    }
    catch (const std::exception& e)
    {
        where.Fail(std::string("pg_config is not JSON: ") + e.what());
    }
    auto add = [&](const std::string& name, const nlohmann::json& g) {
        std::vector<uint32_t> ranks;
        if (g.contains("ranks") && g["ranks"].is_array() && !g["ranks"].empty())
        {
            for (const auto& r : g["ranks"])
            {
                const int64_t rank = r.get<int64_t>();
                if (rank < 0 || rank >= workers)
                {
                    where.Fail("pg_config: process group '" + name + "' names rank " +
                               std::to_string(rank) + " of " + std::to_string(workers) +
                               " traced workers");
                }
                ranks.push_back(static_cast<uint32_t>(rank));
            }
        }
        else
        {
            for (uint32_t r = 0; r < workers; ++r)
            {
                ranks.push_back(r);
            }
        }
        groups[name] = ranks;
    };
    try
    {
        if (j.is_array())
        {
            for (const auto& g : j)
            {
                add(g.at("pg_name").is_string() ? g.at("pg_name").get<std::string>()
                                                : g.at("pg_name").dump(),
                    g);
            }
        }
        else if (j.is_object())
        {
            for (const auto& [name, g] : j.items())
            {
                add(name, g);
            }
        }
        else
        {
            where.Fail("pg_config must be a list or an object");
        }
    }
    catch (const nlohmann::json::exception& e)
    {
        where.Fail(std::string("pg_config: ") + e.what());
    }
}

/// Builds the graph of a foreign trace.
ExecutionGraph
ReadForeign(const std::vector<TraceFile>& files, std::vector<uint32_t> serverOfRank)
{
    const uint32_t workers = static_cast<uint32_t>(files.size());
    // Process groups first: from every file's metadata and metadata nodes.
    std::map<std::string, std::vector<uint32_t>> pgs;
    for (const TraceFile& f : files)
    {
        const AttrMap meta = MapAttrs(f.metadata.attr());
        auto it = meta.find("pg_config");
        if (it != meta.end())
        {
            ParsePgConfig(it->second->string_val(), Where{f.path, ""}, workers, pgs);
        }
        for (const pb::Node& n : f.nodes)
        {
            if (n.type() == pb::METADATA_NODE)
            {
                const AttrMap a = MapAttrs(n.attr());
                auto pit = a.find("pg_config");
                if (pit != a.end())
                {
                    ParsePgConfig(pit->second->string_val(),
                                  Where{f.path, "node " + std::to_string(n.id())},
                                  workers,
                                  pgs);
                }
            }
        }
    }

    std::vector<GroupInstance> groups;
    std::map<std::string, uint32_t> groupIndex;
    auto group = [&](const std::string& name, const std::vector<uint32_t>& members) {
        auto it = groupIndex.find(name);
        if (it != groupIndex.end())
        {
            return it->second;
        }
        GroupInstance g;
        g.name = name;
        g.workers = members;
        groups.push_back(g);
        return groupIndex[name] = static_cast<uint32_t>(groups.size() - 1);
    };
    std::vector<uint32_t> world;
    for (uint32_t w = 0; w < workers; ++w)
    {
        world.push_back(w);
    }

    std::vector<std::shared_ptr<const RankProgram>> programs;
    std::vector<uint32_t> programOf;
    for (uint32_t w = 0; w < workers; ++w)
    {
        const TraceFile& f = files[w];
        // Index the nodes by id; metadata nodes pass their dependencies on.
        std::map<uint64_t, uint32_t> byId;
        for (uint32_t i = 0; i < f.nodes.size(); ++i)
        {
            if (!byId.emplace(f.nodes[i].id(), i).second)
            {
                Where{f.path, "node " + std::to_string(f.nodes[i].id())}.Fail("duplicate node id");
            }
        }
        std::vector<std::vector<uint32_t>> depsOf(f.nodes.size());   // data and ctrl
        std::vector<std::vector<uint32_t>> dataDeps(f.nodes.size()); // data only
        uint64_t droppedCtrl = 0;
        for (uint32_t i = 0; i < f.nodes.size(); ++i)
        {
            const pb::Node& n = f.nodes[i];
            const Where where{f.path, "node " + std::to_string(n.id())};
            std::set<uint32_t> seen;
            auto addDeps = [&](const google::protobuf::RepeatedField<uint64_t>& deps, bool data) {
                for (uint64_t d : deps)
                {
                    auto it = byId.find(d);
                    if (it == byId.end() && !data)
                    {
                        // Chakra's PyTorch converter keeps control edges to the parent CPU
                        // ops it leaves out (the thread's root): nothing to wait for.
                        ++droppedCtrl;
                        continue;
                    }
                    if (it == byId.end())
                    {
                        where.Fail("depends on node " + std::to_string(d) +
                                   " (data_deps), which is not in the file");
                    }
                    if (seen.insert(it->second).second)
                    {
                        depsOf[i].push_back(it->second);
                        if (data)
                        {
                            dataDeps[i].push_back(it->second);
                        }
                    }
                }
            };
            addDeps(n.data_deps(), true);
            addDeps(n.ctrl_deps(), false);
            switch (n.type())
            {
            case pb::COMP_NODE:
            case pb::COMM_COLL_NODE:
            case pb::COMM_SEND_NODE:
            case pb::COMM_RECV_NODE:
            case pb::METADATA_NODE:
                break;
            default:
                where.Fail("node type " + std::to_string(static_cast<int>(n.type())) + " (" +
                           (pb::NodeType_IsValid(n.type()) ? pb::NodeType_Name(n.type())
                                                           : std::string("unknown")) +
                           ") is not supported; ai-fabric reads COMP_NODE, COMM_COLL_NODE, "
                           "COMM_SEND_NODE, COMM_RECV_NODE and METADATA_NODE");
            }
        }
        if (droppedCtrl > 0)
        {
            NS_LOG_WARN(f.path << ": " << droppedCtrl
                               << " ctrl_deps name nodes that are not in the file; ignored");
        }
        // Topological order, lowest file position first among the ready nodes.
        auto topological = [&](const std::vector<std::vector<uint32_t>>& depsIn) {
            std::vector<uint32_t> waiting(f.nodes.size());
            std::vector<std::vector<uint32_t>> dependents(f.nodes.size());
            std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> ready;
            for (uint32_t i = 0; i < f.nodes.size(); ++i)
            {
                waiting[i] = static_cast<uint32_t>(depsIn[i].size());
                for (uint32_t d : depsIn[i])
                {
                    dependents[d].push_back(i);
                }
                if (waiting[i] == 0)
                {
                    ready.push(i);
                }
            }
            std::vector<uint32_t> order;
            while (!ready.empty())
            {
                const uint32_t i = ready.top();
                ready.pop();
                order.push_back(i);
                for (uint32_t next : dependents[i])
                {
                    if (--waiting[next] == 0)
                    {
                        ready.push(next);
                    }
                }
            }
            return order;
        };
        std::vector<uint32_t> order = topological(depsOf);
        if (order.size() != f.nodes.size())
        {
            // PyTorch-converted traces name each op's enclosing op in ctrl_deps (the call
            // hierarchy, not an order); Chakra's et_feeder replays data_deps only. So do we.
            const std::vector<uint32_t> dataOrder = topological(dataDeps);
            if (dataOrder.size() != f.nodes.size())
            {
                throw FabricConfigError(f.path,
                                        "the data_deps form a cycle (" +
                                            std::to_string(f.nodes.size() - dataOrder.size()) +
                                            " nodes never become ready)");
            }
            NS_LOG_WARN(f.path << ": ctrl_deps and data_deps together form a cycle; "
                                  "replaying data_deps only");
            order = dataOrder;
            depsOf = dataDeps;
        }
        auto program = std::make_shared<RankProgram>();
        program->stage = 0;
        program->opsPerGroup.assign(kWorkloadGroups, 0);
        std::vector<uint32_t> newIndex(f.nodes.size(), UINT32_MAX);
        std::vector<std::vector<uint32_t>> passOn(f.nodes.size()); // metadata: its deps
        std::map<uint32_t, uint32_t> seqOf;                        // per explicit group
        for (uint32_t i : order)
        {
            const pb::Node& n = f.nodes[i];
            const Where where{f.path, "node " + std::to_string(n.id())};
            std::set<uint32_t> deps;
            for (uint32_t d : depsOf[i])
            {
                if (newIndex[d] != UINT32_MAX)
                {
                    deps.insert(newIndex[d]);
                }
                deps.insert(passOn[d].begin(), passOn[d].end());
            }
            if (n.type() == pb::METADATA_NODE)
            {
                passOn[i].assign(deps.begin(), deps.end());
                continue;
            }
            const AttrMap a = MapAttrs(n.attr());
            GraphNode g;
            g.label = n.name();
            g.deps.assign(deps.begin(), deps.end());
            int64_t commType = 0;
            const bool hasCommType = GetInt(a, "comm_type", commType);
            int64_t cpuOp = 0;
            GetInt(a, "is_cpu_op", cpuOp);
            // PyTorch's traces record a collective twice: the host's c10d call (a CPU op
            // without comm_type) and its GPU kernel (with comm_type); the call is host time.
            const bool hostCall = n.type() == pb::COMM_COLL_NODE && !hasCommType && cpuOp != 0;
            if (n.type() == pb::COMP_NODE || hostCall)
            {
                g.compute = true;
                g.task.kind = hostCall ? "host-collective" : "trace";
                int64_t ops = 0;
                GetInt(a, "num_ops", ops);
                g.task.flops = static_cast<double>(ops);
                g.task.measured = MicroSeconds(n.duration_micros());
            }
            else
            {
                g.compute = false;
                int64_t size = 0;
                GetInt(a, "comm_size", size);
                if (size < 0)
                {
                    where.Fail("comm_size " + std::to_string(size) + " is negative");
                }
                g.bytes = static_cast<uint64_t>(size);
                uint32_t instance;
                if (n.type() == pb::COMM_COLL_NODE)
                {
                    const int64_t type = commType;
                    if (!hasCommType)
                    {
                        where.Fail("collective without comm_type (and not a CPU op)");
                    }
                    switch (type)
                    {
                    case pb::ALL_REDUCE:
                        g.op = CollectiveOp::ALL_REDUCE;
                        break;
                    case pb::BARRIER:
                        g.op = CollectiveOp::ALL_REDUCE;
                        g.bytes = 0;
                        break;
                    case pb::REDUCE:
                        g.op = CollectiveOp::REDUCE;
                        break;
                    case pb::ALL_GATHER:
                        g.op = CollectiveOp::ALL_GATHER;
                        break;
                    case pb::BROADCAST:
                        g.op = CollectiveOp::BROADCAST;
                        break;
                    case pb::ALL_TO_ALL:
                        g.op = CollectiveOp::ALL_TO_ALL;
                        break;
                    case pb::REDUCE_SCATTER:
                    case pb::REDUCE_SCATTER_BLOCK:
                        g.op = CollectiveOp::REDUCE_SCATTER;
                        break;
                    default:
                        where.Fail("comm_type " + std::to_string(type) + " (" +
                                   (pb::CollectiveCommType_IsValid(static_cast<int>(type))
                                        ? pb::CollectiveCommType_Name(
                                              static_cast<pb::CollectiveCommType>(type))
                                        : std::string("unknown")) +
                                   ") is not supported");
                    }
                    g.group = WorkloadGroup::DP;
                    auto pit = a.find("pg_name");
                    if (pit == a.end() || pit->second->string_val().empty())
                    {
                        instance = group("world", world);
                    }
                    else
                    {
                        const std::string pg = pit->second->string_val();
                        auto known = pgs.find(pg);
                        if (known == pgs.end())
                        {
                            where.Fail("process group '" + pg +
                                       "' has no membership in the trace (no pg_config "
                                       "names it)");
                        }
                        instance = group("pg " + pg, known->second);
                    }
                    if (std::find(groups[instance].workers.begin(),
                                  groups[instance].workers.end(),
                                  w) == groups[instance].workers.end())
                    {
                        where.Fail("worker " + std::to_string(w) + " is not a member of " +
                                   groups[instance].name);
                    }
                }
                else
                {
                    const bool send = n.type() == pb::COMM_SEND_NODE;
                    int64_t peer = 0;
                    const std::string key = send ? "comm_dst" : "comm_src";
                    if (!GetInt(a, key, peer))
                    {
                        where.Fail((send ? "send" : "receive") + std::string(" without ") + key);
                    }
                    if (peer < 0 || peer >= workers || peer == w)
                    {
                        where.Fail(key + " " + std::to_string(peer) + " is not another of the " +
                                   std::to_string(workers) + " traced workers");
                    }
                    const uint32_t sender = send ? w : static_cast<uint32_t>(peer);
                    const uint32_t receiver = send ? static_cast<uint32_t>(peer) : w;
                    g.op = CollectiveOp::SEND_RECV;
                    g.group = send ? WorkloadGroup::FWD_SEND : WorkloadGroup::FWD_RECV;
                    instance =
                        group("p2p " + std::to_string(sender) + "->" + std::to_string(receiver),
                              {sender, receiver});
                }
                g.instance = instance;
                g.seq = seqOf[instance]++;
                program->opsPerGroup[static_cast<uint32_t>(g.group)]++;
            }
            newIndex[i] = static_cast<uint32_t>(program->nodes.size());
            program->nodes.push_back(std::move(g));
        }
        programOf.push_back(static_cast<uint32_t>(programs.size()));
        programs.push_back(std::move(program));
    }

    WorkloadDescription wl;
    wl.name = "Chakra trace";
    wl.model.kind = ModelKind::LAYERS;
    wl.training.globalBatch = workers;
    wl.training.microBatch = 1;
    wl.plan.dp = workers;
    wl.plan.tp = 1;
    wl.plan.pp = 1;
    if (serverOfRank.empty())
    {
        serverOfRank = world;
    }
    const WorkloadPlacement placement(wl, serverOfRank);
    return ExecutionGraph(wl,
                          placement,
                          std::move(programs),
                          std::move(programOf),
                          std::move(groups));
}

// ----------------------------------------------------------------- our own traces

GraphNode
ReadOwnNode(const pb::Node& n, const Where& where)
{
    const AttrMap a = MapAttrs(n.attr());
    GraphNode g;
    g.label = n.name();
    for (uint64_t d : n.data_deps())
    {
        g.deps.push_back(static_cast<uint32_t>(d));
    }
    g.compute = n.type() == pb::COMP_NODE;
    if (!g.compute && n.type() != pb::COMM_COLL_NODE && n.type() != pb::COMM_SEND_NODE &&
        n.type() != pb::COMM_RECV_NODE)
    {
        where.Fail("node type " + std::to_string(static_cast<int>(n.type())) +
                   " is not one ai-fabric writes");
    }
    g.microBatch = static_cast<uint32_t>(NeedInt(a, "aif.micro_batch", where));
    g.chunk = static_cast<uint32_t>(NeedInt(a, "aif.chunk", where));
    g.layer = static_cast<uint32_t>(NeedInt(a, "aif.layer", where));
    if (g.compute)
    {
        g.task.kind = NeedString(a, "aif.kind", where);
        g.task.flops = NeedDouble(a, "aif.flops", where);
        g.task.hbmBytes = NeedDouble(a, "aif.hbm_bytes", where);
        g.task.dtype = static_cast<WorkloadDtype>(NeedInt(a, "aif.dtype", where));
        g.task.measured = PicoSeconds(NeedInt(a, "aif.measured_ps", where));
        g.phase = static_cast<ComputePhase>(NeedInt(a, "aif.phase", where));
    }
    else
    {
        g.group = static_cast<WorkloadGroup>(NeedInt(a, "aif.group", where));
        g.op = static_cast<CollectiveOp>(NeedInt(a, "aif.op", where));
        g.bytes = static_cast<uint64_t>(NeedInt(a, "comm_size", where));
        g.seq = static_cast<uint32_t>(NeedInt(a, "aif.seq", where));
        g.instance = static_cast<uint32_t>(NeedInt(a, "aif.instance", where));
    }
    return g;
}

ExecutionGraph
ReadOwn(const std::vector<TraceFile>& files)
{
    const Where first{files[0].path, ""};
    const AttrMap meta = MapAttrs(files[0].metadata.attr());
    WorkloadDescription wl;
    VisitWorkload(wl, WorkloadFieldReader{meta, first});
    const auto servers = NeedList(meta, "aif.server_of_rank", first);
    const std::vector<uint32_t> serverOfRank(servers.begin(), servers.end());
    const WorkloadPlacement placement(wl, serverOfRank);
    const uint32_t workers = static_cast<uint32_t>(NeedInt(meta, "aif.workers", first));
    if (workers != placement.GetNWorkers() || files.size() < workers)
    {
        first.Fail("the trace has " + std::to_string(files.size()) + " files for " +
                   std::to_string(workers) + " workers; the placement has " +
                   std::to_string(placement.GetNWorkers()));
    }
    const uint32_t nPrograms = static_cast<uint32_t>(NeedInt(meta, "aif.programs", first));
    const bool byStage = NeedInt(meta, "aif.by_stage", first) != 0;
    std::vector<GroupInstance> groups;
    {
        const auto names = NeedStrings(meta, "aif.group_names", first);
        for (uint32_t i = 0; i < names.size(); ++i)
        {
            GroupInstance g;
            g.name = names[i];
            const auto members = NeedList(meta, "aif.group." + std::to_string(i), first);
            g.workers.assign(members.begin(), members.end());
            groups.push_back(g);
        }
    }
    std::vector<std::shared_ptr<const RankProgram>> programs(nPrograms);
    std::vector<uint32_t> programOf(workers);
    for (uint32_t w = 0; w < workers; ++w)
    {
        const TraceFile& f = files[w];
        const Where where{f.path, ""};
        const AttrMap m = MapAttrs(f.metadata.attr());
        if (NeedInt(m, "aif.format", where) != kAifFormat || NeedInt(m, "aif.rank", where) != w)
        {
            where.Fail("not worker " + std::to_string(w) + "'s file of this trace");
        }
        const uint32_t index = static_cast<uint32_t>(NeedInt(m, "aif.program", where));
        if (index >= nPrograms)
        {
            where.Fail("program index " + std::to_string(index) + " out of range");
        }
        programOf[w] = index;
        auto program = std::make_shared<RankProgram>();
        program->stage = static_cast<uint32_t>(NeedInt(m, "aif.stage", where));
        const auto ops = NeedList(m, "aif.ops_per_group", where);
        program->opsPerGroup.assign(ops.begin(), ops.end());
        const auto inFlight = NeedList(m, "aif.in_flight", where);
        program->inFlight.assign(inFlight.begin(), inFlight.end());
        program->schedule = NeedStrings(m, "aif.schedule", where);
        for (const pb::Node& n : f.nodes)
        {
            const Where at{f.path, "node " + std::to_string(n.id())};
            if (n.id() != program->nodes.size())
            {
                at.Fail("out of order: expected node " + std::to_string(program->nodes.size()));
            }
            program->nodes.push_back(ReadOwnNode(n, at));
            for (uint32_t d : program->nodes.back().deps)
            {
                if (d >= n.id())
                {
                    at.Fail("depends on node " + std::to_string(d) + ", not an earlier one");
                }
            }
        }
        if (!programs[index])
        {
            programs[index] = std::move(program);
        }
        else if (programs[index]->nodes != program->nodes)
        {
            where.Fail("its program differs from the other workers' of program " +
                       std::to_string(index));
        }
    }
    for (uint32_t p = 0; p < nPrograms; ++p)
    {
        if (!programs[p])
        {
            first.Fail("no worker runs program " + std::to_string(p));
        }
    }
    if (byStage && groups.empty())
    {
        return ExecutionGraph(wl, placement, std::move(programs));
    }
    return ExecutionGraph(wl,
                          placement,
                          std::move(programs),
                          byStage ? std::vector<uint32_t>() : std::move(programOf),
                          std::move(groups));
}

} // namespace

std::string
ChakraTrace::GetFileName(const std::string& prefix, uint32_t worker)
{
    return prefix + "." + std::to_string(worker) + ".et";
}

std::vector<std::string>
ChakraTrace::Write(const ExecutionGraph& graph, const std::string& prefix)
{
    NS_LOG_FUNCTION(prefix);
    const WorkloadPlacement& placement = graph.GetPlacement();
    const uint32_t workers = graph.GetNWorkers();
    // The placement's input: the server of each rank the workers run on.
    std::vector<uint32_t> serverOfRank;
    for (uint32_t w = 0; w < workers; ++w)
    {
        const uint32_t rank = placement.GetTopologyRank(w);
        if (rank >= serverOfRank.size())
        {
            serverOfRank.resize(rank + 1, 0);
        }
        serverOfRank[rank] = placement.GetServerOf(w);
    }
    for (uint32_t s = 0; s < placement.GetNServers(); ++s)
    {
        serverOfRank.resize(std::max<size_t>(serverOfRank.size(), placement.GetServerRank(s) + 1),
                            0);
    }
    bool byStage = true;
    for (uint32_t w = 0; w < workers; ++w)
    {
        byStage = byStage && graph.GetProgramIndex(w) == placement.GetCoord(w).pp;
    }
    WorkloadDescription wl = graph.GetWorkload();
    std::vector<std::string> paths;
    for (uint32_t w = 0; w < workers; ++w)
    {
        const RankProgram& program = graph.GetProgram(w);
        pb::GlobalMetadata meta;
        meta.set_version("0.0.4");
        auto* attrs = meta.mutable_attr();
        PutString(attrs, "schema", "1.0.2-chakra.0.0.4");
        Put(attrs, "aif.format", kAifFormat);
        Put(attrs, "aif.rank", w);
        Put(attrs, "aif.workers", workers);
        Put(attrs, "aif.programs", graph.GetPrograms().size());
        Put(attrs, "aif.by_stage", byStage ? 1 : 0);
        Put(attrs, "aif.program", graph.GetProgramIndex(w));
        Put(attrs, "aif.stage", program.stage);
        PutList(attrs, "aif.ops_per_group", program.opsPerGroup);
        PutList(attrs, "aif.in_flight", program.inFlight);
        PutStrings(attrs, "aif.schedule", program.schedule);
        PutList(attrs, "aif.server_of_rank", serverOfRank);
        std::vector<std::string> names;
        for (const GroupInstance& g : graph.GetGroups())
        {
            names.push_back(g.name);
        }
        PutStrings(attrs, "aif.group_names", names);
        for (uint32_t i = 0; i < graph.GetGroups().size(); ++i)
        {
            PutList(attrs, "aif.group." + std::to_string(i), graph.GetGroups()[i].workers);
        }
        VisitWorkload(wl, WorkloadWriter{attrs});
        // The members of this worker's groups, as PyTorch's traces declare process groups: what
        // a reader without our aif.* attributes needs to know who takes part in each pg_name.
        {
            nlohmann::json pgs = nlohmann::json::array();
            std::set<std::string> named;
            for (const GraphNode& g : program.nodes)
            {
                if (g.compute)
                {
                    continue;
                }
                const GroupInstance gi = graph.GetGroup(w, g);
                if (named.insert(GroupName(gi, g)).second)
                {
                    pgs.push_back({{"pg_name", GroupName(gi, g)}, {"ranks", gi.workers}});
                }
            }
            PutString(attrs, "pg_config", pgs.dump());
        }

        const std::string path = GetFileName(prefix, w);
        // The prefix may name a directory that does not exist yet (--chakra-out=traces/job).
        const std::filesystem::path parent = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty())
        {
            std::filesystem::create_directories(parent, ec);
        }
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        if (!file)
        {
            throw FabricConfigError(path, "cannot write the trace file");
        }
        {
            google::protobuf::io::OstreamOutputStream raw(&file);
            google::protobuf::io::CodedOutputStream out(&raw);
            WriteMessage(out, meta);
            pb::Node node;
            for (uint32_t i = 0; i < program.nodes.size(); ++i)
            {
                const GraphNode& g = program.nodes[i];
                node.Clear();
                node.set_id(i);
                node.set_name(g.label);
                for (uint32_t d : g.deps)
                {
                    node.add_data_deps(d);
                }
                auto* na = node.mutable_attr();
                Put(na, "aif.micro_batch", g.microBatch);
                Put(na, "aif.chunk", g.chunk);
                Put(na, "aif.layer", g.layer);
                if (g.compute)
                {
                    node.set_type(pb::COMP_NODE);
                    if (g.task.measured.IsStrictlyPositive())
                    {
                        node.set_duration_micros(
                            static_cast<uint64_t>(std::llround(g.task.measured.GetMicroSeconds())));
                    }
                    Put(na, "num_ops", std::llround(g.task.flops));
                    PutBool(na, "is_cpu_op", false);
                    PutString(na, "aif.kind", g.task.kind);
                    PutDouble(na, "aif.flops", g.task.flops);
                    PutDouble(na, "aif.hbm_bytes", g.task.hbmBytes);
                    Put(na, "aif.dtype", static_cast<int64_t>(g.task.dtype));
                    Put(na, "aif.measured_ps", g.task.measured.GetPicoSeconds());
                    Put(na, "aif.phase", static_cast<int64_t>(g.phase));
                }
                else
                {
                    const GroupInstance gi = graph.GetGroup(w, g);
                    Put(na, "comm_size", static_cast<int64_t>(g.bytes));
                    PutString(na, "pg_name", GroupName(gi, g));
                    if (g.op == CollectiveOp::SEND_RECV && gi.workers.size() == 2 &&
                        (IsSendGroup(g.group) || IsRecvGroup(g.group)))
                    {
                        const bool send = gi.self == 0;
                        node.set_type(send ? pb::COMM_SEND_NODE : pb::COMM_RECV_NODE);
                        auto* peer = na->Add();
                        peer->set_name(send ? "comm_dst" : "comm_src");
                        peer->set_int32_val(static_cast<int32_t>(gi.workers[send ? 1 : 0]));
                        auto* tag = na->Add();
                        tag->set_name("comm_tag");
                        tag->set_int32_val(static_cast<int32_t>(g.seq));
                    }
                    else
                    {
                        node.set_type(pb::COMM_COLL_NODE);
                        Put(na, "comm_type", CommType(g.op));
                    }
                    Put(na, "aif.group", static_cast<int64_t>(g.group));
                    Put(na, "aif.op", static_cast<int64_t>(g.op));
                    Put(na, "aif.seq", g.seq);
                    Put(na, "aif.instance", g.instance);
                }
                WriteMessage(out, node);
            }
        }
        if (!file)
        {
            throw FabricConfigError(path, "write error");
        }
        paths.push_back(path);
    }
    return paths;
}

ExecutionGraph
ChakraTrace::Read(const std::string& prefix, const std::vector<uint32_t>& serverOfRank)
{
    NS_LOG_FUNCTION(prefix);
    std::vector<TraceFile> files;
    for (uint32_t w = 0;; ++w)
    {
        const std::string path = GetFileName(prefix, w);
        if (access(path.c_str(), F_OK) != 0)
        {
            break;
        }
        files.push_back(ReadFile(path));
    }
    if (files.empty())
    {
        throw FabricConfigError(GetFileName(prefix, 0), "no such trace file");
    }
    const AttrMap meta = MapAttrs(files[0].metadata.attr());
    if (meta.count("aif.format"))
    {
        NS_LOG_LOGIC("ai-fabric trace, " << files.size() << " files");
        return ReadOwn(files);
    }
    NS_LOG_LOGIC("foreign trace, " << files.size() << " files");
    return ReadForeign(files, serverOfRank);
}

} // namespace ns3
