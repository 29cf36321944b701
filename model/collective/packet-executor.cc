/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "packet-executor.h"

#include "ns3/fabric-config-error.h"
#include "ns3/fabric-port-group.h"
#include "ns3/fabric-simulator-cache.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/rdma-engine.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PacketExecutor");

NS_OBJECT_ENSURE_REGISTERED(PacketExecutor);

TypeId
PacketExecutor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PacketExecutor")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<PacketExecutor>()
            .AddAttribute("ReductionRate",
                          "GPU throughput of reductions (bytes reduced per second, as a data "
                          "rate of 8x that); 0 makes reductions free.",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&PacketExecutor::m_reductionRate),
                          MakeDataRateChecker())
            .AddAttribute("SlotsPerConnection",
                          "Receive buffers per connection (NCCL_STEPS), one pipelined piece "
                          "each: a rank's own data waits while they hold pieces its receiver "
                          "has not consumed (see ConnectionSlots). 0: unlimited.",
                          UintegerValue(8),
                          MakeUintegerAccessor(&PacketExecutor::m_slotsPerConnection),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RelayChunkSize",
                          "Bytes a PXN relay receives before it sends them on over the network "
                          "(NCCL's proxy forwards chunk by chunk; default 128 KiB, "
                          "NCCL_P2P_NET_CHUNKSIZE). 0: the whole transfer first.",
                          UintegerValue(128 * 1024),
                          MakeUintegerAccessor(&PacketExecutor::m_relayChunkSize),
                          MakeUintegerChecker<uint64_t>())
            .AddTraceSource("TransferComplete",
                            "A transfer of the schedule completed: index, posted, completed.",
                            MakeTraceSourceAccessor(&PacketExecutor::m_transferTrace),
                            "ns3::PacketExecutor::TransferTracedCallback");
    return tid;
}

PacketExecutor::PacketExecutor()
    : m_slotsPerConnection(8),
      m_relayChunkSize(128 * 1024)
{
}

PacketExecutor::~PacketExecutor() = default;

void
PacketExecutor::DoDispose()
{
    m_topology = nullptr;
    m_relay = nullptr;
    m_qps.clear();
    m_receivers.clear();
    m_done.Nullify();
    Object::DoDispose();
}

void
PacketExecutor::Setup(Ptr<FabricTopology> topology, const std::vector<uint32_t>& ranks)
{
    m_topology = topology;
    m_ranks = ranks;
    for (uint32_t r : ranks)
    {
        topology->GetGpuNode(r); // throws for a rank that does not exist
    }
}

bool
PacketExecutor::IsRunning() const
{
    return m_running;
}

void
PacketExecutor::SetDistributedRelay(Ptr<DistributedRelay> relay)
{
    if (m_running)
    {
        throw FabricConfigError("PacketExecutor", "cannot go distributed while a schedule runs");
    }
    m_relay = relay;
}

uint64_t
PacketExecutor::GetLateCompletions() const
{
    return m_late;
}

void
PacketExecutor::FinishDistributed()
{
    if (!m_relay)
    {
        throw FabricConfigError("PacketExecutor", "FinishDistributed needs a distributed run");
    }
    const std::string where = "PacketExecutor (distributed " + m_schedule.algorithm + " " +
                              CollectiveOpName(m_schedule.op) + ")";
    if (!m_running)
    {
        throw FabricConfigError(where, "no schedule is running");
    }
    // One exchange: the end, then every transfer's start and end (each known to one process,
    // zero elsewhere), and the counts.
    const size_t n = m_schedule.transfers.size();
    std::vector<int64_t> maxima(1 + 2 * n);
    maxima[0] = m_result.end.GetTimeStep();
    for (size_t i = 0; i < n; ++i)
    {
        maxima[1 + i] = m_result.transferStart[i].GetTimeStep();
        maxima[1 + n + i] = m_result.transferEnd[i].GetTimeStep();
    }
    std::vector<uint64_t> sums{m_completed, m_late};
    m_relay->AllReduce(maxima, sums);
    m_result.end = TimeStep(maxima[0]);
    for (size_t i = 0; i < n; ++i)
    {
        m_result.transferStart[i] = TimeStep(maxima[1 + i]);
        m_result.transferEnd[i] = TimeStep(maxima[1 + n + i]);
    }
    m_late = sums[1];
    m_running = false;
    if (sums[0] != n)
    {
        throw FabricConfigError(where,
                                std::to_string(n - sums[0]) + " of " + std::to_string(n) +
                                    " transfers did not complete on any process");
    }
    DoneCallback done = m_done;
    done(m_result);
}

