/*
 * Copyright (c) 2026 ai-fabric authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Round-trip, byte-layout and size tests for the InfiniBand headers, the ICRC/VCRC trailer and
// the ERF record header.

#include "ns3/ib-aeth-header.h"
#include "ns3/ib-bth-header.h"
#include "ns3/ib-crc-trailer.h"
#include "ns3/ib-erf-header.h"
#include "ns3/ib-grh-header.h"
#include "ns3/ib-lrh-header.h"
#include "ns3/ib-reth-header.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * \brief Copy a packet's bytes.
 * \param p the packet
 * \return its bytes
 */
std::vector<uint8_t>
PacketBytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), static_cast<uint32_t>(bytes.size()));
    return bytes;
}

/**
 * \brief Serialize one header into an otherwise empty packet and return its bytes.
 * \param h the header
 * \return the serialized bytes
 */
std::vector<uint8_t>
HeaderBytes(const Header& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    return PacketBytes(p);
}

/**
 * \brief Serialize a header into a packet and deserialize it again.
 * \tparam T the header class
 * \param h the header
 * \return the deserialized copy
 */
template <typename T>
T
RoundTrip(const T& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    EXPECT_EQ(p->GetSize(), h.GetSerializedSize());
    T out;
    EXPECT_EQ(p->RemoveHeader(out), h.GetSerializedSize());
    EXPECT_EQ(p->GetSize(), 0U);
    return out;
}

/**
 * \brief Print an object to a string.
 * \param h the header or trailer
 * \return what Print writes
 */
template <typename T>
std::string
Printed(const T& h)
{
    std::ostringstream oss;
    h.Print(oss);
    return oss.str();
}

/**
 * \brief Make a packet from raw bytes.
 * \param bytes the bytes
 * \return the packet
 */
Ptr<Packet>
FromBytes(const std::vector<uint8_t>& bytes)
{
    return Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()));
}

} // namespace

TEST(IbHeaderTest, SerializedSizesMatchFactSheet)
{
    EXPECT_EQ(IbLrhHeader().GetSerializedSize(), 8U);
    EXPECT_EQ(IbGrhHeader().GetSerializedSize(), 40U);
    EXPECT_EQ(IbBthHeader().GetSerializedSize(), 12U);
    EXPECT_EQ(IbRethHeader().GetSerializedSize(), 16U);
    EXPECT_EQ(IbAethHeader().GetSerializedSize(), 4U);
    EXPECT_EQ(IbCrcTrailer().GetSerializedSize(), 6U);
    EXPECT_EQ(IbErfHeader().GetSerializedSize(), 16U);

    EXPECT_EQ(IbLrhHeader::SIZE, 8U);
    EXPECT_EQ(IbGrhHeader::SIZE, 40U);
    EXPECT_EQ(IbBthHeader::SIZE, 12U);
    EXPECT_EQ(IbRethHeader::SIZE, 16U);
    EXPECT_EQ(IbAethHeader::SIZE, 4U);
    EXPECT_EQ(IbCrcTrailer::SIZE, 6U);
    EXPECT_EQ(IbErfHeader::SIZE, 16U);

    EXPECT_EQ(HeaderBytes(IbLrhHeader()).size(), 8U);
    EXPECT_EQ(HeaderBytes(IbGrhHeader()).size(), 40U);
    EXPECT_EQ(HeaderBytes(IbBthHeader()).size(), 12U);
    EXPECT_EQ(HeaderBytes(IbRethHeader()).size(), 16U);
    EXPECT_EQ(HeaderBytes(IbAethHeader()).size(), 4U);
    EXPECT_EQ(HeaderBytes(IbErfHeader()).size(), 16U);
}

TEST(IbHeaderTest, TypeIds)
{
    EXPECT_EQ(IbLrhHeader::GetTypeId().GetName(), "ns3::IbLrhHeader");
    EXPECT_EQ(IbGrhHeader::GetTypeId().GetName(), "ns3::IbGrhHeader");
    EXPECT_EQ(IbBthHeader::GetTypeId().GetName(), "ns3::IbBthHeader");
    EXPECT_EQ(IbRethHeader::GetTypeId().GetName(), "ns3::IbRethHeader");
    EXPECT_EQ(IbAethHeader::GetTypeId().GetName(), "ns3::IbAethHeader");
    EXPECT_EQ(IbCrcTrailer::GetTypeId().GetName(), "ns3::IbCrcTrailer");
    EXPECT_EQ(IbErfHeader::GetTypeId().GetName(), "ns3::IbErfHeader");
    EXPECT_EQ(IbLrhHeader::GetTypeId().GetParent(), Header::GetTypeId());
    EXPECT_EQ(IbCrcTrailer::GetTypeId().GetParent(), Trailer::GetTypeId());
    EXPECT_EQ(IbBthHeader::GetTypeId().GetGroupName(), "AiFabric");
    EXPECT_EQ(IbBthHeader().GetInstanceTypeId(), IbBthHeader::GetTypeId());
    EXPECT_EQ(TypeId::LookupByName("ns3::IbErfHeader"), IbErfHeader::GetTypeId());
    EXPECT_TRUE(IbAethHeader::GetTypeId().HasConstructor());
}

TEST(IbHeaderTest, LrhDefaults)
{
    IbLrhHeader h;
    EXPECT_EQ(h.GetVl(), 0);
    EXPECT_EQ(h.GetLver(), 0);
    EXPECT_EQ(h.GetSl(), 0);
    EXPECT_EQ(h.GetLnh(), IbLrhHeader::IBA_LOCAL);
    EXPECT_EQ(h.GetDlid(), 0);
    EXPECT_EQ(h.GetPktLen(), 0);
    EXPECT_EQ(h.GetSlid(), 0);
}

