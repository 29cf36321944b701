/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric-tests
 * ERF pcap captures of InfiniBand ports, decoded by Wireshark's own dissectors (tshark): every
 * record must show the LIDs the subnet manager assigned, the VL, the UC RDMA WRITE opcode
 * sequence, the PSNs, the destination QP and the sizes that the simulation put on the wire.
 *
 * The tests skip when tshark is not installed (CI installs it).
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

using namespace ns3;

namespace
{

/// Destination QP number the generator writes in every BTH.
constexpr uint32_t DEST_QP = 0x1234;

/// Fields asked of tshark, in this order, for every record.
const std::vector<std::string> IB_FIELDS = {"erf.types.type",
                                            "erf.wlen",
                                            "infiniband.lrh.vl",
                                            "infiniband.lrh.sl",
                                            "infiniband.lrh.lnh",
                                            "infiniband.lrh.dlid",
                                            "infiniband.lrh.slid",
                                            "infiniband.lrh.pktlen",
                                            "infiniband.bth.opcode",
                                            "infiniband.bth.padcnt",
                                            "infiniband.bth.destqp",
                                            "infiniband.bth.psn",
                                            "infiniband.reth.dmalen",
                                            "_ws.short",
                                            "_ws.malformed"};

/// Column of each field in a row of RunTshark()'s answer.
enum Column : size_t
{
    ERF_TYPE,
    ERF_WLEN,
    LRH_VL,
    LRH_SL,
    LRH_LNH,
    LRH_DLID,
    LRH_SLID,
    LRH_PKTLEN,
    BTH_OPCODE,
    BTH_PADCNT,
    BTH_DESTQP,
    BTH_PSN,
    RETH_DMALEN,
    // Wireshark's complaints about a record: they must stay empty, and come last because
    // their text may hold commas.
    WS_SHORT,
    WS_MALFORMED,
};

/**
 * \brief Run a shell command and collect its standard output.
 * \param command the command
 * \param output set to what it printed
 * \return its exit status, or -1 if it could not be started
 */
int
RunCommand(const std::string& command, std::string& output)
{
    output.clear();
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
    {
        return -1;
    }
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    {
        output.append(buffer, n);
    }
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/** \return true if tshark can be run */
bool
TsharkAvailable()
{
    return std::system("command -v tshark >/dev/null 2>&1") == 0;
}

/**
 * \brief Split a line at commas.
 * \param line the line
 * \return its fields, empty ones included
 */
std::vector<std::string>
SplitCommas(const std::string& line)
{
    std::vector<std::string> fields;
    std::string field;
    std::istringstream ss(line);
    while (std::getline(ss, field, ','))
    {
        fields.push_back(field);
    }
    if (!line.empty() && line.back() == ',')
    {
        fields.emplace_back(); // getline drops a trailing empty field
    }
    return fields;
}

/**
 * \brief A number as tshark prints it: decimal, or hexadecimal with 0x.
 * \param text the field's text
 * \return its value
 */
uint64_t
ParseNumber(const std::string& text)
{
    if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0)
    {
        return std::stoull(text.substr(2), nullptr, 16);
    }
    return std::stoull(text, nullptr, 10);
}

/**
 * \brief Decode a capture with tshark, one row of fields per record.
 * \param file the pcap file
 * \param fields the field names
 * \param rows set to one row per record, a cell per field (empty where a record lacks it)
 * \return the diagnostics tshark printed, empty if it succeeded
 */
std::string
RunTshark(const std::string& file,
          const std::vector<std::string>& fields,
          std::vector<std::vector<std::string>>& rows)
{
    rows.clear();
    const std::string errors = file + ".tshark-stderr";
    std::string command = "tshark -n -r '" + file + "' -T fields -E separator=,";
    for (const auto& field : fields)
    {
        command += " -e " + field;
    }
    command += " 2>'" + errors + "'";
    std::string output;
    const int status = RunCommand(command, output);
    if (status != 0)
    {
        std::ifstream in(errors);
        std::stringstream text;
        text << in.rdbuf();
        return "`" + command + "` exited with " + std::to_string(status) + ": " + text.str();
    }
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line))
    {
        rows.push_back(SplitCommas(line));
    }
    return "";
}

