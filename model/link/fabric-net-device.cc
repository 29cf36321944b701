/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-net-device.h"

#include "fabric-buffer-reserve.h"
#include "fabric-channel.h"
#include "fabric-port-group.h"
#include "fabric-remote-header.h"
#include "fabric-simulator-cache.h"
#include "fabric-switch.h"

#include "ns3/boolean.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricNetDevice");

namespace
{

/// A 16-bit fabric address (LID, GPU id) as the Address type the NetDevice API passes.
Mac16Address
ToMac16(uint16_t value)
{
    uint8_t raw[2] = {static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value & 0xff)};
    Mac16Address address;
    address.CopyFrom(raw);
    return address;
}

/// The number inside a Mac16Address.
uint16_t
FromMac16(const Address& address)
{
    uint8_t raw[2];
    Mac16Address::ConvertFrom(address).CopyTo(raw);
    return static_cast<uint16_t>((raw[0] << 8) | raw[1]);
}

} // namespace

NS_OBJECT_ENSURE_REGISTERED(FabricNetDevice);

/// A port's next transmit decision (FabricNetDevice::TransmitNext), reused (FabricEventPool).
class FabricNetDevice::DecisionEvent : public EventImpl
{
  public:
    FabricNetDevice* m_device{nullptr}; //!< the port

  protected:
    void Notify() override
    {
        m_device->TransmitNext();
    }
};

/// A packet's arrival at the far end of a cable (FabricNetDevice::Receive), reused.
class FabricNetDevice::ArrivalEvent : public EventImpl
{
  public:
    FabricNetDevice* m_device{nullptr}; //!< the receiving port
    Ptr<Packet> m_packet;               //!< the packet (let go of when it is handed over)
    uint32_t m_bytes{0};                //!< its wire size
    uint16_t m_dst{0};                  //!< its destination address
    uint8_t m_sl{0};                    //!< its service level
    uint8_t m_vl{0};                    //!< the VL it crossed the cable on
    Time m_txTime;                      //!< its serialisation time

  protected:
    void Notify() override
    {
        // ns-3.37's Ptr has no move: hand the reference over by hand, so that the event
        // lets go of the packet now and the receiver is its only holder (an endpoint then
        // takes the framing off in place instead of copying the packet).
        Packet* packet = PeekPointer(m_packet);
        packet->Ref();
        m_packet = nullptr;
        m_device->Receive(Ptr<Packet>(packet, false), m_bytes, m_dst, m_sl, m_vl, m_txTime);
    }
};

