/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef ANALYTICAL_BACKEND_H
#define ANALYTICAL_BACKEND_H

#include "collective-protocol.h"
#include "collective-schedule.h"

#include "ns3/data-rate.h"
#include "ns3/fabric-net-device.h"
#include "ns3/fabric-topology.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief When one transfer of a schedule ran in the analytical model, and why that long.
 */
struct AnalyticalTransferTiming
{
    Time ready;                //!< every dependency completed (zero without dependencies)
    Time start;                //!< first byte leaves: ready + step latency
    Time end;                  //!< last byte arrived and, if reduced, the reduction done
    Time stepLatency;          //!< NCCL per-step latency added before it (zero if disabled)
    Time firstPacket;          //!< from start to the first packet's arrival (path latency)
    double rate{0};            //!< data bytes/s it got at its bottleneck hop
    uint32_t hops{0};          //!< ports it leaves by on its way (path length)
    uint32_t bottleneckHop{0}; //!< the hop that set its rate
    uint32_t sharers{1};       //!< transfers of its step on that hop, itself included
    NcclLinkType link{NcclLinkType::NVLINK}; //!< NVLINK if every port is NVLink, else NET
};

/**
 * \ingroup ai-fabric
 * \brief What one transmitting port (one direction of a link) carried in the analytical model.
 */
struct AnalyticalLinkLoad
{
    Ptr<FabricNetDevice> port; //!< the transmitting port
    std::string name;          //!< "s0.gpu0/3 -> s0.nvsw1": node/ifIndex -> peer node
    uint64_t bytes{0};         //!< data bytes it carried (headers and protocol flags excluded)
    Time busy;                 //!< their time at its rate x payload x protocol efficiency
    double utilisation{0};     //!< busy / completion time
};

/**
 * \ingroup ai-fabric
 * \brief What AnalyticalBackend::Run returns.
 */
struct AnalyticalResult
{
    Time completion;                                 //!< the last transfer's end
    std::vector<AnalyticalTransferTiming> transfers; //!< per transfer, in schedule order
    std::vector<AnalyticalLinkLoad> links;   //!< every port that carried data, first use first
    std::vector<AnalyticalLinkLoad> hottest; //!< the most loaded ports, most bytes first
    double algBandwidth{0}; //!< nccl-tests' algbw: schedule bytes / completion, bytes/s
    double busBandwidth{0}; //!< nccl-tests' busbw of the operation, bytes/s

    /** \return the sum of every port's bytes (= sum over transfers of bytes x hops) */
    uint64_t GetTotalLinkBytes() const;
};

