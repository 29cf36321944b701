/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-queue-pair.h"

#include "rdma-engine.h"

#include "ns3/boolean.h"
#include "ns3/fabric-config-error.h"
#include "ns3/fabric-net-device.h"
#include "ns3/fabric-port-group.h"
#include "ns3/fabric-simulator-cache.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RdmaQueuePair");

NS_OBJECT_ENSURE_REGISTERED(RdmaQueuePair);

namespace
{

constexpr uint64_t PSN_MASK = 0xFFFFFF; //!< PSNs and MSNs are 24 bits on the wire
constexpr uint64_t PSN_SPAN = 1u << 24; //!< the PSN space
/// Absolute PSNs start one PSN space up, so that going back from them never underflows.
constexpr uint64_t PSN_BASE = PSN_SPAN;
/// The most PSNs outstanding, so that every PSN on the wire reads unambiguously (IBA: 2^23).
constexpr uint64_t MAX_OUTSTANDING_PSNS = PSN_SPAN / 2;
/// The automatic reorder window's cap, in packets (when the inflight window is unlimited).
constexpr uint64_t MAX_AUTO_REORDER = 65536;

/// Position of a packet in its message, the low opcode bits of RC SEND and RDMA WRITE.
enum Kind : uint8_t
{
    FIRST = 0,
    MIDDLE = 1,
    LAST = 2,
    LAST_WITH_IMMEDIATE = 3,
    ONLY = 4,
    ONLY_WITH_IMMEDIATE = 5,
};

constexpr uint8_t SEND_BASE = static_cast<uint8_t>(IbOpcode::RC_SEND_FIRST);        //!< 0x00
constexpr uint8_t WRITE_BASE = static_cast<uint8_t>(IbOpcode::RC_RDMA_WRITE_FIRST); //!< 0x06
constexpr uint8_t LAST_REQUEST = static_cast<uint8_t>(IbOpcode::RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE);
constexpr uint8_t ACKNOWLEDGE = static_cast<uint8_t>(IbOpcode::RC_ACKNOWLEDGE);

} // namespace

