/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DURATION_TEXT_H
#define DURATION_TEXT_H

#include "ns3/nstime.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Read a duration as command lines write it: "10us", "1.5ms", "0" (zero). Units: s, ms,
 * us, ns, ps. Checked here because Time's string constructor aborts on what it cannot read.
 * \param text the text
 * \param field what it is (an option's name), for the error
 * \return the time; throws FabricConfigError naming the field when the text is not a duration
 */
Time ParseDuration(const std::string& text, const std::string& field);

} // namespace ns3

#endif /* DURATION_TEXT_H */