TypeId
FabricNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("AiFabric")
            .AddAttribute("Mtu",
                          "Path MTU: the largest payload of one packet, in bytes, headers "
                          "excluded.",
                          UintegerValue(4096),
                          MakeUintegerAccessor(&FabricNetDevice::SetMtu, &FabricNetDevice::GetMtu),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("NumDataVls",
                          "Number of data virtual lanes (1-15).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&FabricNetDevice::SetNumDataVls,
                                               &FabricNetDevice::GetNumDataVls),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("SlToVlTable",
                          "Service level to VL map: 16 comma-separated VLs, entry i for SL i. "
                          "Empty: SL i -> VL (i mod NumDataVls).",
                          StringValue(""),
                          MakeStringAccessor(&FabricNetDevice::SetSlToVlTable,
                                             &FabricNetDevice::GetSlToVlTable),
                          MakeStringChecker())
            .AddAttribute("RxBufferSize",
                          "Input buffer per data VL, in bytes; advertised upstream as credits "
                          "of 64 bytes. Must hold at least one MTU-sized packet.",
                          UintegerValue(65536),
                          MakeUintegerAccessor(&FabricNetDevice::m_rxBufferBytes),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("TxQueueSize",
                          "Endpoint transmit queue per data VL, in packets; the upper layer "
                          "refills it from the TxSpace callback.",
                          UintegerValue(16),
                          MakeUintegerAccessor(&FabricNetDevice::m_txQueuePackets),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("FlowControl",
                          "Honour credit-based link-level flow control. Off, a full input "
                          "buffer drops packets (PhyRxDrop): only for studying loss.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FabricNetDevice::m_flowControl),
                          MakeBooleanChecker())
            .AddAttribute("VlArbiter",
                          "The output VL arbiter.",
                          PointerValue(),
                          MakePointerAccessor(&FabricNetDevice::m_arbiter),
                          MakePointerChecker<VlArbiter>())
            .AddTraceSource("MacTx",
                            "A packet accepted from the upper layer for transmission.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacTxDrop",
                            "A packet refused because its transmit queue was full.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_macTxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A packet delivered to the upper layer (framing removed).",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxBegin",
                            "A packet's first bit enters the cable.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_phyTxBeginTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxEnd",
                            "A packet's last bit enters the cable.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_phyTxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyRxEnd",
                            "A packet is received from the cable into the input buffer.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_phyRxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyRxDrop",
                            "A packet dropped because the input buffer was full (flow control "
                            "off).",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_phyRxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Sniffer",
                            "Every packet sent or received by an endpoint port, framing "
                            "included (for pcap).",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_snifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PromiscSniffer",
                            "Every packet sent or received by the port, switch ports included.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_promiscSnifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("CreditStall",
                            "A VL waited for credits with a packet ready; fired when the wait "
                            "ends, with the VL and the duration.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_creditStallTrace),
                            "ns3::FabricNetDevice::CreditStallTracedCallback")
            .AddTraceSource("BufferOccupancy",
                            "Bytes held in a VL's input buffer, after each change.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_bufferTrace),
                            "ns3::FabricNetDevice::BufferOccupancyTracedCallback")
            .AddTraceSource("RxCrcError",
                            "A packet failed its ICRC/VCRC (a bit error on the cable) and was "
                            "dropped at this port's input.",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_rxCrcErrorTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

FabricNetDevice::FabricNetDevice()
{
    NS_LOG_FUNCTION(this);
    m_slToVl.fill(0);
    // Once per process, at build time: packets' headers then go in place (see there).
    FabricBufferReserve::Reserve();
}

FabricNetDevice::~FabricNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
FabricNetDevice::DoInitialize()
{
    NS_LOG_FUNCTION(this);
    Setup();
    NetDevice::DoInitialize();
}

void
FabricNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_decisionPending)
    {
        m_txEvent->Cancel();
    }
    m_decisionPending = false;
    m_txEvent = nullptr;
    m_decisionEvents.Clear();
    m_arrivalEvents.Clear();
    m_node = nullptr;
    m_channel = nullptr;
    m_peer = nullptr;
    if (m_remote)
    {
        m_remote->Dispose();
        m_remote = nullptr;
    }
    m_switch = nullptr;
    m_group = nullptr;
    m_arbiter = nullptr;
    m_txQueues.clear();
    m_rxCallback.Nullify();
    m_promiscCallback.Nullify();
    m_txSpace.Clear();
    m_linkChangeCallbacks.clear();
    NetDevice::DoDispose();
}

std::string
FabricNetDevice::Describe() const
{
    std::ostringstream os;
    os << GetInstanceTypeId().GetName().substr(5) << " node " << (m_node ? m_node->GetId() : 0)
       << " device " << m_ifIndex;
    if (m_switch)
    {
        os << " (switch port " << m_switchPort << ")";
    }
    return os.str();
}

void
FabricNetDevice::SetSlToVlTable(std::string text)
{
    if (text.empty())
    {
        m_slToVlSet = false;
        return;
    }
    std::stringstream ss(text);
    std::string item;
    uint32_t sl = 0;
    while (std::getline(ss, item, ','))
    {
        unsigned long vl = 0;
        try
        {
            size_t used = 0;
            vl = std::stoul(item, &used);
            if (used != item.size() || item.find('-') != std::string::npos)
            {
                throw std::invalid_argument("trailing text"); // "3x" or "-1"
            }
        }
        catch (const std::exception&)
        {
            throw FabricConfigError("SlToVlTable",
                                    "entry " + std::to_string(sl) + " \"" + item +
                                        "\" is not a VL number");
        }
        if (sl >= 16 || vl > 15)
        {
            throw FabricConfigError("SlToVlTable", "needs 16 entries (one per SL), each a VL 0-15");
        }
        m_slToVl[sl++] = static_cast<uint8_t>(vl);
    }
    if (sl != 16)
    {
        throw FabricConfigError("SlToVlTable",
                                "has " + std::to_string(sl) + " entries; needs 16 (one per SL)");
    }
    m_slToVlSet = true;
}

std::string
FabricNetDevice::GetSlToVlTable() const
{
    if (!m_slToVlSet)
    {
        return "";
    }
    std::ostringstream os;
    for (uint32_t i = 0; i < 16; ++i)
    {
        os << (i ? "," : "") << +m_slToVl[i];
    }
    return os.str();
}

void
FabricNetDevice::CheckConfiguration()
{
    if (m_bps.GetBitRate() == 0)
    {
        throw FabricConfigError(Describe(), "DataRate is zero");
    }
    if (m_numVls < 1 || m_numVls > MAX_DATA_VLS)
    {
        throw FabricConfigError(Describe(),
                                "NumDataVls is " + std::to_string(m_numVls) +
                                    "; a port has 1 to 15 data VLs");
    }
    for (uint32_t sl = 0; sl < 16; ++sl)
    {
        if (m_slToVlSet && m_slToVl[sl] == 15)
        {
            continue; // SL mapped to VL15 is dropped, as in IBA; Send() refuses it
        }
        if (m_slToVlSet && m_slToVl[sl] >= m_numVls)
        {
            throw FabricConfigError(Describe(),
                                    "SlToVlTable maps SL " + std::to_string(sl) + " to VL " +
                                        std::to_string(m_slToVl[sl]) + " but NumDataVls is " +
                                        std::to_string(m_numVls));
        }
    }
}

void
FabricNetDevice::SetupLocal()
{
    if (m_localSetupDone)
    {
        return;
    }
    if (!m_slToVlSet)
    {
        for (uint32_t sl = 0; sl < 16; ++sl)
        {
            m_slToVl[sl] = static_cast<uint8_t>(sl % std::max<uint8_t>(m_numVls, 1));
        }
    }
    CheckConfiguration();
    if (!m_arbiter)
    {
        m_arbiter = CreateObject<VlArbiter>();
    }
    m_arbiter->Configure(m_numVls);
    m_txQueues.assign(m_numVls, std::deque<FabricFrame>());
    m_rxBuffer.Reset(m_numVls, m_rxBufferBytes / CreditFlowControl::BLOCK_BYTES);
    m_localSetupDone = true;
}

void
FabricNetDevice::Setup()
{
    if (m_setupDone)
    {
        return;
    }
    SetupLocal();
    if (!m_channel)
    {
        throw FabricConfigError(Describe(), "port is not attached to a channel");
    }
    Ptr<FabricNetDevice> peer = m_channel->GetPeer(this);
    if (!peer)
    {
        throw FabricConfigError(Describe(), "the other end of its cable has no port");
    }
    m_peer = PeekPointer(peer);
    m_peerNodeId = peer->GetNode()->GetId();
    m_delay = m_channel->GetDelay();
    // The peer's input buffer is our initial credit limit (the FCP "init" exchange of link
    // bring-up), so its own attributes must be settled first.
    peer->SetupLocal();
    if (peer->m_numVls != m_numVls)
    {
        throw FabricConfigError(Describe(),
                                "NumDataVls " + std::to_string(m_numVls) + " differs from " +
                                    std::to_string(peer->m_numVls) + " at the other end (" +
                                    peer->Describe() + ")");
    }
    CheckPeerBufferHoldsLargestPacket();
    m_credits.Reset(m_numVls, peer->m_rxBuffer.GetCapacityBlocks());
    m_fcpTxTime = m_bps.CalculateBytesTxTime(GetFlowControlPacketBytes());
    if (m_channel->GetBitErrorRate() > 0.0 || !m_channel->IsLinkUp())
    {
        m_faults = true;
    }
    m_setupDone = true;
}

void
FabricNetDevice::Attach(Ptr<FabricChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    channel->Attach(this); // throws on a refused attach: the port stays unconnected
    m_channel = channel;
}

void
FabricNetDevice::SetSwitch(Ptr<FabricSwitch> sw, uint16_t port)
{
    m_switch = sw;
    m_switchPort = port;
}

Ptr<FabricSwitch>
FabricNetDevice::GetSwitch() const
{
    return m_switch;
}

uint16_t
FabricNetDevice::GetSwitchPort() const
{
    return m_switchPort;
}

void
FabricNetDevice::SetNumDataVls(uint8_t numVls)
{
    if (m_localSetupDone && numVls != m_numVls)
    {
        throw FabricConfigError(Describe(), "NumDataVls cannot change once the port has started");
    }
    m_numVls = numVls;
}

uint8_t
FabricNetDevice::GetNumDataVls() const
{
    return m_numVls;
}

DataRate
FabricNetDevice::GetDataRate() const
{
    return m_bps;
}

void
FabricNetDevice::SetDataRate(DataRate rate)
{
    if (m_localSetupDone && rate.GetBitRate() == 0)
    {
        throw FabricConfigError(Describe(), "DataRate is zero");
    }
    m_bps = rate;
    m_lastTxBytes = 0; // forget the cached serialisation time
    // Computed again in Setup(), once the subclass can say how long its credit returns are.
    m_fcpTxTime = Time();
}

bool
FabricNetDevice::SendTo(Ptr<Packet> packet, uint16_t dst, uint8_t sl, uint16_t protocol)
{
    return DoSend(packet, dst, sl, protocol, true);
}

bool
FabricNetDevice::SendByThisPort(Ptr<Packet> packet, uint16_t dst, uint8_t sl, uint16_t protocol)
{
    return DoSend(packet, dst, sl, protocol, false);
}

bool
FabricNetDevice::DoSend(Ptr<Packet> packet, uint16_t dst, uint8_t sl, uint16_t protocol, bool spray)
{
    NS_LOG_FUNCTION(this << packet << dst << +sl << protocol << spray);
    Setup();
    if (m_switch)
    {
        throw FabricConfigError(Describe(), "a switch port cannot originate packets");
    }
    if (sl > 15)
    {
        throw FabricConfigError(Describe(),
                                "service level " + std::to_string(sl) +
                                    " does not exist (SLs are 0-15)");
    }
    const uint8_t vl = m_slToVl[sl];
    if (vl >= m_numVls)
    {
        throw FabricConfigError(Describe(),
                                "SL " + std::to_string(sl) + " maps to VL " + std::to_string(vl) +
                                    ", beyond the port's NumDataVls (" + std::to_string(m_numVls) +
                                    ")");
    }
    if ((spray ? GetTxQueueSpace(vl) : GetOwnTxQueueSpace(vl)) == 0)
    {
        m_macTxDropTrace(packet);
        return false;
    }
    AddFraming(packet, dst, sl, vl, protocol);
    m_macTxTrace(packet);
    FabricFrame frame;
    frame.bytes = GetWireBytes(packet);
    frame.blocks = CreditFlowControl::BlocksFor(frame.bytes);
    if (frame.blocks > m_credits.GetCreditLimit(vl) && m_flowControl)
    {
        throw FabricConfigError(Describe(),
                                "a " + std::to_string(frame.bytes) +
                                    "-byte packet can never fit the peer's "
                                    "RxBufferSize; make the buffer hold an MTU");
    }
    frame.packet = packet;
    frame.dst = dst;
    frame.sl = sl;
    frame.vl = vl;
    FabricNetDevice* port = m_group && spray ? m_group->PickPort(vl) : this;
    port->Enqueue(std::move(frame));
    return true;
}

void
FabricNetDevice::Enqueue(FabricFrame&& frame)
{
    Setup();
    const uint8_t vl = frame.vl;
    m_txQueues[vl].push_back(std::move(frame));
    ++m_txQueued;
    Wake();
}

uint32_t
FabricNetDevice::GetTxQueueSpace(uint8_t vl) const
{
    return m_group ? m_group->GetTxQueueSpace(vl) : GetOwnTxQueueSpace(vl);
}

uint32_t
FabricNetDevice::GetOwnTxQueueSpace(uint8_t vl) const
{
    if (vl >= m_txQueues.size())
    {
        return m_txQueuePackets;
    }
    return m_txQueuePackets - static_cast<uint32_t>(m_txQueues[vl].size());
}

void
FabricNetDevice::AddTxSpaceCallback(TxSpaceCallback cb)
{
    if (m_group)
    {
        m_group->AddTxSpaceCallback(cb);
        return;
    }
    m_txSpace.Add(cb);
}

void
FabricNetDevice::TxSpaceNotifier::Add(TxSpaceCallback cb)
{
    m_callbacks.push_back(cb);
}

void
FabricNetDevice::TxSpaceNotifier::Notify(Ptr<FabricNetDevice> port, uint8_t vl)
{
    const size_t n = m_callbacks.size();
    if (n == 0)
    {
        return;
    }
    const size_t first = m_first;
    m_first = (m_first + 1) % n;
    for (size_t i = 0; i < n; ++i)
    {
        m_callbacks[(first + i) % n](port, vl);
    }
}

const std::vector<FabricNetDevice::TxSpaceCallback>&
FabricNetDevice::TxSpaceNotifier::Get() const
{
    return m_callbacks;
}

void
FabricNetDevice::TxSpaceNotifier::Clear()
{
    m_callbacks.clear();
    m_first = 0;
}

void
FabricNetDevice::SetGroup(Ptr<FabricPortGroup> group)
{
    m_group = group;
    for (const auto& cb : m_txSpace.Get())
    {
        group->AddTxSpaceCallback(cb);
    }
    m_txSpace.Clear();
}

Ptr<FabricPortGroup>
FabricNetDevice::GetGroup() const
{
    return m_group;
}

void
FabricNetDevice::SetOwnReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

const FabricFrame*
FabricNetDevice::PeekFrame(uint8_t vl) const
{
    if (m_switch)
    {
        return m_switch->PeekEgress(m_switchPort, vl);
    }
    return m_txQueues[vl].empty() ? nullptr : &m_txQueues[vl].front();
}

FabricFrame
FabricNetDevice::DequeueFrame(uint8_t vl)
{
    if (m_switch)
    {
        return m_switch->DequeueEgress(m_switchPort, vl);
    }
    FabricFrame frame = std::move(m_txQueues[vl].front());
    m_txQueues[vl].pop_front();
    --m_txQueued;
    return frame;
}

bool
FabricNetDevice::HasWaitingFrame() const
{
    return m_switch ? m_switch->HasEgress(m_switchPort) : m_txQueued > 0;
}

void
FabricNetDevice::Wake()
{
    if (m_inTransmit)
    {
        return; // the decision on the stack will look again before it returns
    }
    const Time now = FabricSimulatorCache::Now();
    ScheduleDecision(std::max(now, m_wireFreeAt));
}

void
FabricNetDevice::ScheduleDecision(Time at)
{
    if (m_decisionPending)
    {
        if (m_decisionAt <= at)
        {
            return; // an earlier or equal decision is already due
        }
        m_txEvent->Cancel(); // e.g. a wait for credits, overtaken by a packet that can go now
        m_decisionPending = false;
    }
    const Time now = FabricSimulatorCache::Now();
    if (at <= now)
    {
        TransmitNext();
        return;
    }
    // Schedule() keeps the caller's context: an FCP's wake-up is filed from the peer's node.
    // Only log prefixes see the difference; the event runs this port's code at the right time.
    m_txEvent = m_decisionEvents.Take();
    m_txEvent->m_device = this;
    FabricSimulatorCache::Schedule(at - now, m_txEvent);
    m_decisionPending = true;
    m_decisionAt = at;
}

void
FabricNetDevice::TransmitNext()
{
    const Time now = FabricSimulatorCache::Now();
    m_decisionPending = false; // this is the decision (or any pending one was cancelled)
    m_inTransmit = true;
    if (!m_linkUp)
    {
        DrainWhileDown();
        m_inTransmit = false;
        return;
    }
    if (m_flowControl)
    {
        m_credits.ApplyArrived(now);
    }

    // Which VLs can send: a packet waiting, and credits for it.
    uint16_t waiting = 0;
    uint16_t eligible = 0;
    for (uint8_t vl = 0; vl < m_numVls; ++vl)
    {
        const FabricFrame* frame = PeekFrame(vl);
        if (frame == nullptr)
        {
            continue;
        }
        waiting |= (1u << vl);
        if (!m_flowControl || m_credits.CanSend(vl, frame->blocks))
        {
            eligible |= (1u << vl);
        }
    }

    // VLs with a packet but no credits are stalled from now until credits come.
    const uint16_t newlyStalled = waiting & ~eligible & ~m_stalledVls;
    if (newlyStalled)
    {
        for (uint8_t vl = 0; vl < m_numVls; ++vl)
        {
            if (newlyStalled & (1u << vl))
            {
                m_stallStart[vl] = now;
            }
        }
        m_stalledVls |= newlyStalled;
    }

    if (eligible == 0)
    {
        m_inTransmit = false;
        // Wait for the next FCP on its way; if none is, ReceiveFlowControl() will wake us.
        if (waiting && m_credits.HasUpdateInFlight())
        {
            ScheduleDecision(m_credits.NextUpdateArrival());
        }
        return;
    }

    const uint8_t vl = (m_numVls == 1) ? 0 : static_cast<uint8_t>(m_arbiter->Select(eligible));
    FabricFrame frame = DequeueFrame(vl);
    if (m_stalledVls & (1u << vl))
    {
        const Time stalled = now - m_stallStart[vl];
        m_stallTotal[vl] += stalled;
        m_stalledVls &= ~(1u << vl);
        if (!m_creditStallTrace.IsEmpty())
        {
            m_creditStallTrace(vl, stalled);
        }
    }
    m_credits.Consume(vl, frame.blocks);
    if (m_numVls > 1)
    {
        m_arbiter->Charge(vl, frame.bytes);
    }
    if (m_switch && frame.vl != vl)
    {
        RewriteVl(frame.packet, vl);
    }

    if (frame.bytes != m_lastTxBytes)
    {
        // Packets come mostly in one size (the MTU): keep the last serialisation time.
        m_lastTxBytes = frame.bytes;
        m_lastTxTime = m_bps.CalculateBytesTxTime(frame.bytes);
    }
    const Time txTime = m_lastTxTime;
    Time start = std::max(now, m_wireFreeAt); // FCPs may hold the wire a moment longer
    if (frame.tailReady > start + txTime)
    {
        start = frame.tailReady - txTime; // cut-through from a slower input: do not underrun
    }
    m_wireFreeAt = start + txTime;
    m_txBusy += txTime;
    ++m_txPackets;
    m_txBytes += frame.bytes;

    // Traces cost nothing without listeners: not even a Ptr copy.
    if (!m_phyTxBeginTrace.IsEmpty())
    {
        m_phyTxBeginTrace(frame.packet);
    }
    if (!m_promiscSnifferTrace.IsEmpty())
    {
        m_promiscSnifferTrace(frame.packet);
    }
    if (!m_switch && !m_snifferTrace.IsEmpty())
    {
        m_snifferTrace(frame.packet);
    }
    if (!m_phyTxEndTrace.IsEmpty())
    {
        Simulator::Schedule(m_wireFreeAt - now,
                            &FabricNetDevice::NotifyTxEnd,
                            this,
                            Ptr<const Packet>(frame.packet));
    }

    // Where the peer handles the packet: an endpoint once the last bit is in, a switch port
    // PortToPortLatency after the first (cut-through) or last (store-and-forward) bit.
    Time rxOffset = txTime;
    if (m_peer->m_switch)
    {
        rxOffset =
            m_peer->m_switch->GetLatency() + (m_peer->m_switch->IsCutThrough() ? Time() : txTime);
    }
    if (m_remote)
    {
        FabricRemoteHeader facts;
        facts.kind = FabricRemoteHeader::DATA;
        facts.vl = vl;
        facts.sl = frame.sl;
        facts.dst = frame.dst;
        facts.bytes = frame.bytes;
        facts.time = txTime;
        Ptr<Packet> message = frame.packet->Copy();
        message->AddHeader(facts);
        m_remote->Send(message, start + m_delay + rxOffset);
    }
    else
    {
        ArrivalEvent* arrival = m_arrivalEvents.Take();
        arrival->m_device = m_peer;
        arrival->m_packet = frame.packet;
        arrival->m_bytes = frame.bytes;
        arrival->m_dst = frame.dst;
        arrival->m_sl = frame.sl;
        arrival->m_vl = vl;
        arrival->m_txTime = txTime;
        // The simulator takes a reference of its own, the pool keeps its one.
        FabricSimulatorCache::ScheduleWithContext(m_peerNodeId,
                                                  start - now + m_delay + rxOffset,
                                                  arrival);
    }

    m_inTransmit = false;
    if (m_group)
    {
        m_group->NotifyTxSpace(this, vl); // may queue more through SendTo(), which calls Wake()
    }
    m_txSpace.Notify(this, vl);
    // The next decision is due when the wire frees, if anything is waiting by then.
    if (HasWaitingFrame())
    {
        ScheduleDecision(m_wireFreeAt);
    }
}

void
FabricNetDevice::NotifyTxEnd(Ptr<const Packet> packet)
{
    m_phyTxEndTrace(packet);
}

void
FabricNetDevice::Receive(Ptr<Packet> packet,
                         uint32_t bytes,
                         uint16_t dst,
                         uint8_t sl,
                         uint8_t vl,
                         Time txTime)
{
    NS_LOG_FUNCTION(this << packet << bytes << dst << +sl << +vl);
    if (m_faults && DropFaulty(packet, bytes, vl))
    {
        return;
    }
    const uint32_t blocks = CreditFlowControl::BlocksFor(bytes);
    if (!m_rxBuffer.Accept(vl, blocks))
    {
        NS_ASSERT_MSG(!m_peer->m_flowControl,
                      Describe() << ": input buffer overflow on VL " << +vl
                                 << " although the sender honours credits");
        ++m_rxDrops;
        m_phyRxDropTrace(packet);
        return;
    }
    ++m_rxPackets;
    m_rxBytes += bytes;
    if (!m_phyRxEndTrace.IsEmpty())
    {
        m_phyRxEndTrace(packet);
    }
    if (!m_promiscSnifferTrace.IsEmpty())
    {
        m_promiscSnifferTrace(packet);
    }

    if (m_switch)
    {
        if (!m_bufferTrace.IsEmpty())
        {
            m_bufferTrace(vl, m_rxBuffer.GetOccupiedBlocks(vl) * CreditFlowControl::BLOCK_BYTES);
        }
        FabricFrame frame;
        frame.packet = packet;
        frame.bytes = bytes;
        frame.blocks = blocks;
        frame.dst = dst;
        frame.sl = sl;
        frame.vl = vl;
        // Cut-through: the packet's tail is still arriving for txTime after its head.
        frame.tailReady =
            FabricSimulatorCache::Now() + (m_switch->IsCutThrough() ? txTime : Time());
        m_switch->Ingress(m_switchPort, std::move(frame));
        return;
    }

    if (dst != m_address)
    {
        // A real HCA discards it; here it can only be a routing or addressing mistake.
        throw FabricConfigError(Describe(),
                                "received a packet for " + DescribeAddress(dst) + " but it is " +
                                    DescribeAddress(m_address));
    }
    // An endpoint takes the packet out of its buffer at once and returns the credits.
    m_rxBuffer.Release(vl, blocks);
    SendFlowControl(vl);
    m_snifferTrace(packet);
    // Other holders of this packet (trace sinks upstream) must not see the framing vanish;
    // with none, the framing comes off the packet itself.
    Ptr<Packet> delivered = packet->GetReferenceCount() == 1 ? packet : packet->Copy();
    uint16_t protocol = 0;
    const uint16_t src = RemoveFraming(delivered, protocol);
    m_macRxTrace(delivered);
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this,
                          delivered,
                          protocol,
                          ToMac16(src),
                          ToMac16(m_address),
                          NetDevice::PACKET_HOST);
    }
    if (!m_rxCallback.IsNull())
    {
        m_rxCallback(this, delivered, protocol, ToMac16(src));
    }
}

