// Saving the configuration for the admin screens: what saveConfig writes, loadConfig reads
// back to an equal configuration (every field, through operator==); it is never written over
// the packaged file or the file the station was started with; and once saved, every command
// runs with it.
#include <gtest/gtest.h>

#include <fstream>

#include "burnstation/station/station_config.h"
#include "station_harness.h"

namespace burnstation::station {
namespace {

namespace fs = std::filesystem;

StationConfig everythingSet(const fs::path& dataDir) {
  StationConfig c = builtInConfig();
  c.dataDir = dataDir;
  c.freeSpaceReserve = 123'456'789;
  c.duplicates = store::DuplicatePolicy::Replace;
  c.receiver.aeTitle = "SAVED \"AE\"";
  c.receiver.port = 4242;
  c.receiver.maxPduBytes = 32768;
  c.receiver.maxAssociations = 7;
  c.receiver.maxAssociationsPerHost = 3;
  c.receiver.maxPendingRequests = 50;
  c.receiver.maxPendingRequestsPerHost = 9;
  c.receiver.artimSeconds = 11;
  c.receiver.dimseSeconds = 42;
  c.receiver.idleSeconds = 301;
  c.receiver.maxNestingDepth = 80;
  c.receiver.acceptAnyCalledAe = false;
  c.receiver.callingAllowlist = true;
  c.receiver.remotes.push_back({"CT01", "192.0.2.10", "ISO_IR 100", 104});
  c.receiver.remotes.push_back({"MR02", "", "", 0});
  c.receiver.extraCalledAeTitles = {"OTHER", "BURN_CD"};
  ProfileSetting compact;
  compact.name = "dvd-compact";
  compact.medium = dicomdir::ApplicationProfile::StdGenDvdJpeg;
  compact.capacity = 4'700'000'000;
  compact.viewer = false;
  compact.viewerReserve = 1'000'000;
  compact.compression = dicomdir::Compression::JpegLossless;
  compact.blankRewritable = true;
  compact.label = false;
  c.profiles.push_back(compact);
  c.profiles[0].capacity = 650'000'000;  // a built-in one changed
  c.drives.push_back({"burner1", "/dev/sr0", MediaKind::Any, std::nullopt});
  c.drives.push_back({"tiny", "stdio:/tmp/x y\\z", MediaKind::Cd, 2'000'000});
  c.autoBurn.push_back({"BURN_CD", "cd", "tiny", 2, 60});
  c.jobs.verify = false;
  c.jobs.keepImagesHours = 5;
  c.usbAllowlist = {"0781:5581", "0781:5581:ABC123"};
  c.api.socket = "/run/burnstation/api.sock";
  c.api.socketGroup = "burnstation-kiosk";
  c.api.allowedUsers = {"kiosk"};
  c.api.allowedGroups = {"burners", "admins"};
  c.admin = {3, 7, 20, true};
  c.kiosk.idleSeconds = 45;
  return c;
}

TEST(ConfigSaveTest, WhatIsSavedReadsBackAsTheSameConfiguration) {
  harness::TempDir dir;
  for (const StationConfig& original : {everythingSet(dir.path()), [&] {
                                          StationConfig c = builtInConfig();
                                          c.dataDir = dir.path();
                                          return c;
                                        }()}) {
    const fs::path file = serviceConfigPath(dir.path());
    saveConfig(original, file);
    StationConfig read = loadConfig(file);
    EXPECT_EQ(read.source, file);
    read.source = original.source;
    EXPECT_TRUE(read == original) << std::ifstream(file).rdbuf();
  }
  // Nothing but the file itself is left in the folder (the temporary file was renamed).
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(ConfigSaveTest, TheRemotePortIsKept) {
  harness::TempDir dir;
  const fs::path file = dir.path() / "in.toml";
  std::ofstream(file) << "[[remote]]\nae_title = \"CT01\"\nport = 104\n";
  const StationConfig c = loadConfig(file);
  ASSERT_EQ(c.receiver.remotes.size(), 1u);
  EXPECT_EQ(c.receiver.remotes[0].port, 104);
}

TEST(ConfigSaveTest, ThePackagedFileAndTheStartingFileAreNeverWritten) {
  harness::TempDir dir;
  StationConfig c = builtInConfig();
  c.dataDir = dir.path();
  try {
    saveConfig(c, kPackagedConfigFile);
    FAIL() << "the packaged file was written";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.reason().find("packaged configuration file"), std::string::npos) << e.what();
  }
  const fs::path admins = dir.path() / "admin.toml";
  std::ofstream(admins) << "[jobs]\nverify = true\n";
  c = loadConfig(admins);
  c.dataDir = dir.path();
  c.jobs.verify = false;
  try {
    saveConfig(c, admins);
    FAIL() << "the file the station started with was written";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.reason().find("does not own"), std::string::npos) << e.what();
  }
  EXPECT_EQ(loadConfig(admins).jobs.verify, true);  // unchanged
  saveConfig(c, serviceConfigPath(dir.path()));     // the service's own file is fine
  EXPECT_EQ(loadConfig(serviceConfigPath(dir.path())).jobs.verify, false);
}

TEST(ConfigSaveTest, AConfigurationThatWouldNotStartIsNotSaved) {
  harness::TempDir dir;
  StationConfig c = builtInConfig();
  c.dataDir = dir.path();
  c.receiver.callingAllowlist = true;  // with no [[remote]]: nobody could send
  const fs::path file = serviceConfigPath(dir.path());
  EXPECT_THROW(saveConfig(c, file), ConfigError);
  EXPECT_FALSE(fs::exists(file));
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 0);  // no temporary file left behind
}

TEST(ConfigSaveTest, TheServiceOwnedFileIsInForceForEveryCommand) {
  harness::TempDir dir;
  const fs::path data = dir.path() / "data";
  fs::create_directories(data);
  const fs::path admins = dir.path() / "admin.toml";
  std::ofstream(admins) << "[station]\nae_title = \"FROM_FILE\"\n";
  EXPECT_EQ(effectiveConfig(admins, data).receiver.aeTitle, "FROM_FILE");
  StationConfig saved = effectiveConfig(admins, data);
  saved.receiver.aeTitle = "FROM_KIOSK";
  saveConfig(saved, serviceConfigPath(data));
  const StationConfig now = effectiveConfig(admins, data);
  EXPECT_EQ(now.receiver.aeTitle, "FROM_KIOSK");
  EXPECT_EQ(now.source, serviceConfigPath(data));
  EXPECT_EQ(now.dataDir, data);
}

}  // namespace
}  // namespace burnstation::station
