// The command-set guard from raw P-DATA-TF bytes: what DCMTK may parse and what it must not.
#include "pdu_stream_guard.h"

#include <gtest/gtest.h>

#include "raw_association.h"

namespace burnstation::receiver {
namespace {

TEST(PduStreamGuard, AnEchoRequestPassesWholeAndByteByByte) {
  const std::string pdu = rawdicom::pDataPdu(1, rawdicom::echoCommand(), true, true);
  PduStreamGuard whole;
  EXPECT_FALSE(whole.feed(pdu.data(), pdu.size()));
  PduStreamGuard trickle;
  for (char c : pdu + pdu) ASSERT_FALSE(trickle.feed(&c, 1));
}

TEST(PduStreamGuard, EachCommandDcmtkMustNotParseIsRefused) {
  struct Case {
    const char* name;
    std::string command;
    const char* problem;
  };
  std::string tooLong;
  while (tooLong.size() <= kMaxCommandSetBytes) tooLong += rawdicom::echoCommand();
  const Case cases[] = {
      {"sequences nested 20,000 deep", rawdicom::nestedSequences(20000), "outside group 0000"},
      {"an undefined length", std::string("\x00\x00\x00\x01\xff\xff\xff\xff", 8),
       "undefined length"},
      {"more than 64 KiB", tooLong, "more than 65536 bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PduStreamGuard guard;
    std::optional<std::string> problem;
    // In 16 KB fragments over several PDUs, as a sender may split it.
    for (std::size_t at = 0; at < c.command.size() && !problem; at += 16000) {
      const bool last = at + 16000 >= c.command.size();
      const std::string pdu = rawdicom::pDataPdu(1, c.command.substr(at, 16000), true, last);
      problem = guard.feed(pdu.data(), pdu.size());
    }
    ASSERT_TRUE(problem.has_value());
    EXPECT_NE(problem->find(c.problem), std::string::npos) << *problem;
  }
}

// Found by fuzzing: the guard looped forever on whatever followed a PDU that is not a
// P-DATA-TF, e.g. a command after an A-RELEASE-RQ, or an empty PDU.
TEST(PduStreamGuard, WhatFollowsOtherPdusIsStillRead) {
  const std::string release("\x05\x00\x00\x00\x00\x04\x00\x00\x00\x00", 10);
  const std::string empty("\x06\x00\x00\x00\x00\x00", 6);
  const std::string deep = rawdicom::pDataPdu(1, rawdicom::nestedSequences(10), true, true);
  PduStreamGuard guard;
  ASSERT_FALSE(guard.feed(release.data(), release.size()));
  ASSERT_FALSE(guard.feed(empty.data(), empty.size()));
  const auto problem = guard.feed(deep.data(), deep.size());
  ASSERT_TRUE(problem.has_value());  // the command after them is still checked
  EXPECT_NE(problem->find("outside group 0000"), std::string::npos) << *problem;
}

TEST(PduStreamGuard, DataSetFragmentsAreLeftToTheDataSetScan) {
  const std::string pdu = rawdicom::pDataPdu(1, rawdicom::nestedSequences(1000), false, true);
  PduStreamGuard guard;
  EXPECT_FALSE(guard.feed(pdu.data(), pdu.size()));
}

TEST(PduStreamGuard, APdvLongerThanItsPduIsRefused) {
  std::string pdu = rawdicom::pDataPdu(1, rawdicom::echoCommand(), true, true);
  pdu[6] = char(0x7f);  // the PDV's length now runs far past the PDU
  PduStreamGuard guard;
  const auto problem = guard.feed(pdu.data(), pdu.size());
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("does not fit"), std::string::npos) << *problem;
}

}  // namespace
}  // namespace burnstation::receiver