/**
 * \brief A fresh directory under GoogleTest's temporary directory, removed with its contents
 * on destruction.
 */
class ScratchDir
{
  public:
    ScratchDir()
    {
        std::string pattern = ::testing::TempDir() + "ib-pcap-test-XXXXXX";
        if (mkdtemp(pattern.data()) != nullptr)
        {
            m_path = pattern;
        }
    }

    ~ScratchDir()
    {
        if (!m_path.empty())
        {
            std::error_code ignored;
            std::filesystem::remove_all(m_path, ignored);
        }
    }

    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    /** \return the directory, empty if it could not be made */
    const std::string& Path() const
    {
        return m_path;
    }

  private:
    std::string m_path; //!< the directory
};

/**
 * \brief host - switch - host (or host - host) and a one-message UC RDMA WRITE flow from the
 * first host to the second; LIDs and routes from IbSubnetManager.
 */
struct PcapLine
{
    NodeContainer hosts;             //!< sender, receiver
    NodeContainer switches;          //!< zero or one switch
    Ptr<IbNetDevice> src;            //!< sending HCA port
    Ptr<IbNetDevice> dst;            //!< receiving HCA port
    Ptr<IbNetDevice> egress;         //!< switch port toward the receiver, if any
    Ptr<FabricTrafficGenerator> gen; //!< the flow
    Ptr<FabricTrafficSink> sink;     //!< the receiver's sink
    std::vector<uint32_t> sentBytes; //!< each packet's size as the sender put it on the wire

    /**
     * \param withSwitch put a switch between the hosts
     * \param numVls data VLs on every port
     * \param mtu path MTU
     */
    PcapLine(bool withSwitch, uint8_t numVls, uint32_t mtu)
    {
        hosts.Create(2);
        IbHelper ib;
        ib.SetDeviceAttribute("NumDataVls", UintegerValue(numVls));
        ib.SetDeviceAttribute("Mtu", UintegerValue(mtu));
        ib.SetChannelAttribute("Delay", TimeValue(NanoSeconds(50)));
        if (withSwitch)
        {
            switches.Create(1);
            ib.InstallSwitch(switches);
            src = DynamicCast<IbNetDevice>(ib.Install(hosts.Get(0), switches.Get(0)).Get(0));
            NetDeviceContainer link = ib.Install(switches.Get(0), hosts.Get(1));
            egress = DynamicCast<IbNetDevice>(link.Get(0));
            dst = DynamicCast<IbNetDevice>(link.Get(1));
        }
        else
        {
            NetDeviceContainer link = ib.Install(hosts.Get(0), hosts.Get(1));
            src = DynamicCast<IbNetDevice>(link.Get(0));
            dst = DynamicCast<IbNetDevice>(link.Get(1));
        }
        IbSubnetManager sm;
        sm.Run(NodeContainer(hosts, switches));
        sink = CreateObject<FabricTrafficSink>();
        hosts.Get(1)->AddApplication(sink);
        src->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&PcapLine::OnTx, this));
    }

    /**
     * \brief Record a packet the sending port puts on the wire.
     * \param packet the packet, LRH to VCRC
     */
    void OnTx(Ptr<const Packet> packet)
    {
        sentBytes.push_back(packet->GetSize());
    }

    /**
     * \brief Add the flow.
     * \param messageSize payload bytes
     * \param sl service level
     */
    void Send(uint64_t messageSize, uint8_t sl)
    {
        gen = CreateObject<FabricTrafficGenerator>();
        gen->SetAttribute("DestinationLid", UintegerValue(dst->GetLid()));
        gen->SetAttribute("MessageSize", UintegerValue(messageSize));
        gen->SetAttribute("MessageCount", UintegerValue(1));
        gen->SetAttribute("ServiceLevel", UintegerValue(sl));
        gen->SetAttribute("DestinationQp", UintegerValue(DEST_QP));
        hosts.Get(0)->AddApplication(gen);
    }
};

