/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "fabric-remote-header.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricRemoteHeader");

NS_OBJECT_ENSURE_REGISTERED(FabricRemoteHeader);

TypeId
FabricRemoteHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FabricRemoteHeader")
                            .SetParent<Header>()
                            .SetGroupName("AiFabric")
                            .AddConstructor<FabricRemoteHeader>();
    return tid;
}

TypeId
FabricRemoteHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
FabricRemoteHeader::GetSerializedSize() const
{
    return 1 + 1 + 1 + 2 + 4 + 8 + 8;
}

void
FabricRemoteHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(kind);
    start.WriteU8(vl);
    start.WriteU8(sl);
    start.WriteHtonU16(dst);
    start.WriteHtonU32(bytes);
    start.WriteHtonU64(static_cast<uint64_t>(time.GetTimeStep()));
    start.WriteHtonU64(limit);
}

uint32_t
FabricRemoteHeader::Deserialize(Buffer::Iterator start)
{
    kind = static_cast<Kind>(start.ReadU8());
    vl = start.ReadU8();
    sl = start.ReadU8();
    dst = start.ReadNtohU16();
    bytes = start.ReadNtohU32();
    time = TimeStep(static_cast<int64_t>(start.ReadNtohU64()));
    limit = start.ReadNtohU64();
    return GetSerializedSize();
}

void
FabricRemoteHeader::Print(std::ostream& os) const
{
    if (kind == FLOW_CONTROL)
    {
        os << "FCP vl=" << +vl << " limit=" << limit << " arrival=" << time.As(Time::NS);
        return;
    }
    os << "data vl=" << +vl << " sl=" << +sl << " dst=" << dst << " bytes=" << bytes
       << " txTime=" << time.As(Time::NS);
}

} // namespace ns3
