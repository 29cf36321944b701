/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_HELPER_H
#define IB_HELPER_H

#include "ns3/fabric-helper.h"
#include "ns3/ib-switch.h"

#include <string>

namespace ns3
{

class IbNetDevice;

/**
 * \ingroup ai-fabric
 * \brief Builds InfiniBand fabrics: switches, cables and the ports at their ends.
 *
 * As PointToPointHelper does for point-to-point links: attributes set here apply to every
 * port, cable and switch the helper creates afterwards. A port installed on a node that has
 * an IbSwitch becomes a port of that switch; on any other node it is an HCA port.
 * Pcap traces are InfiniBand captures that Wireshark decodes: link type 197 (ERF), each
 * packet behind a 16-byte ERF record header of type 21.
 */
class IbHelper : public FabricHelper
{
  public:
    IbHelper();
    ~IbHelper() override;

    /**
     * \brief Set an attribute of the VlArbiter of every port created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetArbiterAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Make a node a switch.
     * \param node the node; it must not have an IbSwitch yet
     * \return the switch, aggregated to the node
     */
    Ptr<IbSwitch> InstallSwitch(Ptr<Node> node);

    /**
     * \brief Make every node of a container a switch.
     * \param nodes the nodes
     */
    void InstallSwitch(NodeContainer nodes);

    using FabricHelper::Install;

  private:
    void EnablePcapInternal(std::string prefix,
                            Ptr<NetDevice> nd,
                            bool promiscuous,
                            bool explicitFilename) override;
    void ConfigurePort(Ptr<FabricNetDevice> port) override;
    std::string GetName() const override;

    ObjectFactory m_arbiterFactory; //!< VL arbiters
};

} // namespace ns3

#endif /* IB_HELPER_H */
