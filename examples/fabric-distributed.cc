/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * One collective, packet level, on ns-3's distributed (MPI) engine: DGX H100 servers on a
 * rail-optimised NDR fat-tree, the nodes spread over the MPI processes with cuts on InfiniBand
 * cables only (TopologyHelper::SetSystemCount), the cut cables' packets and credits carried
 * by MPI (FabricPartitionHelper::InstallMpi) and the collective's cross-process completions by
 * MpiDistributedRelay. Every process prints nothing but rank 0, which prints the report and a
 * digest of every port's counters, summed over the processes: the same with 1 process as with
 * N. doc/distributed.md tells how to build ns-3 with MPI and run it on a cluster.
 *
 *   mpirun -np 2 ./ns3 run --no-build "fabric-distributed --nodes=64 --bytes=64M"
 *   fabric-distributed --nodes=8 --systems=2   (no MPI: the cut cables through loopback links)
 *
 * Built without ns-3's mpi module (Debian's libns3-dev), it runs in one process; --systems
 * then partitions the fabric anyway and sends the cut cables through FabricLoopbackLink (the
 * MPI path's messages, serialised and rebuilt in-process), to show they change nothing.
 */

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#ifdef AIFABRIC_HAVE_MPI
#include "ns3/mpi-distributed-relay.h"
#include "ns3/mpi-interface.h"
#endif

#include <chrono>
#include <fmt/core.h>
#include <iostream>

using namespace ns3;

namespace
{

/// DGX H100 servers (8 GPUs, 8 NDR HCAs) on a 2-level rail-optimised NDR fat-tree, radix 64.
Ptr<FabricTopology>
BuildFabric(uint32_t servers, uint32_t systems)
{
    TopologyHelper helper;
    helper.SetDgxH100RailFatTree(servers, 64);
    helper.SetSystemCount(systems);
    return helper.Build();
}

/// FNV-1a, 64 bits.
uint64_t
Fnv1a(const void* data, size_t size, uint64_t h = 1469598103934665603ULL)
{
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < size; ++i)
    {
        h = (h ^ p[i]) * 1099511628211ULL;
    }
    return h;
}

} // namespace

