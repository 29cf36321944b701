/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef FABRIC_CONFIG_ERROR_H
#define FABRIC_CONFIG_ERROR_H

#include <stdexcept>
#include <string>

/**
 * \defgroup ai-fabric AI training fabrics
 *
 * Packet-level models of the fabrics that train large neural networks: InfiniBand and
 * NVLink devices, switches with credit-based flow control, and what is built on them.
 */

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A configuration or input error the user can fix: it names what is wrong and where.
 *
 * Thrown instead of aborting so that scripts and tests can catch it; the shipped programs
 * print its message and exit with status 1.
 */
class FabricConfigError : public std::runtime_error
{
  public:
    /**
     * \brief Build the error.
     * \param where the object, file or field at fault (e.g. "IbNetDevice node 3 port 1")
     * \param what what is wrong with it
     */
    FabricConfigError(const std::string& where, const std::string& what);
    ~FabricConfigError() override;

    /** \return the object, file or field at fault */
    const std::string& GetWhere() const;

  private:
    std::string m_where; //!< the object, file or field at fault
};

} // namespace ns3

#endif /* FABRIC_CONFIG_ERROR_H */
