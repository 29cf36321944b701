/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_HELPER_H
#define FABRIC_HELPER_H

#include "ns3/fabric-net-device.h"
#include "ns3/fabric-switch.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/trace-helper.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What the helpers of every fabric technology share: factories for ports, cables and
 * switches, cabling two nodes, making a node a switch, and ascii tracing.
 *
 * As PointToPointHelper does: attributes set here apply to what the helper creates afterwards.
 * A port installed on a node that is a switch becomes one of its ports. IbHelper and
 * NvlinkHelper add their technology's defaults, extras and pcap format.
 */
class FabricHelper : public PcapHelperForDevice, public AsciiTraceHelperForDevice
{
  public:
    ~FabricHelper() override;

    /**
     * \brief Set an attribute of every port created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetDeviceAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every cable created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetChannelAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every switch created from now on.
     * \param name attribute name
     * \param value its value
     */
    void SetSwitchAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Cable two nodes together: a port on each, one channel between them.
     * \param a one node
     * \param b the other node
     * \return the two ports, a's first
     */
    NetDeviceContainer Install(Ptr<Node> a, Ptr<Node> b);

  protected:
    /**
     * \param device the port TypeId name
     * \param channel the cable TypeId name
     * \param sw the switch TypeId name
     */
    FabricHelper(const std::string& device, const std::string& channel, const std::string& sw);

    /**
     * \brief Make a node a switch.
     * \param node the node; it must not be a switch yet
     * \return the switch, aggregated to the node
     */
    Ptr<FabricSwitch> CreateSwitch(Ptr<Node> node);

    /**
     * \param node a node
     * \return a new port on it, a switch port if the node is a switch
     */
    Ptr<FabricNetDevice> CreatePort(Ptr<Node> node);

    /**
     * \brief Give a new port what the technology adds (an arbiter...); nothing by default.
     * \param port the port, before it is added to its node
     */
    virtual void ConfigurePort(Ptr<FabricNetDevice> port);

    /** \return the helper's name for error messages */
    virtual std::string GetName() const = 0;

    /**
     * \brief Open a capture file for a port.
     * \param prefix file prefix (or whole name)
     * \param nd the port
     * \param explicitFilename prefix is the whole file name
     * \param linkType the pcap link type of the records
     * \return the file
     */
    Ptr<PcapFileWrapper> OpenPcapFile(std::string prefix,
                                      Ptr<NetDevice> nd,
                                      bool explicitFilename,
                                      uint32_t linkType);

    void EnableAsciiInternal(Ptr<OutputStreamWrapper> stream,
                             std::string prefix,
                             Ptr<NetDevice> nd,
                             bool explicitFilename) override;

    ObjectFactory m_deviceFactory;  //!< ports
    ObjectFactory m_channelFactory; //!< cables
    ObjectFactory m_switchFactory;  //!< switches
};

} // namespace ns3

#endif /* FABRIC_HELPER_H */
