// Changes made at the kiosk's admin screens (config_edit.h): a change is read by the file's
// own reader, so a change the file would refuse is refused with the same reason and the
// configuration stays as it was; a good change saves and reads back as made.
#include "burnstation/station/config_edit.h"

#include <gtest/gtest.h>

#include "station_harness.h"

namespace burnstation::station {
namespace {

using Code = ConfigEditError::Code;
using nlohmann::json;

StationConfig base(const std::filesystem::path& dataDir) {
  StationConfig c = builtInConfig();
  c.dataDir = dataDir;
  return c;
}

Code codeOf(const std::function<void()>& edit, std::string* message = nullptr) {
  try {
    edit();
  } catch (const ConfigEditError& e) {
    if (message) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "the change was accepted";
  return Code::Invalid;
}

TEST(ConfigEditTest, AProfileIsAddedAndChangedWithTheFilesSettingNames) {
  harness::TempDir dir;
  const StationConfig before = base(dir.path());
  StationConfig after = withEntry(
      before, ConfigList::Profiles, "cd-small",
      json{{"medium", "STD-GEN-CD"}, {"capacity", "650M"}, {"preview", "light"}, {"label", false}});
  const ProfileSetting* added = after.findProfile("cd-small");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->capacity, 650'000'000u);
  EXPECT_EQ(added->preview, viewer_bundle::PreviewTier::Light);
  EXPECT_FALSE(added->label);
  EXPECT_EQ(after.profiles.size(), before.profiles.size() + 1);
  EXPECT_EQ(after.dataDir, before.dataDir);

  // PUT replaces the whole entry: what is left out goes back to its default.
  after = withEntry(after, ConfigList::Profiles, "cd-small", json{{"medium", "cd"}});
  EXPECT_EQ(after.findProfile("cd-small")->capacity, std::nullopt);
  EXPECT_TRUE(after.findProfile("cd-small")->label);

  // What a change makes saves and reads back as the same configuration.
  const auto file = serviceConfigPath(dir.path());
  saveConfig(after, file);
  StationConfig read = loadConfig(file);
  read.source = after.source;
  EXPECT_TRUE(read == after);
}

TEST(ConfigEditTest, AChangeTheFileWouldRefuseIsRefusedWithTheFilesReason) {
  harness::TempDir dir;
  const StationConfig before = base(dir.path());
  std::string message;
  EXPECT_EQ(codeOf(
                [&] {
                  withEntry(before, ConfigList::Profiles, "x", json{{"medium", "FLOPPY"}});
                },
                &message),
            Code::Refused);
  EXPECT_NE(message.find("profile \"x\""), std::string::npos) << message;
  EXPECT_NE(message.find("medium must be one of"), std::string::npos) << message;

  EXPECT_EQ(
      codeOf(
          [&] {
            withEntry(before, ConfigList::Profiles, "x", json{{"medium", "cd"}, {"colour", "red"}});
          },
          &message),
      Code::Refused);
  EXPECT_NE(message.find("unknown setting \"colour\""), std::string::npos) << message;

  EXPECT_EQ(codeOf(
                [&] {
                  withEntry(before, ConfigList::AutoBurn, "CT_BURN", json{{"profile", "nonesuch"}});
                },
                &message),
            Code::Refused);
  EXPECT_NE(message.find("is not configured"), std::string::npos) << message;

  EXPECT_EQ(codeOf(
                [&] {
                  withSettings(before, ConfigSection::Station, json{{"port", 70000}});
                },
                &message),
            Code::Refused);
  EXPECT_NE(message.find("port must be between 0 and 65535"), std::string::npos) << message;

  EXPECT_EQ(codeOf([&] {
              withSettings(before, ConfigSection::Usb, json{{"allowlist", json::array({"0781"})}});
            }),
            Code::Refused);
  EXPECT_EQ(codeOf([&] {
              withSettings(before, ConfigSection::Station, json{{"data_dir", "/elsewhere"}});
            }),
            Code::Refused);
}

TEST(ConfigEditTest, BodiesOfTheWrongShapeAreRefusedBeforeAnythingIsRead) {
  harness::TempDir dir;
  const StationConfig before = base(dir.path());
  EXPECT_EQ(codeOf([&] { withEntry(before, ConfigList::Drives, "d", json::array()); }),
            Code::Invalid);
  EXPECT_EQ(codeOf([&] {
              withEntry(before, ConfigList::Drives, "d", json{{"address", json{{"nested", true}}}});
            }),
            Code::Invalid);
  // The key in the body must be the key in the path.
  EXPECT_EQ(codeOf([&] {
              withEntry(before, ConfigList::Drives, "d",
                        json{{"name", "other"}, {"address", "/dev/sr0"}});
            }),
            Code::Invalid);
}

TEST(ConfigEditTest, RemovingAnEntryTheRestDependsOnIsRefused) {
  harness::TempDir dir;
  StationConfig c = base(dir.path());
  c = withEntry(c, ConfigList::Drives, "tiny",
                json{{"address", "stdio:/tmp/tiny.iso"}, {"media", "cd"}, {"capacity", "2M"}});
  c = withEntry(c, ConfigList::AutoBurn, "CT_BURN",
                json{{"profile", "cd"}, {"drive", "tiny"}, {"copies", 2}});
  ASSERT_EQ(c.autoBurn.size(), 1u);
  EXPECT_EQ(c.autoBurn[0].copies, 2);
  std::string message;
  EXPECT_EQ(codeOf([&] { withoutEntry(c, ConfigList::Drives, "tiny"); }, &message), Code::Refused);
  EXPECT_NE(message.find("drive \"tiny\" is not a configured"), std::string::npos) << message;
  EXPECT_EQ(codeOf([&] { withoutEntry(c, ConfigList::Profiles, "cd"); }), Code::BuiltIn);
  EXPECT_EQ(codeOf([&] { withoutEntry(c, ConfigList::Remotes, "NOBODY"); }), Code::NotFound);

  c = withoutEntry(c, ConfigList::AutoBurn, "CT_BURN");
  c = withoutEntry(c, ConfigList::Drives, "tiny");
  EXPECT_TRUE(c.drives.empty());
  EXPECT_TRUE(c.autoBurn.empty());
}

TEST(ConfigEditTest, TheDocumentHasTheListsAndEachEntryGoesBackAsItIs) {
  harness::TempDir dir;
  StationConfig c = base(dir.path());
  c = withEntry(c, ConfigList::Remotes, "CT01", json{{"host", "192.0.2.10"}, {"port", 104}});
  const json doc = configDocument(c);
  ASSERT_TRUE(doc["profiles"].is_array());
  // What the kiosk's editor does: an entry of the document, sent back unchanged, is accepted
  // and changes nothing.
  for (const auto& p : doc["profiles"]) {
    const StationConfig same = withEntry(c, ConfigList::Profiles, p["name"], p);
    EXPECT_TRUE(same == c) << p.dump();
  }
  ASSERT_EQ(doc["remotes"].size(), 1u);
  EXPECT_EQ(doc["remotes"][0]["port"], 104);
  EXPECT_TRUE(doc["drives"].is_array());
  EXPECT_TRUE(doc["auto_burn"].is_array());
  EXPECT_EQ(doc["station"]["ae_title"], "BURNSTATION");
  EXPECT_EQ(doc["kiosk"]["idle_seconds"], 120);
}

TEST(ConfigEditTest, FormattingSticksIsOffUntilTheAdminTurnsItOnAndThatIsKept) {
  harness::TempDir dir;
  const StationConfig before = base(dir.path());
  EXPECT_FALSE(before.usbAllowFormat);
  EXPECT_EQ(configDocument(before)["usb"]["allow_format"], false);
  const StationConfig after =
      withSettings(before, ConfigSection::Usb, json{{"allow_format", true}});
  EXPECT_TRUE(after.usbAllowFormat);
  EXPECT_EQ(after.usbAllowlist, before.usbAllowlist);
  EXPECT_EQ(configDocument(after)["usb"]["allow_format"], true);
  const auto file = serviceConfigPath(dir.path());
  saveConfig(after, file);
  EXPECT_TRUE(loadConfig(file).usbAllowFormat);
  std::string message;
  EXPECT_EQ(codeOf(
                [&] {
                  withSettings(before, ConfigSection::Usb, json{{"allow_format", "yes"}});
                },
                &message),
            Code::Refused);
  EXPECT_NE(message.find("allow_format must be true or false"), std::string::npos) << message;
}

}  // namespace
}  // namespace burnstation::station
