/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_TRAFFIC_SINK_H
#define FABRIC_TRAFFIC_SINK_H

#include "ns3/application.h"
#include "ns3/ib-bth-header.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <map>

namespace ns3
{

class NetDevice;
class Packet;
class Address;

/**
 * \ingroup ai-fabric
 * \brief Receives packets at an endpoint and keeps per-source statistics.
 *
 * Takes the receive callback of every fabric port of its node. Counts, per source address,
 * packets, payload bytes (BTH, RETH and pad excluded), messages completed (LAST or ONLY
 * opcodes), and the times of the first and last arrival, from which a flow's throughput
 * follows.
 */
class FabricTrafficSink : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricTrafficSink();
    ~FabricTrafficSink() override;

    /// What arrived from one source.
    struct FlowStats
    {
        uint64_t packets{0};      //!< packets
        uint64_t payloadBytes{0}; //!< payload bytes
        uint64_t messages{0};     //!< messages whose last packet arrived
        Time firstRx;             //!< first arrival
        Time lastRx;              //!< last arrival
    };

    /** \return statistics per source address */
    const std::map<uint16_t, FlowStats>& GetFlows() const;

    /** \return payload bytes received from all sources */
    uint64_t GetTotalPayloadBytes() const;

    /**
     * TracedCallback signature for received packets.
     * \param packet the packet, BTH on top
     * \param slid its source address
     */
    typedef void (*RxTracedCallback)(Ptr<const Packet> packet, uint16_t slid);

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * \brief The port's receive callback.
     * \param device the port
     * \param packet the packet
     * \param protocol upper-layer protocol number
     * \param from source address
     * \return true
     */
    bool Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from);

    std::map<uint16_t, FlowStats> m_flows; //!< per source LID
    uint64_t m_totalPayload{0};            //!< all payload bytes
    IbBthHeader m_bth; //!< the last packet's BTH (kept: cheaper than one per packet)
    TracedCallback<Ptr<const Packet>, uint16_t> m_rxTrace; //!< Rx
};

} // namespace ns3

#endif /* FABRIC_TRAFFIC_SINK_H */