TEST(IbHeaderTest, LrhRoundTripAllVlsSlsAndLnhs)
{
    const IbLrhHeader::Lnh lnhs[] = {IbLrhHeader::RAW,
                                     IbLrhHeader::IP_NON_IBA,
                                     IbLrhHeader::IBA_LOCAL,
                                     IbLrhHeader::IBA_GLOBAL};
    for (uint8_t vl = 0; vl < 16; ++vl)
    {
        for (uint8_t sl = 0; sl < 16; ++sl)
        {
            for (IbLrhHeader::Lnh lnh : lnhs)
            {
                IbLrhHeader h;
                h.SetVl(vl);
                h.SetLver(static_cast<uint8_t>(15 - vl));
                h.SetSl(sl);
                h.SetLnh(lnh);
                h.SetDlid(static_cast<uint16_t>(0xFFFF - sl));
                h.SetPktLen(static_cast<uint16_t>(vl * 128 + sl));
                h.SetSlid(static_cast<uint16_t>(vl << 8 | sl));
                IbLrhHeader out = RoundTrip(h);
                ASSERT_EQ(out.GetVl(), vl);
                ASSERT_EQ(out.GetLver(), 15 - vl);
                ASSERT_EQ(out.GetSl(), sl);
                ASSERT_EQ(out.GetLnh(), lnh);
                ASSERT_EQ(out.GetDlid(), 0xFFFF - sl);
                ASSERT_EQ(out.GetPktLen(), vl * 128 + sl);
                ASSERT_EQ(out.GetSlid(), vl << 8 | sl);
            }
        }
    }
}

TEST(IbHeaderTest, LrhBoundaryValues)
{
    for (uint16_t lid : {uint16_t(0),
                         uint16_t(1),
                         uint16_t(0xBFFF),
                         uint16_t(0xC000),
                         uint16_t(0xFFFE),
                         uint16_t(0xFFFF)})
    {
        for (uint16_t words : {uint16_t(0), uint16_t(1), uint16_t(1030), uint16_t(2047)})
        {
            IbLrhHeader h;
            h.SetVl(15);
            h.SetLver(15);
            h.SetSl(15);
            h.SetLnh(IbLrhHeader::IBA_GLOBAL);
            h.SetDlid(lid);
            h.SetSlid(static_cast<uint16_t>(~lid));
            h.SetPktLen(words);
            IbLrhHeader out = RoundTrip(h);
            EXPECT_EQ(out.GetDlid(), lid);
            EXPECT_EQ(out.GetSlid(), static_cast<uint16_t>(~lid));
            EXPECT_EQ(out.GetPktLen(), words);
            EXPECT_EQ(out.GetPacketLengthBytes(), 4U * words);
            EXPECT_EQ(out.GetVl(), 15);
            EXPECT_EQ(out.GetLver(), 15);
            EXPECT_EQ(out.GetSl(), 15);
            EXPECT_EQ(out.GetLnh(), IbLrhHeader::IBA_GLOBAL);
        }
    }
}

TEST(IbHeaderTest, LrhPacketLengthBytes)
{
    IbLrhHeader h;
    h.SetPacketLengthBytes(8188);
    EXPECT_EQ(h.GetPktLen(), 2047);
    EXPECT_EQ(h.GetPacketLengthBytes(), 8188U);
    h.SetPacketLengthBytes(4120); // 4096 B payload + LRH 8 + BTH 12 + ICRC 4
    EXPECT_EQ(h.GetPktLen(), 1030);
    EXPECT_EQ(RoundTrip(h).GetPacketLengthBytes(), 4120U);
    h.SetPacketLengthBytes(0);
    EXPECT_EQ(h.GetPktLen(), 0);
    EXPECT_EQ(IbLrhHeader::MAX_PACKET_BYTES, 8188U);
}

TEST(IbHeaderTest, LrhByteLayout)
{
    IbLrhHeader h;
    h.SetVl(0xA);
    h.SetLver(0x5);
    h.SetSl(0xC);
    h.SetLnh(IbLrhHeader::IBA_LOCAL);
    h.SetDlid(0x1234);
    h.SetPktLen(0x7FF);
    h.SetSlid(0xBEEF);
    const std::vector<uint8_t> expected = {0xA5, 0xC2, 0x12, 0x34, 0x07, 0xFF, 0xBE, 0xEF};
    EXPECT_EQ(HeaderBytes(h), expected);

    IbLrhHeader g;
    g.SetVl(15);
    g.SetSl(0);
    g.SetLnh(IbLrhHeader::IBA_GLOBAL);
    g.SetDlid(0x0001);
    g.SetPacketLengthBytes(4120);
    g.SetSlid(0x0002);
    const std::vector<uint8_t> expected2 = {0xF0, 0x03, 0x00, 0x01, 0x04, 0x06, 0x00, 0x02};
    EXPECT_EQ(HeaderBytes(g), expected2);
}

TEST(IbHeaderTest, LrhReservedBitsIgnoredOnReception)
{
    // Byte 1 bits 3:2 and bytes 4-5 bits 15:11 are reserved.
    Ptr<Packet> p = FromBytes({0x12, 0x3E, 0xAB, 0xCD, 0xF8, 0x05, 0x00, 0x07});
    IbLrhHeader h;
    EXPECT_EQ(p->RemoveHeader(h), 8U);
    EXPECT_EQ(h.GetVl(), 1);
    EXPECT_EQ(h.GetLver(), 2);
    EXPECT_EQ(h.GetSl(), 3);
    EXPECT_EQ(h.GetLnh(), IbLrhHeader::IBA_LOCAL);
    EXPECT_EQ(h.GetDlid(), 0xABCD);
    EXPECT_EQ(h.GetPktLen(), 5);
    EXPECT_EQ(h.GetSlid(), 7);
    // Written back with the reserved bits cleared.
    const std::vector<uint8_t> expected = {0x12, 0x32, 0xAB, 0xCD, 0x00, 0x05, 0x00, 0x07};
    EXPECT_EQ(HeaderBytes(h), expected);
}