void
FabricNetDevice::ReleaseRxBuffer(uint8_t vl, uint32_t blocks)
{
    m_rxBuffer.Release(vl, blocks);
    if (!m_bufferTrace.IsEmpty())
    {
        m_bufferTrace(vl, m_rxBuffer.GetOccupiedBlocks(vl) * CreditFlowControl::BLOCK_BYTES);
    }
    SendFlowControl(vl);
}

void
FabricNetDevice::SendFlowControl(uint8_t vl)
{
    if (!m_peer->m_flowControl)
    {
        return; // the sender ignores credits: nothing to tell it
    }
    // An FCP goes between data packets: after the packet on the wire now, ahead of the next.
    const Time now = FabricSimulatorCache::Now();
    const Time sendAt = std::max(now, m_wireFreeAt);
    m_wireFreeAt = sendAt + m_fcpTxTime;
    ++m_fcpPackets;
    if (m_remote)
    {
        // Known at the far end one cable delay from now, before its last bit lands.
        FabricRemoteHeader facts;
        facts.kind = FabricRemoteHeader::FLOW_CONTROL;
        facts.vl = vl;
        facts.time = m_wireFreeAt + m_delay;
        facts.limit = m_rxBuffer.GetCreditLimit(vl);
        Ptr<Packet> message = Create<Packet>();
        message->AddHeader(facts);
        m_remote->Send(message, now + m_delay);
        return;
    }
    m_peer->ReceiveFlowControl(m_wireFreeAt + m_delay, vl, m_rxBuffer.GetCreditLimit(vl));
}

