// A mount helper that never returns (a stick that does not answer, a hung FUSE server) must
// not hold a job for ever: it is killed at its limit, reaped (no zombie), the error says
// what happened, and no mount point is left. The helpers are found through PATH, so a
// stand-in script that hangs takes their place.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>

#include "burnstation/mediawriter/fat_volume.h"
#include "burnstation/mediawriter/media_error.h"
#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// PATH with a folder of stand-ins in front, for the scope of a test.
class PathInFront {
 public:
  explicit PathInFront(const fs::path& folder)
      : old_(std::getenv("PATH") ? std::getenv("PATH") : "") {
    ::setenv("PATH", (folder.string() + ":" + old_).c_str(), 1);
  }
  ~PathInFront() { ::setenv("PATH", old_.c_str(), 1); }
  PathInFront(const PathInFront&) = delete;
  PathInFront& operator=(const PathInFront&) = delete;

 private:
  std::string old_;
};

// A helper that writes its process ID where the test can find it and then hangs.
void hangingHelper(const fs::path& folder, const std::string& name, const fs::path& pidFile) {
  const fs::path script = folder / name;
  std::ofstream(script) << "#!/bin/sh\necho $$ > " << pidFile.string()
                        << "\necho mounting...\nexec sleep 600\n";
  fs::permissions(script, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

pid_t pidIn(const fs::path& file) {
  std::ifstream in(file);
  pid_t pid = -1;
  in >> pid;
  return pid;
}

TEST(MountHelperLimit, AHelperThatHangsIsStoppedAndReapedWithAClearError) {
  harness::TempDir dir;
  const fs::path bin = dir.path() / "bin";
  fs::create_directories(bin);
  const fs::path pidFile = dir.path() / "helper.pid";
  // Whichever the machine uses: the kernel's vfat through mount(8), or fusefat.
  hangingHelper(bin, "mount", pidFile);
  hangingHelper(bin, "fusefat", pidFile);
  const fs::path image = dir.path() / "stick.img";
  std::ofstream(image, std::ios::binary) << std::string(1 << 20, '\0');
  const fs::path mountParent = dir.path() / "mnt";

  const PathInFront path(bin);
  const auto started = std::chrono::steady_clock::now();
  auto attempt = std::async(std::launch::async, [&]() -> std::string {
    try {
      MountedFat mounted(image, mountParent, 1500ms);
      return "mounted";
    } catch (const MediaError& e) {
      return e.what();
    }
  });
  if (attempt.wait_for(20s) != std::future_status::ready) {
    // Without a limit the attempt waits as long as the helper: end the helper to end it.
    if (const pid_t helper = pidIn(pidFile); helper > 0) ::kill(helper, SIGKILL);
    attempt.wait();
    FAIL() << "the mount helper was waited for without a limit";
  }
  const std::string error = attempt.get();
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, 15s);
  EXPECT_NE(error.find("the stick cannot be opened"), std::string::npos) << error;
  EXPECT_NE(error.find("did not finish within 1500 ms"), std::string::npos) << error;

  const pid_t helper = pidIn(pidFile);
  ASSERT_GT(helper, 0) << "the stand-in helper never ran";
  // kill(pid, 0) still reaches a zombie: ESRCH means killed and reaped.
  errno = 0;
  EXPECT_EQ(::kill(helper, 0), -1);
  EXPECT_EQ(errno, ESRCH) << "the helper " << helper << " is still there";
  ASSERT_TRUE(fs::exists(mountParent));
  EXPECT_TRUE(fs::is_empty(mountParent));
}

}  // namespace
}  // namespace burnstation::mediawriter