TEST(IbHeaderTest, GrhDefaults)
{
    IbGrhHeader h;
    EXPECT_EQ(h.GetIpVer(), 6);
    EXPECT_EQ(h.GetNxtHdr(), 0x1B);
    EXPECT_EQ(h.GetTClass(), 0);
    EXPECT_EQ(h.GetFlowLabel(), 0U);
    EXPECT_EQ(h.GetPayLen(), 0);
    EXPECT_EQ(h.GetSgid(), IbGrhHeader::Gid{});
    EXPECT_EQ(h.GetDgid(), IbGrhHeader::Gid{});
}

TEST(IbHeaderTest, GrhRoundTripAndLayout)
{
    IbGrhHeader::Gid sgid;
    IbGrhHeader::Gid dgid;
    for (uint8_t k = 0; k < 16; ++k)
    {
        sgid[k] = static_cast<uint8_t>(0xF0 | k);
        dgid[k] = static_cast<uint8_t>(k * 17);
    }
    IbGrhHeader h;
    h.SetIpVer(6);
    h.SetTClass(0xA5);
    h.SetFlowLabel(0xFFFFF);
    h.SetPayLen(0xBEEF);
    h.SetNxtHdr(0x1B);
    h.SetHopLmt(0x40);
    h.SetSgid(sgid);
    h.SetDgid(dgid);

    IbGrhHeader out = RoundTrip(h);
    EXPECT_EQ(out.GetIpVer(), 6);
    EXPECT_EQ(out.GetTClass(), 0xA5);
    EXPECT_EQ(out.GetFlowLabel(), 0xFFFFFU);
    EXPECT_EQ(out.GetPayLen(), 0xBEEF);
    EXPECT_EQ(out.GetNxtHdr(), 0x1B);
    EXPECT_EQ(out.GetHopLmt(), 0x40);
    EXPECT_EQ(out.GetSgid(), sgid);
    EXPECT_EQ(out.GetDgid(), dgid);

    std::vector<uint8_t> expected = {0x6A, 0x5F, 0xFF, 0xFF, 0xBE, 0xEF, 0x1B, 0x40};
    expected.insert(expected.end(), sgid.begin(), sgid.end());
    expected.insert(expected.end(), dgid.begin(), dgid.end());
    EXPECT_EQ(HeaderBytes(h), expected);

    // Field boundaries inside the first word.
    IbGrhHeader g;
    g.SetIpVer(15);
    g.SetTClass(0);
    g.SetFlowLabel(0);
    std::vector<uint8_t> bytes = HeaderBytes(g);
    EXPECT_EQ(bytes[0], 0xF0);
    EXPECT_EQ(bytes[1], 0x00);
    g.SetIpVer(0);
    g.SetTClass(0xFF);
    bytes = HeaderBytes(g);
    EXPECT_EQ(bytes[0], 0x0F);
    EXPECT_EQ(bytes[1], 0xF0);
    EXPECT_EQ(RoundTrip(g).GetTClass(), 0xFF);
    EXPECT_EQ(RoundTrip(g).GetIpVer(), 0);
    EXPECT_EQ(RoundTrip(g).GetFlowLabel(), 0U);
}

TEST(IbHeaderTest, BthDefaults)
{
    IbBthHeader h;
    EXPECT_EQ(h.GetPKey(), 0xFFFF);
    EXPECT_FALSE(h.GetSe());
    EXPECT_FALSE(h.GetM());
    EXPECT_EQ(h.GetPadCnt(), 0);
    EXPECT_EQ(h.GetTVer(), 0);
    EXPECT_FALSE(h.GetFecn());
    EXPECT_FALSE(h.GetBecn());
    EXPECT_EQ(h.GetDestQp(), 0U);
    EXPECT_FALSE(h.GetAckReq());
    EXPECT_EQ(h.GetPsn(), 0U);
}

TEST(IbHeaderTest, BthRoundTripEveryFieldAndBoundary)
{
    for (uint32_t bits = 0; bits < 32; ++bits)
    {
        for (uint8_t padCnt = 0; padCnt < 4; ++padCnt)
        {
            for (uint32_t value : {0U, 1U, 0x7FFFFFU, 0x800000U, 0xFFFFFEU, 0xFFFFFFU})
            {
                IbBthHeader h;
                h.SetOpcode(static_cast<uint8_t>(bits * 8 + padCnt));
                h.SetSe(bits & 1);
                h.SetM(bits & 2);
                h.SetFecn(bits & 4);
                h.SetBecn(bits & 8);
                h.SetAckReq(bits & 16);
                h.SetPadCnt(padCnt);
                h.SetTVer(static_cast<uint8_t>(bits & 0xF));
                h.SetPKey(static_cast<uint16_t>(value));
                h.SetDestQp(value);
                h.SetPsn(IbBthHeader::MAX_PSN - value);
                IbBthHeader out = RoundTrip(h);
                ASSERT_EQ(out.GetOpcode(), bits * 8 + padCnt);
                ASSERT_EQ(out.GetSe(), (bits & 1) != 0);
                ASSERT_EQ(out.GetM(), (bits & 2) != 0);
                ASSERT_EQ(out.GetFecn(), (bits & 4) != 0);
                ASSERT_EQ(out.GetBecn(), (bits & 8) != 0);
                ASSERT_EQ(out.GetAckReq(), (bits & 16) != 0);
                ASSERT_EQ(out.GetPadCnt(), padCnt);
                ASSERT_EQ(out.GetTVer(), bits & 0xF);
                ASSERT_EQ(out.GetPKey(), static_cast<uint16_t>(value));
                ASSERT_EQ(out.GetDestQp(), value);
                ASSERT_EQ(out.GetPsn(), IbBthHeader::MAX_PSN - value);
            }
        }
    }
    for (uint16_t op = 0; op < 256; ++op)
    {
        IbBthHeader h;
        h.SetOpcode(static_cast<uint8_t>(op));
        ASSERT_EQ(RoundTrip(h).GetOpcode(), op);
    }
    IbBthHeader h;
    h.SetOpcode(IbOpcode::UD_SEND_ONLY_WITH_IMMEDIATE);
    EXPECT_EQ(h.GetOpcode(), 0x65);
}

