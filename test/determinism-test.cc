/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup ai-fabric
 * Determinism: the same seed gives bit-identical reports and captures across runs in one
 * process, with and without tracing; a different seed changes only what is random (compute
 * stragglers, bit errors on the cables), and changes nothing where nothing is random (adaptive
 * routing here picks the least-loaded port, ties to the static one: it has no random draw).
 *
 * Every run hashes (FNV-1a, 64 bits) the serialised report and, with tracing, the pcap and
 * ascii captures; the hashes are printed and recorded as test properties so that a change
 * in them shows in the logs.
 */

#include "ai-fabric-test-util.h"

#include "ns3/ai-fabric-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <iomanip>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace ns3;

namespace
{

/// Fixture: the module's common one, with the seed and defaults restored after each test.
class DeterminismTest : public FabricTest
{
  protected:
    void TearDown() override
    {
        FabricTest::TearDown();
        Config::Reset();
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
    }
};

/**
 * \param bytes data
 * \return FNV-1a 64 of the bytes
 */
uint64_t
Fnv1a(const std::string& bytes)
{
    uint64_t h = 14695981039346656037ull;
    for (const char c : bytes)
    {
        h ^= static_cast<uint8_t>(c);
        h *= 1099511628211ull;
    }
    return h;
}

/**
 * \param h a hash
 * \return it in 16 hexadecimal digits
 */
std::string
Hex(uint64_t h)
{
    std::ostringstream os;
    os << std::hex << std::setw(16) << std::setfill('0') << h;
    return os.str();
}

/**
 * \param path a file
 * \return its bytes (empty if it cannot be read)
 */
std::string
ReadBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

/// What one run leaves to compare.
struct RunHashes
{
    uint64_t report{0};  //!< hash of the serialised report
    uint64_t pcap{0};    //!< hash of the pcap capture (tracing only)
    uint64_t ascii{0};   //!< hash of the ascii trace (tracing only)
    uint64_t traced{0};  //!< packets the trace sinks saw (tracing only)
    std::string summary; //!< a short part of the report, for failure messages
};

/// How to run a scenario.
struct RunOptions
{
    uint32_t run{1};        //!< RngSeedManager run number
    bool tracing{false};    //!< pcap, ascii and MacTx/MacRx sinks on
    bool adaptive{false};   //!< adaptive routing on every IB switch
    double ber{0};          //!< bit error rate of every cable
    bool stragglers{false}; //!< training: random compute slowdown per worker and iteration
    bool allToAll{false};   //!< collective: an all-to-all (direct) instead of a ring all-reduce
};

/// Four hosts of one H100 and one NDR HCA each, on a two-level fat-tree (two leaves).
const std::string HOSTS_TOPOLOGY = HostsOnFatTreeYaml(4, 4);

/// A scratch file name for a capture.
std::string
ScratchFile(const std::string& name)
{
    return ::testing::TempDir() + "determinism-test-" + std::to_string(getpid()) + "-" + name;
}

/// Packets seen by the MacTx/MacRx sinks.
uint64_t g_traced = 0;

/// A trace sink that only counts.
void
CountPacket(Ptr<const Packet>)
{
    ++g_traced;
}

/**
 * \brief Turn the options' tracing, faults and seed on for a built fabric.
 * \param topology the fabric
 * \param options the options
 * \param tag file name tag
 * \param[out] pcapFile the capture's file
 * \param[out] asciiFile the ascii trace's file
 * \param[out] ascii the ascii stream, kept open until the fabric is destroyed
 */
void
Instrument(Ptr<FabricTopology> topology,
           const RunOptions& options,
           const std::string& tag,
           std::string& pcapFile,
           std::string& asciiFile,
           Ptr<OutputStreamWrapper>& ascii)
{
    NodeContainer all(topology->GetGpuNodes(), topology->GetSwitchNodes());
    if (options.ber > 0)
    {
        FabricFaultHelper faults;
        faults.SetBitErrorRate(all, options.ber);
        faults.AssignStreams(all, 3);
    }
    if (options.tracing)
    {
        IbHelper ib;
        pcapFile = ScratchFile(tag + ".pcap");
        asciiFile = ScratchFile(tag + ".tr");
        ib.EnablePcap(pcapFile, topology->GetHcaPort(0), false, true);
        AsciiTraceHelper helper;
        ascii = helper.CreateFileStream(asciiFile);
        ib.EnableAsciiAll(ascii);
        g_traced = 0;
        Config::ConnectWithoutContextFailSafe("/NodeList/*/DeviceList/*/MacTx",
                                              MakeCallback(&CountPacket));
        Config::ConnectWithoutContextFailSafe("/NodeList/*/DeviceList/*/MacRx",
                                              MakeCallback(&CountPacket));
    }
}

/**
 * \brief Hash what a finished run left: the report text and the captures.
 * \param options the options
 * \param report the serialised report
 * \param pcapFile the capture (tracing only)
 * \param asciiFile the ascii trace (tracing only)
 * \return the hashes
 */
RunHashes
Collect(const RunOptions& options,
        const std::string& report,
        const std::string& pcapFile,
        const std::string& asciiFile)
{
    RunHashes h;
    h.report = Fnv1a(report);
    h.summary = report.substr(0, 200);
    if (options.tracing)
    {
        const std::string pcap = ReadBytes(pcapFile);
        const std::string text = ReadBytes(asciiFile);
        EXPECT_GT(pcap.size(), 24u) << "the capture holds no record";
        EXPECT_FALSE(text.empty()) << "the ascii trace is empty";
        h.pcap = Fnv1a(pcap);
        h.ascii = Fnv1a(text);
        h.traced = g_traced;
        std::remove(pcapFile.c_str());
        std::remove(asciiFile.c_str());
    }
    return h;
}

/**
 * \brief A ring all-reduce of 256 KiB over the four hosts through a Communicator.
 * \param options seed, tracing and random elements
 * \return the hashes of its report (the CollectiveReport's fields and every port's counters)
 * and captures
 */
RunHashes
RunCollective(const RunOptions& options)
{
    if (options.adaptive)
    {
        Config::SetDefault("ns3::IbSwitch::AdaptiveRouting", BooleanValue(true));
    }
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(HOSTS_TOPOLOGY, "topology"));
    // Config::Reset() also resets the RngRun and RngSeed globals: seed after it.
    Config::Reset();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(options.run);
    std::string pcapFile;
    std::string asciiFile;
    Ptr<OutputStreamWrapper> ascii;
    Instrument(topology, options, "collective", pcapFile, asciiFile, ascii);

