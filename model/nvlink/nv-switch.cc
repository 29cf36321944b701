/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nv-switch.h"

#include "ns3/boolean.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvSwitch");

NS_OBJECT_ENSURE_REGISTERED(NvSwitch);

TypeId
NvSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NvSwitch")
            .SetParent<FabricSwitch>()
            .SetGroupName("AiFabric")
            .AddConstructor<NvSwitch>()
            .AddAttribute("PortToPortLatency",
                          "Port-to-port latency; default 100 ns, an assumption (no public "
                          "figure, fact sheet §8.6).",
                          TimeValue(NanoSeconds(100)),
                          MakeTimeAccessor(&FabricSwitch::SetLatency, &FabricSwitch::GetLatency),
                          MakeTimeChecker(Time()))
            .AddAttribute(
                "CutThrough",
                "Switch cut-through (true) or store-and-forward (false).",
                BooleanValue(true),
                MakeBooleanAccessor(&FabricSwitch::SetCutThrough, &FabricSwitch::IsCutThrough),
                MakeBooleanChecker())
            .AddAttribute("VirtualOutputQueues",
                          "Virtual output queues (true, the default: an all-to-all runs at full "
                          "NVLink bandwidth) or FIFO inputs with head-of-line blocking (false).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FabricSwitch::SetVirtualOutputQueues,
                                              &FabricSwitch::HasVirtualOutputQueues),
                          MakeBooleanChecker())
            .AddAttribute("Nvls",
                          "Whether the chip does NVLS: multicast objects and in-switch reduction "
                          "(third-generation NVSwitch with H100 and later; not A100's, fact "
                          "sheet §8.5). NvlinkHelper sets it from the board.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NvSwitch::SetNvls, &NvSwitch::IsNvlsCapable),
                          MakeBooleanChecker());
    return tid;
}

NvSwitch::NvSwitch()
{
    NS_LOG_FUNCTION(this);
}

NvSwitch::~NvSwitch()
{
    NS_LOG_FUNCTION(this);
}

void
NvSwitch::SetNvls(bool nvls)
{
    m_nvls = nvls;
}

bool
NvSwitch::IsNvlsCapable() const
{
    return m_nvls;
}

std::string
NvSwitch::DescribeAddress(uint16_t dst) const
{
    return "GPU " + std::to_string(dst);
}

} // namespace ns3
