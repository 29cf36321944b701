/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_QUEUE_PAIR_H
#define RDMA_QUEUE_PAIR_H

#include "rdma-transport-header.h"

#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <deque>
#include <string>
#include <vector>

namespace ns3
{

class RdmaEngine;
class FabricNetDevice;

/**
 * \ingroup ai-fabric
 * \brief The operations a queue pair can post.
 */
enum class RdmaOperation : uint8_t
{
    SEND,  //!< SEND: the responder consumes a receive buffer
    WRITE, //!< RDMA WRITE: the data lands at a remote address given in the RETH
};

/**
 * \ingroup ai-fabric
 * \brief One unit of work posted to a queue pair (what ibv_post_send takes, minus the
 * scatter-gather list: the simulation moves sizes, not data).
 */
struct RdmaWorkRequest
{
    RdmaOperation operation{RdmaOperation::WRITE}; //!< SEND or RDMA WRITE
    uint64_t bytes{0};                             //!< message size, 0 to 2^31 bytes
    bool withImmediate{false};                     //!< carry 4 bytes of immediate data
    uint32_t immediate{0};                         //!< the immediate data
    uint64_t remoteAddress{0};                     //!< RDMA WRITE: virtual address (RETH)
    uint32_t rkey{0};                              //!< RDMA WRITE: remote key (RETH)
};

/**
 * \ingroup ai-fabric
 * \brief What a completion reports, at the requester (the ACK covering the message's last
 * packet arrived) or at the responder (the message's last packet arrived in order).
 */
struct RdmaCompletion
{
    uint64_t sequence{0};                          //!< the message's number on its QP, from 0
    RdmaOperation operation{RdmaOperation::WRITE}; //!< SEND or RDMA WRITE
    uint64_t bytes{0};                             //!< message size
    bool withImmediate{false};                     //!< immediate data came with it
    uint32_t immediate{0};                         //!< the immediate data
    Time start; //!< requester: when posted; responder: when its first packet arrived
    Time end;   //!< when it completed (now)
};

/**
 * \ingroup ai-fabric
 * \brief A reliable-connected queue pair, in the manner of InfiniBand RC verbs.
 *
 * Both ends of a connection are RdmaQueuePair objects on the RdmaEngine of their nodes; each
 * end is a requester for the work posted on it and the responder for the work posted at the
 * other end. Work is posted with Post() (SEND or RDMA WRITE, with or without immediate data,
 * any size up to the IBA's 2^31 bytes) and completes in order.
 *
 * Requester: a message is cut into path-MTU packets with the RC opcodes FIRST / MIDDLE / LAST
 * (ONLY for a one-packet message; a RETH on the first packet of an RDMA WRITE; ImmDt on the
 * last with immediate), consecutive 24-bit PSNs (wrapping), and the AckReq bit on the last
 * packet of every message, every AckRequestInterval packets, on the packet that fills the
 * InflightWindow and on the first packet of a retransmission. The engine takes one packet at a
 * time from each ready QP in turn. The requester completes a message when an ACK covers its
 * last PSN. An optional RateLimit paces the QP's packets.
 *
 * Responder: delivers packets in PSN order, completes a message on its last packet, and
 * acknowledges each packet that asks for it. ACKs are coalesced: while one waits for the port
 * the next request only moves its PSN forward. The ACK goes to the source address of the
 * packets (the requester's port). Packets that arrive early, within ReorderWindow packets of
 * the expected PSN, are kept and delivered once the gap fills (fabrics that spray one QP's
 * packets over several paths reorder them); ReorderWindow 1 is the IBA's strict in-order RC.
 *
 * Loss recovery (which a lossless fabric never needs): a PSN gap beyond the reorder window
 * makes the responder send one NAK (PSN sequence error) carrying the PSN it expects, and drop
 * packets until that one comes; the requester goes back to it and resends from there
 * (go-back-N). A retransmit timer, 4.096 us x 2^AckTimeout as in the IBA, restarted by every ACK
 * that makes progress, covers a lost ACK or a lost NAK: on expiry the requester goes back to
 * its oldest unacknowledged PSN.
 *
 * Simplifications: the responder always has a receive buffer for a SEND (no RNR NAK); retries
 * are unlimited (no retry_cnt: a simulated fabric loses only what the user makes it lose); RDMA
 * READ and atomics are not modelled; both ends see every message's completion, plain RDMA
 * WRITEs included (real verbs report those at the requester only).
 */
class RdmaQueuePair : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Largest message: 2^31 bytes, the IBA's limit.
    static constexpr uint64_t MAX_MESSAGE_BYTES = uint64_t{1} << 31;