/**
 * \ingroup ai-fabric
 * \brief The analytical (alpha-beta) backend: the cost of a CollectiveSchedule on a
 * FabricTopology without simulating packets, from the same list of transfers the packet-level
 * backend runs.
 *
 * The model, per transfer t of `bytes` data bytes from rank a to rank b (communicator ranks
 * mapped to topology ranks), whose path has hops h = 0..H-1, hop h being the k_h ports packets
 * are sprayed over there (FabricTopology::GetPathHops):
 *
 * - **When it starts.** ready(t) = max over its dependencies of their end (0 without any);
 *   start(t) = ready(t) + the NCCL hardware latency of one step (NcclHwLatency) for the
 *   protocol, the schedule's algorithm family (NcclAlgorithmForName, or the one passed to Run)
 *   and the path's link type: NVLINK when every port on the path is an NVLink port, else NET
 *   (so a path that stays inside one server is NVLINK on a DGX). Attribute ProtocolLatency
 *   turns it off; BaseLatency adds NCCL's base latency once, before every transfer.
 * - **Sharing.** s_h = the number of transfers of the same step (any channel) whose paths use
 *   any port of hop h, t included: the schedule's steps are what runs at the same time.
 * - **Rate.** Hop h offers A_h = sum of its ports' sustainable payload rates; t gets
 *   rate = min_h A_h / s_h x e, with e the protocol's data efficiency (LL 0.5, LL128 0.9375,
 *   Simple 1). A port's payload rate on the wire is its data rate x payload efficiency
 *   (FabricNetDevice::GetPayloadEfficiency: IB Mtu/(Mtu+26), NVLink 256/272). It sustains
 *   less where credit-based flow control holds it back (attribute CreditLoop): the sender may
 *   have at most the receiver's input buffer in flight per credit round trip, so with
 *   P = Mtu / payload efficiency the largest packet's wire bytes, N = floor((RxBufferSize / 64)
 *   / ceil(P / 64)) the whole packets the receiver's 64-byte credit blocks hold, and
 *   RTT = 2 x cable delay + the receiving switch's PortToPortLatency (0 at an endpoint) +
 *   P / data rate (the packet's serialisation: an endpoint takes it at its tail, and at a
 *   switch the returning credits wait behind a packet on the reverse wire), the port sustains
 *   min(data rate, N x P / RTT) x payload efficiency (a credit-based link runs at full rate
 *   only while the buffer covers the round trip: H. T. Kung and R. Morris, "Credit-Based Flow
 *   Control for ATM Networks", IEEE Network 9(2), 1995). The flow-control packet's 6 bytes are
 *   left out; a port without FlowControl is not bound. On 8 hosts on one NDR switch with
 *   500 ns cables and 64 KiB buffers that is 43.5 GB/s of 49.7 (the packet level's ring
 *   all-reduce: 1.5 % faster than this, 12 % slower than the unbounded rate). The first
 *   packet and the per-link busy time still serialise at the wire's rate.
 * - **Path latency: the first packet.** The protocol turns bytes into W = bytes / e wire
 *   payload bytes; the first packet carries p = min(W, smallest Mtu on the path). At hop h it
 *   takes tau_h = p / (r_h x payload efficiency) x max(1, s_h / k_h) (r_h the slowest port of
 *   the hop; more sharers than ports queue). It crosses each cable after its delay and each
 *   switch after its PortToPortLatency: a cut-through switch starts it PortToPortLatency after
 *   its head arrived, but never so early that the output would overtake the input; a
 *   store-and-forward switch after its tail arrived. That gives firstPacket(t), the time from
 *   start to the first packet's last byte at b.
 * - **End.** end(t) = start(t) + firstPacket(t) + (W - p) / min_h (A_h / s_h), plus
 *   bytes / ReductionRate if t reduces (ReductionRate 0: reductions are free).
 *
 * Over one uncontended link this is exactly delay + bytes / (rate x payload efficiency x e)
 * (the first packet's own bytes are part of the bulk), and on a uniform ring a ring
 * all-reduce takes 2(n-1) (alpha + S/n / B) with alpha = the step latency plus the cables'
 * delays and switches' latencies: CollectiveClosedForm::RingAllReduce.
 *
 * Per-link load: a transfer puts its data bytes on every hop, split evenly over the hop's ports
 * (the remainder on the first ones), so the loads sum to sum over t of bytes x hops.
 * The model is deterministic: no randomness, results in schedule and first-use order.
 */
class AnalyticalBackend : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    AnalyticalBackend();
    ~AnalyticalBackend() override;

    /**
     * \brief Cost a schedule, with the latency row of its algorithm's NCCL family
     * (NcclAlgorithmForName(schedule.algorithm)).
     * \param schedule the transfers (checked with CheckStructure)
     * \param topology the fabric
     * \param commToTopoRank topology rank of each communicator rank (one per rank, distinct);
     * empty: communicator rank r is topology rank r
     * \param protocol the NCCL protocol the transfers use
     * \return timings, completion and per-link load; throws FabricConfigError on a bad mapping
     * or a protocol the algorithm family cannot run
     */
    AnalyticalResult Run(const CollectiveSchedule& schedule,
                         Ptr<FabricTopology> topology,
                         const std::vector<uint32_t>& commToTopoRank,
                         CollectiveProtocol protocol) const;

    /**
     * \brief Cost a schedule with an explicit NCCL latency row.
     * \param schedule the transfers
     * \param topology the fabric
     * \param commToTopoRank topology rank of each communicator rank (empty: identity)
     * \param protocol the NCCL protocol
     * \param family whose per-step (and base) latencies apply
     * \return timings, completion and per-link load
     */
    AnalyticalResult Run(const CollectiveSchedule& schedule,
                         Ptr<FabricTopology> topology,
                         const std::vector<uint32_t>& commToTopoRank,
                         CollectiveProtocol protocol,
                         NcclAlgorithm family) const;

  private:
    DataRate m_reductionRate;      //!< bytes reduced per second after a reducing transfer; 0: free
    bool m_protocolLatency;        //!< add NCCL's per-step hardware latency before each transfer
    bool m_baseLatency;            //!< add NCCL's base latency once, before everything
    uint32_t m_hottestLinks;       //!< how many ports AnalyticalResult::hottest lists
    uint32_t m_slotsPerConnection; //!< receive slots per connection (NCCL_STEPS), 0: unlimited
    bool m_creditLoop;             //!< bound each port by its buffer over its credit loop
};

} // namespace ns3

#endif /* ANALYTICAL_BACKEND_H */
