/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MEMORY_POOL_H
#define MEMORY_POOL_H

#include "ns3/data-rate.h"
#include "ns3/fabric-topology.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief A memory pool on the fabric (ASTRA-sim 2.0's disaggregated memory; a CXL memory
 * appliance): capacity, a memory bandwidth its ports share, and an access latency.
 *
 * The pool is a node of the topology (a node kind with a `memory` section) whose ports are
 * fabric endpoints with HCAs, so that loads and stores cross the real links, switches and
 * transport. This object models what lies behind the ports: the memory devices serve accesses
 * one after another at Bandwidth (first come, first served, reads and writes alike), and each
 * access completes Latency after the devices have served it. An access therefore ends when
 * both its transfer over the fabric and its service here are done.
 *
 * Capacity is checked when state is placed in the pool (Allocate): more than fits is a
 * FabricConfigError naming the pool, never a silent overflow.
 */
class MemoryPool : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    MemoryPool();
    ~MemoryPool() override;

    /** \param name the pool's name in errors and reports */
    void SetName(const std::string& name);
    /** \return the pool's name */
    const std::string& GetName() const;

    /** \return the memory bandwidth */
    DataRate GetBandwidth() const;
    /** \return the access latency */
    Time GetLatency() const;
    /** \return the capacity in bytes */
    uint64_t GetCapacity() const;

    /**
     * \brief Place `bytes` of state in the pool for `owner` (replacing what it had).
     * \param owner who holds it ("job 0 worker 3 experts")
     * \param bytes how much
     */
    void Allocate(const std::string& owner, uint64_t bytes);
    /** \param owner an owner \brief release its bytes */
    void Free(const std::string& owner);
    /** \return the bytes allocated */
    uint64_t GetAllocated() const;

    /**
     * \brief Serve an access of `bytes` that reaches the devices now.
     * \param write a store (else a load)
     * \param bytes its size
     * \return how long from now until it has been served and its latency has passed
     */
    Time Access(bool write, uint64_t bytes);

    /** \return bytes loaded from the pool */
    uint64_t GetBytesRead() const;
    /** \return bytes stored into the pool */
    uint64_t GetBytesWritten() const;
    /** \return the total time the devices were busy */
    Time GetBusyTime() const;

    /**
     * \param topology a topology
     * \param rank one of its ranks
     * \return the pool whose port that rank is (nullptr if it is not a memory endpoint)
     */
    static Ptr<MemoryPool> Find(Ptr<FabricTopology> topology, uint32_t rank);

    /**
     * TracedCallback signature for accesses.
     * \param [in] write a store
     * \param [in] bytes its size
     * \param [in] start when the devices began serving it
     * \param [in] end when it was served (before the latency)
     */
    typedef void (*AccessTracedCallback)(bool write, uint64_t bytes, Time start, Time end);

  private:
    std::string m_name{"pool"};                               //!< name
    DataRate m_bandwidth;                                     //!< memory bandwidth
    Time m_latency;                                           //!< access latency
    uint64_t m_capacity{0};                                   //!< bytes
    std::map<std::string, uint64_t> m_owners;                 //!< allocations
    uint64_t m_allocated{0};                                  //!< their sum
    Time m_busyUntil;                                         //!< when the devices are free
    Time m_busy;                                              //!< total service time
    uint64_t m_read{0};                                       //!< bytes loaded
    uint64_t m_written{0};                                    //!< bytes stored
    TracedCallback<bool, uint64_t, Time, Time> m_accessTrace; //!< every access
};

} // namespace ns3

#endif /* MEMORY_POOL_H */
