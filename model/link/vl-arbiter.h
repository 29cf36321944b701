/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef VL_ARBITER_H
#define VL_ARBITER_H

#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Output VL arbitration of an InfiniBand port (IBA 7.6.9, as OpenSM documents it).
 *
 * Two tables of (VL, weight) entries, high and low priority. A weight counts 64-byte credits
 * a VL may send when its entry's turn comes; weight 0 skips the entry. The high-priority table
 * is served first, but after HighLimit x 4 KiB of high-priority bytes the low-priority table
 * gets one opportunity (HighLimit 255 means unbounded). The arbiter is work conserving: when no
 * VL of the preferred table has anything to send, the other table is served.
 *
 * Default: every data VL once in the low table with weight 64 (one 4 KiB packet per turn),
 * an empty high table: packet-by-packet round robin across VLs.
 */
class VlArbiter : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VlArbiter();
    ~VlArbiter() override;

    /**
     * \brief Fix the number of data VLs and check the tables against it.
     * \param numVls number of data VLs of the port
     *
     * Throws FabricConfigError if a table names a VL the port does not have.
     */
    void Configure(uint8_t numVls);

    /**
     * \brief Choose the VL that sends next.
     * \param eligible bit v set when VL v has a packet and the credits to send it
     * \return the chosen VL, or -1 if none is eligible
     */
    int Select(uint16_t eligible);

    /**
     * \brief Charge a packet sent on a VL to the current table entry.
     * \param vl the VL chosen by Select()
     * \param bytes the packet's size on the wire
     */
    void Charge(uint8_t vl, uint32_t bytes);

    /// One arbitration table entry.
    struct Entry
    {
        uint8_t vl;     //!< the VL
        uint8_t weight; //!< 64-byte credits per turn, 0 = skip
    };

    /**
     * \brief Parse a table written as "vl:weight,vl:weight,...".
     * \param text the table
     * \param field the attribute name, for error messages
     * \return the entries
     */
    static std::vector<Entry> ParseTable(const std::string& text, const std::string& field);

  private:
    /// Position in one table.
    struct TableState
    {
        std::vector<Entry> entries; //!< the table
        uint32_t index{0};          //!< current entry
        int64_t remaining{0};       //!< weight left in the current entry, in bytes
    };

    /**
     * \param table the table to serve
     * \param eligible eligible VL mask
     * \return the VL chosen from that table or -1
     */
    int SelectFrom(TableState& table, uint16_t eligible);

    /**
     * \param text the new table text
     */
    void SetHighTable(std::string text);
    /**
     * \param text the new table text
     */
    void SetLowTable(std::string text);
    /** \return the high table as text */
    std::string GetHighTable() const;
    /** \return the low table as text */
    std::string GetLowTable() const;

    TableState m_high;          //!< high-priority table
    TableState m_low;           //!< low-priority table
    bool m_lowIsDefault{true};  //!< low table not set by the user: one entry per VL
    uint8_t m_highLimit;        //!< HighLimit in 4 KiB units, 255 = unbounded
    uint64_t m_highBytes{0};    //!< high-priority bytes since the last low opportunity
    bool m_lastFromHigh{false}; //!< whether the last Select() served the high table
    uint16_t m_highVls{0};      //!< VLs named by the high table with a non-zero weight
    uint16_t m_lowVls{0};       //!< VLs named by the low table with a non-zero weight
};

} // namespace ns3

#endif /* VL_ARBITER_H */
