// A burner libburn finds but no [[drive]] entry names: with no configuration, `burn` without
// --drive goes to it and the service burns onto it (fault 1 of issue 9: the job used to
// record the derived name "sr0", which the service then called unknown). The burner is a
// `stdio:` pseudo-drive presented as discovered through the test-only environment variable.
#include <gtest/gtest.h>

#include <cstdlib>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

// The variable reaches the service and the command line: both inherit this environment.
class DiscoveredBurners {
 public:
  explicit DiscoveredBurners(const std::string& list) {
    ::setenv("BURNSTATION_TEST_DISCOVERED_BURNERS", list.c_str(), 1);
  }
  ~DiscoveredBurners() { ::unsetenv("BURNSTATION_TEST_DISCOVERED_BURNERS"); }
  DiscoveredBurners(const DiscoveredBurners&) = delete;
  DiscoveredBurners& operator=(const DiscoveredBurners&) = delete;
};

class DiscoveredBurnerTest : public JobsTest {};

TEST_F(DiscoveredBurnerTest, ABurnerNoEntryNamesTakesTheJobWithoutDriveOrConfiguration) {
  receive(3);
  fs::create_directories(dir.path() / "burner");
  const fs::path disc = dir.path() / "burner" / "disc";
  const DiscoveredBurners burners("stdio:" + disc.string());
  Station station(data());

  const auto listed = nlohmann::json::parse(bs(data(), {"drives", "--json"}).out)["drives"];
  ASSERT_GE(listed.size(), 1u);
  EXPECT_EQ(listed[0]["name"], "disc") << listed.dump(2);
  EXPECT_EQ(listed[0]["address"], "stdio:" + disc.string());
  EXPECT_EQ(listed[0]["kind"], "optical");

  const auto r = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--wait", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err << station.log();
  const auto job = nlohmann::json::parse(r.out);
  EXPECT_EQ(job["state"], "done");
  EXPECT_EQ(job["drive"], "stdio:" + disc.string()) << job.dump(2);
  ASSERT_EQ(job["volumes"].size(), 1u);
  EXPECT_EQ(job["volumes"][0]["target"], "stdio:" + disc.string());
  // Written onto the burner, not into the image drive's folder.
  EXPECT_TRUE(harness::filesEndingWith(data() / "images", ".iso").empty());
  EXPECT_EQ(referencedFiles(disc), 3);
}

TEST_F(DiscoveredBurnerTest, ADiscoveredBurnerIsAcceptedByItsName) {
  receive(2);
  fs::create_directories(dir.path() / "burner");
  const fs::path disc = dir.path() / "burner" / "writer";
  const DiscoveredBurners burners("stdio:" + disc.string());
  Station station(data());
  const auto r = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--drive", "writer",
                             "--wait", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err << station.log();
  const auto job = nlohmann::json::parse(r.out);
  EXPECT_EQ(job["drive"], "stdio:" + disc.string()) << job.dump(2);
  EXPECT_EQ(referencedFiles(disc), 2);
}

}  // namespace
}  // namespace burnstation
