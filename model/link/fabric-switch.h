/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_SWITCH_H
#define FABRIC_SWITCH_H

#include "fabric-net-device.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief An input-buffered crossbar switch of a lossless fabric, aggregated to its Node.
 *
 * Every port (a FabricNetDevice) has an input buffer per VL, a FIFO whose size is what the
 * port advertises upstream as credits. The packet at the head of each input FIFO looks up its
 * egress port in a linear forwarding table indexed by destination address, and requests that
 * port; the egress port's transmitter arbitrates among its VLs (VlArbiter) and, within a VL,
 * serves the requesting inputs round robin. A packet leaves only when the downstream buffer
 * has room (credits), so a full buffer back-pressures hop by hop, and a blocked head blocks
 * the packets behind it in the same input VL (head-of-line blocking) as in real hardware.
 *
 * A packet may leave PortToPortLatency after its first bit arrived (cut-through) or after its
 * last bit arrived (store-and-forward); cut-through never lets the egress overtake the ingress
 * (a slower input delays the start of a faster output).
 *
 * IbSwitch (forwarding by LID) and NvSwitch (by GPU id) specialise it and give the latency
 * and switching mode their attributes, with defaults of their own hardware.
 */
class FabricSwitch : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Marks a forwarding-table entry with no route.
    static constexpr uint16_t NO_ROUTE = 0xFFFF;

    FabricSwitch();
    ~FabricSwitch() override;

    /**
     * \brief Add a port.
     * \param device the port; it must already be installed on the switch's node
     * \return its port index
     */
    uint16_t AddPort(Ptr<FabricNetDevice> device);

    /** \return the number of ports */
    uint16_t GetNPorts() const;

    /**
     * \param port a port index
     * \return the port's device
     */
    Ptr<FabricNetDevice> GetPort(uint16_t port) const;

    /**
     * \brief Set a forwarding-table entry.
     * \param dst destination address
     * \param port egress port
     */
    void SetRoute(uint16_t dst, uint16_t port);

    /**
     * \brief Add an egress port to a destination's route: with several, packets to it are
     * sprayed over them round robin, one packet each (as NVSwitch sprays over the links to a
     * GPU).
     * \param dst destination address
     * \param port one more egress port toward it
     */
    void AddRoute(uint16_t dst, uint16_t port);

    /**
     * \param dst destination address
     * \return the (first) egress port, or NO_ROUTE
     */
    uint16_t GetRoute(uint16_t dst) const;

    /**
     * \param dst destination address
     * \return every egress port of its route (empty: no route); with adaptive routing on, the
     * static port first, then the other ports of its adaptive-routing group
     */
    std::vector<uint16_t> GetRoutes(uint16_t dst) const;

    /** \brief Empty the forwarding table (adaptive-routing groups included). */
    void ClearRoutes();

    /**
     * \brief Add an egress port to a destination's adaptive-routing group: for a packet on an
     * SL that routes adaptively (SetAdaptiveRoutingSlMask), the switch picks, among the
     * group's ports, the one with the fewest bytes queued for it (ties go to the static
     * forwarding-table port, then to the lower index). Other SLs keep the static port.
     * \param dst destination address
     * \param port one more egress port toward it (a subnet manager puts every minimum-hop
     * port in the group, as NVIDIA's "TREE" AR groups do)
     */
    void AddAdaptiveRoute(uint16_t dst, uint16_t port);

    /**
     * \param dst destination address
     * \return the destination's adaptive-routing group (empty: none)
     */
    std::vector<uint16_t> GetAdaptiveRoutes(uint16_t dst) const;

    /**
     * \param mask bit s set: packets on SL s route adaptively; 0 turns adaptive routing off
     */
    void SetAdaptiveRoutingSlMask(uint16_t mask);

    /** \return the SLs that route adaptively, one bit each */
    uint16_t GetAdaptiveRoutingSlMask() const;

    /**
     * \param port an egress port
     * \return bytes now held in the switch's input buffers that are routed to that port (the
     * port's output queue in the sense of an input-buffered switch), all VLs together
     */
    uint32_t GetEgressQueueBytes(uint16_t port) const;

    /**
     * \param port an egress port
     * \param vl an egress VL
     * \return bytes now held in the input buffers routed to that port and VL
     */
    uint32_t GetEgressQueueBytes(uint16_t port, uint8_t vl) const;

    /**
     * \param bytes the queue depth, per egress port, above which the port counts as hot (its
     * time above it is accumulated) and, where congestion control is on, per egress port and
     * VL, above which packets are marked
     */
    void SetQueueThreshold(uint32_t bytes);

    /** \return the queue threshold, bytes */
    uint32_t GetQueueThreshold() const;

    /**
     * \param port an egress port
     * \return total time the port's queue spent at or above the queue threshold (up to now)
     */
    Time GetTimeAboveThreshold(uint16_t port) const;

    /**
     * \param port an egress port
     * \return the deepest the port's queue has been, bytes
     */
    uint32_t GetMaxEgressQueueBytes(uint16_t port) const;

    /** \return packets sent out of another port than their static forwarding-table one */
    uint64_t GetAdaptiveReroutes() const;

    /**
     * \brief Congestion control: mark packets that join an egress queue (port and VL) at or
     * above the queue threshold while that port is the root of the congestion (at least two
     * inputs request it, and it has not waited for credits since the last check: a victim of
     * back-pressure does not mark), one in every markingRate + 1 such packets.
     * \param on whether to mark
     */
    void SetCongestionMarking(bool on);

    /** \return whether the switch marks congested packets */
    bool IsCongestionMarking() const;

    /** \param rate packets let through unmarked between two marks (0: mark every one) */
    void SetMarkingRate(uint32_t rate);

    /** \return packets left unmarked between two marks */
    uint32_t GetMarkingRate() const;

    /** \return packets this switch has marked */
    uint64_t GetMarkedPackets() const;

    /**
     * TracedCallback signature for egress queue depth.
     * \param port the egress port
     * \param vl the egress VL
     * \param bytes bytes queued for that port and VL after the change
     */
    typedef void (*QueueDepthTracedCallback)(uint16_t port, uint8_t vl, uint32_t bytes);

    /**
     * TracedCallback signature for congestion marks.
     * \param port the egress port whose queue was above threshold
     * \param vl its VL
     */
    typedef void (*CongestionMarkTracedCallback)(uint16_t port, uint8_t vl);

    /**
     * \param latency time from a packet's arrival (first bit when cut-through, last bit when
     * store-and-forward) to the earliest start of its transmission on the egress port
     */
    void SetLatency(Time latency);

    /**
     * \param cutThrough true to switch cut-through, false for store-and-forward
     */
    void SetCutThrough(bool cutThrough);

    /**
     * \brief Choose the input buffers' discipline. FIFO (false): only the packet at the head
     * of an input VL may leave, so a blocked head blocks the packets behind it (head-of-line
     * blocking, as InfiniBand switches show). Virtual output queues (true): a packet may leave
     * as soon as its egress can take it, in order per egress; buffers and credits are still
     * shared per input VL.
     * \param voq true for virtual output queues
     */
    void SetVirtualOutputQueues(bool voq);

    /** \return true if the inputs are virtual output queues */
    bool HasVirtualOutputQueues() const;

    /**
     * \brief Override the egress VL of packets that arrive on one port and VL and leave by
     * another (IBA keeps an SL-to-VL table per input/output port pair). Routers of rings and
     * tori use it for datelines: a packet that has crossed the wrap-around link moves to a
     * second VL, which breaks the cyclic channel dependency.
     * \param inPort ingress port
     * \param inVl ingress VL
     * \param outPort egress port
     * \param outVl the VL to use on the egress link
     */
    void SetVlTransition(uint16_t inPort, uint8_t inVl, uint16_t outPort, uint8_t outVl);

    /**
     * \param inPort ingress port
     * \param inVl ingress VL
     * \param outPort egress port
     * \param sl the packet's service level
     * \return the VL a packet takes on the egress link
     */
    uint8_t GetEgressVl(uint16_t inPort, uint8_t inVl, uint16_t outPort, uint8_t sl) const;

    /** \return the port-to-port latency */
    Time GetLatency() const;

    /** \return true when switching cut-through, false when store-and-forward */
    bool IsCutThrough() const;

    /**
     * \brief A port received a packet into its input buffer.
     * \param port the ingress port
     * \param frame the packet and its routing facts
     */
    void Ingress(uint16_t port, FabricFrame&& frame);

    /**
     * \param port an egress port
     * \param vl a VL of that port
     * \return the packet that would leave next on that port and VL, or nullptr
     */
    const FabricFrame* PeekEgress(uint16_t port, uint8_t vl) const
    {
        const auto& requests = m_requests[port * VL_SLOTS + vl];
        if (requests.empty())
        {
            return nullptr;
        }
        const auto& fifo = m_inputs[requests.front()];
        return m_voq ? &*FindFrame(fifo, port, vl) : &fifo.front();
    }

    /**
     * \brief Take the next packet for an egress port and VL out of its input buffer.
     * \param port the egress port
     * \param vl the VL
     * \return the packet
     */
    FabricFrame DequeueEgress(uint16_t port, uint8_t vl);

    /**
     * \param port an egress port
     * \return true if any input holds a packet at its head for that port
     */
    bool HasEgress(uint16_t port) const
    {
        return m_egressWaiting[port] > 0;
    }

    /**
     * \param dst a destination address
     * \return how the address reads to a user ("LID 5", "GPU 3")
     */
    virtual std::string DescribeAddress(uint16_t dst) const;

    /**
     * \brief Where the packets held in one input buffer want to go (for deadlock reports).
     * \param port the input port
     * \param vl the input VL
     * \return the distinct (egress port, egress VL) of its packets, head first; only the head's
     * without virtual output queues, since the head blocks the rest
     */
    std::vector<std::pair<uint16_t, uint8_t>> GetInputTargets(uint16_t port, uint8_t vl) const;

    /** \return packets now held in all the switch's input buffers */
    uint64_t GetBufferedPackets() const;

    /** \return the switch's name for messages: its kind and node id */
    std::string Describe() const;

  protected:
    void DoDispose() override;

    /**
     * \brief Mark a packet as having met congestion (IbSwitch sets the BTH's FECN bit).
     * \param frame the packet
     * \return true if it was marked (false: its framing has no such bit)
     */
    virtual bool MarkCongestion(FabricFrame& frame);

    TracedCallback<uint16_t, uint8_t, uint32_t> m_queueDepthTrace; //!< QueueDepth
    TracedCallback<uint16_t, uint8_t> m_markTrace;                 //!< CongestionMark

  private:
    /// Slots reserved per port in the per-VL arrays (VL0-VL15).
    static constexpr uint32_t VL_SLOTS = 16;

    /**
     * \brief An input has a packet for an egress port and VL: queue its request there.
     * \param input the input index (port * VL_SLOTS + vl)
     * \param egress the egress index (port * VL_SLOTS + vl)
     */
    void Request(uint32_t input, uint32_t egress);

    /**
     * \param fifo an input buffer
     * \param port an egress port
     * \param vl an egress VL
     * \return the first packet in the buffer for that egress
     */
    static std::deque<FabricFrame>::const_iterator FindFrame(const std::deque<FabricFrame>& fifo,
                                                             uint16_t port,
                                                             uint8_t vl);

    Time m_latency;                            //!< port-to-port latency
    bool m_cutThrough{true};                   //!< cut-through or store-and-forward
    bool m_voq{false};                         //!< virtual output queues instead of FIFO inputs
    std::vector<Ptr<FabricNetDevice>> m_ports; //!< ports by index
    /// Forwarding-table mark: the destination has several egress ports (m_multipath).
    static constexpr uint16_t MULTIPATH = 0xFFFE;

    /**
     * \param port a port index
     * \param dst the destination, for the error message
     */
    void CheckPort(uint16_t port, uint16_t dst) const;

    std::vector<uint16_t> m_forwarding;             //!< destination -> egress port
    std::vector<std::vector<uint16_t>> m_multipath; //!< destination -> ports, when several
    std::vector<uint16_t> m_nextPath;               //!< destination -> next port to use
    std::vector<std::deque<FabricFrame>> m_inputs;  //!< input FIFOs, port * 16 + VL
    std::vector<std::deque<uint32_t>> m_requests;   //!< per egress port and VL: inputs
    std::vector<uint32_t> m_egressWaiting;          //!< per egress port: requests queued
    std::vector<uint8_t> m_vlTransitions; //!< (in port, in VL, out port) -> out VL, 0xFF: none
    std::vector<std::vector<uint16_t>> m_pending; //!< VOQ: per input, packets per egress

    /**
     * \brief Pick the least-loaded port of a destination's adaptive-routing group.
     * \param dst the destination
     * \param fallback the static port
     * \return the egress port
     */
    uint16_t ChooseAdaptive(uint16_t dst, uint16_t fallback);

    /**
     * \brief Account a packet joining (bytes > 0) or leaving an egress queue.
     * \param frame the packet, with outPort and outVl set
     * \param join true when it joins
     */
    void AccountQueue(const FabricFrame& frame, bool join);

    /**
     * \param egress an egress index (port * VL_SLOTS + vl) whose queue is above threshold
     * \return true if the port is the root of the congestion: at least two inputs request it
     * now, and it has not waited for credits since the last such check (a port that has is a
     * victim of back-pressure)
     */
    bool IsCongestionRoot(uint32_t egress);

    std::vector<Time> m_stallSeen; //!< per egress port and VL: credit stall at the last check
    std::vector<std::vector<uint16_t>> m_arGroups; //!< destination -> AR group
    uint16_t m_arSlMask{0};                        //!< SLs routed adaptively
    std::vector<uint32_t> m_portQueue;             //!< per egress port: bytes queued (flat, for AR)
    std::vector<uint32_t> m_vlQueue;               //!< per egress port and VL: bytes queued
    std::vector<uint32_t> m_portQueueMax;          //!< per egress port: deepest queue
    std::vector<Time> m_hotSince;     //!< per egress port: when it went above threshold
    std::vector<Time> m_hotTotal;     //!< per egress port: time above threshold
    uint32_t m_queueThreshold{16384}; //!< hot / marking threshold, bytes
    bool m_marking{false};            //!< congestion marking on
    uint32_t m_markingRate{0};        //!< unmarked packets between marks
    uint32_t m_markCountdown{0};      //!< eligible packets to pass before the next mark
    uint64_t m_marked{0};             //!< packets marked
    uint64_t m_arReroutes{0};         //!< packets sent off their static port
};

} // namespace ns3

#endif /* FABRIC_SWITCH_H */
