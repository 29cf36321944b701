/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "vl-arbiter.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("VlArbiter");

NS_OBJECT_ENSURE_REGISTERED(VlArbiter);

TypeId
VlArbiter::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VlArbiter")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<VlArbiter>()
            .AddAttribute("HighPriorityTable",
                          "High-priority VL arbitration table, \"vl:weight,...\"; weights in "
                          "64-byte credits (0-255). Empty: no high-priority VLs.",
                          StringValue(""),
                          MakeStringAccessor(&VlArbiter::SetHighTable, &VlArbiter::GetHighTable),
                          MakeStringChecker())
            .AddAttribute("LowPriorityTable",
                          "Low-priority VL arbitration table, \"vl:weight,...\"; weights in "
                          "64-byte credits (0-255). Empty: every data VL with weight 64.",
                          StringValue(""),
                          MakeStringAccessor(&VlArbiter::SetLowTable, &VlArbiter::GetLowTable),
                          MakeStringChecker())
            .AddAttribute("HighLimit",
                          "High-priority bytes, in units of 4 KiB, sent before the low-priority "
                          "table gets an opportunity; 255 = unbounded, 0 = one packet "
                          "(OpenSM default 0).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&VlArbiter::m_highLimit),
                          MakeUintegerChecker<uint8_t>());
    return tid;
}

VlArbiter::VlArbiter()
{
    NS_LOG_FUNCTION(this);
}

VlArbiter::~VlArbiter()
{
    NS_LOG_FUNCTION(this);
}

std::vector<VlArbiter::Entry>
VlArbiter::ParseTable(const std::string& text, const std::string& field)
{
    std::vector<Entry> entries;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (item.find_first_not_of(" \t") == std::string::npos)
        {
            continue;
        }
        auto colon = item.find(':');
        unsigned long vl = 0;
        unsigned long weight = 0;
        try
        {
            if (colon == std::string::npos)
            {
                throw std::invalid_argument("no colon");
            }
            // Whole numbers only: stoul alone takes "3x" as 3 and "-1" as 2^64 - 1.
            const std::string vlText = item.substr(0, colon);
            const std::string weightText = item.substr(colon + 1);
            for (const std::string& number : {vlText, weightText})
            {
                const size_t first = number.find_first_not_of(" \t");
                const size_t last = number.find_last_not_of(" \t");
                if (first == std::string::npos ||
                    number.substr(first, last - first + 1).find_first_not_of("0123456789") !=
                        std::string::npos ||
                    last - first + 1 > 9)
                {
                    throw std::invalid_argument("not a whole number");
                }
            }
            vl = std::stoul(vlText);
            weight = std::stoul(weightText);
        }
        catch (const std::exception&)
        {
            throw FabricConfigError("VlArbiter::" + field,
                                    "entry \"" + item + "\" is not of the form vl:weight");
        }
        if (vl > 14)
        {
            throw FabricConfigError("VlArbiter::" + field,
                                    "VL " + std::to_string(vl) +
                                        " is not a data VL (0-14; VL15 is management)");
        }
        if (weight > 255)
        {
            throw FabricConfigError("VlArbiter::" + field,
                                    "weight " + std::to_string(weight) + " of VL " +
                                        std::to_string(vl) + " exceeds 255");
        }
        entries.push_back(Entry{static_cast<uint8_t>(vl), static_cast<uint8_t>(weight)});
    }
    if (entries.size() > 64)
    {
        throw FabricConfigError("VlArbiter::" + field, "more than 64 entries");
    }
    return entries;
}

void
VlArbiter::SetHighTable(std::string text)
{
    m_high = TableState{};
    m_high.entries = ParseTable(text, "HighPriorityTable");
}

void
VlArbiter::SetLowTable(std::string text)
{
    m_low = TableState{};
    m_low.entries = ParseTable(text, "LowPriorityTable");
    m_lowIsDefault = m_low.entries.empty();
}

static std::string
TableToString(const std::vector<VlArbiter::Entry>& entries)
{
    std::ostringstream os;
    for (size_t i = 0; i < entries.size(); ++i)
    {
        os << (i ? "," : "") << +entries[i].vl << ":" << +entries[i].weight;
    }
    return os.str();
}

std::string
VlArbiter::GetHighTable() const
{
    return TableToString(m_high.entries);
}

std::string
VlArbiter::GetLowTable() const
{
    return m_lowIsDefault ? std::string() : TableToString(m_low.entries);
}

void
VlArbiter::Configure(uint8_t numVls)
{
    NS_LOG_FUNCTION(this << +numVls);
    if (m_lowIsDefault)
    {
        m_low.entries.clear();
        for (uint8_t vl = 0; vl < numVls; ++vl)
        {
            m_low.entries.push_back(Entry{vl, 64});
        }
    }
    m_highVls = 0;
    m_lowVls = 0;
    for (auto* table : {&m_high, &m_low})
    {
        for (const auto& e : table->entries)
        {
            if (e.vl >= numVls)
            {
                throw FabricConfigError("VlArbiter",
                                        "arbitration table names VL " + std::to_string(e.vl) +
                                            " but the port has " + std::to_string(numVls) +
                                            " data VL(s) (NumDataVls)");
            }
            if (e.weight > 0)
            {
                (table == &m_high ? m_highVls : m_lowVls) |= (1u << e.vl);
            }
        }
        table->index = 0;
        table->remaining = table->entries.empty() ? 0 : table->entries[0].weight * 64;
    }
    uint16_t all = static_cast<uint16_t>((1u << numVls) - 1);
    if (((m_highVls | m_lowVls) & all) != all)
    {
        throw FabricConfigError("VlArbiter",
                                "some data VL has no entry with a non-zero weight in either "
                                "arbitration table: its packets would never be sent");
    }
}

int
VlArbiter::SelectFrom(TableState& table, uint16_t eligible)
{
    const auto n = static_cast<uint32_t>(table.entries.size());
    if (n == 0)
    {
        return -1;
    }
    // Stay on the current entry while it has weight left and its VL can send; otherwise move
    // on, refilling each entry's weight as its turn comes. One pass finds any eligible VL.
    for (uint32_t step = 0; step <= n; ++step)
    {
        const Entry& e = table.entries[table.index];
        if (e.weight > 0 && table.remaining > 0 && (eligible & (1u << e.vl)))
        {
            return e.vl;
        }
        table.index = (table.index + 1) % n;
        table.remaining = table.entries[table.index].weight * 64;
    }
    return -1;
}

int
VlArbiter::Select(uint16_t eligible)
{
    const bool highWants = (eligible & m_highVls) != 0;
    const bool lowWants = (eligible & m_lowVls) != 0;
    const bool highLimitReached = m_highLimit != 255 && m_highBytes > 0 &&
                                  m_highBytes >= static_cast<uint64_t>(m_highLimit) * 4096;
    int vl = -1;
    if (highWants && !(lowWants && highLimitReached))
    {
        vl = SelectFrom(m_high, eligible & m_highVls);
        m_lastFromHigh = vl >= 0;
    }
    if (vl < 0 && lowWants)
    {
        vl = SelectFrom(m_low, eligible & m_lowVls);
        m_lastFromHigh = false;
        m_highBytes = 0;
    }
    return vl;
}

void
VlArbiter::Charge(uint8_t vl, uint32_t bytes)
{
    TableState& table = m_lastFromHigh ? m_high : m_low;
    if (m_lastFromHigh)
    {
        m_highBytes += bytes;
    }
    table.remaining -= bytes;
}

} // namespace ns3
