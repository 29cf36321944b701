/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Cost of the RDMA transport: many queue pairs through a two-level InfiniBand fabric.
 *
 * Topology (as ib-link-bench): H hosts hang off L leaf switches (H / L each); every leaf is
 * cabled to every one of S spine switches. NDR 4x, MTU 4096, default attributes.
 *
 * Traffic: every host has Q queue pairs; its q-th goes to host (i + H/2 + q) % H (skipping
 * itself), so with the defaults every packet crosses a spine (4 cable traversals). Each QP
 * writes M messages of B bytes, keeping D of them posted at a time (closed loop: a completion
 * posts the next). All QPs start at time 0.
 *
 * Prints the messages completed, the simulated packet-hops (cable traversals of data packets
 * and ACKs: the sum of every port's transmitted packets), the wall time of Simulator::Run()
 * alone, messages and packet-hops per wall second, and the peak resident memory.
 *
 * For the transport's cost per hop against the link layer alone, compare with ib-link-bench
 * on the same permutation and volume: --qps=1 --messages=1 --depth=1 --size=X here against
 * ib-link-bench --only=ib --bytes=X, counting instructions per packet-hop with
 * valgrind --tool=callgrind --toggle-collect='ns3::Simulator::Run()'.
 *
 * Try: --hosts=64 --leaves=16 --spines=4 --qps=16 --messages=100 --size=131072
 */

#include "bench-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <chrono>
#include <fmt/core.h>
#include <iostream>
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("RdmaBench");

namespace
{

/**
 * \brief One queue pair's closed loop: keep a number of messages posted until all are.
 */
struct Flow
{
    Ptr<RdmaQueuePair> qp; //!< the requester end
    uint64_t size{0};      //!< bytes per message
    uint32_t toPost{0};    //!< messages not yet posted
    uint32_t completed{0}; //!< messages completed
    Time last;             //!< the last completion

    /**
     * \brief Completion callback: post the next message, if any.
     * \param qp the QP
     * \param c the completion
     */
    void OnCompleted(Ptr<RdmaQueuePair> qp, const RdmaCompletion& c)
    {
        ++completed;
        last = c.end;
        if (toPost > 0)
        {
            --toPost;
            qp->PostWrite(size);
        }
    }
};

} // namespace

int
main(int argc, char* argv[])
{
    // Picosecond resolution: an NDR byte lasts 20 ps.
    Time::SetResolution(Time::PS);

    uint32_t hosts = 32;
    uint32_t leaves = 8;
    uint32_t spines = 4;
    uint32_t qps = 8;
    uint32_t messages = 64;
    uint32_t depth = 4;
    uint64_t size = 64 * 1024;

    CommandLine cmd(__FILE__);
    cmd.AddValue("hosts", "Number of hosts (even, a multiple of --leaves)", hosts);
    cmd.AddValue("leaves", "Number of leaf switches", leaves);
    cmd.AddValue("spines", "Number of spine switches; every leaf is cabled to each", spines);
    cmd.AddValue("qps", "Queue pairs per host (each to another host)", qps);
    cmd.AddValue("messages", "RDMA WRITE messages per queue pair", messages);
    cmd.AddValue("depth", "Messages each queue pair keeps posted", depth);
    cmd.AddValue("size", "Bytes per message", size);
    cmd.Parse(argc, argv);

    try
    {
        if (hosts < 2 || hosts % 2 != 0 || leaves == 0 || hosts % leaves != 0 || spines == 0 ||
            hosts > 0xBFFF || qps == 0 || qps >= hosts || depth == 0)
        {
            throw FabricConfigError("command line",
                                    "needs an even --hosts that --leaves divides, --spines >= 1, "
                                    "1 <= --qps < --hosts and --depth >= 1");
        }
        const double t0 = WallClockSeconds();
        NodeContainer hostNodes;
        hostNodes.Create(hosts);
        NodeContainer leafNodes;
        leafNodes.Create(leaves);
        NodeContainer spineNodes;
        spineNodes.Create(spines);
        IbHelper ib;
        ib.InstallSwitch(leafNodes);
        ib.InstallSwitch(spineNodes);
        std::vector<Ptr<FabricNetDevice>> ports;
        const uint32_t perLeaf = hosts / leaves;
        for (uint32_t h = 0; h < hosts; ++h)
        {
            NetDeviceContainer link = ib.Install(hostNodes.Get(h), leafNodes.Get(h / perLeaf));
            ports.push_back(DynamicCast<FabricNetDevice>(link.Get(0)));
            ports.push_back(DynamicCast<FabricNetDevice>(link.Get(1)));
        }
        for (uint32_t l = 0; l < leaves; ++l)
        {
            for (uint32_t s = 0; s < spines; ++s)
            {
                NetDeviceContainer link = ib.Install(leafNodes.Get(l), spineNodes.Get(s));
                ports.push_back(DynamicCast<FabricNetDevice>(link.Get(0)));
                ports.push_back(DynamicCast<FabricNetDevice>(link.Get(1)));
            }
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(hostNodes, leafNodes, spineNodes));

        RdmaHelper rdma;
        std::vector<std::unique_ptr<Flow>> flows;
        std::vector<Ptr<RdmaQueuePair>> responders;
        for (uint32_t h = 0; h < hosts; ++h)
        {
            for (uint32_t q = 0; q < qps; ++q)
            {
                uint32_t dst = (h + hosts / 2 + q) % hosts;
                dst = dst == h ? (dst + 1) % hosts : dst;
                auto [a, b] = rdma.Connect(hostNodes.Get(h), hostNodes.Get(dst));
                auto flow = std::make_unique<Flow>();
                flow->qp = a;
                flow->size = size;
                flow->toPost = messages;
                a->SetSendCompletionCallback(MakeCallback(&Flow::OnCompleted, flow.get()));
                for (uint32_t k = 0; k < depth && flow->toPost > 0; ++k)
                {
                    --flow->toPost;
                    a->PostWrite(size);
                }
                flows.push_back(std::move(flow));
                responders.push_back(b);
            }
        }
        const double t1 = WallClockSeconds();
        Simulator::Run();
        const double t2 = WallClockSeconds();
        const double run = t2 - t1;

        uint64_t completed = 0;
        uint64_t delivered = 0;
        uint64_t acks = 0;
        uint64_t retransmitted = 0;
        uint64_t dataPackets = 0;
        Time simTime;
        for (const auto& f : flows)
        {
            simTime = std::max(simTime, f->last);
            completed += f->completed;
            retransmitted += f->qp->GetPacketsRetransmitted();
            dataPackets += f->qp->GetPacketsSent();
        }
        for (const auto& b : responders)
        {
            delivered += b->GetBytesReceived();
            acks += b->GetAcksSent() + b->GetNaksSent();
        }
        uint64_t hops = 0;
        uint64_t drops = 0;
        for (const auto& port : ports)
        {
            hops += port->GetTxPackets();
            drops += port->GetRxDropCount();
        }
        const uint64_t expected = uint64_t{hosts} * qps * messages;
        Simulator::Destroy();

        fmt::print("rdma-bench: {} hosts on {} leaves, {} spines; {} QPs per host (host i -> "
                   "i + {} + q), {} RDMA WRITEs of {} B per QP, {} posted at a time; NDR 4x, "
                   "MTU 4096\n",
                   hosts,
                   leaves,
                   spines,
                   qps,
                   hosts / 2,
                   messages,
                   size,
                   depth);
        fmt::print("  messages completed        {} of {}{}\n",
                   completed,
                   expected,
                   completed == expected && delivered == expected * size && drops == 0
                       ? ""
                       : " -- INCOMPLETE OR LOST");
        fmt::print("  payload delivered         {} B\n", delivered);
        fmt::print("  data packets / ACKs       {} / {} ({} retransmitted)\n",
                   dataPackets,
                   acks,
                   retransmitted);
        fmt::print("  packet-hops (simulated)   {}\n", hops);
        fmt::print("  simulated time            {:.3f} us (last completion)\n",
                   simTime.GetSeconds() * 1e6);
        fmt::print("  build (wall)              {:.3f} s\n", t1 - t0);
        fmt::print("  Simulator::Run() (wall)   {:.3f} s\n", run);
        fmt::print("  messages/s                {:.0f}\n", completed / run);
        fmt::print("  packet-hops/s             {:.0f} ({:.1f} ns of wall per hop)\n",
                   hops / run,
                   run / hops * 1e9);
        fmt::print("  peak memory (ru_maxrss)   {:.1f} MiB\n", PeakRssMiB());
        if (completed != expected || delivered != expected * size)
        {
            return 2;
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "rdma-bench: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
