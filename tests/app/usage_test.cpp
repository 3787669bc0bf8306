// `burnstation --help` shows the command-line contract of ARCHITECTURE.md as it is: each of
// its lines, word for word (the text had drifted: `verify PATH`, `--drive images`, no
// `--update` in the export line).
#include <gtest/gtest.h>

#include "station_harness.h"

namespace burnstation {
namespace {

TEST(UsageTest, HelpShowsTheCommandLineContract) {
  const auto help = harness::burnstation({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  // ARCHITECTURE.md, "Command line contract".
  const char* const contract[] = {
      "burnstation serve [--config FILE] [--data-dir DIR] [--port N] [--ae-title AE]",
      "burnstation patients [--json]",
      "burnstation plan --patient KEY [--study UID]... --profile NAME [--capacity SIZE] [--json]",
      "burnstation burn --patient KEY [--study UID]... --profile NAME [--drive ADDR]",
      "                 [--capacity SIZE] [--copies N] [--wait] [--json]",
      "burnstation export --patient KEY [--study UID]... --profile NAME --to DIR",
      "                 [--capacity SIZE] [--update] [--json]",
      "burnstation jobs [--json]",
      "burnstation cancel JOB",
      "burnstation drives [--json]",
      "burnstation verify PATH|ADDR [--json]",
  };
  for (const char* line : contract) {
    EXPECT_NE(help.out.find(std::string("\n") + line), std::string::npos) << line;
  }
  const auto none = harness::burnstation({});
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_EQ(none.out, help.out);
}

}  // namespace
}  // namespace burnstation
