/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IN_NETWORK_ENDPOINT_H
#define IN_NETWORK_ENDPOINT_H

#include "in-network-port.h"
#include "nvls-engine.h"
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
     * \brief Use one of the GPU's NVLink links for NVLS.
     * \param link the link's port (a member of the GPU's port group)
     * \param engine the NVLS engine of the NVSwitch at its far end
     */
    void AddNvlsLink(Ptr<FabricNetDevice> link, Ptr<NvlsEngine> engine);

    /** \return true if NVLS links were added */
    bool HasNvlsLinks() const;

    /**
     * \brief Join an NVLS multicast object.
     * \param group its id
     * \param member this GPU's index in it (its bit in contribution masks)
     * \param members its size
     */
    void JoinNvlsGroup(uint16_t group, uint32_t member, uint32_t members);

    /**
     * \brief Leave an NVLS multicast object.
     * \param group its id
     */
    void LeaveNvlsGroup(uint16_t group);

    /**
     * \brief multimem.ld_reduce over `bytes`: the reduced copy of every member comes back. The
     * requests go out in transfer units (the link's Mtu), spread over the links round-robin, at
     * most NvlsWindow bytes outstanding.
     * \param group the multicast object
     * \param sequence the operation's number (unique in the group while it runs)
     * \param bytes its size
     * \param done called when every reduced byte has arrived
     */
    void PostLoadReduce(uint16_t group, uint32_t sequence, uint64_t bytes, OperationCallback done);

    /**
     * \brief multimem.st of `bytes`: the switch writes them to every member (this one too).
     * \param group the multicast object
     * \param sequence the operation's number
     * \param bytes its size
     */
    void PostStore(uint16_t group, uint32_t sequence, uint64_t bytes);

    /// Called for every multicast packet that arrives: (group, sequence, data bytes).
    typedef Callback<void, uint16_t, uint32_t, uint32_t> StoreCallback;

    /**
     * \param group a multicast object
     * \param cb called for every multicast (STORE_DATA) packet of that group this GPU receives
     * from another member's store
     */
    void SetStoreCallback(uint16_t group, StoreCallback cb);

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
    /** \return reduced bytes received by NVLS load-reduces */
    uint64_t GetNvlsBytesReduced() const;

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

    /// An NVLS load-reduce posted and not yet complete.
    struct NvlsOperation
    {
        uint16_t group{0};      //!< multicast object
        uint32_t sequence{0};   //!< its number
        uint64_t bytes{0};      //!< its size
        uint64_t requested{0};  //!< bytes asked for so far
        uint64_t received{0};   //!< reduced bytes so far
        OperationCallback done; //!< completion
    };

    /** \brief Send load-reduce requests while the window allows. */
    void IssueLoadReduces();

    /**
     * \param engine an NVLS engine address
     * \return the next of this GPU's links to that engine's switch (round-robin)
     */
    InNetworkPort& LinkTo(uint16_t engine);

    /**
     * \param links candidate links (indices)
     * \param next round-robin position, advanced
     * \return the candidate with the fewest bytes waiting (ties: the next in turn)
     */
    uint32_t LeastLoaded(const std::vector<uint32_t>& links, uint32_t& next);

    /**
     * \brief An NVLS packet arrived.
     * \param header its header
     * \param tag its contributions
     * \param from the sender (an engine)
     */
    void OnNvls(const SharpHeader& header, const SharpContributionTag& tag, uint16_t from);

    std::vector<std::unique_ptr<InNetworkPort>> m_nvlsLinks; //!< NVLink links for NVLS
    std::vector<Ptr<NvlsEngine>> m_linkEngine;               //!< engine at each link's far end
    std::map<uint16_t, std::vector<uint32_t>> m_engineLinks; //!< links to each engine
    std::map<uint16_t, uint32_t> m_engineNext;               //!< round-robin per engine
    std::vector<uint32_t> m_allLinks;                        //!< 0 .. links - 1
    uint32_t m_nextLink{0};                                  //!< round-robin over all links
    std::map<uint16_t, std::pair<uint32_t, uint32_t>> m_nvlsGroups; //!< (member, members)
    std::deque<NvlsOperation> m_loadQueue; //!< load-reduces not fully asked
    std::map<std::pair<uint16_t, uint32_t>, NvlsOperation> m_loads; //!< by (group, sequence)
    uint64_t m_outstanding{0};                                      //!< bytes asked, not yet back
    uint64_t m_nvlsWindow;                                          //!< NvlsWindow attribute
    uint64_t m_nvlsReduced{0};                                      //!< reduced bytes received
    std::map<uint16_t, StoreCallback> m_storeCallbacks; //!< multicast arrivals, per group
    uint16_t m_gpuId{0};                                //!< this GPU's NVLink id

    std::unique_ptr<InNetworkPort> m_sharpPort;   //!< the HCA
    std::map<uint16_t, SharpGroup> m_sharpGroups; //!< memberships
    uint64_t m_contributionErrors{0};             //!< bad results
    uint64_t m_sharpSent{0};                      //!< bytes up
    uint64_t m_sharpReceived{0};                  //!< bytes down

    TracedCallback<uint16_t, uint32_t> m_operationTrace; //!< OperationComplete
};

} // namespace ns3

#endif /* IN_NETWORK_ENDPOINT_H */
