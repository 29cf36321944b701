/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLS_GROUP_MANAGER_H
#define NVLS_GROUP_MANAGER_H

#include "nvls-engine.h"

#include "ns3/fabric-net-device.h"
#include "ns3/nv-switch.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief An NVLS multicast object as NvlsGroupManager granted it (or refused it).
 */
struct NvlsGroupInfo
{
    std::string refused;                  //!< "" if granted, else why not
    bool hardware{true};                  //!< false if refused because the chips lack NVLS
    uint16_t group{0};                    //!< the multicast object's id
    std::vector<uint16_t> gpus;           //!< members' NVLink ids, member order
    std::vector<Ptr<NvlsEngine>> engines; //!< the engine of every chip the members reach
    /// Per member: its NVLink links (each reaches one chip of `engines`).
    std::vector<std::vector<Ptr<FabricNetDevice>>> links;

    /** \return true if granted */
    bool IsGranted() const
    {
        return refused.empty();
    }
};

/**
 * \ingroup ai-fabric
 * \brief Hands out NVLS multicast objects: binds a set of GPUs of one NVLink domain to a
 * multicast object on every NVSwitch chip their links reach, as cuMulticastCreate and
 * cuMulticastBindMem do for NCCL (fact sheet §8.5).
 *
 * The engine (NvlsEngine) of a chip is installed the first time a group uses it. A request is
 * refused with the reason, and the GroupRefused trace fires, when a chip cannot do NVLS (the
 * NvSwitch's Nvls attribute: A100's second-generation NVSwitch cannot), when the members do not
 * all reach the same chips, or when a chip's multicast objects are exhausted; the caller then
 * falls back to a host algorithm.
 */
class NvlsGroupManager : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NvlsGroupManager();
    ~NvlsGroupManager() override;

    /**
     * \brief Bind a multicast object to GPUs.
     * \param ports each member GPU's scale-up port (one of its NVLink links), member order
     * \return the group, or why not
     */
    NvlsGroupInfo CreateGroup(const std::vector<Ptr<FabricNetDevice>>& ports);

    /**
     * \brief Free a granted group on every chip.
     * \param group the group
     */
    void ReleaseGroup(const NvlsGroupInfo& group);

    /**
     * \param sw an NVSwitch chip
     * \return its NVLS engine, installed now if it has none
     */
    static Ptr<NvlsEngine> GetEngine(Ptr<NvSwitch> sw);

  private:
    uint16_t m_next{1}; //!< next multicast object id

    TracedCallback<const std::string&> m_refusedTrace; //!< GroupRefused
};

} // namespace ns3

#endif /* NVLS_GROUP_MANAGER_H */