TypeId
RdmaQueuePair::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RdmaQueuePair")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<RdmaQueuePair>()
            .AddAttribute("AckRequestInterval",
                          "Set AckReq on every N-th packet (besides the last packet of every "
                          "message), in packets. Default 64: Linux soft-RoCE's "
                          "RXE_MAX_PKT_PER_ACK.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&RdmaQueuePair::m_ackInterval),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("InflightWindow",
                          "Most payload bytes sent and not yet acknowledged, and on a path "
                          "that sprays at most InflightWindow / MTU + 1 packets (what an "
                          "automatic ReorderWindow keeps); 0: no limit but the IBA's 2^23 "
                          "PSNs. Default 1 MiB: twice an NDR 4x path's bandwidth-delay product "
                          "through three switch tiers (about 5 us "
                          "round trip) plus one ACK interval of 64 x 4 KiB, so one QP alone "
                          "runs at line rate.",
                          UintegerValue(1 << 20),
                          MakeUintegerAccessor(&RdmaQueuePair::m_window),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("RateLimit",
                          "Pace the QP's packets to this rate (BTH, extended headers, payload "
                          "and pad; not the link framing); 0: no limit.",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&RdmaQueuePair::m_rateLimit),
                          MakeDataRateChecker())
            .AddAttribute("AckTimeout",
                          "Retransmit timeout exponent t, as the IBA's Local ACK Timeout: "
                          "4.096 us x 2^t; 0: no timer. Default 14 (67.1 ms): far above any "
                          "gap between ACKs a lossless fabric produces (64 packets at a "
                          "1/1000 share of an NDR port take 5.4 ms), so that no spurious "
                          "go-back-N ever wastes bandwidth; loss studies set it lower (2: "
                          "16.4 us). Real deployments use 14-20 (NCCL: 20, 4.3 s).",
                          UintegerValue(14),
                          MakeUintegerAccessor(&RdmaQueuePair::m_ackTimeoutExp),
                          MakeUintegerChecker<uint8_t>(0, 31))
            .AddAttribute("ServiceLevel",
                          "Service level of the QP's packets (0-15); the port maps it to a VL.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RdmaQueuePair::m_sl),
                          MakeUintegerChecker<uint8_t>(0, 15))
            .AddAttribute("InitialPsn",
                          "First PSN this end sends (24 bits); the PSN wraps after 0xFFFFFF.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RdmaQueuePair::m_initialPsn),
                          MakeUintegerChecker<uint32_t>(0, 0xFFFFFF))
            .AddAttribute("ReorderWindow",
                          "Packets, from the expected PSN on, that the responder accepts: the "
                          "ones after it are kept until the gap before them fills; a packet "
                          "beyond is taken as a sign of loss (NAK). 1: strict in-order delivery "
                          "as IBA RC (a gap is a loss). 0 (default): automatic, 1 on a single "
                          "port, and on a port of a FabricPortGroup (whose links are sprayed "
                          "packet by packet, e.g. a GPU's NVLinks) as many packets as the "
                          "InflightWindow lets be in flight, so that reordering never causes "
                          "go-back-N. Set it where switches spray one QP over several paths.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RdmaQueuePair::m_reorderWindowAttr),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("PathMtu",
                          "Payload bytes per packet; 0: the port's Mtu. RdmaHelper uses the "
                          "smaller of the two ends' Mtu.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RdmaQueuePair::m_pathMtuAttr),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("CongestionControl",
                          "React to BECN (IBTA Annex A10): raise the QP's CCT index, which "
                          "adds an inter-packet delay, and lower it again on the CCTI timer. "
                          "Default false: upstream OpenSM ships congestion control off "
                          "(osm_subnet.c: congestion_control = FALSE). The responder returns "
                          "BECN for every FECN either way, as the IBA requires.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&RdmaQueuePair::m_ccEnabled),
                          MakeBooleanChecker())
            .AddAttribute("CctiIncrease",
                          "CCT index steps added per BECN (IBTA CCTI_Increase). Default 1, "
                          "the value OpenSM's congestion-control examples use.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&RdmaQueuePair::m_cctiIncrease),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("CctiLimit",
                          "Highest CCT index (IBTA CCTI_Limit). Default 127 [assumed].",
                          UintegerValue(127),
                          MakeUintegerAccessor(&RdmaQueuePair::m_cctiLimit),
                          MakeUintegerChecker<uint32_t>(1, 16383))
            .AddAttribute("CctiTimer",
                          "Period of the recovery timer: each expiry lowers the CCT index by "
                          "one (IBTA CCTI_Timer, in units of 1.024 us there). Default 1.024 us "
                          "(1 unit) [assumed: of the order of an NDR round trip through two "
                          "switches; tuned on the incast of test/congestion-test.cc].",
                          TimeValue(NanoSeconds(1024)),
                          MakeTimeAccessor(&RdmaQueuePair::m_cctiTimer),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("CctStep",
                          "With no CongestionControlTable: the inter-packet delay grows by this "
                          "much per CCT index (a linear table). Default 20 ns [assumed; about a "
                          "quarter of a 4 KiB packet's NDR serialisation].",
                          TimeValue(NanoSeconds(20)),
                          MakeTimeAccessor(&RdmaQueuePair::m_cctStep),
                          MakeTimeChecker(Time()))
            .AddAttribute("CongestionControlTable",
                          "Inter-packet delay per CCT index, in ns, comma-separated from index "
                          "0 (IBTA CCT entries, there a shift and a multiplier); empty "
                          "(default): linear in CctStep up to CctiLimit.",
                          StringValue(""),
                          MakeStringAccessor(&RdmaQueuePair::m_cctText),
                          MakeStringChecker())
            .AddTraceSource("CctIndex",
                            "The congestion control table index (0: full rate).",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_ccti),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("TxBytes",
                            "Payload bytes sent by this end, retransmissions included.",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_txBytes),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("RxBytes",
                            "Payload bytes received in order from the other end.",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_rxBytes),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("MessagePosted",
                            "A message was posted: sequence number, bytes.",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_postedTrace),
                            "ns3::RdmaQueuePair::PostedTracedCallback")
            .AddTraceSource("FirstPacketSent",
                            "A message's first packet went to the port (first transmission): "
                            "sequence number, time since posting.",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_firstPacketTrace),
                            "ns3::RdmaQueuePair::FirstPacketTracedCallback")
            .AddTraceSource("MessageCompleted",
                            "Requester: a posted message was acknowledged: sequence number, "
                            "bytes, time since posting.",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_completedTrace),
                            "ns3::RdmaQueuePair::CompletionTracedCallback")
            .AddTraceSource("MessageReceived",
                            "Responder: a message arrived whole: sequence number, bytes, time "
                            "from its first packet's arrival.",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_receivedTrace),
                            "ns3::RdmaQueuePair::CompletionTracedCallback")
            .AddTraceSource("Retransmit",
                            "Requester: go-back-N (after a NAK or a timeout) from a PSN.",
                            MakeTraceSourceAccessor(&RdmaQueuePair::m_retransmitTrace),
                            "ns3::RdmaQueuePair::RetransmitTracedCallback");
    return tid;
}

RdmaQueuePair::RdmaQueuePair()
{
    NS_LOG_FUNCTION(this);
}

RdmaQueuePair::~RdmaQueuePair()
{
    NS_LOG_FUNCTION(this);
}

void
RdmaQueuePair::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    m_timerArmed = false;
    m_paceEvent.Cancel();
    m_cctiEvent.Cancel();
    m_engine = nullptr;
    m_device = nullptr;
    m_nextReady = nullptr;
    m_nextCtrl = nullptr;
    m_sq.clear();
    m_early.clear();
    m_completions.clear();
    m_sendCompletion.Nullify();
    m_recvCompletion.Nullify();
    Object::DoDispose();
}

std::string
RdmaQueuePair::Describe() const
{
    std::ostringstream os;
    os << "RdmaQueuePair " << m_qpn;
    if (m_device && m_device->GetNode())
    {
        os << " on node " << m_device->GetNode()->GetId();
    }
    return os.str();
}

void
RdmaQueuePair::Fail(const std::string& what) const
{
    throw FabricConfigError(Describe(), what);
}

