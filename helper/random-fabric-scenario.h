/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RANDOM_FABRIC_SCENARIO_H
#define RANDOM_FABRIC_SCENARIO_H

#include "ns3/fabric-topology.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rdma-queue-pair.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What the conservation checks of one RandomFabricScenario found.
 *
 * Three properties, each checked on every queue pair or port of the scenario:
 * - delivery: every byte posted reached the other end exactly once and in order (the
 *   responder's in-order byte count grows by at most one path MTU at a time and ends at the
 *   bytes posted; its messages complete in sequence 0, 1, 2... with the posted sizes; the
 *   requester saw every message acknowledged, nothing left in flight, and, the fabric being
 *   lossless, no NAK and no packet resent);
 * - credits: on every port and data VL, the credits left once all flow-control packets have
 *   arrived equal those at the start, which equal the peer's whole input buffer;
 * - buffers: no packet left in any input buffer, transmit queue, switch egress queue or
 *   switch buffer.
 */
struct ConservationResult
{
    uint64_t seed{0};               //!< the scenario's seed
    bool finished{false};           //!< the simulation ran out of events before its limit
    uint64_t messages{0};           //!< messages posted
    uint64_t bytes{0};              //!< bytes posted
    uint64_t deliveryChecks{0};     //!< queue pairs whose delivery checked out
    uint64_t creditChecks{0};       //!< port VLs whose credits checked out
    uint64_t bufferChecks{0};       //!< ports (and switches) found empty
    uint64_t creditStalls{0};       //!< port VLs that waited for credits (how hard it pushed)
    uint64_t reordered{0};          //!< packets that arrived early and waited for order
    uint64_t retransmitted{0};      //!< packets sent again (a lossless run needs none)
    std::vector<std::string> fails; //!< one line per failed check
    std::string description;        //!< what was drawn (RandomFabricScenario::Describe())
    std::string error;              //!< what Build() or Run() threw, if anything

    /** \return true if every check passed */
    bool Passed() const
    {
        return finished && fails.empty() && error.empty();
    }
};

/**
 * \ingroup ai-fabric
 * \brief Totals over a sweep of scenarios (the property test's shards, the bench's sweep).
 */
struct ConservationTotals
{
    uint64_t scenarios{0};     //!< scenarios run
    uint64_t passed{0};        //!< scenarios whose every check passed
    uint64_t messages{0};      //!< messages posted
    uint64_t bytes{0};         //!< bytes posted
    uint64_t delivery{0};      //!< queue pairs whose delivery checked out
    uint64_t credits{0};       //!< port VLs whose credits checked out
    uint64_t buffers{0};       //!< ports (and switches) found empty
    uint64_t stalled{0};       //!< scenarios that waited for credits somewhere
    uint64_t reordered{0};     //!< packets that arrived early and waited for order
    uint64_t retransmitted{0}; //!< packets sent again

    /** \param r one scenario's result, added to the totals */
    void Add(const ConservationResult& r);
};

/**
 * \ingroup ai-fabric
 * \brief A small random lossless scenario built from a seed, and the conservation checks
 * that must hold at its end.
 *
 * From the seed, through one UniformRandomVariable on stream `seed` (so the scenario is a
 * function of the seed and of ns-3's RngSeed/RngRun, by default 1 and 1):
 * - a topology from TopologyHelper's generators: a two-level InfiniBand fat-tree of 1-GPU
 *   hosts (adaptive routing on or off), a ring or a 2-D torus of GPU routers (datelines, VL 1
 *   after the wrap-around link), a switch block (NVSwitch-like), a fully-connected block, or a
 *   ring of switch blocks; NVLink or InfiniBand links, random rates and delays;
 * - port and switch attributes: Mtu, RxBufferSize (one to four of the largest packets),
 *   TxQueueSize, virtual output queues or FIFO inputs, and on fat-trees NumDataVls (1-4; the
 *   dimension builder fixes 1, or 2 with rings) and congestion control (FECN threshold);
 * - traffic: a few queue pairs between random GPU pairs (RdmaHelper; one scenario in four an
 *   incast to one GPU), on random service levels where the VLs allow it, random initial PSNs (some
 * near the 24-bit wrap), each with a few SENDs and RDMA WRITEs of up to a few KiB, with or without
 * immediate data, posted at random times in both directions.
 *
 * Use: construct, Build(), Run(), then Simulator::Destroy(). Describe() says what was built,
 * for reproducing a failure.
 */
