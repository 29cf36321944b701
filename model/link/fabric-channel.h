/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_CHANNEL_H
#define FABRIC_CHANNEL_H

#include "ns3/channel.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

namespace ns3
{

class FabricNetDevice;

/**
 * \ingroup ai-fabric
 * \brief A full-duplex point-to-point cable between two fabric ports.
 *
 * Each direction carries data packets from one end and the flow-control packets of the other
 * end's receiver. The channel holds the propagation delay; the sending device schedules the
 * arrival at the receiver (in the receiver's context) from it, so a hop costs one event.
 */
class FabricChannel : public Channel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricChannel();
    ~FabricChannel() override;

    /**
     * \brief Attach a port to one end of the cable.
     * \param device the port; at most two per channel
     */
    void Attach(Ptr<FabricNetDevice> device);

    /**
     * \param device one end
     * \return the other end, or nullptr while it is not attached
     */
    Ptr<FabricNetDevice> GetPeer(Ptr<const FabricNetDevice> device) const;

    /** \return the one-way propagation delay */
    Time GetDelay() const;

    /**
     * \brief Take the cable down or bring it up (a fault, a repair). Down, neither end sends;
     * packets on the wire are lost; a switch port discards what waits for it. Up, both ends
     * resume with their credit state intact (link bring-up exchanges fresh FCPs; here credits
     * were kept exact throughout, which comes to the same). Fires LinkState.
     * \param up the new state
     */
    void SetLinkUp(bool up);

    /** \return false while the cable is down */
    bool IsLinkUp() const;

    /** \return when the cable last went down or up (zero if never) */
    Time GetLastStateChange() const;

    /** \return the bit-error rate (BitErrorRate attribute) */
    double GetBitErrorRate() const;

    /**
     * \brief Set the bit-error rate at run time (as the BitErrorRate attribute).
     * \param ber errored bits per bit, in [0, 1)
     */
    void SetBitErrorRate(double ber);

    /**
     * \brief Draw whether a packet of the given size arrives corrupted: its ICRC/VCRC fails,
     * with probability 1 - (1 - BitErrorRate)^(8 bytes).
     * \param bytes its size on the wire
     * \return true if corrupted
     */
    bool DrawCorrupted(uint32_t bytes);

    /**
     * \brief Use fixed random streams for the bit errors.
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * TracedCallback signature for link state changes.
     * \param up the new state
     */
    typedef void (*LinkStateTracedCallback)(bool up);

    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    Time m_delay;                          //!< one-way propagation delay
    double m_ber{0.0};                     //!< bit-error rate
    bool m_up{true};                       //!< cable state
    Time m_lastChange;                     //!< when m_up last changed
    Ptr<UniformRandomVariable> m_errorRng; //!< bit-error draws
    TracedCallback<bool> m_linkStateTrace; //!< LinkState
    Ptr<FabricNetDevice> m_ends[2];        //!< the two ports
    std::size_t m_nEnds{0};                //!< ports attached so far
};

} // namespace ns3

#endif /* FABRIC_CHANNEL_H */