void
RdmaQueuePair::Attach(RdmaEngine* engine, uint32_t port, FabricNetDevice* device, uint32_t qpn)
{
    NS_LOG_FUNCTION(this << engine << port << qpn);
    m_engine = engine;
    m_port = port;
    m_device = device;
    m_qpn = qpn;
}

void
RdmaQueuePair::Connect(uint16_t remoteAddress,
                       uint32_t remoteQpn,
                       uint32_t remoteInitialPsn,
                       uint32_t pathMtu)
{
    NS_LOG_FUNCTION(this << remoteAddress << remoteQpn << remoteInitialPsn << pathMtu);
    if (!m_engine)
    {
        Fail("is on no RdmaEngine (RdmaEngine::AddQueuePair) and cannot connect");
    }
    if (m_connected)
    {
        Fail("is already connected (to QP " + std::to_string(m_remoteQpn) + " at " +
             m_device->DescribeAddress(m_remoteAddress) + ")");
    }
    if (remoteQpn < RdmaEngine::FIRST_QPN || remoteQpn > IbBthHeader::MAX_QPN)
    {
        Fail("cannot connect to QP number " + std::to_string(remoteQpn) +
             " (QPs 0 and 1 are reserved; QP numbers have 24 bits)");
    }
    if (remoteInitialPsn > IbBthHeader::MAX_PSN)
    {
        Fail("remote initial PSN " + std::to_string(remoteInitialPsn) + " exceeds 24 bits");
    }
    const uint32_t portMtu = m_device->GetMtu();
    uint32_t mtu = pathMtu != 0 ? pathMtu : (m_pathMtuAttr != 0 ? m_pathMtuAttr : portMtu);
    if (pathMtu != 0 && m_pathMtuAttr != 0)
    {
        mtu = std::min(pathMtu, m_pathMtuAttr);
    }
    if (mtu == 0 || mtu > portMtu)
    {
        Fail("path MTU " + std::to_string(mtu) + " B must be between 1 and its port's Mtu (" +
             std::to_string(portMtu) + " B)");
    }
    m_mtu = mtu;
    m_remoteAddress = remoteAddress;
    m_remoteQpn = remoteQpn;
    m_ackDestination = remoteAddress;
    m_timeout = m_ackTimeoutExp == 0 ? Time() : NanoSeconds(4096) * (int64_t{1} << m_ackTimeoutExp);
    const uint64_t first = PSN_BASE + m_initialPsn;
    m_postedPsnEnd = first;
    m_txPsn = first;
    m_unaPsn = first;
    m_sentPsnEnd = first;
    m_rxPsn = PSN_BASE + remoteInitialPsn;
    // A port whose group sprays packets over several links reorders them, as does a path
    // through switches that spray (both directions alike, as in the fabrics the helpers build).
    Ptr<FabricPortGroup> group = m_device->GetGroup();
    const bool sprays = (group && group->GetNPorts() > 1) || m_sprayedPath;
    const uint64_t inFlight = m_window == 0 ? MAX_AUTO_REORDER : m_window / m_mtu + 1;
    // There the requester keeps at most inFlight packets in flight, whatever their size (short
    // packets would otherwise outrun the other end's automatic reorder window, and a lossless
    // fabric would see a NAK and go-back-N); a single path delivers in order and needs no bound.
    m_packetWindow = sprays && m_window != 0 ? inFlight : 0;
    m_reorderWindow = m_reorderWindowAttr;
    if (m_reorderWindow == 0)
    {
        // Automatic: on a spraying path keep as many as the requester may have in flight. A
        // single port on a single path delivers in order.
        m_reorderWindow = sprays ? static_cast<uint32_t>(std::min(inFlight, MAX_AUTO_REORDER)) : 1;
    }
    if (m_reorderWindow >= MAX_OUTSTANDING_PSNS)
    {
        Fail("ReorderWindow " + std::to_string(m_reorderWindow) + " must stay below 2^23 PSNs");
    }
    BuildCct();
    m_connected = true;
}

void
RdmaQueuePair::SetSprayedPath(bool sprayed)
{
    m_sprayedPath = sprayed;
}

bool
RdmaQueuePair::IsConnected() const
{
    return m_connected;
}

uint64_t
RdmaQueuePair::Post(const RdmaWorkRequest& request)
{
    NS_LOG_FUNCTION(this << static_cast<int>(request.operation) << request.bytes);
    if (!m_engine)
    {
        Fail("is on no RdmaEngine; create it with RdmaEngine::CreateQueuePair or RdmaHelper");
    }
    if (!m_connected)
    {
        Fail("is not connected; connect it (RdmaHelper::Connect) before posting work");
    }
    if (request.bytes > MAX_MESSAGE_BYTES)
    {
        Fail("message of " + std::to_string(request.bytes) +
             " bytes exceeds the IBA's largest, 2^31 bytes");
    }
    Wqe wqe;
    wqe.bytes = request.bytes;
    wqe.firstPsn = m_postedPsnEnd;
    wqe.byteStart = m_postedBytes;
    wqe.packets = static_cast<uint32_t>(std::max<uint64_t>(1, (request.bytes + m_mtu - 1) / m_mtu));
    wqe.operation = request.operation;
    wqe.withImmediate = request.withImmediate;
    wqe.immediate = request.immediate;
    wqe.remoteAddress = request.remoteAddress;
    wqe.rkey = request.rkey;
    wqe.posted = FabricSimulatorCache::Now();
    m_postedPsnEnd += wqe.packets;
    m_postedBytes += request.bytes;
    const uint64_t sequence = m_sqBase + m_sq.size();
    m_sq.push_back(wqe);
    m_postedTrace(sequence, request.bytes);
    m_engine->Doorbell(this);
    return sequence;
}

