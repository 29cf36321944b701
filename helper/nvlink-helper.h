/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLINK_HELPER_H
#define NVLINK_HELPER_H

#include "ns3/data-rate.h"
#include "ns3/fabric-helper.h"
#include "ns3/fabric-port-group.h"
#include "ns3/nvlink-generation.h"
#include "ns3/nvlink-net-device.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What an NVLink board is made of: GPUs, NVSwitch chips, and how many links each GPU
 * has to each chip.
 */
struct NvlinkBoardSpec
{
    std::string name;                     //!< e.g. "DGX H100"
    NvlinkGeneration generation;          //!< NVLink generation
    DataRate linkRate;                    //!< per link and direction
    uint32_t gpus{8};                     //!< GPUs on the board
    std::vector<uint32_t> linksPerSwitch; //!< links from every GPU to chip k (empty: no chips)
    /// Whether the chips do NVLS (multicast and reduction): third-generation NVSwitch (NVLink 4,
    /// H100) and later, not A100's (fact sheet §8.5).
    bool nvls{false};

    /** \return total links per GPU */
    uint32_t LinksPerGpu() const;

    /**
     * \return DGX/HGX A100: 8 GPUs, 12 NVLink 3 links each, 2 to each of 6 NVSwitch chips
     * (6 chips [unverified], fact sheet §8.4)
     */
    static NvlinkBoardSpec DgxA100();

    /**
     * \return DGX/HGX H100: 8 GPUs, 18 NVLink 4 links each, 5/4/4/5 over 4 NVSwitch chips
     * (the split is [unverified], fact sheet §8.4)
     */
    static NvlinkBoardSpec DgxH100();

    /**
     * \return HGX B200: 8 GPUs, 18 NVLink 5 links each, 9/9 over 2 NVSwitch chips
     * ([unverified]: chips per board not in the fact sheet)
     */
    static NvlinkBoardSpec HgxB200();

    /**
     * \param name "A100", "H100" or "B200" (also "DGX H100" ...)
     * \return the preset; throws FabricConfigError for another name
     */
    static NvlinkBoardSpec FromName(const std::string& name);
};

/**
 * \ingroup ai-fabric
 * \brief A board built by NvlinkHelper::InstallBoard().
 */
struct NvlinkBoard
{
    NvlinkBoardSpec spec;                                 //!< what it was built from
    NodeContainer gpus;                                   //!< GPU nodes
    NodeContainer switches;                               //!< NVSwitch chip nodes
    std::vector<Ptr<FabricPortGroup>> ports;              //!< each GPU's links, acting as one port
    std::vector<uint16_t> gpuIds;                         //!< each GPU's id
    std::vector<std::vector<Ptr<NvlinkNetDevice>>> links; //!< each GPU's link ports

    /**
     * \param gpu index on the board
     * \return the port an upper layer sends through (the first link; the group sprays)
     */
    Ptr<NvlinkNetDevice> GetGpuPort(uint32_t gpu) const;
};

/**
 * \ingroup ai-fabric
 * \brief Builds NVLink fabrics: single links, and whole boards from a preset in one call.
 *
 * As PointToPointHelper does: attributes set here apply to every port, link, chip and group
 * the helper creates afterwards; a board preset then sets the link rate of its generation.
 * GPU ids are handed out from 1 upwards, unique across the boards one helper builds. Pcap
 * traces use link type 147 (DLT_USER0); the packet starts with the NvlinkHeader.
 */
class NvlinkHelper : public FabricHelper
{
  public:
    NvlinkHelper();
    ~NvlinkHelper() override;

    /**
     * \param name attribute of FabricPortGroup (SprayPolicy)
     * \param value its value
     */
    void SetGroupAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Build a board: NVSwitch chips on new nodes, every GPU cabled to every chip with
     * the preset's number of links, GPU ids, spraying groups and the chips' routes.
     * \param spec the board
     * \param gpus the GPU nodes (spec.gpus of them)
     * \return the board
     */
    NvlinkBoard InstallBoard(const NvlinkBoardSpec& spec, NodeContainer gpus);

    /**
     * \brief As above, creating the GPU nodes too.
     * \param spec the board
     * \return the board
     */
    NvlinkBoard InstallBoard(const NvlinkBoardSpec& spec);

    using FabricHelper::Install;

    /**
     * \brief Coarsen the simulated NVLink transfer unit of every NVLink port on the given
     * nodes: each simulated packet then carries up to dataBytes of data (their Mtu), sent as
     * that many bytes' 256 B NVLink packets and headers, so the wire bytes stay exact and only
     * the store-and-forward granularity grows. Fewer, larger units make a large collective
     * much cheaper to simulate (doc/performance.md measures how the result moves); call it
     * before the transport connects (Communicator::Setup).
     * \param nodes the nodes whose NVLink ports change (NodeContainer::GetGlobal() for all)
     * \param dataBytes data bytes per unit: 16 (one flit) to 65280 (255 packets of 256 B,
     * within the header's 16-bit length)
     * \return the number of ports changed
     */
    static uint32_t SetTransferUnit(NodeContainer nodes, uint32_t dataBytes);

  private:
    void EnablePcapInternal(std::string prefix,
                            Ptr<NetDevice> nd,
                            bool promiscuous,
                            bool explicitFilename) override;
    std::string GetName() const override;

    ObjectFactory m_groupFactory; //!< GPU port groups
    uint16_t m_nextGpuId{1};      //!< next GPU id to hand out
};

} // namespace ns3

#endif /* NVLINK_HELPER_H */
