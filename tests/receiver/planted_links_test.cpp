// Symbolic links planted inside the data directory while the service runs never carry a
// received file out of it: a linked bucket folder in objects/ is refused, a link at an
// instance's derived name is left alone (the file takes the next name), and links at the
// names of files being received in incoming/ are stepped around.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "burnstation/store/stored_path.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

std::string bytesOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The service's process: temporary names start with its PID.
int servicePid(const fs::path& dataDir) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    const std::string cmdline{std::istreambuf_iterator<char>(in), {}};
    if (cmdline.find(std::string("serve") + '\0') != std::string::npos &&
        cmdline.find(dataDir.string()) != std::string::npos) {
      return std::stoi(name);
    }
  }
  return -1;
}

class PlantedLinks : public ::testing::Test {
 protected:
  TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  fs::path outside() const { return dir.path() / "outside"; }

  fs::path instance(const std::string& name) {
    testdata::InstanceSpec spec;
    spec.kind = testdata::Kind::CT;
    spec.patientIdBytes = "LINKS-" + name;
    spec.patientNameBytes = "LINKS^TEST";
    return testdata::writeInstance(spec, dir.path() / "sent");
  }
};

TEST_F(PlantedLinks, ALinkedBucketFolderIsNotWrittenThrough) {
  Station station(data());
  fs::create_directories(outside());
  for (int b = 0; b < 256; ++b) {
    char bucket[3];
    std::snprintf(bucket, sizeof bucket, "%02x", b);
    fs::create_directory_symlink(outside(), data() / "objects" / bucket);
  }
  const fs::path file = instance("BUCKET");
  const auto statuses = harness::testScuStatuses(station.port(), {file});
  EXPECT_NE(statuses.at(file.string()), "0000");
  EXPECT_TRUE(fs::is_empty(outside()));
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM instances"), "0");
  const auto check = harness::burnstation({"check", "--data-dir", data().string()});
  EXPECT_NE(check.exitCode, 0);
  EXPECT_NE(check.out.find("symbolic link"), std::string::npos) << check.out;
  const auto echo = harness::runCommand({"echoscu", "-to", "5", "-aet", "MODALITY1", "-aec",
                                         "BURNSTATION", "127.0.0.1", station.portText()});
  EXPECT_EQ(echo.exitCode, 0) << echo.err;
}

TEST_F(PlantedLinks, ALinkAtTheDerivedNameIsLeftAlone) {
  Station station(data());
  fs::create_directories(outside());
  const fs::path precious = outside() / "precious";
  std::ofstream(precious) << "not to be overwritten";
  const fs::path file = instance("NAME");
  const std::string uid = file.stem().string();
  const fs::path derived = data() / store::objectPathFor(uid);
  fs::create_directories(derived.parent_path());
  fs::create_symlink(precious, derived);

  const auto statuses = harness::testScuStatuses(station.port(), {file});
  EXPECT_EQ(statuses.at(file.string()), "0000");
  EXPECT_EQ(bytesOf(precious), "not to be overwritten");
  EXPECT_TRUE(fs::is_symlink(derived));
  const fs::path stored = harness::storedFileOf(data(), uid);
  ASSERT_FALSE(stored.empty());
  EXPECT_FALSE(fs::is_symlink(stored));
  EXPECT_EQ(stored.parent_path(), derived.parent_path());
  EXPECT_EQ(stored.filename().string(), derived.stem().string() + "-1.dcm");
  EXPECT_TRUE(testdata::datasetBytesOf(stored) == testdata::datasetBytesOf(file));
}

TEST_F(PlantedLinks, LinksAtTheNamesOfFilesBeingReceivedAreSteppedAround) {
  Station station(data());
  const int pid = servicePid(data());
  ASSERT_GT(pid, 0);
  fs::create_directories(outside());
  for (int n = 0; n < 100; ++n) {
    fs::create_symlink(
        outside() / std::to_string(n),
        data() / "incoming" / (std::to_string(pid) + "-" + std::to_string(n) + ".part"));
  }
  std::vector<fs::path> files = {instance("A"), instance("B"), instance("C")};
  const auto statuses = harness::testScuStatuses(station.port(), files);
  for (const auto& f : files) {
    EXPECT_EQ(statuses.at(f.string()), "0000") << f;
    EXPECT_FALSE(harness::storedFileOf(data(), f.stem().string()).empty());
  }
  EXPECT_TRUE(fs::is_empty(outside()));
}

}  // namespace
}  // namespace burnstation
