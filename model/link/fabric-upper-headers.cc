/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-upper-headers.h"

#include <vector>

namespace ns3
{

namespace
{

/// The registered functions, indexed by protocol number (a function-local static: other
/// libraries' static initialisers may register before this file's would have run).
std::vector<FabricUpperHeaders::BytesFunction>&
Functions()
{
    static std::vector<FabricUpperHeaders::BytesFunction> functions;
    return functions;
}

} // namespace

bool
FabricUpperHeaders::Register(uint16_t protocol, BytesFunction bytes)
{
    auto& functions = Functions();
    if (functions.size() <= protocol)
    {
        functions.resize(protocol + 1u, nullptr);
    }
    functions[protocol] = bytes;
    return true;
}

uint32_t
FabricUpperHeaders::GetBytes(uint16_t protocol, Ptr<const Packet> packet)
{
    const auto& functions = Functions();
    return protocol < functions.size() && functions[protocol] ? functions[protocol](packet) : 0;
}

} // namespace ns3