void
FabricNetDevice::SetRemoteLink(Ptr<FabricRemoteLink> link)
{
    NS_LOG_FUNCTION(this << link);
    if (link)
    {
        link->Attach(this);
    }
    m_remote = link;
}

Ptr<FabricRemoteLink>
FabricNetDevice::GetRemoteLink() const
{
    return m_remote;
}

void
FabricNetDevice::ReceiveRemote(Ptr<Packet> message)
{
    FabricRemoteHeader facts;
    message->RemoveHeader(facts);
    if (facts.kind == FabricRemoteHeader::FLOW_CONTROL)
    {
        ReceiveFlowControl(facts.time, facts.vl, facts.limit);
        return;
    }
    Receive(message, facts.bytes, facts.dst, facts.sl, facts.vl, facts.time);
}

void
FabricNetDevice::ReceiveFlowControl(Time arrival, uint8_t vl, uint64_t limit)
{
    m_credits.AddUpdate(arrival, vl, limit);
    // Only a sender stalled on credits needs to be woken; others apply FCPs lazily.
    if ((m_stalledVls & (1u << vl)) && !m_inTransmit)
    {
        ScheduleDecision(std::max(arrival, m_wireFreeAt));
    }
}

void
FabricNetDevice::RewriteVl(Ptr<Packet> packet, uint8_t vl)
{
}

