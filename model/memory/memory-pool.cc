/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "memory-pool.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MemoryPool");
NS_OBJECT_ENSURE_REGISTERED(MemoryPool);

TypeId
MemoryPool::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MemoryPool")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<MemoryPool>()
            // Eight DDR5-4800 channels: 8 x 4800 MT/s x 8 bytes = 307.2 GB/s (JEDEC JESD79-5),
            // what one CXL memory appliance's controllers give.
            .AddAttribute("Bandwidth",
                          "Memory bandwidth the pool's ports share (reads and writes)",
                          DataRateValue(DataRate("2457.6Gb/s")),
                          MakeDataRateAccessor(&MemoryPool::m_bandwidth),
                          MakeDataRateChecker())
            // CXL-attached DRAM: about 2x local DRAM's load-to-use latency, some 250-300 ns
            // (Li et al., "Pond", ASPLOS 2023, §2) [recalled].
            .AddAttribute("Latency",
                          "Time from the devices serving an access to its completion",
                          TimeValue(NanoSeconds(300)),
                          MakeTimeAccessor(&MemoryPool::m_latency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("Capacity",
                          "Bytes the pool holds",
                          UintegerValue(1ull << 40),
                          MakeUintegerAccessor(&MemoryPool::m_capacity),
                          MakeUintegerChecker<uint64_t>(1))
            .AddTraceSource("Access",
                            "An access served by the pool's devices",
                            MakeTraceSourceAccessor(&MemoryPool::m_accessTrace),
                            "ns3::MemoryPool::AccessTracedCallback");
    return tid;
}

MemoryPool::MemoryPool()
{
    NS_LOG_FUNCTION(this);
}

MemoryPool::~MemoryPool()
{
    NS_LOG_FUNCTION(this);
}

void
MemoryPool::SetName(const std::string& name)
{
    m_name = name;
}

const std::string&
MemoryPool::GetName() const
{
    return m_name;
}

DataRate
MemoryPool::GetBandwidth() const
{
    return m_bandwidth;
}

Time
MemoryPool::GetLatency() const
{
    return m_latency;
}

uint64_t
MemoryPool::GetCapacity() const
{
    return m_capacity;
}

void
MemoryPool::Allocate(const std::string& owner, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << owner << bytes);
    const uint64_t before = m_owners.count(owner) ? m_owners.at(owner) : 0;
    const uint64_t after = m_allocated - before + bytes;
    if (after > m_capacity)
    {
        throw FabricConfigError("MemoryPool " + m_name,
                                owner + " needs " + std::to_string(bytes) + " bytes but only " +
                                    std::to_string(m_capacity - (m_allocated - before)) + " of " +
                                    std::to_string(m_capacity) + " are free (Capacity)");
    }
    m_owners[owner] = bytes;
    m_allocated = after;
}

void
MemoryPool::Free(const std::string& owner)
{
    auto it = m_owners.find(owner);
    if (it != m_owners.end())
    {
        m_allocated -= it->second;
        m_owners.erase(it);
    }
}

uint64_t
MemoryPool::GetAllocated() const
{
    return m_allocated;
}

Time
MemoryPool::Access(bool write, uint64_t bytes)
{
    if (m_bandwidth.GetBitRate() == 0)
    {
        throw FabricConfigError("MemoryPool " + m_name, "Bandwidth must be greater than zero");
    }
    const Time now = Simulator::Now();
    const Time start = std::max(now, m_busyUntil);
    const Time service = m_bandwidth.CalculateBytesTxTime(bytes);
    m_busyUntil = start + service;
    m_busy += service;
    (write ? m_written : m_read) += bytes;
    NS_LOG_LOGIC(m_name << (write ? " store " : " load ") << bytes << " B served "
                        << start.As(Time::US) << " - " << m_busyUntil.As(Time::US));
    m_accessTrace(write, bytes, start, m_busyUntil);
    return m_busyUntil + m_latency - now;
}

uint64_t
MemoryPool::GetBytesRead() const
{
    return m_read;
}

uint64_t
MemoryPool::GetBytesWritten() const
{
    return m_written;
}

Time
MemoryPool::GetBusyTime() const
{
    return m_busy;
}

Ptr<MemoryPool>
MemoryPool::Find(Ptr<FabricTopology> topology, uint32_t rank)
{
    if (!topology->IsMemoryEndpoint(rank))
    {
        return nullptr;
    }
    // The pool object sits on the node of its lowest-numbered port.
    const uint32_t server = topology->GetServer(rank);
    uint32_t first = rank;
    while (first > 0 && topology->GetServer(first - 1) == server)
    {
        --first;
    }
    return topology->GetGpuNode(first)->GetObject<MemoryPool>();
}

} // namespace ns3
