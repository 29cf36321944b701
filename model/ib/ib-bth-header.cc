/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ib-bth-header.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IbBthHeader");

NS_OBJECT_ENSURE_REGISTERED(IbBthHeader);

namespace
{

constexpr uint8_t TRANSPORT_MASK = 0xE0; //!< Opcode bits that select the transport
constexpr uint8_t OPERATION_MASK = 0x1F; //!< Opcode bits that select the operation
constexpr uint8_t TRANSPORT_RC = 0x00;   //!< Reliable Connected
constexpr uint8_t TRANSPORT_UC = 0x20;   //!< Unreliable Connected
constexpr uint8_t TRANSPORT_UD = 0x60;   //!< Unreliable Datagram

/**
 * \brief Whether an opcode byte is one of the IbOpcode enumerators.
 * \param opcode the opcode byte
 * \return true if known
 */
bool
IsKnownOpcode(uint8_t opcode)
{
    uint8_t transport = opcode & TRANSPORT_MASK;
    uint8_t op = opcode & OPERATION_MASK;
    switch (transport)
    {
    case TRANSPORT_RC:
        return op <= 0x14 || op == 0x16 || op == 0x17 || op == 0x1C || op == 0x1D;
    case TRANSPORT_UC:
        return op <= 0x0B;
    case TRANSPORT_UD:
        return op == 0x04 || op == 0x05;
    default:
        return false;
    }
}

} // namespace

std::string
IbOpcodeName(uint8_t opcode)
{
    static const char* const rcNames[] = {"SEND_FIRST",
                                          "SEND_MIDDLE",
                                          "SEND_LAST",
                                          "SEND_LAST_WITH_IMMEDIATE",
                                          "SEND_ONLY",
                                          "SEND_ONLY_WITH_IMMEDIATE",
                                          "RDMA_WRITE_FIRST",
                                          "RDMA_WRITE_MIDDLE",
                                          "RDMA_WRITE_LAST",
                                          "RDMA_WRITE_LAST_WITH_IMMEDIATE",
                                          "RDMA_WRITE_ONLY",
                                          "RDMA_WRITE_ONLY_WITH_IMMEDIATE",
                                          "RDMA_READ_REQUEST",
                                          "RDMA_READ_RESPONSE_FIRST",
                                          "RDMA_READ_RESPONSE_MIDDLE",
                                          "RDMA_READ_RESPONSE_LAST",
                                          "RDMA_READ_RESPONSE_ONLY",
                                          "ACKNOWLEDGE",
                                          "ATOMIC_ACKNOWLEDGE",
                                          "COMPARE_SWAP",
                                          "FETCH_ADD",
                                          nullptr,
                                          "SEND_LAST_WITH_INVALIDATE",
                                          "SEND_ONLY_WITH_INVALIDATE",
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          "FLUSH",
                                          "ATOMIC_WRITE",
                                          nullptr,
                                          nullptr};
    if (IsKnownOpcode(opcode))
    {
        uint8_t transport = opcode & TRANSPORT_MASK;
        const char* prefix = transport == TRANSPORT_RC   ? "RC_"
                             : transport == TRANSPORT_UC ? "UC_"
                                                         : "UD_";
        return std::string(prefix) + rcNames[opcode & OPERATION_MASK];
    }
    std::ostringstream oss;
    oss << "UNKNOWN_0x" << std::hex << std::uppercase << std::setw(2) << std::setfill('0')
        << +opcode;
    return oss.str();
}

bool
IbOpcodeHasReth(uint8_t opcode)
{
    uint8_t transport = opcode & TRANSPORT_MASK;
    uint8_t op = opcode & OPERATION_MASK;
    if (transport == TRANSPORT_RC)
    {
        return op == 0x06 || op == 0x0A || op == 0x0B || op == 0x0C || op == 0x1C || op == 0x1D;
    }
    if (transport == TRANSPORT_UC)
    {
        return op == 0x06 || op == 0x0A || op == 0x0B;
    }
    return false;
}

bool
IbOpcodeHasAeth(uint8_t opcode)
{
    if ((opcode & TRANSPORT_MASK) != TRANSPORT_RC)
    {
        return false;
    }
    uint8_t op = opcode & OPERATION_MASK;
    return op == 0x0D || op == 0x0F || op == 0x10 || op == 0x11 || op == 0x12;
}

bool
IbOpcodeHasImmediate(uint8_t opcode)
{
    uint8_t transport = opcode & TRANSPORT_MASK;
    uint8_t op = opcode & OPERATION_MASK;
    if (transport == TRANSPORT_RC || transport == TRANSPORT_UC)
    {
        return op == 0x03 || op == 0x05 || op == 0x09 || op == 0x0B;
    }
    if (transport == TRANSPORT_UD)
    {
        return op == 0x05;
    }
    return false;
}

bool
IbOpcodeHasPayload(uint8_t opcode)
{
    uint8_t transport = opcode & TRANSPORT_MASK;
    uint8_t op = opcode & OPERATION_MASK;
    if (transport == TRANSPORT_RC)
    {
        return op <= 0x0B || (op >= 0x0D && op <= 0x10) || op == 0x16 || op == 0x17 || op == 0x1D;
    }
    if (transport == TRANSPORT_UC)
    {
        return op <= 0x0B;
    }
    if (transport == TRANSPORT_UD)
    {
        return op == 0x04 || op == 0x05;
    }
    return false;
}

TypeId
IbBthHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IbBthHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<IbBthHeader>();
    return tid;
}

