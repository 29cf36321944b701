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

/**
 * \ingroup ai-fabric
 * \brief Where a value came from: a file, line and column (1-based; 0 when built in code).
 */
struct SourceLocation
{
    std::string file; //!< file name, empty when built in code
    int line{0};      //!< line, 1-based
    int column{0};    //!< column, 1-based

    /** \return "file:line:column", or "(code)" */
    std::string ToString() const;
};

/**
 * \ingroup ai-fabric
 * \brief A FabricConfigError from a file: the file, line and field at fault
 * ("gpt.yaml:12:7: field 'parallelism.tp': ..."). TopologyError and WorkloadError are its
 * kinds.
 */
class FabricFileError : public FabricConfigError
{
  public:
    /**
     * \param where the file position
     * \param field the field at fault, as a path ("parallelism.tp")
     * \param what what is wrong with it
     */
    FabricFileError(const SourceLocation& where, const std::string& field, const std::string& what);
    ~FabricFileError() override;

    /** \return the file, empty when the object was built in code */
    const std::string& GetFile() const;
    /** \return the line, 1-based (0 when built in code) */
    int GetLine() const;
    /** \return the field at fault */
    const std::string& GetField() const;
    /** \return what is wrong, without the location and field */
    const std::string& GetProblem() const;

  private:
    SourceLocation m_location; //!< where
    std::string m_field;       //!< which field
    std::string m_problem;     //!< what is wrong
};

} // namespace ns3

#endif /* FABRIC_CONFIG_ERROR_H */
