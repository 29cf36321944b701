/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef SHARP_AGGREGATION_NODE_H
#define SHARP_AGGREGATION_NODE_H

#include "in-network-engine.h"

#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief SHARP's aggregation node (AN) of an InfiniBand switch: streaming aggregation,
 * packet by packet, with finite resources (fact sheet §7).
 *
 * A group (one communicator on one aggregation tree, as SHARP's dynamic trees give each job
 * a tree of its own) reserves at every AN of its tree: one group, OSTs (outstanding
 * operations) and buffer for each of them, and each switch port the tree uses (Quantum-2
 * lets a port carry one active streaming tree). A reservation that does not fit fails and says
 * which resource ran out; nothing is overbooked.
 *
 * Work: an AGGREGATE packet from a child (an HCA or a lower AN) for (group, operation,
 * offset) waits in the operation's buffer until every child's packet of the same operation and
 * offset has arrived; the AN then reduces them and, AggregationLatency later, sends one packet
 * up to its parent, or, at the root, the RESULT to each child. An AN that receives a RESULT
 * from its parent sends a copy to each child (the switch replicates, as multicast). The packets
 * carry a SharpContributionTag, merged at each reduction, so that tests can check that every
 * result holds each member's contribution exactly once.
 */
class SharpAggregationNode : public InNetworkEngine
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SharpAggregationNode();
    ~SharpAggregationNode() override;

    /// A child of the AN in one group's tree.
    struct Child
    {
        uint16_t address{0};  //!< its LID (an HCA) or its AN's LID
        bool isSwitch{false}; //!< an AN (else an HCA)
    };

    /// What one group asks of an AN.
    struct Request
    {
        uint32_t osts{0};            //!< outstanding operations
        uint64_t bufferPerOst{0};    //!< bytes of buffer per operation
        std::vector<uint16_t> ports; //!< switch ports the tree uses here
    };

    /**
     * \param request what a group would reserve
     * \return "" if it fits, else which resource is short and by how much ("OSTs: 60 of 64
     * reserved, 8 asked")
     */
    std::string CheckReservation(const Request& request) const;

    /**
     * \brief Reserve a group's resources and give it its place in the tree.
     * \param group the group id (unique in the subnet)
     * \param request what it reserves (must fit: see CheckReservation())
     * \param children its children here
     * \param parent its parent AN's LID, or 0 at the root
     */
    void Reserve(uint16_t group,
                 const Request& request,
                 const std::vector<Child>& children,
                 uint16_t parent);

    /**
     * \brief Free a group's resources (its operations must have finished).
     * \param group the group
     */
    void Release(uint16_t group);

    /** \return groups reserved now */
    uint32_t GetNGroups() const;
    /** \return OSTs reserved now */
    uint32_t GetReservedOsts() const;
    /** \return buffer bytes reserved now */
    uint64_t GetReservedBuffer() const;

    /**
     * \param group a group
     * \return the most buffer bytes its partial aggregations held at one time
     */
    uint64_t GetPeakBufferBytes(uint16_t group) const;

    /** \return reductions done (one per operation and offset) */
    uint64_t GetReductions() const;

    /**
     * TracedCallback signature for reductions.
     * \param group the group
     * \param sequence the operation
     * \param offset the packet's offset
     * \param bytes its data bytes
     */
    typedef void (*ReductionTracedCallback)(uint16_t group,
                                            uint32_t sequence,
                                            uint32_t offset,
                                            uint32_t bytes);

  protected:
    void CreateInternalLink(Ptr<FabricNetDevice>& engineSide,
                            Ptr<FabricNetDevice>& switchSide,
                            Ptr<FabricChannel>& channel) override;
    void SetDeviceAddress(Ptr<FabricNetDevice> device, uint16_t address) override;
    void HandlePacket(const SharpHeader& header,
                      const SharpContributionTag& tag,
                      uint16_t from) override;

  private:
    /// A group's place and reservation at this AN.
    struct Group
    {
        Request request;             //!< what it reserved
        std::vector<Child> children; //!< its children here
        uint16_t parent{0};          //!< its parent AN, 0 at the root
        uint64_t held{0};            //!< buffer bytes held now
        uint64_t peak{0};            //!< most held at once
    };

    /// Partial aggregation of one (group, operation, offset).
    struct Slot
    {
        uint32_t arrived{0}; //!< children's packets so far
        uint32_t count{0};   //!< contributions reduced
        uint64_t mask{0};    //!< which members
    };

    /**
     * \brief Send a reduced packet on: up to the parent, or down to every child at the root.
     * \param group the group
     * \param header the header of the reduced packet
     * \param tag its contributions
     */
    void Emit(uint16_t group, SharpHeader header, SharpContributionTag tag);

    /**
     * \brief Send a RESULT to every child.
     * \param group the group
     * \param header the header
     * \param tag contributions
     */
    void SendDown(const Group& group, SharpHeader header, const SharpContributionTag& tag);

    uint32_t m_maxGroups;                       //!< MaxGroups attribute
    uint32_t m_maxOsts;                         //!< OutstandingOperations attribute
    uint64_t m_bufferBytes;                     //!< BufferBytes attribute
    uint32_t m_maxTreesPerPort;                 //!< MaxTreesPerPort attribute
    std::map<uint16_t, Group> m_groups;         //!< reservations by group id
    std::unordered_map<uint64_t, Slot> m_slots; //!< partial aggregations
    std::map<uint16_t, uint32_t> m_portTrees;   //!< trees using each port
    uint64_t m_reductions{0};                   //!< reductions done

    TracedCallback<uint16_t, uint32_t, uint32_t, uint32_t> m_reductionTrace; //!< Reduction
};

} // namespace ns3

#endif /* SHARP_AGGREGATION_NODE_H */
