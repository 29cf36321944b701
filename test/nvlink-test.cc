/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * NVLink boards against closed forms computed here: a GPU-to-GPU transfer uses all of the GPU's
 * links, an all-to-all keeps every GPU's egress at its NVLink bandwidth, a fan-in is limited by
 * the receiver's links and loses nothing, and a larger transfer unit moves the result little.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// Fixture: the module's common one.
class NvlinkTest : public FabricTest
{
};

/// A board and the means to load it.
struct Board
{
    NvlinkHelper helper;
    NvlinkBoard board;
    std::vector<Ptr<FabricTrafficSink>> sinks;

    explicit Board(const NvlinkBoardSpec& spec, uint32_t transferUnit = 4096)
    {
        helper.SetDeviceAttribute("Mtu", UintegerValue(transferUnit));
        board = helper.InstallBoard(spec);
        for (uint32_t g = 0; g < board.gpus.GetN(); ++g)
        {
            Ptr<FabricTrafficSink> sink = CreateObject<FabricTrafficSink>();
            board.gpus.Get(g)->AddApplication(sink);
            sinks.push_back(sink);
        }
    }

    Ptr<FabricTrafficGenerator> Send(uint32_t from, uint32_t to, uint64_t bytes)
    {
        Ptr<FabricTrafficGenerator> gen = CreateObject<FabricTrafficGenerator>();
        gen->SetDevice(board.GetGpuPort(from));
        gen->SetAttribute("DestinationLid", UintegerValue(board.gpuIds[to]));
        gen->SetAttribute("MessageSize", UintegerValue(bytes));
        board.gpus.Get(from)->AddApplication(gen);
        return gen;
    }

    /// Aggregate NVLink data bandwidth of one GPU per direction, in bytes/s, after the header
    /// flits: links x rate x MaxPayload / (MaxPayload + HeaderBytes).
    double GpuDataBandwidth() const
    {
        return board.spec.LinksPerGpu() * board.spec.linkRate.GetBitRate() / 8.0 *
               NvlinkWireEfficiency(board.spec.generation);
    }

    /// Last arrival at a GPU, from any source.
    Time LastRx(uint32_t gpu) const
    {
        Time last;
        for (const auto& [src, flow] : sinks[gpu]->GetFlows())
        {
            last = std::max(last, flow.lastRx);
        }
        return last;
    }
};

/// Add each GPU's egress bytes so far (all its links) to bytes[gpu].
void
SampleEgress(const Board* b, std::vector<uint64_t>* bytes)
{
    for (uint32_t g = 0; g < b->board.gpus.GetN(); ++g)
    {
        for (const auto& port : b->board.links[g])
        {
            (*bytes)[g] += port->GetTxBytes();
        }
    }
}

/// Every cable: as many bytes and packets in as out, nothing dropped.
void
ExpectConserved()
{
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            auto dev = DynamicCast<FabricNetDevice>(node->GetDevice(d));
            auto peer = DynamicCast<FabricChannel>(dev->GetChannel())->GetPeer(dev);
            EXPECT_EQ(dev->GetTxBytes(), peer->GetRxBytes()) << dev->Describe();
            EXPECT_EQ(dev->GetTxPackets(), peer->GetRxPackets()) << dev->Describe();
            EXPECT_EQ(dev->GetRxDropCount(), 0u) << dev->Describe();
        }
    }
}

} // namespace

