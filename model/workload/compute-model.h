/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COMPUTE_MODEL_H
#define COMPUTE_MODEL_H

#include "gpu-spec.h"
#include "workload-description.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One piece of GPU work of an execution graph, as the compute model sees it.
 */
struct ComputeTask
{
    std::string kind;   //!< "attention", "mlp", "moe", "logits", "layer", "optimizer"
    double flops{0};    //!< floating-point operations
    double hbmBytes{0}; //!< bytes read and written in HBM
    WorkloadDtype dtype{WorkloadDtype::BF16}; //!< the format its math runs in
    /// A duration recorded in an imported trace (Chakra's duration_micros, ASTRA-sim's
    /// cycles). When positive it is the task's duration whatever the compute model: a trace
    /// says what the work took on the machine it was recorded on.
    Time measured{0};
};

/**
 * \ingroup ai-fabric
 * \brief How long a piece of GPU work takes: the replaceable part of the workload layer. The
 * roofline (RooflineComputeModel) is the default; a measured per-operation table
 * (TableComputeModel) can replace it, or a subclass of one's own.
 */
class ComputeModel : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ComputeModel();
    ~ComputeModel() override;

    /**
     * \param task the work
     * \param gpu the GPU that does it
     * \return how long it takes
     */
    virtual Time GetDuration(const ComputeTask& task, const GpuSpec& gpu) const = 0;
};

/**
 * \ingroup ai-fabric
 * \brief The roofline: a task takes max(FLOPs / (peak x Efficiency), HBM bytes / (bandwidth x
 * MemoryEfficiency)), the peak being the GPU's dense tensor peak for the task's number format.
 */
class RooflineComputeModel : public ComputeModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RooflineComputeModel();
    ~RooflineComputeModel() override;

    Time GetDuration(const ComputeTask& task, const GpuSpec& gpu) const override;

  private:
    double m_efficiency;       //!< achieved fraction of the tensor peak
    double m_memoryEfficiency; //!< achieved fraction of the HBM bandwidth
};

/**
 * \ingroup ai-fabric
 * \brief Measured durations: per task kind (and GPU), a time per FLOP from a profile; kinds
 * not in the table go to the Fallback model (a roofline by default).
 */
class TableComputeModel : public ComputeModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TableComputeModel();
    ~TableComputeModel() override;

    /**
     * \brief Record a measurement: a task of this kind on this GPU of `flops` took `duration`.
     * Tasks of the kind then take duration x their FLOPs / flops.
     * \param gpu the GPU's name ("H100"; "" for any)
     * \param kind the task kind
     * \param flops the measured task's FLOPs (> 0)
     * \param duration how long it took
     */
    void AddMeasurement(const std::string& gpu,
                        const std::string& kind,
                        double flops,
                        Time duration);

    Time GetDuration(const ComputeTask& task, const GpuSpec& gpu) const override;

  protected:
    void DoDispose() override;

  private:
    std::map<std::pair<std::string, std::string>, double> m_secondsPerFlop; //!< (gpu, kind)
    mutable Ptr<ComputeModel> m_fallback; //!< Fallback attribute (made on first use)
};

} // namespace ns3

#endif /* COMPUTE_MODEL_H */
