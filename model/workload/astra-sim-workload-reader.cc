/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "astra-sim-workload-reader.h"

#include "ns3/log.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AstraSimWorkloadReader");

namespace
{

/// The twelve fields of a layer line, as error messages name them.
const std::vector<std::string> kLayerFields{"name",
                                            "reserved",
                                            "fwd-compute",
                                            "fwd-comm-type",
                                            "fwd-comm-size",
                                            "ig-compute",
                                            "ig-comm-type",
                                            "ig-comm-size",
                                            "wg-compute",
                                            "wg-comm-type",
                                            "wg-comm-size",
                                            "wg-update"};

/// One whitespace-separated word and its column.
struct Token
{
    std::string text; //!< the word
    int column{1};    //!< its first column, 1-based
};

/// \return the words of a line
std::vector<Token>
Split(const std::string& line)
{
    std::vector<Token> tokens;
    size_t i = 0;
    while (i < line.size())
    {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
        {
            ++i;
        }
        if (i == line.size())
        {
            break;
        }
        const size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
        {
            ++i;
        }
        tokens.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
    }
    return tokens;
}

/// Reads one document line by line.
class Parser
{
  public:
    /// \param file the name errors give the document
    explicit Parser(const std::string& file)
        : m_file(file)
    {
    }

    /// \param text the document \return the workload
    AstraSimWorkload Read(const std::string& text);

  private:
    /// Throw the WorkloadError of a field at a line and column.
    [[noreturn]] void Fail(int line,
                           int column,
                           const std::string& field,
                           const std::string& what) const
    {
        throw WorkloadError(SourceLocation{m_file, line, column}, field, what);
    }

    /// \return a non-negative integer field
    uint64_t Unsigned(int line, const Token& t, const std::string& field) const;
    /// \return a communication from its type and size fields
    AstraSimComm Comm(int line,
                      const Token& type,
                      const Token& size,
                      const std::string& field) const;
    /// Read line 1 into the workload.
    void ReadParallelism(int line, const std::vector<Token>& tokens, AstraSimWorkload& w) const;
    /// \return the layer of one line
    AstraSimLayer ReadLayer(int line, const std::vector<Token>& tokens, size_t lineLength) const;

