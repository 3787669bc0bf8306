// The service clears scratch left over by a crash; an export running beside it right now
// (its scratch named after its PID) keeps its re-encoded copies.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

TEST_F(JobsTest, TheServiceLeavesARunningExportsScratchAlone) {
  receive(1);
  // A process that has ended: its scratch is a leftover.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);
  const fs::path dead = data() / "scratch" / ("export-" + std::to_string(child));
  // This test process stands for an export still running.
  const fs::path live = data() / "scratch" / ("export-" + std::to_string(::getpid()));
  for (const fs::path& p : {dead, live}) {
    fs::create_directories(p);
    std::ofstream(p / "0.dcm") << "re-encoded copy";
  }
  harness::Station station(data());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (fs::exists(dead) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(fs::exists(dead)) << "the leftover scratch was never cleared";
  EXPECT_TRUE(fs::exists(live / "0.dcm")) << "a running export's scratch was removed";
}

}  // namespace
}  // namespace burnstation