    RdmaQueuePair();
    ~RdmaQueuePair() override;

    RdmaQueuePair(const RdmaQueuePair&) = delete;
    RdmaQueuePair& operator=(const RdmaQueuePair&) = delete;

    /**
     * \brief Tell the queue pair that packets from the other end reach it over parallel paths
     * (a switch's multipath route, a torus's parallel links), so they can arrive out of order.
     * With ReorderWindow 0 (automatic) it then keeps them as on a port of a FabricPortGroup.
     * Call before Connect().
     * \param sprayed whether the path from the other end sprays packets
     */
    void SetSprayedPath(bool sprayed);

    /**
     * \brief Connect to the queue pair at the other end (what ibv_modify_qp to RTR/RTS does).
     * RdmaHelper::Connect() calls it on both ends.
     * \param remoteAddress the other end's port address (LID, GPU id)
     * \param remoteQpn the other end's QP number
     * \param remoteInitialPsn the other end's first PSN (its InitialPsn)
     * \param pathMtu payload bytes per packet; 0: this end's port MTU (or the PathMtu attribute)
     */
    void Connect(uint16_t remoteAddress,
                 uint32_t remoteQpn,
                 uint32_t remoteInitialPsn,
                 uint32_t pathMtu = 0);

    /** \return true once Connect() has been called */
    bool IsConnected() const;

    /**
     * \brief Post work; it goes out when the engine's port has room (at once if idle).
     * \param request what to send
     * \return the message's sequence number on this QP (0 for the first)
     * Throws FabricConfigError if the QP is not on an engine or not connected, or the message
     * is larger than 2^31 bytes.
     */
    uint64_t Post(const RdmaWorkRequest& request);

    /**
     * \brief Post an RDMA WRITE.
     * \param bytes message size
     * \return the message's sequence number
     */
    uint64_t PostWrite(uint64_t bytes);

    /**
     * \brief Post an RDMA WRITE with immediate data.
     * \param bytes message size
     * \param immediate the immediate data
     * \return the message's sequence number
     */
    uint64_t PostWriteWithImmediate(uint64_t bytes, uint32_t immediate);

    /**
     * \brief Post a SEND.
     * \param bytes message size
     * \return the message's sequence number
     */
    uint64_t PostSend(uint64_t bytes);

    /**
     * \brief Post a SEND with immediate data.
     * \param bytes message size
     * \param immediate the immediate data
     * \return the message's sequence number
     */
    uint64_t PostSendWithImmediate(uint64_t bytes, uint32_t immediate);

    /**
     * \brief Callback signature of completions.
     */
    typedef Callback<void, Ptr<RdmaQueuePair>, const RdmaCompletion&> CompletionCallback;

    /**
     * \param cb called at the requester when a posted message completes (in posting order)
     */
    void SetSendCompletionCallback(CompletionCallback cb);

    /**
     * \param cb called at the responder when a message from the other end has arrived whole
     */
    void SetReceiveCompletionCallback(CompletionCallback cb);

