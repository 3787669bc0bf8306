// The harness's command runner gives every command a deadline: a command that hangs (a
// `burn --wait` whose job never ends, a peer that never answers) is killed and fails the
// test in seconds instead of holding it until ctest's timeout.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <chrono>

#include "station_harness.h"

namespace burnstation {
namespace {

TEST(CommandDeadline, AHungCommandIsKilledAndFailsTheTest) {
  const auto started = std::chrono::steady_clock::now();
  harness::CommandResult r;
  EXPECT_NONFATAL_FAILURE(r = harness::runCommand({"sleep", "60"}, {}, 1),
                          "still running after 1 s, killed: sleep 60");
  EXPECT_TRUE(r.timedOut);
  EXPECT_NE(r.exitCode, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
}

TEST(CommandDeadline, ACommandWithinItsDeadlineIsNotDisturbed) {
  const auto r = harness::runCommand({"sh", "-c", "echo done; exit 3"}, {}, 30);
  EXPECT_FALSE(r.timedOut);
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_EQ(r.out, "done\n");
}

}  // namespace
}  // namespace burnstation