TEST_F(NvlinkTest, PresetsFollowTheFactSheet)
{
    const NvlinkBoardSpec h100 = NvlinkBoardSpec::DgxH100();
    EXPECT_EQ(h100.LinksPerGpu(), 18u);
    EXPECT_EQ(h100.linksPerSwitch, (std::vector<uint32_t>{5, 4, 4, 5}));
    EXPECT_EQ(h100.linkRate.GetBitRate() / 8, 25000000000ULL); // 25 GB/s per link, direction
    const NvlinkBoardSpec a100 = NvlinkBoardSpec::DgxA100();
    EXPECT_EQ(a100.LinksPerGpu(), 12u);
    EXPECT_EQ(a100.linkRate.GetBitRate() / 8, 25000000000ULL);
    const NvlinkBoardSpec b200 = NvlinkBoardSpec::HgxB200();
    EXPECT_EQ(b200.LinksPerGpu(), 18u);
    EXPECT_EQ(b200.linkRate.GetBitRate() / 8, 50000000000ULL);
    EXPECT_EQ(NvlinkLinksPerGpu(NvlinkGeneration::NVLINK4) *
                  NvlinkLinkDataRate(NvlinkGeneration::NVLINK4).GetBitRate() / 8,
              450000000000ULL); // 450 GB/s per direction per H100
    EXPECT_THROW(NvlinkBoardSpec::FromName("V100"), FabricConfigError);

    Board b(h100);
    EXPECT_EQ(b.board.switches.GetN(), 4u);
    EXPECT_EQ(b.board.gpus.GetN(), 8u);
    for (uint32_t g = 0; g < 8; ++g)
    {
        EXPECT_EQ(b.board.ports[g]->GetNPorts(), 18u);
        EXPECT_EQ(b.board.gpus.Get(g)->GetNDevices(), 18u);
    }
    // Every chip reaches GPU g over exactly the links g has to it.
    for (uint32_t s = 0; s < 4; ++s)
    {
        auto sw = b.board.switches.Get(s)->GetObject<FabricSwitch>();
        EXPECT_EQ(sw->GetNPorts(), 8 * h100.linksPerSwitch[s]);
        EXPECT_EQ(sw->GetRoutes(b.board.gpuIds[3]).size(), h100.linksPerSwitch[s]);
    }
}

TEST_F(NvlinkTest, OneGiBTransferUsesEveryLinkOfTheGpu)
{
    const uint64_t size = uint64_t{1} << 30;
    Board b(NvlinkBoardSpec::DgxH100());
    b.Send(0, 1, size);
    Simulator::Run();
    ASSERT_EQ(b.sinks[1]->GetTotalPayloadBytes(), size);
    // Closed form: 2^30 / 4096 transfer units sprayed round robin over 18 links, each unit 16
    // NVLink packets of 256 B, each with the generation's wire overhead; then the path's
    // latencies.
    const uint64_t units = size / 4096;
    const DataRate link = NvlinkBoardSpec::DgxH100().linkRate;
    const NvlinkPacketFormat format = NvlinkGetPacketFormat(NvlinkGeneration::NVLINK4);
    const Time unitTx =
        link.CalculateBytesTxTime(4096 + 4096 / format.maxPayload * format.overhead);
    const uint64_t perLink = (units + 17) / 18;
    const Time latency = NanoSeconds(5) * 2 + NanoSeconds(100);
    const Time expected = unitTx * static_cast<int64_t>(perLink) + latency;
    const Time measured = b.LastRx(1);
    EXPECT_NEAR(measured.GetSeconds() / expected.GetSeconds(), 1.0, 0.005)
        << measured.As(Time::US) << " vs " << expected.As(Time::US);
    // The same as size / (links x rate x packet efficiency), the capacity planner's number.
    EXPECT_NEAR(measured.GetSeconds() / (size / b.GpuDataBandwidth()), 1.0, 0.005);
    // Spraying: every link of the sender carried its share.
    for (const auto& port : b.board.links[0])
    {
        EXPECT_GE(port->GetTxPackets(), units / 18);
        EXPECT_LE(port->GetTxPackets(), units / 18 + 1);
    }
    ExpectConserved();
}

