/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TRAINING_TIMELINE_H
#define TRAINING_TIMELINE_H

#include "ns3/nstime.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Spans of what each GPU ran, written as a Chrome trace (the JSON "traceEvents" format
 * that ui.perfetto.dev and chrome://tracing open): one process per GPU, one thread per track
 * (its compute stream and each kind of communicator).
 */
class TrainingTimeline
{
  public:
    /** One span. */
    struct Span
    {
        uint32_t worker{0}; //!< the GPU (worker index)
        uint32_t track{0};  //!< index into the track names
        std::string label;  //!< what ran
        Time start;         //!< its start
        Time end;           //!< its end
    };

    /**
     * \brief Add a span.
     * \param worker the GPU
     * \param track "compute", "tp", "dp", ...
     * \param label what ran
     * \param start start
     * \param end end
     */
    void Add(uint32_t worker,
             const std::string& track,
             const std::string& label,
             Time start,
             Time end);

    /** \return the spans, in the order they were added */
    const std::vector<Span>& GetSpans() const;
    /** \return the track names */
    const std::vector<std::string>& GetTracks() const;

    /**
     * \brief Write the Chrome trace.
     * \param os the stream
     * \param workerNames process names, per worker ("GPU 3 (dp 0 pp 0 tp 3)"); missing ones are
     * named "worker N"
     */
    void WriteChromeTrace(std::ostream& os, const std::vector<std::string>& workerNames) const;

  private:
    std::vector<Span> m_spans;         //!< every span
    std::vector<std::string> m_tracks; //!< track names, by first use
};

} // namespace ns3

#endif /* TRAINING_TIMELINE_H */