double
FabricNetDevice::GetPayloadEfficiency() const
{
    return 1.0;
}

uint32_t
FabricNetDevice::GetFlowControlPacketBytes() const
{
    return 6; // an InfiniBand flow-control packet (fact sheet §3)
}

uint32_t
FabricNetDevice::GetWireBytes(Ptr<const Packet> packet) const
{
    return packet->GetSize();
}

std::string
FabricNetDevice::DescribeAddress(uint16_t address) const
{
    return "address " + std::to_string(address);
}

uint32_t
FabricNetDevice::GetMaxPacketBytes() const
{
    return m_mtu;
}

Time
FabricNetDevice::GetCreditStallTime(uint8_t vl) const
{
    Time total = m_stallTotal[vl & 0x0F];
    if (m_stalledVls & (1u << vl))
    {
        total += FabricSimulatorCache::Now() - m_stallStart[vl];
    }
    return total;
}

Time
FabricNetDevice::GetCurrentCreditStall(uint8_t vl) const
{
    if (vl >= 16 || !(m_stalledVls & (1u << vl)))
    {
        return Time();
    }
    return FabricSimulatorCache::Now() - m_stallStart[vl];
}

bool
FabricNetDevice::HasWaitingPacket(uint8_t vl) const
{
    if (!m_localSetupDone || vl >= m_numVls)
    {
        return false;
    }
    return PeekFrame(vl) != nullptr;
}