TEST_F(NvlinkTest, AllToAllKeepsEveryEgressAtNvlinkBandwidth)
{
    const uint64_t size = 4 << 20; // per pair
    Board b(NvlinkBoardSpec::DgxH100());
    for (uint32_t from = 0; from < 8; ++from)
    {
        for (uint32_t to = 0; to < 8; ++to)
        {
            if (from != to)
            {
                b.Send(from, to, size);
            }
        }
    }
    // Each GPU sends 7 x size; at its full NVLink bandwidth that takes this long. Sample every
    // GPU's egress over the middle half of it, away from start-up and the uneven tail.
    const double ideal = 7 * size / b.GpuDataBandwidth();
    std::vector<uint64_t> early(8);
    std::vector<uint64_t> late(8);
    Simulator::Schedule(Seconds(ideal * 0.25), &SampleEgress, &b, &early);
    Simulator::Schedule(Seconds(ideal * 0.75), &SampleEgress, &b, &late);
    Simulator::Run();
    const double wire = 18 * b.board.spec.linkRate.GetBitRate() / 8.0;
    for (uint32_t g = 0; g < 8; ++g)
    {
        EXPECT_EQ(b.sinks[g]->GetTotalPayloadBytes(), 7 * size);
        const double egress = (late[g] - early[g]) / (ideal * 0.5);
        EXPECT_GT(egress / wire, 0.99) << "GPU " << g;
        // A unit counts as sent when it starts: a sample may hold one unit per link ahead.
        EXPECT_LE(egress / wire, 1.005) << "GPU " << g;
    }
    // The whole exchange, tail included, ends within a few percent of the ideal.
    Time end;
    for (uint32_t g = 0; g < 8; ++g)
    {
        end = std::max(end, b.LastRx(g));
    }
    EXPECT_LT(end.GetSeconds() / ideal, 1.10) << end.As(Time::US);
    ExpectConserved();
}

TEST_F(NvlinkTest, FanInIsLimitedByTheReceiversLinksAndLosesNothing)
{
    const uint64_t size = 8 << 20;
    Board b(NvlinkBoardSpec::DgxH100());
    for (uint32_t from = 1; from < 8; ++from)
    {
        b.Send(from, 0, size);
    }
    Simulator::Run();
    ASSERT_EQ(b.sinks[0]->GetTotalPayloadBytes(), 7 * size);
    // Seven senders share GPU 0's 18 links: the fan-in takes as long as GPU 0's links need to
    // carry 7 x size, not one sender's 1 x size.
    const double ideal = 7 * size / b.GpuDataBandwidth();
    EXPECT_NEAR(b.LastRx(0).GetSeconds() / ideal, 1.0, 0.02);
    // Each sender got about a seventh, and waited for credits the rest of the time.
    for (uint32_t from = 1; from < 8; ++from)
    {
        Time stall;
        for (const auto& port : b.board.links[from])
        {
            stall += port->GetCreditStallTime(0);
        }
        EXPECT_GT(stall, Time()) << "GPU " << from;
    }
    ExpectConserved();
}

TEST_F(NvlinkTest, LargerTransferUnitMovesTheResultLittle)
{
    const uint64_t size = 16 << 20;
    Time fine;
    uint64_t fineEvents = 0;
    {
        Board b(NvlinkBoardSpec::DgxH100(), 256); // one simulated packet per NVLink packet
        b.Send(0, 1, size);
        Simulator::Run();
        fine = b.LastRx(1);
        fineEvents = Simulator::GetEventCount();
        EXPECT_EQ(b.sinks[1]->GetTotalPayloadBytes(), size);
        Simulator::Destroy();
    }
    Time coarse;
    uint64_t coarseEvents = 0;
    {
        Board b(NvlinkBoardSpec::DgxH100(), 4096); // sixteen NVLink packets per event
        b.Send(0, 1, size);
        Simulator::Run();
        coarse = b.LastRx(1);
        coarseEvents = Simulator::GetEventCount();
        EXPECT_EQ(b.sinks[1]->GetTotalPayloadBytes(), size);
    }
    RecordProperty("fine_us", std::to_string(fine.GetSeconds() * 1e6));
    RecordProperty("coarse_us", std::to_string(coarse.GetSeconds() * 1e6));
    RecordProperty("fine_events", std::to_string(fineEvents));
    RecordProperty("coarse_events", std::to_string(coarseEvents));
    // Same bytes on the wire: a large transfer moves by the pipeline fill of one larger unit.
    EXPECT_NEAR(coarse.GetSeconds() / fine.GetSeconds(), 1.0, 0.005);
    EXPECT_LT(coarseEvents * 10, fineEvents);
}

