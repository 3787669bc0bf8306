// The acceptance decision, case by case, without a network (PS3.8 rejection reasons).
#include "burnstation/receiver/acceptance_policy.h"

#include <gtest/gtest.h>

namespace burnstation::receiver {
namespace {

constexpr const char* kDicom = "1.2.840.10008.3.1.1.1";

ReceiverSettings installed() {
  ReceiverSettings s;
  s.aeTitle = "BURNSTATION";
  s.extraCalledAeTitles = {"BURN_CD"};
  s.callingAllowlist = true;
  s.remotes = {{"CT01", "127.0.0.1", ""}, {"MR01", "", "ISO_IR 100"}};
  s.maxAssociations = 2;
  return s;
}

struct Case {
  const char* name;
  AssociationRequest request;
  std::optional<Rejection> expected;
};

TEST(AcceptancePolicy, EachRuleProducesItsRejection) {
  const Case cases[] = {
      {"accepted", {"CT01", "BURNSTATION", "127.0.0.1", kDicom, 0}, std::nullopt},
      {"extra called title", {"CT01", "BURN_CD", "127.0.0.1", kDicom, 0}, std::nullopt},
      {"padded titles", {"CT01  ", "BURNSTATION ", "127.0.0.1", kDicom, 0}, std::nullopt},
      {"any host", {"MR01", "BURNSTATION", "192.0.2.7", kDicom, 1}, std::nullopt},
      {"not DICOM",
       {"CT01", "BURNSTATION", "127.0.0.1", "1.2.3", 0},
       rejection::kApplicationContextNotSupported},
      {"called unknown",
       {"CT01", "SOMEONE", "127.0.0.1", kDicom, 0},
       rejection::kCalledAeNotRecognized},
      {"calling unknown",
       {"XA01", "BURNSTATION", "127.0.0.1", kDicom, 0},
       rejection::kCallingAeNotRecognized},
      {"wrong host",
       {"CT01", "BURNSTATION", "192.0.2.7", kDicom, 0},
       rejection::kCallingAeNotRecognized},
      {"limit reached",
       {"CT01", "BURNSTATION", "127.0.0.1", kDicom, 2},
       rejection::kLocalLimitExceeded},
  };
  const ReceiverSettings settings = installed();
  for (const Case& c : cases) {
    const AcceptanceDecision d = decideAcceptance(settings, c.request);
    ASSERT_EQ(d.rejection.has_value(), c.expected.has_value()) << c.name << ": " << d.explanation;
    if (c.expected) {
      EXPECT_EQ(d.rejection->result, c.expected->result) << c.name;
      EXPECT_EQ(d.rejection->source, c.expected->source) << c.name;
      EXPECT_EQ(d.rejection->reason, c.expected->reason) << c.name;
      EXPECT_FALSE(d.explanation.empty()) << c.name;
    }
  }
}

TEST(AcceptancePolicy, BuiltInDefaultsAcceptAnyTitleButNotOverTheLimit) {
  ReceiverSettings s;
  s.acceptAnyCalledAe = true;
  EXPECT_FALSE(decideAcceptance(s, {"ANYONE", "ANYTHING", "10.0.0.1", kDicom, 0}).rejection);
  const auto full = decideAcceptance(s, {"ANYONE", "ANYTHING", "10.0.0.1", kDicom, 5});
  ASSERT_TRUE(full.rejection);
  EXPECT_EQ(full.rejection->reason, rejection::kLocalLimitExceeded.reason);
}

TEST(AcceptancePolicy, AssumedCharsetComesWithTheRemote) {
  const ReceiverSettings s = installed();
  const auto d = decideAcceptance(s, {"MR01", "BURNSTATION", "10.0.0.1", kDicom, 0});
  ASSERT_NE(d.remote, nullptr);
  EXPECT_EQ(d.remote->assumeCharset, "ISO_IR 100");
}

}  // namespace
}  // namespace burnstation::receiver
