/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef BYTE_SIZE_H
#define BYTE_SIZE_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Read a size in bytes as command lines write it: "1G", "256M", "64K", "4096" (binary
 * units: K = 1024; B, KB, MB, GB also accepted).
 * \param text the text
 * \param field what it is (an option's name), for the error
 * \return the bytes; throws FabricConfigError naming the field when the text is not a size
 */
uint64_t ParseByteSize(const std::string& text, const std::string& field);

} // namespace ns3

#endif /* BYTE_SIZE_H */
