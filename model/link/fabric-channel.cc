/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-channel.h"

#include "fabric-net-device.h"

#include "ns3/double.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <cmath>
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
                          MakeTimeChecker())
            .AddAttribute("BitErrorRate",
                          "Errored bits per bit on the cable, each direction. A packet with an "
                          "error fails its ICRC/VCRC and the receiving port drops it (PhyRxDrop, "
                          "RxCrcError); the transport recovers it. Default 0: no errors and no "
                          "cost per packet. For scale: NVIDIA's ibdiagnet flags a port whose "
                          "BER exceeds 1e-12.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&FabricChannel::SetBitErrorRate,
                                             &FabricChannel::GetBitErrorRate),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddTraceSource("LinkState",
                            "The cable went down (false) or came up (true).",
                            MakeTraceSourceAccessor(&FabricChannel::m_linkStateTrace),
                            "ns3::FabricChannel::LinkStateTracedCallback");
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
    m_errorRng = nullptr;
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
    if (m_ber > 0.0 || !m_up)
    {
        device->EnableFaults();
    }
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

void
FabricChannel::SetLinkUp(bool up)
{
    NS_LOG_FUNCTION(this << up);
    if (up == m_up)
    {
        return;
    }
    m_up = up;
    m_lastChange = Simulator::Now();
    for (std::size_t i = 0; i < m_nEnds; ++i)
    {
        m_ends[i]->SetLinkState(up);
    }
    m_linkStateTrace(up);
}

bool
FabricChannel::IsLinkUp() const
{
    return m_up;
}

Time
FabricChannel::GetLastStateChange() const
{
    return m_lastChange;
}

double
FabricChannel::GetBitErrorRate() const
{
    return m_ber;
}

void
FabricChannel::SetBitErrorRate(double ber)
{
    m_ber = ber;
    if (ber > 0.0)
    {
        // Only a cable with errors draws: a healthy one neither pays for a random stream nor
        // shifts the stream numbers other models are given.
        if (!m_errorRng)
        {
            m_errorRng = CreateObject<UniformRandomVariable>();
        }
        for (std::size_t i = 0; i < m_nEnds; ++i)
        {
            m_ends[i]->EnableFaults();
        }
    }
}

bool
FabricChannel::DrawCorrupted(uint32_t bytes)
{
    if (m_ber <= 0.0)
    {
        return false;
    }
    const double p = -std::expm1(8.0 * bytes * std::log1p(-m_ber));
    return m_errorRng->GetValue() < p;
}

int64_t
FabricChannel::AssignStreams(int64_t stream)
{
    if (!m_errorRng)
    {
        m_errorRng = CreateObject<UniformRandomVariable>();
    }
    m_errorRng->SetStream(stream);
    return 1;
}

} // namespace ns3
