/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "random-fabric-scenario.h"

#include "rdma-helper.h"
#include "topology-helper.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/fabric-net-device.h"
#include "ns3/fabric-switch.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RandomFabricScenario");

RandomFabricScenario::RandomFabricScenario(uint64_t seed, uint64_t maxMessageBytes)
    : m_seed(seed),
      m_maxMessageBytes(maxMessageBytes)
{
    NS_LOG_FUNCTION(this << seed << maxMessageBytes);
}

uint32_t
RandomFabricScenario::Draw(uint32_t n)
{
    return n <= 1 ? 0 : m_rng->GetInteger(0, n - 1);
}

void
RandomFabricScenario::Build()
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
    // RngStream numbers below 2^63 are what AssignStreams hands out: one per seed.
    m_rng->SetStream(static_cast<int64_t>(m_seed & 0x3FFFFFFFFFFFFFFFull));
    BuildTopology();
    BuildTraffic();
    // Node::Initialize (and so every port's Setup) is scheduled at time 0 when a node is
    // created: this event comes after those.
    Simulator::ScheduleNow(&RandomFabricScenario::SnapshotCredits, this);
}

void
RandomFabricScenario::BuildTopology()
{
    static const uint16_t mtus[] = {256, 512, 1024, 2048, 4096};
    static const char* const rates[] = {"100Gb/s", "200Gb/s", "400Gb/s"};
    const uint16_t mtu = mtus[Draw(5)];
    const uint32_t packetsPerBuffer = 1 + Draw(4);
    // The largest packet: the payload, then headers (IB: at most 66 B transport, 26 B link;
    // NVLink: a 16-byte header flit per 256 B at most). Rounded up to credit blocks.
    const uint32_t largest = mtu + mtu / 8 + 128;
    const uint32_t buffer = (packetsPerBuffer * largest + 63) / 64 * 64;
    const uint32_t txQueue = 1 + Draw(16);
    Config::SetDefault("ns3::FabricNetDevice::Mtu", UintegerValue(mtu));
    Config::SetDefault("ns3::FabricNetDevice::RxBufferSize", UintegerValue(buffer));
    Config::SetDefault("ns3::FabricNetDevice::TxQueueSize", UintegerValue(txQueue));
    // Switch inputs: FIFO with head-of-line blocking, or virtual output queues.
    const bool ibVoq = Draw(2) == 1;
    const bool nvVoq = Draw(2) == 1;
    Config::SetDefault("ns3::IbSwitch::VirtualOutputQueues", BooleanValue(ibVoq));
    Config::SetDefault("ns3::NvSwitch::VirtualOutputQueues", BooleanValue(nvVoq));
    m_mtu = mtu;
    std::ostringstream os;
    os << "seed " << m_seed << ": mtu " << mtu << ", rx buffer " << buffer << " B ("
       << packetsPerBuffer << " packets), tx queue " << txQueue << ", VOQ IB " << ibVoq << " NV "
       << nvVoq << ", ";

    TopologyHelper helper;
    const uint32_t kind = Draw(7);
    if (kind == 6)
    {
        // One server's NVLink board: 8 GPUs, each with its NVLinks spread over the NVSwitch
        // chips as one port group (packets sprayed link by link).
        static const char* const boards[] = {"A100", "H100", "B200"};
        NodeKindSpec server;
        server.name = "server";
        server.board = boards[Draw(3)];
        server.gpuModel = server.board;
        server.gpus = 8;
        server.hcas = 0;
        helper.AddNodeKind(server);
        helper.AddNodes("server", 1);
        m_sls = 1;
        os << server.board << " NVLink board";
    }
    else if (kind == 0)
    {
        // InfiniBand fat-tree of 1-GPU hosts.
        const uint32_t vls = 1 + Draw(4);
        const bool adaptive = Draw(2) == 1;
        // Three levels (leaf, aggregation, core) in one fat-tree of three, radix 4 there.
        const uint32_t levels = Draw(3) == 0 ? 3 : 2;
        const uint32_t hosts = 2 + Draw(levels == 3 ? 7 : 5);
        // A two-level fat-tree of radix 4 has leaves of two hosts and at most two leaves.
        const uint32_t radix = levels == 3 ? 4 : (hosts <= 4 && Draw(2) == 0) ? 4 : 8;
        Config::SetDefault("ns3::FabricNetDevice::NumDataVls", UintegerValue(vls));
        Config::SetDefault("ns3::IbSwitch::AdaptiveRouting", BooleanValue(adaptive));
        // Congestion control: FECN marks at a random egress threshold, BECN-driven pacing.
        m_congestionControl = Draw(3) == 0;
        const uint32_t threshold = 1024u << (2 * Draw(3));
        Config::SetDefault("ns3::IbSwitch::CongestionControl", BooleanValue(m_congestionControl));
        Config::SetDefault("ns3::IbSwitch::QueueThreshold", UintegerValue(threshold));
        NodeKindSpec host;
        host.name = "host";
        host.gpuModel = "H100";
        host.gpus = 1;
        host.hcas = 1;
        host.hcaSpeed = Draw(2) == 0 ? "HDR" : "NDR";
        host.hcaWidth = Draw(2) == 0 ? 1 : 4;
        helper.AddNodeKind(host);
        helper.AddNodes("host", hosts);
        FatTreeSpec ft;
        ft.present = true;
        ft.levels = levels;
        ft.radix = radix;
        ft.speed = host.hcaSpeed;
        ft.width = host.hcaWidth;
        ft.linkDelay = NanoSeconds(10 + Draw(200));
        ft.switchLatency = NanoSeconds(50 + Draw(300));
        ft.sharp = false;
        helper.SetFatTree(ft);
        m_sls = vls;
        os << levels << "-level fat-tree of " << hosts << " hosts, radix " << radix << ", "
           << host.hcaSpeed << " x" << host.hcaWidth << ", " << vls << " VLs, adaptive routing "
           << (adaptive ? "on" : "off") << ", congestion control "
           << (m_congestionControl ? "on at " + std::to_string(threshold) + " B" : "off");
    }
    else
    {
        // GPU routers joined by one or two dimensions.
        std::vector<DimensionSpec> dims;
        // One link technology per topology (the builder's rule).
        const FabricLinkType link =
            Draw(2) == 0 ? FabricLinkType::NVLINK : FabricLinkType::INFINIBAND;
        auto dimension = [&](BlockType block, uint32_t size) {
            DimensionSpec d;
            d.block = block;
            d.size = size;
            d.rate = DataRate(rates[Draw(3)]);
            d.latency = NanoSeconds(10 + Draw(200));
            d.linksPerPair = 1 + Draw(2);
            d.link = link;
            d.switchLatency = NanoSeconds(20 + Draw(200));
            dims.push_back(d);
        };
        switch (kind)
        {
        case 1:
            dimension(BlockType::RING, 3 + Draw(4));
            break;
        case 2:
            dimension(BlockType::RING, 3);
            dimension(BlockType::RING, 2 + Draw(2));
            break;
        case 3:
            dimension(BlockType::SWITCH, 2 + Draw(5));
            break;
        case 4:
            dimension(BlockType::FULLY_CONNECTED, 3 + Draw(2));
            break;
        default:
            dimension(BlockType::RING, 3);
            dimension(BlockType::SWITCH, 2);
            break;
        }
        const bool anyRing = std::any_of(dims.begin(), dims.end(), [](const DimensionSpec& d) {
            return d.block == BlockType::RING;
        });
        static const char* const blocks[] = {"ring", "fully-connected", "switch"};
        os << "dimensions";
        for (const DimensionSpec& d : dims)
        {
            helper.AddDimension(d);
            os << " " << blocks[static_cast<int>(d.block)] << "(" << d.size << ", "
               << (d.link == FabricLinkType::NVLINK ? "NVLink" : "IB") << " "
               << d.rate.GetBitRate() / 1000000000 << "G x" << d.linksPerPair << ")";
        }
        // Datelines move packets to VL 1 after a ring's wrap-around link: the traffic stays on
        // SL 0 (VL 0) there. Without rings the builder gives the ports one VL.
        m_sls = 1;
        os << (anyRing ? ", datelines" : "");
    }
    m_description = os.str();
    try
    {
        m_topology = helper.Build();
    }
    catch (...)
    {
        Config::Reset();
        throw;
    }
    // Config::Reset() also resets RngRun; the scenario's stream was created before it.
    Config::Reset();
}

