// The patient search's folding and matching on summaries, and the "arriving" mark of the
// patients document.
#include <gtest/gtest.h>

#include "burnstation/station/documents.h"
#include "burnstation/station/patient_search.h"
#include "burnstation/station/request_error.h"

namespace burnstation::station {
namespace {

store::CollectionSummary summary(const std::string& id, const std::string& name,
                                 const std::string& birthDate = "",
                                 const std::string& accession = "") {
  store::CollectionSummary c;
  c.key = id + "~0000";
  c.patientId = id;
  c.patientName = name;
  c.birthDate = birthDate;
  store::StudySummary s;
  s.studyUid = "1.2.3";
  s.accession = accession;
  c.studies.push_back(s);
  return c;
}

bool finds(const std::string& text, const store::CollectionSummary& c) {
  return PatientSearch(text).matches(c);
}

TEST(PatientSearch, FoldsCaseAccentsWidthAndKana) {
  EXPECT_EQ(foldForSearch("MÜLLER^Jürgen"), "muller jurgen");
  EXPECT_EQ(foldForSearch("Ｍｕｌｌｅｒ"), "muller");
  EXPECT_EQ(foldForSearch("Straße"), "strasse");
  EXPECT_EQ(foldForSearch("Łukasz Øberg Æsa"), "lukasz oberg aesa");
  EXPECT_EQ(foldForSearch("ヤマダ"), "やまだ");
  EXPECT_EQ(foldForSearch("ﾔﾏﾀﾞ"), "やまだ");  // half-width, the voicing mark put back
  EXPECT_EQ(foldForSearch("Yamada^Tarou=山田^太郎=やまだ^たろう"),
            "yamada tarou 山田 太郎 やまだ たろう");
}

TEST(PatientSearch, EveryWordMustMatchSomething) {
  const auto mueller = summary("ID-77", "Müller^Hans", "19700101", "ACC12345");
  EXPECT_TRUE(finds("", mueller));
  EXPECT_TRUE(finds("muller", mueller));
  EXPECT_TRUE(finds("MULLER", mueller));
  EXPECT_TRUE(finds("hans müller", mueller));
  EXPECT_TRUE(finds("Müller, Hans", mueller));
  EXPECT_TRUE(finds("muller^hans", mueller));
  EXPECT_TRUE(finds("id-7", mueller));
  EXPECT_TRUE(finds("acc123", mueller));
  EXPECT_TRUE(finds("1970-01", mueller));
  EXPECT_TRUE(finds("01.01.1970", mueller));
  EXPECT_FALSE(finds("maier", mueller));
  EXPECT_FALSE(finds("muller 1971", mueller));
  EXPECT_FALSE(finds("c123", mueller));  // accession numbers match from the start
  EXPECT_FALSE(finds("02.01.1970", mueller));
}

TEST(PatientSearch, RefusesLongOrInvalidText) {
  EXPECT_NO_THROW(PatientSearch(std::string(PatientSearch::kMaxTextBytes, 'x')));
  EXPECT_THROW(PatientSearch(std::string(PatientSearch::kMaxTextBytes + 1, 'x')), RequestError);
  EXPECT_THROW(PatientSearch("M\xfcller"), RequestError);
  EXPECT_THROW(PatientSearch("\xe5\xb1"), RequestError);  // a truncated sequence
}

TEST(PatientSearch, NewestArrivalsFirst) {
  std::vector<store::CollectionSummary> all = {summary("A", "A"), summary("B", "B"),
                                               summary("C", "C")};
  all[0].lastArrivalMs = 1000;
  all[1].lastArrivalMs = 3000;
  all[2].lastArrivalMs = 2000;
  sortNewestArrivalsFirst(all);
  EXPECT_EQ(all[0].patientId, "B");
  EXPECT_EQ(all[1].patientId, "C");
  EXPECT_EQ(all[2].patientId, "A");
}

TEST(PatientsDocument, ArrivingForTheWindowAfterTheNewestInstance) {
  auto c = summary("A", "A^B");
  const auto now = std::chrono::system_clock::now();
  const auto ms = [](auto t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  };
  c.lastArrivalMs = ms(now - std::chrono::seconds(30));
  c.studies[0].lastArrivalMs = c.lastArrivalMs;
  c.studies[0].accession = "X1";
  const auto doc = [&](int seconds) {
    return patientsDocument({c}, {now, std::chrono::seconds(seconds)})["patients"][0];
  };
  EXPECT_TRUE(doc(60)["arriving"].get<bool>());
  EXPECT_TRUE(doc(60)["studies"][0]["arriving"].get<bool>());
  EXPECT_FALSE(doc(20)["arriving"].get<bool>());
  EXPECT_FALSE(doc(20)["studies"][0]["arriving"].get<bool>());
  EXPECT_EQ(doc(60)["studies"][0]["accession_numbers"], nlohmann::json::array({"X1"}));
  EXPECT_EQ(doc(60)["last_arrival"].get<std::string>().size(), 24u);  // 2026-...T...:00.000Z

  StationConfig config = builtInConfig();
  config.previews.quietSeconds = 300;
  EXPECT_EQ(arrivalWindowFor(config).seconds, std::chrono::seconds(300));
}

}  // namespace
}  // namespace burnstation::station
