/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_NET_DEVICE_H
#define FABRIC_NET_DEVICE_H

#include "credit-flow-control.h"
#include "fabric-event-pool.h"
#include "fabric-remote-link.h"
#include "vl-arbiter.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/mac16-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <array>
#include <deque>
#include <vector>

namespace ns3
{

class FabricChannel;
class FabricPortGroup;
class FabricSwitch;
class Node;

/**
 * \ingroup ai-fabric
 * \brief A packet on its way through the fabric, with what the hot path needs to know.
 *
 * The packet carries real serialised headers (for pcap and for the endpoints); the fields here
 * are the routing facts a switch reads from them, kept beside the packet so that no hop has to
 * deserialise a header to forward it.
 */
struct FabricFrame
{
    Ptr<Packet> packet;  //!< the packet, link header and trailer included
    uint32_t bytes{0};   //!< size on the wire
    uint32_t blocks{0};  //!< 64-byte credit blocks it takes
    uint16_t dst{0};     //!< destination address (IB DLID, NVLink GPU id)
    uint8_t sl{0};       //!< service level, fixed end to end
    uint8_t vl{0};       //!< VL on the link it last crossed
    uint16_t outPort{0}; //!< switch egress port, set on ingress
    uint8_t outVl{0};    //!< VL on the egress link, set on ingress
    Time tailReady;      //!< cut-through: earliest time its last bit may leave the switch
};

/**
 * \ingroup ai-fabric
 * \brief A port of a lossless fabric: the link-layer machinery shared by InfiniBand and NVLink.
 *
 * One port per cable end, on an endpoint (HCA, GPU link) or on a switch. It owns:
 * - a transmitter with per-VL sources (its own transmit queues on an endpoint, the switch's
 *   input buffers on a switch port), output VL arbitration (VlArbiter) and credit-based flow
 *   control (CreditSender): a packet leaves only when the receiver has advertised room;
 * - a receiver with per-VL input buffers (CreditReceiver) that returns credits in
 *   flow-control packets (FCPs) on the reverse direction of the same cable, where they take
 *   wire time and propagation delay.
 *
 * Costs on the hot path: one simulator event per packet-hop (its arrival), plus one per packet
 * for the next transmit decision only while packets wait behind it. FCPs are applied lazily by
 * the sender (no event unless it is stalled on them), packets are never copied per hop, and
 * headers are not rebuilt where their bytes do not change.
 *
 * Subclasses give the link its framing (headers added on an endpoint, removed on delivery)
 * and its address meaning: IbNetDevice (LIDs), NvlinkNetDevice (GPU ids).
 */
class FabricNetDevice : public NetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// The most data VLs a port can have (VL0-VL14; VL15 is management).
    static constexpr uint8_t MAX_DATA_VLS = 15;

    FabricNetDevice();
    ~FabricNetDevice() override;

    FabricNetDevice(const FabricNetDevice&) = delete;
    FabricNetDevice& operator=(const FabricNetDevice&) = delete;

    /**
     * \brief Connect the port to a cable.
     * \param channel the cable
     */
    void Attach(Ptr<FabricChannel> channel);

    /**
     * \brief Make this port a port of a switch: received packets go to the switch's crossbar
     * and the transmitter takes its packets from the switch.
     * \param sw the switch
     * \param port this port's index on the switch
     */
    void SetSwitch(Ptr<FabricSwitch> sw, uint16_t port);

    /** \return the switch this port belongs to, or nullptr on an endpoint */
    Ptr<FabricSwitch> GetSwitch() const;

    /** \return this port's index on its switch */
    uint16_t GetSwitchPort() const;

    /**
     * \brief Send a packet from an endpoint with an explicit service level.
     * \param packet the packet, upper-layer headers included
     * \param dst destination address (LID, GPU id)
     * \param sl service level (0-15): selects the VL through the SL-to-VL table
     * \param protocol the upper layer's protocol number, passed to the framing
     * \return false if the transmit queue of the VL is full (the packet is dropped, MacTxDrop)
     */
    bool SendTo(Ptr<Packet> packet, uint16_t dst, uint8_t sl, uint16_t protocol);