uint64_t
RdmaQueuePair::PostWrite(uint64_t bytes)
{
    RdmaWorkRequest wr;
    wr.operation = RdmaOperation::WRITE;
    wr.bytes = bytes;
    return Post(wr);
}

uint64_t
RdmaQueuePair::PostWriteWithImmediate(uint64_t bytes, uint32_t immediate)
{
    RdmaWorkRequest wr;
    wr.operation = RdmaOperation::WRITE;
    wr.bytes = bytes;
    wr.withImmediate = true;
    wr.immediate = immediate;
    return Post(wr);
}

uint64_t
RdmaQueuePair::PostSend(uint64_t bytes)
{
    RdmaWorkRequest wr;
    wr.operation = RdmaOperation::SEND;
    wr.bytes = bytes;
    return Post(wr);
}

uint64_t
RdmaQueuePair::PostSendWithImmediate(uint64_t bytes, uint32_t immediate)
{
    RdmaWorkRequest wr;
    wr.operation = RdmaOperation::SEND;
    wr.bytes = bytes;
    wr.withImmediate = true;
    wr.immediate = immediate;
    return Post(wr);
}

uint64_t
RdmaQueuePair::Unwrap(uint32_t psn24, uint64_t reference)
{
    const uint64_t delta = (psn24 - reference) & PSN_MASK;
    return (delta & (PSN_SPAN / 2)) ? reference - (PSN_SPAN - delta) : reference + delta;
}

uint64_t
RdmaQueuePair::BytePosition(const Wqe& wqe, uint64_t psn) const
{
    return wqe.byteStart + std::min<uint64_t>((psn - wqe.firstPsn) * m_mtu, wqe.bytes);
}

bool
RdmaQueuePair::SendNext()
{
    NS_LOG_FUNCTION(this);
    if (!HasDataToSend())
    {
        return false;
    }
    Wqe& wqe = m_sq[m_txSeq - m_sqBase];
    const uint64_t index = m_txPsn - wqe.firstPsn;
    const uint64_t offset = index * m_mtu;
    const auto payload = static_cast<uint32_t>(std::min<uint64_t>(m_mtu, wqe.bytes - offset));
    const uint64_t inflight = m_txBytePos - m_unaBytePos;
    // On a spraying path the window also bounds the packets in flight (m_packetWindow, what
    // the responder's automatic reorder window holds), for packets shorter than the MTU.
    if (m_txPsn != m_unaPsn && ((m_window != 0 && inflight + payload > m_window) ||
                                (m_packetWindow != 0 && m_txPsn - m_unaPsn >= m_packetWindow) ||
                                m_txPsn - m_unaPsn >= MAX_OUTSTANDING_PSNS))
    {
        NS_LOG_LOGIC(Describe() << " window full: " << inflight << " B in flight");
        return false; // an ACK will reopen it
    }
    const Time now = FabricSimulatorCache::Now();
    if ((m_rateLimit.GetBitRate() != 0 || m_ccti > 0) && m_nextSendAt > now)
    {
        if (!m_paceEvent.IsRunning())
        {
            m_paceEvent = Simulator::Schedule(m_nextSendAt - now, &RdmaQueuePair::PaceWake, this);
        }
        return false;
    }

    const bool first = index == 0;
    const bool last = index + 1 == wqe.packets;
    uint8_t kind = MIDDLE;
    if (first && last)
    {
        kind = wqe.withImmediate ? ONLY_WITH_IMMEDIATE : ONLY;
    }
    else if (first)
    {
        kind = FIRST;
    }
    else if (last)
    {
        kind = wqe.withImmediate ? LAST_WITH_IMMEDIATE : LAST;
    }
    const auto opcode = static_cast<uint8_t>(
        (wqe.operation == RdmaOperation::WRITE ? WRITE_BASE : SEND_BASE) + kind);

    // AckReq: the last packet of a message, every AckRequestInterval packets, the packet that
    // fills the window (else the window could wait for an ACK nobody asked for), and the first
    // packet resent after going back.
    ++m_sinceAckReq;
    const bool fillsWindow = (m_window != 0 && inflight + payload + m_mtu > m_window) ||
                             (m_packetWindow != 0 && m_txPsn - m_unaPsn + 1 >= m_packetWindow);
    const bool ackReq = last || m_sinceAckReq >= m_ackInterval || fillsWindow || m_ackReqNext;
    if (ackReq)
    {
        m_sinceAckReq = 0;
        m_ackReqNext = false;
    }

    const uint32_t pad = (4 - payload % 4) % 4;
    IbBthHeader& bth = m_txHeader.GetBth();
    bth.SetOpcode(opcode);
    bth.SetPadCnt(static_cast<uint8_t>(pad));
    bth.SetDestQp(m_remoteQpn);
    bth.SetAckReq(ackReq);
    bth.SetPsn(static_cast<uint32_t>(m_txPsn & PSN_MASK));
    if (wqe.operation == RdmaOperation::WRITE && first)
    {
        IbRethHeader& reth = m_txHeader.GetReth();
        reth.SetVirtualAddress(wqe.remoteAddress);
        reth.SetRKey(wqe.rkey);
        reth.SetDmaLength(static_cast<uint32_t>(wqe.bytes));
    }
    if (last && wqe.withImmediate)
    {
        m_txHeader.SetImmediate(wqe.immediate);
    }
    Ptr<Packet> packet = Create<Packet>(payload + pad);
    packet->AddHeader(m_txHeader);

    if (first && !wqe.started)
    {
        wqe.started = true;
        m_firstPacketTrace(m_txSeq, now - wqe.posted);
    }
    const bool wasIdle = m_sentPsnEnd == m_unaPsn; // nothing unacknowledged before this one
    if (m_txPsn < m_sentPsnEnd)
    {
        ++m_packetsRetransmitted;
    }
    else
    {
        m_sentPsnEnd = m_txPsn + 1;
    }
    ++m_packetsSent;
    ++m_txPsn;
    m_txBytePos += payload;
    if (last)
    {
        ++m_txSeq;
    }
    m_txBytes += payload; // after the cursor: a TxBytes sink sees the packet in flight
    if (m_rateLimit.GetBitRate() != 0)
    {
        m_nextSendAt =
            std::max(now, m_nextSendAt) + m_rateLimit.CalculateBytesTxTime(packet->GetSize());
    }
    if (m_ccti > 0)
    {
        // Congestion control: the CCT's inter-packet delay after this packet's own wire time.
        const Time wire = m_device->GetDataRate().CalculateBytesTxTime(packet->GetSize());
        m_nextSendAt = std::max(m_nextSendAt, now + wire) + m_cct[m_ccti.Get()];
    }
    if (wasIdle)
    {
        RestartTimer(); // the first packet outstanding starts the timer
    }
    // Last: SendTo() may start the port at once, whose TxSpace callback re-enters the engine.
    if (!m_device->SendTo(packet, m_remoteAddress, m_sl, RdmaEngine::PROTOCOL_NUMBER))
    {
        // Cannot happen: the engine checked for room. Go-back-N would recover the packet.
        NS_LOG_WARN(Describe() << " port refused PSN " << ((m_txPsn - 1) & PSN_MASK));
    }
    return HasDataToSend();
}

