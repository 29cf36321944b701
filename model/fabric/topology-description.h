/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TOPOLOGY_DESCRIPTION_H
#define TOPOLOGY_DESCRIPTION_H

#include "ns3/data-rate.h"
#include "ns3/fabric-config-error.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A topology that cannot be built, with the file, line and field at fault.
 */
class TopologyError : public FabricFileError
{
  public:
    using FabricFileError::FabricFileError;
    ~TopologyError() override;
};

/// \ingroup ai-fabric
/// The link technologies a topology can use.
enum class FabricLinkType
{
    NVLINK,     //!< NvlinkNetDevice / NvSwitch
    INFINIBAND, //!< IbNetDevice / IbSwitch
};

/**
 * \ingroup ai-fabric
 * \brief A kind of server: its GPUs, their NVLink board, and its InfiniBand HCAs.
 */
struct NodeKindSpec
{
    std::string name;            //!< the kind's name, referred to by node groups
    std::string gpuModel;        //!< "H100", "A100", "B200"...
    std::string board;           //!< NVLink board preset ("H100", "A100", "B200"), empty for none
    uint32_t gpus{8};            //!< GPUs per node
    uint32_t hcas{8};            //!< InfiniBand ports per node, one per rail (0: none)
    std::string hcaSpeed{"NDR"}; //!< IB generation of the HCAs
    uint32_t hcaWidth{4};        //!< lanes per HCA port
    /// NVLS on the board's NVSwitches: -1 as the board has it (H100, H200, B200 yes; A100 no),
    /// 0 off, 1 on (an error on A100)
    int nvls{-1};
    uint32_t nvlsGroups{0}; //!< multicast objects per NVSwitch chip (0: NvlsEngine's default)
    /// A memory node (a pool of memory on the fabric): `gpus` are then its ports, each with
    /// an HCA, and the three fields below describe the memory behind them (MemoryPool)
    bool memory{false};
    uint64_t memoryCapacity{1ull << 40};              //!< memory: bytes
    DataRate memoryBandwidth{DataRate("2457.6Gb/s")}; //!< memory: shared by the ports
    Time memoryLatency{NanoSeconds(300)};             //!< memory: per access
    SourceLocation where;                             //!< where it was defined
};

/**
 * \ingroup ai-fabric
 * \brief Some nodes of one kind.
 */
struct NodeGroupSpec
{
    std::string kind;     //!< a NodeKindSpec name
    uint32_t count{0};    //!< how many nodes
    SourceLocation where; //!< where it was defined
};

/**
 * \ingroup ai-fabric
 * \brief A k-ary, n-level InfiniBand fat-tree across the nodes' HCAs.
 *
 * Leaves have `radix` ports; with oversubscription o a leaf gives radix*o/(o+1) ports to HCAs
 * and the rest to the level above. Rail-optimised: rail r (HCA r of every node) has leaf group
 * r of its own, so traffic between equal rails of different nodes stays below the spines.
 */
struct FatTreeSpec
{
    bool present{false};                  //!< a fat-tree was described
    uint32_t levels{2};                   //!< 2 (leaf-spine) or 3 (leaf-spine-core)
    uint32_t radix{64};                   //!< ports per switch
    double oversubscription{1.0};         //!< leaf down:up ratio (1 = non-blocking)
    bool railOptimized{true};             //!< rail r of every node on leaf group r
    std::string speed{"NDR"};             //!< IB generation of switch links
    uint32_t width{4};                    //!< lanes per link
    Time linkDelay{NanoSeconds(100)};     //!< cable delay
    Time switchLatency{NanoSeconds(330)}; //!< port-to-port latency
    bool sharp{true};                     //!< the switches aggregate (SHARP ANs, Quantum-2)
    uint32_t sharpGroups{0};              //!< groups per AN (0: SharpAggregationNode default)
    uint32_t sharpOsts{0};                //!< OSTs per AN (0: default)
    uint64_t sharpBuffer{0};              //!< aggregation buffer per AN, bytes (0: default)
    SourceLocation where;                 //!< where it was defined
};

