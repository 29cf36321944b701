/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NV_SWITCH_H
#define NV_SWITCH_H

#include "ns3/fabric-switch.h"

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief An NVSwitch chip: NvlinkNetDevice ports, forwarding by destination GPU id.
 *
 * A GPU is usually cabled to a chip by several links; its route then holds all of them and the
 * chip sprays packets over them, one each in turn. NVSwitch hop latency is not public (fact
 * sheet §8.6): the default PortToPortLatency of 100 ns is an assumption.
 */
class NvSwitch : public FabricSwitch
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NvSwitch();
    ~NvSwitch() override;

    std::string DescribeAddress(uint16_t dst) const override;

    /** \param nvls whether the chip does NVLS (multicast and in-switch reduction) */
    void SetNvls(bool nvls);

    /** \return whether the chip does NVLS */
    bool IsNvlsCapable() const;

  private:
    bool m_nvls{false}; //!< Nvls attribute
};

} // namespace ns3

#endif /* NV_SWITCH_H */
