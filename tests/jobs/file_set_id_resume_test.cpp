// Every copy of disc N is the same file-set, also when the service restarts between the
// copies: the job keeps the File-set ID of each volume. Before, the resumed job made a new
// one, so copy 2 of the disc named a different file-set than copy 1.
#include <gtest/gtest.h>

#include <regex>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

// The File-set ID (0004,1130) of the DICOMDIR on an ISO image, as xorriso and dcmdump read it.
std::string fileSetIdOf(const fs::path& image, const fs::path& work) {
  const fs::path dicomdir = work / (image.filename().string() + ".DICOMDIR");
  const auto extracted = harness::runCommand({"xorriso", "-osirrox", "on", "-indev", image.string(),
                                              "-extract", "/DICOMDIR", dicomdir.string()});
  EXPECT_EQ(extracted.exitCode, 0) << extracted.err;
  const auto dump = harness::runCommand({"dcmdump", "+P", "0004,1130", dicomdir.string()});
  EXPECT_EQ(dump.exitCode, 0) << dump.err;
  std::smatch id;
  if (!std::regex_search(dump.out, id, std::regex(R"(\[([A-Z0-9_]+)\])"))) {
    ADD_FAILURE() << "no File-set ID in " << dump.out;
    return {};
  }
  return id[1];
}

class FileSetIdResumeTest : public JobsTest {};

TEST_F(FileSetIdResumeTest, BothCopiesOfAVolumeAreTheSameFileSetAcrossARestart) {
  receive(3);
  const fs::path drive = dir.path() / "drive";
  fs::create_directories(drive);
  const fs::path disc = drive / "disc";
  const fs::path firstCopy = drive / "copy1";
  {
    harness::Station station(data());
    const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--copies",
                                    "2", "--drive", "stdio:" + disc.string(), "--json"});
    ASSERT_EQ(queued.exitCode, 0) << queued.err;
    // Copy 1 is written; the job waits for a blank disc for copy 2.
    const auto job = poll([](const auto& j) {
      return j["state"] == "waiting_for_media" && j["volumes"].size() == 2u &&
             j["volumes"][0]["state"] == "done";
    });
    ASSERT_EQ(job["volumes"][0]["state"], "done") << job.dump(2);
    EXPECT_EQ(station.stop(), 0);
  }
  fs::rename(disc, firstCopy);  // copy 1 taken out while the service is down
  ASSERT_EQ(jobs()[0]["state"], "queued");

  harness::Station again(data());
  const auto job =
      poll([](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
  ASSERT_EQ(job["state"], "done") << job.dump(2) << again.log();
  ASSERT_TRUE(fs::exists(disc));
  const std::string first = fileSetIdOf(firstCopy, dir.path());
  const std::string second = fileSetIdOf(disc, dir.path());
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace burnstation