Ptr<FabricNetDevice>
FabricNetDevice::GetPeerDevice() const
{
    return Ptr<FabricNetDevice>(m_peer);
}

uint32_t
FabricNetDevice::GetRxBufferBytes(uint8_t vl) const
{
    return m_rxBuffer.GetOccupiedBlocks(vl) * CreditFlowControl::BLOCK_BYTES;
}

uint64_t
FabricNetDevice::GetTxCredits(uint8_t vl) const
{
    if (!m_setupDone || vl >= m_numVls)
    {
        return 0;
    }
    return m_credits.GetEventualCreditLimit(vl) - m_credits.GetBlocksSent(vl);
}

uint32_t
FabricNetDevice::GetRxBufferCapacity() const
{
    return m_rxBuffer.GetCapacityBlocks();
}

uint64_t
FabricNetDevice::GetRxDropCount() const
{
    return m_rxDrops;
}

uint64_t
FabricNetDevice::GetTxPackets() const
{
    return m_txPackets;
}

uint64_t
FabricNetDevice::GetTxBytes() const
{
    return m_txBytes;
}

uint64_t
FabricNetDevice::GetRxPackets() const
{
    return m_rxPackets;
}

uint64_t
FabricNetDevice::GetRxBytes() const
{
    return m_rxBytes;
}

