/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Per-packet-hop cost of the ai-fabric InfiniBand link layer against ns-3's stock
 * PointToPointNetDevice, on the same many-flow scenario in the same process.
 *
 * Topology: a two-level switch fabric. H hosts hang off L leaf switches (H / L each); every
 * leaf is cabled to every one of S spine switches.
 *
 *   spine 0   spine 1  ...  spine S-1          every leaf to every spine
 *      |  \  /   |   \ ...  /  |
 *   leaf 0   leaf 1   ...   leaf L-1
 *   | | | |  | | | |        | | | |
 *   hosts    hosts          hosts
 *
 * Traffic: a permutation, host i sends a fixed volume to host (i + H/2) % H, so with the
 * defaults every flow crosses a spine (4 cable traversals per packet). All flows start at 0.
 *
 * The scenario runs twice:
 * 1. point-to-point: ns-3's PointToPointNetDevice and PointToPointChannel with raw packets (no
 *    IP stack), 400 Gb/s (the NDR 4x data rate) and the IB cable's delay. A switch is a node
 *    whose devices' receive callback reads the destination from a 4-byte header and sends the
 *    packet on the egress device found in a flat table indexed by destination host. Packets are
 *    as large on the wire as the IB packets (PPP header included). Spine choice copies the IB
 *    subnet manager's balancing (checked against its routes in the IB run). Hosts keep their
 *    egress queue topped up to the IB transmit queue's depth from the device's PhyTxBegin trace
 *    (the device is BUSY there, so a Send() only enqueues).
 * 2. InfiniBand: ai-fabric's IbNetDevice, IbChannel and IbSwitch, NDR 4x, MTU 4096, default
 *    attributes (credit-based flow control, cut-through switches), IbSubnetManager routes,
 *    one FabricTrafficGenerator (one RDMA WRITE of the volume) and one FabricTrafficSink per host.
 *
 * For each run it prints the simulated packet-hops (cable traversals by data packets: the sum
 * of every port's transmitted packets), the simulated time, the wall time of
 * Simulator::Run() alone (and of the set-up), packet-hops per wall second and the peak
 * resident memory. Peak memory is the process's high-water mark (getrusage), so the
 * point-to-point run goes first and the IB figure is the maximum of both. The last line is
 * the ratio of the IB wall time per hop to the point-to-point one.
 *
 * Try: --bytes=16777216 --hosts=64 --leaves=16 --spines=4; --only=ib or --only=p2p to run one
 * (e.g. under valgrind --tool=callgrind --toggle-collect='ns3::Simulator::Run()').
 */

#include "bench-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <fmt/core.h>
#include <iostream>
#include <sys/resource.h>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IbLinkBench");

namespace
{

/// The scenario, shared by both runs.
struct Scenario
{
    uint32_t hosts{32};   //!< hosts
    uint32_t leaves{8};   //!< leaf switches
    uint32_t spines{4};   //!< spine switches
    uint64_t bytes{0};    //!< payload bytes per flow
    uint32_t mtu{4096};   //!< payload bytes per packet
    uint32_t txQueue{16}; //!< endpoint transmit queue, packets
    DataRate rate;        //!< link data rate
    Time delay;           //!< cable delay

    /** \return hosts per leaf */
    uint32_t HostsPerLeaf() const
    {
        return hosts / leaves;
    }

    /**
     * \param src a host
     * \return the host it sends to
     */
    uint32_t Destination(uint32_t src) const
    {
        return (src + hosts / 2) % hosts;
    }

    /**
     * \param offset payload bytes of the flow already sent
     * \return bytes on the wire of the IB packet that carries the next payload
     */
    uint32_t WireBytes(uint64_t offset) const
    {
        return IbLrhHeader::SIZE + IbBthHeader::SIZE + (offset == 0 ? IbRethHeader::SIZE : 0) +
               (Payload(offset) + 3) / 4 * 4 + IbCrcTrailer::ICRC_SIZE + IbCrcTrailer::VCRC_SIZE;
    }

    /**
     * \param offset payload bytes of the flow already sent
     * \return payload bytes of the next packet
     */
    uint32_t Payload(uint64_t offset) const
    {
        return static_cast<uint32_t>(std::min<uint64_t>(bytes - offset, mtu));
    }

    /**
     * The uplink (spine) a leaf uses toward a remote host, as IbSubnetManager balances it: the
     * leaf's remote destinations, in LID (host) order, go to the least loaded uplink, ties to
     * the first, i.e. round robin over the spines.
     * \param leaf a leaf
     * \param dst a host on another leaf
     * \return the spine
     */
    uint32_t Spine(uint32_t leaf, uint32_t dst) const
    {
        const uint32_t hpl = HostsPerLeaf();
        const uint32_t remoteBefore = dst - (dst >= (leaf + 1) * hpl ? hpl : 0);
        return remoteBefore % spines;
    }
};

/// What one run measured.
struct RunResult
{
    uint64_t hops{0};       //!< packet-hops
    uint64_t delivered{0};  //!< payload bytes delivered to the sinks
    uint64_t drops{0};      //!< packets dropped anywhere
    Time simTime;           //!< simulated time at the end
    double buildSeconds{0}; //!< wall time of the set-up
    double runSeconds{0};   //!< wall time of Simulator::Run()
    double peakMiB{0};      //!< process high-water mark after the run
};

/**
 * \ingroup ai-fabric
 * \brief The routing header of the point-to-point run: destination and source host, 4 bytes.
 */
class BenchRouteHeader : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::IbLinkBenchRouteHeader")
                                .SetParent<Header>()
                                .SetGroupName("AiFabric")
                                .AddConstructor<BenchRouteHeader>();
        return tid;
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return 4;
    }

    void Serialize(Buffer::Iterator start) const override
    {
        start.WriteHtonU16(dst);
        start.WriteHtonU16(src);
    }

    uint32_t Deserialize(Buffer::Iterator start) override
    {
        dst = start.ReadNtohU16();
        src = start.ReadNtohU16();
        return 4;
    }

    void Print(std::ostream& os) const override
    {
        os << "dst=" << dst << " src=" << src;
    }

    uint16_t dst{0}; //!< destination host
    uint16_t src{0}; //!< source host
};

