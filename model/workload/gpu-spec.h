/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef GPU_SPEC_H
#define GPU_SPEC_H

#include "workload-description.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What the compute model needs of a GPU: dense tensor-core peaks per number format,
 * HBM capacity and bandwidth. Presets come from public spec sheets (dense figures: NVIDIA's
 * headline tensor figures for Hopper and Blackwell are with 2:4 sparsity, twice these).
 */
struct GpuSpec
{
    std::string name;       //!< "H100"
    double fp32Flops{0};    //!< FP32 (non-tensor) peak, FLOP/s
    double tf32Flops{0};    //!< TF32 tensor peak, dense, FLOP/s
    double bf16Flops{0};    //!< BF16 tensor peak, dense, FLOP/s
    double fp16Flops{0};    //!< FP16 tensor peak, dense, FLOP/s
    double fp8Flops{0};     //!< FP8 tensor peak, dense, FLOP/s (0: not supported)
    uint64_t hbmBytes{0};   //!< HBM capacity, bytes
    double hbmBandwidth{0}; //!< HBM bandwidth, bytes/s
    std::string source;     //!< where the figures come from

    /**
     * \param dtype a number format
     * \return the dense peak for it, FLOP/s; throws FabricConfigError if the GPU lacks it
     */
    double GetPeakFlops(WorkloadDtype dtype) const;

    /**
     * \param name A100, H100, H200 or B200 (A100-80G, H100-SXM... also accepted)
     * \return its preset; throws FabricConfigError for an unknown name
     */
    static GpuSpec Preset(const std::string& name);

    /** \return the preset names */
    static std::vector<std::string> GetPresetNames();
};

} // namespace ns3

#endif /* GPU_SPEC_H */
