/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-simulator-cache.h"

#include "ns3/simulator.h"

namespace ns3
{

SimulatorImpl* FabricSimulatorCache::s_impl = nullptr;

SimulatorImpl*
FabricSimulatorCache::Fetch()
{
    // Simulator::GetImplementation() creates the implementation if nothing has yet, as any
    // Simulator:: call would. The simulator keeps it alive until Destroy(), which runs
    // Forget() first.
    s_impl = PeekPointer(Simulator::GetImplementation());
    Simulator::ScheduleDestroy(&FabricSimulatorCache::Forget);
    return s_impl;
}

void
FabricSimulatorCache::Forget()
{
    s_impl = nullptr;
}

} // namespace ns3