/// PPP protocol number of the point-to-point run's raw packets. PointToPointNetDevice maps only
/// IPv4 and IPv6 to PPP; the number is a tag here, no IP stack is installed to receive it.
constexpr uint16_t RAW_PROTOCOL = 0x0800;

/// Bytes PointToPointNetDevice adds to every packet (its PPP header).
constexpr uint32_t PPP_HEADER_BYTES = 2;

/**
 * \brief A point-to-point switch: forwards by destination host through a flat table.
 */
class P2pSwitch
{
  public:
    /**
     * \brief Receive callback of every port: forward the packet.
     * \param device the ingress device
     * \param packet the packet, PPP header removed
     * \param protocol the protocol number
     * \param from the sender's address
     * \return true
     */
    bool Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from)
    {
        BenchRouteHeader route;
        packet->PeekHeader(route);
        // The packet is the channel's own copy, held by nobody else (no trace is connected):
        // send it on as it is, as a hardware switch would, instead of copying it again.
        if (m_route[route.dst]->Send(ConstCast<Packet>(packet), m_dest, RAW_PROTOCOL))
        {
            ++m_forwarded;
        }
        else
        {
            ++m_drops;
        }
        return true;
    }

    std::vector<PointToPointNetDevice*> m_route; //!< egress device by destination host
    Address m_dest;                              //!< ignored by point-to-point devices
    uint64_t m_forwarded{0};                     //!< packets sent on
    uint64_t m_drops{0};                         //!< packets the egress queue refused
};

/**
 * \brief A point-to-point host: sends one flow, keeps its egress queue topped up, and counts
 * what arrives for it.
 */
class P2pHost
{
  public:
    /**
     * \brief Queue packets until the egress queue holds the transmit-queue depth or the flow is
     * all queued.
     */
    void TopUp()
    {
        while (m_left > 0 && m_queue->GetNPackets() < m_scenario->txQueue)
        {
            const uint64_t offset = m_scenario->bytes - m_left;
            const uint32_t payload = m_scenario->Payload(offset);
            const uint32_t wire = m_scenario->WireBytes(offset);
            // Counted before Send(): an idle device starts at once and its PhyTxBegin lands
            // back here.
            m_left -= payload;
            Ptr<Packet> packet = Create<Packet>(wire - PPP_HEADER_BYTES - 4);
            packet->AddHeader(m_header);
            if (m_device->Send(packet, m_dest, RAW_PROTOCOL))
            {
                ++m_sent;
            }
            else
            {
                ++m_drops;
            }
        }
    }

