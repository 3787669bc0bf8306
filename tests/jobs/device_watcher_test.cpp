// `drives` while a service runs reads what the service's device watcher recorded: a drive a
// job holds is shown as in use by that job, never grabbed from outside; media changes in an
// idle drive show up without anyone but the service looking.
#include <gtest/gtest.h>

#include <fstream>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

class DeviceWatcherTest : public JobsTest {
 protected:
  fs::path disc() const { return dir.path() / "drive" / "disc"; }
  fs::path config() {
    fs::create_directories(dir.path() / "drive");
    const fs::path file = dir.path() / "burnstation.toml";
    std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                           "[acceptance]\nany_called_ae = true\n"
                           "[[drive]]\nname = \"tiny\"\naddress = \"stdio:"
                        << disc().string() << "\"\nmedia = \"cd\"\ncapacity = \"1M\"\n";
    return file;
  }
  nlohmann::json drive(const fs::path& configFile, const std::string& name) {
    const auto r = bs(data(), {"drives", "--config", configFile.string(), "--json"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const auto doc = nlohmann::json::parse(r.out);  // must outlive the loop over its drives
    for (const auto& d : doc["drives"]) {
      if (d["name"] == name) return d;
    }
    ADD_FAILURE() << "no drive " << name << " in " << r.out;
    return nlohmann::json::object();
  }
  // The drive once condition holds for it (a test failure after about 30 s).
  nlohmann::json pollDrive(const fs::path& configFile, const std::string& name,
                           const std::function<bool(const nlohmann::json&)>& condition) {
    nlohmann::json d;
    for (int i = 0; i < 300; ++i) {
      d = drive(configFile, name);
      if (condition(d)) return d;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "drive did not get there: " << d.dump(2);
    return d;
  }
};

TEST_F(DeviceWatcherTest, ADriveAJobHoldsIsShownInUseAndNotGrabbed) {
  receive(150);  // about 2.4 MB: more than tiny's 1 MB medium
  const fs::path file = config();
  Station station(data(), file);
  const auto idle = pollDrive(file, "tiny", [](const auto& d) { return d.contains("updated"); });
  EXPECT_EQ(idle["media"]["status"], "blank") << idle.dump(2);
  EXPECT_EQ(idle["media"]["capacity_bytes"], 1'000'000);

  const auto queued =
      bs(data(), {"burn", "--config", file.string(), "--patient", "JOB-1", "--profile", "cd",
                  "--drive", "tiny", "--capacity", "700M", "--json"});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;
  const auto id = nlohmann::json::parse(queued.out)["id"].get<int>();
  poll([](const auto& j) { return j["state"] == "waiting_for_media"; });
  const auto held =
      pollDrive(file, "tiny", [](const auto& d) { return d["media"]["status"] == "busy"; });
  EXPECT_EQ(held["media"]["reason"], "in use by job " + std::to_string(id)) << held.dump(2);

  ASSERT_EQ(bs(data(), {"cancel", std::to_string(id)}).exitCode, 0);
  poll([](const auto& j) { return j["state"] == "cancelled"; });
  // Free again, the watcher looks into it once more: a medium holding data is seen.
  std::ofstream(disc()) << "data the clerk left on the disc";
  const auto written =
      pollDrive(file, "tiny", [](const auto& d) { return d["media"]["status"] == "written"; });
  EXPECT_EQ(written["media"]["reason"], "the medium already holds data") << written.dump(2);
}

TEST_F(DeviceWatcherTest, WithoutAServiceDrivesLooksItself) {
  const fs::path file = config();
  { Station station(data(), file); }  // the data directory exists, no service runs
  const auto d = drive(file, "tiny");
  EXPECT_EQ(d["media"]["status"], "blank") << d.dump(2);
  EXPECT_FALSE(d.contains("updated"));  // probed now, not read from the service's record
}

}  // namespace
}  // namespace burnstation
