// Least privilege: whatever the umask of whoever starts the service, nothing in the data
// directory (index and its WAL, objects, images, labels, scratch, ...) is open to "other".
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

mode_t modeOf(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

TEST_F(JobsTest, NothingInTheDataDirectoryIsOpenToOtherUsers) {
  ::umask(022);  // a permissive admin shell: the service must not inherit it
  // What an earlier version left behind: 0755 folders and a 0644 file.
  fs::create_directories(data() / "quarantine");
  std::ofstream(data() / "quarantine" / "old.dcm") << "left by an earlier version";
  fs::permissions(data(), fs::perms(0755));
  fs::permissions(data() / "quarantine" / "old.dcm", fs::perms(0644));

  Station station(data());
  ASSERT_EQ(harness::storescu(station.port(), instances(3)).exitCode, 0);
  const auto burned =
      harness::runCommand({harness::burnstationExe(), "burn", "--data-dir", data().string(),
                           "--patient", "JOB-1", "--profile", "cd", "--wait"},
                          {}, kBurnSeconds);
  ASSERT_EQ(burned.exitCode, 0) << burned.out << burned.err;

  const auto isos = harness::filesEndingWith(data() / "images", ".iso");
  const auto labels = harness::filesEndingWith(data() / "labels", ".png");
  ASSERT_EQ(isos.size(), 1u);
  ASSERT_EQ(labels.size(), 1u);
  EXPECT_EQ(modeOf(data()), 0750u);
  EXPECT_EQ(modeOf(data() / "index.sqlite"), 0640u);
  EXPECT_EQ(modeOf(data() / "index.sqlite-wal"), 0640u);
  EXPECT_EQ(modeOf(data() / "index.sqlite-shm"), 0640u);
  EXPECT_EQ(modeOf(isos[0]), 0640u);
  EXPECT_EQ(modeOf(labels[0]), 0640u);
  EXPECT_EQ(modeOf(data() / "quarantine" / "old.dcm"), 0640u);
  for (const char* folder :
       {"objects", "incoming", "set-aside", "quarantine", "images", "labels", "scratch"}) {
    EXPECT_EQ(modeOf(data() / folder), 0750u) << folder;
  }

  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data())) {
    const mode_t mode = modeOf(entry.path());
    if (entry.is_socket()) continue;  // access to a socket is decided by its own checks
    EXPECT_EQ(mode & 07, 0u) << entry.path() << " is open to other users (mode 0" << std::oct
                             << mode << ")";
    EXPECT_EQ(mode & 020, 0u) << entry.path() << " is writable by the group";
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

}  // namespace
}  // namespace burnstation
