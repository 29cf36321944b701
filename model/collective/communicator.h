/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef COMMUNICATOR_H
#define COMMUNICATOR_H

#include "analytical-backend.h"
#include "collective-algorithm.h"
#include "collective-protocol.h"
#include "collective-schedule.h"
#include "collective-tuner.h"
#include "packet-executor.h"

#include "ns3/callback.h"
#include "ns3/fabric-link-usage.h"
#include "ns3/fabric-topology.h"
#include "ns3/nvls-group-manager.h"
#include "ns3/object.h"
#include "ns3/sharp-aggregation-manager.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief One collective as it ran: packet level and analytical side by side.
 */
struct CollectiveReport
{
    CollectiveOp op{CollectiveOp::ALL_REDUCE};               //!< the operation
    uint64_t bytes{0};                                       //!< its size S (nccl-tests)
    uint32_t nranks{0};                                      //!< communicator size
    std::string algorithm;                                   //!< the algorithm that ran
    CollectiveProtocol protocol{CollectiveProtocol::SIMPLE}; //!< the protocol
    Time packetTime;             //!< packet-level duration (zero for an estimate only)
    Time analyticalTime;         //!< analytical (alpha-beta) duration of the same schedule
    AnalyticalResult analytical; //!< the analytical backend's details (per-link load...)
    uint32_t channels{0};        //!< channels the schedule used
    LinkUsageReport links;       //!< packet level: how busy each link class was, what bound it
    /// "" or why the in-network algorithm asked for (or the tuner's pick) did not run, and what
    /// ran instead: "nvls unavailable: ...: multicast groups exhausted (16/16) -> ring"
    std::string fallback;

    /** \return algbw of the packet-level run, bytes/s (nccl-tests: S / t) */
    double PacketAlgBandwidth() const;
    /** \return busbw of the packet-level run, bytes/s */
    double PacketBusBandwidth() const;
    /** \return algbw of the analytical result, bytes/s */
    double AnalyticalAlgBandwidth() const;
    /** \return busbw of the analytical result, bytes/s */
    double AnalyticalBusBandwidth() const;
};

/**
 * \ingroup ai-fabric
 * \brief An NCCL-like communicator: a group of GPUs (ranks) of a fabric that run collectives.
 *
 * Each operation picks an algorithm and a protocol (the Algorithm and Protocol attributes, or
 * NCCL's tuner model when they are "auto"), turns (op, bytes, ranks) into a CollectiveSchedule,
 * and runs it twice: packet by packet over the RDMA transport (PacketExecutor), and through the
 * alpha-beta model of the same schedule on the same topology (AnalyticalBackend). The report
 * puts both side by side, so a difference between them is the network's doing.
 * Split() makes sub-communicators (tensor, data, pipeline groups), as ncclCommSplit does.
 *
 * In-network algorithms. At Setup, as NCCL does at init, the communicator asks for its
 * in-network resources: with Nvls, one NVLS multicast object per server of two or more of its
 * ranks (NvlsGroupManager, shared by every communicator of the fabric); on two or more servers
 * with CollNet (or an Algorithm that needs SHARP), one SHARP group per position of a server's
 * ranks (the ranks at position i of every server, over their HCAs: SharpAggregationManager,
 * shared likewise). The tuner then weighs NVLS, NVLSTree, CollNetDirect and CollNetChain where
 * the hardware has them. When the pick (or the Algorithm asked for) cannot get its resources
 * (too many communicators, groups, OSTs or buffer), the operation runs the best host algorithm
 * instead, the InNetworkFallback trace fires and the report's `fallback` says why.
 */