class RandomFabricScenario
{
  public:
    /**
     * \param seed the scenario's seed
     * \param maxMessageBytes the largest message size drawn
     */
    explicit RandomFabricScenario(uint64_t seed, uint64_t maxMessageBytes = 8192);

    /**
     * \brief Draw and build the topology and the traffic (posted in simulator events).
     * Sets and then resets Config defaults (Config::Reset()), which also resets RngRun.
     */
    void Build();

    /**
     * \brief Run the simulation until no event is left (or the limit) and check conservation.
     * \param limit simulated time after which the run counts as stuck
     * \return what the checks found
     */
    ConservationResult Run(Time limit = MilliSeconds(10));

    /**
     * \brief Build, run and check one scenario, then Simulator::Destroy().
     * What Build() or Run() throws is caught into the result's error: a sweep goes on.
     * \param seed the scenario's seed
     * \param maxMessageBytes the largest message size drawn
     * \param limit simulated time after which the run counts as stuck
     * \return what the checks found, with the scenario's description
     */
    static ConservationResult RunOnce(uint64_t seed,
                                      uint64_t maxMessageBytes = 8192,
                                      Time limit = MilliSeconds(10));

    /** \return a one-line description of what Build() drew */
    std::string Describe() const;

    /** \return the fabric (after Build()) */
    Ptr<FabricTopology> GetTopology() const;

  private:
    /// A queue pair's end and what was posted on it.
    struct Flow
    {
        uint32_t src{0};                 //!< requester rank
        uint32_t dst{0};                 //!< responder rank
        Ptr<RdmaQueuePair> requester;    //!< posts
        Ptr<RdmaQueuePair> responder;    //!< receives
        std::vector<uint64_t> sizes;     //!< message sizes, in posting order
        uint64_t nextSequence{0};        //!< next message the responder must complete
        uint64_t lastRxBytes{0};         //!< responder's in-order bytes last seen
        uint64_t maxStep{0};             //!< largest step of the in-order byte count
        bool regressed{false};           //!< the in-order byte count went backwards
        std::vector<std::string> errors; //!< delivery errors seen by the callbacks
    };

    /**
     * \param n number of choices
     * \return a draw in [0, n)
     */
    uint32_t Draw(uint32_t n);

    /** \brief Draw the topology and the defaults, and build the fabric. */
    void BuildTopology();

    /** \brief Draw the queue pairs and their messages. */
    void BuildTraffic();

    /** \brief Record every port's credits (run at time 0, after the ports' setup). */
    void SnapshotCredits();

    /**
     * \param flow the flow
     * \param qp the responder
     * \param completion the responder's completion
     */
    void OnReceive(Flow* flow, Ptr<RdmaQueuePair> qp, const RdmaCompletion& completion);

    /**
     * \param flow the flow
     * \param oldValue the responder's in-order bytes before
     * \param newValue after
     */
    void OnRxBytes(Flow* flow, uint64_t oldValue, uint64_t newValue);

    uint64_t m_seed;                  //!< the seed
    uint64_t m_maxMessageBytes;       //!< largest message
    Ptr<UniformRandomVariable> m_rng; //!< every draw
    Ptr<FabricTopology> m_topology;   //!< the fabric
    std::string m_description;        //!< what was drawn
    std::vector<Flow> m_flows;        //!< one per direction of each connection
    std::vector<uint64_t> m_credits0; //!< credits per port VL at time 0
    bool m_snapshotTaken{false};      //!< SnapshotCredits() ran
    uint32_t m_sls{1};                //!< service levels the traffic may use
    uint32_t m_mtu{4096};             //!< the ports' Mtu
    bool m_congestionControl{false};  //!< IB congestion control (switches and QPs)
    uint64_t m_messages{0};           //!< messages posted
    uint64_t m_bytes{0};              //!< bytes posted
};

} // namespace ns3

#endif /* RANDOM_FABRIC_SCENARIO_H */