std::string
PacketExecutor::DescribeUnfinished() const
{
    if (!m_running)
    {
        return "";
    }
    // Per sending rank: transfers posted but not arrived (to whom), and transfers waiting
    // for others (on which).
    std::map<uint32_t, std::pair<std::vector<uint32_t>, std::vector<uint32_t>>> byRank;
    for (uint32_t i = 0; i < m_schedule.transfers.size(); ++i)
    {
        if (m_result.transferEnd[i].IsStrictlyPositive())
        {
            continue;
        }
        auto& entry = byRank[m_schedule.transfers[i].src];
        (m_waiting[i] > 0 ? entry.second : entry.first).push_back(i);
    }
    std::ostringstream os;
    os << m_schedule.algorithm << " " << CollectiveOpName(m_schedule.op) << ": "
       << (m_schedule.transfers.size() - m_completed) << " of " << m_schedule.transfers.size()
       << " transfers unfinished";
    uint32_t shown = 0;
    for (const auto& [rank, entry] : byRank)
    {
        if (shown++ == 16)
        {
            os << "\n  ... and " << (byRank.size() - 16) << " more ranks";
            break;
        }
        os << "\n  rank " << rank << ":";
        if (!entry.first.empty())
        {
            const CollectiveTransfer& t = m_schedule.transfers[entry.first.front()];
            os << " " << entry.first.size() << " ready or posted, not arrived (first: transfer "
               << entry.first.front() << " to rank " << t.dst << ", chunk " << t.chunk << ")";
        }
        if (!entry.second.empty())
        {
            const CollectiveTransfer& t = m_schedule.transfers[entry.second.front()];
            os << (entry.first.empty() ? "" : ";") << " " << entry.second.size()
               << " waiting for others (first: transfer " << entry.second.front()
               << " waits on transfer";
            for (uint32_t d : t.deps)
            {
                if (!m_result.transferEnd[d].IsStrictlyPositive())
                {
                    os << " " << d << " from rank " << m_schedule.transfers[d].src;
                    break;
                }
            }
            os << ")";
        }
    }
    return os.str();
}

namespace
{

/// Immediate-data flag of a relayed transfer's first leg (sender to relay).
constexpr uint32_t RELAY_LEG = 1U << 31;

/// A distributed run's notice that a transfer's receive slot freed (else: it completed).
constexpr uint32_t SLOT_FREED = 1U << 31;

/// The index of the engine's port that stands for a topology port (itself or its group).
uint32_t
EnginePortFor(Ptr<RdmaEngine> engine, Ptr<FabricNetDevice> port)
{
    for (uint32_t i = 0; i < engine->GetNPorts(); ++i)
    {
        Ptr<FabricNetDevice> p = engine->GetPort(i);
        if (p == port || (p->GetGroup() && p->GetGroup() == port->GetGroup()))
        {
            return i;
        }
    }
    throw FabricConfigError(engine->Describe(), "has no port for " + port->Describe());
}

} // namespace

