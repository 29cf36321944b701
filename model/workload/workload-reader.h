/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef WORKLOAD_READER_H
#define WORKLOAD_READER_H

#include "workload-description.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Reads a workload file (YAML) into a WorkloadDescription.
 *
 * The format is documented field by field in doc/workload-format.md; examples/workloads/
 * holds GPT-3 175B, a Llama-style dense model, a Mixtral-style MoE and ResNet-50. In short:
 *
 * \code{.yaml}
 * name: GPT-3 175B
 * model: {type: transformer, layers: 96, hidden: 12288, heads: 96, sequence: 2048,
 *         vocabulary: 51200, dtype: bf16}
 * training: {global-batch: 1536, micro-batch: 1, recompute: full}
 * parallelism: {tp: 8, pp: 16, sequence-parallel: true, zero: 1}
 * \endcode
 *
 * Reading checks unknown keys (with a near-miss suggestion), missing and duplicate fields,
 * types, negative or fractional counts and sizes; every problem is a WorkloadError reading
 * `FILE:LINE:COLUMN: field 'parallelism.tp': ...`. The checks that need the number of GPUs
 * (DP x TP x PP) run in WorkloadDescription::Validate, which the reader calls when given a
 * GPU count and TrainingHelper calls with the topology's; both point at the field's line.
 */
class WorkloadReader
{
  public:
    WorkloadReader() = delete;

    /**
     * \brief Read a workload file.
     * \param path the file's path, used as the file name in error messages
     * \param gpus the GPUs to validate against (0: only what needs no GPU count)
     * \return the description
     */
    static WorkloadDescription ReadFile(const std::string& path, uint32_t gpus = 0);

    /**
     * \brief Read a workload given as YAML text.
     * \param yaml the document
     * \param name what error messages call the document
     * \param gpus the GPUs to validate against (0: only what needs no GPU count)
     * \return the description
     */
    static WorkloadDescription ReadString(const std::string& yaml,
                                          const std::string& name = "<string>",
                                          uint32_t gpus = 0);
};

} // namespace ns3

#endif /* WORKLOAD_READER_H */