void
RandomFabricScenario::BuildTraffic()
{
    const uint32_t gpus = m_topology->GetNRanks();
    const uint32_t connections = 1 + Draw(6);
    // One scenario in four is an incast: every connection ends at the same GPU, so that its
    // last link and the switch buffers before it fill and the senders wait for credits.
    const bool incast = Draw(4) == 0;
    const uint32_t target = Draw(gpus);
    std::ostringstream os;
    os << "; " << gpus << " GPUs, " << connections << " connections"
       << (incast ? " (incast to " + std::to_string(target) + ")" : "") << ":";

    // Draw everything first: m_flows must not move once the callbacks point into it.
    struct Message
    {
        Time at;
        RdmaWorkRequest request;
    };

    struct Plan
    {
        uint32_t a{0};
        uint32_t b{0};
        uint32_t sl{0};
        uint32_t psn{0};
        uint32_t ackInterval{64};
        uint64_t window{1 << 20};
        std::vector<Message> messages[2];
    };

    std::vector<Plan> plans(connections);
    uint32_t flows = 0;
    for (Plan& plan : plans)
    {
        plan.b = incast ? target : Draw(gpus);
        plan.a = Draw(gpus - 1);
        if (plan.a >= plan.b)
        {
            ++plan.a;
        }
        plan.sl = Draw(m_sls);
        auto psn = [&]() { return Draw(4) == 0 ? 0xFFFFFFu - Draw(8) : Draw(1u << 24); };
        plan.psn = psn();
        static const uint32_t intervals[] = {1, 3, 16, 64};
        plan.ackInterval = intervals[Draw(4)];
        const uint64_t windows[] = {m_mtu, 3u * m_mtu, 1u << 20, 0};
        plan.window = windows[Draw(4)];
        const uint32_t directions = 1 + Draw(2);
        os << " " << plan.a << (directions == 2 ? "<->" : "->") << plan.b << " sl " << plan.sl
           << " psn " << plan.psn << " ack/" << plan.ackInterval << " window " << plan.window
           << " [";
        for (uint32_t dir = 0; dir < directions; ++dir)
        {
            const uint32_t count = 1 + Draw(6);
            for (uint32_t k = 0; k < count; ++k)
            {
                Message m;
                m.at = NanoSeconds(Draw(4) == 0 ? 0 : Draw(3000));
                m.request.operation = Draw(2) == 0 ? RdmaOperation::SEND : RdmaOperation::WRITE;
                m.request.bytes =
                    Draw(16) == 0 ? 0 : 1 + Draw(static_cast<uint32_t>(m_maxMessageBytes));
                m.request.withImmediate = Draw(3) == 0;
                m.request.immediate = Draw(1u << 31);
                m.request.remoteAddress = uint64_t{Draw(1u << 20)} << 12;
                m.request.rkey = Draw(1u << 16);
                plan.messages[dir].push_back(m);
            }
            std::stable_sort(plan.messages[dir].begin(),
                             plan.messages[dir].end(),
                             [](const Message& x, const Message& y) { return x.at < y.at; });
            os << (dir ? " |" : "");
            for (const Message& m : plan.messages[dir])
            {
                os << " " << (m.request.operation == RdmaOperation::SEND ? "S" : "W")
                   << (m.request.withImmediate ? "i" : "") << m.request.bytes << "@"
                   << m.at.GetNanoSeconds();
            }
            ++flows;
        }
        os << " ]";
    }
    m_description += os.str();

    m_flows.reserve(flows);
    for (const Plan& plan : plans)
    {
        RdmaHelper rdma;
        rdma.SetQueuePairAttribute("ServiceLevel", UintegerValue(plan.sl));
        rdma.SetQueuePairAttribute("AckRequestInterval", UintegerValue(plan.ackInterval));
        rdma.SetQueuePairAttribute("InflightWindow", UintegerValue(plan.window));
        rdma.SetQueuePairAttribute("CongestionControl", BooleanValue(m_congestionControl));
        // Both ends start at the same PSN (RdmaHelper makes them from one factory).
        rdma.SetQueuePairAttribute("InitialPsn", UintegerValue(plan.psn));
        Ptr<Node> a = m_topology->GetGpuNode(plan.a);
        Ptr<Node> b = m_topology->GetGpuNode(plan.b);
        auto [qpA, qpB] = rdma.Connect(a, b);
        for (uint32_t dir = 0; dir < 2; ++dir)
        {
            if (plan.messages[dir].empty())
            {
                continue;
            }
            m_flows.emplace_back();
            Flow& flow = m_flows.back();
            flow.src = dir == 0 ? plan.a : plan.b;
            flow.dst = dir == 0 ? plan.b : plan.a;
            flow.requester = dir == 0 ? qpA : qpB;
            flow.responder = dir == 0 ? qpB : qpA;
            for (const Message& m : plan.messages[dir])
            {
                flow.sizes.push_back(m.request.bytes);
                ++m_messages;
                m_bytes += m.request.bytes;
                Ptr<RdmaQueuePair> qp = flow.requester;
                const RdmaWorkRequest request = m.request;
                Simulator::Schedule(m.at, [qp, request]() { qp->Post(request); });
            }
            Flow* f = &flow;
            flow.responder->SetReceiveCompletionCallback(
                MakeCallback(&RandomFabricScenario::OnReceive, this).Bind(f));
            flow.responder->TraceConnectWithoutContext(
                "RxBytes",
                MakeCallback(&RandomFabricScenario::OnRxBytes, this).Bind(f));
        }
    }
}