/// \ingroup ai-fabric
/// The building blocks of one dimension, as in ASTRA-sim's network configurations.
enum class BlockType
{
    RING,            //!< each unit linked to its two neighbours, wrapping around
    FULLY_CONNECTED, //!< every unit linked to every other
    SWITCH,          //!< every unit linked to one switch
};

/**
 * \ingroup ai-fabric
 * \brief One dimension of a multi-dimensional topology: `size` units joined by one block type.
 *
 * GPUs are the product of the dimensions' sizes; a GPU's coordinate along dimension d says
 * which block of that dimension it sits in. Rings in several dimensions make a torus.
 */
struct DimensionSpec
{
    BlockType block{BlockType::RING};            //!< how the units are joined
    uint32_t size{2};                            //!< units along the dimension
    DataRate rate{DataRate("200Gb/s")};          //!< per link and direction
    Time latency{NanoSeconds(100)};              //!< per link (propagation)
    uint32_t linksPerPair{1};                    //!< parallel links between two neighbours
    FabricLinkType link{FabricLinkType::NVLINK}; //!< technology of the links
    Time switchLatency{NanoSeconds(100)};        //!< SWITCH blocks: port-to-port latency
    SourceLocation where;                        //!< where it was defined
};

/**
 * \ingroup ai-fabric
 * \brief A switch named in the explicit list.
 */
struct SwitchSpec
{
    std::string name;                                //!< unique name
    FabricLinkType type{FabricLinkType::INFINIBAND}; //!< IB switch or NVSwitch
    Time latency{NanoSeconds(330)};                  //!< port-to-port latency
    SourceLocation where;                            //!< where it was defined
};

/**
 * \ingroup ai-fabric
 * \brief A link named in the explicit list, between two endpoints written as
 * "gpu:RANK", "switch:NAME" or "hca:NODE/PORT".
 */
struct LinkSpec
{
    std::string a;                                   //!< one end
    std::string b;                                   //!< the other end
    FabricLinkType type{FabricLinkType::INFINIBAND}; //!< technology
    DataRate rate{DataRate("400Gb/s")};              //!< per direction
    Time delay{NanoSeconds(100)};                    //!< propagation
    uint32_t count{1};                               //!< parallel links
    SourceLocation where;                            //!< where it was defined
};

/**
 * \ingroup ai-fabric
 * \brief Everything a topology file or the TopologyHelper's C++ API says: the common
 * vocabulary of both.
 *
 * Two ways to give the GPUs: node groups of node kinds (servers with NVLink boards and HCAs,
 * joined by a fat-tree and/or explicit links), or dimensions (abstract GPUs joined by rings,
 * fully connected blocks and switches, as ASTRA-sim describes networks). Not both.
 */
struct TopologyDescription
{
    std::string name;                          //!< a title
    std::string file;                          //!< the file it was read from, if any
    std::map<std::string, NodeKindSpec> kinds; //!< node kinds by name
    std::vector<NodeGroupSpec> groups;         //!< node groups, ranks in this order
    FatTreeSpec fatTree;                       //!< scale-out fabric across HCAs
    std::vector<DimensionSpec> dimensions;     //!< multi-dimensional GPUs
    std::vector<SwitchSpec> switches;          //!< explicit switches
    std::vector<LinkSpec> links;               //!< explicit links
    bool allowDeadlock{false};                 //!< build even if the routes can deadlock
    SourceLocation where;                      //!< the document

    /**
     * \brief Check what can be checked without building: references, counts, rates, the
     * fat-tree's feasibility. Throws TopologyError at the first problem.
     */
    void Validate() const;

    /** \return the number of GPUs (ranks that are not memory-pool ports) */
    uint32_t GetGpuCount() const;
};

} // namespace ns3

#endif /* TOPOLOGY_DESCRIPTION_H */
