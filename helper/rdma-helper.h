/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_HELPER_H
#define RDMA_HELPER_H

#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/rdma-engine.h"
#include "ns3/rdma-queue-pair.h"

#include <string>
#include <utility>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Puts RDMA engines on endpoint nodes and connects queue pairs between them, so that
 * users deal in nodes (ranks), never in fabric addresses.
 *
 * Install() aggregates an RdmaEngine to a node and gives it the node's endpoint fabric ports
 * (one per FabricPortGroup). Connect() creates a queue pair on each of two nodes (installing
 * their engines if needed) and connects them with the addresses of their ports, each QP's
 * number and first PSN, and the smaller of the two ports' Mtu as path MTU. Run the fabric's
 * addressing (IbSubnetManager::Run() on InfiniBand) before Connect(). Attributes set here apply
 * to the engines and queue pairs created afterwards.
 *
 * \code
 *   RdmaHelper rdma;
 *   rdma.SetQueuePairAttribute("InflightWindow", UintegerValue(512 * 1024));
 *   auto [a, b] = rdma.Connect(gpus.Get(0), gpus.Get(1));
 *   a->PostWrite(1 << 20);
 * \endcode
 */
class RdmaHelper
{
  public:
    RdmaHelper();

    /**
     * \brief Set an attribute of every RdmaEngine created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetEngineAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every RdmaQueuePair created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetQueuePairAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Give a node an RDMA engine on its endpoint ports (or return the one it has).
     * \param node an endpoint node with at least one fabric port
     * \return its engine
     */
    Ptr<RdmaEngine> Install(Ptr<Node> node) const;

    /**
     * \brief Install() on every node of a container.
     * \param nodes the nodes
     */
    void Install(NodeContainer nodes) const;

    /**
     * \brief Create a connected pair of queue pairs between two nodes.
     * \param a one node
     * \param b another node
     * \return the QP on a (first) and the QP on b (second)
     * Throws FabricConfigError if a node is a switch or has no port, if a and b are the same
     * node, or if their ports have the same address (the fabric is not addressed yet).
     */
    std::pair<Ptr<RdmaQueuePair>, Ptr<RdmaQueuePair>> Connect(Ptr<Node> a, Ptr<Node> b) const;

  private:
    ObjectFactory m_engineFactory; //!< engines
    ObjectFactory m_qpFactory;     //!< queue pairs
};

} // namespace ns3

#endif /* RDMA_HELPER_H */
