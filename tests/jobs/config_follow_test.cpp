// `burnstation serve` follows the configuration file in force as effectiveConfig picks it:
// the service-owned <data_dir>/station.toml (what the local API saves) once it appears, and
// the --config file again when it goes.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "burnstation/station/station_config.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

// Whether at least count reloads from the file are in the events within seconds.
bool reloadsFrom(const fs::path& data, const fs::path& file, int count, int seconds = 15) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    const std::string n = harness::queryIndex(
        data, "SELECT count(*) FROM events WHERE kind = 'config-reloaded' AND detail = '" +
                  file.string() + "'");
    if (std::atoi(n.c_str()) >= count) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TEST(ConfigFollow, TheServiceOwnedFileIsFollowedOnceItAppearsAndLeftWhenItGoes) {
  harness::TempDir dir;
  const fs::path data = dir.path() / "data";
  const fs::path given = dir.path() / "given.toml";
  std::ofstream(given) << "[station]\nfree_space_reserve = \"50M\"\n"
                          "[acceptance]\nany_called_ae = true\n";
  harness::Station station(data, given);

  const fs::path owned = station::serviceConfigPath(data);
  station::StationConfig saved = station::effectiveConfig(given, data);
  saved.api.allowedUsers = {"nobody"};
  station::saveConfig(saved, owned);
  ASSERT_TRUE(reloadsFrom(data, owned, 1)) << station.log();

  fs::remove(owned);
  ASSERT_TRUE(reloadsFrom(data, given, 1)) << station.log();
  // The file is looked at every second; unchanged, it is not reloaded again.
  EXPECT_FALSE(reloadsFrom(data, given, 2, 3)) << station.log();
  EXPECT_FALSE(reloadsFrom(data, owned, 2, 0)) << station.log();
}

}  // namespace
}  // namespace burnstation
