/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_BTH_HEADER_H
#define IB_BTH_HEADER_H

#include "ns3/header.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief InfiniBand BTH opcodes.
 *
 * The top three bits give the transport (RC 0x00, UC 0x20, RD 0x40, UD 0x60), the low five
 * bits the operation. Values follow the Linux kernel's include/rdma/ib_pack.h.
 */
enum class IbOpcode : uint8_t
{
    // Reliable Connected
    RC_SEND_FIRST = 0x00,                     //!< RC SEND First
    RC_SEND_MIDDLE = 0x01,                    //!< RC SEND Middle
    RC_SEND_LAST = 0x02,                      //!< RC SEND Last
    RC_SEND_LAST_WITH_IMMEDIATE = 0x03,       //!< RC SEND Last with Immediate
    RC_SEND_ONLY = 0x04,                      //!< RC SEND Only
    RC_SEND_ONLY_WITH_IMMEDIATE = 0x05,       //!< RC SEND Only with Immediate
    RC_RDMA_WRITE_FIRST = 0x06,               //!< RC RDMA WRITE First
    RC_RDMA_WRITE_MIDDLE = 0x07,              //!< RC RDMA WRITE Middle
    RC_RDMA_WRITE_LAST = 0x08,                //!< RC RDMA WRITE Last
    RC_RDMA_WRITE_LAST_WITH_IMMEDIATE = 0x09, //!< RC RDMA WRITE Last with Immediate
    RC_RDMA_WRITE_ONLY = 0x0A,                //!< RC RDMA WRITE Only
    RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE = 0x0B, //!< RC RDMA WRITE Only with Immediate
    RC_RDMA_READ_REQUEST = 0x0C,              //!< RC RDMA READ Request
    RC_RDMA_READ_RESPONSE_FIRST = 0x0D,       //!< RC RDMA READ Response First
    RC_RDMA_READ_RESPONSE_MIDDLE = 0x0E,      //!< RC RDMA READ Response Middle
    RC_RDMA_READ_RESPONSE_LAST = 0x0F,        //!< RC RDMA READ Response Last
    RC_RDMA_READ_RESPONSE_ONLY = 0x10,        //!< RC RDMA READ Response Only
    RC_ACKNOWLEDGE = 0x11,                    //!< RC ACKNOWLEDGE
    RC_ATOMIC_ACKNOWLEDGE = 0x12,             //!< RC ATOMIC ACKNOWLEDGE
    RC_COMPARE_SWAP = 0x13,                   //!< RC Compare-Swap
    RC_FETCH_ADD = 0x14,                      //!< RC Fetch-Add
    RC_SEND_LAST_WITH_INVALIDATE = 0x16,      //!< RC SEND Last with Invalidate
    RC_SEND_ONLY_WITH_INVALIDATE = 0x17,      //!< RC SEND Only with Invalidate
    RC_FLUSH = 0x1C,                          //!< RC FLUSH (newer IBTA addition)
    RC_ATOMIC_WRITE = 0x1D,                   //!< RC ATOMIC WRITE (newer IBTA addition)
    // Unreliable Connected
    UC_SEND_FIRST = 0x20,                     //!< UC SEND First
    UC_SEND_MIDDLE = 0x21,                    //!< UC SEND Middle
    UC_SEND_LAST = 0x22,                      //!< UC SEND Last
    UC_SEND_LAST_WITH_IMMEDIATE = 0x23,       //!< UC SEND Last with Immediate
    UC_SEND_ONLY = 0x24,                      //!< UC SEND Only
    UC_SEND_ONLY_WITH_IMMEDIATE = 0x25,       //!< UC SEND Only with Immediate
    UC_RDMA_WRITE_FIRST = 0x26,               //!< UC RDMA WRITE First
    UC_RDMA_WRITE_MIDDLE = 0x27,              //!< UC RDMA WRITE Middle
    UC_RDMA_WRITE_LAST = 0x28,                //!< UC RDMA WRITE Last
    UC_RDMA_WRITE_LAST_WITH_IMMEDIATE = 0x29, //!< UC RDMA WRITE Last with Immediate
    UC_RDMA_WRITE_ONLY = 0x2A,                //!< UC RDMA WRITE Only
    UC_RDMA_WRITE_ONLY_WITH_IMMEDIATE = 0x2B, //!< UC RDMA WRITE Only with Immediate
    // Unreliable Datagram
    UD_SEND_ONLY = 0x64,               //!< UD SEND Only
    UD_SEND_ONLY_WITH_IMMEDIATE = 0x65 //!< UD SEND Only with Immediate
};

/**
 * \ingroup ai-fabric
 * \brief Get the name of a BTH opcode.
 * \param opcode the opcode byte
 * \return the IbOpcode enumerator name (e.g. "RC_SEND_ONLY"), or "UNKNOWN_0xNN" for a value
 *         not in IbOpcode
 */
std::string IbOpcodeName(uint8_t opcode);

/**
 * \ingroup ai-fabric
 * \brief Whether a RETH follows the BTH (RDMA WRITE First/Only, READ Request; also FLUSH,
 *        where it follows the FETH, and ATOMIC WRITE).
 * \param opcode the opcode byte
 * \return true if the packet carries a RETH
 */
bool IbOpcodeHasReth(uint8_t opcode);

/**
 * \ingroup ai-fabric
 * \brief Whether an AETH follows the BTH (READ Response First/Last/Only, ACKNOWLEDGE,
 *        ATOMIC ACKNOWLEDGE).
 * \param opcode the opcode byte
 * \return true if the packet carries an AETH
 */
bool IbOpcodeHasAeth(uint8_t opcode);