    Ptr<Communicator> comm = CreateObject<Communicator>();
    comm->SetAttribute("Algorithm", StringValue(options.allToAll ? "direct" : "ring"));
    comm->SetAttribute("Protocol", StringValue("Simple"));
    comm->Setup(topology, {0, 1, 2, 3});
    CollectiveReport report;
    comm->Start(options.allToAll ? CollectiveOp::ALL_TO_ALL : CollectiveOp::ALL_REDUCE,
                256 << 10,
                MakeCallback(+[](CollectiveReport* out, const CollectiveReport& r) {
                    *out = r;
                }).Bind(&report));
    Simulator::Run();
    EXPECT_TRUE(report.packetTime.IsStrictlyPositive()) << "the all-reduce did not finish";

    std::ostringstream os;
    os << "op " << static_cast<int>(report.op) << " bytes " << report.bytes << " ranks "
       << report.nranks << " algorithm " << report.algorithm << " protocol "
       << static_cast<int>(report.protocol) << " channels " << report.channels << " packet "
       << report.packetTime.GetTimeStep() << " analytical " << report.analyticalTime.GetTimeStep()
       << " fallback '" << report.fallback << "'\n";
    for (const LinkClassUsage& c : report.links.classes)
    {
        os << c.name << " " << c.ports << " " << c.activePorts << " " << c.bytes << " "
           << c.creditStall.GetTimeStep() << "\n";
    }
    os << PortCountersDigest();
    Simulator::Destroy();
    return Collect(options, os.str(), pcapFile, asciiFile);
}

