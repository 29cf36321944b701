/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef JOB_TRACE_H
#define JOB_TRACE_H

#include "ns3/nstime.h"
#include "ns3/workload-description.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One job of a cluster trace: what it trains, when it arrives, what it asks for.
 */
struct TraceJob
{
    std::string name;             //!< "gpt-a"
    Time arrival;                 //!< when it is submitted
    WorkloadDescription workload; //!< model, batch and the user's own plan (not validated)
    uint32_t gpus{0};             //!< GPUs requested
    std::string gpuType;          //!< GPU type requested ("" : any)
    uint32_t iterations{1};       //!< iterations to run
    SourceLocation where;         //!< where it was written
};

/**
 * \ingroup ai-fabric
 * \brief A cluster trace: jobs in arrival order.
 */
struct JobTrace
{
    std::string name;           //!< a title
    std::string file;           //!< where it was read from
    std::vector<TraceJob> jobs; //!< sorted by arrival (stable)
};

/**
 * \ingroup ai-fabric
 * \brief Reads job traces from YAML (format in doc/study-crius.md). A job names a workload
 * file (relative to the trace's folder) for its model, batch and own plan.
 */
class JobTraceReader
{
  public:
    /**
     * \param path a file
     * \return its jobs; throws WorkloadError with file, line and field
     */
    static JobTrace ReadFile(const std::string& path);
    /**
     * \param yaml the text
     * \param file the name errors give it
     * \param folder where relative workload paths start
     * \return its jobs
     */
    static JobTrace ReadString(const std::string& yaml,
                               const std::string& file = "(string)",
                               const std::string& folder = ".");
};

} // namespace ns3

#endif /* JOB_TRACE_H */
