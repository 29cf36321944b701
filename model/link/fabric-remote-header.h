/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_REMOTE_HEADER_H
#define FABRIC_REMOTE_HEADER_H

#include "ns3/header.h"
#include "ns3/nstime.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief What a port tells the far end of its cable when that end runs in another simulator
 * process (ns-3's MPI engine) or behind a FabricLoopbackLink: the frame's link-layer facts that
 * travel beside the packet inside one process, or a flow-control packet's credit limit.
 *
 * Never on the modelled wire: FabricRemoteLink pushes it before the packet is serialised and
 * the receiving port pops it before it handles the frame, so wire sizes, traces and counters
 * do not see it. 25 bytes.
 */
class FabricRemoteHeader : public Header
{
  public:
    /// What the message carries.
    enum Kind : uint8_t
    {
        DATA = 0,         //!< a packet: FabricNetDevice::Receive at the far end
        FLOW_CONTROL = 1, //!< an FCP: FabricNetDevice::ReceiveFlowControl at the far end
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    Kind kind{DATA};   //!< data or flow control
    uint8_t vl{0};     //!< the VL it crossed the cable on (data) or refers to (FCP)
    uint8_t sl{0};     //!< data: the packet's service level
    uint16_t dst{0};   //!< data: the destination address
    uint32_t bytes{0}; //!< data: the packet's wire size
    Time time;         //!< data: its serialisation time; FCP: arrival of its last bit
    uint64_t limit{0}; //!< FCP: the credit limit (FCCL) it carries
};

} // namespace ns3

#endif /* FABRIC_REMOTE_HEADER_H */