/**
 * \brief Two iterations of a tiny data-parallel transformer on the four hosts, packet level.
 * \param options seed, tracing and random elements (stragglers)
 * \return the hashes of its JSON report (TrainingReport::WriteJson, wall time left out) and
 * captures
 */
RunHashes
RunTraining(const RunOptions& options)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(options.run);
    Ptr<FabricTopology> topology =
        TopologyHelper().Build(TopologyReader::ReadString(HOSTS_TOPOLOGY, "topology"));
    const WorkloadDescription workload = WorkloadReader::ReadString(
        "name: tiny\n"
        "model: {type: transformer, layers: 2, hidden: 256, heads: 4, sequence: 128, "
        "vocabulary: 1000, dtype: bf16}\n"
        "training: {global-batch: 4, micro-batch: 1, recompute: none}\n"
        "parallelism: {tp: 1, pp: 1, dp: 4, bucket-size: 1MiB}\n",
        "workload",
        topology->GetNRanks());
    std::string pcapFile;
    std::string asciiFile;
    Ptr<OutputStreamWrapper> ascii;
    Instrument(topology, options, "training", pcapFile, asciiFile, ascii);

    TrainingHelper helper;
    helper.SetJobAttribute("Backend", StringValue("packet"));
    helper.SetJobAttribute("Iterations", UintegerValue(2));
    if (options.stragglers)
    {
        helper.SetJobAttribute("Slowdown",
                               StringValue("ns3::UniformRandomVariable[Min=1.0|Max=1.5]"));
    }
    Ptr<TrainingJob> job = helper.Install(topology, workload);
    job->AssignStreams(7);
    Simulator::Run();
    TrainingReport report = job->GetReport();
    EXPECT_EQ(report.completedIterations, 2u);
    report.wallSeconds = 0; // the only field that is not simulated
    std::ostringstream os;
    report.WriteJson(os);
    os << PortCountersDigest();
    Simulator::Destroy();
    return Collect(options, os.str(), pcapFile, asciiFile);
}

/**
 * \brief Print and record a run's hashes.
 * \param name the run's name
 * \param h its hashes
 */
void
Record(const std::string& name, const RunHashes& h)
{
    std::cout << "[hash] " << name << " report " << Hex(h.report);
    ::testing::Test::RecordProperty(name + ".report", Hex(h.report));
    if (h.pcap != 0)
    {
        std::cout << " pcap " << Hex(h.pcap) << " ascii " << Hex(h.ascii) << " traced " << h.traced;
        ::testing::Test::RecordProperty(name + ".pcap", Hex(h.pcap));
        ::testing::Test::RecordProperty(name + ".ascii", Hex(h.ascii));
    }
    std::cout << "\n";
}

/**
 * \brief Run twice without tracing and twice with it, and expect the same report from all
 * four and the same captures from the two traced runs.
 * \param name the runs' name in the recorded hashes
 * \param run RunCollective or RunTraining
 */
void
ExpectBitIdenticalWithAndWithoutTracing(const std::string& name,
                                        RunHashes (*run)(const RunOptions&))
{
    RunOptions plain;
    RunOptions traced;
    traced.tracing = true;
    const RunHashes a = run(plain);
    const RunHashes b = run(plain);
    const RunHashes c = run(traced);
    const RunHashes d = run(traced);
    Record(name + ".seed1", a);
    Record(name + ".seed1.again", b);
    Record(name + ".seed1.traced", c);
    Record(name + ".seed1.traced.again", d);
    EXPECT_EQ(a.report, b.report) << a.summary;
    EXPECT_EQ(a.report, c.report) << "tracing changed the report";
    EXPECT_EQ(c.report, d.report);
    EXPECT_EQ(c.pcap, d.pcap) << "the pcap capture differs between two runs";
    EXPECT_EQ(c.ascii, d.ascii) << "the ascii trace differs between two runs";
    EXPECT_EQ(c.traced, d.traced);
    EXPECT_GT(c.traced, 0u);
}

