/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef LAYER_GRAPH_H
#define LAYER_GRAPH_H

#include "ns3/topology-description.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One dimension of a layer's iteration space (batch, output channels, heads...).
 */
struct LayerDim
{
    std::string name;      //!< "b", "k", "heads"
    uint64_t size{1};      //!< its extent
    bool splittable{true}; //!< whether a plan may split it over devices
};

/**
 * \ingroup ai-fabric
 * \brief One vertex of a layer graph: its iteration space and which dimensions its output,
 * input and weight tensors have (PaSE, Elango IPDPS 2021, §III).
 */
struct GraphLayer
{
    std::string name;             //!< "conv1"
    std::string op;               //!< "conv", "fc", "pool"... (for reports)
    std::vector<LayerDim> dims;   //!< the iteration space
    std::vector<uint32_t> output; //!< dims of its output tensor (indices into dims)
    std::vector<uint32_t> input;  //!< dims of its input tensor, in the producer's order
    std::vector<uint32_t> weight; //!< dims of its weight tensor (empty: no weights)
    std::vector<uint32_t> inputs; //!< producing layers (indices, all earlier)
    double flopsPerPoint{2};      //!< FLOPs per point of the iteration space (2: a MAC)
    SourceLocation where;         //!< where it was defined

    /** \return forward FLOPs: flopsPerPoint x the product of the dims */
    double GetFlops() const;
    /**
     * \param tensor dims of one of its tensors
     * \return its elements
     */
    double GetElements(const std::vector<uint32_t>& tensor) const;
};

/**
 * \ingroup ai-fabric
 * \brief A DNN as a DAG of layers for the per-layer parallelism search.
 */
struct LayerGraph
{
    std::string name;               //!< a title
    std::string file;               //!< where it was read from, if anywhere
    uint32_t elementBytes{4};       //!< bytes per tensor element
    std::vector<GraphLayer> layers; //!< in topological order (inputs point back)

    /**
     * \brief Check the graph: dims > 0, tensor dims in range, inputs earlier, input ranks
     * compatible. Throws WorkloadError naming the layer's line and field.
     */
    void Validate() const;

    /** \return every undirected edge (producer, consumer) */
    std::vector<std::pair<uint32_t, uint32_t>> GetEdges() const;

    /** \return forward FLOPs of all layers */
    double GetFlops() const;
};

/**
 * \ingroup ai-fabric
 * \brief Reads layer graphs from YAML (format in doc/study-pase.md).
 */
class LayerGraphReader
{
  public:
    /**
     * \param path a file
     * \return its graph, validated; throws WorkloadError with file, line and field
     */
    static LayerGraph ReadFile(const std::string& path);
    /**
     * \param yaml the text
     * \param file the name errors give it
     * \return its graph, validated
     */
    static LayerGraph ReadString(const std::string& yaml, const std::string& file = "(string)");
};

} // namespace ns3

#endif /* LAYER_GRAPH_H */