    /**
     * \brief PhyTxBegin trace sink: a packet left the queue for the wire.
     * \param packet the packet
     */
    void TxBegin(Ptr<const Packet> packet)
    {
        TopUp();
    }

    /**
     * \brief Receive callback: a packet of the flow toward this host arrived.
     * \param device the device
     * \param packet the packet, PPP header removed
     * \param protocol the protocol number
     * \param from the sender's address
     * \return true
     */
    bool Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from)
    {
        ++m_rxPackets;
        m_rxBytes += packet->GetSize();
        m_lastRx = Simulator::Now();
        return true;
    }

    const Scenario* m_scenario{nullptr};      //!< the scenario
    PointToPointNetDevice* m_device{nullptr}; //!< the host's only device
    Queue<Packet>* m_queue{nullptr};          //!< its transmit queue
    BenchRouteHeader m_header;                //!< the flow's routing header
    Address m_dest;                           //!< ignored by point-to-point devices
    uint64_t m_left{0};                       //!< payload bytes not yet queued
    uint64_t m_sent{0};                       //!< packets accepted by the device
    uint64_t m_drops{0};                      //!< packets the queue refused
    uint64_t m_rxPackets{0};                  //!< packets received
    uint64_t m_rxBytes{0};                    //!< bytes received, routing header included
    Time m_lastRx;                            //!< last arrival
};

/**
 * \brief Run the scenario over ns-3's PointToPointNetDevice.
 * \param sc the scenario
 * \return what it measured
 */
