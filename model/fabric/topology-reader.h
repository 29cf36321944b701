/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef TOPOLOGY_READER_H
#define TOPOLOGY_READER_H

#include "topology-description.h"

#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Reads a topology file (YAML) into a TopologyDescription.
 *
 * The format is documented field by field in doc/topology-format.md; examples/topologies/
 * holds files that use every section. In short:
 *
 * \code{.yaml}
 * name: 2x DGX H100 on an NDR rail-optimised fat-tree
 * node-kinds:
 *   dgx-h100: {gpu: H100, board: H100, gpus: 8, hcas: 8, hca-speed: NDR, hca-width: 4}
 * nodes:
 *   - {kind: dgx-h100, count: 2}
 * fat-tree: {levels: 2, radix: 64, rail-optimized: true, speed: NDR, link-delay: 100ns}
 * \endcode
 *
 * or, instead of `nodes`, `dimensions` of abstract GPUs (ring, fully-connected or switch
 * blocks, as ASTRA-sim describes networks), plus explicit `switches` and `links`.
 *
 * Reading checks everything a file can get wrong: YAML syntax, unknown keys (the error lists
 * the allowed ones), missing required fields, wrong types, negative or fractional counts,
 * rates and times without units or with unknown ones, zero or negative rates and times, and
 * then the semantic checks of TopologyDescription::Validate() (references, counts, fat-tree
 * feasibility). Every problem is a TopologyError whose message reads
 * `FILE:LINE:COLUMN: field 'fat-tree.radix': must be an even number of ports, >= 4`, the
 * position being that of the offending value (1-based). Errors about the document rather
 * than a field name a pseudo-field in parentheses: `(file)` for a file that cannot be read,
 * `(syntax)` for malformed YAML, `(document)` for an empty file or one that is not a mapping.
 *
 * Like ns-3's own topology readers, this is a plain class: reading has no state to keep.
 */
class TopologyReader
{
  public:
    TopologyReader() = delete;

    /**
     * \brief Read and validate a topology file.
     * \param path the file's path, used as the file name in error messages
     * \return the description, already validated
     * \throws TopologyError if the file cannot be read, is not valid YAML, or does not
     * describe a valid topology
     */
    static TopologyDescription ReadFile(const std::string& path);

    /**
     * \brief Read and validate a topology given as YAML text.
     * \param yaml the document
     * \param name what error messages call the document, in place of a file name
     * \return the description, already validated
     * \throws TopologyError if the text is not valid YAML or does not describe a valid
     * topology
     */
    static TopologyDescription ReadString(const std::string& yaml,
                                          const std::string& name = "<string>");
};

} // namespace ns3

#endif /* TOPOLOGY_READER_H */