    /** \return the QP number (unique on its engine; 0 and 1 are reserved, as in the IBA) */
    uint32_t GetQpn() const;
    /** \return the first PSN this end sends */
    uint32_t GetInitialPsn() const;
    /** \return the engine the QP is on */
    Ptr<RdmaEngine> GetEngine() const;
    /** \return the port it sends through */
    Ptr<FabricNetDevice> GetDevice() const;
    /** \return the other end's address */
    uint16_t GetRemoteAddress() const;
    /** \return the other end's QP number */
    uint32_t GetRemoteQpn() const;
    /** \return payload bytes per packet */
    uint32_t GetPathMtu() const;
    /** \return the retransmit timeout (zero: none) */
    Time GetRetransmitTimeout() const;

    /** \return messages posted */
    uint64_t GetMessagesPosted() const;
    /** \return messages posted here and completed (acknowledged) */
    uint64_t GetMessagesCompleted() const;
    /** \return messages received whole from the other end */
    uint64_t GetMessagesReceived() const;
    /** \return bytes posted */
    uint64_t GetBytesPosted() const;
    /** \return bytes of the messages completed at this requester */
    uint64_t GetBytesCompleted() const;
    /** \return payload bytes received in order from the other end */
    uint64_t GetBytesReceived() const;
    /** \return payload bytes sent from this end, retransmissions included */
    uint64_t GetBytesSent() const;
    /** \return data packets sent, retransmissions included */
    uint64_t GetPacketsSent() const;
    /** \return data packets sent again (go-back-N) */
    uint64_t GetPacketsRetransmitted() const;
    /** \return retransmit timer expiries */
    uint64_t GetTimeouts() const;
    /** \return ACKs sent by this end as responder */
    uint64_t GetAcksSent() const;
    /** \return NAKs sent by this end as responder */
    uint64_t GetNaksSent() const;
    /** \return NAKs received by this end as requester */
    uint64_t GetNaksReceived() const;
    /** \return packets the responder dropped: duplicates and packets after a PSN gap */
    uint64_t GetPacketsDiscarded() const;
    /** \return packets the responder kept because they arrived before the expected one */
    uint64_t GetPacketsReordered() const;
    /** \return the responder's reorder window in packets, as Connect() settled it */
    uint32_t GetReorderWindow() const;
    /** \return payload bytes sent and not yet acknowledged */
    uint64_t GetInflightBytes() const;

    /** \return a short name for messages: QP number and node */
    std::string Describe() const;

    /** \return data packets received with FECN set (marked by a congested switch) */
    uint64_t GetFecnReceived() const;
    /** \return BECNs returned to the other end (on ACKs, as a CNP would carry them) */
    uint64_t GetBecnSent() const;
    /** \return BECNs received from the other end */
    uint64_t GetBecnReceived() const;
    /** \return the congestion control table index now (0: full rate) */
    uint32_t GetCctIndex() const;
    /** \return the highest congestion control table index reached */
    uint32_t GetMaxCctIndex() const;

    /**
     * TracedCallback signature for a posted message.
     * \param sequence the message's sequence number
     * \param bytes its size
     */
    typedef void (*PostedTracedCallback)(uint64_t sequence, uint64_t bytes);

    /**
     * TracedCallback signature for a message's first packet handed to the port.
     * \param sequence the message's sequence number
     * \param waited time from posting to this packet
     */
    typedef void (*FirstPacketTracedCallback)(uint64_t sequence, Time waited);

    /**
     * TracedCallback signature for a completed message.
     * \param sequence the message's sequence number
     * \param bytes its size
     * \param latency requester: post to ACK; responder: first to last packet's arrival
     */
    typedef void (*CompletionTracedCallback)(uint64_t sequence, uint64_t bytes, Time latency);

    /**
     * TracedCallback signature for go-back-N.
     * \param psn the 24-bit PSN the requester resends from
     */
    typedef void (*RetransmitTracedCallback)(uint32_t psn);

  protected:
    void DoDispose() override;

  private:
    friend class RdmaEngine;

    /// What the responder owes the requester.
    enum class Control : uint8_t
    {
        NONE, //!< nothing
        ACK,  //!< an ACK
        NAK,  //!< a NAK (PSN sequence error)
    };