RunResult
RunPointToPoint(const Scenario& sc)
{
    RunResult result;
    const double t0 = WallClockSeconds();
    const uint32_t hpl = sc.HostsPerLeaf();
    NodeContainer hosts;
    hosts.Create(sc.hosts);
    NodeContainer leaves;
    leaves.Create(sc.leaves);
    NodeContainer spines;
    spines.Create(sc.spines);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(sc.rate));
    p2p.SetChannelAttribute("Delay", TimeValue(sc.delay));
    // Deep enough never to drop (hosts keep at most txQueue packets in theirs); a limit, not an
    // allocation.
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("100000p"));
    // No traffic-control layer above the devices to stop and wake: skip its queue hooks.
    p2p.DisableFlowControl();

    std::vector<P2pHost> hostApps(sc.hosts);
    std::vector<P2pSwitch> leafSw(sc.leaves);
    std::vector<P2pSwitch> spineSw(sc.spines);
    for (auto& sw : leafSw)
    {
        sw.m_route.assign(sc.hosts, nullptr);
    }
    for (auto& sw : spineSw)
    {
        sw.m_route.assign(sc.hosts, nullptr);
    }
    // leafUp[leaf][spine]: the leaf's port toward the spine.
    std::vector<std::vector<PointToPointNetDevice*>> leafUp(
        sc.leaves,
        std::vector<PointToPointNetDevice*>(sc.spines, nullptr));
    std::vector<Ptr<NetDevice>> leafPorts;
    std::vector<Ptr<NetDevice>> spinePorts;
    for (uint32_t h = 0; h < sc.hosts; ++h)
    {
        const uint32_t leaf = h / hpl;
        NetDeviceContainer link = p2p.Install(hosts.Get(h), leaves.Get(leaf));
        auto hostDev = DynamicCast<PointToPointNetDevice>(link.Get(0));
        auto leafDev = DynamicCast<PointToPointNetDevice>(link.Get(1));
        P2pHost& app = hostApps[h];
        app.m_scenario = &sc;
        app.m_device = PeekPointer(hostDev);
        app.m_queue = PeekPointer(hostDev->GetQueue());
        app.m_header.src = static_cast<uint16_t>(h);
        app.m_header.dst = static_cast<uint16_t>(sc.Destination(h));
        app.m_left = sc.bytes;
        hostDev->SetReceiveCallback(MakeCallback(&P2pHost::Receive, &app));
        hostDev->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&P2pHost::TxBegin, &app));
        leafSw[leaf].m_route[h] = PeekPointer(leafDev);
        leafPorts.push_back(leafDev);
    }
    for (uint32_t l = 0; l < sc.leaves; ++l)
    {
        for (uint32_t s = 0; s < sc.spines; ++s)
        {
            NetDeviceContainer link = p2p.Install(leaves.Get(l), spines.Get(s));
            leafUp[l][s] = PeekPointer(DynamicCast<PointToPointNetDevice>(link.Get(0)));
            leafPorts.push_back(link.Get(0));
            spinePorts.push_back(link.Get(1));
            // The spine reaches every host of this leaf through this link.
            for (uint32_t h = l * hpl; h < (l + 1) * hpl; ++h)
            {
                spineSw[s].m_route[h] =
                    PeekPointer(DynamicCast<PointToPointNetDevice>(link.Get(1)));
            }
        }
    }
    for (uint32_t l = 0; l < sc.leaves; ++l)
    {
        for (uint32_t h = 0; h < sc.hosts; ++h)
        {
            if (h / hpl != l)
            {
                leafSw[l].m_route[h] = leafUp[l][sc.Spine(l, h)];
            }
        }
    }
    // Replace the node's protocol dispatch with the switch's forwarding on every port.
    for (const auto& dev : leafPorts)
    {
        const uint32_t l = dev->GetNode()->GetId() - sc.hosts;
        dev->SetReceiveCallback(MakeCallback(&P2pSwitch::Receive, &leafSw[l]));
    }
    for (const auto& dev : spinePorts)
    {
        const uint32_t s = dev->GetNode()->GetId() - sc.hosts - sc.leaves;
        dev->SetReceiveCallback(MakeCallback(&P2pSwitch::Receive, &spineSw[s]));
    }
    for (uint32_t h = 0; h < sc.hosts; ++h)
    {
        Simulator::ScheduleWithContext(hosts.Get(h)->GetId(),
                                       Seconds(0),
                                       &P2pHost::TopUp,
                                       &hostApps[h]);
    }
    const double t1 = WallClockSeconds();
    Simulator::Run();
    const double t2 = WallClockSeconds();
    result.simTime = Simulator::Now();
    result.buildSeconds = t1 - t0;
    result.runSeconds = t2 - t1;

    // Packets sent per device: hosts' devices, then switch ports.
    for (const auto& app : hostApps)
    {
        result.hops += app.m_sent;
        result.drops += app.m_drops;
        if (app.m_queue->GetNPackets() != 0 || app.m_left != 0)
        {
            throw FabricConfigError("point-to-point run", "a host did not send its whole flow");
        }
    }
    for (const auto* sws : {&leafSw, &spineSw})
    {
        for (const auto& sw : *sws)
        {
            result.hops += sw.m_forwarded;
            result.drops += sw.m_drops;
        }
    }
    // Received bytes are the IB wire bytes less the PPP header: take off the IB framing each
    // packet stands for (and the RETH of each flow's first packet) to count payload.
    const uint64_t framing = IbLrhHeader::SIZE + IbBthHeader::SIZE + IbCrcTrailer::ICRC_SIZE +
                             IbCrcTrailer::VCRC_SIZE - PPP_HEADER_BYTES;
    for (const auto& app : hostApps)
    {
        result.delivered += app.m_rxBytes - app.m_rxPackets * framing - IbRethHeader::SIZE;
    }
    Simulator::Destroy();
    result.peakMiB = PeakRssMiB();
    return result;
}

/**
 * \brief Run the scenario over ai-fabric's InfiniBand devices.
 * \param sc the scenario
 * \return what it measured
 */