Time
FabricNetDevice::GetTxBusyTime() const
{
    return m_txBusy;
}

uint64_t
FabricNetDevice::GetFlowControlPackets() const
{
    return m_fcpPackets;
}

uint16_t
FabricNetDevice::GetLocalAddress() const
{
    return m_address;
}

void
FabricNetDevice::SetLocalAddress(uint16_t address)
{
    m_address = address;
}

void
FabricNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
FabricNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
FabricNetDevice::GetChannel() const
{
    return m_channel;
}

void
FabricNetDevice::SetAddress(Address address)
{
    m_address = FromMac16(address);
}

Address
FabricNetDevice::GetAddress() const
{
    return ToMac16(m_address);
}

bool
FabricNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    if (m_setupDone)
    {
        CheckPeerBufferHoldsLargestPacket(); // a port already connected, resized afterwards
    }
    return true;
}

void
FabricNetDevice::CheckPeerBufferHoldsLargestPacket() const
{
    const uint32_t largest = GetMaxPacketBytes();
    if (m_flowControl &&
        m_peer->m_rxBuffer.GetCapacityBlocks() < CreditFlowControl::BlocksFor(largest))
    {
        throw FabricConfigError(m_peer->Describe(),
                                "RxBufferSize " + std::to_string(m_peer->m_rxBufferBytes) +
                                    " B cannot hold one " + std::to_string(largest) +
                                    "-byte packet from " + Describe() +
                                    " (its Mtu plus headers): credits would never suffice");
    }
}