    std::string m_file; //!< the document's name
};

uint64_t
Parser::Unsigned(int line, const Token& t, const std::string& field) const
{
    const bool digits = !t.text.empty() && std::all_of(t.text.begin(), t.text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!digits)
    {
        Fail(line, t.column, field, "\"" + t.text + "\" is not a non-negative integer");
    }
    try
    {
        return std::stoull(t.text);
    }
    catch (const std::out_of_range&)
    {
        Fail(line, t.column, field, "\"" + t.text + "\" is too large");
    }
}

AstraSimComm
Parser::Comm(int line, const Token& type, const Token& size, const std::string& field) const
{
    AstraSimComm c;
    const std::string& s = type.text;
    if (s == "ALLREDUCE")
    {
        c.op = CollectiveOp::ALL_REDUCE;
    }
    else if (s == "ALLGATHER")
    {
        c.op = CollectiveOp::ALL_GATHER;
    }
    else if (s == "REDUCESCATTER")
    {
        c.op = CollectiveOp::REDUCE_SCATTER;
    }
    else if (s == "ALLTOALL")
    {
        c.op = CollectiveOp::ALL_TO_ALL;
    }
    else if (s != "NONE")
    {
        Fail(line,
             type.column,
             field + "-type",
             "unknown communication type \"" + s +
                 "\" (ALLREDUCE, ALLGATHER, REDUCESCATTER, ALLTOALL or NONE"
                 "; ALLREDUCEALLTOALL is not supported)");
    }
    c.bytes = Unsigned(line, size, field + "-size");
    c.none = s == "NONE" || c.bytes == 0;
    return c;
}

void
Parser::ReadParallelism(int line, const std::vector<Token>& tokens, AstraSimWorkload& w) const
{
    const std::string& k = tokens[0].text;
    w.where = SourceLocation{m_file, line, tokens[0].column};
    static const std::vector<std::pair<std::string, AstraSimParallelism>> kKinds{
        {"DATA", AstraSimParallelism::DATA},
        {"MODEL", AstraSimParallelism::MODEL},
        {"HYBRID_DATA_MODEL", AstraSimParallelism::HYBRID_DATA_MODEL},
        {"HYBRID_MODEL_DATA", AstraSimParallelism::HYBRID_MODEL_DATA},
        {"HYBRID_TRANSFORMER", AstraSimParallelism::TRANSFORMER},
        {"HYBRID_TRANSFORMER_FWD_IN_BCKWD", AstraSimParallelism::TRANSFORMER_FWD_IN_BCKWD},
        {"MICRO", AstraSimParallelism::MICRO},
    };
    auto it =
        std::find_if(kKinds.begin(), kKinds.end(), [&k](const auto& p) { return p.first == k; });
    if (it == kKinds.end())
    {
        if (k == "HYBRID_DLRM" || k == "HYBRID_DLRM_ENHANCED" || k == "HYBRID_CUSTOMIZED" ||
            k == "DISTRIBUTED_INFERENCE")
        {
            Fail(line, tokens[0].column, "parallelism", k + " is not supported by this importer");
        }
        Fail(line,
             tokens[0].column,
             "parallelism",
             "unknown parallelism \"" + k +
                 "\" (DATA, MODEL, HYBRID_DATA_MODEL, HYBRID_MODEL_DATA, HYBRID_TRANSFORMER, "
                 "HYBRID_TRANSFORMER_FWD_IN_BCKWD or MICRO)");
    }
    w.parallelism = it->second;
    const bool transformer = w.parallelism == AstraSimParallelism::TRANSFORMER ||
                             w.parallelism == AstraSimParallelism::TRANSFORMER_FWD_IN_BCKWD;
    if (!transformer)
    {
        if (tokens.size() > 1)
        {
            Fail(line,
                 tokens[1].column,
                 "parallelism",
                 "unexpected \"" + tokens[1].text + "\" after " + k);
        }
        return;
    }
    if (tokens.size() < 3 || tokens[1].text != "model_parallel_NPU_group:")
    {
        const int col = tokens.size() > 1 ? tokens[1].column : tokens[0].column;
        Fail(line, col, "model_parallel_NPU_group", k + " needs \"model_parallel_NPU_group: N\"");
    }
    const uint64_t mp = Unsigned(line, tokens[2], "model_parallel_NPU_group");
    if (mp == 0 || mp > UINT32_MAX)
    {
        Fail(line, tokens[2].column, "model_parallel_NPU_group", "must be at least 1");
    }
    w.modelParallelGroup = static_cast<uint32_t>(mp);
    if (w.parallelism == AstraSimParallelism::TRANSFORMER && tokens.size() > 3)
    {
        Fail(line, tokens[3].column, "parallelism", "unexpected \"" + tokens[3].text + "\"");
    }
    // HYBRID_TRANSFORMER_FWD_IN_BCKWD: "checkpoints: n l..." and "checkpoint_initiates: n l...",
    // recomputation that this importer does not model; check that they are counts of layers.
    size_t i = 3;
    for (const std::string key : {"checkpoints:", "checkpoint_initiates:"})
    {
        if (i >= tokens.size())
        {
            break;
        }
        const std::string field = key.substr(0, key.size() - 1);
        if (tokens[i].text != key)
        {
            Fail(line, tokens[i].column, field, "expected \"" + key + "\"");
        }
        if (i + 1 >= tokens.size())
        {
            Fail(line, tokens[i].column, field, "needs a count");
        }
        const uint64_t n = Unsigned(line, tokens[i + 1], field);
        if (i + 2 + n > tokens.size())
        {
            Fail(line,
                 tokens[i + 1].column,
                 field,
                 "lists fewer than " + std::to_string(n) + " layers");
        }
        for (size_t j = 0; j < n; ++j)
        {
            Unsigned(line, tokens[i + 2 + j], field);
        }
        i += 2 + n;
    }
    if (i < tokens.size())
    {
        Fail(line, tokens[i].column, "parallelism", "unexpected \"" + tokens[i].text + "\"");
    }
}

AstraSimLayer
Parser::ReadLayer(int line, const std::vector<Token>& t, size_t lineLength) const
{
    if (t.size() < kLayerFields.size())
    {
        Fail(line,
             static_cast<int>(lineLength) + 1,
             kLayerFields[t.size()],
             "missing: a layer line has " + std::to_string(kLayerFields.size()) +
                 " fields, this one " + std::to_string(t.size()));
    }
    if (t.size() > kLayerFields.size())
    {
        Fail(line,
             t[kLayerFields.size()].column,
             "layer",
             "unexpected field \"" + t[kLayerFields.size()].text + "\" after the " +
                 std::to_string(kLayerFields.size()) + " of a layer");
    }
    AstraSimLayer l;
    l.where = SourceLocation{m_file, line, 1};
    l.name = t[0].text;
    try
    {
        size_t used = 0;
        l.reserved = std::stoll(t[1].text, &used);
        if (used != t[1].text.size())
        {
            throw std::invalid_argument("trailing");
        }
    }
    catch (const std::logic_error&)
    {
        Fail(line, t[1].column, "reserved", "\"" + t[1].text + "\" is not an integer");
    }
    l.fwdCompute = Unsigned(line, t[2], kLayerFields[2]);
    l.fwdComm = Comm(line, t[3], t[4], "fwd-comm");
    l.igCompute = Unsigned(line, t[5], kLayerFields[5]);
    l.igComm = Comm(line, t[6], t[7], "ig-comm");
    l.wgCompute = Unsigned(line, t[8], kLayerFields[8]);
    l.wgComm = Comm(line, t[9], t[10], "wg-comm");
    l.updateDelay = Unsigned(line, t[11], kLayerFields[11]);
    return l;
}

AstraSimWorkload
Parser::Read(const std::string& text)
{
    AstraSimWorkload w;
    w.file = m_file;
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    int countLine = 0;
    int countColumn = 1;
    uint64_t count = 0;
    int lastLine = 0;
    while (std::getline(in, raw))
    {
        ++line;
        lastLine = line;
        if (!raw.empty() && raw.back() == '\r')
        {
            raw.pop_back();
        }
        const std::vector<Token> tokens = Split(raw);
        if (tokens.empty())
        {
            continue; // blank lines (the samples end with some) say nothing
        }
        if (w.where.line == 0)
        {
            ReadParallelism(line, tokens, w);
        }
        else if (countLine == 0)
        {
            count = Unsigned(line, tokens[0], "layers");
            countLine = line;
            countColumn = tokens[0].column;
            if (tokens.size() > 1)
            {
                Fail(line, tokens[1].column, "layers", "unexpected \"" + tokens[1].text + "\"");
            }
        }
        else
        {
            if (w.layers.size() == count)
            {
                Fail(line,
                     tokens[0].column,
                     "layers",
                     "more layer lines than the " + std::to_string(count) + " that line " +
                         std::to_string(countLine) + " announces");
            }
            w.layers.push_back(ReadLayer(line, tokens, raw.size()));
        }
    }
    if (w.where.line == 0)
    {
        Fail(1, 1, "parallelism", "empty file: line 1 must name the parallelism");
    }
    if (countLine == 0)
    {
        Fail(lastLine + 1, 1, "layers", "missing: line 2 must give the number of layers");
    }
    if (w.layers.size() != count)
    {
        Fail(countLine,
             countColumn,
             "layers",
             "announces " + std::to_string(count) + " layers; the file has " +
                 std::to_string(w.layers.size()) + " layer lines");
    }
    NS_LOG_LOGIC(m_file << ": " << AstraSimParallelismName(w.parallelism) << ", " << w.layers.size()
                        << " layers");
    return w;
}

/// Builds the one program every NPU runs.
class Builder
{
  public:
    Builder()
        : m_prog(std::make_shared<RankProgram>())
    {
        m_prog->opsPerGroup.assign(kWorkloadGroups, 0);
        m_lastOfGroup.assign(kWorkloadGroups, UINT32_MAX);
    }