TEST(IbHeaderTest, BthByteLayout)
{
    IbBthHeader h;
    h.SetOpcode(IbOpcode::RC_RDMA_WRITE_ONLY);
    h.SetSe(true);
    h.SetM(false);
    h.SetPadCnt(3);
    h.SetTVer(0);
    h.SetPKey(0xFFFF);
    h.SetFecn(true);
    h.SetBecn(false);
    h.SetDestQp(0xABCDEF);
    h.SetAckReq(true);
    h.SetPsn(0xFFFFFF);
    const std::vector<uint8_t> expected =
        {0x0A, 0xB0, 0xFF, 0xFF, 0x80, 0xAB, 0xCD, 0xEF, 0x80, 0xFF, 0xFF, 0xFF};
    EXPECT_EQ(HeaderBytes(h), expected);

    IbBthHeader g;
    g.SetOpcode(IbOpcode::RC_ACKNOWLEDGE);
    g.SetM(true);
    g.SetTVer(0xF);
    g.SetPKey(0x8001);
    g.SetBecn(true);
    g.SetDestQp(0x000001);
    g.SetPsn(0x123456);
    const std::vector<uint8_t> expected2 =
        {0x11, 0x4F, 0x80, 0x01, 0x40, 0x00, 0x00, 0x01, 0x00, 0x12, 0x34, 0x56};
    EXPECT_EQ(HeaderBytes(g), expected2);
}

TEST(IbHeaderTest, BthReservedBitsIgnoredOnReception)
{
    Ptr<Packet> p =
        FromBytes({0x04, 0x00, 0x12, 0x34, 0x3F, 0x00, 0x00, 0x05, 0x7F, 0x00, 0x00, 0x09});
    IbBthHeader h;
    EXPECT_EQ(p->RemoveHeader(h), 12U);
    EXPECT_FALSE(h.GetFecn());
    EXPECT_FALSE(h.GetBecn());
    EXPECT_FALSE(h.GetAckReq());
    EXPECT_EQ(h.GetDestQp(), 5U);
    EXPECT_EQ(h.GetPsn(), 9U);
    EXPECT_EQ(h.GetPKey(), 0x1234);
}

TEST(IbHeaderTest, OpcodeValues)
{
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_SEND_FIRST), 0x00);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE), 0x0B);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_RDMA_READ_REQUEST), 0x0C);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_RDMA_READ_RESPONSE_ONLY), 0x10);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_ACKNOWLEDGE), 0x11);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_ATOMIC_ACKNOWLEDGE), 0x12);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_COMPARE_SWAP), 0x13);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_FETCH_ADD), 0x14);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_SEND_LAST_WITH_INVALIDATE), 0x16);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::RC_SEND_ONLY_WITH_INVALIDATE), 0x17);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::UC_SEND_FIRST), 0x20);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::UC_RDMA_WRITE_ONLY_WITH_IMMEDIATE), 0x2B);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::UD_SEND_ONLY), 0x64);
    EXPECT_EQ(static_cast<uint8_t>(IbOpcode::UD_SEND_ONLY_WITH_IMMEDIATE), 0x65);
}

