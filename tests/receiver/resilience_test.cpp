// Load and crashes: parallel senders get exact counts, and a SIGKILL in the middle of a
// send loses nothing that was acknowledged and leaves nothing half-written.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <thread>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

std::vector<fs::path> makeSeries(const fs::path& dir, int count, const std::string& patientId,
                                 int rows) {
  testdata::InstanceSpec spec;
  spec.kind = testdata::Kind::CT;
  spec.patientIdBytes = patientId;
  spec.patientNameBytes = "LOAD^" + patientId;
  spec.studyInstanceUid = testdata::newUid();
  spec.seriesInstanceUid = testdata::newUid();
  spec.rows = rows;
  spec.columns = rows;
  std::vector<fs::path> files;
  for (int i = 0; i < count; ++i) {
    spec.sopInstanceUid = testdata::newUid();
    spec.instanceNumber = std::to_string(i + 1);
    spec.seed = static_cast<unsigned>(i);
    files.push_back(testdata::writeInstance(spec, dir));
  }
  return files;
}

TEST(Resilience, EightParallelSendersAllAcknowledgedAllPresent) {
  constexpr int kSenders = 8;
  constexpr int kPerSender = 200;
  TempDir dir;
  {
    std::ofstream config(dir.path() / "station.toml");
    config << "[station]\nmax_associations = " << kSenders << "\nfree_space_reserve = 0\n";
  }
  std::vector<std::vector<fs::path>> batches;
  for (int s = 0; s < kSenders; ++s) {
    batches.push_back(makeSeries(dir.path() / ("sender" + std::to_string(s)), kPerSender,
                                 "LOAD-" + std::to_string(s), 32));
  }
  Station station(dir.path() / "data", dir.path() / "station.toml");
  std::vector<harness::CommandResult> results(kSenders);
  {
    std::vector<std::jthread> senders;
    for (int s = 0; s < kSenders; ++s) {
      senders.emplace_back([&, s] {
        results[s] =
            harness::storescu(station.port(), batches[s], {}, "SENDER" + std::to_string(s));
      });
    }
  }
  for (int s = 0; s < kSenders; ++s) EXPECT_EQ(results[s].exitCode, 0) << results[s].err;

  const auto patients = harness::patientsJson(station.dataDir());
  ASSERT_EQ(patients["patients"].size(), static_cast<std::size_t>(kSenders));
  for (const auto& p : patients["patients"]) EXPECT_EQ(p["instances"], kPerSender) << p["key"];
  EXPECT_EQ(harness::filesEndingWith(station.dataDir() / "objects", ".dcm").size(),
            static_cast<std::size_t>(kSenders * kPerSender));
  EXPECT_EQ(harness::queryIndex(station.dataDir(), "SELECT count(*) FROM instances"),
            std::to_string(kSenders * kPerSender));
}

TEST(Resilience, KilledDuringASendLosesNothingAcknowledged) {
  constexpr int kInstances = 500;
  TempDir dir;
  const auto files = makeSeries(dir.path() / "sent", kInstances, "CRASH-1", 128);
  auto station = std::make_unique<Station>(dir.path() / "data");

  harness::CommandResult sender;
  std::jthread sending([&] { sender = harness::storescu(station->port(), files, {"-v"}); });
  // Kill once a good part has arrived, while storescu is still sending.
  const fs::path objects = dir.path() / "data" / "objects";
  for (int i = 0; i < 3000; ++i) {
    if (harness::filesEndingWith(objects, ".dcm").size() >= kInstances / 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  station->kill();
  sending.join();

  // storescu sends the files in order on one association, so the first N successes are
  // exactly the first N files.
  const std::string log = sender.out + sender.err;
  std::size_t acknowledged = 0;
  for (std::size_t at = 0;
       (at = log.find("Received Store Response (Success)", at)) != std::string::npos; ++at) {
    ++acknowledged;
  }
  ASSERT_GT(acknowledged, 0u) << log.substr(0, 2000);
  ASSERT_LT(acknowledged, static_cast<std::size_t>(kInstances))
      << "the kill came too late to test anything";

  station = std::make_unique<Station>(dir.path() / "data");
  EXPECT_TRUE(harness::filesEndingWith(dir.path() / "data", ".part").empty());
  for (std::size_t i = 0; i < acknowledged; ++i) {
    const fs::path stored = harness::storedFileOf(station->dataDir(), files[i].stem().string());
    ASSERT_FALSE(stored.empty()) << "acknowledged instance " << i << " lost";
    EXPECT_TRUE(testdata::datasetBytesOf(stored) == testdata::datasetBytesOf(files[i])) << i;
  }
  const auto indexed =
      std::stoul(harness::queryIndex(station->dataDir(), "SELECT count(*) FROM instances"));
  EXPECT_GE(indexed, acknowledged);
  EXPECT_LE(indexed, acknowledged + 1);  // at most the one in flight, complete but unanswered
  const auto check = harness::runCommand(
      {harness::burnstationExe(), "check", "--data-dir", station->dataDir().string()});
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  // The store keeps working after recovery.
  const auto rest = harness::storescu(
      station->port(),
      std::vector<fs::path>(files.begin() + static_cast<long>(acknowledged), files.end()));
  EXPECT_EQ(rest.exitCode, 0) << rest.err;
  EXPECT_EQ(harness::queryIndex(station->dataDir(), "SELECT count(*) FROM instances"),
            std::to_string(kInstances));
}

}  // namespace
}  // namespace burnstation