void
RdmaQueuePair::PaceWake()
{
    NS_LOG_FUNCTION(this);
    if (m_engine && HasDataToSend())
    {
        m_engine->NotifyReady(this);
    }
}

void
RdmaQueuePair::Receive(Ptr<const Packet> packet, const RdmaTransportHeader& header, uint16_t src)
{
    NS_LOG_FUNCTION(this << packet << src);
    if (!m_connected)
    {
        Fail("received a packet from " + m_device->DescribeAddress(src) + " but is not connected");
    }
    if (src != m_remoteAddress)
    {
        Fail("received a packet from " + m_device->DescribeAddress(src) + " but is connected to " +
             m_device->DescribeAddress(m_remoteAddress));
    }
    const uint8_t opcode = header.GetBth().GetOpcode();
    if (opcode == ACKNOWLEDGE)
    {
        if (header.GetBth().GetBecn())
        {
            ReceiveBecn();
        }
        ReceiveAcknowledge(header);
    }
    else if (opcode <= LAST_REQUEST)
    {
        ReceiveRequest(packet, header, src);
    }
    else
    {
        Fail("received opcode " + IbOpcodeName(opcode) +
             ", which the transport does not handle (RC SEND, RDMA WRITE and ACKNOWLEDGE only)");
    }
}