    /// A packet that arrived before the expected one, kept until the gap fills.
    struct Early
    {
        uint32_t payload{0};   //!< payload bytes
        uint32_t immediate{0}; //!< immediate data
        Time arrival;          //!< when it arrived
        uint8_t opcode{0};     //!< opcode
        bool ackReq{false};    //!< it asked for an ACK
        bool present{false};   //!< the slot holds a packet
    };

    /// A posted message, kept until acknowledged.
    struct Wqe
    {
        uint64_t bytes{0};                             //!< size
        uint64_t firstPsn{0};                          //!< absolute PSN of its first packet
        uint64_t byteStart{0};                         //!< bytes posted on the QP before it
        uint32_t packets{0};                           //!< packets, at least 1
        uint32_t immediate{0};                         //!< immediate data
        uint64_t remoteAddress{0};                     //!< RETH virtual address
        uint32_t rkey{0};                              //!< RETH R_Key
        RdmaOperation operation{RdmaOperation::WRITE}; //!< SEND or WRITE
        bool withImmediate{false};                     //!< immediate data
        bool started{false};                           //!< first packet sent once
        Time posted;                                   //!< when posted
    };

    /**
     * \brief Put the QP on an engine (RdmaEngine::AddQueuePair()).
     * \param engine the engine
     * \param port the engine's port index
     * \param device the port
     * \param qpn the QP number
     */
    void Attach(RdmaEngine* engine, uint32_t port, FabricNetDevice* device, uint32_t qpn);

    /** \return true if packets wait to be sent (window and pacing aside) */
    bool HasDataToSend() const
    {
        return m_txSeq < m_sqBase + m_sq.size();
    }

    /**
     * \brief Hand the next packet to the port, if the window and the rate limit allow.
     * \return true if the QP sent one and has more to send
     */
    bool SendNext();

    /** \brief Hand the pending ACK or NAK to the port. */
    void SendControl();

    /**
     * \brief A packet for this QP arrived.
     * \param packet the packet, starting at the BTH
     * \param header its transport headers, already read
     * \param src the sender's address
     */
    void Receive(Ptr<const Packet> packet, const RdmaTransportHeader& header, uint16_t src);

    /**
     * \brief Responder: a request packet (SEND or WRITE) arrived.
     * \param packet the packet
     * \param header its transport headers
     * \param src the sender's address
     */
    void ReceiveRequest(Ptr<const Packet> packet, const RdmaTransportHeader& header, uint16_t src);

    /**
     * \brief Responder: take the expected packet (received now, or kept since it arrived
     * early): count it, and record a completion if it ends a message.
     * \param opcode its opcode
     * \param payload its payload bytes
     * \param immediate its immediate data
     * \param arrival when it arrived
     */
    void Deliver(uint8_t opcode, uint32_t payload, uint32_t immediate, Time arrival);

    /**
     * \brief Requester: an ACK or NAK arrived.
     * \param header its transport headers
     */
    void ReceiveAcknowledge(const RdmaTransportHeader& header);

    /**
     * \brief Responder: queue an ACK or NAK for the port (coalesced with one already waiting).
     * \param what ACK or NAK
     */
    void RequestControl(Control what);

    /**
     * \brief Requester: everything before a PSN is acknowledged; complete what that covers.
     * \param una the oldest PSN not acknowledged now
     */
    void Acknowledge(uint64_t una);

    /**
     * \brief Requester: resend from the oldest unacknowledged PSN.
     */
    void GoBackN();

    /** \brief The retransmit timer expired. */
    void Timeout();

    /** \brief Restart the retransmit timer from now if packets are unacknowledged. */
    void RestartTimer();

    /** \brief The rate limit lets the QP send again. */
    void PaceWake();

    /**
     * \param psn24 a PSN from the wire
     * \param reference an absolute PSN near it
     * \return the absolute PSN nearest the reference with those 24 bits
     */
    static uint64_t Unwrap(uint32_t psn24, uint64_t reference);