IbBthHeader::IbBthHeader()
    : m_opcode(static_cast<uint8_t>(IbOpcode::RC_SEND_ONLY)),
      m_se(false),
      m_m(false),
      m_padCnt(0),
      m_tVer(0),
      m_pKey(DEFAULT_PKEY),
      m_fecn(false),
      m_becn(false),
      m_destQp(0),
      m_ackReq(false),
      m_psn(0)
{
    NS_LOG_FUNCTION(this);
}

IbBthHeader::~IbBthHeader()
{
    NS_LOG_FUNCTION(this);
}

TypeId
IbBthHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IbBthHeader::SetOpcode(uint8_t opcode)
{
    m_opcode = opcode;
}

void
IbBthHeader::SetOpcode(IbOpcode opcode)
{
    m_opcode = static_cast<uint8_t>(opcode);
}

uint8_t
IbBthHeader::GetOpcode() const
{
    return m_opcode;
}

void
IbBthHeader::SetSe(bool se)
{
    m_se = se;
}

bool
IbBthHeader::GetSe() const
{
    return m_se;
}

void
IbBthHeader::SetM(bool m)
{
    m_m = m;
}

bool
IbBthHeader::GetM() const
{
    return m_m;
}

void
IbBthHeader::SetPadCnt(uint8_t padCnt)
{
    NS_ASSERT_MSG(padCnt <= 0x03, "BTH PadCnt " << +padCnt << " does not fit in 2 bits");
    m_padCnt = padCnt;
}

uint8_t
IbBthHeader::GetPadCnt() const
{
    return m_padCnt;
}

void
IbBthHeader::SetTVer(uint8_t tVer)
{
    NS_ASSERT_MSG(tVer <= 0x0F, "BTH TVer " << +tVer << " does not fit in 4 bits");
    m_tVer = tVer;
}

uint8_t
IbBthHeader::GetTVer() const
{
    return m_tVer;
}

void
IbBthHeader::SetPKey(uint16_t pKey)
{
    m_pKey = pKey;
}

uint16_t
IbBthHeader::GetPKey() const
{
    return m_pKey;
}

void
IbBthHeader::SetFecn(bool fecn)
{
    m_fecn = fecn;
}

bool
IbBthHeader::GetFecn() const
{
    return m_fecn;
}

void
IbBthHeader::SetBecn(bool becn)
{
    m_becn = becn;
}

bool
IbBthHeader::GetBecn() const
{
    return m_becn;
}

void
IbBthHeader::SetDestQp(uint32_t destQp)
{
    NS_ASSERT_MSG(destQp <= MAX_QPN, "BTH DestQP " << destQp << " does not fit in 24 bits");
    m_destQp = destQp;
}

uint32_t
IbBthHeader::GetDestQp() const
{
    return m_destQp;
}

void
IbBthHeader::SetAckReq(bool ackReq)
{
    m_ackReq = ackReq;
}

bool
IbBthHeader::GetAckReq() const
{
    return m_ackReq;
}

void
IbBthHeader::SetPsn(uint32_t psn)
{
    NS_ASSERT_MSG(psn <= MAX_PSN, "BTH PSN " << psn << " does not fit in 24 bits");
    m_psn = psn;
}

uint32_t
IbBthHeader::GetPsn() const
{
    return m_psn;
}

void
IbBthHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill();
    os << "OpCode=" << IbOpcodeName(m_opcode) << " SE=" << m_se << " M=" << m_m
       << " PadCnt=" << +m_padCnt << " TVer=" << +m_tVer << " P_Key=0x" << std::hex << std::setw(4)
       << std::setfill('0') << m_pKey << std::dec << " FECN=" << m_fecn << " BECN=" << m_becn
       << " DestQP=0x" << std::hex << std::setw(6) << m_destQp << std::dec << " A=" << m_ackReq
       << " PSN=" << m_psn;
    os.flags(flags);
    os.fill(fill);
}

uint32_t
IbBthHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IbBthHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteU8(m_opcode);
    i.WriteU8(static_cast<uint8_t>((m_se ? 0x80 : 0) | (m_m ? 0x40 : 0) | ((m_padCnt & 0x03) << 4) |
                                   (m_tVer & 0x0F)));
    i.WriteHtonU16(m_pKey);
    uint32_t word1 = (m_fecn ? 0x80000000U : 0) | (m_becn ? 0x40000000U : 0) | (m_destQp & MAX_QPN);
    i.WriteHtonU32(word1);
    uint32_t word2 = (m_ackReq ? 0x80000000U : 0) | (m_psn & MAX_PSN);
    i.WriteHtonU32(word2);
}

uint32_t
IbBthHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_opcode = i.ReadU8();
    uint8_t byte1 = i.ReadU8();
    m_se = (byte1 & 0x80) != 0;
    m_m = (byte1 & 0x40) != 0;
    m_padCnt = (byte1 >> 4) & 0x03;
    m_tVer = byte1 & 0x0F;
    m_pKey = i.ReadNtohU16();
    uint32_t word1 = i.ReadNtohU32();
    m_fecn = (word1 & 0x80000000U) != 0;
    m_becn = (word1 & 0x40000000U) != 0;
    m_destQp = word1 & MAX_QPN;
    uint32_t word2 = i.ReadNtohU32();
    m_ackReq = (word2 & 0x80000000U) != 0;
    m_psn = word2 & MAX_PSN;
    return SIZE;
}

} // namespace ns3