    /// A compute node after everything the NPU waits for (none for 0 cycles).
    void Compute(uint64_t cycles,
                 double clock,
                 ComputePhase phase,
                 uint32_t layer,
                 const std::string& label)
    {
        if (cycles == 0)
        {
            return;
        }
        GraphNode n;
        n.compute = true;
        n.task.kind = "layer";
        n.task.measured = Seconds(static_cast<double>(cycles) / clock);
        n.phase = phase;
        n.layer = layer;
        n.label = label;
        n.deps = m_frontier;
        if (m_lastCompute != UINT32_MAX)
        {
            n.deps.push_back(m_lastCompute);
        }
        m_lastCompute = Add(n);
        m_frontier = {m_lastCompute};
    }

    /// A collective after what the NPU has done; blocking ones hold the next compute.
    void Collective(WorkloadGroup group,
                    const AstraSimComm& comm,
                    bool blocking,
                    uint32_t layer,
                    const std::string& label)
    {
        if (comm.none)
        {
            return;
        }
        GraphNode n;
        n.compute = false;
        n.group = group;
        n.op = comm.op;
        n.bytes = comm.bytes;
        n.layer = layer;
        n.label = WorkloadGroupName(group) + " " + CollectiveOpName(comm.op) + " " + label;
        const auto g = static_cast<uint32_t>(group);
        n.seq = m_prog->opsPerGroup[g]++;
        n.deps = m_frontier;
        if (m_lastOfGroup[g] != UINT32_MAX)
        {
            n.deps.push_back(m_lastOfGroup[g]);
        }
        m_lastOfGroup[g] = Add(n);
        if (blocking)
        {
            m_frontier = {m_lastOfGroup[g]};
        }
    }

