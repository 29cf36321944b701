/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_CRC_TRAILER_H
#define IB_CRC_TRAILER_H

#include "ns3/trailer.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief InfiniBand packet trailer: Invariant CRC (4 bytes) then Variant CRC (2 bytes).
 *
 * Both are big-endian on the wire, as Wireshark's InfiniBand dissector reads the last six
 * bytes of a packet. The simulation never corrupts packets, so the values are not computed;
 * they default to 0 and are carried unchanged.
 */
class IbCrcTrailer : public Trailer
{
  public:
    static constexpr uint32_t SIZE = 6;      //!< Serialized size in bytes
    static constexpr uint32_t ICRC_SIZE = 4; //!< ICRC bytes (counted in the LRH PktLen)
    static constexpr uint32_t VCRC_SIZE = 2; //!< VCRC bytes (not counted in the LRH PktLen)

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Construct a trailer with ICRC 0 and VCRC 0.
     */
    IbCrcTrailer();
    ~IbCrcTrailer() override;

    /**
     * \brief Set the invariant CRC.
     * \param icrc the ICRC value
     */
    void SetIcrc(uint32_t icrc);
    /**
     * \brief Get the invariant CRC.
     * \return the ICRC value
     */
    uint32_t GetIcrc() const;

    /**
     * \brief Set the variant CRC.
     * \param vcrc the VCRC value
     */
    void SetVcrc(uint16_t vcrc);
    /**
     * \brief Get the variant CRC.
     * \return the VCRC value
     */
    uint16_t GetVcrc() const;

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator end) const override;
    uint32_t Deserialize(Buffer::Iterator end) override;

  private:
    uint32_t m_icrc; //!< Invariant CRC
    uint16_t m_vcrc; //!< Variant CRC
};

} // namespace ns3

#endif /* IB_CRC_TRAILER_H */