TEST(IbHeaderTest, OpcodeHelpersFollowFactSheet)
{
    struct Row
    {
        IbOpcode op;
        const char* name;
        bool reth;
        bool aeth;
        bool imm;
        bool payload;
    };

    const Row rows[] = {
        {IbOpcode::RC_SEND_FIRST, "RC_SEND_FIRST", false, false, false, true},
        {IbOpcode::RC_SEND_MIDDLE, "RC_SEND_MIDDLE", false, false, false, true},
        {IbOpcode::RC_SEND_LAST, "RC_SEND_LAST", false, false, false, true},
        {IbOpcode::RC_SEND_LAST_WITH_IMMEDIATE,
         "RC_SEND_LAST_WITH_IMMEDIATE",
         false,
         false,
         true,
         true},
        {IbOpcode::RC_SEND_ONLY, "RC_SEND_ONLY", false, false, false, true},
        {IbOpcode::RC_SEND_ONLY_WITH_IMMEDIATE,
         "RC_SEND_ONLY_WITH_IMMEDIATE",
         false,
         false,
         true,
         true},
        {IbOpcode::RC_RDMA_WRITE_FIRST, "RC_RDMA_WRITE_FIRST", true, false, false, true},
        {IbOpcode::RC_RDMA_WRITE_MIDDLE, "RC_RDMA_WRITE_MIDDLE", false, false, false, true},
        {IbOpcode::RC_RDMA_WRITE_LAST, "RC_RDMA_WRITE_LAST", false, false, false, true},
        {IbOpcode::RC_RDMA_WRITE_LAST_WITH_IMMEDIATE,
         "RC_RDMA_WRITE_LAST_WITH_IMMEDIATE",
         false,
         false,
         true,
         true},
        {IbOpcode::RC_RDMA_WRITE_ONLY, "RC_RDMA_WRITE_ONLY", true, false, false, true},
        {IbOpcode::RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE,
         "RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE",
         true,
         false,
         true,
         true},
        {IbOpcode::RC_RDMA_READ_REQUEST, "RC_RDMA_READ_REQUEST", true, false, false, false},
        {IbOpcode::RC_RDMA_READ_RESPONSE_FIRST,
         "RC_RDMA_READ_RESPONSE_FIRST",
         false,
         true,
         false,
         true},
        {IbOpcode::RC_RDMA_READ_RESPONSE_MIDDLE,
         "RC_RDMA_READ_RESPONSE_MIDDLE",
         false,
         false,
         false,
         true},
        {IbOpcode::RC_RDMA_READ_RESPONSE_LAST,
         "RC_RDMA_READ_RESPONSE_LAST",
         false,
         true,
         false,
         true},
        {IbOpcode::RC_RDMA_READ_RESPONSE_ONLY,
         "RC_RDMA_READ_RESPONSE_ONLY",
         false,
         true,
         false,
         true},
        {IbOpcode::RC_ACKNOWLEDGE, "RC_ACKNOWLEDGE", false, true, false, false},
        {IbOpcode::RC_ATOMIC_ACKNOWLEDGE, "RC_ATOMIC_ACKNOWLEDGE", false, true, false, false},
        {IbOpcode::RC_COMPARE_SWAP, "RC_COMPARE_SWAP", false, false, false, false},
        {IbOpcode::RC_FETCH_ADD, "RC_FETCH_ADD", false, false, false, false},
        {IbOpcode::RC_SEND_LAST_WITH_INVALIDATE,
         "RC_SEND_LAST_WITH_INVALIDATE",
         false,
         false,
         false,
         true},
        {IbOpcode::RC_SEND_ONLY_WITH_INVALIDATE,
         "RC_SEND_ONLY_WITH_INVALIDATE",
         false,
         false,
         false,
         true},
        {IbOpcode::RC_FLUSH, "RC_FLUSH", true, false, false, false},
        {IbOpcode::RC_ATOMIC_WRITE, "RC_ATOMIC_WRITE", true, false, false, true},
        {IbOpcode::UC_SEND_FIRST, "UC_SEND_FIRST", false, false, false, true},
        {IbOpcode::UC_SEND_MIDDLE, "UC_SEND_MIDDLE", false, false, false, true},
        {IbOpcode::UC_SEND_LAST, "UC_SEND_LAST", false, false, false, true},
        {IbOpcode::UC_SEND_LAST_WITH_IMMEDIATE,
         "UC_SEND_LAST_WITH_IMMEDIATE",
         false,
         false,
         true,
         true},
        {IbOpcode::UC_SEND_ONLY, "UC_SEND_ONLY", false, false, false, true},
        {IbOpcode::UC_SEND_ONLY_WITH_IMMEDIATE,
         "UC_SEND_ONLY_WITH_IMMEDIATE",
         false,
         false,
         true,
         true},
        {IbOpcode::UC_RDMA_WRITE_FIRST, "UC_RDMA_WRITE_FIRST", true, false, false, true},
        {IbOpcode::UC_RDMA_WRITE_MIDDLE, "UC_RDMA_WRITE_MIDDLE", false, false, false, true},
        {IbOpcode::UC_RDMA_WRITE_LAST, "UC_RDMA_WRITE_LAST", false, false, false, true},
        {IbOpcode::UC_RDMA_WRITE_LAST_WITH_IMMEDIATE,
         "UC_RDMA_WRITE_LAST_WITH_IMMEDIATE",
         false,
         false,
         true,
         true},
        {IbOpcode::UC_RDMA_WRITE_ONLY, "UC_RDMA_WRITE_ONLY", true, false, false, true},
        {IbOpcode::UC_RDMA_WRITE_ONLY_WITH_IMMEDIATE,
         "UC_RDMA_WRITE_ONLY_WITH_IMMEDIATE",
         true,
         false,
         true,
         true},
        {IbOpcode::UD_SEND_ONLY, "UD_SEND_ONLY", false, false, false, true},
        {IbOpcode::UD_SEND_ONLY_WITH_IMMEDIATE,
         "UD_SEND_ONLY_WITH_IMMEDIATE",
         false,
         false,
         true,
         true},
    };

    for (const Row& row : rows)
    {
        uint8_t op = static_cast<uint8_t>(row.op);
        SCOPED_TRACE(row.name);
        EXPECT_EQ(IbOpcodeName(op), row.name);
        EXPECT_EQ(IbOpcodeHasReth(op), row.reth);
        EXPECT_EQ(IbOpcodeHasAeth(op), row.aeth);
        EXPECT_EQ(IbOpcodeHasImmediate(op), row.imm);
        EXPECT_EQ(IbOpcodeHasPayload(op), row.payload);
    }

    // Opcodes outside the enumeration.
    for (uint8_t op : {uint8_t(0x15),
                       uint8_t(0x2C),
                       uint8_t(0x31),
                       uint8_t(0x40),
                       uint8_t(0x60),
                       uint8_t(0x81),
                       uint8_t(0xFF)})
    {
        EXPECT_EQ(IbOpcodeName(op).rfind("UNKNOWN_0x", 0), 0U) << +op;
        EXPECT_FALSE(IbOpcodeHasReth(op)) << +op;
        EXPECT_FALSE(IbOpcodeHasAeth(op)) << +op;
        EXPECT_FALSE(IbOpcodeHasImmediate(op)) << +op;
        EXPECT_FALSE(IbOpcodeHasPayload(op)) << +op;
    }
    EXPECT_EQ(IbOpcodeName(0x81), "UNKNOWN_0x81");
    EXPECT_EQ(IbOpcodeName(0x0F), "RC_RDMA_READ_RESPONSE_LAST");
}

TEST(IbHeaderTest, RethRoundTripAndLayout)
{
    for (uint64_t va : {uint64_t(0), uint64_t(1), uint64_t(0x0123456789ABCDEFULL), ~uint64_t(0)})
    {
        IbRethHeader h;
        h.SetVirtualAddress(va);
        h.SetRKey(static_cast<uint32_t>(va >> 16));
        h.SetDmaLength(static_cast<uint32_t>(va));
        IbRethHeader out = RoundTrip(h);
        EXPECT_EQ(out.GetVirtualAddress(), va);
        EXPECT_EQ(out.GetRKey(), static_cast<uint32_t>(va >> 16));
        EXPECT_EQ(out.GetDmaLength(), static_cast<uint32_t>(va));
    }
    IbRethHeader h;
    h.SetVirtualAddress(0x0123456789ABCDEFULL);
    h.SetRKey(0xDEADBEEF);
    h.SetDmaLength(0x00100000);
    const std::vector<uint8_t> expected = {0x01,
                                           0x23,
                                           0x45,
                                           0x67,
                                           0x89,
                                           0xAB,
                                           0xCD,
                                           0xEF,
                                           0xDE,
                                           0xAD,
                                           0xBE,
                                           0xEF,
                                           0x00,
                                           0x10,
                                           0x00,
                                           0x00};
    EXPECT_EQ(HeaderBytes(h), expected);
}