class Communicator : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    Communicator();
    ~Communicator() override;

    /// Called when an operation has completed.
    typedef Callback<void, const CollectiveReport&> DoneCallback;

    /**
     * \brief Make the communicator a group of a fabric's GPUs.
     * \param topology the fabric
     * \param ranks the topology ranks of communicator ranks 0, 1, ... (distinct)
     */
    void Setup(Ptr<FabricTopology> topology, const std::vector<uint32_t>& ranks);

    /**
     * \param members communicator ranks of this communicator
     * \return a communicator of those ranks, in that order, with this one's attributes
     */
    Ptr<Communicator> Split(const std::vector<uint32_t>& members) const;

    /** \return the number of ranks */
    uint32_t GetSize() const;

    /**
     * \return "" if every server of the communicator holds an NVLS multicast object, else why
     * not ("nvls unsupported: ..." where the hardware has no NVLS)
     */
    std::string GetNvlsStatus() const;

    /** \return "" if the communicator holds its SHARP groups, else why not */
    std::string GetSharpStatus() const;

    /**
     * \return for a packet-level operation that has not finished, which ranks wait on what
     * (PacketExecutor::DescribeUnfinished()); empty when none runs
     */
    std::string DescribeUnfinished() const;

    /**
     * \brief Run the next operations distributed over ns-3's MPI engine (after Setup): this
     * process simulates its own ranks (PacketExecutor::SetDistributedRelay). After
     * Simulator::Run, call FinishDistributed() on every process: the done callback then gets
     * the whole operation's timing; its link usage (`links`) covers this process's ports only.
     * \param relay the processes' relay (MpiDistributedRelay)
     */
    void SetDistributedRelay(Ptr<DistributedRelay> relay);

    /**
     * \brief End the running operation of a distributed run: combine the processes' timings
     * and call its done callback (PacketExecutor::FinishDistributed).
     */
    void FinishDistributed();

    /** \return the packet executor (after Setup) */
    Ptr<PacketExecutor> GetPacketExecutor() const;
    /** \return the topology rank of each communicator rank */
    const std::vector<uint32_t>& GetRanks() const;
    /** \return the server of each communicator rank */
    RankLayout GetLayout() const;

    /**
     * \return the channels its operations use: the Channels attribute, or when that is 0 the
     * count NCCL opens on this platform (CollectiveTuner::GetDefaultChannels, from the GPUs'
     * generation, NVLink links, servers and HCAs)
     */
    uint32_t GetChannels() const;

    /**
     * \brief Choose the algorithm and protocol of an operation and build its schedule.
     * \param op the operation
     * \param bytes its size S as nccl-tests counts it
     * \param root broadcast, reduce, send/recv: the root
     * \param peer send/recv: the receiver
     * \param protocol set to the chosen protocol
     * \param fallback if given, set to "" or why an in-network algorithm gave way to a host one
     * \return the schedule
     */
    CollectiveSchedule Plan(CollectiveOp op,
                            uint64_t bytes,
                            uint32_t root,
                            uint32_t peer,
                            CollectiveProtocol& protocol,
                            std::string* fallback = nullptr) const;

    /**
     * \brief Cost an operation with the analytical backend only (no simulation).
     * \param op the operation
     * \param bytes its size
     * \param root the root
     * \param peer send/recv: the receiver
     * \return the report, packetTime zero
     */
    CollectiveReport Estimate(CollectiveOp op,
                              uint64_t bytes,
                              uint32_t root = 0,
                              uint32_t peer = 1) const;

    /**
     * \brief Run an operation packet by packet, starting now; the report also holds the
     * analytical estimate of the same schedule.
     * \param op the operation
     * \param bytes its size
     * \param done called at completion
     * \param root the root
     * \param peer send/recv: the receiver
     */
    void Start(CollectiveOp op,
               uint64_t bytes,
               DoneCallback done,
               uint32_t root = 0,
               uint32_t peer = 1);

    /** \param bytes buffer size \param done completion */
    void AllReduce(uint64_t bytes, DoneCallback done);
    /** \param bytes output size (n shards) \param done completion */
    void ReduceScatter(uint64_t bytes, DoneCallback done);
    /** \param bytes output size (n shards) \param done completion */
    void AllGather(uint64_t bytes, DoneCallback done);
    /** \param bytes buffer size \param root sender \param done completion */
    void Broadcast(uint64_t bytes, uint32_t root, DoneCallback done);
    /** \param bytes buffer size \param root receiver \param done completion */
    void Reduce(uint64_t bytes, uint32_t root, DoneCallback done);
    /** \param bytes each rank's send buffer \param done completion */
    void AllToAll(uint64_t bytes, DoneCallback done);
    /** \param bytes message \param src sender \param dst receiver \param done completion */
    void SendRecv(uint64_t bytes, uint32_t src, uint32_t dst, DoneCallback done);

    /**
     * TracedCallback signature for completed collectives.
     * \param report what ran and how long it took
     */
    typedef void (*ReportTracedCallback)(const CollectiveReport& report);

    /**
     * TracedCallback signature for in-network fallbacks.
     * \param reason what was wanted, why it was unavailable, and what ran instead
     */
    typedef void (*FallbackTracedCallback)(const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    /**
     * \param name an algorithm name
     * \return a new algorithm of that name with this communicator's Channels and ChunkSize
     */
    Ptr<CollectiveAlgorithm> MakeAlgorithm(const std::string& name) const;

    /** \param run the packet-level run of the pending operation */
    void Finish(const CollectiveRunResult& run);

    /** \brief Ask for NVLS multicast objects and SHARP groups (see the class). */
    void AcquireInNetwork();

    /** \brief Give the in-network resources back. */
    void ReleaseInNetwork();

    /**
     * \param schedule a schedule
     * \param why set to "" or the first of its groups that has no hardware, and why
     * \return the hardware of each of its in-network groups
     */
    std::vector<InNetworkBinding> BindGroups(const CollectiveSchedule& schedule,
                                             std::string& why) const;

    /** \return the in-network latency and base latency both backends add, per NCCL */
    Time GetBaseLatency(const CollectiveSchedule& schedule, CollectiveProtocol protocol) const;

    /// An in-network group the communicator holds.
    struct InNetworkGroup
    {
        std::vector<uint32_t> members; //!< communicator ranks
        InNetworkBinding binding;      //!< its hardware and endpoints
        NvlsGroupInfo nvls;            //!< NVLS: the multicast object
        SharpGroupInfo sharp;          //!< SHARP: the group
    };

    Ptr<FabricTopology> m_topology; //!< the fabric
    std::vector<uint32_t> m_ranks;  //!< communicator rank -> topology rank
    std::string m_algorithm;        //!< Algorithm attribute
    std::string m_protocol;         //!< Protocol attribute
    uint32_t m_channels;            //!< Channels attribute (0: NCCL's count)
    uint32_t m_defaultChannels{1};  //!< NCCL's count on this platform
    CollectiveTuner::GpuGeneration m_generation{CollectiveTuner::HOPPER}; //!< GPUs' generation
    uint64_t m_chunkSize;                                                 //!< ChunkSize attribute
    uint32_t m_slotsPerConnection;                //!< SlotsPerConnection attribute
    DataRate m_reductionRate;                     //!< ReductionRate attribute
    bool m_protocolLatency;                       //!< ProtocolLatency attribute
    Ptr<PacketExecutor> m_executor;               //!< packet-level backend
    Ptr<AnalyticalBackend> m_analytical;          //!< analytical backend
    bool m_measureLinks;                          //!< MeasureLinks attribute
    std::unique_ptr<FabricLinkUsage> m_linkUsage; //!< link counters of the running operation
    CollectiveReport m_pending;                   //!< the operation running, its analytical half
    DoneCallback m_pendingDone;                   //!< its caller's callback

    TracedCallback<const CollectiveReport&> m_completeTrace; //!< CollectiveComplete
    TracedCallback<const std::string&> m_fallbackTrace;      //!< InNetworkFallback
    bool m_nvls;                                             //!< Nvls attribute
    bool m_collNet;                                          //!< CollNet attribute
    uint32_t m_nvlsChannels;                                 //!< NvlsChannels attribute
    uint64_t m_nvlsChunkSize;                                //!< NvlsChunkSize attribute
    std::vector<InNetworkGroup> m_inNetwork;                 //!< held groups
    std::string m_nvlsStatus{"not asked for"};               //!< "" or why no NVLS
    std::string m_sharpStatus{"not asked for"};              //!< "" or why no SHARP
    bool m_nvlsHardware{false};                              //!< the switches can do NVLS
    bool m_sharpHardware{false};                             //!< the switches can do SHARP
};

} // namespace ns3

#endif /* COMMUNICATOR_H */
