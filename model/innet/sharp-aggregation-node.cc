/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sharp-aggregation-node.h"

#include "ns3/fabric-config-error.h"
#include "ns3/ib-channel.h"
#include "ns3/ib-net-device.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SharpAggregationNode");

NS_OBJECT_ENSURE_REGISTERED(SharpAggregationNode);

TypeId
SharpAggregationNode::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SharpAggregationNode")
            .SetParent<InNetworkEngine>()
            .SetGroupName("AiFabric")
            .AddConstructor<SharpAggregationNode>()
            .AddAttribute(
                "AggregationLatency",
                "Time from the last child's packet of an operation and offset to the reduced "
                "packet leaving the AN. Default 300 ns [derived, unverified]: the SHArP paper's "
                "8-byte all-reduce (fact sheet §7.4: 2.83 us at 128 hosts, two AN levels) less "
                "about 1.2 us of host posting and completion and 0.4 us of cables and switch hops "
                "leaves about 0.6 us per aggregating level, of which this model already charges "
                "two crossbar traversals through the AN's internal port.",
                TimeValue(NanoSeconds(300)),
                MakeTimeAccessor(&SharpAggregationNode::m_latency),
                MakeTimeChecker(Time()))
            .AddAttribute("ReductionRate",
                          "Throughput of the AN, each direction (the rate of its internal port). "
                          "Default 25.6 Tb/s, half of Quantum-2's 51.2 Tb/s bidirectional "
                          "capacity (fact sheet §4.2): SHARPv3 reduces at line rate on every "
                          "port [assumed].",
                          DataRateValue(DataRate("25600Gbps")),
                          MakeDataRateAccessor(&SharpAggregationNode::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("MaxGroups",
                          "Groups (communicators) the AN serves at once. Default 33 [derived]: "
                          "a streaming job's default quota is 3 % of an AN's OSTs, buffers and "
                          "groups (per_prio_default_sat_quota, SHARP 3.0.0; fact sheet §7.1), so "
                          "about 33 such jobs fit.",
                          UintegerValue(33),
                          MakeUintegerAccessor(&SharpAggregationNode::m_maxGroups),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("OutstandingOperations",
                          "OSTs of the AN, all groups together. Default 256 [assumed: the "
                          "per-AN total is not public].",
                          UintegerValue(256),
                          MakeUintegerAccessor(&SharpAggregationNode::m_maxOsts),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("BufferBytes",
                          "Aggregation buffer of the AN in bytes, all groups together. Default "
                          "16 MiB = 256 OSTs of 64 KiB [assumed: not public].",
                          UintegerValue(16 * 1024 * 1024),
                          MakeUintegerAccessor(&SharpAggregationNode::m_bufferBytes),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("MaxTreesPerPort",
                          "Active streaming trees one switch port may carry. Default 1: "
                          "Quantum-2 limits SAT to one active tree per port (SHARP 3.13.0; "
                          "fact sheet §7.3).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&SharpAggregationNode::m_maxTreesPerPort),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Reduction",
                            "The AN reduced its children's packets of one operation and offset.",
                            MakeTraceSourceAccessor(&SharpAggregationNode::m_reductionTrace),
                            "ns3::SharpAggregationNode::ReductionTracedCallback");
    return tid;
}

SharpAggregationNode::SharpAggregationNode()
    : m_maxGroups(33),
      m_maxOsts(256),
      m_bufferBytes(16 * 1024 * 1024),
      m_maxTreesPerPort(1)
{
}

SharpAggregationNode::~SharpAggregationNode() = default;

void
SharpAggregationNode::CreateInternalLink(Ptr<FabricNetDevice>& engineSide,
                                         Ptr<FabricNetDevice>& switchSide,
                                         Ptr<FabricChannel>& channel)
{
    engineSide = CreateObject<IbNetDevice>();
    switchSide = CreateObject<IbNetDevice>();
    channel = CreateObject<IbChannel>();
}

void
SharpAggregationNode::SetDeviceAddress(Ptr<FabricNetDevice> device, uint16_t address)
{
    DynamicCast<IbNetDevice>(device)->SetLid(address);
}

std::string
SharpAggregationNode::CheckReservation(const Request& request) const
{
    if (m_groups.size() + 1 > m_maxGroups)
    {
        return "groups exhausted (" + std::to_string(m_groups.size()) + "/" +
               std::to_string(m_maxGroups) + ")";
    }
    const uint32_t osts = GetReservedOsts();
    if (osts + request.osts > m_maxOsts)
    {
        return "OSTs exhausted (" + std::to_string(osts) + "/" + std::to_string(m_maxOsts) +
               " reserved, " + std::to_string(request.osts) + " asked)";
    }
    const uint64_t buffer = GetReservedBuffer();
    const uint64_t asked = request.osts * request.bufferPerOst;
    if (buffer + asked > m_bufferBytes)
    {
        return "buffer exhausted (" + std::to_string(buffer) + "/" + std::to_string(m_bufferBytes) +
               " B reserved, " + std::to_string(asked) + " B asked)";
    }
    for (uint16_t port : request.ports)
    {
        auto it = m_portTrees.find(port);
        const uint32_t used = it == m_portTrees.end() ? 0 : it->second;
        if (used + 1 > m_maxTreesPerPort)
        {
            return "trees exhausted on port " + std::to_string(port) + " (" + std::to_string(used) +
                   "/" + std::to_string(m_maxTreesPerPort) + ")";
        }
    }
    return "";
}

void
SharpAggregationNode::Reserve(uint16_t group,
                              const Request& request,
                              const std::vector<Child>& children,
                              uint16_t parent)
{
    NS_LOG_FUNCTION(this << group << children.size() << parent);
    const std::string why = CheckReservation(request);
    if (!why.empty())
    {
        throw FabricConfigError(Describe(),
                                "cannot reserve group " + std::to_string(group) + ": " + why);
    }
    if (m_groups.count(group) || children.empty())
    {
        throw FabricConfigError(Describe(),
                                "group " + std::to_string(group) +
                                    (children.empty() ? " has no children" : " exists already"));
    }
    Group& g = m_groups[group];
    g.request = request;
    g.children = children;
    g.parent = parent;
    for (uint16_t port : request.ports)
    {
        ++m_portTrees[port];
    }
}

void
SharpAggregationNode::Release(uint16_t group)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end())
    {
        return;
    }
    for (uint16_t port : it->second.request.ports)
    {
        if (--m_portTrees[port] == 0)
        {
            m_portTrees.erase(port);
        }
    }
    m_groups.erase(it);
}

uint32_t
SharpAggregationNode::GetNGroups() const
{
    return static_cast<uint32_t>(m_groups.size());
}

uint32_t
SharpAggregationNode::GetReservedOsts() const
{
    uint32_t osts = 0;
    for (const auto& [id, g] : m_groups)
    {
        osts += g.request.osts;
    }
    return osts;
}

uint64_t
SharpAggregationNode::GetReservedBuffer() const
{
    uint64_t bytes = 0;
    for (const auto& [id, g] : m_groups)
    {
        bytes += g.request.osts * g.request.bufferPerOst;
    }
    return bytes;
}

uint64_t
SharpAggregationNode::GetPeakBufferBytes(uint16_t group) const
{
    auto it = m_groups.find(group);
    return it == m_groups.end() ? 0 : it->second.peak;
}

uint64_t
SharpAggregationNode::GetReductions() const
{
    return m_reductions;
}

void
SharpAggregationNode::HandlePacket(const SharpHeader& header,
                                   const SharpContributionTag& tag,
                                   uint16_t from)
{
    auto it = m_groups.find(header.GetGroup());
    if (it == m_groups.end())
    {
        throw FabricConfigError(Describe(),
                                "received a SHARP packet of group " +
                                    std::to_string(header.GetGroup()) +
                                    ", which has no reservation here");
    }
    Group& g = it->second;
    if (header.GetOpcode() == SharpHeader::RESULT)
    {
        SendDown(g, header, tag);
        return;
    }
    if (header.GetOpcode() != SharpHeader::AGGREGATE)
    {
        throw FabricConfigError(Describe(),
                                "received SHARP opcode " + std::to_string(header.GetOpcode()));
    }
    // (group, operation, offset); operations in flight are far fewer than 2^20 apart and
    // an operation is at most BufferPerOst <= 256 MiB.
    const uint64_t key = (static_cast<uint64_t>(header.GetGroup()) << 48) |
                         (static_cast<uint64_t>(header.GetSequence() & 0xFFFFF) << 28) |
                         (header.GetOffset() & 0xFFFFFFF);
    Slot& slot = m_slots[key];
    if (slot.arrived == 0)
    {
        // The operation's buffer holds the running sum of this offset.
        g.held += header.GetLength();
        g.peak = std::max(g.peak, g.held);
        if (g.held > g.request.osts * g.request.bufferPerOst)
        {
            throw FabricConfigError(Describe(),
                                    "group " + std::to_string(header.GetGroup()) +
                                        " holds more than it reserved: its members exceed "
                                        "their OSTs or operation size");
        }
    }
    ++slot.arrived;
    slot.count += tag.GetCount();
    slot.mask |= tag.GetMask();
    if (slot.arrived < g.children.size())
    {
        return;
    }
    SharpContributionTag reduced(slot.count, slot.mask);
    m_slots.erase(key);
    ++m_reductions;
    m_reductionTrace(header.GetGroup(),
                     header.GetSequence(),
                     header.GetOffset(),
                     header.GetLength());
    Simulator::Schedule(m_latency,
                        &SharpAggregationNode::Emit,
                        this,
                        header.GetGroup(),
                        header,
                        reduced);
}

void
SharpAggregationNode::Emit(uint16_t group, SharpHeader header, SharpContributionTag tag)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end())
    {
        return; // released meanwhile
    }
    Group& g = it->second;
    g.held -= std::min<uint64_t>(g.held, header.GetLength());
    header.SetOrigin(GetAddress());
    if (g.parent != 0)
    {
        SendPacket(header, header.GetLength(), g.parent, InNetworkPort::SWITCH_QPN, tag);
        return;
    }
    header.SetOpcode(SharpHeader::RESULT);
    SendDown(g, header, tag);
}

void
SharpAggregationNode::SendDown(const Group& group,
                               SharpHeader header,
                               const SharpContributionTag& tag)
{
    header.SetOrigin(GetAddress());
    for (const Child& child : group.children)
    {
        SendPacket(header,
                   header.GetLength(),
                   child.address,
                   child.isSwitch ? InNetworkPort::SWITCH_QPN : InNetworkPort::ENDPOINT_QPN,
                   tag);
    }
}

} // namespace ns3
