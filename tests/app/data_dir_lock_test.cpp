// One service per data directory: a second `serve` on the same directory refuses with the
// PID of the first, and the first keeps serving with its files untouched.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

std::vector<fs::path> ctFiles(const fs::path& dir, int count, unsigned first) {
  std::vector<fs::path> files;
  for (int i = 0; i < count; ++i) {
    testdata::InstanceSpec spec;
    spec.patientIdBytes = "LOCK-1";
    spec.seed = first + static_cast<unsigned>(i);
    files.push_back(testdata::writeInstance(spec, dir));
  }
  return files;
}

// `serve` on dataDir as a second process; `timeout` bounds it, because the landed code
// starts and serves.
harness::CommandResult secondServe(const fs::path& dataDir, const fs::path& config) {
  return harness::runCommand({"timeout", "20", harness::burnstationExe(), "serve", "--port", "0",
                              "--data-dir", dataDir.string(), "--config", config.string()});
}

int storedInstances(const fs::path& dataDir) {
  int count = 0;
  const nlohmann::json doc = harness::patientsJson(dataDir);  // must outlive the loop
  for (const auto& p : doc["patients"]) count += p["instances"].get<int>();
  return count;
}

TEST(DataDirLock, ASecondServiceOnTheSameDataDirectoryRefusesNamingTheFirst) {
  harness::TempDir dir;
  const fs::path data = dir.path() / "data";
  Station first(data);
  const fs::path config = dir.path() / "data.test.toml";  // the harness's test configuration
  ASSERT_TRUE(fs::exists(config));
  ASSERT_EQ(harness::storescu(first.port(), ctFiles(dir.path() / "a", 3, 0)).exitCode, 0);
  // A file the first service is still receiving: the second's recovery would delete it.
  const fs::path arriving = data / "incoming" / (std::to_string(first.pid()) + "-999.part");
  std::ofstream(arriving) << "half a data set";

  const auto second = secondServe(data, config);
  EXPECT_NE(second.exitCode, 0);
  EXPECT_NE(second.exitCode, 124) << "the second service started: " << second.out;
  EXPECT_EQ(second.out.find("listening"), std::string::npos) << second.out;
  EXPECT_NE(second.err.find("(PID " + std::to_string(first.pid()) + ")"), std::string::npos)
      << second.err;
  EXPECT_NE(second.err.find(data.string()), std::string::npos) << second.err;
  EXPECT_EQ(std::count(second.err.begin(), second.err.end(), '\n'), 1) << second.err;

  // The first goes on, and nothing of it was touched.
  EXPECT_TRUE(fs::exists(arriving));
  EXPECT_EQ(harness::runCommand({"echoscu", "127.0.0.1", first.portText()}).exitCode, 0);
  ASSERT_EQ(harness::storescu(first.port(), ctFiles(dir.path() / "b", 1, 10)).exitCode, 0);
  EXPECT_EQ(storedInstances(data), 4);
  EXPECT_TRUE(harness::filesEndingWith(data / "quarantine", "").empty());
  fs::remove(arriving);
  const auto check = harness::burnstation({"check", "--data-dir", data.string()});
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
}

TEST(DataDirLock, TheLockGoesWithTheServiceEvenWhenItIsKilled) {
  harness::TempDir dir;
  const fs::path data = dir.path() / "data";
  {
    Station first(data);
    first.kill();  // as a power cut or an OOM kill would
  }
  Station again(data);  // throws when it does not start
  EXPECT_EQ(harness::runCommand({"echoscu", "127.0.0.1", again.portText()}).exitCode, 0);
  again.stop();
  Station third(data);
  EXPECT_EQ(harness::runCommand({"echoscu", "127.0.0.1", third.portText()}).exitCode, 0);
}

}  // namespace
}  // namespace burnstation