/**
 * \brief Append one pcap file's records to another's: the second file's global header must
 * equal the first's (same link type and snapshot length), so its records can follow.
 * \param first the first capture
 * \param second the second capture
 * \param merged the file to write, the first's records then the second's
 * \return an error message, empty on success
 */
std::string
MergeCaptures(const std::string& first, const std::string& second, const std::string& merged)
{
    constexpr size_t GLOBAL_HEADER = 24;
    std::string contents[2];
    const std::string names[2] = {first, second};
    for (int i = 0; i < 2; ++i)
    {
        std::ifstream in(names[i], std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        contents[i] = bytes.str();
        if (contents[i].size() < GLOBAL_HEADER)
        {
            return names[i] + " has no pcap global header";
        }
    }
    if (contents[0].compare(0, GLOBAL_HEADER, contents[1], 0, GLOBAL_HEADER) != 0)
    {
        return first + " and " + second + " have different pcap global headers";
    }
    std::ofstream out(merged, std::ios::binary);
    out << contents[0];
    out.write(contents[1].data() + GLOBAL_HEADER,
              static_cast<std::streamsize>(contents[1].size() - GLOBAL_HEADER));
    return out.good() ? "" : "cannot write " + merged;
}

/// What the records of one capture are checked against: the facts of the simulated flow.
struct Expected
{
    uint16_t dlid{0};                //!< destination LID (the receiver's)
    uint16_t slid{0};                //!< source LID (the sender's)
    uint8_t sl{0};                   //!< service level
    uint64_t messageSize{0};         //!< payload bytes of the message
    std::vector<uint32_t> wireBytes; //!< bytes on the wire of each packet, LRH to VCRC
    std::vector<uint32_t> payloads;  //!< payload of each packet, padding excluded
};

/**
 * \brief Check the decoded records of one UC RDMA WRITE message.
 * \param rows tshark's rows
 * \param offset the row of the message's first packet
 * \param expected the flow's facts
 * \param vl the VL on the captured link
 */
void
CheckRecords(const std::vector<std::vector<std::string>>& rows,
             size_t offset,
             const Expected& expected,
             uint8_t vl)
{
    const size_t n = expected.payloads.size();
    ASSERT_GE(n, 3u) << "the test wants FIRST, MIDDLE and LAST packets";
    ASSERT_GE(rows.size(), offset + n);
    uint64_t payloadTotal = 0;
    for (size_t k = 0; k < n; ++k)
    {
        SCOPED_TRACE("packet " + std::to_string(k) + ", frame " + std::to_string(offset + k + 1));
        const auto& row = rows[offset + k];
        ASSERT_GE(row.size(), WS_SHORT);
        for (size_t c = 0; c < RETH_DMALEN; ++c)
        {
            ASSERT_FALSE(row[c].empty()) << "tshark decoded no " << IB_FIELDS[c];
        }
        std::string complaints;
        for (size_t c = WS_SHORT; c < row.size(); ++c)
        {
            complaints += row[c];
        }
        EXPECT_TRUE(complaints.empty()) << "Wireshark: " << complaints;
        const bool first = k == 0;
        const bool last = k + 1 == n;
        EXPECT_EQ(ParseNumber(row[ERF_TYPE]), 21u) << "ERF type InfiniBand";
        EXPECT_EQ(ParseNumber(row[ERF_WLEN]), expected.wireBytes[k]);
        EXPECT_EQ(ParseNumber(row[LRH_VL]), vl);
        EXPECT_EQ(ParseNumber(row[LRH_SL]), expected.sl);
        EXPECT_EQ(ParseNumber(row[LRH_LNH]), 2u) << "IBA local: a BTH follows the LRH";
        EXPECT_EQ(ParseNumber(row[LRH_DLID]), expected.dlid);
        EXPECT_EQ(ParseNumber(row[LRH_SLID]), expected.slid);
        // PktLen: 4-byte words from the LRH through the ICRC (the VCRC is not counted).
        EXPECT_EQ(ParseNumber(row[LRH_PKTLEN]) * 4,
                  expected.wireBytes[k] - IbCrcTrailer::VCRC_SIZE);
        const uint64_t opcode = first ? 0x26 : (last ? 0x28 : 0x27); // UC RDMA WRITE F/M/L
        EXPECT_EQ(ParseNumber(row[BTH_OPCODE]), opcode);
        EXPECT_EQ(ParseNumber(row[BTH_PADCNT]), (4 - expected.payloads[k] % 4) % 4);
        EXPECT_EQ(ParseNumber(row[BTH_DESTQP]), DEST_QP);
        EXPECT_EQ(ParseNumber(row[BTH_PSN]), k);
        if (first)
        {
            ASSERT_FALSE(row[RETH_DMALEN].empty()) << "no RETH on the FIRST packet";
            EXPECT_EQ(ParseNumber(row[RETH_DMALEN]), expected.messageSize);
        }
        else
        {
            EXPECT_TRUE(row[RETH_DMALEN].empty()) << "a RETH on a packet after the FIRST";
        }
        payloadTotal += expected.payloads[k];
    }
    EXPECT_EQ(payloadTotal, expected.messageSize);
}

/// One capture test: the fabric, the flow and the VL each capture must show.
struct Scenario
{
    bool withSwitch{true};    //!< a switch between the hosts
    uint8_t numVls{1};        //!< data VLs on every port
    uint8_t sl{0};            //!< the flow's service level
    uint8_t senderVl{0};      //!< VL on the sender's cable
    uint8_t receiverVl{0};    //!< VL on the receiver's cable
    std::string egressSlToVl; //!< SlToVlTable of the switch port toward the receiver ("": default)
};

/**
 * \brief Simulate one message with pcap on both HCA ports, then decode both captures with one
 * tshark run and check every record.
 * \param scenario the test
 */
void
RunAndCheck(const Scenario& scenario)
{
    ScratchDir dir;
    ASSERT_FALSE(dir.Path().empty()) << "mkdtemp failed";
    const uint32_t mtu = 1024;
    const uint64_t messageSize = 5 * mtu + 102; // FIRST, three MIDDLE, a full one, a padded LAST
    const std::string rxFile = dir.Path() + "/receiver.pcap";
    const std::string txFile = dir.Path() + "/sender.pcap";
    Expected expected;
    {
        PcapLine line(scenario.withSwitch, scenario.numVls, mtu);
        if (!scenario.egressSlToVl.empty())
        {
            ASSERT_TRUE(line.egress);
            line.egress->SetAttribute("SlToVlTable", StringValue(scenario.egressSlToVl));
        }
        IbHelper ib;
        ib.EnablePcap(rxFile, line.dst, false, true);
        ib.EnablePcap(txFile, line.src, false, true);
        line.Send(messageSize, scenario.sl);
        Simulator::Run();
        ASSERT_EQ(line.gen->GetMessagesSent(), 1u);
        ASSERT_EQ(line.sink->GetTotalPayloadBytes(), messageSize);
        ASSERT_NE(line.src->GetLid(), 0u);
        ASSERT_NE(line.dst->GetLid(), 0u);
        ASSERT_NE(line.src->GetLid(), line.dst->GetLid());
        EXPECT_EQ(+line.src->MapSlToVl(scenario.sl), +scenario.senderVl);
        if (line.egress)
        {
            EXPECT_EQ(+line.egress->MapSlToVl(scenario.sl), +scenario.receiverVl);
        }
        EXPECT_EQ(line.gen->GetPacketsSent(), line.sentBytes.size());
        EXPECT_EQ(line.dst->GetRxPackets(), line.sentBytes.size());
        expected.dlid = line.dst->GetLid();
        expected.slid = line.src->GetLid();
        expected.sl = scenario.sl;
        expected.messageSize = messageSize;
        expected.wireBytes = line.sentBytes;
    }
    // Dispose of the fabric: the pcap files close, and are flushed, before tshark reads them.
    Simulator::Destroy();

    for (uint64_t offset = 0; offset < messageSize; offset += mtu)
    {
        expected.payloads.push_back(
            static_cast<uint32_t>(std::min<uint64_t>(mtu, messageSize - offset)));
    }
    const size_t n = expected.payloads.size();
    ASSERT_EQ(expected.wireBytes.size(), n) << "packets the sender put on the wire";
    for (size_t k = 0; k < n; ++k)
    {
        const uint32_t pad = (4 - expected.payloads[k] % 4) % 4;
        EXPECT_EQ(expected.wireBytes[k],
                  IbLrhHeader::SIZE + IbBthHeader::SIZE + (k == 0 ? IbRethHeader::SIZE : 0) +
                      expected.payloads[k] + pad + IbCrcTrailer::ICRC_SIZE +
                      IbCrcTrailer::VCRC_SIZE)
            << "packet " << k;
    }

    // One tshark run for both captures (its start-up dominates the test's time).
    const std::string merged = dir.Path() + "/both.pcap";
    const std::string mergeError = MergeCaptures(rxFile, txFile, merged);
    ASSERT_TRUE(mergeError.empty()) << mergeError;
    std::vector<std::vector<std::string>> rows;
    const std::string error = RunTshark(merged, IB_FIELDS, rows);
    ASSERT_TRUE(error.empty()) << error;
    ASSERT_EQ(rows.size(), 2 * n) << "one record per packet sent, in each capture";
    {
        SCOPED_TRACE("capture of the receiving HCA port");
        CheckRecords(rows, 0, expected, scenario.receiverVl);
    }
    {
        SCOPED_TRACE("capture of the sending HCA port");
        CheckRecords(rows, n, expected, scenario.senderVl);
    }
}

/// Fixture: the module's common one; skips when tshark is missing.
class IbPcapTest : public FabricTest
{
  protected:
    void SetUp() override
    {
        FabricTest::SetUp();
        if (!TsharkAvailable())
        {
            GTEST_SKIP() << "tshark is not installed (Debian: apt-get install tshark)";
        }
    }
};

} // namespace

TEST_F(IbPcapTest, HostToHostDecodes)
{
    Scenario scenario;
    scenario.withSwitch = false;
    RunAndCheck(scenario);
}

TEST_F(IbPcapTest, ThroughSwitchDecodes)
{
    RunAndCheck(Scenario{});
}

TEST_F(IbPcapTest, SecondVlDecodes)
{
    // Two data VLs, SL 1: the default SL-to-VL table (SL i -> VL i mod 2) puts the packets on
    // VL 1 on both cables.
    Scenario scenario;
    scenario.numVls = 2;
    scenario.sl = 1;
    scenario.senderVl = 1;
    scenario.receiverVl = 1;
    RunAndCheck(scenario);
}

TEST_F(IbPcapTest, SwitchRewritesVl)
{
    // The switch port toward the receiver maps SL 1 to VL 0: the packets leave the sender on
    // VL 1 and reach the receiver on VL 0, with the SL unchanged end to end.
    Scenario scenario;
    scenario.numVls = 2;
    scenario.sl = 1;
    scenario.senderVl = 1;
    scenario.receiverVl = 0;
    scenario.egressSlToVl = "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0";
    RunAndCheck(scenario);
}
