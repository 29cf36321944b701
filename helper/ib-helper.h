/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_HELPER_H
#define IB_HELPER_H

#include "ns3/ib-switch.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/trace-helper.h"

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
class IbHelper : public PcapHelperForDevice, public AsciiTraceHelperForDevice
{
  public:
    IbHelper();
    ~IbHelper() override;

    /**
     * \brief Set an attribute of every IbNetDevice created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetDeviceAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every IbChannel created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetChannelAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every IbSwitch created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetSwitchAttribute(std::string name, const AttributeValue& value);

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

    /**
     * \brief Cable two nodes together: a port on each, one IbChannel between them.
     * \param a one node
     * \param b the other node
     * \return the two ports, a's first
     */
    NetDeviceContainer Install(Ptr<Node> a, Ptr<Node> b);

  private:
    void EnablePcapInternal(std::string prefix,
                            Ptr<NetDevice> nd,
                            bool promiscuous,
                            bool explicitFilename) override;
    void EnableAsciiInternal(Ptr<OutputStreamWrapper> stream,
                             std::string prefix,
                             Ptr<NetDevice> nd,
                             bool explicitFilename) override;

    /**
     * \param node a node
     * \return a new port on it, a switch port if the node is a switch
     */
    Ptr<IbNetDevice> CreatePort(Ptr<Node> node);

    ObjectFactory m_deviceFactory;  //!< ports
    ObjectFactory m_channelFactory; //!< cables
    ObjectFactory m_switchFactory;  //!< switches
    ObjectFactory m_arbiterFactory; //!< VL arbiters
};

} // namespace ns3

#endif /* IB_HELPER_H */
