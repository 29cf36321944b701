/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PACKET_EXECUTOR_H
#define PACKET_EXECUTOR_H

#include "collective-schedule.h"
#include "connection-slots.h"
#include "distributed-relay.h"

#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/fabric-topology.h"
#include "ns3/in-network-endpoint.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/rdma-queue-pair.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What running a schedule gave: when it started and ended, and when each transfer did.
 */
struct CollectiveRunResult
{
    Time start;                      //!< when the schedule started
    Time end;                        //!< when its last transfer completed
    std::vector<Time> transferStart; //!< per transfer: when it was posted
    std::vector<Time> transferEnd;   //!< per transfer: when it completed

    /** \return end - start */
    Time GetDuration() const
    {
        return end - start;
    }
};

/**
 * \ingroup ai-fabric
 * \brief How the packet level runs one in-network group of a schedule: the granted NVLS
 * multicast object or SHARP group, and each member's endpoint.
 */
struct InNetworkBinding
{
    /// Which hardware does the group's work.
    enum Kind
    {
        NONE,  //!< not bound: the schedule cannot run
        NVLS,  //!< an NVLS multicast object on the members' NVSwitch chips
        SHARP, //!< a SHARP group on the InfiniBand switches
    };

    Kind kind{NONE};                             //!< the hardware
    uint16_t group{0};                           //!< multicast object or SHARP group id
    std::vector<Ptr<InNetworkEndpoint>> members; //!< per member (schedule group order)
    uint64_t operationBytes{0};                  //!< SHARP: the largest operation (buffer/OST)
};

/**
 * \ingroup ai-fabric
 * \brief The packet-level backend: runs a CollectiveSchedule over the RDMA transport.
 *
 * Every transfer becomes an RDMA WRITE with immediate data (the transfer's index) on a
 * reliable-connected queue pair between its two ranks, one pair per channel, made on first use
 * on the port the topology says their traffic takes (NVLink within a server, the HCA across
 * servers). A transfer is posted once its dependencies have completed and, after that, the
 * protocol's per-step latency; it completes when its last packet has arrived at the receiver,
 * plus the time to reduce it when it reduces (ReductionRate). Protocol payload efficiency
 * inflates the bytes on the wire (LL sends twice the data).
 *
 * A transfer with a relay (`via`, NCCL's PXN) goes in pieces of RelayChunkSize to the relay
 * over NVLink, and the relay writes each piece on to the receiver over its HCA once it has
 * arrived; the transfer completes when the last piece reaches the receiver.
 *
 * In-network transfers run on the hardware the schedule's groups are bound to (Run's
 * `bindings`, one per CollectiveSchedule::groups entry): a LOAD_REDUCE is the rank's NVLS
 * load-reduce of the chunk and completes when the reduced bytes are back; a MULTICAST is its
 * NVLS store and completes when every other member has received every byte; a GROUP_REDUCE
 * is every member's SHARP all-reduce of the chunk, in operations of at most the group's buffer
 * per OST, and completes when every member has the whole result. They pay no per-step latency
 * (NCCL charges NVLS and CollNet latencies once per operation: the caller's base latency).
 */
