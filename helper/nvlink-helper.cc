/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvlink-helper.h"

#include "ns3/config.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/nv-switch.h"
#include "ns3/nvlink-channel.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvlinkHelper");

namespace
{
/// pcap link type for the model's own NVLink format (DLT_USER0).
constexpr uint32_t DLT_USER0 = 147;
} // namespace

uint32_t
NvlinkBoardSpec::LinksPerGpu() const
{
    uint32_t links = 0;
    for (uint32_t n : linksPerSwitch)
    {
        links += n;
    }
    return links;
}

NvlinkBoardSpec
NvlinkBoardSpec::DgxA100()
{
    return NvlinkBoardSpec{"DGX A100",
                           NvlinkGeneration::NVLINK3,
                           NvlinkLinkDataRate(NvlinkGeneration::NVLINK3),
                           8,
                           {2, 2, 2, 2, 2, 2},
                           false};
}

NvlinkBoardSpec
NvlinkBoardSpec::DgxH100()
{
    return NvlinkBoardSpec{"DGX H100",
                           NvlinkGeneration::NVLINK4,
                           NvlinkLinkDataRate(NvlinkGeneration::NVLINK4),
                           8,
                           {5, 4, 4, 5},
                           true};
}

NvlinkBoardSpec
NvlinkBoardSpec::HgxB200()
{
    return NvlinkBoardSpec{"HGX B200",
                           NvlinkGeneration::NVLINK5,
                           NvlinkLinkDataRate(NvlinkGeneration::NVLINK5),
                           8,
                           {9, 9},
                           true};
}

NvlinkBoardSpec
NvlinkBoardSpec::FromName(const std::string& name)
{
    if (name == "A100" || name == "DGX A100")
    {
        return DgxA100();
    }
    if (name == "H100" || name == "DGX H100" || name == "H200")
    {
        return DgxH100();
    }
    if (name == "B200" || name == "HGX B200")
    {
        return HgxB200();
    }
    throw FabricConfigError("NvlinkBoardSpec",
                            "unknown board \"" + name + "\" (A100, H100, H200 or B200)");
}

Ptr<NvlinkNetDevice>
NvlinkBoard::GetGpuPort(uint32_t gpu) const
{
    return links.at(gpu).front();
}

NvlinkHelper::NvlinkHelper()
    : FabricHelper("ns3::NvlinkNetDevice", "ns3::NvlinkChannel", "ns3::NvSwitch")
{
    // NVSwitch buffer sizes are not public. 256 KiB per link and VL lets the virtual output
    // queues of a chip keep every link busy under an all-to-all (64 KiB does not).
    m_deviceFactory.Set("RxBufferSize", UintegerValue(256 * 1024));
    // Raw NVLink link latency is not public (fact sheet §8.6): 5 ns, about a metre of trace.
    m_channelFactory.Set("Delay", TimeValue(NanoSeconds(5)));
    m_groupFactory.SetTypeId("ns3::FabricPortGroup");
}

NvlinkHelper::~NvlinkHelper() = default;

std::string
NvlinkHelper::GetName() const
{
    return "NvlinkHelper";
}

void
NvlinkHelper::SetGroupAttribute(std::string name, const AttributeValue& value)
{
    m_groupFactory.Set(name, value);
}

NvlinkBoard
NvlinkHelper::InstallBoard(const NvlinkBoardSpec& spec)
{
    NodeContainer gpus;
    gpus.Create(spec.gpus);
    return InstallBoard(spec, gpus);
}