/**
 * \ingroup ai-fabric
 * \brief Whether the packet carries 4 bytes of immediate data (the *_WITH_IMMEDIATE opcodes).
 * \param opcode the opcode byte
 * \return true if the packet carries ImmDt
 */
bool IbOpcodeHasImmediate(uint8_t opcode);

/**
 * \ingroup ai-fabric
 * \brief Whether the packet carries a data payload (SENDs, RDMA WRITEs, READ responses,
 *        ATOMIC WRITE).
 * \param opcode the opcode byte
 * \return true if the packet carries a payload
 */
bool IbOpcodeHasPayload(uint8_t opcode);

/**
 * \ingroup ai-fabric
 * \brief InfiniBand Base Transport Header (BTH), 12 bytes.
 *
 * Wire layout (big-endian), after the Linux kernel's include/rdma/ib_hdrs.h and Wireshark's
 * InfiniBand dissector:
 *
 * \verbatim
   byte 0    : OpCode
   byte 1    : SE (7) | M (6) | PadCnt (5:4) | TVer (3:0)
   bytes 2-3 : P_Key
   byte 4    : FECN (7) | BECN (6) | reserved (5:0)
   bytes 5-7 : DestQP
   byte 8    : A (7) | reserved (6:0)
   bytes 9-11: PSN
   \endverbatim
 *
 * Reserved bits are written as zero and ignored on reception.
 */
class IbBthHeader : public Header
{
  public:
    static constexpr uint32_t SIZE = 12;             //!< Serialized size in bytes
    static constexpr uint32_t MAX_QPN = 0xFFFFFF;    //!< Largest 24-bit queue pair number
    static constexpr uint32_t MAX_PSN = 0xFFFFFF;    //!< Largest 24-bit packet sequence number
    static constexpr uint16_t DEFAULT_PKEY = 0xFFFF; //!< Default (full-member) partition key

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Construct a BTH with opcode RC_SEND_ONLY, P_Key 0xFFFF and every other field 0.
     */
    IbBthHeader();
    ~IbBthHeader() override;

    /**
     * \brief Set the opcode.
     * \param opcode the opcode byte
     */
    void SetOpcode(uint8_t opcode);
    /**
     * \brief Set the opcode.
     * \param opcode the opcode
     */
    void SetOpcode(IbOpcode opcode);
    /**
     * \brief Get the opcode.
     * \return the opcode byte
     */
    uint8_t GetOpcode() const;

    /**
     * \brief Set the Solicited Event bit.
     * \param se true to request a solicited event
     */
    void SetSe(bool se);
    /**
     * \brief Get the Solicited Event bit.
     * \return the bit
     */
    bool GetSe() const;

    /**
     * \brief Set the MigReq bit.
     * \param m the bit
     */
    void SetM(bool m);
    /**
     * \brief Get the MigReq bit.
     * \return the bit
     */
    bool GetM() const;

    /**
     * \brief Set the pad count.
     * \param padCnt pad bytes after the payload, 0..3
     */
    void SetPadCnt(uint8_t padCnt);
    /**
     * \brief Get the pad count.
     * \return pad bytes after the payload, 0..3
     */
    uint8_t GetPadCnt() const;

    /**
     * \brief Set the transport header version.
     * \param tVer the version, 0..15
     */
    void SetTVer(uint8_t tVer);
    /**
     * \brief Get the transport header version.
     * \return the version, 0..15
     */
    uint8_t GetTVer() const;

    /**
     * \brief Set the partition key.
     * \param pKey the partition key
     */
    void SetPKey(uint16_t pKey);
    /**
     * \brief Get the partition key.
     * \return the partition key
     */
    uint16_t GetPKey() const;

    /**
     * \brief Set the Forward Explicit Congestion Notification bit.
     * \param fecn the bit
     */
    void SetFecn(bool fecn);
    /**
     * \brief Get the Forward Explicit Congestion Notification bit.
     * \return the bit
     */
    bool GetFecn() const;

    /**
     * \brief Set the Backward Explicit Congestion Notification bit.
     * \param becn the bit
     */
    void SetBecn(bool becn);
    /**
     * \brief Get the Backward Explicit Congestion Notification bit.
     * \return the bit
     */
    bool GetBecn() const;

    /**
     * \brief Set the destination queue pair number.
     * \param destQp the QPN, 0..0xFFFFFF (24 bits)
     */
    void SetDestQp(uint32_t destQp);
    /**
     * \brief Get the destination queue pair number.
     * \return the QPN (24 bits)
     */
    uint32_t GetDestQp() const;

    /**
     * \brief Set the Acknowledge Request bit.
     * \param ackReq true to ask the responder for an acknowledgement
     */
    void SetAckReq(bool ackReq);
    /**
     * \brief Get the Acknowledge Request bit.
     * \return the bit
     */
    bool GetAckReq() const;

    /**
     * \brief Set the packet sequence number.
     * \param psn the PSN, 0..0xFFFFFF (24 bits)
     */
    void SetPsn(uint32_t psn);
    /**
     * \brief Get the packet sequence number.
     * \return the PSN (24 bits)
     */
    uint32_t GetPsn() const;

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint8_t m_opcode;  //!< Opcode
    bool m_se;         //!< Solicited event
    bool m_m;          //!< MigReq
    uint8_t m_padCnt;  //!< Pad count (2 bits)
    uint8_t m_tVer;    //!< Transport header version (4 bits)
    uint16_t m_pKey;   //!< Partition key
    bool m_fecn;       //!< Forward ECN
    bool m_becn;       //!< Backward ECN
    uint32_t m_destQp; //!< Destination QP (24 bits)
    bool m_ackReq;     //!< Acknowledge request
    uint32_t m_psn;    //!< Packet sequence number (24 bits)
};

} // namespace ns3

#endif /* IB_BTH_HEADER_H */
