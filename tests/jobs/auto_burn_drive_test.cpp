// Auto-burn takes its drive from what the service's device watcher found: a rule without a
// drive burns onto the discovered burner (recorded by its address, as `burn` records it),
// and the log says which drive the rule burns to.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

class TestBurners {
 public:
  explicit TestBurners(const std::string& list) {
    ::setenv("BURNSTATION_TEST_DISCOVERED_BURNERS", list.c_str(), 1);
  }
  ~TestBurners() { ::unsetenv("BURNSTATION_TEST_DISCOVERED_BURNERS"); }
  TestBurners(const TestBurners&) = delete;
  TestBurners& operator=(const TestBurners&) = delete;
};

class AutoBurnDriveTest : public JobsTest {};

TEST_F(AutoBurnDriveTest, ARuleWithoutADriveBurnsOntoTheDiscoveredBurner) {
  fs::create_directories(dir.path() / "burner");
  const fs::path disc = dir.path() / "burner" / "disc";
  const TestBurners burners("stdio:" + disc.string());
  const fs::path config = dir.path() / "burnstation.toml";
  std::ofstream(config) << "[station]\nae_title = \"BURNSTATION\"\nfree_space_reserve = \"50M\"\n"
                           "[[auto_burn]]\ncalled_ae_title = \"BURN_CD\"\nprofile = \"cd\"\n"
                           "quiet_seconds = 2\n";
  Station station(data(), config);
  const auto sent = instances(2);
  std::vector<std::string> argv{"storescu", "-aec", "BURN_CD", "127.0.0.1", station.portText()};
  for (const auto& f : sent) argv.push_back(f.string());
  ASSERT_EQ(harness::runCommand(argv).exitCode, 0);

  const auto job =
      poll([](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
  ASSERT_EQ(job["state"], "done") << job.dump(2) << station.log();
  EXPECT_EQ(job["drive"], "stdio:" + disc.string());
  EXPECT_EQ(job["volumes"][0]["target"], "stdio:" + disc.string());
  EXPECT_EQ(referencedFiles(disc), 2);
  EXPECT_NE(station.log().find("auto-burn for BURN_CD: burning to drive disc"), std::string::npos)
      << station.log();
}

}  // namespace
}  // namespace burnstation