uint16_t
FabricNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
FabricNetDevice::IsLinkUp() const
{
    return m_channel != nullptr && m_linkUp;
}

void
FabricNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.push_back(callback);
}

bool
FabricNetDevice::IsBroadcast() const
{
    return false;
}

Address
FabricNetDevice::GetBroadcast() const
{
    return ToMac16(0xFFFF);
}

bool
FabricNetDevice::IsMulticast() const
{
    return false;
}

Address
FabricNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return ToMac16(0xFFFF);
}

Address
FabricNetDevice::GetMulticast(Ipv6Address addr) const
{
    return ToMac16(0xFFFF);
}

bool
FabricNetDevice::IsPointToPoint() const
{
    return true;
}

bool
FabricNetDevice::IsBridge() const
{
    return false;
}

bool
FabricNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return SendTo(packet, FromMac16(dest), 0, protocolNumber);
}

bool
FabricNetDevice::SendFrom(Ptr<Packet> packet,
                          const Address& source,
                          const Address& dest,
                          uint16_t protocolNumber)
{
    return false;
}

Ptr<Node>
FabricNetDevice::GetNode() const
{
    return m_node;
}

void
FabricNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
FabricNetDevice::NeedsArp() const
{
    return false;
}

void
FabricNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    if (m_group)
    {
        m_group->SetReceiveCallback(cb);
        return;
    }
    m_rxCallback = cb;
}

void
FabricNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
FabricNetDevice::SupportsSendFrom() const
{
    return false;
}

// Faults: off the hot path, which only tests m_faults (on arrival) and m_linkUp (on sending).

void
FabricNetDevice::EnableFaults()
{
    m_faults = true;
}

void
FabricNetDevice::SetLinkState(bool up)
{
    NS_LOG_FUNCTION(this << up);
    if (up == m_linkUp)
    {
        return;
    }
    m_faults = true;
    m_linkUp = up;
    if (!up)
    {
        // What is on the wire now arrives within a flight time and is lost with the cable: the
        // longest packet's serialisation, the cable and a switch's port-to-port latency.
        Time flight = m_delay + m_bps.CalculateBytesTxTime(GetMaxPacketBytes());
        if (m_switch)
        {
            flight += m_switch->GetLatency();
        }
        m_dropUntil = FabricSimulatorCache::Now() + flight;
    }
    for (const auto& cb : m_linkChangeCallbacks)
    {
        cb();
    }
    if (m_setupDone)
    {
        Wake(); // down: a switch port discards its waiting packets; up: resume sending
    }
}

bool
FabricNetDevice::DropFaulty(Ptr<Packet> packet, uint32_t bytes, uint8_t vl)
{
    const bool lost = !m_linkUp || FabricSimulatorCache::Now() <= m_dropUntil;
    const bool corrupted = !lost && m_channel->DrawCorrupted(bytes);
    if (!lost && !corrupted)
    {
        return false;
    }
    // The sender spent credits on it: give them back as if the packet had been taken in and
    // discarded, so that no credit leaks.
    const uint32_t blocks = CreditFlowControl::BlocksFor(bytes);
    if (m_rxBuffer.Accept(vl, blocks))
    {
        m_rxBuffer.Release(vl, blocks);
        SendFlowControl(vl);
    }
    if (corrupted)
    {
        ++m_crcErrors;
        NS_LOG_LOGIC(Describe() << ": CRC error on VL " << +vl << ", packet dropped");
        m_rxCrcErrorTrace(packet);
    }
    else
    {
        ++m_downDrops;
        NS_LOG_LOGIC(Describe() << ": packet lost with the cable");
    }
    m_phyRxDropTrace(packet);
    return true;
}

void
FabricNetDevice::DrainWhileDown()
{
    if (!m_switch || !m_localSetupDone)
    {
        return; // an endpoint keeps its queue until the cable is back
    }
    for (uint8_t vl = 0; vl < m_numVls; ++vl)
    {
        while (PeekFrame(vl) != nullptr)
        {
            FabricFrame frame = DequeueFrame(vl); // frees its input buffer, credits go back
            ++m_downDrops;
            m_macTxDropTrace(frame.packet);
        }
    }
    m_stalledVls = 0;
}

uint64_t
FabricNetDevice::GetRxCrcErrors() const
{
    return m_crcErrors;
}

uint64_t
FabricNetDevice::GetLinkDownDrops() const
{
    return m_downDrops;
}

} // namespace ns3
