/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "byte-size.h"

#include "fabric-config-error.h"

#include <limits>
#include <map>

namespace ns3
{

uint64_t
ParseByteSize(const std::string& text, const std::string& field)
{
    const std::string what = "\"" + text + "\" is not a size in bytes (e.g. 1G, 256M, 64K, 4096)";
    size_t used = 0;
    double value = 0;
    try
    {
        value = std::stod(text, &used);
    }
    catch (const std::exception&)
    {
        throw FabricConfigError(field, what);
    }
    static const std::map<std::string, double> units = {{"", 1},
                                                        {"B", 1},
                                                        {"K", 1024},
                                                        {"KB", 1024},
                                                        {"M", 1 << 20},
                                                        {"MB", 1 << 20},
                                                        {"G", 1 << 30},
                                                        {"GB", 1 << 30}};
    auto it = units.find(text.substr(used));
    // !(value >= 0) also refuses nan; the bound keeps the cast defined (no inf, no wrap).
    if (it == units.end() || !(value >= 0) ||
        value * it->second >= static_cast<double>(std::numeric_limits<uint64_t>::max()))
    {
        throw FabricConfigError(field, what);
    }
    return static_cast<uint64_t>(value * it->second);
}

} // namespace ns3