int
main(int argc, char* argv[])
{
    Time::SetResolution(Time::PS); // an NDR byte lasts 20 ps
    uint32_t nodes = 8;
    std::string bytesText = "16M";
    std::string algo = "ring";
    uint32_t channels = 2;
    uint32_t systems = 1;
    std::string engine = "granted-time-window";
    uint32_t nvlinkUnit = 0;

    CommandLine cmd(__FILE__);
    cmd.AddValue("nodes", "DGX H100 servers (8 GPUs and 8 NDR HCAs each)", nodes);
    cmd.AddValue("bytes", "All-reduce size (nccl-tests' S), e.g. 64M, 1G", bytesText);
    cmd.AddValue("algo", "ring, halving-doubling, direct or tree", algo);
    cmd.AddValue("channels", "Channels of the collective", channels);
    cmd.AddValue("systems",
                 "Without MPI: partition over this many systems and send the cut cables "
                 "through loopback links (with MPI the processes decide)",
                 systems);
    cmd.AddValue("engine",
                 "With MPI: granted-time-window (ns3::DistributedSimulatorImpl) or "
                 "null-message (ns3::NullMessageSimulatorImpl)",
                 engine);
    cmd.AddValue("nvlink-unit",
                 "Data bytes of one simulated NVLink transfer unit (NvlinkHelper::SetTransferUnit, "
                 "16-65280; 0: the ports' Mtu, 4096). Wire bytes stay exact",
                 nvlinkUnit);
    cmd.Parse(argc, argv);

    uint32_t rank = 0;
    bool mpi = false;
#ifdef AIFABRIC_HAVE_MPI
    if (engine != "granted-time-window" && engine != "null-message")
    {
        std::cerr << "fabric-distributed: --engine: \"" << engine
                  << "\" is not granted-time-window or null-message" << std::endl;
        return 1;
    }
    GlobalValue::Bind("SimulatorImplementationType",
                      StringValue(engine == "null-message" ? "ns3::NullMessageSimulatorImpl"
                                                           : "ns3::DistributedSimulatorImpl"));
    MpiInterface::Enable(&argc, &argv);
    rank = MpiInterface::GetSystemId();
    mpi = MpiInterface::GetSize() > 1;
    if (MpiInterface::GetSize() > 1)
    {
        systems = MpiInterface::GetSize();
    }
#endif
    int status = 0;
    try
    {
        const uint64_t bytes = ParseByteSize(bytesText, "--bytes");
        if (nodes < 1)
        {
            throw FabricConfigError("--nodes", "needs at least one server");
        }
        if (systems < 1)
        {
            throw FabricConfigError("--systems", "needs at least one system");
        }
        Ptr<FabricTopology> topology = BuildFabric(nodes, systems);
        if (nvlinkUnit != 0)
        {
            NvlinkHelper::SetTransferUnit(NodeContainer::GetGlobal(), nvlinkUnit);
        }
        uint32_t cut = 0;
        Ptr<DistributedRelay> relay;
#ifdef AIFABRIC_HAVE_MPI
        if (mpi)
        {
            cut = FabricPartitionHelper::InstallMpi(NodeContainer::GetGlobal());
            Ptr<MpiDistributedRelay> mpiRelay = CreateObject<MpiDistributedRelay>();
            mpiRelay->Install();
            relay = mpiRelay;
        }
#endif
        if (!mpi && systems > 1)
        {
            cut = FabricPartitionHelper::InstallLoopback(NodeContainer::GetGlobal());
        }

        std::vector<uint32_t> ranks;
        for (uint32_t r = 0; r < topology->GetNRanks(); ++r)
        {
            ranks.push_back(r);
        }
        Ptr<Communicator> comm = CreateObject<Communicator>();
        comm->SetAttribute("Algorithm", StringValue(algo));
        comm->SetAttribute("Protocol", StringValue("Simple"));
        comm->SetAttribute("Channels", UintegerValue(channels));
        comm->Setup(topology, ranks);
        if (relay)
        {
            comm->SetDistributedRelay(relay);
        }
        CollectiveReport report;
        bool done = false;
        comm->Start(
            CollectiveOp::ALL_REDUCE,
            bytes,
            MakeCallback(+[](std::pair<CollectiveReport*, bool*> out, const CollectiveReport& r) {
                *out.first = r;
                *out.second = true;
            }).Bind(std::make_pair(&report, &done)));

        if (mpi && engine == "null-message")
        {
            // The null-message engine cannot tell that every process has run dry: it needs an
            // end. Twice the analytical estimate and a millisecond leave room for congestion;
            // a collective still running then is reported as unfinished.
            const Time estimate = comm->Estimate(CollectiveOp::ALL_REDUCE, bytes).analyticalTime;
            Simulator::Stop(2 * estimate + MilliSeconds(1));
        }
        const auto t0 = std::chrono::steady_clock::now();
        Simulator::Run();
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (relay)
        {
            comm->FinishDistributed();
        }
        if (!done)
        {
            throw FabricConfigError("fabric-distributed",
                                    "the all-reduce did not complete: " +
                                        comm->DescribeUnfinished());
        }

        // Every port's counters, in node and interface order; each process adds those of its
        // own nodes (the others' copies there never ran).
        std::vector<uint64_t> counters;
        for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
        {
            Ptr<Node> node = NodeList::GetNode(n);
            const bool local = !mpi || node->GetSystemId() == rank;
            for (uint32_t d = 0; d < node->GetNDevices(); ++d)
            {
                Ptr<FabricNetDevice> port = DynamicCast<FabricNetDevice>(node->GetDevice(d));
                if (!port)
                {
                    continue;
                }
                for (uint64_t v : {port->GetTxPackets(),
                                   port->GetTxBytes(),
                                   port->GetRxPackets(),
                                   port->GetRxBytes(),
                                   static_cast<uint64_t>(port->GetTxBusyTime().GetTimeStep()),
                                   port->GetFlowControlPackets()})
                {
                    counters.push_back(local ? v : 0);
                }
            }
        }
        uint64_t messages = 0; // packets and FCPs that crossed a cut
        for (const auto& port : FabricPartitionHelper::GetCutPorts(NodeContainer::GetGlobal()))
        {
            if (port->GetRemoteLink())
            {
                messages += port->GetRemoteLink()->GetMessages();
            }
        }
        std::vector<int64_t> maxima{static_cast<int64_t>(wall * 1e6),
                                    static_cast<int64_t>(Simulator::GetEventCount())};
        std::vector<uint64_t> sums = counters;
        sums.push_back(messages);
        sums.push_back(Simulator::GetEventCount());
        if (relay)
        {
            relay->AllReduce(maxima, sums);
        }
        const uint64_t events = sums.back();
        sums.pop_back();
        const uint64_t crossed = sums.back();
        sums.pop_back();
        uint64_t hops = 0;
        for (size_t i = 0; i < sums.size(); i += 6)
        {
            hops += sums[i];
        }
        const uint64_t late = comm->GetPacketExecutor()->GetLateCompletions();
        if (rank == 0)
        {
            fmt::print("fabric-distributed: all-reduce of {} B, {} {} channel(s), on {} GPUs "
                       "of \"{}\", {} process(es){}\n",
                       bytes,
                       report.algorithm,
                       channels,
                       ranks.size(),
                       topology->GetDescription().name,
                       systems,
                       mpi ? " (MPI, " + engine + ")"
                           : (systems > 1 ? " (one process, loopback links)" : ""));
            fmt::print("  cut cable ends (this process) {}\n", cut);
            fmt::print("  collective time, packets     {} ps   busbw {:.2f} GB/s\n",
                       report.packetTime.GetTimeStep(),
                       report.PacketBusBandwidth() / 1e9);
            fmt::print("  collective time, analytical  {} ps\n",
                       report.analyticalTime.GetTimeStep());
            fmt::print("  packet-hops                  {}\n", hops);
            fmt::print("  port counters digest         {:016x} ({} ports)\n",
                       Fnv1a(sums.data(), sums.size() * sizeof(uint64_t)),
                       sums.size() / 6);
            fmt::print("  messages across cuts         {} packets and FCPs\n", crossed);
            fmt::print("  late completions             {}\n", late);
            fmt::print("  Simulator::Run() (wall)      {:.3f} s (slowest process)\n",
                       maxima[0] / 1e6);
            fmt::print("  events executed              {} (all processes; the busiest {})\n",
                       events,
                       maxima[1]);
        }
        Simulator::Destroy();
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "fabric-distributed: " << e.what() << std::endl;
        status = 1;
    }
#ifdef AIFABRIC_HAVE_MPI
    MpiInterface::Disable();
#endif
    return status;
}
