/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-link-usage.h"

#include "ns3/ib-net-device.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricLinkUsage");

FabricLinkUsage::FabricLinkUsage(Ptr<FabricTopology> topology)
    : m_topology(topology)
{
    NS_LOG_FUNCTION(this);
    std::map<std::string, uint32_t> index;
    for (const auto& link : topology->GetLinks())
    {
        for (bool first : {true, false})
        {
            Ptr<FabricNetDevice> device = first ? link.a : link.b;
            const std::string name =
                ClassName(link.category, first, DynamicCast<IbNetDevice>(device) != nullptr);
            auto it = index.emplace(name, static_cast<uint32_t>(m_classNames.size())).first;
            if (it->second == m_classNames.size())
            {
                m_classNames.push_back(name);
            }
            Port port;
            port.device = device;
            port.linkClass = it->second;
            m_ports.push_back(port);
        }
    }
    Start();
}

std::vector<PortUsage>
FabricLinkUsage::MeasurePorts() const
{
    const double duration = (Simulator::Now() - m_start).GetSeconds();
    std::vector<PortUsage> ports;
    ports.reserve(m_ports.size());
    for (const auto& port : m_ports)
    {
        PortUsage usage;
        usage.name = m_topology->GetPortName(port.device);
        usage.linkClass = m_classNames[port.linkClass];
        usage.bytes = port.device->GetTxBytes() - port.bytes;
        const double busy = (port.device->GetTxBusyTime() - port.busy).GetSeconds();
        usage.utilisation = duration > 0 ? busy / duration : 0.0;
        usage.creditStall = StallTime(port.device) - port.stall;
        ports.push_back(usage);
    }
    return ports;
}

std::string
FabricLinkUsage::ClassName(const std::string& category, bool firstEnd, bool infiniband)
{
    if (category == "nvlink")
    {
        return firstEnd ? "NVLink GPU->NVSwitch" : "NVLink NVSwitch->GPU";
    }
    // "hca-leaf": the first end is the HCA.
    const std::string tech = infiniband ? "IB " : "";
    const auto dash = category.find('-');
    if (dash == std::string::npos)
    {
        return tech + category + (firstEnd ? " (a->b)" : " (b->a)");
    }
    const std::string a = category.substr(0, dash);
    const std::string b = category.substr(dash + 1);
    return tech + (firstEnd ? a + "->" + b : b + "->" + a);
}

Time
FabricLinkUsage::StallTime(Ptr<FabricNetDevice> device)
{
    Time total;
    for (uint8_t vl = 0; vl < device->GetNumDataVls(); ++vl)
    {
        total += device->GetCreditStallTime(vl);
    }
    return total;
}

void
FabricLinkUsage::Start()
{
    m_start = Simulator::Now();
    for (auto& port : m_ports)
    {
        port.bytes = port.device->GetTxBytes();
        port.busy = port.device->GetTxBusyTime();
        port.stall = StallTime(port.device);
    }
}

LinkUsageReport
FabricLinkUsage::Measure() const
{
    LinkUsageReport report;
    report.duration = Simulator::Now() - m_start;
    const double duration = report.duration.GetSeconds();
    std::vector<LinkClassUsage> classes(m_classNames.size());
    std::vector<double> busySum(m_classNames.size(), 0.0);
    for (size_t c = 0; c < classes.size(); ++c)
    {
        classes[c].name = m_classNames[c];
    }
    uint32_t active = 0;
    Time stall;
    for (const auto& port : m_ports)
    {
        LinkClassUsage& usage = classes[port.linkClass];
        ++usage.ports;
        const uint64_t bytes = port.device->GetTxBytes() - port.bytes;
        const Time portStall = StallTime(port.device) - port.stall;
        usage.creditStall += portStall;
        stall += portStall;
        if (bytes == 0)
        {
            continue;
        }
        ++active;
        ++usage.activePorts;
        usage.bytes += bytes;
        const double busy = (port.device->GetTxBusyTime() - port.busy).GetSeconds();
        const double utilisation = duration > 0 ? busy / duration : 0.0;
        busySum[port.linkClass] += utilisation;
        if (utilisation > usage.busiest || usage.busiestPort.empty())
        {
            usage.busiest = utilisation;
            usage.busiestPort = m_topology->GetPortName(port.device);
        }
    }
    for (size_t c = 0; c < classes.size(); ++c)
    {
        if (classes[c].activePorts > 0)
        {
            classes[c].mean = busySum[c] / classes[c].activePorts;
            report.classes.push_back(classes[c]);
        }
    }
    std::stable_sort(
        report.classes.begin(),
        report.classes.end(),
        [](const LinkClassUsage& a, const LinkClassUsage& b) { return a.busiest > b.busiest; });
    report.creditStallShare =
        active > 0 && duration > 0 ? stall.GetSeconds() / (active * duration) : 0.0;
    return report;
}

std::string
LinkUsageReport::GetBoundBy() const
{
    if (classes.empty())
    {
        return "bound by: nothing (no link carried data)";
    }
    std::string line = "bound by: ";
    for (size_t c = 0; c < classes.size() && c < 3; ++c)
    {
        line += (c > 0 ? "; " : "") + classes[c].name + " " +
                std::to_string(static_cast<int>(std::lround(classes[c].busiest * 100))) + "%" +
                (c == 0 ? " busy" : "");
    }
    line += "; credit stalls " +
            std::to_string(static_cast<int>(std::lround(creditStallShare * 100))) + "%";
    return line;
}

LinkClassUsage
LinkUsageReport::GetClass(const std::string& name) const
{
    for (const auto& c : classes)
    {
        if (c.name == name)
        {
            return c;
        }
    }
    LinkClassUsage none;
    none.name = name;
    return none;
}

} // namespace ns3
