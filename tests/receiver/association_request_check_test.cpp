// The association-request pre-check, case by case from raw bytes: what a broken device or
// an attacker can put in the first PDU, and the answer each gets (PS3.8 9.3).
#include "association_request_check.h"

#include <gtest/gtest.h>

#include "event_throttle.h"
#include "raw_association.h"

namespace burnstation::receiver {
namespace {

using rawdicom::AssociateRequest;
using Verdict = RequestCheck::Verdict;

struct Case {
  const char* name;
  std::string bytes;
  Verdict verdict;
  std::optional<Rejection> rejection;
  std::optional<AbortReason> abort;
  const char* explanationContains;
};

std::string withItemLengthOf(std::string pdu, unsigned char itemType, std::uint16_t length) {
  // The first item of that type after the fixed fields (6 + 68 bytes).
  for (std::size_t at = 74; at + 4 <= pdu.size();) {
    const std::size_t itemLength = (std::uint8_t(pdu[at + 2]) << 8) | std::uint8_t(pdu[at + 3]);
    if (std::uint8_t(pdu[at]) == itemType) {
      pdu[at + 2] = char(length >> 8);
      pdu[at + 3] = char(length & 0xff);
      return pdu;
    }
    at += 4 + itemLength;
  }
  ADD_FAILURE() << "no item of that type";
  return pdu;
}

std::vector<Case> cases() {
  const AssociateRequest good;
  std::vector<Case> c;
  c.push_back({"well formed", rawdicom::encode(good), Verdict::Valid, {}, {}, "ATTACKER"});
  {
    AssociateRequest r;
    r.protocolVersion = 2;
    c.push_back({"protocol version without bit 0",
                 rawdicom::encode(r),
                 Verdict::Reject,
                 rejection::kProtocolVersionNotSupported,
                 {},
                 "protocol version"});
  }
  {
    AssociateRequest r;
    r.calledAe = "";
    c.push_back({"empty called AE",
                 rawdicom::encode(r),
                 Verdict::Reject,
                 rejection::kCalledAeNotRecognized,
                 {},
                 "called AE title"});
  }
  c.push_back({"NUL inside the called AE",
               rawdicom::encodeWithRawAeFields(good, std::string("BURN\0STATION    ", 16),
                                               "ATTACKER        "),
               Verdict::Reject,
               rejection::kCalledAeNotRecognized,
               {},
               "%00"});
  c.push_back({"called AE all NUL",
               rawdicom::encodeWithRawAeFields(good, std::string(16, '\0'), "ATTACKER        "),
               Verdict::Reject,
               rejection::kCalledAeNotRecognized,
               {},
               "empty"});
  c.push_back({"trailing NUL padding is tolerated",
               rawdicom::encodeWithRawAeFields(good, std::string("BURNSTATION\0\0\0\0\0", 16),
                                               "ATTACKER        "),
               Verdict::Valid,
               {},
               {},
               "BURNSTATION"});
  {
    AssociateRequest r;
    r.callingAe = "   ";
    c.push_back({"empty calling AE",
                 rawdicom::encode(r),
                 Verdict::Reject,
                 rejection::kCallingAeNotRecognized,
                 {},
                 "calling AE title"});
  }
  {
    AssociateRequest r;
    r.callingAe = "EVIL\\AE";
    c.push_back({"backslash in calling AE",
                 rawdicom::encode(r),
                 Verdict::Reject,
                 rejection::kCallingAeNotRecognized,
                 {},
                 "calling AE title"});
  }
  {
    AssociateRequest r;
    r.contexts.clear();
    c.push_back({"no presentation context",
                 rawdicom::encode(r),
                 Verdict::Reject,
                 rejection::kNoReasonGiven,
                 {},
                 "no presentation context"});
  }
  {
    AssociateRequest r;
    r.applicationContext = false;
    c.push_back({"no application context",
                 rawdicom::encode(r),
                 Verdict::Abort,
                 {},
                 abort_reason::kInvalidParameterValue,
                 "application context"});
  }
  c.push_back({"presentation context longer than the PDU",
               withItemLengthOf(rawdicom::encode(good), 0x20, 0xfff0),
               Verdict::Abort,
               {},
               abort_reason::kInvalidParameterValue,
               "declares 65520 bytes"});
  c.push_back({"user information longer than the PDU",
               withItemLengthOf(rawdicom::encode(good), 0x50, 0x0100),
               Verdict::Abort,
               {},
               abort_reason::kInvalidParameterValue,
               "declares 256 bytes"});
  {
    AssociateRequest r;
    r.contexts[0].abstractSyntax = "../../etc/passwd";
    c.push_back({"abstract syntax that is not a UID",
                 rawdicom::encode(r),
                 Verdict::Abort,
                 {},
                 abort_reason::kInvalidParameterValue,
                 "not a UID"});
  }
  {
    AssociateRequest r;
    r.contexts[0].transferSyntaxes.clear();
    c.push_back({"presentation context without transfer syntax",
                 rawdicom::encode(r),
                 Verdict::Abort,
                 {},
                 abort_reason::kInvalidParameterValue,
                 "without a transfer"});
  }
  {
    AssociateRequest r;
    r.contexts.assign(129, rawdicom::PresentationContext{});
    c.push_back({"129 presentation contexts",
                 rawdicom::encode(r),
                 Verdict::Abort,
                 {},
                 abort_reason::kInvalidParameterValue,
                 "more than 128"});
  }
  c.push_back({"declared length of 4 GB",
               std::string("\x01\x00\xff\xff\xff\xff", 6),
               Verdict::Abort,
               {},
               abort_reason::kInvalidParameterValue,
               "more than the"});
  c.push_back({"declared length too short for the fixed fields",
               std::string("\x01\x00\x00\x00\x00\x10", 6) + std::string(16, 'A'),
               Verdict::Abort,
               {},
               abort_reason::kInvalidParameterValue,
               "too short"});
  c.push_back({"P-DATA-TF before association",
               std::string("\x04\x00\x00\x00\x00\x06", 6),
               Verdict::Abort,
               {},
               abort_reason::kUnexpectedPdu,
               "P-DATA-TF"});
  c.push_back({"A-RELEASE-RQ before association",
               std::string("\x05\x00\x00\x00\x00\x04", 6),
               Verdict::Abort,
               {},
               abort_reason::kUnexpectedPdu,
               "before any association"});
  c.push_back({"an HTTP request",
               "GET / HTTP/1.1\r\n\r\n",
               Verdict::Abort,
               {},
               abort_reason::kUnrecognizedPdu,
               "HTTP"});
  c.push_back({"a TLS client hello",
               std::string("\x16\x03\x01\x02\x00", 5),
               Verdict::Abort,
               {},
               abort_reason::kUnrecognizedPdu,
               "TLS"});
  c.push_back({"the peer aborts",
               std::string("\x07\x00\x00\x00\x00\x04\x00\x00\x00\x00", 10),
               Verdict::Close,
               {},
               {},
               "aborted"});
  return c;
}

bool same(const Rejection& a, const Rejection& b) {
  return a.result == b.result && a.source == b.source && a.reason == b.reason;
}

TEST(AssociationRequestCheck, EachMalformedRequestGetsItsAnswer) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const RequestCheck check = checkAssociationRequest(c.bytes);
    EXPECT_EQ(check.verdict, c.verdict) << check.explanation;
    EXPECT_NE(check.explanation.find(c.explanationContains), std::string::npos)
        << check.explanation;
    ASSERT_EQ(check.rejection.has_value(), c.rejection.has_value());
    if (c.rejection) {
      EXPECT_TRUE(same(*check.rejection, *c.rejection)) << check.rejection->meaning;
    }
    ASSERT_EQ(check.abort.has_value(), c.abort.has_value());
    if (c.abort) {
      EXPECT_EQ(check.abort->reason, c.abort->reason) << check.abort->meaning;
    }
  }
}