RunResult
RunInfiniBand(const Scenario& sc)
{
    RunResult result;
    const double t0 = WallClockSeconds();
    const uint32_t hpl = sc.HostsPerLeaf();
    NodeContainer hosts;
    hosts.Create(sc.hosts);
    NodeContainer leaves;
    leaves.Create(sc.leaves);
    NodeContainer spines;
    spines.Create(sc.spines);

    IbHelper ib;
    ib.SetDeviceAttribute("LinkSpeed", StringValue("NDR"));
    ib.SetDeviceAttribute("LinkWidth", UintegerValue(4));
    ib.SetDeviceAttribute("Mtu", UintegerValue(sc.mtu));
    ib.SetDeviceAttribute("TxQueueSize", UintegerValue(sc.txQueue));
    ib.SetChannelAttribute("Delay", TimeValue(sc.delay));
    ib.InstallSwitch(leaves);
    ib.InstallSwitch(spines);

    std::vector<Ptr<IbNetDevice>> ports;
    std::vector<Ptr<IbNetDevice>> hcas;
    for (uint32_t h = 0; h < sc.hosts; ++h)
    {
        NetDeviceContainer link = ib.Install(hosts.Get(h), leaves.Get(h / hpl));
        hcas.push_back(DynamicCast<IbNetDevice>(link.Get(0)));
        ports.push_back(DynamicCast<IbNetDevice>(link.Get(0)));
        ports.push_back(DynamicCast<IbNetDevice>(link.Get(1)));
    }
    for (uint32_t l = 0; l < sc.leaves; ++l)
    {
        for (uint32_t s = 0; s < sc.spines; ++s)
        {
            NetDeviceContainer link = ib.Install(leaves.Get(l), spines.Get(s));
            ports.push_back(DynamicCast<IbNetDevice>(link.Get(0)));
            ports.push_back(DynamicCast<IbNetDevice>(link.Get(1)));
        }
    }
    IbSubnetManager sm;
    sm.Run(NodeContainer(hosts, leaves, spines));

    std::vector<Ptr<FabricTrafficSink>> sinks;
    for (uint32_t h = 0; h < sc.hosts; ++h)
    {
        const uint32_t dst = sc.Destination(h);
        // The point-to-point run must take the same spines: check its rule against the SM.
        const std::vector<uint32_t> path = sm.GetPath(hcas[h]->GetLid(), hcas[dst]->GetLid());
        if (h / hpl != dst / hpl &&
            (path.size() != 3 || path[1] != spines.Get(sc.Spine(h / hpl, dst))->GetId()))
        {
            throw FabricConfigError("routing check",
                                    "the subnet manager routes host " + std::to_string(h) + " -> " +
                                        std::to_string(dst) +
                                        " through another spine than the "
                                        "point-to-point run");
        }
        Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
        gen->SetAttribute("DestinationLid", UintegerValue(hcas[dst]->GetLid()));
        gen->SetAttribute("MessageSize", UintegerValue(sc.bytes));
        gen->SetAttribute("MessageCount", UintegerValue(1));
        gen->SetDevice(hcas[h]);
        hosts.Get(h)->AddApplication(gen);
        Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
        hosts.Get(h)->AddApplication(sink);
        sinks.push_back(sink);
    }
    const double t1 = WallClockSeconds();
    Simulator::Run();
    const double t2 = WallClockSeconds();
    result.simTime = Simulator::Now();
    result.buildSeconds = t1 - t0;
    result.runSeconds = t2 - t1;

    for (const auto& port : ports)
    {
        result.hops += port->GetTxPackets();
        result.drops += port->GetRxDropCount();
    }
    for (const auto& sink : sinks)
    {
        result.delivered += sink->GetTotalPayloadBytes();
    }
    Simulator::Destroy();
    result.peakMiB = PeakRssMiB();
    return result;
}

/**
 * \brief Print one run's figures.
 * \param name the run's name
 * \param r what it measured
 * \param sc the scenario
 */
void
Report(const std::string& name, const RunResult& r, const Scenario& sc)
{
    fmt::print("{}\n", name);
    fmt::print("  packet-hops (simulated)   {}\n", r.hops);
    fmt::print("  payload delivered         {} B of {} B{}\n",
               r.delivered,
               sc.bytes * sc.hosts,
               r.drops ? fmt::format(", {} packets DROPPED", r.drops) : std::string());
    fmt::print("  simulated time            {:.3f} us\n", r.simTime.GetSeconds() * 1e6);
    fmt::print("  build (wall)              {:.3f} s\n", r.buildSeconds);
    fmt::print("  Simulator::Run() (wall)   {:.3f} s\n", r.runSeconds);
    fmt::print("  packet-hops/s             {:.0f} ({:.1f} ns of wall per hop)\n",
               r.hops / r.runSeconds,
               r.runSeconds / r.hops * 1e9);
    fmt::print("  peak memory (ru_maxrss)   {:.1f} MiB (process high-water mark so far)\n",
               r.peakMiB);
}

} // namespace