void
RdmaQueuePair::ReceiveRequest(Ptr<const Packet> packet,
                              const RdmaTransportHeader& header,
                              uint16_t src)
{
    const IbBthHeader& bth = header.GetBth();
    const uint64_t psn = Unwrap(bth.GetPsn(), m_rxPsn);
    m_ackDestination = src;
    const uint32_t payload = packet->GetSize() - header.GetSerializedSize() - bth.GetPadCnt();
    const uint32_t immediate = header.HasImmediate() ? header.GetImmediate() : 0;
    const Time now = FabricSimulatorCache::Now();
    if (bth.GetFecn())
    {
        // A switch found congestion on the way: return BECN at once (on the next ACK).
        ++m_fecnReceived;
        m_becnPending = true;
    }
    if (psn == m_rxPsn)
    {
        // The expected packet: deliver it, then the early ones it was holding back.
        bool ackReq = bth.GetAckReq() || m_becnPending;
        m_completions.clear();
        Deliver(bth.GetOpcode(), payload, immediate, now);
        while (m_earlyCount > 0)
        {
            Early& early = m_early[m_rxPsn % m_early.size()];
            if (!early.present)
            {
                break;
            }
            early.present = false;
            --m_earlyCount;
            ackReq |= early.ackReq;
            Deliver(early.opcode, early.payload, early.immediate, early.arrival);
        }
        m_nakSent = false;
        if (m_control == Control::NAK)
        {
            m_control = Control::ACK; // the gap closed before the NAK left: an ACK says more
        }
        if (ackReq)
        {
            RequestControl(Control::ACK); // after Deliver(): its MSN counts these messages
        }
        for (const RdmaCompletion& completion : m_completions)
        {
            m_receivedTrace(completion.sequence,
                            completion.bytes,
                            completion.end - completion.start);
            if (!m_recvCompletion.IsNull())
            {
                m_recvCompletion(this, completion);
            }
        }
        return;
    }
    if (psn > m_rxPsn && psn - m_rxPsn < m_reorderWindow)
    {
        // Early: the fabric reordered (packets sprayed over several paths). Keep it until the
        // gap before it fills; its AckReq is answered then.
        if (m_early.empty())
        {
            m_early.resize(m_reorderWindow);
        }
        Early& early = m_early[psn % m_early.size()];
        if (early.present)
        {
            ++m_discarded; // a resent copy of one already kept
            return;
        }
        early.payload = payload;
        early.immediate = immediate;
        early.arrival = now;
        early.opcode = bth.GetOpcode();
        early.ackReq = bth.GetAckReq();
        early.present = true;
        ++m_earlyCount;
        ++m_reordered;
        return;
    }
    ++m_discarded;
    if (psn > m_rxPsn)
    {
        // A gap, beyond what reordering explains: something before this packet was lost. One
        // NAK per gap, then silence until the expected packet comes (IBA; as rxe's
        // sent_psn_nak).
        NS_LOG_LOGIC(Describe() << " PSN gap: got " << (psn & PSN_MASK) << ", expected "
                                << (m_rxPsn & PSN_MASK));
        if (!m_nakSent)
        {
            m_nakSent = true;
            RequestControl(Control::NAK);
        }
    }
    else if (bth.GetAckReq())
    {
        // A duplicate (the requester went back): acknowledge what we have.
        RequestControl(Control::ACK);
    }
}

void
RdmaQueuePair::Deliver(uint8_t opcode, uint32_t payload, uint32_t immediate, Time arrival)
{
    const bool write = opcode >= WRITE_BASE;
    const uint8_t kind = opcode - (write ? WRITE_BASE : SEND_BASE);
    const bool first = kind == FIRST || kind == ONLY || kind == ONLY_WITH_IMMEDIATE;
    NS_ASSERT_MSG(first != m_rxInMessage, Describe() << ": opcode out of sequence");
    if (first)
    {
        m_rxInMessage = true;
        m_rxMessageBytes = 0;
        m_rxMessageStart = arrival;
    }
    m_rxMessageBytes += payload;
    m_rxBytes += payload;
    ++m_rxPsn;
    if (kind >= LAST)
    {
        m_rxInMessage = false;
        RdmaCompletion completion;
        completion.sequence = m_rxSequence++; // the MSN of the next ACK counts it
        completion.operation = write ? RdmaOperation::WRITE : RdmaOperation::SEND;
        completion.bytes = m_rxMessageBytes;
        completion.withImmediate = kind == LAST_WITH_IMMEDIATE || kind == ONLY_WITH_IMMEDIATE;
        completion.immediate = immediate;
        completion.start = m_rxMessageStart;
        completion.end = FabricSimulatorCache::Now();
        m_completions.push_back(completion);
    }
}

void
RdmaQueuePair::RequestControl(Control what)
{
    if (what == Control::NAK || m_control == Control::NONE)
    {
        m_control = what;
    }
    m_engine->NotifyControl(this);
}

void
RdmaQueuePair::SendControl()
{
    NS_LOG_FUNCTION(this);
    if (m_control == Control::NONE)
    {
        return;
    }
    IbBthHeader& bth = m_ctrlHeader.GetBth();
    bth.SetOpcode(ACKNOWLEDGE);
    bth.SetDestQp(m_remoteQpn);
    const auto msn = static_cast<uint32_t>(m_rxSequence & PSN_MASK);
    if (m_control == Control::NAK)
    {
        // The PSN expected: the requester resends from there.
        bth.SetPsn(static_cast<uint32_t>(m_rxPsn & PSN_MASK));
        m_ctrlHeader.GetAeth() = IbAethHeader::MakeNak(IbAethHeader::NAK_PSN_SEQUENCE_ERROR, msn);
        ++m_naksSent;
    }
    else
    {
        // Coalesced: the latest PSN received in order covers every request since the last ACK.
        bth.SetPsn(static_cast<uint32_t>((m_rxPsn - 1) & PSN_MASK));
        m_ctrlHeader.GetAeth() = IbAethHeader::MakeAck(msn);
        ++m_acksSent;
    }
    m_control = Control::NONE;
    bth.SetBecn(m_becnPending); // BECN rides on the ACK, as for RC the IBA allows
    if (m_becnPending)
    {
        ++m_becnSent;
        m_becnPending = false;
    }
    Ptr<Packet> packet = Create<Packet>();
    packet->AddHeader(m_ctrlHeader);
    m_device->SendTo(packet, m_ackDestination, m_sl, RdmaEngine::PROTOCOL_NUMBER);
}