TEST(IbHeaderTest, AethHelpersAndRoundTrip)
{
    IbAethHeader def;
    EXPECT_TRUE(def.IsAck());
    EXPECT_EQ(def.GetCredits(), IbAethHeader::CREDITS_INVALID);

    IbAethHeader ack = IbAethHeader::MakeAck(0xFFFFFF);
    EXPECT_TRUE(ack.IsAck());
    EXPECT_FALSE(ack.IsNak());
    EXPECT_FALSE(ack.IsRnrNak());
    EXPECT_EQ(ack.GetCredits(), 0x1F);
    EXPECT_EQ(ack.GetMsn(), 0xFFFFFFU);
    IbAethHeader ackOut = RoundTrip(ack);
    EXPECT_TRUE(ackOut.IsAck());
    EXPECT_EQ(ackOut.GetSyndrome(), 0x1F);
    EXPECT_EQ(ackOut.GetMsn(), 0xFFFFFFU);

    for (uint8_t credits = 0; credits <= 0x1F; ++credits)
    {
        IbAethHeader out = RoundTrip(IbAethHeader::MakeAck(credits, credits));
        ASSERT_TRUE(out.IsAck());
        ASSERT_EQ(out.GetCredits(), credits);
        ASSERT_EQ(out.GetMsn(), credits);
    }

    const uint8_t naks[] = {IbAethHeader::NAK_PSN_SEQUENCE_ERROR,
                            IbAethHeader::NAK_INVALID_REQUEST,
                            IbAethHeader::NAK_REMOTE_ACCESS_ERROR,
                            IbAethHeader::NAK_REMOTE_OPERATIONAL_ERROR,
                            IbAethHeader::NAK_INVALID_RD_REQUEST};
    uint8_t expectedCode = 0x60;
    for (uint8_t code : naks)
    {
        EXPECT_EQ(code, expectedCode++);
        IbAethHeader out = RoundTrip(IbAethHeader::MakeNak(code, 0x123456));
        EXPECT_TRUE(out.IsNak());
        EXPECT_FALSE(out.IsAck());
        EXPECT_FALSE(out.IsRnrNak());
        EXPECT_EQ(out.GetNakCode(), code);
        EXPECT_EQ(out.GetMsn(), 0x123456U);
    }

    for (uint8_t timer = 0; timer <= 0x1F; ++timer)
    {
        IbAethHeader out = RoundTrip(IbAethHeader::MakeRnrNak(timer, 0));
        ASSERT_TRUE(out.IsRnrNak());
        ASSERT_FALSE(out.IsNak());
        ASSERT_FALSE(out.IsAck());
        ASSERT_EQ(out.GetRnrTimerCode(), timer);
        ASSERT_EQ(out.GetSyndrome(), 0x20 | timer);
    }
}

TEST(IbHeaderTest, AethByteLayout)
{
    EXPECT_EQ(HeaderBytes(IbAethHeader::MakeNak(IbAethHeader::NAK_PSN_SEQUENCE_ERROR, 0x123456)),
              (std::vector<uint8_t>{0x60, 0x12, 0x34, 0x56}));
    EXPECT_EQ(HeaderBytes(IbAethHeader::MakeAck(0xFFFFFF, 0x1F)),
              (std::vector<uint8_t>{0x1F, 0xFF, 0xFF, 0xFF}));
    EXPECT_EQ(HeaderBytes(IbAethHeader::MakeAck(1, 0)),
              (std::vector<uint8_t>{0x00, 0x00, 0x00, 0x01}));
    EXPECT_EQ(HeaderBytes(IbAethHeader::MakeRnrNak(0x0E, 0x000100)),
              (std::vector<uint8_t>{0x2E, 0x00, 0x01, 0x00}));
    EXPECT_EQ(HeaderBytes(IbAethHeader::MakeNak(IbAethHeader::NAK_REMOTE_ACCESS_ERROR, 0)),
              (std::vector<uint8_t>{0x62, 0x00, 0x00, 0x00}));
}

TEST(IbHeaderTest, CrcTrailerRoundTripAndLayout)
{
    IbCrcTrailer def;
    EXPECT_EQ(def.GetIcrc(), 0U);
    EXPECT_EQ(def.GetVcrc(), 0);

    const uint8_t payload[] = {0x11, 0x22, 0x33};
    Ptr<Packet> p = Create<Packet>(payload, sizeof(payload));
    IbCrcTrailer t;
    t.SetIcrc(0xDEADBEEF);
    t.SetVcrc(0xCAFE);
    p->AddTrailer(t);
    EXPECT_EQ(p->GetSize(), 9U);
    const std::vector<uint8_t> expected = {0x11, 0x22, 0x33, 0xDE, 0xAD, 0xBE, 0xEF, 0xCA, 0xFE};
    EXPECT_EQ(PacketBytes(p), expected);

    IbCrcTrailer out;
    EXPECT_EQ(p->RemoveTrailer(out), 6U);
    EXPECT_EQ(out.GetIcrc(), 0xDEADBEEFU);
    EXPECT_EQ(out.GetVcrc(), 0xCAFE);
    EXPECT_EQ(PacketBytes(p), (std::vector<uint8_t>{0x11, 0x22, 0x33}));

    for (uint32_t icrc : {0U, 1U, 0x80000000U, 0xFFFFFFFFU})
    {
        Ptr<Packet> q = Create<Packet>();
        IbCrcTrailer tt;
        tt.SetIcrc(icrc);
        tt.SetVcrc(static_cast<uint16_t>(icrc ^ 0xFFFF));
        q->AddTrailer(tt);
        IbCrcTrailer o;
        q->RemoveTrailer(o);
        EXPECT_EQ(o.GetIcrc(), icrc);
        EXPECT_EQ(o.GetVcrc(), static_cast<uint16_t>(icrc ^ 0xFFFF));
        EXPECT_EQ(q->GetSize(), 0U);
    }
}

