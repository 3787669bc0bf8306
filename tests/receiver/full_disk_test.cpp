// A really full filesystem (a small tmpfs filled to the last byte): C-STORE answers A700
// with an Error Comment, everything else keeps working, the service restarts read-only, and
// it stores again as soon as space returns, without a restart.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>

#include "dicom_factory.h"
#include "small_filesystem.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

fs::path ctFile(const fs::path& dir, unsigned seed) {
  testdata::InstanceSpec spec;
  spec.patientIdBytes = "FULL-1";
  spec.patientNameBytes = "FULL^DISK";
  spec.seed = seed;
  return testdata::writeInstance(spec, dir);
}

int storedInstances(const fs::path& dataDir) {
  int count = 0;
  const nlohmann::json doc = harness::patientsJson(dataDir);  // must outlive the loop
  for (const auto& patient : doc["patients"]) {
    count += patient["instances"].get<int>();
  }
  return count;
}

// storescu's own report of the response, and the Error Comment it carried.
void expectOutOfResources(const harness::CommandResult& sent) {
  const std::string log = sent.out + sent.err;
  EXPECT_NE(sent.exitCode, 0);
  EXPECT_NE(log.find("DIMSE Status                  : 0xa700"), std::string::npos) << log;
  EXPECT_NE(log.find("(0000,0902) LO [storage full"), std::string::npos) << log;
}

void expectEcho(const Station& station) {
  const auto echo = harness::runCommand({"echoscu", "127.0.0.1", station.portText()});
  EXPECT_EQ(echo.exitCode, 0) << echo.err << station.log();
}

TEST(FullDisk, AnswersA700KeepsServingRestartsReadOnlyAndStoresWhenSpaceReturns) {
  TempDir dir;
  harness::SmallFilesystem small(dir.path() / "data", "8m");
  const fs::path config = dir.path() / "station.toml";
  std::ofstream(config)
      << "[station]\nfree_space_reserve = 0\n[acceptance]\nany_called_ae = true\n";
  // The mount point is the data directory, so the service's log (beside it) is not on the
  // full filesystem; the filler lies inside it, where nothing of the station looks.
  const fs::path data = small.path();
  std::optional<Station> station;
  station.emplace(data, config);

  std::vector<fs::path> earlier;
  for (unsigned i = 0; i < 3; ++i) earlier.push_back(ctFile(dir.path() / "sent", i));
  ASSERT_EQ(harness::storescu(station->port(), earlier).exitCode, 0) << station->log();
  ASSERT_EQ(storedInstances(data), 3);

  small.fillWith(small.path() / "filler");
  ASSERT_EQ(small.freeBytes(), 0u);

  // Full: A700 with a reason, and the service goes on (it used to end in std::terminate).
  expectOutOfResources(
      harness::storescu(station->port(), {ctFile(dir.path() / "late", 10)}, {"-d"}));
  expectEcho(*station);
  EXPECT_EQ(storedInstances(data), 3);
  const auto exported =
      harness::burnstation({"export", "--data-dir", data.string(), "--patient", "FULL-1",
                            "--profile", "dvd", "--to", (dir.path() / "export").string()});
  EXPECT_EQ(exported.exitCode, 0) << exported.err;
  EXPECT_GE(harness::filesEndingWith(dir.path() / "export", "").size(), 4u);

  // Restart on the full disk: it starts, read-only, and says so.
  station->stop();
  ASSERT_NO_THROW(station.emplace(data, config));
  EXPECT_NE(station->log().find("read-only until space returns"), std::string::npos)
      << station->log();
  expectEcho(*station);
  expectOutOfResources(
      harness::storescu(station->port(), {ctFile(dir.path() / "late", 11)}, {"-d"}));
  EXPECT_EQ(storedInstances(data), 3);

  // Space returns: the next C-STORE is stored without a restart.
  fs::remove(small.path() / "filler");
  const fs::path after = ctFile(dir.path() / "after", 12);
  const auto statuses = harness::testScuStatuses(station->port(), {after});
  EXPECT_EQ(statuses.at(after.string()), "0000") << station->log();
  EXPECT_EQ(storedInstances(data), 4);
  const auto check = harness::burnstation({"check", "--data-dir", data.string()});
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  EXPECT_EQ(harness::queryIndex(data, "SELECT count(*) FROM events WHERE kind = 'store-writable'"),
            "1");
  EXPECT_EQ(harness::queryIndex(data, "SELECT count(*) FROM events WHERE kind = 'store-read-only'"),
            "1");
  expectEcho(*station);
  EXPECT_EQ(station->stop(), 0) << station->log();
}

TEST(FullDisk, AFilesystemFilledWhileReceivingLosesNothingAcknowledged) {
  TempDir dir;
  harness::SmallFilesystem small(dir.path() / "small", "4m");
  const fs::path config = dir.path() / "station.toml";
  std::ofstream(config)
      << "[station]\nfree_space_reserve = 0\n[acceptance]\nany_called_ae = true\n";
  std::vector<fs::path> files;
  for (unsigned i = 0; i < 30; ++i) {
    testdata::InstanceSpec spec;
    spec.patientIdBytes = "FULL-1";
    spec.rows = 256;
    spec.columns = 256;
    spec.seed = i;
    files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
  }
  Station station(small.path() / "data", config);
  const auto statuses = harness::testScuStatuses(station.port(), files);
  int stored = 0, full = 0;
  for (const fs::path& f : files) {
    const std::string& status = statuses.at(f.string());
    if (status == "0000") {
      ++stored;
    } else {
      EXPECT_EQ(status, "A700") << f;
      ++full;
    }
  }
  EXPECT_GT(stored, 0);
  EXPECT_GT(full, 0);
  EXPECT_EQ(storedInstances(station.dataDir()), stored);
  EXPECT_TRUE(harness::filesEndingWith(station.dataDir() / "incoming", ".part").empty());
  const auto check = harness::burnstation({"check", "--data-dir", station.dataDir().string()});
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  expectEcho(station);
}

}  // namespace
}  // namespace burnstation