void
RandomFabricScenario::OnReceive(Flow* flow, Ptr<RdmaQueuePair> qp, const RdmaCompletion& completion)
{
    std::ostringstream os;
    if (completion.sequence != flow->nextSequence)
    {
        os << "message " << completion.sequence << " completed where " << flow->nextSequence
           << " was next";
    }
    else if (completion.sequence >= flow->sizes.size())
    {
        os << "message " << completion.sequence << " completed, only " << flow->sizes.size()
           << " were posted";
    }
    else if (completion.bytes != flow->sizes[completion.sequence])
    {
        os << "message " << completion.sequence << " completed with " << completion.bytes << " B, "
           << flow->sizes[completion.sequence] << " B were posted";
    }
    if (!os.str().empty())
    {
        flow->errors.push_back(os.str());
    }
    flow->nextSequence = completion.sequence + 1;
}

void
RandomFabricScenario::OnRxBytes(Flow* flow, uint64_t oldValue, uint64_t newValue)
{
    if (newValue < oldValue || oldValue != flow->lastRxBytes)
    {
        flow->regressed = true;
    }
    else
    {
        flow->maxStep = std::max(flow->maxStep, newValue - oldValue);
    }
    flow->lastRxBytes = newValue;
}

namespace
{

/**
 * \param fn called with every fabric port of the simulation, in node and device order
 */
template <typename F>
void
ForEachPort(F fn)
{
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            if (Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(d)))
            {
                fn(port);
            }
        }
    }
}

} // namespace

