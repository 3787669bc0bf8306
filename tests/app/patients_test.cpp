// Collections as the clerk sees them: grouping by Patient ID + name, generated IDs,
// conflict flags, and names in proper UTF-8 whatever character set they were sent in.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;
using testdata::InstanceSpec;

InstanceSpec person(const std::string& id, const std::string& name) {
  InstanceSpec s;
  s.kind = testdata::Kind::CT;
  s.patientIdBytes = id;
  s.patientNameBytes = name;
  s.studyInstanceUid = testdata::newUid();
  return s;
}

nlohmann::json sendAndList(const std::vector<InstanceSpec>& specs) {
  TempDir dir;
  std::vector<fs::path> files;
  for (const auto& s : specs) files.push_back(testdata::writeInstance(s, dir.path() / "sent"));
  Station station(dir.path() / "data");
  const auto r = harness::storescu(station.port(), files);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  return harness::patientsJson(station.dataDir());
}

const nlohmann::json* findPatient(const nlohmann::json& patients, const std::string& id,
                                  const std::string& name) {
  for (const auto& p : patients["patients"]) {
    if (p["patient_id"] == id && p["patient_name"] == name) return &p;
  }
  return nullptr;
}

TEST(Patients, InstancesAreGroupedByIdAndNormalisedName) {
  InstanceSpec a1 = person("ID-1", "DOE^JOHN");
  InstanceSpec a2 = person("ID-1", "Doe^John^^  ");  // same person, other padding and case
  InstanceSpec a3 = a1;
  a3.sopInstanceUid = testdata::newUid();
  a3.seriesInstanceUid = testdata::newUid();
  const auto patients = sendAndList({a1, a2, a3, person("ID-2", "ROE^RICHARD")});
  ASSERT_EQ(patients["patients"].size(), 2u) << patients.dump(2);
  const auto* doe = findPatient(patients, "ID-1", "DOE^JOHN");
  ASSERT_NE(doe, nullptr) << patients.dump(2);
  EXPECT_EQ((*doe)["instances"], 3);
  EXPECT_EQ((*doe)["studies"].size(), 2u);
  EXPECT_TRUE((*doe)["conflicts"].empty());
}

TEST(Patients, ConflictsAreFlaggedOnBothSides) {
  InstanceSpec sameIdOtherName = person("ID-7", "SMITH^ANNA");
  InstanceSpec original = person("ID-7", "SMITH^JANE");
  InstanceSpec sameNameOtherId = person("ID-8", "SMITH^JANE");
  InstanceSpec sharedStudy = person("ID-9", "JONES^MARK");
  InstanceSpec sharedStudyOther = person("ID-10", "BAKER^LISA");
  sharedStudyOther.studyInstanceUid = sharedStudy.studyInstanceUid;
  const auto patients =
      sendAndList({original, sameIdOtherName, sameNameOtherId, sharedStudy, sharedStudyOther});
  ASSERT_EQ(patients["patients"].size(), 5u);

  auto conflictsOf = [&](const std::string& id, const std::string& name) {
    const auto* p = findPatient(patients, id, name);
    EXPECT_NE(p, nullptr) << id << " " << name;
    std::string all;
    if (p) {
      for (const auto& c : (*p)["conflicts"]) all += c.get<std::string>() + "\n";
    }
    return all;
  };
  const std::string jane = conflictsOf("ID-7", "SMITH^JANE");
  EXPECT_NE(jane.find("Patient ID ID-7 is also used for \"SMITH^ANNA\""), std::string::npos)
      << jane;
  EXPECT_NE(jane.find("same name is also used with Patient ID ID-8"), std::string::npos) << jane;
  EXPECT_NE(conflictsOf("ID-7", "SMITH^ANNA").find("also used for \"SMITH^JANE\""),
            std::string::npos);
  EXPECT_NE(conflictsOf("ID-8", "SMITH^JANE").find("Patient ID ID-7"), std::string::npos);
  EXPECT_NE(conflictsOf("ID-9", "JONES^MARK").find(sharedStudy.studyInstanceUid),
            std::string::npos);
  EXPECT_NE(conflictsOf("ID-10", "BAKER^LISA").find(sharedStudy.studyInstanceUid),
            std::string::npos);
}

TEST(Patients, MissingPatientIdGetsAGeneratedKeyWithoutTouchingTheData) {
  InstanceSpec withAccession = person("", "NOID^ALICE");
  withAccession.omitPatientId = true;
  withAccession.accessionNumber = "ACC123";
  InstanceSpec emptyId = person("", "NOID^BOB");
  InstanceSpec secondStudy = person("", "NOID^BOB");
  const auto patients = sendAndList({withAccession, emptyId, secondStudy});
  ASSERT_EQ(patients["patients"].size(), 3u) << patients.dump(2);
  const auto* alice = findPatient(patients, "ACC-ACC123", "NOID^ALICE");
  ASSERT_NE(alice, nullptr) << patients.dump(2);
  EXPECT_TRUE((*alice)["id_generated"].get<bool>());
  int bobs = 0;
  for (const auto& p : patients["patients"]) {
    if (p["patient_name"] != "NOID^BOB") continue;
    ++bobs;
    EXPECT_TRUE(p["id_generated"].get<bool>());
    EXPECT_EQ(p["patient_id"].get<std::string>().rfind("STUDY-", 0), 0u);
    EXPECT_EQ(p["studies"].size(), 1u);    // each study its own collection (Table 19)
    EXPECT_FALSE(p["conflicts"].empty());  // same name, different (generated) IDs
  }
  EXPECT_EQ(bobs, 2);
}

TEST(Patients, NamesArePrintedInUtf8WhateverTheirCharacterSet) {
  struct Case {
    const char* charset;
    std::string bytes;
    const char* utf8;
  };
  const Case cases[] = {
      // PS3.5 H.3.1
      {"\\ISO 2022 IR 87",
       "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B",
       "Yamada^Tarou=山田^太郎=やまだ^たろう"},
      // PS3.5 I.2
      {"\\ISO 2022 IR 149",
       "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)"
       "C\xb1\xe6\xb5\xbf",
       "Hong^Gildong=洪^吉洞=홍^길동"},
      {"ISO_IR 100", "M\xfcller^J\xfcrgen", "Müller^Jürgen"},
      {"ISO_IR 192", "Ødegård^Åse", "Ødegård^Åse"},
      {"GB18030", "\xcd\xf5^\xd0\xa1\xb6\xab", "王^小东"},
  };
  std::vector<InstanceSpec> specs;
  int n = 0;
  for (const Case& c : cases) {
    InstanceSpec s = person("CS-" + std::to_string(n++), c.bytes);
    s.specificCharacterSet = c.charset;
    specs.push_back(s);
  }
  const auto patients = sendAndList(specs);
  n = 0;
  for (const Case& c : cases) {
    const std::string id = "CS-" + std::to_string(n++);
    const auto* p = findPatient(patients, id, c.utf8);
    EXPECT_NE(p, nullptr) << c.charset << " not shown as " << c.utf8 << " in\n" << patients.dump(2);
  }
}

}  // namespace
}  // namespace burnstation
