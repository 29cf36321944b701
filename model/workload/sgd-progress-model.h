/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef SGD_PROGRESS_MODEL_H
#define SGD_PROGRESS_MODEL_H

#include "training-report.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What the updates of a training run were worth (SgdProgressModel::Evaluate).
 */
struct SgdProgress
{
    uint64_t updates{0};        //!< updates applied to the weights
    double progress{0};         //!< their values, summed: effective (noise-free, fresh) updates
    double meanStaleness{0};    //!< mean staleness of the updates
    double meanBatch{0};        //!< mean samples per update
    Time lastUpdate;            //!< when the last counted update was applied
    double rate{0};             //!< progress / lastUpdate, effective updates per second
    double samplesPerSecond{0}; //!< samples of the counted updates / lastUpdate

    /**
     * \param target effective updates
     * \return the time to reach them at the run's steady rate (infinite if no progress)
     */
    Time TimeTo(double target) const;
};

/**
 * \ingroup ai-fabric
 * \brief A documented rule for what one SGD update is worth, so that runs of synchronous and
 * asynchronous training can be compared by time to a fixed amount of optimisation progress.
 *
 * Convergence is outside a network simulator; this model stands in for it with two published
 * rules, both Attributes a user can change:
 *
 * - **Batch size** (McCandlish et al. 2018, "An empirical model of large-batch training",
 *   arXiv:1812.06162, eq. 2.11): the steps needed with batch B are S = S_min (1 + B_noise / B),
 *   so one update of batch B is worth B / (B + B_noise) of a noise-free step. B_noise is the
 *   NoiseScale Attribute.
 * - **Staleness** (Zhang, Gupta, Lian & Liu 2016, "Staleness-aware async-SGD for distributed
 *   deep learning", IJCAI, arXiv:1511.05950): a gradient computed on weights that are tau
 *   updates old is applied with the learning rate divided by tau, so tau such updates move the
 *   weights as one fresh update of their combined batch tau B would. Each is then worth
 *   1 / tau of that update: B / (tau B + B_noise) ("inverse", the default). Staleness costs
 *   little while tau B is small against B_noise and a lot once it is not. "exponential"
 *   values an update at B / (B + B_noise) x exp(-tau / StalenessScale); "none" ignores
 *   staleness.
 *
 * Synchronous SGD makes one update per iteration of the global batch, fresh; a parameter-server
 * worker makes one update of its own share of the batch per iteration, as stale as the report
 * says (WorkerIterationRecord::staleness).
 */
class SgdProgressModel : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SgdProgressModel();
    ~SgdProgressModel() override;

    /** How staleness cuts the value of an update. */
    enum StalenessRule
    {
        INVERSE,     //!< B / (max(1, tau) B + B_noise) (Zhang et al. 2016)
        EXPONENTIAL, //!< B / (B + B_noise) x exp(-tau / StalenessScale)
        NONE,        //!< B / (B + B_noise)
    };

    /**
     * \param batch samples of the update (> 0)
     * \param staleness updates applied since its weights were read
     * \return its value in effective updates
     */
    double GetUpdateValue(double batch, uint32_t staleness) const;

    /**
     * \param batch samples of the update (> 0)
     * \param staleness updates applied since its weights were read
     * \return what staleness leaves of a fresh update's value, in (0, 1]
     */
    double GetStalenessFactor(double batch, uint32_t staleness) const;

    /**
     * \brief Value the updates of a run.
     * \param report the run (synchronous: its complete iterations; asynchronous: every worker
     * iteration, one update each)
     * \param globalBatch the workload's samples per iteration over all workers
     * \param until count only the updates applied by then (e.g. while every worker still runs)
     * \return the progress (throws FabricConfigError on an empty report or a zero batch)
     */
    SgdProgress Evaluate(const TrainingReport& report,
                         uint32_t globalBatch,
                         Time until = Time::Max()) const;

  private:
    double m_noiseScale;     //!< NoiseScale attribute, samples
    StalenessRule m_rule;    //!< StalenessRule attribute
    double m_stalenessScale; //!< StalenessScale attribute, updates
};

} // namespace ns3

#endif /* SGD_PROGRESS_MODEL_H */
