/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef AI_FABRIC_TEST_UTIL_H
#define AI_FABRIC_TEST_UTIL_H

#include "ns3/fabric-net-device.h"
#include "ns3/fabric-switch.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief Base fixture of the module's tests: picosecond clock, a clean simulator after each.
 *
 * An NDR byte lasts 20 ps, so the tests compare times in picoseconds. ns-3 lets the
 * resolution be chosen once per process, before the first simulation.
 */
class FabricTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (Time::GetResolution() != Time::PS)
        {
            Time::SetResolution(Time::PS);
        }
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

/**
 * \param hosts how many hosts, of one H100 GPU and one NDR 4x HCA each
 * \param radix ports per switch (hosts per leaf: radix / 2)
 * \return the topology YAML of the hosts on a 2-level non-blocking NDR fat-tree
 */
inline std::string
HostsOnFatTreeYaml(uint32_t hosts, uint32_t radix)
{
    return "name: hosts\n"
           "node-kinds:\n"
           "  host: {gpu: H100, gpus: 1, hcas: 1, hca-speed: NDR, hca-width: 4}\n"
           "nodes:\n"
           "  - {kind: host, count: " +
           std::to_string(hosts) +
           "}\n"
           "fat-tree: {levels: 2, radix: " +
           std::to_string(radix) + ", oversubscription: 1, speed: NDR, width: 4}\n";
}

/**
 * \brief Every port's counters, one line each, in node and interface order: what the fabric
 * did, beside the report.
 * \return the text
 */
inline std::string
PortCountersDigest()
{
    std::ostringstream os;
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(d));
            if (!port)
            {
                continue;
            }
            os << n << "/" << d << " tx " << port->GetTxPackets() << " " << port->GetTxBytes()
               << " rx " << port->GetRxPackets() << " " << port->GetRxBytes() << " busy "
               << port->GetTxBusyTime().GetTimeStep() << " fcp " << port->GetFlowControlPackets()
               << " crc " << port->GetRxCrcErrors() << "\n";
        }
        if (Ptr<FabricSwitch> sw = node->GetObject<FabricSwitch>())
        {
            os << n << " adaptive reroutes " << sw->GetAdaptiveReroutes() << "\n";
        }
    }
    return os.str();
}

} // namespace ns3

#endif /* AI_FABRIC_TEST_UTIL_H */
