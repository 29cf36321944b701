/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IB_SWITCH_H
#define IB_SWITCH_H

#include "ns3/fabric-switch.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief An InfiniBand switch: IbNetDevice ports, a linear forwarding table indexed by DLID,
 * input buffers per port and VL, a crossbar with output arbitration.
 *
 * The forwarding table is what a subnet manager programs (IbSubnetManager). The default
 * PortToPortLatency is the reported Quantum-2 figure of about 330 ns ([unverified] in the
 * fact sheet §4.2, which also cites "< 400 ns"); set it for the switch you study.
 *
 * Adaptive routing (AdaptiveRouting, AdaptiveRoutingSlMask): besides the static LFT entry, a
 * destination may have an AR group of ports (the subnet manager's "TREE" groups: every
 * minimum-hop port); a packet on an AR-enabled SL leaves by the group's port with the fewest
 * bytes queued for it. Congestion control (CongestionControl): a packet that joins an egress
 * queue (port and VL) at or above QueueThreshold bytes, while that port has credits, gets the
 * FECN bit of its BTH set, one in every MarkingRate + 1 (IBTA Annex A10's Switch Port
 * Congestion Setting, as publicly described: Threshold, Marking_Rate). See doc/congestion.md.
 */
class IbSwitch : public FabricSwitch
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IbSwitch();
    ~IbSwitch() override;

    std::string DescribeAddress(uint16_t dst) const override;

    /** \param sharp whether the switch has a SHARP aggregation node */
    void SetSharp(bool sharp);

    /** \return whether the switch has a SHARP aggregation node */
    bool IsSharpCapable() const;

    /** \param on route every SL adaptively (true), or only the SLs of the SL mask (false) */
    void SetAdaptiveRouting(bool on);

    /** \return whether every SL routes adaptively */
    bool IsAdaptiveRouting() const;

  protected:
    bool MarkCongestion(FabricFrame& frame) override;

  private:
    bool m_sharp{true}; //!< Sharp attribute
};

} // namespace ns3

#endif /* IB_SWITCH_H */