void
RdmaQueuePair::ReceiveAcknowledge(const RdmaTransportHeader& header)
{
    const IbAethHeader& aeth = header.GetAeth();
    const uint64_t psn = Unwrap(header.GetBth().GetPsn(), m_unaPsn);
    uint64_t una = 0;
    bool nak = false;
    if (aeth.IsAck())
    {
        una = psn + 1;
    }
    else if (aeth.IsNak() && aeth.GetNakCode() == IbAethHeader::NAK_PSN_SEQUENCE_ERROR)
    {
        una = psn;
        nak = true;
        ++m_naksReceived;
    }
    else
    {
        std::ostringstream os;
        os << "received an AETH with syndrome 0x" << std::hex << +aeth.GetSyndrome()
           << ", which the transport does not handle (ACK and PSN-sequence NAK only)";
        Fail(os.str());
    }
    if (una < m_unaPsn || una > m_sentPsnEnd)
    {
        NS_LOG_LOGIC(Describe() << " stale acknowledgement for PSN " << (psn & PSN_MASK));
        return;
    }
    if (una > m_unaPsn)
    {
        Acknowledge(una);
    }
    if (nak)
    {
        NS_LOG_LOGIC(Describe() << " NAK: going back to PSN " << (una & PSN_MASK));
        GoBackN();
    }
    if (m_engine && HasDataToSend())
    {
        m_engine->NotifyReady(this);
    }
}

void
RdmaQueuePair::Acknowledge(uint64_t una)
{
    // Positions first, so that completion callbacks see a consistent QP.
    size_t done = 0;
    while (done < m_sq.size() && m_sq[done].firstPsn + m_sq[done].packets <= una)
    {
        ++done;
    }
    m_unaPsn = una;
    m_unaBytePos = done < m_sq.size() ? BytePosition(m_sq[done], una) : m_postedBytes;
    if (m_txPsn < una)
    {
        // The cursor had gone back (timeout) and an ACK overtook it: skip what is acknowledged.
        m_txPsn = una;
        m_txSeq = m_sqBase + done;
        m_txBytePos = m_unaBytePos;
    }
    RestartTimer(); // progress: the timer counts from now
    const Time now = FabricSimulatorCache::Now();
    for (size_t i = 0; i < done; ++i)
    {
        const Wqe wqe = m_sq.front();
        m_sq.pop_front();
        const uint64_t sequence = m_sqBase++;
        ++m_completedMessages;
        m_completedBytes += wqe.bytes;
        m_completedTrace(sequence, wqe.bytes, now - wqe.posted);
        if (!m_sendCompletion.IsNull())
        {
            RdmaCompletion completion;
            completion.sequence = sequence;
            completion.operation = wqe.operation;
            completion.bytes = wqe.bytes;
            completion.withImmediate = wqe.withImmediate;
            completion.immediate = wqe.immediate;
            completion.start = wqe.posted;
            completion.end = now;
            m_sendCompletion(this, completion);
        }
    }
}

void
RdmaQueuePair::GoBackN()
{
    // The first packet resent asks for an ACK, so that resent duplicates are answered at once.
    m_ackReqNext = true;
    m_sinceAckReq = 0;
    if (m_txPsn == m_unaPsn)
    {
        return; // nothing sent since: resending starts there anyway
    }
    m_txPsn = m_unaPsn;
    m_txSeq = m_sqBase; // the oldest message not acknowledged holds the oldest PSN
    m_txBytePos = m_unaBytePos;
    m_retransmitTrace(static_cast<uint32_t>(m_unaPsn & PSN_MASK));
}

void
RdmaQueuePair::RestartTimer()
{
    if (!m_timeout.IsStrictlyPositive() || m_sentPsnEnd == m_unaPsn)
    {
        return; // nothing unacknowledged: a pending timer event will find that and stop
    }
    // Lazy: the deadline moves, the event stays; when it fires early it re-arms itself. One
    // event per QP at most, instead of a cancelled event per ACK left in the scheduler.
    m_timerDeadline = FabricSimulatorCache::Now() + m_timeout;
    if (!m_timerArmed)
    {
        m_timerArmed = true;
        m_timer = Simulator::Schedule(m_timeout, &RdmaQueuePair::Timeout, this);
    }
}

void
RdmaQueuePair::Timeout()
{
    NS_LOG_FUNCTION(this);
    m_timerArmed = false;
    if (m_sentPsnEnd == m_unaPsn)
    {
        return; // everything was acknowledged meanwhile
    }
    const Time now = FabricSimulatorCache::Now();
    if (now < m_timerDeadline)
    {
        // An ACK made progress since the event was scheduled: wait until the new deadline.
        m_timerArmed = true;
        m_timer = Simulator::Schedule(m_timerDeadline - now, &RdmaQueuePair::Timeout, this);
        return;
    }
    NS_LOG_LOGIC(Describe() << " retransmit timeout: going back to PSN " << (m_unaPsn & PSN_MASK));
    ++m_timeouts;
    GoBackN();
    RestartTimer();
    if (m_engine)
    {
        m_engine->NotifyReady(this);
    }
}

void
RdmaQueuePair::SetSendCompletionCallback(CompletionCallback cb)
{
    m_sendCompletion = cb;
}

