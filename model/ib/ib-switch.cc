/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-switch.h"

#include "ib-bth-header.h"
#include "ib-grh-header.h"
#include "ib-lrh-header.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

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
                          MakeBooleanChecker())
            .AddAttribute("AdaptiveRoutingSlMask",
                          "SLs that route adaptively, one bit each (bit s: SL s); 0 (default): "
                          "none. AdaptiveRouting true sets every bit.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&FabricSwitch::SetAdaptiveRoutingSlMask,
                                               &FabricSwitch::GetAdaptiveRoutingSlMask),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute(
                "AdaptiveRouting",
                "Route every SL adaptively: each packet leaves by the least-loaded "
                "port of its destination's AR group (false: only the SLs of "
                "AdaptiveRoutingSlMask; the others take the static LFT port). "
                "Default false, so that a fabric built without an AR-capable subnet "
                "manager behaves as before; NVIDIA's opensm.conf enables AR by "
                "default (routing_engine ar_updn; InfiniBand Cluster Bring-up "
                "Procedure, \"Adaptive Routing\"), and collective-perf "
                "--routing=adaptive turns it on.",
                BooleanValue(false),
                MakeBooleanAccessor(&IbSwitch::SetAdaptiveRouting, &IbSwitch::IsAdaptiveRouting),
                MakeBooleanChecker())
            .AddAttribute("CongestionControl",
                          "Mark FECN on packets that join a congested egress queue (IBTA Annex "
                          "A10). Default false: upstream OpenSM ships congestion control off "
                          "(osm_subnet.c: congestion_control = FALSE).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&FabricSwitch::SetCongestionMarking,
                                              &FabricSwitch::IsCongestionMarking),
                          MakeBooleanChecker())
            .AddAttribute("QueueThreshold",
                          "Egress queue depth, bytes, at or above which a port counts as hot "
                          "(its time above it is reported) and, with CongestionControl, a "
                          "port and VL marks FECN. Default 16384 B: four 4 KiB packets, a "
                          "quarter of one input buffer [assumed; IBTA's Threshold is a 0-15 "
                          "level of a buffer whose size is not public].",
                          UintegerValue(16384),
                          MakeUintegerAccessor(&FabricSwitch::SetQueueThreshold,
                                               &FabricSwitch::GetQueueThreshold),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute(
                "MarkingRate",
                "Eligible packets left unmarked between two FECN marks (IBTA "
                "Marking_Rate); 0 marks every eligible packet [assumed default].",
                UintegerValue(0),
                MakeUintegerAccessor(&FabricSwitch::SetMarkingRate, &FabricSwitch::GetMarkingRate),
                MakeUintegerChecker<uint32_t>());
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

void
IbSwitch::SetAdaptiveRouting(bool on)
{
    // Off leaves the per-SL mask alone (attributes are set in order: the mask first).
    if (on)
    {
        SetAdaptiveRoutingSlMask(0xFFFF);
    }
}

bool
IbSwitch::IsAdaptiveRouting() const
{
    return GetAdaptiveRoutingSlMask() == 0xFFFF;
}

bool
IbSwitch::MarkCongestion(FabricFrame& frame)
{
    // FECN is a variant bit (not covered by the ICRC): rewrite the BTH behind the LRH (and
    // the GRH, if any). Only marked packets pay for this.
    Ptr<Packet> packet = frame.packet;
    IbLrhHeader lrh;
    packet->RemoveHeader(lrh);
    const auto lnh = lrh.GetLnh();
    if (lnh != IbLrhHeader::IBA_LOCAL && lnh != IbLrhHeader::IBA_GLOBAL)
    {
        packet->AddHeader(lrh);
        return false;
    }
    IbGrhHeader grh;
    if (lnh == IbLrhHeader::IBA_GLOBAL)
    {
        packet->RemoveHeader(grh);
    }
    IbBthHeader bth;
    packet->RemoveHeader(bth);
    bth.SetFecn(true);
    packet->AddHeader(bth);
    if (lnh == IbLrhHeader::IBA_GLOBAL)
    {
        packet->AddHeader(grh);
    }
    packet->AddHeader(lrh);
    return true;
}

std::string
IbSwitch::DescribeAddress(uint16_t dst) const
{
    return "LID " + std::to_string(dst);
}

} // namespace ns3