    /**
     * \brief Like SendTo(), but by this port itself even when it belongs to a group: for
     * traffic that must reach the switch at the other end of this very link (NVLS requests
     * to one NVSwitch of a board).
     * \param packet the packet, upper-layer headers included
     * \param dst destination address
     * \param sl service level
     * \param protocol the upper layer's protocol number
     * \return false if this port's transmit queue of the VL is full (MacTxDrop)
     */
    bool SendByThisPort(Ptr<Packet> packet, uint16_t dst, uint8_t sl, uint16_t protocol);

    /**
     * \param vl a data VL
     * \return room left for packets on the VL: in this port's transmit queue, or, for a port
     * of a FabricPortGroup, in the group's next port
     */
    uint32_t GetTxQueueSpace(uint8_t vl) const;

    /**
     * \param vl a data VL
     * \return room left in this port's own transmit queue, in packets
     */
    uint32_t GetOwnTxQueueSpace(uint8_t vl) const;

    /**
     * \brief Make this endpoint port a member of a group of ports acting as one (a GPU's NVLink
     * links): packets sent through it are spread over the group. Called by
     * FabricPortGroup::AddPort().
     * \param group the group
     */
    void SetGroup(Ptr<FabricPortGroup> group);

    /** \return the port's group, or nullptr */
    Ptr<FabricPortGroup> GetGroup() const;

    /**
     * \brief Set the receive callback of this port alone (a group sets all its members').
     * \param cb the callback
     */
    void SetOwnReceiveCallback(NetDevice::ReceiveCallback cb);

    /**
     * \brief Callback invoked when a transmit queue slot frees, so the upper layer can refill.
     */
    typedef Callback<void, Ptr<FabricNetDevice>, uint8_t> TxSpaceCallback;

    /**
     * \brief The upper-layer users of a port waiting for transmit-queue room, served fairly:
     * each notification starts with the next user, so none of them monopolises the queue.
     */
    class TxSpaceNotifier
    {
      public:
        /** \param cb one more user */
        void Add(TxSpaceCallback cb);

        /**
         * \brief Tell every user, starting with the next in turn.
         * \param port the port that has room
         * \param vl the VL that has room
         */
        void Notify(Ptr<FabricNetDevice> port, uint8_t vl);

        /** \return the users, in the order they were added */
        const std::vector<TxSpaceCallback>& Get() const;

        /** \brief Forget every user. */
        void Clear();

      private:
        std::vector<TxSpaceCallback> m_callbacks; //!< users
        size_t m_first{0};                        //!< who is served first next time
    };

    /**
     * \param cb called with (device, VL) each time a packet leaves a transmit queue; several
     * upper-layer users of one port may each add theirs
     */
    void AddTxSpaceCallback(TxSpaceCallback cb);

    /**
     * \param sl a service level
     * \return the VL it maps to on this port
     */
    uint8_t MapSlToVl(uint8_t sl) const
    {
        return m_slToVl[sl & 0x0F];
    }

    /** \return the number of data VLs */
    uint8_t GetNumDataVls() const;

    /**
     * \param numVls the number of data VLs (1-15); fixed once the port has started
     */
    void SetNumDataVls(uint8_t numVls);

    /** \return the port's data rate */
    DataRate GetDataRate() const;

    /**
     * \brief Set the port's data rate. Subclasses derive it from their link attributes
     * (IbNetDevice: LinkSpeed x LinkWidth); a call after them overrides it.
     * \param rate the rate after line encoding
     */
    void SetDataRate(DataRate rate);

    /**
     * \brief Receive a packet from the cable (scheduled by the peer's transmitter).
     * \param packet the packet
     * \param bytes its size on the wire
     * \param dst its destination address
     * \param sl its service level
     * \param vl the VL it crossed the cable on
     * \param txTime its serialisation time on the cable
     */
    void Receive(Ptr<Packet> packet,
                 uint32_t bytes,
                 uint16_t dst,
                 uint8_t sl,
                 uint8_t vl,
                 Time txTime);