void
RdmaQueuePair::SetReceiveCompletionCallback(CompletionCallback cb)
{
    m_recvCompletion = cb;
}

uint32_t
RdmaQueuePair::GetQpn() const
{
    return m_qpn;
}

uint32_t
RdmaQueuePair::GetInitialPsn() const
{
    return m_initialPsn;
}

Ptr<RdmaEngine>
RdmaQueuePair::GetEngine() const
{
    return m_engine;
}

Ptr<FabricNetDevice>
RdmaQueuePair::GetDevice() const
{
    return m_device;
}

uint16_t
RdmaQueuePair::GetRemoteAddress() const
{
    return m_remoteAddress;
}

uint32_t
RdmaQueuePair::GetRemoteQpn() const
{
    return m_remoteQpn;
}

uint32_t
RdmaQueuePair::GetPathMtu() const
{
    return m_mtu;
}

Time
RdmaQueuePair::GetRetransmitTimeout() const
{
    return m_timeout;
}

uint64_t
RdmaQueuePair::GetMessagesPosted() const
{
    return m_sqBase + m_sq.size();
}

uint64_t
RdmaQueuePair::GetMessagesCompleted() const
{
    return m_completedMessages;
}

uint64_t
RdmaQueuePair::GetMessagesReceived() const
{
    return m_rxSequence;
}

uint64_t
RdmaQueuePair::GetBytesPosted() const
{
    return m_postedBytes;
}

uint64_t
RdmaQueuePair::GetBytesCompleted() const
{
    return m_completedBytes;
}

uint64_t
RdmaQueuePair::GetBytesReceived() const
{
    return m_rxBytes;
}

uint64_t
RdmaQueuePair::GetBytesSent() const
{
    return m_txBytes;
}

uint64_t
RdmaQueuePair::GetPacketsSent() const
{
    return m_packetsSent;
}

uint64_t
RdmaQueuePair::GetPacketsRetransmitted() const
{
    return m_packetsRetransmitted;
}

uint64_t
RdmaQueuePair::GetTimeouts() const
{
    return m_timeouts;
}

uint64_t
RdmaQueuePair::GetAcksSent() const
{
    return m_acksSent;
}

uint64_t
RdmaQueuePair::GetNaksSent() const
{
    return m_naksSent;
}

uint64_t
RdmaQueuePair::GetNaksReceived() const
{
    return m_naksReceived;
}

uint64_t
RdmaQueuePair::GetPacketsDiscarded() const
{
    return m_discarded;
}

uint64_t
RdmaQueuePair::GetPacketsReordered() const
{
    return m_reordered;
}

void
RdmaQueuePair::BuildCct()
{
    m_cct.clear();
    if (!m_cctText.empty())
    {
        std::istringstream is(m_cctText);
        std::string item;
        while (std::getline(is, item, ','))
        {
            try
            {
                m_cct.push_back(NanoSeconds(std::stod(item)));
            }
            catch (const std::exception&)
            {
                Fail("CongestionControlTable entry '" + item + "' is not a number of ns");
            }
        }
        if (m_cct.size() < 2)
        {
            Fail("CongestionControlTable needs at least two entries");
        }
        m_cctiLimit = std::min<uint32_t>(m_cctiLimit, static_cast<uint32_t>(m_cct.size() - 1));
        return;
    }
    for (uint32_t i = 0; i <= m_cctiLimit; ++i)
    {
        m_cct.push_back(m_cctStep * i);
    }
}

void
RdmaQueuePair::ReceiveBecn()
{
    ++m_becnReceived;
    if (!m_ccEnabled)
    {
        return;
    }
    m_ccti = std::min<uint32_t>(m_ccti.Get() + m_cctiIncrease, m_cctiLimit);
    m_cctiMax = std::max<uint32_t>(m_cctiMax, m_ccti.Get());
    if (!m_cctiEvent.IsRunning())
    {
        m_cctiEvent = Simulator::Schedule(m_cctiTimer, &RdmaQueuePair::CctiTimerExpired, this);
    }
}

void
RdmaQueuePair::CctiTimerExpired()
{
    if (m_ccti > 0)
    {
        m_ccti = m_ccti.Get() - 1;
    }
    if (m_ccti > 0)
    {
        m_cctiEvent = Simulator::Schedule(m_cctiTimer, &RdmaQueuePair::CctiTimerExpired, this);
    }
}

uint64_t
RdmaQueuePair::GetFecnReceived() const
{
    return m_fecnReceived;
}

uint64_t
RdmaQueuePair::GetBecnSent() const
{
    return m_becnSent;
}

uint64_t
RdmaQueuePair::GetBecnReceived() const
{
    return m_becnReceived;
}

uint32_t
RdmaQueuePair::GetCctIndex() const
{
    return m_ccti.Get();
}

uint32_t
RdmaQueuePair::GetMaxCctIndex() const
{
    return m_cctiMax;
}

uint32_t
RdmaQueuePair::GetReorderWindow() const
{
    return m_reorderWindow;
}

uint64_t
RdmaQueuePair::GetInflightBytes() const
{
    return m_txBytePos - m_unaBytePos;
}

} // namespace ns3
