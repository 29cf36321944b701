/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_FAULT_SCHEDULE_H
#define FABRIC_FAULT_SCHEDULE_H

#include "topology-description.h"

#include "ns3/nstime.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One change in a fault schedule: a cable (between two named nodes) or a switch going
 * down or coming up.
 */
struct FaultEventSpec
{
    Time at;                //!< when (absolute simulation time)
    bool up{false};         //!< the new state
    std::string switchName; //!< a switch's node name, or empty for a cable
    std::string a;          //!< a cable: one end's node name
    std::string b;          //!< a cable: the other end's node name
    SourceLocation where;   //!< where it was written
    std::string field;      //!< its field path ("faults.events[0]")
};

/**
 * \ingroup ai-fabric
 * \brief The `faults` section of a topology file: a bit-error rate for every cable, the
 * subnet manager's reaction time, and the link and switch events.
 */
struct FaultScheduleSpec
{
    bool present{false};                //!< the file has a faults section
    double bitErrorRate{0.0};           //!< every cable
    Time sweepDelay{MilliSeconds(10)};  //!< change to new routes (an assumption)
    std::vector<FaultEventSpec> events; //!< in the file's order
};

/**
 * \ingroup ai-fabric
 * \brief Reads the `faults` section of a topology file (doc/topology-format.md). The rest of
 * the file is TopologyReader's; errors are TopologyErrors naming file, line and field.
 */
class FaultScheduleReader
{
  public:
    /**
     * \param path a topology file
     * \return its fault schedule (present false when it has none)
     */
    static FaultScheduleSpec ReadFile(const std::string& path);

    /**
     * \param yaml a topology document
     * \param name the name errors give it
     * \return its fault schedule
     */
    static FaultScheduleSpec ReadString(const std::string& yaml, const std::string& name);
};

} // namespace ns3

#endif /* FABRIC_FAULT_SCHEDULE_H */