TEST_F(NvlinkTest, SetTransferUnitCoarsensBuiltPortsAndKeepsTheWireBytes)
{
    const uint64_t size = 16 << 20; // a multiple of 256 B: every unit is whole NVLink packets
    uint64_t unitsDefault = 0;
    uint64_t wireDefault = 0;
    for (const uint32_t unit : {0U, 255U * 256U})
    {
        Board b(NvlinkBoardSpec::DgxH100()); // 4096 B units as built
        if (unit != 0)
        {
            EXPECT_EQ(NvlinkHelper::SetTransferUnit(NodeContainer::GetGlobal(), unit),
                      2 * b.board.spec.gpus * b.board.spec.LinksPerGpu());
        }
        b.Send(0, 1, size);
        Simulator::Run();
        EXPECT_EQ(b.sinks[1]->GetTotalPayloadBytes(), size);
        ExpectConserved();
        uint64_t units = 0;
        uint64_t wire = 0;
        for (const auto& port : b.board.links[0])
        {
            units += port->GetTxPackets();
            wire += port->GetTxBytes();
        }
        // Each 256 B NVLink packet costs its header bytes whatever the unit.
        const Ptr<NvlinkNetDevice> port = b.board.GetGpuPort(0);
        EXPECT_EQ(wire, size / 256 * port->GetWireBytesForData(256)) << "unit " << unit;
        if (unit == 0)
        {
            unitsDefault = units;
            wireDefault = wire;
        }
        else
        {
            EXPECT_EQ(wire, wireDefault);
            EXPECT_LT(units * 15, unitsDefault); // 4096 -> 65280 B: 16x fewer units
        }
        Simulator::Destroy();
    }
    EXPECT_THROW(NvlinkHelper::SetTransferUnit(NodeContainer::GetGlobal(), 65281),
                 FabricConfigError);
    EXPECT_THROW(NvlinkHelper::SetTransferUnit(NodeContainer::GetGlobal(), 15), FabricConfigError);
}

TEST_F(NvlinkTest, SetTransferUnitRefusesAUnitTheConnectedBuffersCannotHold)
{
    NvlinkHelper helper;
    helper.SetDeviceAttribute("RxBufferSize", UintegerValue(16 * 1024));
    NvlinkBoard board = helper.InstallBoard(NvlinkBoardSpec::DgxH100());
    Simulator::Stop(NanoSeconds(1));
    Simulator::Run(); // every port set up and connected with 4 KiB units
    EXPECT_EQ(NvlinkHelper::SetTransferUnit(board.gpus, 8192), 8 * board.spec.LinksPerGpu());
    std::string error;
    try
    {
        NvlinkHelper::SetTransferUnit(NodeContainer::GetGlobal(), 32768);
    }
    catch (const FabricConfigError& e)
    {
        error = e.what();
    }
    EXPECT_NE(error.find("RxBufferSize 16384 B cannot hold one"), std::string::npos) << error;
}

