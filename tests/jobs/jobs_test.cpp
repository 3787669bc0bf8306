// Burn jobs through the service: queued by `burn`, run by `serve` onto the built-in image
// drive, followed with `jobs`, cancelled with `cancel`, resumed after a restart.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

TEST_F(JobsTest, BurnWaitWritesEveryVolumeAndCopyAndVerifiesThem) {
  receive(40);
  Station station(data());
  // A medium about 200 KB smaller than the whole selection with its web content needs, so
  // the 40 instances (about 400 KB) span at least two volumes, each with its own viewer.
  const auto whole = bs(data(), {"plan", "--patient", "JOB-1", "--profile", "cd", "--json"});
  ASSERT_EQ(whole.exitCode, 0) << whole.err;
  const std::uint64_t wholeBytes = nlohmann::json::parse(whole.out)["volumes"][0]["bytes"];
  const std::uint64_t capacity = wholeBytes - 200'000;
  const auto r = bs(data(),
                    {"burn", "--patient", "JOB-1", "--profile", "cd", "--capacity",
                     std::to_string(capacity), "--copies", "2", "--wait", "--json"},
                    3 * kBurnSeconds);
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  const auto job = nlohmann::json::parse(r.out);
  EXPECT_EQ(job["state"], "done");
  ASSERT_GE(job["volumes"].size(), 4u);  // spans at least two discs, two copies each
  const int of = job["volumes"][0]["of"];
  EXPECT_GE(of, 2);
  for (const auto& v : job["volumes"]) {
    EXPECT_EQ(v["state"], "done");
    EXPECT_EQ(v["bytes_written"], v["bytes_total"]);
    const fs::path image = v["target"].get<std::string>();
    EXPECT_EQ(image.filename().string(),
              std::to_string(job["id"].get<int>()) + "-" + std::to_string(v["index"].get<int>()) +
                  "of" + std::to_string(of) + "-" + std::to_string(v["copy"].get<int>()) + ".iso");
    EXPECT_LE(fs::file_size(image), capacity);
    const auto xorriso = harness::runCommand(
        {"xorriso", "-md5", "on", "-indev", image.string(), "-check_md5", "FAILURE", "--"});
    EXPECT_EQ(xorriso.exitCode, 0) << xorriso.err;
  }
  const auto listed = jobs();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["state"], "done");
  EXPECT_EQ(listed[0]["copies"], 2);
  // One printable label per volume, next to the job's images.
  for (int volume = 1; volume <= of; ++volume) {
    const fs::path label = data() / "labels" /
                           (std::to_string(job["id"].get<int>()) + "-" + std::to_string(volume) +
                            "of" + std::to_string(of) + ".png");
    ASSERT_TRUE(fs::exists(label)) << label;
    std::ifstream in(label, std::ios::binary);
    char signature[8] = {};
    in.read(signature, 8);
    EXPECT_EQ(std::string(signature, 8), "\x89PNG\r\n\x1a\n");
  }
  EXPECT_FALSE(fs::exists(data() / "labels" /
                          (std::to_string(job["id"].get<int>()) + "-" + std::to_string(of + 1) +
                           "of" + std::to_string(of) + ".png")));
}

TEST_F(JobsTest, WaitWithoutAServiceFailsAtOnceAndQueuesNothing) {
  receive(1);
  const auto r =
      bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--wait"}, kBurnSeconds);
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("no service is running"), std::string::npos) << r.err;
  EXPECT_TRUE(jobs().empty());
}

TEST_F(JobsTest, QueuedJobsCanBeCancelledAndBadRequestsAreRefused) {
  receive(1);
  const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--json"});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;
  const int id = nlohmann::json::parse(queued.out)["id"];
  EXPECT_EQ(jobs()[0]["state"], "queued");
  EXPECT_EQ(bs(data(), {"cancel", std::to_string(id)}).exitCode, 0);
  EXPECT_EQ(jobs()[0]["state"], "cancelled");
  const auto again = bs(data(), {"cancel", std::to_string(id)});
  EXPECT_NE(again.exitCode, 0);
  EXPECT_NE(again.err.find("already ended"), std::string::npos);

  const auto drive =
      bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--drive", "/dev/sr9"});
  EXPECT_NE(drive.exitCode, 0);
  EXPECT_NE(drive.err.find("there is no burner at /dev/sr9"), std::string::npos) << drive.err;
  const auto floppy =
      bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--drive", "floppy"});
  EXPECT_NE(floppy.err.find("drive \"floppy\" is unknown"), std::string::npos) << floppy.err;
  const auto nobody = bs(data(), {"burn", "--patient", "NOBODY", "--profile", "cd"});
  EXPECT_NE(nobody.exitCode, 0);
  EXPECT_EQ(jobs().size(), 1u);  // nothing else was queued
}

TEST_F(JobsTest, AStdioDriveRefusesWrittenMediaAndWaitsForTheNextOne) {
  receive(5);
  Station station(data());
  const fs::path disc = dir.path() / "drive" / "disc.iso";
  fs::create_directories(disc.parent_path());
  std::ofstream(disc) << std::string(100000, 'x');  // a disc that already holds something
  const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--drive",
                                  "stdio:" + disc.string(), "--copies", "2", "--json"});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;

  auto job = poll([](const nlohmann::json& j) { return j["state"] == "waiting_for_media"; });
  EXPECT_EQ(job["volumes"][0]["reject_reason"], "the medium already holds data");
  EXPECT_NE(job["message"].get<std::string>().find("insert a blank disc"), std::string::npos);
  EXPECT_EQ(fs::file_size(disc), 100000u);  // the refused medium is not touched

  fs::resize_file(disc, 0);  // an emptied file is a blank medium
  job = poll([](const nlohmann::json& j) {
    return j["volumes"][0]["state"] == "done" && j["state"] == "waiting_for_media";
  });
  // Copy 1 now fills the medium, so copy 2 waits for the next one.
  EXPECT_EQ(job["volumes"][1]["state"], "waiting_for_media");
  const fs::path first = dir.path() / "drive" / "copy1.iso";
  fs::rename(disc, first);
  job =
      poll([](const nlohmann::json& j) { return j["state"] == "done" || j["state"] == "failed"; });
  EXPECT_EQ(job["state"], "done") << job.dump(2);
  for (const fs::path& medium : {first, disc}) {
    EXPECT_EQ(bs(data(), {"verify", medium.string()}).exitCode, 0) << medium;
    const auto xorriso = harness::runCommand(
        {"xorriso", "-md5", "on", "-indev", medium.string(), "-check_md5", "FAILURE", "--"});
    EXPECT_EQ(xorriso.exitCode, 0) << xorriso.err;
  }
}

TEST_F(JobsTest, AJobInterruptedByARestartIsRunAgain) {
  receive(3);
  const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--json"});
  ASSERT_EQ(queued.exitCode, 0);
  const int id = nlohmann::json::parse(queued.out)["id"];
  // As a service killed mid-write would leave it.
  harness::queryIndex(data(), "UPDATE jobs SET state = 'writing' WHERE id = " + std::to_string(id));
  Station station(data());
  std::string state;
  for (int i = 0; i < 200 && state != "done" && state != "failed"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    state = jobs()[0]["state"];
  }
  EXPECT_EQ(state, "done") << jobs().dump(2);
  EXPECT_EQ(harness::queryIndex(data(), "SELECT message LIKE '%written and verified%' FROM jobs"),
            "1");
}

}  // namespace
}  // namespace burnstation
