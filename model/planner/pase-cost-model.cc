/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pase-cost-model.h"

#include "ns3/double.h"
#include "ns3/fabric-config-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <functional>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PaseCostModel");
NS_OBJECT_ENSURE_REGISTERED(PaseCostModel);

TypeId
PaseCostModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PaseCostModel")
            .SetParent<Object>()
            .SetGroupName("AiFabric")
            .AddConstructor<PaseCostModel>()
            .AddAttribute("Devices",
                          "The devices p a layer may be split over (a power of two).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&PaseCostModel::m_devices),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute(
                "FlopPerByte",
                "r, the devices' FLOP-per-byte ratio, FLOP/B: what one byte of communication "
                "costs in FLOPs. Default: H100 SXM dense BF16 989 TFLOP/s over one NDR "
                "InfiniBand port, 400 Gb/s = 50 GB/s (fabric-facts.md), 19780.",
                DoubleValue(989e12 / 50e9),
                MakeDoubleAccessor(&PaseCostModel::m_flopPerByte),
                MakeDoubleChecker<double>(0));
    return tid;
}

PaseCostModel::PaseCostModel()
    : m_devices(8),
      m_flopPerByte(989e12 / 50e9)
{
}

PaseCostModel::~PaseCostModel() = default;

uint32_t
PaseCostModel::GetDevices() const
{
    return m_devices;
}

void
PaseCostModel::SetDevices(uint32_t p)
{
    if (p == 0 || (p & (p - 1)) != 0)
    {
        throw FabricConfigError("PaseCostModel", "Devices must be a power of two > 0");
    }
    m_devices = p;
}

double
PaseCostModel::GetFlopPerByte() const
{
    return m_flopPerByte;
}

std::vector<PaseConfig>
PaseCostModel::GetConfigs(const GraphLayer& layer) const
{
    if (m_devices == 0 || (m_devices & (m_devices - 1)) != 0)
    {
        throw FabricConfigError("PaseCostModel", "Devices must be a power of two > 0");
    }
    std::vector<PaseConfig> out;
    PaseConfig c(layer.dims.size(), 1);
    std::function<void(uint32_t, uint32_t)> rec = [&](uint32_t d, uint32_t left) {
        if (d == layer.dims.size())
        {
            out.push_back(c);
            return;
        }
        for (uint32_t s = 1; s <= left; s *= 2)
        {
            if (s > 1 && (!layer.dims[d].splittable || s > layer.dims[d].size))
            {
                break;
            }
            c[d] = s;
            rec(d + 1, left / s);
        }
        c[d] = 1;
    };
    rec(0, m_devices);
    return out;
}

uint32_t
PaseCostModel::GetParts(const PaseConfig& c)
{
    uint32_t q = 1;
    for (uint32_t s : c)
    {
        q *= s;
    }
    return q;
}

double
PaseCostModel::GetComputeFlops(const GraphLayer& layer, const PaseConfig& c) const
{
    return 3 * layer.GetFlops() / GetParts(c);
}

namespace
{

/// \return the product of the splits of the dims not in tensor
uint32_t
GroupOutside(const PaseConfig& c, const std::vector<uint32_t>& tensor)
{
    uint32_t g = 1;
    for (uint32_t d = 0; d < c.size(); ++d)
    {
        if (std::find(tensor.begin(), tensor.end(), d) == tensor.end())
        {
            g *= c[d];
        }
    }
    return g;
}

/// \return the elements of a tensor's tile under c
double
Tile(const GraphLayer& layer, const PaseConfig& c, const std::vector<uint32_t>& tensor)
{
    double n = 1;
    for (uint32_t d : tensor)
    {
        n *= static_cast<double>(layer.dims[d].size) / c[d];
    }
    return n;
}

/// \return the ring all-reduce's bytes per device for a tile over g devices
double
AllReduce(double bytes, uint32_t g)
{
    return g > 1 ? 2.0 * (g - 1) / g * bytes : 0.0;
}

} // namespace

double
PaseCostModel::GetIntraLayerBytes(const GraphLayer& layer,
                                  const PaseConfig& c,
                                  uint32_t elementBytes) const
{
    double bytes =
        AllReduce(Tile(layer, c, layer.output) * elementBytes, GroupOutside(c, layer.output));
    if (!layer.input.empty())
    {
        bytes +=
            AllReduce(Tile(layer, c, layer.input) * elementBytes, GroupOutside(c, layer.input));
    }
    if (!layer.weight.empty())
    {
        bytes +=
            AllReduce(Tile(layer, c, layer.weight) * elementBytes, GroupOutside(c, layer.weight));
    }
    return bytes;
}

double
PaseCostModel::GetRedistributionBytes(const GraphLayer& producer,
                                      const PaseConfig& cp,
                                      const GraphLayer& consumer,
                                      const PaseConfig& cc,
                                      uint32_t elementBytes)
{
    // The tensor is the producer's output, axis by axis; the consumer's input dims name the
    // same axes in the same order. A consumer with fewer input dims flattens the producer's
    // trailing axes into its last one (a convolution feeding a fully connected layer): its
    // split of that dim falls on the first of those axes, the rest on the next.
    const std::vector<uint32_t>& axes = producer.output;
    const std::vector<uint32_t>& in = consumer.input;
    std::vector<double> consumerSplit(axes.size(), 1.0);
    for (uint32_t j = 0; j < axes.size() && j < in.size(); ++j)
    {
        if (j + 1 < in.size() || in.size() >= axes.size())
        {
            consumerSplit[j] = cc[in[j]];
            continue;
        }
        double s = cc[in[j]];
        for (uint32_t a = j; a < axes.size() && s > 1; ++a)
        {
            const double apply = std::min(s, static_cast<double>(producer.dims[axes[a]].size));
            consumerSplit[a] = apply;
            s /= apply;
        }
        break;
    }
    double needed = 1;
    double overlap = 1;
    for (uint32_t a = 0; a < axes.size(); ++a)
    {
        const double size = static_cast<double>(producer.dims[axes[a]].size);
        const double held = cp[axes[a]];
        needed *= size / consumerSplit[a];
        overlap *= size / std::max(held, consumerSplit[a]);
    }
    return (needed - overlap) * elementBytes;
}

double
PaseCostModel::GetLayerCost(const GraphLayer& layer,
                            const PaseConfig& c,
                            uint32_t elementBytes) const
{
    return GetComputeFlops(layer, c) + m_flopPerByte * GetIntraLayerBytes(layer, c, elementBytes);
}

double
PaseCostModel::GetEdgeCost(const GraphLayer& producer,
                           const PaseConfig& cp,
                           const GraphLayer& consumer,
                           const PaseConfig& cc,
                           uint32_t elementBytes) const
{
    return 2 * m_flopPerByte * GetRedistributionBytes(producer, cp, consumer, cc, elementBytes);
}

std::string
PaseCostModel::Describe(const GraphLayer& layer, const PaseConfig& c)
{
    std::string s;
    for (uint32_t d = 0; d < c.size(); ++d)
    {
        if (c[d] > 1)
        {
            s += (s.empty() ? "" : " ") + layer.dims[d].name + std::to_string(c[d]);
        }
    }
    return s.empty() ? "none" : s;
}

} // namespace ns3
