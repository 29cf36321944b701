/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef NVLS_ENGINE_H
#define NVLS_ENGINE_H

#include "in-network-engine.h"

#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup ai-fabric
 * \brief NVLS (NVLink SHARP) on one NVSwitch chip: multicast objects, multimem load-reduce and
 * multimem store, packet by packet (fact sheet §8.5).
 *
 * A multicast object (group) binds a set of GPUs; the chip holds at most MaxGroups at once.
 * - A LOAD_REDUCE from a GPU (multimem.ld_reduce over `length` bytes at an offset) makes the
 *   engine send a READ to every member GPU, the requester included; each member answers with
 *   READ_DATA carrying its copy; when all have arrived the engine reduces them and,
 *   AggregationLatency later, returns REDUCED with the sum to the requester.
 * - A STORE from a GPU (multimem.st) is copied to every member, the sender included, as
 *   STORE_DATA.
 * Requests carry no data of their own: a READ or LOAD_REDUCE packet's size on the wire stands
 * for the read requests of the NVLink packets it asks for (RequestBytes each), so that the
 * request traffic loads the links as real reads do. The packets carry a SharpContributionTag,
 * merged at each reduction, for the tests' exactly-once check.
 *
 * NVLS exists on third-generation NVSwitch (NVLink 4, H100) and later: NvlsGroupManager refuses
 * older boards.
 */
class NvlsEngine : public InNetworkEngine
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NvlsEngine();
    ~NvlsEngine() override;

    /**
     * \param group a multicast object id
     * \return "" if the chip can hold one more multicast object, else why not
     */
    std::string CheckReservation(uint16_t group) const;

    /**
     * \brief Bind a multicast object to its GPUs.
     * \param group its id (unique on the board)
     * \param members the GPUs' NVLink ids, member order (bit i of contribution masks: member i)
     */
    void Reserve(uint16_t group, const std::vector<uint16_t>& members);

    /**
     * \brief Free a multicast object (its operations must be done).
     * \param group the group
     */
    void Release(uint16_t group);

    /** \return multicast objects bound now */
    uint32_t GetNGroups() const;

    /** \return the most the chip holds (MaxGroups) */
    uint32_t GetMaxGroups() const;

    /** \return reductions done (one per load-reduce request) */
    uint64_t GetReductions() const;

    /** \return wire data bytes of the requests for `length` bytes (RequestBytes per packet) */
    uint32_t GetRequestBytes(uint32_t length) const;

  protected:
    void CreateInternalLink(Ptr<FabricNetDevice>& engineSide,
                            Ptr<FabricNetDevice>& switchSide,
                            Ptr<FabricChannel>& channel) override;
    void SetDeviceAddress(Ptr<FabricNetDevice> device, uint16_t address) override;
    void HandlePacket(const SharpHeader& header,
                      const SharpContributionTag& tag,
                      uint16_t from) override;

  private:
    /// A load-reduce waiting for its members' data.
    struct Pending
    {
        uint32_t arrived{0}; //!< members' answers so far
        uint32_t count{0};   //!< contributions reduced
        uint64_t mask{0};    //!< which members
    };

    /// (group, sequence, offset) of a load-reduce.
    struct Key
    {
        uint16_t group;    //!< multicast object
        uint32_t sequence; //!< operation
        uint32_t offset;   //!< offset

        /** \param o another key \return equality */
        bool operator==(const Key& o) const
        {
            return group == o.group && sequence == o.sequence && offset == o.offset;
        }
    };

    /// Hash of a Key.
    struct KeyHash
    {
        /** \param k a key \return its hash */
        size_t operator()(const Key& k) const
        {
            return std::hash<uint64_t>()((static_cast<uint64_t>(k.group) << 48) ^
                                         (static_cast<uint64_t>(k.sequence) << 20) ^ k.offset);
        }
    };

    /**
     * \param group a group id
     * \return its members; throws FabricConfigError if the engine does not hold it
     */
    const std::vector<uint16_t>& Members(uint16_t group) const;

    uint32_t m_maxGroups;                                //!< MaxGroups attribute
    uint32_t m_requestBytes;                             //!< RequestBytes attribute
    uint32_t m_packetPayload;                            //!< NVLink data bytes per packet
    std::map<uint16_t, std::vector<uint16_t>> m_groups;  //!< bound multicast objects
    std::unordered_map<Key, Pending, KeyHash> m_pending; //!< load-reduces in progress
    uint64_t m_reductions{0};                            //!< reductions done
    TracedCallback<uint16_t, uint32_t, uint32_t, uint32_t> m_reductionTrace; //!< Reduction
};

} // namespace ns3

#endif /* NVLS_ENGINE_H */
