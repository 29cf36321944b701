/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-aeth-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbAethHeader");

NS_OBJECT_ENSURE_REGISTERED(IbAethHeader);

TypeId
IbAethHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbAethHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbAethHeader>();
    return tid;
}

IbAethHeader::IbAethHeader()
    : m_syndrome(SYNDROME_ACK | CREDITS_INVALID),
      m_msn(0)
{
    NS_LOG_FUNCTION(this);
}

IbAethHeader::~IbAethHeader()
{
    NS_LOG_FUNCTION(this);
}

TypeId
IbAethHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

IbAethHeader
IbAethHeader::MakeAck(uint32_t msn, uint8_t credits)
{
    NS_LOG_FUNCTION(msn << +credits);
    NS_ASSERT_MSG(credits <= SYNDROME_VALUE_MASK,
                  "AETH credit count " << +credits << " does not fit in 5 bits");
    IbAethHeader aeth;
    aeth.SetSyndrome(SYNDROME_ACK | (credits & SYNDROME_VALUE_MASK));
    aeth.SetMsn(msn);
    return aeth;
}

IbAethHeader
IbAethHeader::MakeNak(uint8_t nakCode, uint32_t msn)
{
    NS_LOG_FUNCTION(+nakCode << msn);
    NS_ASSERT_MSG((nakCode & ~SYNDROME_VALUE_MASK) == SYNDROME_NAK,
                  "AETH NAK code 0x" << std::hex << +nakCode << " is not a NAK syndrome");
    IbAethHeader aeth;
    aeth.SetSyndrome(SYNDROME_NAK | (nakCode & SYNDROME_VALUE_MASK));
    aeth.SetMsn(msn);
    return aeth;
}

IbAethHeader
IbAethHeader::MakeRnrNak(uint8_t timerCode, uint32_t msn)
{
    NS_LOG_FUNCTION(+timerCode << msn);
    NS_ASSERT_MSG(timerCode <= SYNDROME_VALUE_MASK,
                  "AETH RNR timer code " << +timerCode << " does not fit in 5 bits");
    IbAethHeader aeth;
    aeth.SetSyndrome(SYNDROME_RNR_NAK | (timerCode & SYNDROME_VALUE_MASK));
    aeth.SetMsn(msn);
    return aeth;
}

void
IbAethHeader::SetSyndrome(uint8_t syndrome)
{
    NS_ASSERT_MSG((syndrome & 0x80) == 0,
                  "AETH syndrome 0x" << std::hex << +syndrome << " sets reserved bit 7");
    m_syndrome = syndrome;
}

uint8_t
IbAethHeader::GetSyndrome() const
{
    return m_syndrome;
}

void
IbAethHeader::SetMsn(uint32_t msn)
{
    NS_ASSERT_MSG(msn <= MAX_MSN, "AETH MSN " << msn << " does not fit in 24 bits");
    m_msn = msn;
}

uint32_t
IbAethHeader::GetMsn() const
{
    return m_msn;
}

bool
IbAethHeader::IsAck() const
{
    return (m_syndrome & SYNDROME_TYPE_MASK) == SYNDROME_ACK;
}

bool
IbAethHeader::IsNak() const
{
    return (m_syndrome & SYNDROME_TYPE_MASK) == SYNDROME_NAK;
}

bool
IbAethHeader::IsRnrNak() const
{
    return (m_syndrome & SYNDROME_TYPE_MASK) == SYNDROME_RNR_NAK;
}

uint8_t
IbAethHeader::GetNakCode() const
{
    NS_ASSERT_MSG(IsNak(), "AETH is not a NAK");
    return m_syndrome;
}

uint8_t
IbAethHeader::GetCredits() const
{
    NS_ASSERT_MSG(IsAck(), "AETH is not an ACK");
    return m_syndrome & SYNDROME_VALUE_MASK;
}

uint8_t
IbAethHeader::GetRnrTimerCode() const
{
    NS_ASSERT_MSG(IsRnrNak(), "AETH is not an RNR NAK");
    return m_syndrome & SYNDROME_VALUE_MASK;
}

void
IbAethHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "Syndrome=0x" << std::hex << std::setw(2) << std::setfill('0') << +m_syndrome << std::dec;
    os.fill(fill);
    if (IsAck())
    {
        os << " (ACK credits=" << +(m_syndrome & SYNDROME_VALUE_MASK) << ")";
    }
    else if (IsRnrNak())
    {
        os << " (RNR NAK timer=" << +(m_syndrome & SYNDROME_VALUE_MASK) << ")";
    }
    else if (IsNak())
    {
        os << " (NAK code=" << +(m_syndrome & SYNDROME_VALUE_MASK) << ")";
    }
    else
    {
        os << " (reserved)";
    }
    os << " MSN=" << m_msn;
    os.flags(flags);
}

uint32_t
IbAethHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IbAethHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteHtonU32((static_cast<uint32_t>(m_syndrome) << 24) | (m_msn & MAX_MSN));
}

uint32_t
IbAethHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    uint32_t word = i.ReadNtohU32();
    m_syndrome = static_cast<uint8_t>(word >> 24);
    m_msn = word & MAX_MSN;
    return SIZE;
}

} // namespace ns3
