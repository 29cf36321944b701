/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "compute-model.h"

#include "ns3/double.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/pointer.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ComputeModel");

NS_OBJECT_ENSURE_REGISTERED(ComputeModel);
NS_OBJECT_ENSURE_REGISTERED(RooflineComputeModel);
NS_OBJECT_ENSURE_REGISTERED(TableComputeModel);

TypeId
ComputeModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ComputeModel").SetParent<Object>().SetGroupName("AiFabric");
    return tid;
}

ComputeModel::ComputeModel() = default;
ComputeModel::~ComputeModel() = default;

TypeId
RooflineComputeModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RooflineComputeModel")
            .SetParent<ComputeModel>()
            .SetGroupName("AiFabric")
            .AddConstructor<RooflineComputeModel>()
            .AddAttribute("Efficiency",
                          "Achieved fraction (0-1] of the GPU's dense tensor peak. Default 0.7: "
                          "large GEMMs reach 60-80% of peak; whole-model MFU then comes out "
                          "lower, as Megatron-LM's 44-52% (Narayanan et al. SC21, Table 1).",
                          DoubleValue(0.7),
                          MakeDoubleAccessor(&RooflineComputeModel::m_efficiency),
                          MakeDoubleChecker<double>(1e-6, 1.0))
            .AddAttribute("MemoryEfficiency",
                          "Achieved fraction (0-1] of the HBM bandwidth for memory-bound work. "
                          "Default 0.8, about what streaming kernels reach on HBM.",
                          DoubleValue(0.8),
                          MakeDoubleAccessor(&RooflineComputeModel::m_memoryEfficiency),
                          MakeDoubleChecker<double>(1e-6, 1.0));
    return tid;
}

RooflineComputeModel::RooflineComputeModel()
    : m_efficiency(0.7),
      m_memoryEfficiency(0.8)
{
}

RooflineComputeModel::~RooflineComputeModel() = default;

Time
RooflineComputeModel::GetDuration(const ComputeTask& task, const GpuSpec& gpu) const
{
    double seconds = 0;
    if (task.flops > 0)
    {
        seconds = task.flops / (gpu.GetPeakFlops(task.dtype) * m_efficiency);
    }
    if (task.hbmBytes > 0)
    {
        if (!(gpu.hbmBandwidth > 0))
        {
            throw FabricConfigError("GpuSpec " + gpu.name, "has no HBM bandwidth");
        }
        seconds = std::max(seconds, task.hbmBytes / (gpu.hbmBandwidth * m_memoryEfficiency));
    }
    NS_LOG_LOGIC(task.kind << " " << task.flops << " FLOP, " << task.hbmBytes << " B on "
                           << gpu.name << ": " << seconds << " s");
    return Seconds(seconds);
}

TypeId
TableComputeModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TableComputeModel")
            .SetParent<ComputeModel>()
            .SetGroupName("AiFabric")
            .AddConstructor<TableComputeModel>()
            .AddAttribute("Fallback",
                          "The model for task kinds without a measurement (null: a roofline "
                          "with its defaults).",
                          PointerValue(),
                          MakePointerAccessor(&TableComputeModel::m_fallback),
                          MakePointerChecker<ComputeModel>());
    return tid;
}

TableComputeModel::TableComputeModel() = default;
TableComputeModel::~TableComputeModel() = default;

void
TableComputeModel::DoDispose()
{
    m_fallback = nullptr;
    ComputeModel::DoDispose();
}

void
TableComputeModel::AddMeasurement(const std::string& gpu,
                                  const std::string& kind,
                                  double flops,
                                  Time duration)
{
    if (!(flops > 0) || duration.IsNegative())
    {
        throw FabricConfigError("TableComputeModel",
                                "a measurement needs FLOPs > 0 and a duration >= 0 (" + kind + ")");
    }
    m_secondsPerFlop[{gpu, kind}] = duration.GetSeconds() / flops;
}

Time
TableComputeModel::GetDuration(const ComputeTask& task, const GpuSpec& gpu) const
{
    for (const std::string& g : {gpu.name, std::string()})
    {
        auto it = m_secondsPerFlop.find({g, task.kind});
        if (it != m_secondsPerFlop.end())
        {
            return Seconds(it->second * task.flops);
        }
    }
    if (!m_fallback)
    {
        m_fallback = CreateObject<RooflineComputeModel>();
    }
    return m_fallback->GetDuration(task, gpu);
}

} // namespace ns3
