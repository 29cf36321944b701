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

std::string
SourceLocation::ToString() const
{
    if (file.empty() && line == 0)
    {
        return "(code)";
    }
    if (line == 0)
    {
        return file; // the whole file: unreadable, or empty
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

FabricFileError::FabricFileError(const SourceLocation& where,
                                 const std::string& field,
                                 const std::string& what)
    : FabricConfigError(where.ToString(), "field '" + field + "': " + what),
      m_location(where),
      m_field(field),
      m_problem(what)
{
}

FabricFileError::~FabricFileError() = default;

const std::string&
FabricFileError::GetFile() const
{
    return m_location.file;
}

int
FabricFileError::GetLine() const
{
    return m_location.line;
}

const std::string&
FabricFileError::GetField() const
{
    return m_field;
}

const std::string&
FabricFileError::GetProblem() const
{
    return m_problem;
}

} // namespace ns3