Ptr<RdmaQueuePair>
PacketExecutor::GetQueuePair(uint32_t src, uint32_t dst, uint32_t channel, uint32_t lane)
{
    const uint64_t key =
        ((static_cast<uint64_t>(src) * m_ranks.size() + dst) * 1024 + channel) * 16 + lane;
    auto it = m_qps.find(key);
    if (it != m_qps.end())
    {
        return it->second;
    }
    const uint32_t a = m_ranks[src];
    const uint32_t b = m_ranks[dst];
    Ptr<RdmaEngine> engineA = RdmaEngine::Install(m_topology->GetGpuNode(a));
    Ptr<RdmaEngine> engineB = RdmaEngine::Install(m_topology->GetGpuNode(b));
    Ptr<RdmaQueuePair> qpA =
        engineA->CreateQueuePair(EnginePortFor(engineA, m_topology->GetSourcePort(a, b)));
    Ptr<RdmaQueuePair> qpB =
        engineB->CreateQueuePair(EnginePortFor(engineB, m_topology->GetSourcePort(b, a)));
    qpB->SetSprayedPath(m_topology->IsPathSprayed(a, b));
    qpA->SetSprayedPath(m_topology->IsPathSprayed(b, a));
    qpA->Connect(m_topology->GetDestinationAddress(a, b), qpB->GetQpn(), qpB->GetInitialPsn());
    qpB->Connect(m_topology->GetDestinationAddress(b, a), qpA->GetQpn(), qpA->GetInitialPsn());
    qpB->SetReceiveCompletionCallback(MakeCallback(&PacketExecutor::OnReceived, this));
    m_qps[key] = qpA;
    m_receivers.push_back(qpB);
    return qpA;
}

void
PacketExecutor::Run(const CollectiveSchedule& schedule,
                    double efficiency,
                    Time baseLatency,
                    Time intraStepLatency,
                    Time interStepLatency,
                    DoneCallback done,
                    const std::vector<InNetworkBinding>& bindings)
{
    Run(CollectiveSchedule(schedule),
        efficiency,
        baseLatency,
        intraStepLatency,
        interStepLatency,
        done,
        bindings);
}

