// The UID check as a table: what is valid, what is only unusual (stored and flagged), what
// is refused, and how the refusal reads in a 64-character Error Comment.
#include <gtest/gtest.h>

#include <string>

#include "burnstation/store/uid.h"

namespace burnstation::store {
namespace {

using namespace std::string_literals;

struct Row {
  std::string raw;
  UidVerdict verdict;
  std::string value;   // stripped value when not refused
  std::string reason;  // part of the reason when refused or unusual
};

const Row kTable[] = {
    {"1.2.840.10008.5.1.4.1.1.2", UidVerdict::Valid, "1.2.840.10008.5.1.4.1.1.2", ""},
    {"1.2.3\0"s, UidVerdict::Valid, "1.2.3", ""},
    {"1.2.3 ", UidVerdict::Valid, "1.2.3", ""},
    {"1.2.3\0\0 \0"s, UidVerdict::Valid, "1.2.3", ""},
    {"0", UidVerdict::Valid, "0", ""},
    {"1.0.2", UidVerdict::Valid, "1.0.2", ""},
    {std::string(64, '1'), UidVerdict::Valid, std::string(64, '1'), ""},
    {"1.02.3", UidVerdict::Unusual, "1.02.3", "leading zero"},
    {"01.2", UidVerdict::Unusual, "01.2", "leading zero"},
    {"1.2.000", UidVerdict::Unusual, "1.2.000", "leading zero"},
    {"", UidVerdict::Invalid, "", "empty"},
    {"\0\0"s, UidVerdict::Invalid, "", "empty"},
    {"   ", UidVerdict::Invalid, "", "empty"},
    {std::string(65, '1'), UidVerdict::Invalid, "", "longer than 64"},
    {"1..2", UidVerdict::Invalid, "", "empty component"},
    {".1.2", UidVerdict::Invalid, "", "empty component"},
    {"1.2.", UidVerdict::Invalid, "", "empty component"},
    {".", UidVerdict::Invalid, "", "empty component"},
    {"../x", UidVerdict::Invalid, "", "only digits and dots"},
    {"../12/1.2.3", UidVerdict::Invalid, "", "only digits and dots"},
    {"/tmp/abs", UidVerdict::Invalid, "", "only digits and dots"},
    {"1.2\\3", UidVerdict::Invalid, "", "only digits and dots"},
    {"1.2.3\0../x"s, UidVerdict::Invalid, "", "only digits and dots"},
    {" 1.2.3", UidVerdict::Invalid, "", "only digits and dots"},
    {"1.2.3$(reboot)", UidVerdict::Invalid, "", "only digits and dots"},
    {"1.2;rm -rf", UidVerdict::Invalid, "", "only digits and dots"},
    {"1.2.3\n", UidVerdict::Invalid, "", "only digits and dots"},
    {"1.2.3a", UidVerdict::Invalid, "", "only digits and dots"},
    {"-1.2", UidVerdict::Invalid, "", "only digits and dots"},
    {"1.2.\xc3\xa9", UidVerdict::Invalid, "", "only digits and dots"},
};

TEST(UidCheck, Table) {
  for (const Row& row : kTable) {
    const UidCheck check = checkUid(row.raw);
    SCOPED_TRACE("raw \"" + row.raw + "\" (" + std::to_string(row.raw.size()) + " bytes)");
    EXPECT_EQ(check.verdict, row.verdict);
    if (row.verdict != UidVerdict::Invalid) {
      EXPECT_EQ(check.value, row.value);
    }
    if (row.reason.empty()) {
      EXPECT_TRUE(check.reason.empty()) << check.reason;
    } else {
      EXPECT_NE(check.reason.find(row.reason), std::string::npos) << check.reason;
    }
  }
}

TEST(UidCheck, ProblemNamesTheAttributeTheValueAndTheReason) {
  const UidCheck check = checkUid("../x");
  EXPECT_EQ(uidProblem("SOP Instance UID", "../x", check),
            "SOP Instance UID \"../x\" is not a valid UID: only digits and dots allowed");
  // An Error Comment is LO (64 characters): the reason is kept, the value shortened.
  const std::string comment = uidProblem("SOP Instance UID", "../x", check, 64);
  EXPECT_LE(comment.size(), 64u);
  EXPECT_EQ(comment, "SOP Instance UID \"../x\": only digits and dots allowed");
  const std::string longValue = "../" + std::string(60, '1');
  const std::string shortened = uidProblem("SOP Instance UID", longValue, checkUid(longValue), 64);
  EXPECT_LE(shortened.size(), 64u);
  EXPECT_NE(shortened.find("only digits and dots allowed"), std::string::npos) << shortened;
  EXPECT_EQ(shortened.rfind("SOP Instance UID \"../111", 0), 0u) << shortened;
  // With a long attribute name there is no room for the value: the reason stays.
  const std::string noValue =
      uidProblem("Media Storage SOP Instance UID", longValue, checkUid(longValue), 64);
  EXPECT_EQ(noValue, "Media Storage SOP Instance UID: only digits and dots allowed");
}

TEST(UidCheck, ProblemShowsHostileBytesPrintably) {
  const std::string raw = "1.2\0..\\x\"\n"s;
  const std::string text = uidProblem("SOP Instance UID", raw, checkUid(raw));
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(text.find('\\'), std::string::npos);  // a backslash would split an LO value
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_NE(text.find("1.2%00..%5Cx%22%0A"), std::string::npos) << text;
}

TEST(UidCheck, UnusualIsDescribedAsSuch) {
  const UidCheck check = checkUid("1.02");
  EXPECT_EQ(uidProblem("Study Instance UID", "1.02", check),
            "Study Instance UID \"1.02\" is an unusual UID: a component has a leading zero");
}

TEST(UidCheck, AnInstanceIsScreenedOnEveryUidItUses) {
  InstanceHeader h;
  h.sopInstanceUid = "1.2.3";
  h.sopClassUid = "1.2.840.10008.5.1.4.1.1.2";
  h.transferSyntaxUid = "1.2.840.10008.1.2.1";
  h.studyInstanceUid = "1.2.4";
  h.seriesInstanceUid = "1.2.5";
  EXPECT_FALSE(screenInstanceUids(h).refused());
  EXPECT_TRUE(screenInstanceUids(h).unusual.empty());

  InstanceHeader palette = h;  // no study, no series: outside the patient/study model
  palette.studyInstanceUid.clear();
  palette.seriesInstanceUid.clear();
  EXPECT_FALSE(screenInstanceUids(palette).refused());

  InstanceHeader badSeries = h;
  badSeries.seriesInstanceUid = "1.2/../5";
  EXPECT_EQ(screenInstanceUids(badSeries, 64).refusal,
            "Series Instance UID \"1.2/../5\": only digits and dots allowed");
  InstanceHeader noInstance = h;
  noInstance.sopInstanceUid.clear();
  EXPECT_NE(screenInstanceUids(noInstance).refusal.find("SOP Instance UID"), std::string::npos);
  InstanceHeader badSyntax = h;
  badSyntax.transferSyntaxUid = "1.2.840.10008.1.2.1 ;";
  EXPECT_TRUE(screenInstanceUids(badSyntax).refused());

  InstanceHeader unusual = h;
  unusual.studyInstanceUid = "1.2.04";
  unusual.sopInstanceUid = "1.02.3";
  const UidScreen screen = screenInstanceUids(unusual);
  EXPECT_FALSE(screen.refused());
  EXPECT_NE(screen.unusual.find("SOP Instance UID \"1.02.3\""), std::string::npos)
      << screen.unusual;
  EXPECT_NE(screen.unusual.find("Study Instance UID \"1.2.04\""), std::string::npos)
      << screen.unusual;
}

}  // namespace
}  // namespace burnstation::store
