/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_LOOPBACK_LINK_H
#define FABRIC_LOOPBACK_LINK_H

#include "fabric-remote-link.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The remote path of a cable inside one process: each message is serialised to bytes
 * and rebuilt from them (Packet::Serialize, as ns-3's MPI engine does) and handed to the far
 * end at its receive time, in the far end's context.
 *
 * It lets a sequential run take exactly the path a partitioned run's boundary cables take
 * (FabricPartitionHelper::InstallLoopback), so tests can check, without MPI, that the path
 * changes no counter and no completion time.
 */
class FabricLoopbackLink : public FabricRemoteLink
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricLoopbackLink();
    ~FabricLoopbackLink() override;

    void Send(Ptr<Packet> message, Time rxTime) override;

    /** \return bytes serialised so far (what MPI would have sent) */
    uint64_t GetSerializedBytes() const;

  private:
    uint64_t m_serializedBytes{0}; //!< bytes serialised so far
};

} // namespace ns3

#endif /* FABRIC_LOOPBACK_LINK_H */