void
PacketExecutor::Run(CollectiveSchedule&& schedule,
                    double efficiency,
                    Time baseLatency,
                    Time intraStepLatency,
                    Time interStepLatency,
                    DoneCallback done,
                    const std::vector<InNetworkBinding>& bindings)
{
    if (m_running)
    {
        throw FabricConfigError("PacketExecutor", "a schedule is already running");
    }
    if (schedule.nranks != m_ranks.size())
    {
        throw FabricConfigError("PacketExecutor",
                                "schedule for " + std::to_string(schedule.nranks) +
                                    " ranks on a communicator of " +
                                    std::to_string(m_ranks.size()));
    }
    if (!(efficiency > 0.0 && efficiency <= 1.0))
    {
        throw FabricConfigError("PacketExecutor", "protocol efficiency must be in (0, 1]");
    }
    schedule.CheckStructure();
    if (schedule.transfers.size() >= RELAY_LEG)
    {
        throw FabricConfigError("PacketExecutor",
                                std::to_string(schedule.transfers.size()) +
                                    " transfers: more than the immediate data can number");
    }
    for (size_t g = 0; g < schedule.groups.size(); ++g)
    {
        if (g >= bindings.size() || bindings[g].kind == InNetworkBinding::NONE ||
            bindings[g].members.size() != schedule.groups[g].size())
        {
            throw FabricConfigError("PacketExecutor",
                                    "in-network group " + std::to_string(g) + " of the " +
                                        schedule.algorithm +
                                        " schedule has no NVLS multicast object or SHARP group");
        }
    }
    m_bindings = bindings;
    m_inNetworkOps.clear();
    m_schedule = std::move(schedule);
    m_efficiency = efficiency;
    m_intraLatency = intraStepLatency;
    m_interLatency = interStepLatency;
    m_done = done;
    const auto n = static_cast<uint32_t>(m_schedule.transfers.size());
    m_waiting.assign(n, 0);
    m_partsLeft.assign(n, 1);
    m_relayed.assign(n, 0);
    m_storeBytesLeft.assign(n, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        const CollectiveTransfer& t = m_schedule.transfers[i];
        if (t.via != CollectiveTransfer::NO_RELAY)
        {
            m_partsLeft[i] = GetRelayParts(t);
        }
    }
    // Dependents in one array (those of i from m_firstDependent[i] to [i + 1]), schedule order.
    m_firstDependent.assign(n + 1, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        m_waiting[i] = static_cast<uint32_t>(m_schedule.transfers[i].deps.size());
        for (uint32_t d : m_schedule.transfers[i].deps)
        {
            ++m_firstDependent[d + 1];
        }
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        m_firstDependent[i + 1] += m_firstDependent[i];
    }
    m_dependents.assign(m_firstDependent[n], 0);
    {
        std::vector<uint32_t> fill(m_firstDependent.begin(), m_firstDependent.end() - 1);
        for (uint32_t i = 0; i < n; ++i)
        {
            for (uint32_t d : m_schedule.transfers[i].deps)
            {
                m_dependents[fill[d]++] = i;
            }
        }
    }
    m_slots = std::make_unique<ConnectionSlots>(m_schedule, m_slotsPerConnection);
    if (m_relay)
    {
        m_system = m_relay->GetSystemId();
        m_rankSystem.resize(m_ranks.size());
        for (uint32_t r = 0; r < m_ranks.size(); ++r)
        {
            m_rankSystem[r] = m_topology->GetGpuNode(m_ranks[r])->GetSystemId();
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            const CollectiveTransfer& t = m_schedule.transfers[i];
            if (t.kind != TransferKind::SEND)
            {
                throw FabricConfigError("PacketExecutor (distributed)",
                                        "the " + m_schedule.algorithm +
                                            " schedule uses in-network groups, which do not "
                                            "run distributed");
            }
            if (t.via != CollectiveTransfer::NO_RELAY && m_rankSystem[t.via] != m_rankSystem[t.src])
            {
                throw FabricConfigError("PacketExecutor (distributed)",
                                        "transfer " + std::to_string(i) +
                                            "'s PXN relay is on another process than its sender");
            }
        }
        std::vector<bool> local(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            local[i] = IsOwned(i);
        }
        m_slots->SetLocal(std::move(local));
        m_relay->SetCompletionCallback(MakeCallback(&PacketExecutor::OnRemoteCompletion, this));
    }
    m_late = 0;
    m_completed = 0;
    m_inFlight = 0;
    m_pendingPosts = 0;
    m_running = true;
    m_result = CollectiveRunResult{};
    m_result.start = FabricSimulatorCache::Now();
    m_result.end = m_result.start;
    m_result.transferStart.assign(n, Time());
    m_result.transferEnd.assign(n, Time());
    if (n == 0)
    {
        m_running = false;
        Simulator::ScheduleNow(&PacketExecutor::Complete, this, UINT32_MAX);
        return;
    }
    // Connections first, so that setting them up does not count inside the collective; once
    // per connection and relay (in the same order: first use).
    std::vector<uint32_t> relayOf(m_slots->GetNConnections(), CollectiveTransfer::NO_RELAY - 1);
    for (uint32_t i = 0; i < n; ++i)
    {
        const CollectiveTransfer& t = m_schedule.transfers[i];
        uint32_t& seen = relayOf[m_slots->GetConnection(i)];
        if (t.kind != TransferKind::SEND || seen == t.via)
        {
            continue;
        }
        seen = t.via;
        if (t.via == CollectiveTransfer::NO_RELAY)
        {
            GetQueuePair(t.src, t.dst, t.channel, t.lane);
        }
        else
        {
            GetQueuePair(t.src, t.via, t.channel, t.lane);
            GetQueuePair(t.via, t.dst, t.channel, t.lane);
        }
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        if (m_waiting[i] == 0 && IsOwned(i))
        {
            ++m_pendingPosts;
            Simulator::Schedule(baseLatency,
                                &PacketExecutor::Ready,
                                this,
                                i,
                                FabricSimulatorCache::Now() + baseLatency);
        }
    }
}

