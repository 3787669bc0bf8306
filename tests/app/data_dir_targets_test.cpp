// What a command writes goes outside the data directory: `export --to`, `burn --drive
// stdio:FILE` and `usb:PATH` naming a place inside it (directly, through "..", or through a
// symbolic link) are refused with the reason, and the store stays consistent.
#include <gtest/gtest.h>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

class DataDirTargets : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Station> station;
  fs::path data() const { return dir.path() / "data"; }

  void SetUp() override {
    testdata::InstanceSpec spec;
    spec.kind = testdata::Kind::CT;
    spec.patientIdBytes = "TARGET-1";
    spec.patientNameBytes = "TARGET^TEST";
    const fs::path file = testdata::writeInstance(spec, dir.path() / "sent");
    station = std::make_unique<Station>(data());
    ASSERT_EQ(harness::storescu(station->port(), {file}).exitCode, 0);
    fs::create_directory_symlink(data(), dir.path() / "link-to-data");
  }

  // Places inside the data directory, spelled in the ways a person (or a script) might.
  std::vector<fs::path> insideSpellings(const std::string& leaf) const {
    return {data() / "objects" / leaf, data() / leaf,
            dir.path() / "elsewhere" / ".." / "data" / "objects" / leaf,
            dir.path() / "link-to-data" / "objects" / leaf};
  }

  void expectConsistent() {
    const auto check = harness::burnstation({"check", "--data-dir", data().string()});
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  }
};

TEST_F(DataDirTargets, ExportIntoTheDataDirectoryIsRefused) {
  for (const fs::path& to : insideSpellings("exported")) {
    SCOPED_TRACE(to.string());
    const auto r = harness::burnstation({"export", "--data-dir", data().string(), "--patient",
                                         "TARGET-1", "--profile", "cd", "--to", to.string()});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("inside the station's data directory"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(data() / "objects" / "exported"));
    EXPECT_FALSE(fs::exists(data() / "exported"));
    expectConsistent();
  }
  // The data directory itself, with --update, is refused as well.
  const auto update =
      harness::burnstation({"export", "--data-dir", data().string(), "--patient", "TARGET-1",
                            "--profile", "cd", "--update", "--to", (data() / "objects").string()});
  EXPECT_NE(update.exitCode, 0);
  EXPECT_NE(update.err.find("inside the station's data directory"), std::string::npos)
      << update.err;
  // Outside it, export works.
  const auto good =
      harness::burnstation({"export", "--data-dir", data().string(), "--patient", "TARGET-1",
                            "--profile", "cd", "--to", (dir.path() / "out").string()});
  EXPECT_EQ(good.exitCode, 0) << good.err;
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "DICOMDIR"));
  expectConsistent();
}

TEST_F(DataDirTargets, BurnTargetsInsideTheDataDirectoryAreRefused) {
  for (const fs::path& file : insideSpellings("disc.iso")) {
    SCOPED_TRACE(file.string());
    const auto disc =
        harness::burnstation({"burn", "--data-dir", data().string(), "--patient", "TARGET-1",
                              "--profile", "cd", "--drive", "stdio:" + file.string()});
    EXPECT_NE(disc.exitCode, 0);
    EXPECT_NE(disc.err.find("inside the station's data directory"), std::string::npos) << disc.err;
    const auto stick =
        harness::burnstation({"burn", "--data-dir", data().string(), "--patient", "TARGET-1",
                              "--profile", "usb", "--drive", "usb:" + file.string()});
    EXPECT_NE(stick.exitCode, 0);
    EXPECT_NE(stick.err.find("inside the station's data directory"), std::string::npos)
        << stick.err;
  }
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM jobs"), "0");
  expectConsistent();
}

}  // namespace
}  // namespace burnstation