TEST(IbHeaderTest, ErfDefaultsAndLayout)
{
    IbErfHeader def;
    EXPECT_EQ(def.GetType(), IbErfHeader::TYPE_INFINIBAND);
    EXPECT_EQ(IbErfHeader::TYPE_INFINIBAND, 21);
    EXPECT_EQ(def.GetFlags(), 0x04);
    EXPECT_EQ(def.GetRecordLength(), 16);
    EXPECT_EQ(def.GetLossCounter(), 0);
    EXPECT_EQ(def.GetWireLength(), 0);
    EXPECT_EQ(def.GetRawTimestamp(), 0U);

    IbErfHeader h;
    h.SetTimestamp(MilliSeconds(1500)); // 1 s + 0x80000000 / 2^32 s
    EXPECT_EQ(h.GetRawTimestamp(), 0x0000000180000000ULL);
    h.SetRecordLength(16 + 30);
    h.SetWireLength(30);
    const std::vector<uint8_t> expected = {0x00,
                                           0x00,
                                           0x00,
                                           0x80,
                                           0x01,
                                           0x00,
                                           0x00,
                                           0x00,
                                           0x15,
                                           0x04,
                                           0x00,
                                           0x2E,
                                           0x00,
                                           0x00,
                                           0x00,
                                           0x1E};
    EXPECT_EQ(HeaderBytes(h), expected);

    IbErfHeader g;
    g.SetRawTimestamp(0x0102030405060708ULL);
    g.SetType(25);
    g.SetFlags(0x01);
    g.SetLossCounter(0xABCD);
    g.SetLengthsForPacket(0x1234);
    EXPECT_EQ(g.GetRecordLength(), 0x1244);
    EXPECT_EQ(g.GetWireLength(), 0x1234);
    const std::vector<uint8_t> expected2 = {0x08,
                                            0x07,
                                            0x06,
                                            0x05,
                                            0x04,
                                            0x03,
                                            0x02,
                                            0x01,
                                            0x19,
                                            0x01,
                                            0x12,
                                            0x44,
                                            0xAB,
                                            0xCD,
                                            0x12,
                                            0x34};
    EXPECT_EQ(HeaderBytes(g), expected2);
}

TEST(IbHeaderTest, ErfRoundTripAndTimestamps)
{
    IbErfHeader h;
    h.SetTimestamp(Seconds(5) + NanoSeconds(123456789));
    h.SetType(IbErfHeader::TYPE_INFINIBAND);
    h.SetFlags(0x07);
    h.SetRecordLength(0xFFFF);
    h.SetLossCounter(0xFFFF);
    h.SetWireLength(0xFFEF);
    IbErfHeader out = RoundTrip(h);
    EXPECT_EQ(out.GetTimestamp(), Seconds(5) + NanoSeconds(123456789));
    EXPECT_EQ(out.GetRawTimestamp(), h.GetRawTimestamp());
    EXPECT_EQ(out.GetType(), 21);
    EXPECT_EQ(out.GetFlags(), 0x07);
    EXPECT_EQ(out.GetRecordLength(), 0xFFFF);
    EXPECT_EQ(out.GetLossCounter(), 0xFFFF);
    EXPECT_EQ(out.GetWireLength(), 0xFFEF);

    // Every nanosecond value survives the 2^-32 s fixed point (resolution ~0.23 ns).
    for (int64_t ns : {int64_t(0),
                       int64_t(1),
                       int64_t(2),
                       int64_t(499999999),
                       int64_t(500000000),
                       int64_t(999999999),
                       int64_t(1000000000),
                       int64_t(4294967295LL * 1000000000LL + 999999999LL)})
    {
        IbErfHeader t;
        t.SetTimestamp(NanoSeconds(ns));
        EXPECT_EQ(t.GetTimestamp(), NanoSeconds(ns)) << ns;
        EXPECT_EQ(RoundTrip(t).GetTimestamp(), NanoSeconds(ns)) << ns;
    }
    for (int64_t ns = 0; ns < 3000; ++ns)
    {
        IbErfHeader t;
        t.SetTimestamp(NanoSeconds(ns * 333331));
        ASSERT_EQ(t.GetTimestamp(), NanoSeconds(ns * 333331));
    }
}