void
PacketExecutor::Ready(uint32_t index, Time since)
{
    // NCCL's NVLINK latency row for a transfer over NVLink ports, its NET row otherwise (as the
    // analytical backend charges them).
    const CollectiveTransfer& t = m_schedule.transfers[index];
    if (t.kind != TransferKind::SEND)
    {
        Simulator::ScheduleNow(&PacketExecutor::Post, this, index);
        return;
    }
    const bool nvlink = DynamicCast<NvlinkNetDevice>(
                            m_topology->GetSourcePort(m_ranks[t.src], m_ranks[t.dst])) != nullptr;
    Time delay = since + (nvlink ? m_intraLatency : m_interLatency) - FabricSimulatorCache::Now();
    if (delay.IsStrictlyNegative())
    {
        ++m_late; // another process's completion, known after the step latency was over
        delay = Time();
    }
    Simulator::Schedule(delay, &PacketExecutor::Post, this, index);
}

void
PacketExecutor::OnRemoteCompletion(uint32_t notice, Time when)
{
    const uint32_t index = notice & ~SLOT_FREED;
    if (!m_running || index >= m_schedule.transfers.size())
    {
        return;
    }
    if (notice & SLOT_FREED)
    {
        // The receiver consumed a piece this process sent: its slot frees now, not at `when`.
        std::vector<uint32_t> go;
        m_slots->FreeRemote(index, go);
        for (uint32_t next : go)
        {
            ++m_late; // it waited for that slot: it goes one lookahead late
            Send(next);
        }
        SendRemoteFrees();
        return;
    }
    for (uint32_t k = m_firstDependent[index]; k < m_firstDependent[index + 1]; ++k)
    {
        const uint32_t next = m_dependents[k];
        if (IsOwned(next) && --m_waiting[next] == 0)
        {
            ++m_pendingPosts;
            Ready(next, when);
        }
    }
}

void
PacketExecutor::SendRemoteFrees()
{
    for (uint32_t d : m_slots->TakeRemoteFrees())
    {
        m_relay->SendCompletion(m_rankSystem[m_schedule.transfers[d].src], d | SLOT_FREED);
    }
}

void
PacketExecutor::Post(uint32_t index)
{
    --m_pendingPosts;
    for (uint32_t next : m_slots->Ready(index))
    {
        Send(next);
    }
    if (m_relay)
    {
        SendRemoteFrees(); // posting a forwarder frees the slot of what it forwards
    }
}

void
PacketExecutor::Send(uint32_t index)
{
    const CollectiveTransfer& t = m_schedule.transfers[index];
    m_result.transferStart[index] = FabricSimulatorCache::Now();
    ++m_inFlight;
    if (t.bytes == 0)
    {
        Simulator::ScheduleNow(&PacketExecutor::Complete, this, index);
        return;
    }
    if (t.kind != TransferKind::SEND)
    {
        StartInNetwork(index);
        return;
    }
    const auto wire = static_cast<uint64_t>(std::ceil(t.bytes / m_efficiency));
    if (t.via != CollectiveTransfer::NO_RELAY)
    {
        // PXN: into the relay's memory over NVLink, piece by piece; the relay sends each piece
        // on over the network once it has landed, as NCCL's proxy forwards a chunk.
        Ptr<RdmaQueuePair> qp = GetQueuePair(t.src, t.via, t.channel, t.lane);
        for (uint32_t k = 0; k < m_partsLeft[index]; ++k) // none has arrived yet
        {
            qp->PostWriteWithImmediate(RelayPartWireBytes(t, k), index | RELAY_LEG);
        }
        m_relayed[index] = 0;
        return;
    }
    GetQueuePair(t.src, t.dst, t.channel, t.lane)->PostWriteWithImmediate(wire, index);
}