NvlinkBoard
NvlinkHelper::InstallBoard(const NvlinkBoardSpec& spec, NodeContainer gpus)
{
    NS_LOG_FUNCTION(this << spec.name);
    const std::string where = "NvlinkHelper board \"" + spec.name + "\"";
    if (gpus.GetN() != spec.gpus)
    {
        throw FabricConfigError(where,
                                "needs " + std::to_string(spec.gpus) + " GPU nodes, got " +
                                    std::to_string(gpus.GetN()));
    }
    if (spec.linkRate.GetBitRate() == 0)
    {
        throw FabricConfigError(where, "link rate is zero");
    }
    if (spec.linksPerSwitch.empty() || spec.LinksPerGpu() == 0)
    {
        throw FabricConfigError(where, "has no NVSwitch links");
    }
    if (static_cast<uint32_t>(m_nextGpuId) + spec.gpus >= 0xFFFF)
    {
        throw FabricConfigError(where, "more GPUs than GPU ids");
    }
    NvlinkBoard board;
    board.spec = spec;
    board.gpus = gpus;
    // On the GPUs' simulator process: NVLink cables never cross a partition.
    board.switches.Create(static_cast<uint32_t>(spec.linksPerSwitch.size()),
                          gpus.GetN() > 0 ? gpus.Get(0)->GetSystemId() : 0);
    if (spec.nvls && spec.generation < NvlinkGeneration::NVLINK4)
    {
        throw FabricConfigError(where,
                                "asks for NVLS, which needs third-generation NVSwitch (NVLink 4, "
                                "H100) or later (fact sheet §8.5)");
    }
    for (uint32_t s = 0; s < board.switches.GetN(); ++s)
    {
        CreateSwitch(board.switches.Get(s));
        board.switches.Get(s)->GetObject<NvSwitch>()->SetNvls(spec.nvls);
    }
    board.links.resize(spec.gpus);
    for (uint32_t g = 0; g < spec.gpus; ++g)
    {
        const uint16_t id = m_nextGpuId++;
        board.gpuIds.push_back(id);
        Ptr<FabricPortGroup> group = m_groupFactory.Create<FabricPortGroup>();
        board.ports.push_back(group);
        for (uint32_t s = 0; s < board.switches.GetN(); ++s)
        {
            Ptr<FabricSwitch> sw = board.switches.Get(s)->GetObject<FabricSwitch>();
            for (uint32_t l = 0; l < spec.linksPerSwitch[s]; ++l)
            {
                NetDeviceContainer link = Install(gpus.Get(g), board.switches.Get(s));
                auto gpuPort = DynamicCast<NvlinkNetDevice>(link.Get(0));
                NS_ASSERT(gpuPort);
                auto swPort = DynamicCast<NvlinkNetDevice>(link.Get(1));
                gpuPort->SetDataRate(spec.linkRate);
                swPort->SetDataRate(spec.linkRate);
                const NvlinkPacketFormat format = NvlinkGetPacketFormat(spec.generation);
                for (const auto& port : {gpuPort, swPort})
                {
                    port->SetAttribute("MaxPayload", UintegerValue(format.maxPayload));
                    port->SetAttribute("HeaderBytes", UintegerValue(format.overhead));
                }
                gpuPort->SetGpuId(id);
                group->AddPort(gpuPort);
                board.links[g].push_back(gpuPort);
                // The chip sprays packets for this GPU over all its links to it.
                sw->AddRoute(id, swPort->GetSwitchPort());
            }
        }
    }
    return board;
}

void
NvlinkHelper::EnablePcapInternal(std::string prefix,
                                 Ptr<NetDevice> nd,
                                 bool promiscuous,
                                 bool explicitFilename)
{
    Ptr<NvlinkNetDevice> device = nd->GetObject<NvlinkNetDevice>();
    if (!device)
    {
        NS_LOG_INFO("NvlinkHelper::EnablePcapInternal(): " << nd << " is not an NVLink port");
        return;
    }
    Ptr<PcapFileWrapper> file = OpenPcapFile(prefix, nd, explicitFilename, DLT_USER0);
    PcapHelper().HookDefaultSink<NvlinkNetDevice>(device,
                                                  promiscuous ? "PromiscSniffer" : "Sniffer",
                                                  file);
}

uint32_t
NvlinkHelper::SetTransferUnit(NodeContainer nodes, uint32_t dataBytes)
{
    constexpr uint32_t largest = 255 * 256; // NvlinkHeader's 16-bit payload length
    if (dataBytes < 16 || dataBytes > largest)
    {
        throw FabricConfigError("NvlinkHelper::SetTransferUnit",
                                "a transfer unit of " + std::to_string(dataBytes) +
                                    " B is outside 16-" + std::to_string(largest) + " B");
    }
    uint32_t changed = 0;
    for (auto node = nodes.Begin(); node != nodes.End(); ++node)
    {
        for (uint32_t d = 0; d < (*node)->GetNDevices(); ++d)
        {
            if (Ptr<NvlinkNetDevice> port = DynamicCast<NvlinkNetDevice>((*node)->GetDevice(d)))
            {
                port->SetMtu(static_cast<uint16_t>(dataBytes));
                ++changed;
            }
        }
    }
    return changed;
}

} // namespace ns3
