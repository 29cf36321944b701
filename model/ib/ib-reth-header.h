/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_RETH_HEADER_H
#define IB_RETH_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief InfiniBand RDMA Extended Transport Header (RETH), 16 bytes.
 *
 * Follows the BTH on RDMA WRITE First/Only and RDMA READ Request packets. Wire layout
 * (big-endian), after the Linux kernel's struct ib_reth: Virtual Address (8 bytes), R_Key
 * (4 bytes), DMA Length (4 bytes).
 */
class IbRethHeader : public Header
{
  public:
    static constexpr uint32_t SIZE = 16; //!< Serialized size in bytes

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Construct a RETH with all fields 0.
     */
    IbRethHeader();
    ~IbRethHeader() override;

    /**
     * \brief Set the remote virtual address.
     * \param va the virtual address
     */
    void SetVirtualAddress(uint64_t va);
    /**
     * \brief Get the remote virtual address.
     * \return the virtual address
     */
    uint64_t GetVirtualAddress() const;

    /**
     * \brief Set the remote key.
     * \param rKey the R_Key
     */
    void SetRKey(uint32_t rKey);
    /**
     * \brief Get the remote key.
     * \return the R_Key
     */
    uint32_t GetRKey() const;

    /**
     * \brief Set the DMA length.
     * \param dmaLength bytes of the whole RDMA operation
     */
    void SetDmaLength(uint32_t dmaLength);
    /**
     * \brief Get the DMA length.
     * \return bytes of the whole RDMA operation
     */
    uint32_t GetDmaLength() const;

    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

  private:
    uint64_t m_virtualAddress; //!< Remote virtual address
    uint32_t m_rKey;           //!< Remote key
    uint32_t m_dmaLength;      //!< DMA length in bytes
};

} // namespace ns3

#endif /* IB_RETH_HEADER_H */