    /**
     * \param wqe a posted message
     * \param psn an absolute PSN in it
     * \return the QP's byte position where the packet with that PSN starts
     */
    uint64_t BytePosition(const Wqe& wqe, uint64_t psn) const;

    /**
     * \brief Throw a FabricConfigError naming this QP.
     * \param what what is wrong
     */
    [[noreturn]] void Fail(const std::string& what) const;

    // Attributes
    uint32_t m_ackInterval;       //!< AckRequestInterval, packets
    uint64_t m_window;            //!< InflightWindow, bytes (0: unlimited)
    uint64_t m_packetWindow{0};   //!< packets in flight on a spraying path (0: no bound)
    DataRate m_rateLimit;         //!< RateLimit (0: none)
    uint8_t m_ackTimeoutExp;      //!< AckTimeout exponent (0: no timer)
    uint8_t m_sl;                 //!< ServiceLevel
    uint32_t m_initialPsn;        //!< InitialPsn
    uint32_t m_pathMtuAttr;       //!< PathMtu (0: the port's Mtu)
    uint32_t m_reorderWindowAttr; //!< ReorderWindow (0: automatic)
    bool m_sprayedPath{false};    //!< packets from the other end may take parallel paths

    // Wiring
    RdmaEngine* m_engine{nullptr};       //!< the engine (owns the QP)
    FabricNetDevice* m_device{nullptr};  //!< its port
    uint32_t m_port{0};                  //!< the port's index on the engine
    uint32_t m_qpn{0};                   //!< QP number
    bool m_connected{false};             //!< Connect() done
    uint16_t m_remoteAddress{0};         //!< the other end's address
    uint32_t m_remoteQpn{0};             //!< the other end's QP number
    uint32_t m_mtu{0};                   //!< payload bytes per packet
    Time m_timeout;                      //!< retransmit timeout (zero: none)
    uint8_t m_vl{0};                     //!< VL of m_sl on the port
    bool m_vlKnown{false};               //!< m_vl computed
    bool m_inReady{false};               //!< in the engine's ready list
    bool m_inControl{false};             //!< in the engine's control list
    RdmaQueuePair* m_nextReady{nullptr}; //!< next in the engine's ready list
    RdmaQueuePair* m_nextCtrl{nullptr};  //!< next in the engine's control list

    // Requester
    std::deque<Wqe> m_sq;               //!< posted, not yet acknowledged
    uint64_t m_sqBase{0};               //!< sequence number of m_sq.front()
    uint64_t m_postedPsnEnd{0};         //!< absolute PSN after the last posted packet
    uint64_t m_postedBytes{0};          //!< bytes posted so far
    uint64_t m_txSeq{0};                //!< sequence number of the message being sent
    uint64_t m_txPsn{0};                //!< absolute PSN of the next packet to send
    uint64_t m_txBytePos{0};            //!< byte position of that packet
    uint64_t m_unaPsn{0};               //!< oldest unacknowledged absolute PSN
    uint64_t m_unaBytePos{0};           //!< its byte position
    uint64_t m_sentPsnEnd{0};           //!< one past the highest PSN ever sent
    uint32_t m_sinceAckReq{0};          //!< packets since the last AckReq
    bool m_ackReqNext{false};           //!< ask for an ACK on the next packet
    Time m_nextSendAt;                  //!< rate limit: earliest next packet
    EventId m_paceEvent;                //!< rate limit wake-up
    EventId m_timer;                    //!< retransmit timer event (lazy: see m_timerDeadline)
    bool m_timerArmed{false};           //!< m_timer is scheduled (cheaper than IsRunning())
    Time m_timerDeadline;               //!< when the timer expires; ACKs move it, not the event
    RdmaTransportHeader m_txHeader;     //!< reused for every data packet
    uint64_t m_completedMessages{0};    //!< messages acknowledged
    uint64_t m_completedBytes{0};       //!< their bytes
    uint64_t m_packetsSent{0};          //!< data packets sent
    uint64_t m_packetsRetransmitted{0}; //!< of which resent
    uint64_t m_timeouts{0};             //!< timer expiries
    uint64_t m_naksReceived{0};         //!< NAKs received

