// `plan` sizes volumes by building a preview DICOMDIR (it names the patient) in the shared
// temporary directory: another local user must not be able to plant that folder first, or
// read what goes into it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

TEST_F(JobsTest, PlanNeverUsesAFolderSomeoneElsePlantedInTheTemporaryDirectory) {
  receive(3);
  const fs::path tmp = dir.path() / "tmp";
  fs::create_directories(tmp);
  fs::permissions(tmp, fs::perms(01777));
  // In a PID namespace of its own the command is PID 1, so every name derived from its PID
  // is known beforehand: folders another user (nobody) made there, open to all.
  std::vector<fs::path> planted;
  for (int volume = 0; volume <= 2; ++volume) {
    const fs::path p = tmp / ("burnstation-plan-1-" + std::to_string(volume));
    fs::create_directories(p);
    std::ofstream(p / "planted") << "someone else's";
    ASSERT_EQ(::chown(p.c_str(), 65534, 65534), 0);
    fs::permissions(p, fs::perms(0777));
    planted.push_back(p);
  }
  const auto r = harness::runCommand(
      {"timeout", "120", "unshare", "--pid", "--fork", harness::burnstationExe(), "plan",
       "--data-dir", data().string(), "--patient", "JOB-1", "--profile", "cd", "--json"},
      {{"TMPDIR", tmp.string()}});
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["volumes"].size(), 1u);
  EXPECT_EQ(doc["volumes"][0]["instances"], 3);
  for (const fs::path& p : planted) {
    // Left as it was: nothing written into it, nothing removed from it.
    ASSERT_TRUE(fs::exists(p / "planted")) << p << " was used and removed";
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(p)) ++entries;
    EXPECT_EQ(entries, 1u) << p;
  }
  // And its own folder is gone afterwards.
  std::size_t left = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp)) ++left;
  EXPECT_EQ(left, planted.size());
}

}  // namespace
}  // namespace burnstation
