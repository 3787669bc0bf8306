// Sizes and numbers that overflow, and configuration paths that are not files, are refused
// with the file (and line) and the reason instead of silently meaning something else.
#include <gtest/gtest.h>

#include <fstream>

#include "burnstation/station/station_config.h"
#include "station_harness.h"

namespace burnstation::station {
namespace {

namespace fs = std::filesystem;

fs::path write(const harness::TempDir& dir, const std::string& text) {
  const fs::path file = dir.path() / "burnstation.toml";
  std::ofstream(file) << text;
  return file;
}

std::string refusal(const fs::path& file) {
  try {
    loadConfig(file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(ConfigLimits, SizesThatOverflowAreRefusedWithTheLine) {
  for (const std::string size :
       {"\"99999999999999999999G\"", "\"1e30\"", "\"18446744073709551616\"",
        "\"9223372036854775808\"", "\"9223372036.854775808G\"", "\"-5G\"", "\"-1\"", "\"inf\"",
        "\"nan\"", "\"0x10\"", "\" 5G\"", "\"1.5.3G\"", "\".5G\"", "\"5.G\"", "\"1e3\"", "-5",
        "99999999999999999999"}) {
    harness::TempDir dir;
    const fs::path file = write(dir, "[station]\nfree_space_reserve = " + size + "\n");
    const std::string why = refusal(file);
    EXPECT_EQ(why.rfind(file.string() + ":2: ", 0), 0u) << size << " -> " << why;
  }
}

TEST(ConfigLimits, EverySizeSettingIsChecked) {
  harness::TempDir dir;
  EXPECT_NE(refusal(write(dir,
                          "[[profile]]\nname = \"big\"\nmedium = \"STD-GEN-CD\"\n"
                          "capacity = \"1e30\"\n"))
                .find(":4: capacity must be a size"),
            std::string::npos);
  EXPECT_NE(refusal(write(dir,
                          "[[profile]]\nname = \"big\"\nmedium = \"STD-GEN-CD\"\n"
                          "viewer_reserve = \"99999999999999999999G\"\n"))
                .find(":4: viewer_reserve must be a size"),
            std::string::npos);
  EXPECT_NE(refusal(write(dir,
                          "[[drive]]\nname = \"d\"\naddress = \"stdio:/tmp/x\"\n"
                          "capacity = \"18446744073709551616\"\n"))
                .find(":4: capacity must be a size"),
            std::string::npos);
}

TEST(ConfigLimits, SizesAreExactUpToTheLargest) {
  EXPECT_EQ(parseSize("9223372036854775807"), 9'223'372'036'854'775'807u);
  EXPECT_EQ(parseSize("9223372036.854775807G"), 9'223'372'036'854'775'807u);
  EXPECT_EQ(parseSize("4.7G"), 4'700'000'000u);
  EXPECT_EQ(parseSize("16.6M"), 16'600'000u);
  EXPECT_EQ(parseSize("0.5K"), 500u);
  EXPECT_EQ(parseSize("1.0000005K"), 1000u);  // below a byte: rounded down
  EXPECT_EQ(parseSize("0"), 0u);
  harness::TempDir dir;
  EXPECT_EQ(
      loadConfig(write(dir, "[station]\nfree_space_reserve = \"8000000T\"\n")).freeSpaceReserve,
      8'000'000'000'000'000'000u);
}

TEST(ConfigLimits, AConfigurationPathThatIsNotAFileIsRefused) {
  harness::TempDir dir;
  const fs::path folder = dir.path() / "conf.d";
  fs::create_directories(folder);
  EXPECT_EQ(refusal(folder), folder.string() + ": is a directory, not a configuration file");
  EXPECT_EQ(refusal("/dev/null"),
            "/dev/null: is not a regular file, so it cannot be a configuration");
  const fs::path missing = dir.path() / "missing.toml";
  EXPECT_EQ(refusal(missing).rfind(missing.string() + ": cannot read the configuration file: ", 0),
            0u);
}

TEST(ConfigLimits, TheServiceRefusesADirectoryAsItsConfiguration) {
  harness::TempDir dir;
  const fs::path folder = dir.path() / "conf.d";
  fs::create_directories(folder);
  // `timeout`: the landed code starts and serves on its defaults; the test must not hang.
  const auto r = harness::runCommand({"timeout", "30", harness::burnstationExe(), "serve", "--port",
                                      "0", "--data-dir", (dir.path() / "data").string(), "--config",
                                      folder.string()});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.exitCode, 124) << "the service started with a directory as its configuration";
  EXPECT_NE(r.err.find(folder.string() + ": is a directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos);
}

TEST(ConfigLimits, CommandLineNumbersThatOverflowAreRefused) {
  harness::TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const auto port = harness::runCommand(
      {"timeout", "30", harness::burnstationExe(), "serve", "--port", "", "--data-dir", data});
  EXPECT_NE(port.exitCode, 0);
  EXPECT_NE(port.exitCode, 124) << "an empty --port was taken as 0";
  EXPECT_NE(port.err.find("--port must be 0..65535"), std::string::npos) << port.err;
  const auto big = harness::runCommand({"timeout", "30", harness::burnstationExe(), "serve",
                                        "--port", "18446744073709551617", "--data-dir", data});
  EXPECT_NE(big.exitCode, 0);
  EXPECT_NE(big.err.find("--port must be 0..65535"), std::string::npos) << big.err;
  const auto cancel = harness::burnstation({"cancel", "99999999999999999999", "--data-dir", data});
  EXPECT_NE(cancel.exitCode, 0);
  EXPECT_NE(cancel.err.find("is not a job number"), std::string::npos) << cancel.err;
}

}  // namespace
}  // namespace burnstation::station
