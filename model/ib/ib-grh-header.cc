/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-grh-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbGrhHeader");

NS_OBJECT_ENSURE_REGISTERED(IbGrhHeader);

namespace
{

/**
 * \brief Print a GID as eight colon-separated groups of four hex digits.
 * \param os the output stream
 * \param gid the GID
 */
void
PrintGid(std::ostream& os, const IbGrhHeader::Gid& gid)
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << std::hex << std::setfill('0');
    for (std::size_t k = 0; k < gid.size(); k += 2)
    {
        if (k > 0)
        {
            os << ':';
        }
        os << std::setw(2) << +gid[k] << std::setw(2) << +gid[k + 1];
    }
    os.flags(flags);
    os.fill(fill);
}

} // namespace

TypeId
IbGrhHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbGrhHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbGrhHeader>();
    return tid;
}

IbGrhHeader::IbGrhHeader()
    : m_ipVer(DEFAULT_IP_VER),
      m_tClass(0),
      m_flowLabel(0),
      m_payLen(0),
      m_nxtHdr(NEXT_HEADER_IBA),
      m_hopLmt(0xFF),
      m_sgid{},
      m_dgid{}
{
    NS_LOG_FUNCTION(this);
}

IbGrhHeader::~IbGrhHeader()
{
    NS_LOG_FUNCTION(this);
}

TypeId
IbGrhHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IbGrhHeader::SetIpVer(uint8_t ipVer)
{
    NS_ASSERT_MSG(ipVer <= 0x0F, "GRH IPVer " << +ipVer << " does not fit in 4 bits");
    m_ipVer = ipVer;
}

uint8_t
IbGrhHeader::GetIpVer() const
{
    return m_ipVer;
}

void
IbGrhHeader::SetTClass(uint8_t tClass)
{
    m_tClass = tClass;
}

uint8_t
IbGrhHeader::GetTClass() const
{
    return m_tClass;
}

void
IbGrhHeader::SetFlowLabel(uint32_t flowLabel)
{
    NS_ASSERT_MSG(flowLabel <= MAX_FLOW_LABEL,
                  "GRH FlowLabel " << flowLabel << " does not fit in 20 bits");
    m_flowLabel = flowLabel;
}

uint32_t
IbGrhHeader::GetFlowLabel() const
{
    return m_flowLabel;
}

void
IbGrhHeader::SetPayLen(uint16_t payLen)
{
    m_payLen = payLen;
}

uint16_t
IbGrhHeader::GetPayLen() const
{
    return m_payLen;
}

void
IbGrhHeader::SetNxtHdr(uint8_t nxtHdr)
{
    m_nxtHdr = nxtHdr;
}

uint8_t
IbGrhHeader::GetNxtHdr() const
{
    return m_nxtHdr;
}

void
IbGrhHeader::SetHopLmt(uint8_t hopLmt)
{
    m_hopLmt = hopLmt;
}

uint8_t
IbGrhHeader::GetHopLmt() const
{
    return m_hopLmt;
}

void
IbGrhHeader::SetSgid(const Gid& sgid)
{
    m_sgid = sgid;
}

IbGrhHeader::Gid
IbGrhHeader::GetSgid() const
{
    return m_sgid;
}

void
IbGrhHeader::SetDgid(const Gid& dgid)
{
    m_dgid = dgid;
}

IbGrhHeader::Gid
IbGrhHeader::GetDgid() const
{
    return m_dgid;
}

void
IbGrhHeader::Print(std::ostream& os) const
{
    os << "IPVer=" << +m_ipVer << " TClass=" << +m_tClass << " FlowLabel=" << m_flowLabel
       << " PayLen=" << m_payLen << " NxtHdr=" << +m_nxtHdr << " HopLmt=" << +m_hopLmt << " SGID=";
    PrintGid(os, m_sgid);
    os << " DGID=";
    PrintGid(os, m_dgid);
}

uint32_t
IbGrhHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IbGrhHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    uint32_t word0 = (static_cast<uint32_t>(m_ipVer & 0x0F) << 28) |
                     (static_cast<uint32_t>(m_tClass) << 20) | (m_flowLabel & MAX_FLOW_LABEL);
    i.WriteHtonU32(word0);
    i.WriteHtonU16(m_payLen);
    i.WriteU8(m_nxtHdr);
    i.WriteU8(m_hopLmt);
    i.Write(m_sgid.data(), static_cast<uint32_t>(m_sgid.size()));
    i.Write(m_dgid.data(), static_cast<uint32_t>(m_dgid.size()));
}

uint32_t
IbGrhHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    uint32_t word0 = i.ReadNtohU32();
    m_ipVer = static_cast<uint8_t>(word0 >> 28);
    m_tClass = static_cast<uint8_t>((word0 >> 20) & 0xFF);
    m_flowLabel = word0 & MAX_FLOW_LABEL;
    m_payLen = i.ReadNtohU16();
    m_nxtHdr = i.ReadU8();
    m_hopLmt = i.ReadU8();
    i.Read(m_sgid.data(), static_cast<uint32_t>(m_sgid.size()));
    i.Read(m_dgid.data(), static_cast<uint32_t>(m_dgid.size()));
    return SIZE;
}

} // namespace ns3