int
main(int argc, char* argv[])
{
    // Picosecond resolution for both runs: an NDR byte lasts 20 ps.
    Time::SetResolution(Time::PS);

    Scenario sc;
    sc.bytes = uint64_t{256} << 20; // about 10 s of Simulator::Run() per side on 2 cores
    std::string only = "both";

    CommandLine cmd(__FILE__);
    cmd.AddValue("bytes", "Payload bytes per flow", sc.bytes);
    cmd.AddValue("hosts", "Number of hosts (even, a multiple of --leaves)", sc.hosts);
    cmd.AddValue("leaves", "Number of leaf switches", sc.leaves);
    cmd.AddValue("spines", "Number of spine switches; every leaf is cabled to each", sc.spines);
    cmd.AddValue("txQueue",
                 "Endpoint transmit queue in packets (IB TxQueueSize, P2P depth)",
                 sc.txQueue);
    cmd.AddValue("only", "Run only one side: ib, p2p, or both", only);
    cmd.Parse(argc, argv);

    try
    {
        if (sc.hosts < 2 || sc.hosts % 2 != 0 || sc.leaves == 0 || sc.hosts % sc.leaves != 0 ||
            sc.spines == 0 || sc.hosts > 0xBFFF || sc.bytes == 0)
        {
            throw FabricConfigError("command line",
                                    "needs an even --hosts that --leaves divides, --spines >= 1 "
                                    "and --bytes >= 1");
        }
        if (only != "both" && only != "ib" && only != "p2p")
        {
            throw FabricConfigError("command line", "--only is ib, p2p or both");
        }
        sc.rate = IbLinkDataRate(IbLinkSpeed::NDR, 4);
        // The IB cable's default delay (--ns3::IbChannel::Delay=... changes it for both runs).
        TypeId::AttributeInformation delayInfo;
        IbChannel::GetTypeId().LookupAttributeByName("Delay", &delayInfo);
        sc.delay = DynamicCast<const TimeValue>(delayInfo.initialValue)->Get();

        const uint64_t packets = (sc.bytes + sc.mtu - 1) / sc.mtu;
        fmt::print("ib-link-bench: {} hosts on {} leaves ({} each), {} spines; host i -> host "
                   "(i + {}) % {}; {} B per flow = {} packets ({} B on the wire when full); "
                   "{:.0f} Gb/s links, {:.0f} ns cables\n",
                   sc.hosts,
                   sc.leaves,
                   sc.HostsPerLeaf(),
                   sc.spines,
                   sc.hosts / 2,
                   sc.hosts,
                   sc.bytes,
                   packets,
                   sc.WireBytes(sc.mtu),
                   sc.rate.GetBitRate() / 1e9,
                   sc.delay.GetSeconds() * 1e9);

        RunResult p2p;
        RunResult ib;
        if (only != "ib")
        {
            p2p = RunPointToPoint(sc);
            Report("point-to-point (stock PointToPointNetDevice, raw packets, table-forwarding "
                   "switches):",
                   p2p,
                   sc);
        }
        if (only != "p2p")
        {
            ib = RunInfiniBand(sc);
            Report("InfiniBand (ai-fabric IbNetDevice, NDR 4x, MTU 4096, default attributes):",
                   ib,
                   sc);
        }
        if (only == "both")
        {
            const double ibPerHop = ib.runSeconds / ib.hops;
            const double p2pPerHop = p2p.runSeconds / p2p.hops;
            fmt::print("per-hop cost ratio (IB / point-to-point): {:.2f}\n", ibPerHop / p2pPerHop);
        }
    }
    catch (const FabricConfigError& e)
    {
        std::cerr << "ib-link-bench: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
