/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "duration-text.h"

#include "ns3/fabric-config-error.h"

#include <regex>

namespace ns3
{

Time
ParseDuration(const std::string& text, const std::string& field)
{
    static const std::regex kTime("([0-9]+(\\.[0-9]*)?)(s|ms|us|ns|ps)");
    if (text == "0")
    {
        return Time();
    }
    if (!std::regex_match(text, kTime))
    {
        throw FabricConfigError(field, "\"" + text + "\" is not a time such as 10us (0: none)");
    }
    return Time(text);
}

} // namespace ns3