    /**
     * \brief The switch has moved a packet out of this port's input buffer: free its blocks
     * and return the credits upstream.
     * \param vl the input VL
     * \param blocks the packet's blocks
     */
    void ReleaseRxBuffer(uint8_t vl, uint32_t blocks);

    /**
     * \brief Something to send may have become ready: start the transmitter if it is idle.
     */
    void Wake();

    /**
     * \brief The peer's receiver sent an FCP that arrives at the given time.
     * \param arrival arrival time of its last bit
     * \param vl the VL it refers to
     * \param limit the FCCL it carries
     */
    void ReceiveFlowControl(Time arrival, uint8_t vl, uint64_t limit);

    /**
     * \param vl a data VL
     * \return total time the VL spent waiting for credits while it had a packet to send
     */
    Time GetCreditStallTime(uint8_t vl) const;

    /**
     * \param vl a data VL
     * \return true while the VL has a packet ready and waits for credits
     */
    bool IsCreditStalled(uint8_t vl) const
    {
        return (m_stalledVls >> vl) & 1u;
    }

    /**
     * \param vl a data VL
     * \return bytes now held in the VL's input buffer
     */
    uint32_t GetRxBufferBytes(uint8_t vl) const;

    /**
     * \param vl a data VL
     * \return the credits, in 64-byte blocks, this port may still use on the VL once every
     * flow-control packet now on its way back has arrived (FCCL - FCTBS); 0 before Setup().
     * On a quiet link it equals the peer's GetRxBufferCapacity(): a smaller value is a leaked
     * credit (conservation checks read it)
     */
    uint64_t GetTxCredits(uint8_t vl) const;

    /** \return the size of each VL's input buffer, in 64-byte credit blocks (0 before setup) */
    uint32_t GetRxBufferCapacity() const;

    /**
     * \param vl a data VL
     * \return how long the VL has been waiting for credits with a packet ready, without a
     * pause; zero when it is not waiting (FabricDeadlockWatchdog reads it)
     */
    Time GetCurrentCreditStall(uint8_t vl) const;

    /**
     * \param vl a data VL
     * \return true if a packet waits to leave this port on the VL
     */
    bool HasWaitingPacket(uint8_t vl) const;

    /** \return the port at the other end of the cable, or nullptr before the first packet */
    Ptr<FabricNetDevice> GetPeerDevice() const;

    /**
     * \brief Reach the far end of the cable through a remote link from now on: every packet
     * and FCP this port sends becomes a message (FabricRemoteLink) instead of a call on the
     * peer. For a cable whose far end another MPI process simulates (FabricPartitionHelper).
     * \param link the link (attached to this port here); nullptr returns to the local path
     */
    void SetRemoteLink(Ptr<FabricRemoteLink> link);

    /** \return the remote link, or nullptr on the local path */
    Ptr<FabricRemoteLink> GetRemoteLink() const;

    /**
     * \brief Handle a message from the far end's remote link (FabricRemoteHeader on top): a
     * packet's arrival or an FCP, at the time the local path would have handled it.
     * \param message the message
     */
    void ReceiveRemote(Ptr<Packet> message);

    /**
     * \brief The cable went down or came up; called by FabricChannel::SetLinkUp(). Down, the
     * port sends nothing, drops what arrives (packets that were on the wire) and, on a switch,
     * discards the packets waiting for it (MacTxDrop); an endpoint keeps its queue for later.
     * \param up the new state
     */
    void SetLinkState(bool up);

    /**
     * \brief Turn on the per-packet fault checks (link state, bit errors); the channel calls
     * it when it gets a bit-error rate or changes state. A healthy port never pays for them.
     */
    void EnableFaults();

    /** \return packets dropped at this port's input because their ICRC/VCRC failed */
    uint64_t GetRxCrcErrors() const;

