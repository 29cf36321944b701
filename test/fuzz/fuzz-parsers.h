/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef AIFABRIC_FUZZ_PARSERS_H
#define AIFABRIC_FUZZ_PARSERS_H

// The parsers test/fuzz reaches, one input at a time, shared by the libFuzzer targets
// (fuzz-target.cc) and the regression test that replays what they once found
// (test/fuzz-regression-test.cc). Bad input must end in a FabricConfigError (a clear message
// naming the file, line and field); anything else is a finding: another exception, a crash,
// an abort (NS_FATAL_ERROR, NS_ASSERT), a hang or a sanitizer report.

#include "ns3/astra-sim-workload-reader.h"
#include "ns3/byte-size.h"
#include "ns3/chakra-trace.h"
#include "ns3/collective-protocol.h"
#include "ns3/fabric-config-error.h"
#include "ns3/ib-net-device.h"
#include "ns3/job-trace.h"
#include "ns3/layer-graph.h"
#include "ns3/string.h"
#include "ns3/topology-reader.h"
#include "ns3/training-job.h"
#include "ns3/vl-arbiter.h"
#include "ns3/workload-reader.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

namespace ns3
{
namespace fuzz
{

/**
 * \brief Run one parser call.
 * \param parse the call
 * \return empty when it returned or threw a FabricConfigError; else what escaped it
 */
template <typename F>
std::string
Expect(F&& parse)
{
    try
    {
        parse();
    }
    catch (const FabricConfigError&)
    {
        // The clear error bad input must get.
    }
    catch (const std::exception& e)
    {
        return std::string("escaped exception (not FabricConfigError): ") + e.what();
    }
    catch (...)
    {
        return "escaped a non-std exception";
    }
    return "";
}

/// One target: runs an input, returns what Expect() returns.
using Target = std::string (*)(const std::string& input);

/// \return the trace prefix in a temporary folder this process made for itself
inline const std::string&
ChakraPrefix()
{
    static const std::string prefix = [] {
        char folder[] = "/tmp/aifabric-chakra-fuzz-XXXXXX";
        if (mkdtemp(folder) == nullptr)
        {
            std::perror("mkdtemp");
            std::abort();
        }
        return std::string(folder) + "/trace";
    }();
    return prefix;
}

/**
 * \return the targets by name (tools/fuzz.sh, test/fuzz/regressions/NAME); an input of
 * planner-files and option-strings starts with one byte that picks the parser, so one corpus
 * holds every kind
 */
inline const std::map<std::string, Target>&
Targets()
{
    static const std::map<std::string, Target> targets = {
        {"topology-reader",
         [](const std::string& in) {
             return Expect([&] { TopologyReader::ReadString(in, "fuzz.yaml"); });
         }},
        {"workload-reader",
         [](const std::string& in) {
             // The GPU-count checks (plan sizes against the cluster) run only with a count.
             const std::string alone = Expect([&] { WorkloadReader::ReadString(in, "fuzz.yaml"); });
             return alone.empty() ? Expect([&] { WorkloadReader::ReadString(in, "fuzz.yaml", 16); })
                                  : alone;
         }},
        {"astra-sim-reader",
         [](const std::string& in) {
             return Expect([&] { AstraSimWorkloadReader::ReadString(in, "fuzz.txt"); });
         }},
        {"chakra-trace",
         [](const std::string& in) {
             // The reader takes files: the input is worker 0's.
             {
                 std::ofstream out(ChakraTrace::GetFileName(ChakraPrefix(), 0),
                                   std::ios::binary | std::ios::trunc);
                 out << in;
             }
             return Expect([&] { ChakraTrace::Read(ChakraPrefix()); });
         }},
        {"planner-files",
         [](const std::string& in) {
             if (in.empty())
             {
                 return std::string();
             }
             const std::string text = in.substr(1);
             if (in[0] % 2 == 0)
             {
                 return Expect([&] { LayerGraphReader::ReadString(text, "fuzz.yaml"); });
             }
             // Relative workload paths start where the study's trace finds its jobs, so a
             // mutated trace still reaches the workload reader through them.
             return Expect([&] {
                 JobTraceReader::ReadString(text,
                                            "fuzz.yaml",
                                            AIFABRIC_SOURCE_DIR "/examples/studies");
             });
         }},
        {"option-strings",
         [](const std::string& in) {
             if (in.empty())
             {
                 return std::string();
             }
             const std::string text = in.substr(1);
             switch (static_cast<unsigned char>(in[0]) % 5)
             {
             case 0:
                 return Expect([&] { ParseByteSize(text, "--bytes"); });
             case 1:
                 return Expect([&] { VlArbiter::ParseTable(text, "HighPriorityTable"); });
             case 2:
                 return Expect([&] { ParseCollectiveProtocol(text); });
             case 3:
                 return Expect([&] { TrainingJob::ParseStragglers(text, "--stragglers"); });
             default: {
                 // Through the Attribute, as Config::Set and CommandLine reach it.
                 static Ptr<IbNetDevice> device = CreateObject<IbNetDevice>();
                 return Expect([&] { device->SetAttribute("SlToVlTable", StringValue(text)); });
             }
             }
         }},
    };
    return targets;
}

} // namespace fuzz
} // namespace ns3

#endif /* AIFABRIC_FUZZ_PARSERS_H */