TEST(IbHeaderTest, FullPacketStackRoundTrip)
{
    const uint32_t payloadBytes = 64;
    Ptr<Packet> p = Create<Packet>(payloadBytes);

    IbRethHeader reth;
    reth.SetVirtualAddress(0x7F0000001000ULL);
    reth.SetRKey(0x1234);
    reth.SetDmaLength(payloadBytes);
    IbBthHeader bth;
    bth.SetOpcode(IbOpcode::RC_RDMA_WRITE_ONLY);
    bth.SetDestQp(IbBthHeader::MAX_QPN);
    bth.SetPsn(IbBthHeader::MAX_PSN);
    bth.SetAckReq(true);
    IbGrhHeader grh;
    grh.SetPayLen(static_cast<uint16_t>(IbBthHeader::SIZE + IbRethHeader::SIZE + payloadBytes +
                                        IbCrcTrailer::ICRC_SIZE));
    IbLrhHeader lrh;
    lrh.SetVl(7);
    lrh.SetSl(9);
    lrh.SetLnh(IbLrhHeader::IBA_GLOBAL);
    lrh.SetDlid(3);
    lrh.SetSlid(4);
    lrh.SetPacketLengthBytes(IbLrhHeader::SIZE + IbGrhHeader::SIZE + IbBthHeader::SIZE +
                             IbRethHeader::SIZE + payloadBytes + IbCrcTrailer::ICRC_SIZE);
    IbCrcTrailer crc;
    crc.SetIcrc(0x01020304);

    p->AddHeader(reth);
    p->AddHeader(bth);
    p->AddHeader(grh);
    p->AddHeader(lrh);
    p->AddTrailer(crc);
    EXPECT_EQ(p->GetSize(), lrh.GetPacketLengthBytes() + IbCrcTrailer::VCRC_SIZE);

    IbLrhHeader lrhOut;
    IbGrhHeader grhOut;
    IbBthHeader bthOut;
    IbRethHeader rethOut;
    IbCrcTrailer crcOut;
    p->RemoveHeader(lrhOut);
    EXPECT_EQ(lrhOut.GetLnh(), IbLrhHeader::IBA_GLOBAL);
    EXPECT_EQ(lrhOut.GetVl(), 7);
    EXPECT_EQ(lrhOut.GetSl(), 9);
    EXPECT_EQ(lrhOut.GetPacketLengthBytes(), lrh.GetPacketLengthBytes());
    p->RemoveHeader(grhOut);
    EXPECT_EQ(grhOut.GetNxtHdr(), IbGrhHeader::NEXT_HEADER_IBA);
    EXPECT_EQ(grhOut.GetPayLen(), grh.GetPayLen());
    p->RemoveHeader(bthOut);
    EXPECT_TRUE(IbOpcodeHasReth(bthOut.GetOpcode()));
    EXPECT_EQ(bthOut.GetDestQp(), IbBthHeader::MAX_QPN);
    EXPECT_EQ(bthOut.GetPsn(), IbBthHeader::MAX_PSN);
    p->RemoveHeader(rethOut);
    EXPECT_EQ(rethOut.GetVirtualAddress(), 0x7F0000001000ULL);
    EXPECT_EQ(rethOut.GetDmaLength(), payloadBytes);
    p->RemoveTrailer(crcOut);
    EXPECT_EQ(crcOut.GetIcrc(), 0x01020304U);
    EXPECT_EQ(p->GetSize(), payloadBytes);
}

TEST(IbHeaderTest, PrintShowsFieldNames)
{
    IbLrhHeader lrh;
    lrh.SetDlid(0x12);
    std::string s = Printed(lrh);
    for (const char* field :
         {"VL=", "LVer=", "SL=", "LNH=IBA_LOCAL", "DLID=0x0012", "PktLen=", "SLID="})
    {
        EXPECT_NE(s.find(field), std::string::npos) << field << " in " << s;
    }

    s = Printed(IbGrhHeader());
    for (const char* field :
         {"IPVer=6", "TClass=", "FlowLabel=", "PayLen=", "NxtHdr=27", "HopLmt=", "SGID=", "DGID="})
    {
        EXPECT_NE(s.find(field), std::string::npos) << field << " in " << s;
    }

    IbBthHeader bth;
    bth.SetOpcode(IbOpcode::RC_SEND_ONLY);
    bth.SetPsn(42);
    s = Printed(bth);
    for (const char* field : {"OpCode=RC_SEND_ONLY",
                              "SE=",
                              "M=",
                              "PadCnt=",
                              "TVer=",
                              "P_Key=0xffff",
                              "FECN=",
                              "BECN=",
                              "DestQP=",
                              "A=",
                              "PSN=42"})
    {
        EXPECT_NE(s.find(field), std::string::npos) << field << " in " << s;
    }

    s = Printed(IbRethHeader());
    for (const char* field : {"VA=", "R_Key=", "DMALength="})
    {
        EXPECT_NE(s.find(field), std::string::npos) << field << " in " << s;
    }

    s = Printed(IbAethHeader::MakeNak(IbAethHeader::NAK_PSN_SEQUENCE_ERROR, 7));
    for (const char* field : {"Syndrome=0x60", "NAK", "MSN=7"})
    {
        EXPECT_NE(s.find(field), std::string::npos) << field << " in " << s;
    }

    s = Printed(IbCrcTrailer());
    for (const char* field : {"ICRC=", "VCRC="})
    {
        EXPECT_NE(s.find(field), std::string::npos) << field << " in " << s;
    }

    s = Printed(IbErfHeader());
    for (const char* field : {"Timestamp=", "Type=21", "Flags=", "RLen=16", "LCtr=", "WLen="})
    {
        EXPECT_NE(s.find(field), std::string::npos) << field << " in " << s;
    }

    // Print leaves the stream's format as it found it.
    std::ostringstream oss;
    bth.Print(oss);
    oss << ' ' << 255;
    EXPECT_EQ(oss.str().substr(oss.str().size() - 4), " 255");
}

#ifdef NS3_ASSERT_ENABLE
TEST(IbHeaderTest, OutOfRangeValuesAreCaught)
{
    IbLrhHeader lrh;
    EXPECT_DEATH(lrh.SetVl(16), "VL");
    EXPECT_DEATH(lrh.SetSl(16), "SL");
    EXPECT_DEATH(lrh.SetLver(16), "LVer");
    EXPECT_DEATH(lrh.SetPktLen(2048), "PktLen");
    EXPECT_DEATH(lrh.SetPacketLengthBytes(8192), "exceeds");
    EXPECT_DEATH(lrh.SetPacketLengthBytes(30), "multiple of 4");
    IbBthHeader bth;
    EXPECT_DEATH(bth.SetPsn(0x1000000), "PSN");
    EXPECT_DEATH(bth.SetDestQp(0x1000000), "DestQP");
    EXPECT_DEATH(bth.SetPadCnt(4), "PadCnt");
    EXPECT_DEATH(bth.SetTVer(16), "TVer");
    IbGrhHeader grh;
    EXPECT_DEATH(grh.SetFlowLabel(0x100000), "FlowLabel");
    EXPECT_DEATH(grh.SetIpVer(16), "IPVer");
    EXPECT_DEATH(IbAethHeader::MakeAck(0x1000000), "MSN");
    EXPECT_DEATH(IbAethHeader::MakeAck(0, 0x20), "credit");
    EXPECT_DEATH(IbAethHeader::MakeNak(0x20, 0), "NAK");
    EXPECT_DEATH(IbAethHeader::MakeRnrNak(0x20, 0), "RNR");
}
#endif