void
RandomFabricScenario::SnapshotCredits()
{
    m_credits0.clear();
    ForEachPort([this](Ptr<FabricNetDevice> port) {
        for (uint8_t vl = 0; vl < port->GetNumDataVls(); ++vl)
        {
            m_credits0.push_back(port->GetTxCredits(vl));
        }
    });
    m_snapshotTaken = true;
}

ConservationResult
RandomFabricScenario::RunOnce(uint64_t seed, uint64_t maxMessageBytes, Time limit)
{
    RandomFabricScenario scenario(seed, maxMessageBytes);
    ConservationResult r;
    r.seed = seed;
    try
    {
        scenario.Build();
        r = scenario.Run(limit);
    }
    catch (const std::exception& e)
    {
        r.error = e.what();
    }
    r.description = scenario.Describe();
    Simulator::Destroy();
    return r;
}

void
ConservationTotals::Add(const ConservationResult& r)
{
    ++scenarios;
    passed += r.Passed() ? 1 : 0;
    messages += r.messages;
    bytes += r.bytes;
    delivery += r.deliveryChecks;
    credits += r.creditChecks;
    buffers += r.bufferChecks;
    stalled += r.creditStalls > 0 ? 1 : 0;
    reordered += r.reordered;
    retransmitted += r.retransmitted;
}