    /**
     * \return packets lost to the cable being down: on the wire when it failed, or waiting at
     * this switch port
     */
    uint64_t GetLinkDownDrops() const;

    /** \return packets dropped at this port's input (only possible with flow control off) */
    uint64_t GetRxDropCount() const;
    /** \return packets sent on the cable */
    uint64_t GetTxPackets() const;
    /** \return bytes sent on the cable (data packets, link headers included) */
    uint64_t GetTxBytes() const;
    /** \return packets received from the cable (dropped ones excluded) */
    uint64_t GetRxPackets() const;
    /** \return bytes received from the cable (dropped ones excluded) */
    uint64_t GetRxBytes() const;
    /** \return total time the transmitter spent sending data packets */
    Time GetTxBusyTime() const;
    /** \return flow-control packets sent */
    uint64_t GetFlowControlPackets() const;

    /**
     * TracedCallback signature for credit stalls.
     * \param vl the VL that waited
     * \param duration how long it waited for credits with a packet ready
     */
    typedef void (*CreditStallTracedCallback)(uint8_t vl, Time duration);

    /**
     * TracedCallback signature for input-buffer occupancy.
     * \param vl the VL
     * \param bytes bytes held after the change
     */
    typedef void (*BufferOccupancyTracedCallback)(uint8_t vl, uint32_t bytes);

    // NetDevice interface
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsPointToPoint() const override;
    bool IsBridge() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

    /** \return the port's own address (LID or GPU id) as a number */
    uint16_t GetLocalAddress() const;

    /**
     * \brief Set the port's own address.
     * \param address LID or GPU id
     */
    void SetLocalAddress(uint16_t address);

    /** \return a short name for error messages: node, device index, switch port */
    std::string Describe() const;

    /**
     * \param address a fabric address
     * \return how it reads to a user ("LID 5", "GPU 3")
     */
    virtual std::string DescribeAddress(uint16_t address) const;

  protected:
    void DoInitialize() override;
    void DoDispose() override;

    /**
     * \brief Add the link's framing to a packet an endpoint is about to queue.
     * \param packet the packet
     * \param dst destination address
     * \param sl service level
     * \param vl VL of the first link
     * \param protocol upper-layer protocol number
     */
    virtual void AddFraming(Ptr<Packet> packet,
                            uint16_t dst,
                            uint8_t sl,
                            uint8_t vl,
                            uint16_t protocol) = 0;

    /**
     * \brief Remove the link's framing from a packet delivered to an endpoint.
     * \param packet the packet
     * \param protocol set to the upper-layer protocol number
     * \return the source address
     */
    virtual uint16_t RemoveFraming(Ptr<Packet> packet, uint16_t& protocol) = 0;

    /**
     * \brief A switch sends a packet on another VL than it arrived on: rewrite the link header.
     * \param packet the packet
     * \param vl the new VL
     */
    virtual void RewriteVl(Ptr<Packet> packet, uint8_t vl);

    /**
     * \return the largest packet this port may send: its Mtu plus the most header and trailer
     * bytes its framing can add. The peer's input buffer must hold one.
     */
    virtual uint32_t GetMaxPacketBytes() const;

    /**
     * \param packet a framed packet
     * \return its size on the wire, which sets its serialisation time and credits: the
     * packet's size unless the framing stands for bytes it does not carry
     */
    virtual uint32_t GetWireBytes(Ptr<const Packet> packet) const;

    /**
     * \return the wire bytes one credit return takes on the reverse link: 6 for an InfiniBand
     * flow-control packet; 0 where credits ride in headers the link sends anyway
     */
    virtual uint32_t GetFlowControlPacketBytes() const;

  public:
    /**
     * \return the share of the data rate left for payload with full-size packets: Mtu over Mtu
     * plus the per-packet framing and transport headers (for the analytical model)
     */
    virtual double GetPayloadEfficiency() const;

  protected:
    /**
     * \brief Check the attributes; called once before the first packet. Throws
     * FabricConfigError on a bad value.
     */
    virtual void CheckConfiguration();