void
PacketExecutor::StartInNetwork(uint32_t index)
{
    const CollectiveTransfer& t = m_schedule.transfers[index];
    const InNetworkBinding& b = m_bindings[t.group];
    const auto& ranks = m_schedule.groups[t.group];
    const auto member =
        static_cast<uint32_t>(std::find(ranks.begin(), ranks.end(), t.src) - ranks.begin());
    const uint32_t key = (static_cast<uint32_t>(b.kind) << 16) | b.group;
    switch (t.kind)
    {
    case TransferKind::LOAD_REDUCE: {
        const uint32_t sequence = m_nextSequence[key]++;
        m_inNetworkOps[{key, sequence}] = index;
        m_partsLeft[index] = 1;
        b.members[member]->PostLoadReduce(b.group,
                                          sequence,
                                          t.bytes,
                                          MakeCallback(&PacketExecutor::OnInNetworkOperation, this)
                                              .Bind(static_cast<uint32_t>(b.kind)));
        break;
    }
    case TransferKind::MULTICAST: {
        const uint32_t sequence = m_nextSequence[key]++;
        m_inNetworkOps[{key, sequence}] = index;
        // Every member but the storer must receive every byte (the storer's own copy, which
        // the switch writes back too, is not waited for).
        m_storeBytesLeft[index] = t.bytes * (ranks.size() - 1);
        m_partsLeft[index] = 1;
        for (const auto& ep : b.members)
        {
            ep->SetStoreCallback(b.group, MakeCallback(&PacketExecutor::OnStoreData, this));
        }
        b.members[member]->PostStore(b.group, sequence, t.bytes);
        break;
    }
    default: {
        // SHARP: every member posts the chunk's operations in the same order.
        const uint64_t op = std::max<uint64_t>(1, b.operationBytes);
        const auto ops = static_cast<uint32_t>((t.bytes + op - 1) / op);
        m_partsLeft[index] = ops * static_cast<uint32_t>(b.members.size());
        for (uint32_t k = 0; k < ops; ++k)
        {
            const uint32_t sequence = m_nextSequence[key]++;
            m_inNetworkOps[{key, sequence}] = index;
            const auto len = static_cast<uint32_t>(std::min<uint64_t>(op, t.bytes - k * op));
            for (const auto& ep : b.members)
            {
                ep->PostSharp(b.group,
                              sequence,
                              len,
                              MakeCallback(&PacketExecutor::OnInNetworkOperation, this)
                                  .Bind(static_cast<uint32_t>(b.kind)));
            }
        }
        break;
    }
    }
}

void
PacketExecutor::OnInNetworkOperation(uint32_t kind, uint16_t group, uint32_t sequence)
{
    const uint32_t key = (kind << 16) | group;
    auto it = m_inNetworkOps.find({key, sequence});
    if (!m_running || it == m_inNetworkOps.end())
    {
        return;
    }
    const uint32_t index = it->second;
    if (--m_partsLeft[index] > 0)
    {
        return;
    }
    m_inNetworkOps.erase(it);
    Complete(index);
}

void
PacketExecutor::OnStoreData(uint16_t group, uint32_t sequence, uint32_t bytes)
{
    const uint32_t key = (static_cast<uint32_t>(InNetworkBinding::NVLS) << 16) | group;
    auto it = m_inNetworkOps.find({key, sequence});
    if (!m_running || it == m_inNetworkOps.end())
    {
        return;
    }
    const uint32_t index = it->second;
    // The storer's own copy counts nothing: stop at the others' bytes.
    m_storeBytesLeft[index] -= std::min<uint64_t>(m_storeBytesLeft[index], bytes);
    if (m_storeBytesLeft[index] == 0 && m_partsLeft[index] > 0)
    {
        m_partsLeft[index] = 0;
        m_inNetworkOps.erase(it);
        Complete(index);
    }
}

uint32_t
PacketExecutor::GetRelayParts(const CollectiveTransfer& t) const
{
    if (m_relayChunkSize == 0)
    {
        return 1;
    }
    return static_cast<uint32_t>(
        std::max<uint64_t>(1, (t.bytes + m_relayChunkSize - 1) / m_relayChunkSize));
}

uint64_t
PacketExecutor::RelayPartWireBytes(const CollectiveTransfer& t, uint32_t part) const
{
    const uint64_t parts = GetRelayParts(t);
    const uint64_t bytes = t.bytes / parts + (part < t.bytes % parts ? 1 : 0);
    return static_cast<uint64_t>(std::ceil(bytes / m_efficiency));
}