/// Three runs of one scenario: seed run 1 twice, then run 2.
struct SeedRuns
{
    RunHashes run1;      //!< run number 1
    RunHashes run1Again; //!< run number 1 again
    RunHashes run2;      //!< run number 2
};

/**
 * \brief Run a scenario with run number 1 twice and with run number 2 once, and record them.
 * \param name the runs' name in the recorded hashes
 * \param run RunCollective or RunTraining
 * \param options the scenario (its run number is set here)
 * \return the three runs' hashes
 */
SeedRuns
RunPerSeed(const std::string& name, RunHashes (*run)(const RunOptions&), RunOptions options)
{
    SeedRuns r;
    options.run = 1;
    r.run1 = run(options);
    r.run1Again = run(options);
    options.run = 2;
    r.run2 = run(options);
    Record(name + ".run1", r.run1);
    Record(name + ".run1.again", r.run1Again);
    Record(name + ".run2", r.run2);
    return r;
}

} // namespace

TEST_F(DeterminismTest, CollectiveIsBitIdenticalPerSeedWithAndWithoutTracing)
{
    ExpectBitIdenticalWithAndWithoutTracing("collective", &RunCollective);
}

TEST_F(DeterminismTest, CollectiveSeedChangesOnlyWhatIsRandom)
{
    // Nothing random: another run number gives the same bits.
    RunOptions seed1;
    RunOptions seed2;
    seed2.run = 2;
    const RunHashes base1 = RunCollective(seed1);
    const RunHashes base2 = RunCollective(seed2);
    Record("collective.static.run1", base1);
    Record("collective.static.run2", base2);
    EXPECT_EQ(base1.report, base2.report);

    // Adaptive routing has no random draw (least-loaded port, ties to the LFT port): on an
    // all-to-all, whose flows share uplinks, it changes the result, but not with the seed.
    seed1.allToAll = seed2.allToAll = true;
    const RunHashes a2a = RunCollective(seed1);
    seed1.adaptive = seed2.adaptive = true;
    const RunHashes ar1 = RunCollective(seed1);
    const RunHashes ar2 = RunCollective(seed2);
    Record("collective.alltoall.static", a2a);
    Record("collective.alltoall.adaptive.run1", ar1);
    Record("collective.alltoall.adaptive.run2", ar2);
    EXPECT_NE(a2a.report, ar1.report) << "adaptive routing rerouted nothing";
    EXPECT_EQ(ar1.report, ar2.report) << "adaptive routing depends on the seed";

    // Bit errors are random: the seed decides which packets are corrupted and resent.
    RunOptions errors;
    errors.ber = 1e-7;
    const SeedRuns ber = RunPerSeed("collective.ber", &RunCollective, errors);
    EXPECT_EQ(ber.run1.report, ber.run1Again.report) << "bit errors are not reproducible per seed";
    EXPECT_NE(ber.run1.report, ber.run2.report) << "the seed does not reach the bit errors";
    EXPECT_NE(ber.run1.report, base1.report) << "no bit error happened";
}

TEST_F(DeterminismTest, TrainingIsBitIdenticalPerSeedWithAndWithoutTracing)
{
    ExpectBitIdenticalWithAndWithoutTracing("training", &RunTraining);
}

TEST_F(DeterminismTest, TrainingSeedChangesOnlyTheStragglers)
{
    RunOptions seed1;
    RunOptions seed2;
    seed2.run = 2;
    const RunHashes base1 = RunTraining(seed1);
    const RunHashes base2 = RunTraining(seed2);
    Record("training.static.run1", base1);
    Record("training.static.run2", base2);
    EXPECT_EQ(base1.report, base2.report);

    RunOptions slowdown;
    slowdown.stragglers = true;
    const SeedRuns slow = RunPerSeed("training.stragglers", &RunTraining, slowdown);
    EXPECT_EQ(slow.run1.report, slow.run1Again.report);
    EXPECT_NE(slow.run1.report, slow.run2.report) << "the seed does not reach the stragglers";
    EXPECT_NE(slow.run1.report, base1.report);
}
