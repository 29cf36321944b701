/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-channel.h"

#include "fabric-net-device.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricChannel");

NS_OBJECT_ENSURE_REGISTERED(FabricChannel);

TypeId
FabricChannel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricChannel")
            .SetParent<Channel>()
            .SetGroupName("AiFabric")
            .AddConstructor<FabricChannel>()
            .AddAttribute("Delay",
                          "One-way propagation delay of the cable (> 0; about 5 ns per metre "
                          "of fibre). Default: 100 ns, a 20 m cable.",
                          TimeValue(NanoSeconds(100)),
                          MakeTimeAccessor(&FabricChannel::m_delay),
                          MakeTimeChecker());
    return tid;
}

FabricChannel::FabricChannel()
{
    NS_LOG_FUNCTION(this);
}

FabricChannel::~FabricChannel()
{
    NS_LOG_FUNCTION(this);
}

void
FabricChannel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_ends[0] = nullptr;
    m_ends[1] = nullptr;
    Channel::DoDispose();
}

void
FabricChannel::Attach(Ptr<FabricNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    if (m_nEnds >= 2)
    {
        throw FabricConfigError("FabricChannel " + std::to_string(GetId()),
                                "a point-to-point cable has two ends; a third port was attached");
    }
    // ns-3's MPI partitioning reads the delay as lookahead, and a zero-delay cable would let a
    // packet arrive in the instant it was sent.
    if (!m_delay.IsStrictlyPositive())
    {
        std::ostringstream got;
        got << m_delay.As(Time::NS);
        throw FabricConfigError("FabricChannel " + std::to_string(GetId()),
                                "Delay must be > 0 (got " + got.str() + ")");
    }
    m_ends[m_nEnds++] = device;
}

Ptr<FabricNetDevice>
FabricChannel::GetPeer(Ptr<const FabricNetDevice> device) const
{
    if (m_nEnds < 2)
    {
        return nullptr;
    }
    return m_ends[0] == device ? m_ends[1] : m_ends[0];
}

Time
FabricChannel::GetDelay() const
{
    return m_delay;
}

std::size_t
FabricChannel::GetNDevices() const
{
    return m_nEnds;
}

Ptr<NetDevice>
FabricChannel::GetDevice(std::size_t i) const
{
    NS_ASSERT(i < m_nEnds);
    return m_ends[i];
}

} // namespace ns3
