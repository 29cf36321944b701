/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_TOPOLOGY_H
#define FABRIC_TOPOLOGY_H

#include "topology-description.h"

#include "ns3/data-rate.h"
#include "ns3/fabric-net-device.h"
#include "ns3/node-container.h"
#include "ns3/object.h"

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A built fabric: GPUs by rank, their devices and addresses, switches, links, routes.
 *
 * Made by TopologyHelper from a TopologyDescription. Every GPU is one Node; rank r has GPU id
 * r + 1 on NVLink and, when it has an HCA, LID r + 1 on InfiniBand. It answers the questions a
 * user asks of a topology: how many of what, the bisection bandwidth, the path between two
 * ranks, whether the routes can deadlock; and it exports Graphviz DOT.
 */
class FabricTopology : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricTopology();
    ~FabricTopology() override;

    /// One cable (or NVLink link) of the fabric.
    struct Link
    {
        Ptr<FabricNetDevice> a; //!< one end
        Ptr<FabricNetDevice> b; //!< the other end
        std::string category;   //!< what it joins: "nvlink", "hca-leaf", "ring dim 0"...
    };

    /** \return the number of GPUs */
    uint32_t GetNRanks() const;
    /**
     * \param rank a rank
     * \return its node
     */
    Ptr<Node> GetGpuNode(uint32_t rank) const;
    /** \return every GPU node, in rank order */
    NodeContainer GetGpuNodes() const;
    /** \return every switch node (IB switches, NVSwitch chips, GPU routers) */
    NodeContainer GetSwitchNodes() const;
    /**
     * \param rank a rank
     * \return its address on the scale-up fabric (NVLink GPU id), i.e. rank + 1
     */
    uint16_t GetGpuId(uint32_t rank) const;
    /**
     * \param rank a rank
     * \return the port its scale-up traffic leaves by (a member of its NVLink group, or its
     * endpoint port in a dimension topology), or nullptr
     */
    Ptr<FabricNetDevice> GetScaleUpPort(uint32_t rank) const;
    /**
     * \param rank a rank
     * \return its InfiniBand HCA port, or nullptr
     */
    Ptr<FabricNetDevice> GetHcaPort(uint32_t rank) const;
    /**
     * \param rank a rank
     * \return the server (node group member) it belongs to; in a dimension topology, its rank
     */
    uint32_t GetServer(uint32_t rank) const;
    /**
     * \param rank a rank
     * \return whether it is a port of a memory pool (a node kind with a memory section), not
     * a GPU
     */
    bool IsMemoryEndpoint(uint32_t rank) const;
    /** \return the ranks that are memory-pool ports, in order */
    std::vector<uint32_t> GetMemoryEndpoints() const;
    /** \return the number of ranks that are GPUs */
    uint32_t GetNGpus() const;
    /**
     * \param node a node
     * \return its name in summaries and DOT ("s1.gpu3", "leaf0", "spine2", "s1.nvsw0")
     */
    std::string GetName(Ptr<Node> node) const;
    /**
     * \param port a transmitting port
     * \return "node/ifIndex -> peer node" ("s0.gpu0/3 -> s0.nvsw1")
     */
    std::string GetPortName(Ptr<FabricNetDevice> port) const;
    /** \return every link */
    const std::vector<Link>& GetLinks() const;
    /** \return links per category */
    std::map<std::string, uint32_t> CountLinks() const;
    /** \return bisection bandwidth per direction, from the topology's closed form */
    DataRate GetBisectionBandwidth() const;

    /**
     * \brief The nodes a packet from one rank to another crosses, in order (the first of
     * several equal paths). Same server: NVLink; other servers: InfiniBand.
     * \param from source rank
     * \param to destination rank
     * \return node names, source and destination GPUs included
     */
    std::vector<std::string> GetPath(uint32_t from, uint32_t to) const;

    /// One hop of a path: the ports a packet may leave by there (several where it is sprayed).
    typedef std::vector<Ptr<FabricNetDevice>> Hop;

    /**
     * \brief The hops of the path a transfer from one rank to another takes, each with every
     * port packets are sprayed over there (a GPU's NVLink links, an NVSwitch's links to the
     * destination GPU), for the analytical model.
     * \param from source rank
     * \param to destination rank
     * \return the hops, in order; empty when from == to
     */
    std::vector<Hop> GetPathHops(uint32_t from, uint32_t to) const;

    /**
     * \param from source rank
     * \param to destination rank
     * \return whether some hop of the path sprays packets over parallel ports, so that they
     * may arrive out of order
     */
    bool IsPathSprayed(uint32_t from, uint32_t to) const;

    /**
     * \param from source rank
     * \param to destination rank
     * \return the port the source's RDMA engine sends by (scale-up within a server, else HCA)
     */
    Ptr<FabricNetDevice> GetSourcePort(uint32_t from, uint32_t to) const;

    /**
     * \param from source rank
     * \param to destination rank
     * \return the address packets to the destination carry (GPU id or LID)
     */
    uint16_t GetDestinationAddress(uint32_t from, uint32_t to) const;

    /**
     * \brief Build the channel dependency graph of every route on every VL and look for a
     * cycle: a routing whose graph is acyclic cannot deadlock under credit flow control.
     * \return an empty string if acyclic, else a description of one cycle
     */
    std::string FindDeadlockCycle() const;

    /** \return a summary a user can read */
    std::string GetSummary() const;

    /**
     * \brief Write the fabric as a Graphviz DOT graph: each server's GPUs (and NVSwitch chips) in
     * a cluster, the other switches in ranks by level (hops from the GPUs), parallel links as
     * one edge labelled with their category, count and speed.
     * \param os the stream
     * \param load if given, utilisation [0, 1] by port name (GetPortName; e.g. from
     * FabricLinkUsage::MeasurePorts after a run): each edge is coloured from green to red by
     * its busier direction and labelled with it
     */
    void WriteDot(std::ostream& os, const std::map<std::string, double>* load = nullptr) const;

    // Filled by TopologyHelper.

    /**
     * \param node a GPU node
     * \param gpuId its GPU id
     * \param server its server index
     * \param name its name
     * \return its rank
     */
    uint32_t AddGpu(Ptr<Node> node, uint16_t gpuId, uint32_t server, const std::string& name);
    /**
     * \param rank a rank
     * \param port the port its scale-up traffic leaves by
     */
    void SetScaleUpPort(uint32_t rank, Ptr<FabricNetDevice> port);
    /**
     * \param rank a rank
     * \param port its HCA port
     */
    void SetHcaPort(uint32_t rank, Ptr<FabricNetDevice> port);
    /**
     * \brief Mark a rank as a memory-pool port (for the builder).
     * \param rank the rank
     */
    void SetMemoryEndpoint(uint32_t rank);
    /**
     * \param node a switch node
     * \param name its name
     */
    void AddSwitch(Ptr<Node> node, const std::string& name);
    /**
     * \param a one end
     * \param b the other end
     * \param category what it joins
     */
    void AddLink(Ptr<FabricNetDevice> a, Ptr<FabricNetDevice> b, const std::string& category);
    /**
     * \param bisection the bisection bandwidth per direction
     */
    void SetBisectionBandwidth(DataRate bisection);
    /**
     * \param description what the fabric was built from
     */
    void SetDescription(const TopologyDescription& description);
    /** \return what the fabric was built from */
    const TopologyDescription& GetDescription() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Walk the forwarding tables from a port toward an address.
     * \param first the port the packet leaves by
     * \param dst destination address
     * \return the ports the packet leaves by, hop by hop (first path of several)
     */
    std::vector<Ptr<FabricNetDevice>> Walk(Ptr<FabricNetDevice> first, uint16_t dst) const;

    NodeContainer m_gpus;                        //!< GPU nodes by rank
    std::vector<uint16_t> m_gpuIds;              //!< GPU ids by rank
    std::vector<uint32_t> m_servers;             //!< server by rank
    std::vector<Ptr<FabricNetDevice>> m_scaleUp; //!< scale-up port by rank
    std::vector<Ptr<FabricNetDevice>> m_hcas;    //!< HCA port by rank
    std::vector<bool> m_memory;                  //!< by rank: a memory-pool port
    NodeContainer m_switches;                    //!< switch nodes
    std::map<uint32_t, std::string> m_names;     //!< node id -> name
    std::vector<Link> m_links;                   //!< every link
    DataRate m_bisection;                        //!< bisection bandwidth
    TopologyDescription m_description;           //!< the source
};

} // namespace ns3

#endif /* FABRIC_TOPOLOGY_H */