TEST_F(NvlinkTest, HeaderRoundTripsEveryField)
{
    NvlinkHeader h;
    h.SetCommand(NvlinkHeader::COMMAND_WRITE);
    h.SetVl(15);
    h.SetSl(9);
    h.SetDestination(0xBEEF);
    h.SetSource(0x1234);
    h.SetPayloadLength(4096);
    h.SetPacketCount(16);
    h.SetProtocol(2);
    h.SetUpperHeaderLength(28);
    h.SetCrc(0xABCD);
    Ptr<Packet> p = Create<Packet>(100);
    p->AddHeader(h);
    EXPECT_EQ(p->GetSize(), 100 + NvlinkHeader::SIZE);
    uint8_t bytes[NvlinkHeader::SIZE];
    p->CopyData(bytes, NvlinkHeader::SIZE);
    const uint8_t expected[NvlinkHeader::SIZE] = {0x01,
                                                  0xF9,
                                                  0xBE,
                                                  0xEF,
                                                  0x12,
                                                  0x34,
                                                  0x10,
                                                  0x00,
                                                  0x00,
                                                  0x10,
                                                  0x00,
                                                  0x02,
                                                  0x00,
                                                  0x1C,
                                                  0xAB,
                                                  0xCD};
    for (uint32_t i = 0; i < NvlinkHeader::SIZE; ++i)
    {
        EXPECT_EQ(bytes[i], expected[i]) << "byte " << i;
    }
    NvlinkHeader r;
    p->RemoveHeader(r);
    EXPECT_EQ(r.GetCommand(), NvlinkHeader::COMMAND_WRITE);
    EXPECT_EQ(r.GetVl(), 15);
    EXPECT_EQ(r.GetSl(), 9);
    EXPECT_EQ(r.GetDestination(), 0xBEEF);
    EXPECT_EQ(r.GetSource(), 0x1234);
    EXPECT_EQ(r.GetPayloadLength(), 4096);
    EXPECT_EQ(r.GetPacketCount(), 16);
    EXPECT_EQ(r.GetProtocol(), 2);
    EXPECT_EQ(r.GetUpperHeaderLength(), 28);
    EXPECT_EQ(r.GetCrc(), 0xABCD);
}

TEST_F(NvlinkTest, PcapRecordsEveryUnitWithItsHeader)
{
    const std::string prefix = ::testing::TempDir() + "nvlink-pcap-test";
    uint64_t received = 0;
    std::vector<uint16_t> ids;
    {
        Board b(NvlinkBoardSpec::DgxH100());
        ids = b.board.gpuIds;
        b.helper.EnablePcap(prefix + ".pcap", b.board.GetGpuPort(1), false, true);
        b.Send(0, 1, 64 * 1024);
        Simulator::Run();
        for (const auto& [src, flow] : b.sinks[1]->GetFlows())
        {
            received += flow.packets;
        }
        Simulator::Destroy();
    } // the last holders of the ports, and so of the capture file, are gone: it is closed
    std::ifstream in(prefix + ".pcap", std::ios::binary);
    ASSERT_TRUE(in.good());
    uint8_t global[24] = {};
    ASSERT_TRUE(in.read(reinterpret_cast<char*>(global), sizeof(global)));
    uint32_t linkType = global[20] | (global[21] << 8) | (global[22] << 16) | (global[23] << 24);
    EXPECT_EQ(linkType, 147u); // DLT_USER0
    // Records of the first link of GPU 1: every unit it received, each led by its header.
    uint32_t records = 0;
    uint8_t rec[16];
    while (in.read(reinterpret_cast<char*>(rec), sizeof(rec)))
    {
        const uint32_t caplen = rec[8] | (rec[9] << 8) | (rec[10] << 16) | (rec[11] << 24);
        std::vector<uint8_t> data(caplen);
        in.read(reinterpret_cast<char*>(data.data()), caplen);
        ASSERT_GE(caplen, NvlinkHeader::SIZE);
        EXPECT_EQ((data[2] << 8) | data[3], ids[1]); // destination GPU
        EXPECT_EQ((data[4] << 8) | data[5], ids[0]); // source GPU
        ++records;
    }
    EXPECT_GT(records, 0u);
    EXPECT_LE(records, received);
    std::remove((prefix + ".pcap").c_str());
}