class PacketExecutor : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PacketExecutor();
    ~PacketExecutor() override;

    /// Called when a schedule has run.
    typedef Callback<void, const CollectiveRunResult&> DoneCallback;

    /**
     * \brief Bind to a fabric and a communicator's ranks.
     * \param topology the fabric
     * \param ranks topology rank of each communicator rank
     */
    void Setup(Ptr<FabricTopology> topology, const std::vector<uint32_t>& ranks);

    /**
     * \brief Start running a schedule now.
     * \param schedule the schedule (copied)
     * \param efficiency the protocol's payload efficiency (0-1]: wire bytes = bytes / it
     * \param baseLatency the protocol's latency before the first transfers (NCCL's base)
     * \param intraStepLatency the protocol's latency before each transfer over NVLink ports
     * \param interStepLatency the same for a transfer over the network (NCCL's NET row)
     * \param done called when every transfer has completed
     * \param bindings the hardware of each of the schedule's in-network groups
     */
    void Run(const CollectiveSchedule& schedule,
             double efficiency,
             Time baseLatency,
             Time intraStepLatency,
             Time interStepLatency,
             DoneCallback done,
             const std::vector<InNetworkBinding>& bindings = {});

    /**
     * \brief Run(const CollectiveSchedule&, ...) without copying the schedule, which a
     * planner that has no further use for it hands over (a million transfers are 100 MiB).
     * \param schedule the schedule (moved from)
     * \param efficiency the protocol's payload efficiency (0-1]
     * \param baseLatency the protocol's latency before the first transfers
     * \param intraStepLatency the latency before each transfer over NVLink ports
     * \param interStepLatency the same over the network
     * \param done called when every transfer has completed
     * \param bindings the hardware of each of the schedule's in-network groups
     */
    void Run(CollectiveSchedule&& schedule,
             double efficiency,
             Time baseLatency,
             Time intraStepLatency,
             Time interStepLatency,
             DoneCallback done,
             const std::vector<InNetworkBinding>& bindings = {});

    /** \return true while a schedule runs */
    bool IsRunning() const;

    /**
     * \brief Run the next schedules distributed (ns-3's MPI engine, the fabric partitioned by
     * FabricPartitionHelper): this process posts only the transfers its ranks send and
     * completes only those they receive; completions other processes need go through the
     * relay. Point-to-point transfers only (no in-network groups; a PXN relay on its sender's
     * process). Set before Run; nullptr returns to a sequential run.
     *
     * A completion that crosses processes is known there one lookahead later. A dependent
     * transfer still starts when it would have, if its step latency covers that delay; one
     * that could not (no step latency, or a slot that a waiting transfer needed freed late)
     * starts late and is counted (GetLateCompletions): then the run is no longer identical to
     * the sequential one.
     * \param relay the processes' relay
     */
    void SetDistributedRelay(Ptr<DistributedRelay> relay);

    /**
     * \brief After Simulator::Run, on every process of a distributed run: combine what each
     * process measured (every transfer's start and end, the schedule's end) and call the done
     * callback with the whole result, on every process. Throws FabricConfigError if some
     * transfer did not complete.
     */
    void FinishDistributed();

    /**
     * \return in a distributed run, cross-process completions that came too late to start a
     * transfer when the sequential run would have (all processes, after FinishDistributed)
     */
    uint64_t GetLateCompletions() const;

    /**
     * \brief Which ranks wait on what, for a schedule that cannot finish (the simulation ran
     * out of events, or was stopped by a fault or a deadlock): per rank, the transfers it
     * has posted that have not arrived, and those still waiting for others.
     * \return the report, one line per rank (at most 16 ranks); empty when nothing runs
     */
    std::string DescribeUnfinished() const;

    /**
     * TracedCallback signature for completed transfers.
     * \param index the transfer's index in the schedule
     * \param start when it was posted
     * \param end when it completed
     */
    typedef void (*TransferTracedCallback)(uint32_t index, Time start, Time end);

  protected:
    void DoDispose() override;

  private:
    /**
     * \param src sending communicator rank
     * \param dst receiving communicator rank
     * \param channel the channel
     * \param lane the connection within the channel
     * \return the sender's queue pair to the receiver, connected on first use
     */
    Ptr<RdmaQueuePair> GetQueuePair(uint32_t src, uint32_t dst, uint32_t channel, uint32_t lane);

    /** \param index a transfer whose step latency has passed: post it when its slot frees */
    void Post(uint32_t index);
    /** \param index a transfer its connection's slots let go: hand it to its queue pair */
    void Send(uint32_t index);
    /**
     * \brief A transfer's dependencies are done: post it after its step latency.
     * \param index the transfer
     * \param since when the last dependency completed (now, unless another process's)
     */
    void Ready(uint32_t index, Time since);

    /**
     * \param index a transfer
     * \return true if this process posts it (always, unless distributed)
     */
    bool IsOwned(uint32_t index) const
    {
        return !m_relay || m_rankSystem[m_schedule.transfers[index].src] == m_system;
    }

    /**
     * \brief Another process's notice: one of its ranks received a transfer that this process
     * waits on, or consumed a piece this process sent (its receive slot is free).
     * \param notice the transfer's index, with SLOT_FREED set for a freed slot
     * \param when when it happened
     */
    void OnRemoteCompletion(uint32_t notice, Time when);
    /** \brief Tell the senders' processes of the slots that freed here for them. */
    void SendRemoteFrees();
    /**
     * \brief A message arrived at a receiver.
     * \param qp the receiver's queue pair
     * \param completion what arrived (immediate = transfer index)
     */
    void OnReceived(Ptr<RdmaQueuePair> qp, const RdmaCompletion& completion);
    /** \param index a transfer whose data (and reduction) is done */
    void Complete(uint32_t index);
    /** \param index the same, in a distributed run: go on here, tell the processes concerned */
    void CompleteDistributed(uint32_t index);

    /** \param index an in-network transfer its slot lets go: start it on its hardware */
    void StartInNetwork(uint32_t index);

    /**
     * \brief A member's NVLS load-reduce or SHARP operation completed.
     * \param kind the InNetworkBinding kind
     * \param group the hardware group
     * \param sequence the operation
     */
    void OnInNetworkOperation(uint32_t kind, uint16_t group, uint32_t sequence);

    /**
     * \brief A multicast packet reached a member.
     * \param group the multicast object
     * \param sequence the store's number
     * \param bytes its data bytes
     */
    void OnStoreData(uint16_t group, uint32_t sequence, uint32_t bytes);
    /**
     * \param t a relayed transfer
     * \return the pieces its relay forwards (RelayChunkSize each, the last smaller)
     */
    uint32_t GetRelayParts(const CollectiveTransfer& t) const;
    /**
     * \param t a relayed transfer
     * \param part a piece
     * \return that piece's wire bytes (after protocol efficiency)
     */
    uint64_t RelayPartWireBytes(const CollectiveTransfer& t, uint32_t part) const;

    Ptr<FabricTopology> m_topology;                         //!< the fabric
    std::vector<uint32_t> m_ranks;                          //!< communicator rank -> topology rank
    DataRate m_reductionRate;                               //!< GPU reduction throughput, 0 = free
    uint32_t m_slotsPerConnection;                          //!< NCCL_STEPS, 0 = unlimited
    uint64_t m_relayChunkSize;                              //!< PXN forwarding piece, 0 = all
    std::unordered_map<uint64_t, Ptr<RdmaQueuePair>> m_qps; //!< (src, dst, channel, lane) -> QP
    std::vector<Ptr<RdmaQueuePair>> m_receivers;            //!< receiver-side QPs, kept alive

    CollectiveSchedule m_schedule;          //!< the schedule running
    double m_efficiency{1.0};               //!< protocol payload efficiency
    Time m_intraLatency;                    //!< protocol per-step latency, one server
    Time m_interLatency;                    //!< protocol per-step latency, across servers
    std::vector<uint32_t> m_waiting;        //!< per transfer: dependencies not yet done
    std::vector<uint32_t> m_partsLeft;      //!< per transfer: pieces yet to arrive
    std::vector<uint32_t> m_relayed;        //!< per relayed transfer: pieces forwarded
    std::vector<uint32_t> m_firstDependent; //!< per transfer: its first in m_dependents
    std::vector<uint32_t> m_dependents; //!< who waits for each transfer, transfer after transfer
    uint32_t m_completed{0};            //!< transfers done
    uint32_t m_inFlight{0};             //!< posted, not yet complete
    uint32_t m_pendingPosts{0};         //!< in their step latency
    std::unique_ptr<ConnectionSlots> m_slots; //!< flow control of the running schedule
    std::vector<InNetworkBinding> m_bindings; //!< hardware of the in-network groups
    /// ((kind << 16) | group, sequence) of a running in-network operation -> its transfer
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> m_inNetworkOps;
    std::vector<uint64_t> m_storeBytesLeft;      //!< per multicast: bytes still to arrive
    std::map<uint32_t, uint32_t> m_nextSequence; //!< per (kind << 16) | group: next operation
    bool m_running{false};                       //!< a schedule runs
    CollectiveRunResult m_result;                //!< what is being measured
    DoneCallback m_done;                         //!< the caller's callback
    Ptr<DistributedRelay> m_relay;               //!< the other processes, if distributed
    uint32_t m_system{0};                        //!< this process, if distributed
    std::vector<uint32_t> m_rankSystem;          //!< per communicator rank: its process
    uint64_t m_late{0};                          //!< completions that arrived too late

    TracedCallback<uint32_t, Time, Time> m_transferTrace; //!< TransferComplete
};

} // namespace ns3

#endif /* PACKET_EXECUTOR_H */
