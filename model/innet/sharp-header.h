/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef SHARP_HEADER_H
#define SHARP_HEADER_H

#include "ns3/header.h"
#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The modelled in-network operation header that follows the BTH of SHARP packets on
 * InfiniBand and of NVLS (NVLink SHARP) requests on NVLink.
 *
 * SHARP's real aggregation header is not public. What is modelled is what the aggregation
 * nodes of this module need to do their work, in 20 bytes:
 *
 * | bytes | field    | meaning                                                         |
 * |-------|----------|-----------------------------------------------------------------|
 * | 0     | opcode   | AGGREGATE (up the tree), RESULT (down), NVLS load-reduce, etc.  |
 * | 1     | reduce   | reduction operator (0 = sum); data type in the high nibble      |
 * | 2-3   | group    | the aggregation group (SHARP) or multicast object (NVLS)        |
 * | 4-7   | sequence | the operation (an OST of SHARP, a load-reduce of NVLS)          |
 * | 8-11  | offset   | byte offset of this packet's data within the operation          |
 * | 12-15 | length   | data bytes this packet carries (or asks for)                    |
 * | 16-17 | origin   | NVLS: the address of the GPU that asked; SHARP: the sender      |
 * | 18-19 | reserved | zero                                                            |
 *
 * The packet's data bytes follow as payload. The BTH before it is an ordinary RC SEND Only
 * BTH, so captures of SHARP traffic decode as InfiniBand in Wireshark (the header shows as
 * the first payload bytes).
 */
class SharpHeader : public Header
{
  public:
    /// Serialised size in bytes.
    static constexpr uint32_t SIZE = 20;

    /// What a packet asks of its receiver.
    enum Opcode : uint8_t
    {
        AGGREGATE = 1,   //!< SHARP: a child's (partial) contribution, going up
        RESULT = 2,      //!< SHARP: the reduced result, going down
        LOAD_REDUCE = 3, //!< NVLS: multimem.ld_reduce request from a GPU to the switch
        READ = 4,        //!< NVLS: the switch reads one member's copy
        READ_DATA = 5,   //!< NVLS: a member's answer to READ, with data
        REDUCED = 6,     //!< NVLS: the reduced value returned to the requester
        STORE = 7,       //!< NVLS: multimem.st from a GPU, with data (multicast write)
        STORE_DATA = 8,  //!< NVLS: the switch's copy of a STORE to each member
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SharpHeader();
    ~SharpHeader() override;

    /** \param opcode the opcode */
    void SetOpcode(Opcode opcode);
    /** \return the opcode */
    Opcode GetOpcode() const;
    /** \param group the group or multicast object */
    void SetGroup(uint16_t group);
    /** \return the group */
    uint16_t GetGroup() const;
    /** \param sequence the operation's sequence number */
    void SetSequence(uint32_t sequence);
    /** \return the sequence number */
    uint32_t GetSequence() const;
    /** \param offset byte offset within the operation */
    void SetOffset(uint32_t offset);
    /** \return the offset */
    uint32_t GetOffset() const;
    /** \param length data bytes */
    void SetLength(uint32_t length);
    /** \return the data bytes */
    uint32_t GetLength() const;
    /** \param origin requester (NVLS) or sender address */
    void SetOrigin(uint16_t origin);
    /** \return the origin address */
    uint16_t GetOrigin() const;

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint8_t m_opcode{AGGREGATE}; //!< opcode
    uint8_t m_reduce{0};         //!< reduction operator and data type
    uint16_t m_group{0};         //!< group
    uint32_t m_sequence{0};      //!< operation
    uint32_t m_offset{0};        //!< byte offset
    uint32_t m_length{0};        //!< data bytes
    uint16_t m_origin{0};        //!< requester / sender
};

/**
 * \ingroup ai-fabric
 * \brief Simulation-only bookkeeping of which ranks' contributions a packet's data holds
 * (not on the wire): the tests read it to check that every result holds every member's
 * contribution exactly once.
 */
class SharpContributionTag : public Tag
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SharpContributionTag();

    /**
     * \param count contributions summed
     * \param mask bit i: member i's contribution (members 0-63)
     */
    SharpContributionTag(uint32_t count, uint64_t mask);

    /** \return contributions summed */
    uint32_t GetCount() const;
    /** \return the members' bits */
    uint64_t GetMask() const;

    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

  private:
    uint32_t m_count{0}; //!< contributions
    uint64_t m_mask{0};  //!< which members
};

} // namespace ns3

#endif /* SHARP_HEADER_H */