    std::shared_ptr<RankProgram> Get()
    {
        m_prog->inFlight = {1};
        m_prog->schedule = {"F0", "B0"};
        return m_prog;
    }

  private:
    uint32_t Add(GraphNode& n)
    {
        std::sort(n.deps.begin(), n.deps.end());
        n.deps.erase(std::unique(n.deps.begin(), n.deps.end()), n.deps.end());
        m_prog->nodes.push_back(n);
        return static_cast<uint32_t>(m_prog->nodes.size() - 1);
    }

    std::shared_ptr<RankProgram> m_prog; //!< the program
    uint32_t m_lastCompute{UINT32_MAX};  //!< the last compute node
    std::vector<uint32_t> m_lastOfGroup; //!< per group, its last collective
    std::vector<uint32_t> m_frontier;    //!< what the next compute waits for
};

} // namespace

std::string
AstraSimParallelismName(AstraSimParallelism p)
{
    switch (p)
    {
    case AstraSimParallelism::DATA:
        return "DATA";
    case AstraSimParallelism::MODEL:
        return "MODEL";
    case AstraSimParallelism::HYBRID_DATA_MODEL:
        return "HYBRID_DATA_MODEL";
    case AstraSimParallelism::HYBRID_MODEL_DATA:
        return "HYBRID_MODEL_DATA";
    case AstraSimParallelism::TRANSFORMER:
        return "HYBRID_TRANSFORMER";
    case AstraSimParallelism::TRANSFORMER_FWD_IN_BCKWD:
        return "HYBRID_TRANSFORMER_FWD_IN_BCKWD";
    case AstraSimParallelism::MICRO:
        return "MICRO";
    }
    return "?";
}

