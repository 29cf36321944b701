/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_MPI_LINK_H
#define FABRIC_MPI_LINK_H

#include "fabric-remote-link.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief The remote path of a cable whose far end another MPI process simulates: each message
 * goes by MpiInterface::SendPacket to the far end's node and device, whose MpiReceiver hands
 * it to FabricNetDevice::ReceiveRemote (FabricPartitionHelper::InstallMpi sets both up).
 * Built only with ns-3's mpi module.
 */
class FabricMpiLink : public FabricRemoteLink
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricMpiLink();
    ~FabricMpiLink() override;

    void Send(Ptr<Packet> message, Time rxTime) override;
};

} // namespace ns3

#endif /* FABRIC_MPI_LINK_H */
