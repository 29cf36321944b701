/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "nvls-engine.h"

#include "ns3/data-rate.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/nvlink-channel.h"
#include "ns3/nvlink-net-device.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NvlsEngine");

NS_OBJECT_ENSURE_REGISTERED(NvlsEngine);

TypeId
NvlsEngine::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NvlsEngine")
            .SetParent<InNetworkEngine>()
            .SetGroupName("AiFabric")
            .AddConstructor<NvlsEngine>()
            .AddAttribute("AggregationLatency",
                          "Time from the last member's data of a load-reduce to the reduced "
                          "packet leaving the engine. Default 100 ns [assumed: NVSwitch "
                          "latencies are not public, fact sheet §8.6].",
                          TimeValue(NanoSeconds(100)),
                          MakeTimeAccessor(&NvlsEngine::m_latency),
                          MakeTimeChecker(Time()))
            .AddAttribute("ReductionRate",
                          "Throughput of the chip's multicast and reduction engine, each "
                          "direction (the rate of its internal port). Default 12.8 Tb/s: the "
                          "chip's 64 NVLink 4 ports at 25 GB/s (fact sheet §8.2), i.e. it "
                          "reduces at line rate [assumed; a user's 400 GFLOPS FP32 figure, "
                          "§8.2, is unverified].",
                          DataRateValue(DataRate("12800Gbps")),
                          MakeDataRateAccessor(&NvlsEngine::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("MaxGroups",
                          "Multicast objects the chip holds at once. Default 16 [assumed: the "
                          "size of NVSwitch's multicast table is not public].",
                          UintegerValue(16),
                          MakeUintegerAccessor(&NvlsEngine::m_maxGroups),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("RequestBytes",
                          "Wire bytes a read request adds per NVLink packet of data it asks "
                          "for (a READ to a member, a LOAD_REDUCE from the requester). Default "
                          "24 B [calibrated]: 8 x H100 NVLS all-reduce of 1 GiB then gives "
                          "485 GB/s busbw (277 GB/s algbw), where an NCCL maintainer gives a "
                          "peak of ~480 GB/s (~275 GB/s algbw) against ~370 GB/s for ring "
                          "(nccl-tests issue 212).",
                          UintegerValue(24),
                          MakeUintegerAccessor(&NvlsEngine::m_requestBytes),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Reduction",
                            "The engine reduced its members' data of one load-reduce.",
                            MakeTraceSourceAccessor(&NvlsEngine::m_reductionTrace),
                            "ns3::SharpAggregationNode::ReductionTracedCallback");
    return tid;
}

NvlsEngine::NvlsEngine()
    : m_maxGroups(16),
      m_requestBytes(24),
      m_packetPayload(256)
{
}

NvlsEngine::~NvlsEngine() = default;

void
NvlsEngine::CreateInternalLink(Ptr<FabricNetDevice>& engineSide,
                               Ptr<FabricNetDevice>& switchSide,
                               Ptr<FabricChannel>& channel)
{
    Ptr<NvlinkNetDevice> a = CreateObject<NvlinkNetDevice>();
    Ptr<NvlinkNetDevice> b = CreateObject<NvlinkNetDevice>();
    engineSide = a;
    switchSide = b;
    channel = CreateObject<NvlinkChannel>();
    UintegerValue payload;
    a->GetAttribute("MaxPayload", payload);
    m_packetPayload = std::max<uint32_t>(1, payload.Get());
}

void
NvlsEngine::SetDeviceAddress(Ptr<FabricNetDevice> device, uint16_t address)
{
    DynamicCast<NvlinkNetDevice>(device)->SetGpuId(address);
}

uint32_t
NvlsEngine::GetRequestBytes(uint32_t length) const
{
    return m_requestBytes * ((length + m_packetPayload - 1) / m_packetPayload);
}

std::string
NvlsEngine::CheckReservation(uint16_t group) const
{
    if (m_groups.count(group))
    {
        return "multicast object " + std::to_string(group) + " is bound already";
    }
    if (m_groups.size() >= m_maxGroups)
    {
        return "multicast groups exhausted (" + std::to_string(m_groups.size()) + "/" +
               std::to_string(m_maxGroups) + ")";
    }
    return "";
}

void
NvlsEngine::Reserve(uint16_t group, const std::vector<uint16_t>& members)
{
    const std::string why = CheckReservation(group);
    if (!why.empty())
    {
        throw FabricConfigError(Describe(), why);
    }
    m_groups[group] = members;
}

void
NvlsEngine::Release(uint16_t group)
{
    m_groups.erase(group);
}

uint32_t
NvlsEngine::GetNGroups() const
{
    return static_cast<uint32_t>(m_groups.size());
}

uint32_t
NvlsEngine::GetMaxGroups() const
{
    return m_maxGroups;
}

uint64_t
NvlsEngine::GetReductions() const
{
    return m_reductions;
}

const std::vector<uint16_t>&
NvlsEngine::Members(uint16_t group) const
{
    auto it = m_groups.find(group);
    if (it == m_groups.end())
    {
        throw FabricConfigError(Describe(),
                                "received a request for multicast object " + std::to_string(group) +
                                    ", which it does not hold");
    }
    return it->second;
}

void
NvlsEngine::HandlePacket(const SharpHeader& header, const SharpContributionTag& tag, uint16_t from)
{
    const uint16_t group = header.GetGroup();
    switch (header.GetOpcode())
    {
    case SharpHeader::LOAD_REDUCE: {
        // Read the same offset from every member, the requester included.
        SharpHeader read = header;
        read.SetOpcode(SharpHeader::READ);
        read.SetOrigin(from);
        const uint32_t request = GetRequestBytes(header.GetLength());
        for (uint16_t member : Members(group))
        {
            SendPacket(read,
                       request,
                       member,
                       InNetworkPort::ENDPOINT_QPN,
                       SharpContributionTag(),
                       true);
        }
        break;
    }
    case SharpHeader::READ_DATA: {
        const auto& members = Members(group);
        const Key key{group, header.GetSequence(), header.GetOffset()};
        Pending& p = m_pending[key];
        ++p.arrived;
        p.count += tag.GetCount();
        p.mask |= tag.GetMask();
        if (p.arrived < members.size())
        {
            return;
        }
        const SharpContributionTag sum(p.count, p.mask);
        m_pending.erase(key);
        ++m_reductions;
        m_reductionTrace(group, header.GetSequence(), header.GetOffset(), header.GetLength());
        SharpHeader reduced = header;
        reduced.SetOpcode(SharpHeader::REDUCED);
        const uint16_t requester = header.GetOrigin();
        Simulator::Schedule(m_latency, [this, reduced, requester, sum]() {
            SendPacket(reduced,
                       reduced.GetLength(),
                       requester,
                       InNetworkPort::ENDPOINT_QPN,
                       sum,
                       true);
        });
        break;
    }
    case SharpHeader::STORE: {
        SharpHeader copy = header;
        copy.SetOpcode(SharpHeader::STORE_DATA);
        copy.SetOrigin(from);
        for (uint16_t member : Members(group))
        {
            SendPacket(copy, header.GetLength(), member, InNetworkPort::ENDPOINT_QPN, tag);
        }
        break;
    }
    default:
        throw FabricConfigError(Describe(),
                                "received in-network opcode " + std::to_string(header.GetOpcode()) +
                                    ", not an NVLS one");
    }
}

} // namespace ns3