    // Responder
    uint64_t m_rxPsn{0};                       //!< absolute PSN expected next
    uint64_t m_rxSequence{0};                  //!< messages received whole (the MSN)
    bool m_rxInMessage{false};                 //!< between a FIRST and its LAST
    uint64_t m_rxMessageBytes{0};              //!< payload of the message being received
    Time m_rxMessageStart;                     //!< its first packet's arrival
    bool m_nakSent{false};                     //!< a NAK is out for the current gap
    Control m_control{Control::NONE};          //!< ACK or NAK owed
    uint16_t m_ackDestination{0};              //!< where ACKs go (the requester's address)
    RdmaTransportHeader m_ctrlHeader;          //!< reused for every ACK/NAK
    uint64_t m_acksSent{0};                    //!< ACKs sent
    uint64_t m_naksSent{0};                    //!< NAKs sent
    uint64_t m_discarded{0};                   //!< duplicates and out-of-sequence packets dropped
    uint32_t m_reorderWindow{1};               //!< packets accepted from the expected PSN on
    std::vector<Early> m_early;                //!< early packets, by PSN modulo the window (lazy)
    uint32_t m_earlyCount{0};                  //!< early packets held now
    uint64_t m_reordered{0};                   //!< early packets kept, in all
    std::vector<RdmaCompletion> m_completions; //!< completions of one delivery, fired after its ACK

    CompletionCallback m_sendCompletion; //!< requester completions
    CompletionCallback m_recvCompletion; //!< responder completions

    TracedValue<uint64_t> m_txBytes; //!< TxBytes: payload bytes sent (with retransmissions)
    TracedValue<uint64_t> m_rxBytes; //!< RxBytes: payload bytes received in order
    TracedCallback<uint64_t, uint64_t> m_postedTrace;          //!< MessagePosted
    TracedCallback<uint64_t, Time> m_firstPacketTrace;         //!< FirstPacketSent
    TracedCallback<uint64_t, uint64_t, Time> m_completedTrace; //!< MessageCompleted
    TracedCallback<uint64_t, uint64_t, Time> m_receivedTrace;  //!< MessageReceived
    TracedCallback<uint32_t> m_retransmitTrace;                //!< Retransmit

    // Congestion control (IBTA Annex A10, channel-adapter side; see doc/congestion.md)
    /** \brief A BECN came back: raise the CCT index. */
    void ReceiveBecn();
    /** \brief The CCTI timer expired: lower the CCT index by one. */
    void CctiTimerExpired();
    /** \brief Build the congestion control table from the attributes. */
    void BuildCct();

    bool m_ccEnabled{false};         //!< CongestionControl
    uint32_t m_cctiIncrease{1};      //!< CctiIncrease
    uint32_t m_cctiLimit{127};       //!< CctiLimit
    Time m_cctiTimer;                //!< CctiTimer
    Time m_cctStep;                  //!< CctStep: inter-packet delay added per index
    std::string m_cctText;           //!< CongestionControlTable (empty: linear in CctStep)
    std::vector<Time> m_cct;         //!< inter-packet delay by index
    TracedValue<uint32_t> m_ccti{0}; //!< CctIndex
    uint32_t m_cctiMax{0};           //!< highest index reached
    EventId m_cctiEvent;             //!< CCTI timer
    bool m_becnPending{false};       //!< a FECN arrived: the next ACK carries BECN
    uint64_t m_fecnReceived{0};      //!< FECN-marked packets received
    uint64_t m_becnSent{0};          //!< BECNs returned
    uint64_t m_becnReceived{0};      //!< BECNs received
};

} // namespace ns3

#endif /* RDMA_QUEUE_PAIR_H */