void
PacketExecutor::OnReceived(Ptr<RdmaQueuePair> qp, const RdmaCompletion& completion)
{
    if (!m_running || !completion.withImmediate ||
        (completion.immediate & ~RELAY_LEG) >= m_schedule.transfers.size())
    {
        return;
    }
    const uint32_t index = completion.immediate & ~RELAY_LEG;
    const CollectiveTransfer& t = m_schedule.transfers[index];
    if (completion.immediate & RELAY_LEG)
    {
        // A queue pair delivers in order: this is the relay's next piece.
        GetQueuePair(t.via, t.dst, t.channel, t.lane)
            ->PostWriteWithImmediate(RelayPartWireBytes(t, m_relayed[index]++), index);
        return;
    }
    if (--m_partsLeft[index] > 0)
    {
        return; // more pieces of a relayed transfer to come
    }
    if (t.reduce && m_reductionRate.GetBitRate() > 0)
    {
        Simulator::Schedule(m_reductionRate.CalculateBytesTxTime(
                                static_cast<uint32_t>(std::min<uint64_t>(t.bytes, UINT32_MAX))),
                            &PacketExecutor::Complete,
                            this,
                            index);
        return;
    }
    Complete(index);
}

void
PacketExecutor::Complete(uint32_t index)
{
    if (index == UINT32_MAX)
    {
        m_done(m_result); // an empty schedule
        return;
    }
    const Time now = FabricSimulatorCache::Now();
    m_result.transferEnd[index] = now;
    m_result.end = std::max(m_result.end, now);
    m_transferTrace(index, m_result.transferStart[index], now);
    ++m_completed;
    --m_inFlight;
    if (m_relay)
    {
        CompleteDistributed(index);
        return;
    }
    for (uint32_t k = m_firstDependent[index]; k < m_firstDependent[index + 1]; ++k)
    {
        const uint32_t next = m_dependents[k];
        if (--m_waiting[next] == 0)
        {
            ++m_pendingPosts;
            Ready(next, now);
        }
    }
    for (uint32_t next : m_slots->Arrived(index))
    {
        Send(next);
    }
    if (m_completed == m_schedule.transfers.size())
    {
        m_running = false;
        DoneCallback done = m_done;
        done(m_result);
    }
    else if (m_inFlight == 0 && m_pendingPosts == 0)
    {
        // Every remaining transfer waits for a slot that only a waiting transfer can free.
        m_running = false;
        m_slots->ThrowStalled("PacketExecutor (" + m_schedule.algorithm + " " +
                              CollectiveOpName(m_schedule.op) + ")");
    }
}

void
PacketExecutor::CompleteDistributed(uint32_t index)
{
    // Dependents and the connection's slots this process owns go on here; the processes that
    // own the others hear of it one lookahead later. FinishDistributed() counts completions.
    std::vector<uint32_t> notify;
    auto tell = [&](uint32_t system) {
        if (system != m_system && std::find(notify.begin(), notify.end(), system) == notify.end())
        {
            notify.push_back(system);
        }
    };
    const Time now = FabricSimulatorCache::Now();
    for (uint32_t k = m_firstDependent[index]; k < m_firstDependent[index + 1]; ++k)
    {
        const uint32_t next = m_dependents[k];
        if (!IsOwned(next))
        {
            tell(m_rankSystem[m_schedule.transfers[next].src]);
        }
        else if (--m_waiting[next] == 0)
        {
            ++m_pendingPosts;
            Ready(next, now);
        }
    }
    // The slot frees here if it does at all on arrival; a sender elsewhere hears of it.
    for (uint32_t next : m_slots->Arrived(index))
    {
        Send(next);
    }
    SendRemoteFrees();
    for (uint32_t system : notify)
    {
        m_relay->SendCompletion(system, index);
    }
}

} // namespace ns3
