/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CHAKRA_TRACE_H
#define CHAKRA_TRACE_H

#include "ns3/execution-graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Reads and writes execution graphs as MLCommons Chakra execution traces (ET): one
 * protobuf file per worker, `<prefix>.<worker>.et`, in the public schema's wire format (a
 * varint32-length-delimited GlobalMetadata, then one Node per graph node).
 *
 * Write() maps every graph node onto a standard Chakra node (COMP_NODE with num_ops,
 * COMM_COLL_NODE with comm_type, comm_size and pg_name, COMM_SEND_NODE / COMM_RECV_NODE with
 * comm_size, comm_dst / comm_src and comm_tag; data_deps; duration_micros where a duration was
 * measured) and adds `aif.*` attributes that carry the rest: the workload and the placement in
 * the GlobalMetadata, the node's phase, group, sequence, micro-batch, chunk, layer and compute
 * task on each node. Read() of such a trace rebuilds an identical ExecutionGraph.
 *
 * A foreign trace (no `aif.format` in its metadata, e.g. from Chakra's converters) is read as
 * what its nodes say: COMP_NODE is compute whose measured duration is duration_micros (num_ops
 * its FLOPs), COMM_COLL_NODE a collective on the process group pg_name (members from a
 * `pg_config` attribute of the metadata or of a METADATA_NODE; no pg_name: every worker),
 * COMM_SEND_NODE / COMM_RECV_NODE a point-to-point transfer between the two workers; ctrl_deps
 * and data_deps are both dependencies. Every problem is a FabricConfigError naming the file and
 * the node id (or the byte offset of a damaged message).
 */
class ChakraTrace
{
  public:
    ChakraTrace() = delete;

    /**
     * \param prefix the trace's path prefix
     * \param worker a worker
     * \return its file, `<prefix>.<worker>.et`
     */
    static std::string GetFileName(const std::string& prefix, uint32_t worker);

    /**
     * \brief Write one file per worker.
     * \param graph the graph
     * \param prefix the path prefix of the files
     * \return the files written, per worker
     */
    static std::vector<std::string> Write(const ExecutionGraph& graph, const std::string& prefix);

    /**
     * \brief Read the files `<prefix>.0.et`, `<prefix>.1.et`, ... (as many as exist).
     * \param prefix the path prefix of the files
     * \param serverOfRank foreign traces: the server of each topology rank (worker w runs on
     * rank w; empty: every worker its own server); ignored for traces written by Write()
     * \return the graph
     */
    static ExecutionGraph Read(const std::string& prefix,
                               const std::vector<uint32_t>& serverOfRank = {});
};

} // namespace ns3

#endif /* CHAKRA_TRACE_H */
