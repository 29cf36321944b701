/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sgd-progress-model.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SgdProgressModel");

NS_OBJECT_ENSURE_REGISTERED(SgdProgressModel);

Time
SgdProgress::TimeTo(double target) const
{
    if (!(rate > 0))
    {
        return Time::Max();
    }
    return Seconds(target / rate);
}

TypeId
SgdProgressModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SgdProgressModel")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<SgdProgressModel>()
            .AddAttribute("NoiseScale",
                          "Gradient noise scale B_noise, samples: an update of batch B is worth "
                          "B / (B + B_noise) noise-free steps (McCandlish et al. 2018). Default "
                          "8192, ImageNet ResNet-50: Goyal et al. 2017 train it at 8192 without "
                          "loss of accuracy; McCandlish et al. measure ImageNet's noise scale in "
                          "the thousands to tens of thousands during training",
                          DoubleValue(8192.0),
                          MakeDoubleAccessor(&SgdProgressModel::m_noiseScale),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute(
                "StalenessRule",
                "How staleness tau cuts an update's value: inverse, B / (tau B + "
                "B_noise) (Zhang et al. 2016, staleness-aware async-SGD: lr / tau makes "
                "tau updates one of batch tau B), exponential, B / (B + B_noise) x "
                "exp(-tau / StalenessScale), or none",
                EnumValue(INVERSE),
                MakeEnumAccessor(&SgdProgressModel::m_rule),
                MakeEnumChecker(INVERSE, "inverse", EXPONENTIAL, "exponential", NONE, "none"))
            .AddAttribute("StalenessScale",
                          "tau_0 of the exponential rule, updates",
                          DoubleValue(8.0),
                          MakeDoubleAccessor(&SgdProgressModel::m_stalenessScale),
                          MakeDoubleChecker<double>(1e-9));
    return tid;
}

SgdProgressModel::SgdProgressModel()
{
    NS_LOG_FUNCTION(this);
}

SgdProgressModel::~SgdProgressModel()
{
    NS_LOG_FUNCTION(this);
}

double
SgdProgressModel::GetStalenessFactor(double batch, uint32_t staleness) const
{
    return GetUpdateValue(batch, staleness) / GetUpdateValue(batch, 0);
}

double
SgdProgressModel::GetUpdateValue(double batch, uint32_t staleness) const
{
    if (!(batch > 0))
    {
        throw FabricConfigError("SgdProgressModel", "an update needs a batch of at least 1 sample");
    }
    switch (m_rule)
    {
    case INVERSE: {
        // Staleness-aware SGD applies an update tau updates old with lr / tau: tau such
        // updates move the weights as one fresh update of their combined batch, so each is
        // worth 1 / tau of that update (Zhang et al. 2016, section 3).
        const double tau = std::max<double>(1.0, staleness);
        return batch / (tau * batch + m_noiseScale);
    }
    case EXPONENTIAL:
        return batch / (batch + m_noiseScale) * std::exp(-double(staleness) / m_stalenessScale);
    case NONE:
        break;
    }
    return batch / (batch + m_noiseScale);
}

SgdProgress
SgdProgressModel::Evaluate(const TrainingReport& report, uint32_t globalBatch, Time until) const
{
    NS_LOG_FUNCTION(this << report.mode << globalBatch);
    if (globalBatch == 0 || report.workers == 0)
    {
        throw FabricConfigError("SgdProgressModel",
                                "needs a global batch and a report with workers");
    }
    SgdProgress out;
    double staleness = 0;
    if (report.mode == "sync")
    {
        // One fresh update of the global batch per iteration every worker finished.
        for (const auto& it : report.iterations)
        {
            if (it.workers < report.workers || it.end > until)
            {
                continue;
            }
            out.progress += GetUpdateValue(globalBatch, 0);
            out.lastUpdate = std::max(out.lastUpdate, it.end);
            ++out.updates;
        }
        out.meanBatch = globalBatch;
    }
    else
    {
        // Every worker iteration pushes one update of its share of the batch.
        const double share = double(globalBatch) / report.workers;
        for (const auto& r : report.perWorker)
        {
            if (r.end > until)
            {
                continue;
            }
            out.progress += GetUpdateValue(share, r.staleness);
            out.lastUpdate = std::max(out.lastUpdate, r.end);
            staleness += r.staleness;
            ++out.updates;
        }
        out.meanBatch = share;
    }
    if (out.updates == 0)
    {
        throw FabricConfigError("SgdProgressModel",
                                "the report of '" + report.workload + "' holds no update");
    }
    out.meanStaleness = staleness / out.updates;
    if (out.lastUpdate.IsStrictlyPositive())
    {
        out.rate = out.progress / out.lastUpdate.GetSeconds();
        out.samplesPerSecond = out.updates * out.meanBatch / out.lastUpdate.GetSeconds();
    }
    return out;
}

} // namespace ns3