  private:
    /**
     * \brief Decide and start the next transmission; the wire is free (or frees now).
     */
    void TransmitNext();

    /**
     * \brief Have a transmit decision taken at a given time (now: at once), unless one is
     * already due no later.
     * \param at when
     */
    void ScheduleDecision(Time at);

    /**
     * \param vl a data VL
     * \return the next packet waiting for the VL, or nullptr
     */
    const FabricFrame* PeekFrame(uint8_t vl) const;

    /**
     * \param vl a data VL with a waiting packet
     * \return the packet, removed from its queue
     */
    FabricFrame DequeueFrame(uint8_t vl);

    /**
     * \brief Queue a framed packet on this port and start the transmitter.
     * \param frame the packet
     */
    void Enqueue(FabricFrame&& frame);

    /** \return true if any VL has a packet waiting */
    bool HasWaitingFrame() const;

    /**
     * \brief Return credits upstream: an FCP on this port's wire.
     * \param vl the VL whose buffer freed
     */
    void SendFlowControl(uint8_t vl);

    /**
     * \brief SendTo() and SendByThisPort().
     * \param packet the packet
     * \param dst destination address
     * \param sl service level
     * \param protocol protocol number
     * \param spray true to let the port's group pick the port
     * \return false if the transmit queue is full
     */
    bool DoSend(Ptr<Packet> packet, uint16_t dst, uint8_t sl, uint16_t protocol, bool spray);

    /**
     * \brief The fault checks on arrival, off the hot path: a packet arriving while the cable
     * is down (or sent before it went down), or failing its CRC, is dropped; its credits go
     * back upstream as if it had been taken and discarded.
     * \param packet the packet
     * \param bytes its size on the wire
     * \param vl its VL
     * \return true if dropped
     */
    bool DropFaulty(Ptr<Packet> packet, uint32_t bytes, uint8_t vl);

    /** \brief The cable is down: a switch port discards what waits for it. */
    void DrainWhileDown();

    /** \brief Fire PhyTxEnd for a packet whose last bit has left. */
    void NotifyTxEnd(Ptr<const Packet> packet);

    /** \brief Check attributes, build queues, buffers and arbiter; done once. */
    void SetupLocal();

    /** \brief SetupLocal(), then resolve peer, delay and credit state; done once. */
    void Setup();

    /**
     * \brief Throw unless the peer's input buffer holds one largest packet of ours (credits
     * would never suffice): at setup, and again when a connected port's Mtu changes.
     */
    void CheckPeerBufferHoldsLargestPacket() const;

    /**
     * \param text SL-to-VL table, 16 comma-separated VLs
     */
    void SetSlToVlTable(std::string text);
    /** \return the SL-to-VL table as text */
    std::string GetSlToVlTable() const;

    Ptr<Node> m_node;                 //!< the node the port is on
    Ptr<FabricChannel> m_channel;     //!< the cable
    FabricNetDevice* m_peer{nullptr}; //!< the other end, cached for the hot path
    Ptr<FabricRemoteLink> m_remote;   //!< the way to the other end if it is simulated elsewhere
    uint32_t m_peerNodeId{0};         //!< the other end's node id (event context)
    Time m_delay;                     //!< cable delay, cached
    uint32_t m_ifIndex{0};            //!< interface index on the node
    uint16_t m_address{0};            //!< LID or GPU id
    uint16_t m_mtu;                   //!< path MTU, payload bytes
    DataRate m_bps;                   //!< data rate after encoding
    uint8_t m_numVls;                 //!< data VLs
    uint32_t m_rxBufferBytes;         //!< input buffer per VL
    uint32_t m_txQueuePackets;        //!< endpoint transmit queue per VL
    bool m_flowControl;               //!< credits honoured
    std::array<uint8_t, 16> m_slToVl; //!< SL-to-VL table
    bool m_slToVlSet{false};          //!< table set by the user
    Ptr<VlArbiter> m_arbiter;         //!< output VL arbitration
    bool m_localSetupDone{false};     //!< SetupLocal() ran
    bool m_setupDone{false};          //!< Setup() ran