ConservationResult
RandomFabricScenario::Run(Time limit)
{
    NS_LOG_FUNCTION(this << limit);
    ConservationResult r;
    r.seed = m_seed;
    r.messages = m_messages;
    r.bytes = m_bytes;
    Simulator::Stop(limit);
    Simulator::Run();
    r.finished = Simulator::IsFinished();
    if (!r.finished)
    {
        r.fails.push_back("events still pending at " + std::to_string(limit.GetMicroSeconds()) +
                          " us: the traffic did not drain");
    }

    // Delivery, per queue pair and direction.
    for (const Flow& flow : m_flows)
    {
        std::ostringstream os;
        const uint64_t posted = std::accumulate(flow.sizes.begin(), flow.sizes.end(), uint64_t{0});
        const uint64_t count = flow.sizes.size();
        const std::string name = "flow " + std::to_string(flow.src) + "->" +
                                 std::to_string(flow.dst) + " (" + flow.requester->Describe() +
                                 "): ";
        for (const std::string& e : flow.errors)
        {
            os << name << e << "\n";
        }
        if (flow.nextSequence != count || flow.responder->GetMessagesReceived() != count)
        {
            os << name << flow.responder->GetMessagesReceived() << " of " << count
               << " messages received\n";
        }
        if (flow.responder->GetBytesReceived() != posted || flow.lastRxBytes != posted)
        {
            os << name << flow.responder->GetBytesReceived() << " B received in order, " << posted
               << " B posted\n";
        }
        if (flow.regressed || flow.maxStep > flow.requester->GetPathMtu())
        {
            os << name << "in-order byte count not contiguous (largest step " << flow.maxStep
               << " B, path MTU " << flow.requester->GetPathMtu() << ")\n";
        }
        if (flow.requester->GetMessagesCompleted() != count ||
            flow.requester->GetInflightBytes() != 0)
        {
            os << name << flow.requester->GetMessagesCompleted() << " of " << count
               << " messages acknowledged, " << flow.requester->GetInflightBytes()
               << " B in flight\n";
        }
        if (flow.requester->GetPacketsRetransmitted() != 0 || flow.responder->GetNaksSent() != 0)
        {
            // Lossless: reordering on sprayed paths must stay within the reorder window.
            os << name << flow.requester->GetPacketsRetransmitted() << " packets resent after "
               << flow.responder->GetNaksSent() << " NAKs on a lossless fabric\n";
        }
        r.reordered += flow.responder->GetPacketsReordered();
        r.retransmitted += flow.requester->GetPacketsRetransmitted();
        if (os.str().empty())
        {
            ++r.deliveryChecks;
        }
        else
        {
            r.fails.push_back(os.str());
        }
    }

    // Credits and buffers, per port (and VL).
    size_t index = 0;
    ForEachPort([&](Ptr<FabricNetDevice> port) {
        Ptr<FabricNetDevice> peer = port->GetPeerDevice();
        bool empty = true;
        for (uint8_t vl = 0; vl < port->GetNumDataVls(); ++vl)
        {
            const uint64_t now = port->GetTxCredits(vl);
            const uint64_t start = index < m_credits0.size() ? m_credits0[index] : 0;
            const uint64_t full = peer ? peer->GetRxBufferCapacity() : 0;
            ++index;
            if (m_snapshotTaken && now == start && now == full)
            {
                ++r.creditChecks;
            }
            else
            {
                r.fails.push_back(port->Describe() + " VL " + std::to_string(vl) + ": " +
                                  std::to_string(now) + " credits at the end, " +
                                  std::to_string(start) + " at the start, peer buffer " +
                                  std::to_string(full) + " blocks");
            }
            if (port->GetCreditStallTime(vl).IsStrictlyPositive())
            {
                ++r.creditStalls;
            }
            if (port->GetRxBufferBytes(vl) != 0 || port->HasWaitingPacket(vl))
            {
                empty = false;
                r.fails.push_back(port->Describe() + " VL " + std::to_string(vl) + ": " +
                                  std::to_string(port->GetRxBufferBytes(vl)) +
                                  " B left in the input buffer" +
                                  (port->HasWaitingPacket(vl) ? ", a packet waits to leave" : ""));
            }
        }
        if (empty)
        {
            ++r.bufferChecks;
        }
    });
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<FabricSwitch> sw = NodeList::GetNode(n)->GetObject<FabricSwitch>();
        if (!sw)
        {
            continue;
        }
        bool empty = sw->GetBufferedPackets() == 0;
        for (uint16_t p = 0; p < sw->GetNPorts(); ++p)
        {
            empty = empty && sw->GetEgressQueueBytes(p) == 0;
        }
        if (empty)
        {
            ++r.bufferChecks;
        }
        else
        {
            r.fails.push_back(sw->Describe() + ": " + std::to_string(sw->GetBufferedPackets()) +
                              " packets still buffered");
        }
    }
    return r;
}

std::string
RandomFabricScenario::Describe() const
{
    return m_description;
}

Ptr<FabricTopology>
RandomFabricScenario::GetTopology() const
{
    return m_topology;
}

} // namespace ns3
