/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef SHARP_AGGREGATION_MANAGER_H
#define SHARP_AGGREGATION_MANAGER_H

#include "sharp-aggregation-node.h"

#include "ns3/fabric-net-device.h"
#include "ns3/fabric-switch.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A SHARP group as the aggregation manager granted it (or refused it).
 */
struct SharpGroupInfo
{
    std::string refused;          //!< "" if granted, else why not
    uint16_t group{0};            //!< the group id
    uint32_t members{0};          //!< HCAs in the group
    std::vector<uint16_t> leaves; //!< per member: the LID of its leaf AN
    uint32_t levels{0};           //!< AN levels from the leaves to the root (1: one switch)
    uint32_t osts{0};             //!< OSTs per AN (and per member)
    uint64_t bufferPerOst{0};     //!< the largest operation, bytes
    std::vector<Ptr<SharpAggregationNode>> nodes; //!< every AN of the tree, leaves first
    /// The ports member 0's data leaves by on its way up: its HCA, then each AN level's
    /// uplink (the analytical model costs the tree from them).
    std::vector<Ptr<FabricNetDevice>> upPath;
    /// Most children of any AN of the tree (the widest fan-in).
    uint32_t maxChildren{0};

    /** \return true if granted */
    bool IsGranted() const
    {
        return refused.empty();
    }
};

/**
 * \ingroup ai-fabric
 * \brief SHARP's aggregation manager (sharp_am): builds a group's aggregation tree over the
 * InfiniBand fabric and reserves its resources at every aggregation node (fact sheet §7.1).
 *
 * Trees are dynamic, one per group, as SHARP builds them per job since 3.4. The leaves of the
 * tree are the members' HCAs; their leaf switches are its lowest ANs; each level above is
 * covered by as few switches one level up (the switches' levels are their distances from the
 * HCAs) as the links allow, greedily, the switch covering most of the level first, lowest node
 * id on ties, and only switches whose resources fit (groups, OSTs, buffer per OST, trees per
 * port: see SharpAggregationNode); the root is the one switch that remains. An AN is
 * installed on an IB switch the first time a tree uses it, with LID 0xBFFF minus the switch's
 * node id. A request that cannot be met is refused with the reason, and the GroupRefused trace
 * fires: the caller falls back to a host algorithm.
 */
class SharpAggregationManager : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SharpAggregationManager();
    ~SharpAggregationManager() override;

    /**
     * \brief Build and reserve a group's tree.
     * \param hcas the members' HCA ports, member order
     * \return the group, or why not
     */
    SharpGroupInfo CreateGroup(const std::vector<Ptr<FabricNetDevice>>& hcas);

    /**
     * \brief Free a granted group's resources.
     * \param group the group
     */
    void ReleaseGroup(const SharpGroupInfo& group);

    /**
     * \param sw an InfiniBand switch
     * \return its AN, installed now if it has none
     */
    static Ptr<SharpAggregationNode> GetAggregationNode(Ptr<FabricSwitch> sw);

    /**
     * TracedCallback signature for refused groups.
     * \param reason why
     */
    typedef void (*RefusedTracedCallback)(const std::string& reason);

  private:
    uint32_t m_osts;         //!< OstsPerGroup attribute
    uint64_t m_bufferPerOst; //!< BufferPerOst attribute

    TracedCallback<const std::string&> m_refusedTrace; //!< GroupRefused
};

} // namespace ns3

#endif /* SHARP_AGGREGATION_MANAGER_H */