    Ptr<FabricSwitch> m_switch;   //!< owning switch, if a switch port
    Ptr<FabricPortGroup> m_group; //!< group of ports acting as one, if any
    uint16_t m_switchPort{0};     //!< index on the switch

    std::vector<std::deque<FabricFrame>> m_txQueues; //!< endpoint transmit queues per VL
    uint32_t m_txQueued{0};                          //!< packets in all transmit queues
    CreditSender m_credits;                          //!< sender-side credit state
    CreditReceiver m_rxBuffer;                       //!< input buffers
    Time m_wireFreeAt; //!< when the wire finishes what it has committed
    Time m_fcpTxTime;  //!< serialisation of one 6-byte FCP
    class DecisionEvent;
    class ArrivalEvent;
    FabricEventPool<DecisionEvent> m_decisionEvents; //!< transmit decisions, reused
    FabricEventPool<ArrivalEvent> m_arrivalEvents;   //!< arrivals at the peer, reused
    DecisionEvent* m_txEvent{nullptr}; //!< next transmit decision, when m_decisionPending
    bool m_decisionPending{false};     //!< m_txEvent is scheduled
    Time m_decisionAt;                 //!< when m_txEvent is due
    uint32_t m_lastTxBytes{0};         //!< size of the last packet sent
    Time m_lastTxTime;                 //!< its serialisation time
    bool m_inTransmit{false};          //!< TransmitNext() is on the stack
    uint16_t m_stalledVls{0};          //!< VLs waiting for credits with a packet ready
    std::array<Time, 16> m_stallStart; //!< when each stalled VL began waiting
    std::array<Time, 16> m_stallTotal; //!< accumulated stall per VL

    uint64_t m_txPackets{0};  //!< packets sent
    uint64_t m_txBytes{0};    //!< bytes sent
    uint64_t m_rxPackets{0};  //!< packets received
    uint64_t m_rxBytes{0};    //!< bytes received
    uint64_t m_rxDrops{0};    //!< packets dropped at the input
    uint64_t m_fcpPackets{0}; //!< FCPs sent
    bool m_faults{false};     //!< fault checks on (EnableFaults())
    bool m_linkUp{true};      //!< the cable is up
    Time m_dropUntil;         //!< arrivals until then left before the cable went down
    uint64_t m_crcErrors{0};  //!< packets dropped for a bad CRC
    uint64_t m_downDrops{0};  //!< packets lost to the cable being down
    std::vector<Callback<void>> m_linkChangeCallbacks; //!< NetDevice link change users
    Time m_txBusy;                                     //!< time spent sending data

    NetDevice::ReceiveCallback m_rxCallback;             //!< upper layer
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< promiscuous upper layer
    TxSpaceNotifier m_txSpace;                           //!< transmit-queue refill

    TracedCallback<Ptr<const Packet>> m_macTxTrace;          //!< MacTx
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;      //!< MacTxDrop
    TracedCallback<Ptr<const Packet>> m_macRxTrace;          //!< MacRx
    TracedCallback<Ptr<const Packet>> m_phyTxBeginTrace;     //!< PhyTxBegin
    TracedCallback<Ptr<const Packet>> m_phyTxEndTrace;       //!< PhyTxEnd
    TracedCallback<Ptr<const Packet>> m_phyRxEndTrace;       //!< PhyRxEnd
    TracedCallback<Ptr<const Packet>> m_phyRxDropTrace;      //!< PhyRxDrop
    TracedCallback<Ptr<const Packet>> m_snifferTrace;        //!< Sniffer
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace; //!< PromiscSniffer
    TracedCallback<uint8_t, Time> m_creditStallTrace;        //!< CreditStall
    TracedCallback<uint8_t, uint32_t> m_bufferTrace;         //!< BufferOccupancy
    TracedCallback<Ptr<const Packet>> m_rxCrcErrorTrace;     //!< RxCrcError
};

} // namespace ns3

#endif /* FABRIC_NET_DEVICE_H */
