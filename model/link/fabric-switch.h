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
     * \return every egress port of its route (empty: no route)
     */
    std::vector<uint16_t> GetRoutes(uint16_t dst) const;

    /** \brief Empty the forwarding table. */
    void ClearRoutes();

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
};

} // namespace ns3

#endif /* FABRIC_SWITCH_H */
