// A data directory written by the version that named files by their SOP Instance UID
// (objects/<bucket>/<UID>.dcm, set-aside/<UID>.<hash16>.dcm) is migrated when the service
// starts: files get the names the station derives, rows follow, `check` is clean, the
// patients are the same and they still export; a migration cut short simply runs again.
#include <gtest/gtest.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdio>
#include <regex>
#include <sstream>

#include "burnstation/store/stored_path.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

// Where the earlier version put an instance.
std::string oldObjectPath(const std::string& uid) {
  char bucket[3];
  std::snprintf(bucket, sizeof bucket, "%02x",
                static_cast<unsigned>(XXH3_64bits(uid.data(), uid.size()) & 0xffu));
  return std::string("objects/") + bucket + "/" + uid + ".dcm";
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

class LayoutMigration : public ::testing::Test {
 protected:
  TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  std::vector<std::string> uids;
  std::string asideUid;

  // Today's layout: instances of two patients and one set-aside conflict.
  void storeInstances() {
    std::vector<fs::path> files;
    for (int i = 0; i < 4; ++i) {
      testdata::InstanceSpec spec;
      spec.kind = i % 2 ? testdata::Kind::MR : testdata::Kind::CT;
      spec.patientIdBytes = i < 3 ? "MIG-1" : "MIG-2";
      spec.patientNameBytes = i < 3 ? "MIGRATION^ONE" : "MIGRATION^TWO";
      files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
      uids.push_back(files.back().stem().string());
    }
    // The same UID for another patient: kept aside as a conflict.
    testdata::InstanceSpec other;
    other.kind = testdata::Kind::CT;
    other.patientIdBytes = "MIG-3";
    other.patientNameBytes = "MIGRATION^THREE";
    other.sopInstanceUid = uids[0];
    asideUid = uids[0];
    const fs::path conflict = testdata::writeInstance(other, dir.path() / "conflict");
    Station station(data());
    ASSERT_EQ(harness::storescu(station.port(), files).exitCode, 0);
    ASSERT_EQ(harness::storescu(station.port(), {conflict}).exitCode, 0);
    ASSERT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM set_aside"), "1");
  }

  void sql(const std::string& statement) {
    const auto r = harness::runCommand({"sqlite3", (data() / "index.sqlite").string(), statement});
    ASSERT_EQ(r.exitCode, 0) << statement << ": " << r.err;
  }

  // Rewrites files and rows into the earlier layout, with the sqlite3 shell and rename.
  void rewriteToOldLayout(bool keepOneRenamed) {
    for (const auto& row : lines(harness::queryIndex(
             data(), "SELECT sop_instance_uid || '|' || path FROM instances"))) {
      const std::string uid = row.substr(0, row.find('|'));
      const std::string path = row.substr(row.find('|') + 1);
      const std::string old = oldObjectPath(uid);
      // A migration cut short after a rename: the file already has its new name, the row
      // still names the old one.
      if (!(keepOneRenamed && uid == uids[1])) {
        fs::create_directories((data() / old).parent_path());
        fs::rename(data() / path, data() / old);
      }
      sql("UPDATE instances SET path = '" + old + "' WHERE sop_instance_uid = '" + uid + "'");
    }
    const std::string aside = harness::queryIndex(data(), "SELECT path FROM set_aside");
    const std::string hash = harness::queryIndex(data(), "SELECT content_hash FROM set_aside");
    const std::string oldAside = "set-aside/" + asideUid + "." + hash.substr(0, 16) + ".dcm";
    fs::rename(data() / aside, data() / oldAside);
    sql("UPDATE set_aside SET path = '" + oldAside + "'");
    sql("ALTER TABLE instances DROP COLUMN uid_note");
    sql("ALTER TABLE devices DROP COLUMN formattable");
    sql("PRAGMA user_version = 0");
  }

  void expectMigrated(const nlohmann::json& patientsBefore) {
    EXPECT_EQ(harness::queryIndex(data(), "PRAGMA user_version"), "2");
    EXPECT_EQ(
        harness::queryIndex(
            data(), "SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'formattable'"),
        "1");
    for (const std::string& uid : uids) {
      SCOPED_TRACE(uid);
      const fs::path stored = harness::storedFileOf(data(), uid);
      EXPECT_EQ(stored, data() / store::objectPathFor(uid));
      EXPECT_FALSE(fs::exists(data() / oldObjectPath(uid)));
      EXPECT_TRUE(fs::is_regular_file(stored));
    }
    const std::string aside = harness::queryIndex(data(), "SELECT path FROM set_aside");
    EXPECT_EQ(aside.rfind("set-aside/" + store::uidDigest(asideUid) + ".", 0), 0u) << aside;
    EXPECT_TRUE(fs::is_regular_file(data() / aside));
    EXPECT_EQ(harness::filesEndingWith(data() / "set-aside", ".dcm").size(), 1u);
    const std::regex derivedName("[0-9a-f]{32}(-[1-9][0-9]*)?\\.dcm");
    for (const auto& f : harness::filesEndingWith(data() / "objects", ".dcm")) {
      EXPECT_TRUE(std::regex_match(f.filename().string(), derivedName)) << "not migrated: " << f;
    }
    const auto check = harness::burnstation({"check", "--data-dir", data().string()});
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
    EXPECT_EQ(harness::patientsJson(data()), patientsBefore);
    const auto exported =
        harness::burnstation({"export", "--data-dir", data().string(), "--patient", "MIG-1",
                              "--profile", "cd", "--to", (dir.path() / "exported").string()});
    EXPECT_EQ(exported.exitCode, 0) << exported.err;
    EXPECT_EQ(harness::filesEndingWith(dir.path() / "exported" / "DICOM", "").size() > 0, true);
    EXPECT_EQ(
        harness::queryIndex(data(), "SELECT count(*) FROM events WHERE kind = 'layout-migrated'"),
        "1");
  }
};

TEST_F(LayoutMigration, FilesNamedByUidGetDerivedNamesAtStart) {
  storeInstances();
  const nlohmann::json before = harness::patientsJson(data());
  rewriteToOldLayout(false);
  ASSERT_TRUE(fs::exists(data() / oldObjectPath(uids[0])));
  {
    Station station(data());
    EXPECT_NE(station.log().find("layout: 5 stored file(s) renamed"), std::string::npos)
        << station.log();
    // The service answers at once on the migrated store.
    const auto echo = harness::runCommand({"echoscu", "-to", "5", "-aet", "MODALITY1", "-aec",
                                           "BURNSTATION", "127.0.0.1", station.portText()});
    EXPECT_EQ(echo.exitCode, 0) << echo.err;
  }
  expectMigrated(before);
  // A second start finds nothing to do.
  { Station again(data()); }
  EXPECT_EQ(
      harness::queryIndex(data(), "SELECT count(*) FROM events WHERE kind = 'layout-migrated'"),
      "1");
  const auto check = harness::burnstation({"check", "--data-dir", data().string()});
  EXPECT_EQ(check.exitCode, 0) << check.out;
}

TEST_F(LayoutMigration, AMigrationCutShortRunsAgain) {
  storeInstances();
  const nlohmann::json before = harness::patientsJson(data());
  rewriteToOldLayout(true);
  { Station station(data()); }
  expectMigrated(before);
}

}  // namespace
}  // namespace burnstation
