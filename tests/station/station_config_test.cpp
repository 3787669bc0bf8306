// Configuration: defaults, every setting read, and bad files refused with line and reason.
#include "burnstation/station/station_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "station_harness.h"

namespace burnstation::station {
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
  const fs::path file = write(dir, defaultConfigText());
  const StationConfig c = loadConfig(file);
  // Every setting as built in, but for two: an installed file names its AE titles, and it
  // is the file the configuration came from.
  StationConfig expected = builtInConfig();
  expected.receiver.acceptAnyCalledAe = false;
  expected.source = file;
  EXPECT_TRUE(c == expected);
  EXPECT_FALSE(c.receiver.acceptAnyCalledAe);
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

TEST(StationConfig, ReadsDrivesAutoBurnJobsAndUsb) {
  harness::TempDir dir;
  const StationConfig c = loadConfig(write(dir, R"(
[station]
ae_title = "BURNER"
[[profile]]
name = "cd"
medium = "STD-GEN-CD"
blank_rewritable = true
label = false
[[drive]]
name = "left"
address = "/dev/sr1"
[[drive]]
name = "test"
address = "stdio:/tmp/disc.iso"
media = "cd"
capacity = "650M"
[[auto_burn]]
called_ae_title = "BURN_CD"
profile = "cd"
drive = "test"
copies = 2
quiet_seconds = 5
[jobs]
verify = false
keep_images_hours = 24
[usb]
allowlist = ["0781:5581", "0951:1666:ABC123"]
)"));
  ASSERT_EQ(c.drives.size(), 2u);
  EXPECT_EQ(c.findDrive("left")->address, "/dev/sr1");
  EXPECT_EQ(c.findDrive("left")->media, MediaKind::Any);
  EXPECT_EQ(c.findDrive("test")->media, MediaKind::Cd);
  EXPECT_EQ(c.findDrive("test")->capacity, 650'000'000u);
  EXPECT_EQ(c.findDrive("right"), nullptr);
  EXPECT_TRUE(c.findProfile("cd")->blankRewritable);
  EXPECT_FALSE(c.findProfile("cd")->label);
  EXPECT_FALSE(c.findProfile("dvd")->blankRewritable);  // never erase unless allowed
  ASSERT_EQ(c.autoBurn.size(), 1u);
  EXPECT_EQ(c.autoBurn[0].calledAe, "BURN_CD");
  EXPECT_EQ(c.autoBurn[0].drive, "test");
  EXPECT_EQ(c.autoBurn[0].copies, 2);
  EXPECT_EQ(c.autoBurn[0].quietSeconds, 5);
  // The station answers to the auto-burn AE title without a separate entry.
  EXPECT_NE(std::find(c.receiver.extraCalledAeTitles.begin(), c.receiver.extraCalledAeTitles.end(),
                      "BURN_CD"),
            c.receiver.extraCalledAeTitles.end());
  EXPECT_FALSE(c.jobs.verify);
  EXPECT_EQ(c.jobs.keepImagesHours, 24);
  EXPECT_EQ(c.usbAllowlist.size(), 2u);
  const StationConfig d = builtInConfig();
  EXPECT_TRUE(d.jobs.verify);
  EXPECT_EQ(d.jobs.keepImagesHours, 168);
  EXPECT_TRUE(d.drives.empty());
  EXPECT_TRUE(d.autoBurn.empty());
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
      // A TOML syntax error: the parser's own reason, kept whole.
      {"[station\nport = 1\n", 1, "Error while parsing table header: expected ']'"},
      {"[[drive]]\nname = \"a\"\naddress = \"sr0\"\n", 3, "address must be a burner"},
      {"[[drive]]\nname = \"images\"\naddress = \"/dev/sr0\"\n", 2, "must not be empty"},
      {"[[drive]]\nname = \"a\"\naddress = \"/dev/sr0\"\n[[drive]]\nname = \"a\"\n", 5,
       "configured twice"},
      {"[[drive]]\nname = \"a\"\naddress = \"stdio:/x\"\nmedia = \"bluray\"\n", 4,
       "media must be \"cd\", \"dvd\" or \"any\""},
      {"[[auto_burn]]\ncalled_ae_title = \"BURN_CD\"\nprofile = \"floppy\"\n", 3,
       "profile \"floppy\" is not configured"},
      {"[[auto_burn]]\ncalled_ae_title = \"BURN_CD\"\nprofile = \"cd\"\ndrive = \"x\"\n", 4,
       "not a configured [[drive]]"},
      {"[usb]\nallowlist = [\"sandisk\"]\n", 2, "VENDOR:PRODUCT"},
      {"[jobs]\nkeep_images_hours = 0\n", 2, "keep_images_hours must be between"},
  };
  harness::TempDir dir;
  for (const Case& c : cases) {
    ASSERT_FALSE(c.reason.empty()) << "an empty reason matches any: " << c.text;
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
}  // namespace burnstation::station
