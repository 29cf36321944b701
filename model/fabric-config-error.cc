/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-config-error.h"

namespace ns3
{

FabricConfigError::FabricConfigError(const std::string& where, const std::string& what)
    : std::runtime_error(where + ": " + what),
      m_where(where)
{
}

// Defined out of line so the class has one home for its vtable.
FabricConfigError::~FabricConfigError() = default;

const std::string&
FabricConfigError::GetWhere() const
{
    return m_where;
}

} // namespace ns3
