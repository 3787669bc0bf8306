// Configuration: defaults, every setting read, and bad files refused with line and reason.
#include "station_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "station_harness.h"

namespace burnstation::app {
namespace {

namespace fs = std::filesystem;

fs::path write(const harness::TempDir& dir, const std::string& text) {
  const fs::path file = dir.path() / "burnstation.toml";
  std::ofstream(file) << text;
  return file;
}

TEST(StationConfig, BuiltInDefaultsMatchTheRequirements) {
  const StationConfig c = builtInConfig();
  EXPECT_EQ(c.receiver.aeTitle, "BURNSTATION");
  EXPECT_EQ(c.receiver.port, 11112);
  EXPECT_EQ(c.receiver.maxPduBytes, 65536);
  EXPECT_EQ(c.receiver.maxAssociations, 5);
  EXPECT_EQ(c.receiver.artimSeconds, 10);
  EXPECT_EQ(c.receiver.dimseSeconds, 30);
  EXPECT_TRUE(c.receiver.acceptAnyCalledAe);
  EXPECT_FALSE(c.receiver.callingAllowlist);
  EXPECT_FALSE(c.source.has_value());
}

TEST(StationConfig, TheShippedDefaultFileParsesToTheSameValues) {
  harness::TempDir dir;
  const StationConfig c = loadConfig(write(dir, defaultConfigText()));
  EXPECT_EQ(c.receiver.aeTitle, "BURNSTATION");
  EXPECT_EQ(c.freeSpaceReserve, 2'000'000'000u);
  EXPECT_EQ(c.receiver.idleSeconds, 300);
  EXPECT_FALSE(c.receiver.acceptAnyCalledAe);  // an installed file names its AE titles
}

TEST(StationConfig, ReadsEverySetting) {
  harness::TempDir dir;
  const StationConfig c = loadConfig(write(dir, R"(
[station]
ae_title = "MEDIA1"
port = 104
data_dir = "/srv/burn"
max_pdu = 16384
max_associations = 16
free_space_reserve = "500M"
duplicates = "replace"
[timeouts]
artim = 20
dimse = 60
idle = 120
[acceptance]
called_ae_titles = ["BURN_CD", "BURN_DVD"]
[[remote]]
ae_title = "CT01"
host = "10.0.0.5"
port = 104
assume_charset = "ISO_IR 100"
)"));
  EXPECT_EQ(c.receiver.aeTitle, "MEDIA1");
  EXPECT_EQ(c.receiver.port, 104);
  EXPECT_EQ(c.dataDir, "/srv/burn");
  EXPECT_EQ(c.receiver.maxPduBytes, 16384);
  EXPECT_EQ(c.receiver.maxAssociations, 16);
  EXPECT_EQ(c.freeSpaceReserve, 500'000'000u);
  EXPECT_EQ(c.duplicates, store::DuplicatePolicy::Replace);
  EXPECT_EQ(c.receiver.artimSeconds, 20);
  EXPECT_EQ(c.receiver.dimseSeconds, 60);
  EXPECT_EQ(c.receiver.idleSeconds, 120);
  EXPECT_EQ(c.receiver.extraCalledAeTitles, (std::vector<std::string>{"BURN_CD", "BURN_DVD"}));
  ASSERT_EQ(c.receiver.remotes.size(), 1u);
  EXPECT_EQ(c.receiver.remotes[0].host, "10.0.0.5");
  EXPECT_EQ(c.receiver.remotes[0].assumeCharset, "ISO_IR 100");
  EXPECT_TRUE(c.receiver.callingAllowlist);  // on because remotes are listed
}

TEST(StationConfig, ProfilesAreBuiltInAndCanBeAddedOrReplaced) {
  harness::TempDir dir;
  const StationConfig c = loadConfig(write(dir, R"(
[[profile]]
name = "cd"
medium = "STD-GEN-CD"
viewer = false
[[profile]]
name = "dvd-compact"
medium = "STD-GEN-DVD-JPEG"
capacity = "8.5G"
viewer_reserve = "40M"
compress = "jpeg-lossless"
)"));
  for (const char* name : {"cd", "dvd", "dvd-j2k", "usb", "usb-j2k", "dvd-compact"}) {
    EXPECT_NE(c.findProfile(name), nullptr) << name;
  }
  EXPECT_FALSE(c.findProfile("cd")->viewer);  // replaced
  const ProfileSetting* compact = c.findProfile("dvd-compact");
  EXPECT_EQ(compact->medium, dicomdir::ApplicationProfile::StdGenDvdJpeg);
  EXPECT_EQ(compact->capacity, 8'500'000'000u);
  EXPECT_EQ(compact->viewerReserve, 40'000'000u);
  EXPECT_EQ(compact->compression, dicomdir::Compression::JpegLossless);
  EXPECT_TRUE(builtInConfig().findProfile("usb-j2k")->viewer);
}

TEST(StationConfig, BadFilesAreRefusedWithLineAndReason) {
  struct Case {
    std::string text;
    int line;
    std::string reason;
  };
  const Case cases[] = {
      {"[station]\nport = 70000\n", 2, "port must be between 0 and 65535"},
      {"[station]\nae_title = \"THIS_TITLE_IS_TOO_LONG\"\n", 2, "1 to 16 characters"},
      {"[station]\nmax_pdu = 1024\n", 2, "max_pdu must be between 4096 and 131072"},
      {"[station]\nfree_space_reserve = \"lots\"\n", 2, "free_space_reserve must be a size"},
      {"[station]\nduplicates = \"merge\"\n", 2, "duplicates must be \"keep\" or \"replace\""},
      {"\n\n[station]\naetitle = \"X\"\n", 4, "unknown setting \"aetitle\""},
      {"[acceptance]\ncalling_allowlist = true\n", 2, "no [[remote]] is configured"},
      {"[[remote]]\nhost = \"10.0.0.1\"\n", 1, "needs an ae_title"},
      {"[[profile]]\nname = \"x\"\nmedium = \"STD-GEN-BLURAY\"\n", 3, "medium must be one of"},
      {"[[profile]]\nname = \"x\"\nmedium = \"STD-GEN-CD\"\ncompress = \"jpeg-lossless\"\n", 4,
       "needs a JPEG medium"},
      {"[[profile]]\nname = \"x\"\nmedium = \"STD-GEN-DVD-JPEG\"\ncompress = \"jpeg-lossy\"\n", 4,
       "lossy compression is never used"},
      {"[station\nport = 1\n", 1, ""},  // TOML syntax error: the parser's own reason
  };
  harness::TempDir dir;
  for (const Case& c : cases) {
    const fs::path file = write(dir, c.text);
    try {
      loadConfig(file);
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.line(), c.line) << c.text << " -> " << e.what();
      EXPECT_NE(e.reason().find(c.reason), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind(file.string() + ":", 0), 0u) << e.what();
    }
  }
}

TEST(StationConfig, SizesAreDecimal) {
  EXPECT_EQ(parseSize("700M"), 700'000'000u);
  EXPECT_EQ(parseSize("4.7G"), 4'700'000'000u);
  EXPECT_EQ(parseSize("1M"), 1'000'000u);
  EXPECT_EQ(parseSize("2048"), 2048u);
  EXPECT_FALSE(parseSize("12 parsecs"));
  EXPECT_FALSE(parseSize(""));
}

TEST(StationConfig, ServeRefusesABadFileAndSaysWhere) {
  harness::TempDir dir;
  const fs::path file = write(dir, "[timeouts]\ndimse = 0\n");
  const auto r = harness::runCommand({harness::burnstationExe(), "serve", "--config", file.string(),
                                      "--data-dir", (dir.path() / "data").string()});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find(file.string() + ":2: dimse must be between 1 and 3600"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "index.sqlite"));
}

}  // namespace
}  // namespace burnstation::app