AstraSimWorkload
AstraSimWorkloadReader::ReadFile(const std::string& path)
{
    NS_LOG_FUNCTION(path);
    std::ifstream in(path);
    if (!in)
    {
        throw WorkloadError(SourceLocation{path, 0, 0}, "file", "cannot be opened");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return ReadString(text.str(), path);
}

AstraSimWorkload
AstraSimWorkloadReader::ReadString(const std::string& text, const std::string& name)
{
    NS_LOG_FUNCTION(name);
    return Parser(name).Read(text);
}

WorkloadDescription
AstraSimWorkloadReader::Describe(const AstraSimWorkload& a,
                                 const std::vector<uint32_t>& serverOfRank,
                                 const AstraSimImportOptions& options)
{
    NS_LOG_FUNCTION(serverOfRank.size());
    const auto npus = static_cast<uint32_t>(serverOfRank.size());
    if (npus == 0)
    {
        throw WorkloadError(a.where, "parallelism", "the topology has no NPUs");
    }
    uint32_t mp = 1;
    std::string field = "parallelism";
    std::vector<std::string> order{"tp", "pp", "dp"};
    switch (a.parallelism)
    {
    case AstraSimParallelism::DATA:
    case AstraSimParallelism::MICRO:
        mp = 1;
        break;
    case AstraSimParallelism::MODEL:
        mp = npus;
        break;
    case AstraSimParallelism::TRANSFORMER:
    case AstraSimParallelism::TRANSFORMER_FWD_IN_BCKWD:
        mp = a.modelParallelGroup;
        field = "model_parallel_NPU_group";
        break;
    case AstraSimParallelism::HYBRID_MODEL_DATA:
        order = {"dp", "pp", "tp"};
        [[fallthrough]];
    case AstraSimParallelism::HYBRID_DATA_MODEL: {
        // ASTRA-sim's first dimension: here the GPUs of one server unless told.
        const uint32_t local = static_cast<uint32_t>(
            std::count(serverOfRank.begin(), serverOfRank.end(), serverOfRank[0]));
        const uint32_t first = options.modelParallel > 0 ? options.modelParallel : local;
        mp = a.parallelism == AstraSimParallelism::HYBRID_DATA_MODEL ? first
                                                                     : npus / std::max(first, 1u);
        if (first == 0 || npus % first != 0)
        {
            throw WorkloadError(a.where,
                                "parallelism",
                                "a first dimension of " + std::to_string(first) +
                                    " NPUs does not divide the " + std::to_string(npus) + " NPUs");
        }
        break;
    }
    }
    if (mp == 0 || npus % mp != 0)
    {
        throw WorkloadError(a.where,
                            field,
                            "a model-parallel group of " + std::to_string(mp) +
                                " NPUs does not divide the topology's " + std::to_string(npus) +
                                " NPUs");
    }
    WorkloadDescription w;
    const size_t slash = a.file.find_last_of('/');
    w.name = (slash == std::string::npos ? a.file : a.file.substr(slash + 1)) + " (ASTRA-sim " +
             AstraSimParallelismName(a.parallelism) + ")";
    w.file = a.file;
    w.where = a.where;
    w.model.kind = ModelKind::LAYERS;
    for (const auto& l : a.layers)
    {
        LayerSpec s;
        s.name = l.name;
        s.where = l.where;
        w.model.layers.push_back(s);
    }
    w.plan.tp = mp;
    w.plan.dp = npus / mp;
    w.plan.pp = 1;
    w.plan.order = order;
    w.training.globalBatch = w.plan.dp;
    w.training.microBatch = 1;
    w.training.gradientAccumulation = 1;
    return w;
}

ExecutionGraph
AstraSimWorkloadReader::Build(const AstraSimWorkload& a,
                              const std::vector<uint32_t>& serverOfRank,
                              const AstraSimImportOptions& options)
{
    NS_LOG_FUNCTION(serverOfRank.size());
    const WorkloadDescription w = Describe(a, serverOfRank, options);
    const AstraSimParallelism p = a.parallelism;
    const bool data = p == AstraSimParallelism::DATA;
    const bool model = p == AstraSimParallelism::MODEL;
    // Which group each pass's collectives use (ASTRA-sim's involved dimensions).
    const WorkloadGroup mpGroup = WorkloadGroup::TP;
    const WorkloadGroup dpGroup = WorkloadGroup::DP;
    const double clock = options.clock;
    if (!(clock > 0))
    {
        throw WorkloadError(a.where, "clock", "the compute clock must be positive");
    }
    const auto n = static_cast<uint32_t>(a.layers.size());
    Builder b;
    if (p == AstraSimParallelism::MICRO)
    {
        // The micro-benchmark issues the collectives alone, no compute.
        for (uint32_t L = 0; L < n; ++L)
        {
            b.Collective(dpGroup, a.layers[L].wgComm, false, L, "L" + std::to_string(L));
        }
    }
    else
    {
        for (uint32_t L = 0; L < n; ++L)
        {
            const AstraSimLayer& l = a.layers[L];
            const std::string tag = "L" + std::to_string(L) + " " + l.name;
            b.Compute(l.fwdCompute, clock, ComputePhase::FORWARD, L, "F " + tag);
            if (!data && !l.fwdComm.none)
            {
                b.Collective(mpGroup, l.fwdComm, true, L, "fwd " + tag);
                b.Compute(l.updateDelay, clock, ComputePhase::FORWARD, L, "update " + tag);
            }
        }
        for (uint32_t i = n; i-- > 0;)
        {
            const AstraSimLayer& l = a.layers[i];
            const std::string tag = "L" + std::to_string(i) + " " + l.name;
            if (data)
            {
                // ASTRA-sim's data-parallel loop: weight gradient first, its all-reduce in
                // the background, then the input gradient (none for the first layer).
                b.Compute(l.wgCompute, clock, ComputePhase::BACKWARD, i, "WG " + tag);
                b.Collective(dpGroup, l.wgComm, false, i, "wg " + tag);
                if (i > 0)
                {
                    b.Compute(l.igCompute, clock, ComputePhase::BACKWARD, i, "IG " + tag);
                }
                continue;
            }
            // The model-parallel and hybrid loops: input gradient and its blocking
            // collective, then the weight gradient and its collective in the background.
            b.Compute(l.igCompute, clock, ComputePhase::BACKWARD, i, "IG " + tag);
            if (!l.igComm.none)
            {
                b.Collective(mpGroup, l.igComm, true, i, "ig " + tag);
                b.Compute(l.updateDelay, clock, ComputePhase::BACKWARD, i, "update " + tag);
            }
            b.Compute(l.wgCompute, clock, ComputePhase::BACKWARD, i, "WG " + tag);
            if (!model)
            {
                b.Collective(dpGroup, l.wgComm, false, i, "wg " + tag);
            }
        }
    }
    WorkloadPlacement placement(w, serverOfRank);
    std::vector<std::shared_ptr<const RankProgram>> programs{b.Get()};
    return ExecutionGraph(w, placement, std::move(programs));
}

} // namespace ns3
