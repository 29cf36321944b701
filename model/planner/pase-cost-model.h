/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PASE_COST_MODEL_H
#define PASE_COST_MODEL_H

#include "layer-graph.h"

#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A layer's strategy: the number of parts each dim of its iteration space is split in
 * (powers of two, product at most the devices p; devices beyond the product hold replicas).
 */
using PaseConfig = std::vector<uint32_t>;

/**
 * \ingroup ai-fabric
 * \brief PaSE's cost model (Elango, IPDPS 2021, §III-B), in FLOPs: a layer costs its compute
 * per device (forward and backward, 3 x its FLOPs over the devices its split uses) plus r x
 * the bytes of its intra-layer communication (the all-reduces that splitting a reduced dim
 * needs: partial outputs in the forward pass, partial input gradients and weight gradients in
 * the backward pass, each 2(g-1)/g x the tile per device, the ring all-reduce's volume); an
 * edge between two layers costs r x the bytes each device must fetch to turn the producer's
 * output layout into the consumer's input layout, forward and backward. r is the devices'
 * FLOP-per-byte ratio (peak FLOP/s over link bandwidth).
 */
class PaseCostModel : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PaseCostModel();
    ~PaseCostModel() override;

    /** \return the devices p */
    uint32_t GetDevices() const;
    /** \param p the devices (> 0) */
    void SetDevices(uint32_t p);
    /** \return r, FLOP per byte */
    double GetFlopPerByte() const;

    /**
     * \param layer a layer
     * \return its configurations: every power-of-two split of its splittable dims with product
     * at most p and no part smaller than one element; the first is "no split"
     */
    std::vector<PaseConfig> GetConfigs(const GraphLayer& layer) const;

    /**
     * \param c a configuration
     * \return the devices it uses (the product of its splits)
     */
    static uint32_t GetParts(const PaseConfig& c);

    /**
     * \param layer a layer
     * \param c one of its configurations
     * \return its compute per device, forward and backward, FLOPs
     */
    double GetComputeFlops(const GraphLayer& layer, const PaseConfig& c) const;

    /**
     * \param layer a layer
     * \param c one of its configurations
     * \param elementBytes bytes per element
     * \return its intra-layer communication per device, bytes (forward and backward)
     */
    double GetIntraLayerBytes(const GraphLayer& layer,
                              const PaseConfig& c,
                              uint32_t elementBytes) const;

    /**
     * \param producer the producing layer
     * \param cp its configuration
     * \param consumer the consuming layer
     * \param cc its configuration
     * \param elementBytes bytes per element
     * \return the bytes one device must fetch to turn the producer's output layout into the
     * consumer's input layout, one way (0 when the layouts agree)
     */
    static double GetRedistributionBytes(const GraphLayer& producer,
                                         const PaseConfig& cp,
                                         const GraphLayer& consumer,
                                         const PaseConfig& cc,
                                         uint32_t elementBytes);

    /**
     * \param layer a layer
     * \param c a configuration
     * \param elementBytes bytes per element
     * \return its vertex cost: compute + r x intra-layer bytes, FLOPs
     */
    double GetLayerCost(const GraphLayer& layer, const PaseConfig& c, uint32_t elementBytes) const;

    /**
     * \param producer the producing layer
     * \param cp its configuration
     * \param consumer the consuming layer
     * \param cc its configuration
     * \param elementBytes bytes per element
     * \return the edge cost: r x the redistribution bytes, forward and backward, FLOPs
     */
    double GetEdgeCost(const GraphLayer& producer,
                       const PaseConfig& cp,
                       const GraphLayer& consumer,
                       const PaseConfig& cc,
                       uint32_t elementBytes) const;

    /**
     * \param layer a layer
     * \param c a configuration
     * \return "b4 k2" (the dims split, with their parts), "none" when nothing is split
     */
    static std::string Describe(const GraphLayer& layer, const PaseConfig& c);

  private:
    uint32_t m_devices;   //!< Devices attribute
    double m_flopPerByte; //!< FlopPerByte attribute
};

} // namespace ns3

#endif /* PASE_COST_MODEL_H */
