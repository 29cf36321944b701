/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IN_NETWORK_ENDPOINT_H
#define IN_NETWORK_ENDPOINT_H

#include "in-network-port.h"
#include "sharp-header.h"

#include "ns3/callback.h"
#include "ns3/fabric-net-device.h"
#include "ns3/net-device.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The GPU (or host) side of in-network collectives, one per node: what SHARP's host
 * library and NVLS's multimem instructions do there.
 *
 * SHARP: the endpoint posts operations of a group through its HCA to the leaf AN, at most the
 * group's OSTs at a time (an operation holds its OST from its first packet until its last
 * result packet has arrived, so the ANs' buffers never overflow), each cut into packets of the
 * port's MTU; it completes an operation when all its result bytes have come back down the
 * tree. The link is lossless, so, as with SHARP's reliable transport to the leaf switch, no
 * packet is retransmitted; ACKs are not modelled.
 *
 * Packets reach the endpoint through Receive(), which the collective layer connects to the
 * node's RDMA engine (RdmaEngine::SetForeignPacketCallback): they carry the endpoint's own QP
 * number.
 */
class InNetworkEndpoint : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    InNetworkEndpoint();
    ~InNetworkEndpoint() override;

    /// Called when an operation has completed: (group, sequence).
    typedef Callback<void, uint16_t, uint32_t> OperationCallback;

    /**
     * \brief Use a port for SHARP (the rank's HCA).
     * \param hca the port
     */
    void SetSharpPort(Ptr<FabricNetDevice> hca);

    /**
     * \brief Join a SHARP group.
     * \param group the group id
     * \param leaf the LID of the leaf AN
     * \param member this endpoint's index in the group (its bit in contribution masks)
     * \param members the group's size
     * \param osts operations the endpoint may have outstanding
     */
    void JoinSharpGroup(uint16_t group,
                        uint16_t leaf,
                        uint32_t member,
                        uint32_t members,
                        uint32_t osts);

    /**
     * \brief Leave a SHARP group (its operations must be done).
     * \param group the group id
     */
    void LeaveSharpGroup(uint16_t group);

    /**
     * \brief Post one SHARP all-reduce operation: this member's contribution goes up the tree,
     * the result comes down. Operations of a group start in the order posted.
     * \param group the group
     * \param sequence the operation's number (the same at every member)
     * \param bytes its data bytes (at most the ANs' buffer per OST)
     * \param done called when the whole result has arrived
     */
    void PostSharp(uint16_t group, uint32_t sequence, uint32_t bytes, OperationCallback done);

    /**
     * \brief Receive a packet for the endpoint (the RDMA engine's foreign-packet callback).
     * \param device the port
     * \param packet the packet, from its BTH on
     * \param protocol the protocol number
     * \param from the sender
     * \return true
     */
    bool Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from);

    /**
     * \return result packets whose contributions were not every member's exactly once
     * (always 0 unless the model is broken)
     */
    uint64_t GetContributionErrors() const;

    /** \return data bytes sent up for SHARP */
    uint64_t GetSharpBytesSent() const;
    /** \return result bytes received for SHARP */
    uint64_t GetSharpBytesReceived() const;

    /**
     * TracedCallback signature for completed operations.
     * \param group the group
     * \param sequence the operation
     */
    typedef void (*OperationTracedCallback)(uint16_t group, uint32_t sequence);

  protected:
    void DoDispose() override;

  private:
    /// An operation posted and not yet complete.
    struct Operation
    {
        uint32_t sequence{0};   //!< its number
        uint32_t bytes{0};      //!< its size
        uint32_t received{0};   //!< result bytes so far
        OperationCallback done; //!< completion
    };

    /// This endpoint's membership of a SHARP group.
    struct SharpGroup
    {
        uint16_t leaf{0};                       //!< leaf AN
        uint32_t member{0};                     //!< our index
        uint32_t members{0};                    //!< group size
        uint32_t osts{1};                       //!< window
        uint32_t active{0};                     //!< operations holding an OST
        std::deque<Operation> waiting;          //!< posted, no OST yet
        std::map<uint32_t, Operation> inFlight; //!< holding an OST, by sequence
    };

    /**
     * \brief Start waiting operations while OSTs are free.
     * \param id the group
     * \param g its state
     */
    void StartSharp(uint16_t id, SharpGroup& g);

    /**
     * \brief A SHARP result packet arrived.
     * \param header its header
     * \param tag its contributions
     */
    void OnSharpResult(const SharpHeader& header, const SharpContributionTag& tag);

    std::unique_ptr<InNetworkPort> m_sharpPort;   //!< the HCA
    std::map<uint16_t, SharpGroup> m_sharpGroups; //!< memberships
    uint64_t m_contributionErrors{0};             //!< bad results
    uint64_t m_sharpSent{0};                      //!< bytes up
    uint64_t m_sharpReceived{0};                  //!< bytes down

    TracedCallback<uint16_t, uint32_t> m_operationTrace; //!< OperationComplete
};

} // namespace ns3

#endif /* IN_NETWORK_ENDPOINT_H */
