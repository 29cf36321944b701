/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-switch.h"

#include "ns3/boolean.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbSwitch");

NS_OBJECT_ENSURE_REGISTERED(IbSwitch);

TypeId
IbSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IbSwitch")
            .SetParent<FabricSwitch>()
            .SetGroupName("AiFabric")
            .AddConstructor<IbSwitch>()
            .AddAttribute("PortToPortLatency",
                          "Port-to-port latency; default 330 ns, a reported "
                          "Quantum-2 figure [unverified].",
                          TimeValue(NanoSeconds(330)),
                          MakeTimeAccessor(&FabricSwitch::SetLatency, &FabricSwitch::GetLatency),
                          MakeTimeChecker(Time()))
            .AddAttribute(
                "CutThrough",
                "Switch cut-through (true, as InfiniBand switches "
                "do) or store-and-forward (false).",
                BooleanValue(true),
                MakeBooleanAccessor(&FabricSwitch::SetCutThrough, &FabricSwitch::IsCutThrough),
                MakeBooleanChecker())
            .AddAttribute("VirtualOutputQueues",
                          "Virtual output queues (true) or FIFO input buffers with head-of-line "
                          "blocking (false, the default).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&FabricSwitch::SetVirtualOutputQueues,
                                              &FabricSwitch::HasVirtualOutputQueues),
                          MakeBooleanChecker())
            .AddAttribute("Sharp",
                          "Whether the switch aggregates (a SHARP aggregation node: Switch-IB 2 "
                          "and later, Quantum-2 included; fact sheet §7.3). Off, SHARP groups "
                          "cannot use it.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&IbSwitch::SetSharp, &IbSwitch::IsSharpCapable),
                          MakeBooleanChecker());
    return tid;
}

IbSwitch::IbSwitch()
{
    NS_LOG_FUNCTION(this);
}

IbSwitch::~IbSwitch()
{
    NS_LOG_FUNCTION(this);
}

void
IbSwitch::SetSharp(bool sharp)
{
    m_sharp = sharp;
}

bool
IbSwitch::IsSharpCapable() const
{
    return m_sharp;
}

std::string
IbSwitch::DescribeAddress(uint16_t dst) const
{
    return "LID " + std::to_string(dst);
}

} // namespace ns3