TEST(AssociationRequestCheck, EveryIncompletePrefixAsksForMore) {
  const std::string pdu = rawdicom::encode(AssociateRequest{});
  for (std::size_t n = 0; n < pdu.size(); ++n) {
    const RequestCheck check = checkAssociationRequest(std::string_view(pdu).substr(0, n));
    ASSERT_EQ(check.verdict, Verdict::NeedMore) << n;
    if (n >= kPduHeaderBytes) {
      EXPECT_EQ(check.pduBytes, pdu.size());
    }
  }
  const RequestCheck whole = checkAssociationRequest(pdu);
  EXPECT_EQ(whole.verdict, Verdict::Valid);
  EXPECT_EQ(whole.callingAe, "ATTACKER");
  EXPECT_EQ(whole.calledAe, "BURNSTATION");
}

TEST(AssociationRequestCheck, AnswersAreTheTenBytesOfPs38) {
  EXPECT_EQ(associateRejectPdu(rejection::kCalledAeNotRecognized),
            std::string("\x03\x00\x00\x00\x00\x04\x00\x01\x01\x07", 10));
  EXPECT_EQ(associateRejectPdu(rejection::kLocalLimitExceeded),
            std::string("\x03\x00\x00\x00\x00\x04\x00\x02\x03\x02", 10));
  EXPECT_EQ(abortPdu(abort_reason::kUnexpectedPdu),
            std::string("\x07\x00\x00\x00\x00\x04\x00\x00\x02\x02", 10));
}

TEST(EventThrottle, AFloodBecomesOneEventAndOneSummaryPerPeer) {
  std::vector<std::string> written;
  EventThrottle throttle(
      [&](const std::string& kind, const std::string& detail, const std::string& peer) {
        written.push_back(kind + "|" + peer + "|" + detail);
      },
      std::chrono::seconds(10));
  const auto t0 = EventThrottle::Clock::now();
  for (int i = 0; i < 100; ++i)
    throttle.report("association-timeout", "ARTIM", "silent", "10.0.0.1", t0);
  throttle.report("association-timeout", "ARTIM", "silent", "10.0.0.2", t0);
  throttle.report("association-rejected", "called AE title not recognized", "empty", "10.0.0.1",
                  t0);
  ASSERT_EQ(written.size(), 3u);  // another peer, another category: written at once
  throttle.flush(t0 + std::chrono::seconds(5));
  EXPECT_EQ(written.size(), 3u);  // within the interval: still counting
  throttle.flush(t0 + std::chrono::seconds(11));
  ASSERT_EQ(written.size(), 4u);
  EXPECT_NE(written[3].find("10.0.0.1|99 more like this"), std::string::npos) << written[3];
  throttle.report("association-timeout", "ARTIM", "silent again", "10.0.0.1",
                  t0 + std::chrono::seconds(12));
  EXPECT_EQ(written.size(), 5u);  // a new interval starts with a full event
}

}  // namespace
}  // namespace burnstation::receiver
