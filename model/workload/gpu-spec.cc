/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "gpu-spec.h"

#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GpuSpec");

double
GpuSpec::GetPeakFlops(WorkloadDtype dtype) const
{
    double peak = 0;
    switch (dtype)
    {
    case WorkloadDtype::FP32:
        peak = fp32Flops;
        break;
    case WorkloadDtype::TF32:
        peak = tf32Flops;
        break;
    case WorkloadDtype::BF16:
        peak = bf16Flops;
        break;
    case WorkloadDtype::FP16:
        peak = fp16Flops;
        break;
    case WorkloadDtype::FP8:
        peak = fp8Flops;
        break;
    }
    if (!(peak > 0))
    {
        throw FabricConfigError("GpuSpec " + name,
                                "has no " + WorkloadDtypeName(dtype) + " tensor cores");
    }
    return peak;
}

GpuSpec
GpuSpec::Preset(const std::string& requested)
{
    std::string name = requested.substr(0, requested.find('-'));
    GpuSpec g;
    g.name = name;
    if (name == "A100")
    {
        // NVIDIA A100 Tensor Core GPU datasheet (SXM 80 GB): FP32 19.5, TF32 156, BF16/FP16 312
        // TFLOP/s dense (the sheet's 312/624 are dense/sparse); 80 GB HBM2e at 2,039 GB/s.
        g.fp32Flops = 19.5e12;
        g.tf32Flops = 156e12;
        g.bf16Flops = 312e12;
        g.fp16Flops = 312e12;
        g.fp8Flops = 0; // Ampere has no FP8 tensor cores
        g.hbmBytes = 80ull * 1000 * 1000 * 1000;
        g.hbmBandwidth = 2039e9;
        g.source = "NVIDIA A100 datasheet, SXM 80GB";
    }
    else if (name == "H100" || name == "H200")
    {
        // NVIDIA H100 datasheet (SXM5): FP32 67, TF32 989 / BF16 1,979 / FP8 3,958 TFLOP/s
        // "with sparsity", half that dense (glennklockwood.com/garden/processors/h100 lists the
        // dense matrix figures 494.7, 989.4, 1,978.9); 80 GB HBM3 at 3.35 TB/s.
        // H200 SXM: the same GH100 compute with 141 GB HBM3e at 4.8 TB/s (H200 datasheet).
        g.fp32Flops = 66.9e12;
        g.tf32Flops = 494.7e12;
        g.bf16Flops = 989.4e12;
        g.fp16Flops = 989.4e12;
        g.fp8Flops = 1978.9e12;
        if (name == "H100")
        {
            g.hbmBytes = 80ull * 1000 * 1000 * 1000;
            g.hbmBandwidth = 3.35e12;
            g.source = "NVIDIA H100 datasheet, SXM5 (dense = sparse / 2)";
        }
        else
        {
            g.hbmBytes = 141ull * 1000 * 1000 * 1000;
            g.hbmBandwidth = 4.8e12;
            g.source = "NVIDIA H200 datasheet, SXM (compute as H100 SXM5)";
        }
    }
    else if (name == "B200")
    {
        // HGX B200 at 1,000 W (NVIDIA HGX B200 specifications, dense = sparse / 2; figures as
        // glennklockwood.com/garden/processors/B200 tabulates them): FP32 80, TF32 1,100, BF16
        // 2,250, FP8 4,500 TFLOP/s dense; DGX B200: 1,440 GB HBM3e and 64 TB/s for 8 GPUs, i.e.
        // 180 GB at 8 TB/s each.
        g.fp32Flops = 80e12;
        g.tf32Flops = 1100e12;
        g.bf16Flops = 2250e12;
        g.fp16Flops = 2250e12;
        g.fp8Flops = 4500e12;
        g.hbmBytes = 180ull * 1000 * 1000 * 1000;
        g.hbmBandwidth = 8e12;
        g.source = "NVIDIA HGX/DGX B200 specifications (dense = sparse / 2)";
    }
    else
    {
        throw FabricConfigError("GpuSpec",
                                "unknown GPU \"" + requested + "\" (A100, H100, H200, B200)");
    }
    return g;
}

std::vector<std::string>
GpuSpec::GetPresetNames()
{
    return {"A100", "H100", "H200", "B200"};
}

} // namespace ns3
