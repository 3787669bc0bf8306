// GET /patients (with the kiosk's search), GET /patients/{key} and GET /drives, dispatched
// in-process on a store a real service filled.
#include <algorithm>

#include "burnstation/station/drives_document.h"
#include "burnstation/store/device_states.h"
#include "read_api_fixture.h"

namespace burnstation {
namespace {

using Ids = std::vector<std::string>;

nlohmann::json byKey(nlohmann::json patients) {
  std::sort(patients.begin(), patients.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a["key"] < b["key"]; });
  return patients;
}

TEST_F(ReadApiTest, PatientsAreTheCommandLinesDocumentNewestArrivalsFirst) {
  receive(threePatients());
  const auto response = call("GET", "/patients");
  ASSERT_EQ(response.status, jobs::http::kOk) << response.body;
  EXPECT_EQ(response.contentType, "application/json");
  const nlohmann::json api = document(response);
  EXPECT_EQ(idsFound(""), (Ids{"PAT-JP", "PAT-MUE", "PAT-PLAIN"}));

  const nlohmann::json cli = harness::patientsJson(data());
  EXPECT_EQ(byKey(api["patients"]), byKey(cli["patients"]));

  for (const auto& p : api["patients"]) {
    EXPECT_TRUE(p["arriving"].get<bool>()) << p.dump();  // received seconds ago
    EXPECT_FALSE(p["last_arrival"].get<std::string>().empty());
    ASSERT_EQ(p["studies"].size(), 1u);
    EXPECT_TRUE(p["studies"][0]["arriving"].get<bool>());
  }
  const auto& japanese = api["patients"][0];
  EXPECT_EQ(japanese["patient_name"], "Yamada^Tarou=山田^太郎=やまだ^たろう");
  EXPECT_EQ(japanese["studies"][0]["accession_numbers"], nlohmann::json::array({"JP-77"}));
  EXPECT_EQ(api["patients"][1]["patient_name"], "Müller^Jürgen");
}

TEST_F(ReadApiTest, SearchFindsNamesInAnyCharacterSetWithoutCaseOrAccents) {
  receive(threePatients());
  EXPECT_EQ(idsFound("muller"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("MÜLLER"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("Müller"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("jurgen muller"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("smith"), Ids{"PAT-PLAIN"});
  // Japanese by the ideographic group, the phonetic group in hiragana or katakana (full or
  // half width), the family and given name typed together, and the romaji group.
  EXPECT_EQ(idsFound("山田"), Ids{"PAT-JP"});
  EXPECT_EQ(idsFound("山田太郎"), Ids{"PAT-JP"});
  EXPECT_EQ(idsFound("やまだ"), Ids{"PAT-JP"});
  EXPECT_EQ(idsFound("ヤマダ　タロウ"), Ids{"PAT-JP"});
  EXPECT_EQ(idsFound("ﾔﾏﾀﾞ"), Ids{"PAT-JP"});
  EXPECT_EQ(idsFound("yamada"), Ids{"PAT-JP"});
  EXPECT_EQ(idsFound("山本"), Ids{});
  EXPECT_EQ(idsFound("mullerx"), Ids{});
}

TEST_F(ReadApiTest, SearchFindsIdsBirthDatesAndAccessionNumbers) {
  receive(threePatients());
  EXPECT_EQ(idsFound("pat-m"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("PAT"), (Ids{"PAT-JP", "PAT-MUE", "PAT-PLAIN"}));
  EXPECT_EQ(idsFound("1970"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("19700101"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("1970-01-01"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("01.01.1970"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("1971"), Ids{});
  EXPECT_EQ(idsFound("ACC100"), Ids{"PAT-PLAIN"});
  EXPECT_EQ(idsFound("acc1"), Ids{"PAT-PLAIN"});
  EXPECT_EQ(idsFound("ACC"), (Ids{"PAT-MUE", "PAT-PLAIN"}));
  EXPECT_EQ(idsFound("CC100"), Ids{});  // an accession number matches from its start
  EXPECT_EQ(idsFound("jp-7"), Ids{"PAT-JP"});
  EXPECT_EQ(idsFound("muller 1970"), Ids{"PAT-MUE"});
  EXPECT_EQ(idsFound("muller 1980"), Ids{});
}

TEST_F(ReadApiTest, SearchTextIsBounded) {
  receive({patient("PAT-1", "ONE^PATIENT", "", "19800101", "A1")});
  const auto tooLong = call("GET", "/patients", {{"q", std::string(201, 'a')}});
  EXPECT_EQ(tooLong.status, jobs::http::kBadRequest);
  EXPECT_NE(document(tooLong)["error"].get<std::string>().find("200 bytes"), std::string::npos);
  const auto notUtf8 = call("GET", "/patients", {{"q", "M\xfcller"}});
  EXPECT_EQ(notUtf8.status, jobs::http::kBadRequest);
  EXPECT_NE(document(notUtf8)["error"].get<std::string>().find("UTF-8"), std::string::npos);
  EXPECT_EQ(idsFound(std::string(200, ' ')), Ids{"PAT-1"});  // at the bound: every patient
}

TEST_F(ReadApiTest, OnePatientByKeyOr404) {
  receive(threePatients());
  const nlohmann::json all = document(call("GET", "/patients"));
  for (const auto& p : all["patients"]) {
    const auto one = call("GET", "/patients/" + p["key"].get<std::string>());
    ASSERT_EQ(one.status, jobs::http::kOk) << one.body;
    EXPECT_EQ(document(one), p);
  }
  const auto missing = call("GET", "/patients/NOBODY~00000000");
  EXPECT_EQ(missing.status, jobs::http::kNotFound);
  EXPECT_NE(document(missing)["error"].get<std::string>().find("NOBODY~00000000"),
            std::string::npos);
}

TEST_F(ReadApiTest, DrivesAreWhatTheDeviceWatcherRecorded) {
  receive({patient("PAT-1", "ONE^PATIENT", "", "19800101", "A1")});
  // The service's watcher recorded its drives; the API shows them as recorded.
  store::DeviceStates states(data());
  const auto recorded = states.all();
  ASSERT_FALSE(recorded.empty());
  EXPECT_EQ(document(call("GET", "/drives")), station::drivesDocument(recorded));

  // A row no probe could produce here: the API reads the record, it does not probe.
  store::DeviceState front;
  front.name = "front";
  front.address = "/dev/sr7";
  front.kind = "optical";
  front.mediaStatus = "blank";
  front.mediaType = "CD-R";
  front.capacityBytes = 737'280'000;
  states.replace({front});
  const nlohmann::json drives = document(call("GET", "/drives"));
  ASSERT_EQ(drives["drives"].size(), 1u) << drives.dump(2);
  EXPECT_EQ(drives["drives"][0]["name"], "front");
  EXPECT_EQ(drives["drives"][0]["address"], "/dev/sr7");
  EXPECT_EQ(drives["drives"][0]["media"]["status"], "blank");
  EXPECT_EQ(drives["drives"][0]["media"]["capacity_bytes"], 737'280'000);
}

}  // namespace
}  // namespace burnstation
