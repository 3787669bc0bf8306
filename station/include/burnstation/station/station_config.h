// The station's configuration: one TOML file, or the built-in defaults when none is given.
// A bad file is refused as a whole with file, line and reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "burnstation/dicomdir/media_form.h"
#include "burnstation/dicomdir/media_profile.h"
#include "burnstation/receiver/receiver_settings.h"
#include "burnstation/store/store.h"
#include "burnstation/viewer_bundle/preview_tier.h"

namespace burnstation::station {

class ConfigError : public std::runtime_error {
 public:
  // line 0: about the file as a whole ("file: reason").
  ConfigError(const std::string& file, int line, const std::string& reason);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  int line_;
  std::string reason_;
};

// A named profile the clerk chooses: one of the five application profiles plus options.
struct ProfileSetting {
  std::string name;
  dicomdir::ApplicationProfile medium = dicomdir::ApplicationProfile::StdGenCd;
  std::optional<std::uint64_t> capacity;  // overrides the medium's
  bool viewer = true;  // web content (INDEX.HTM, IHE_PDI/, the viewer) besides README.TXT
  // Which previews go on the medium; nullopt: "auto", the richest tier that needs no more
  // volumes than none.
  std::optional<viewer_bundle::PreviewTier> preview;
  std::uint64_t viewerReserve = 0;  // room kept besides what the web content measures
  dicomdir::Compression compression = dicomdir::Compression::None;
  bool blankRewritable = false;  // CD-RW/DVD-RW holding data may be erased first
  bool label = true;             // a printable label image per volume

  bool operator==(const ProfileSetting&) const = default;
};

// What a drive's medium stands for, for the check that a CD profile goes on a CD.
enum class MediaKind { Any, Cd, Dvd };

// An admin-configured drive: a burner ("/dev/sr0") or a `stdio:FILE` pseudo-drive, whose
// media kind and capacity come from here because libburn cannot know them.
struct DriveSetting {
  std::string name;
  std::string address;
  MediaKind media = MediaKind::Any;
  std::optional<std::uint64_t> capacity;

  bool operator==(const DriveSetting&) const = default;
};

// A called AE title whose studies burn by themselves once no instance has arrived for
// quietSeconds (REQUIREMENTS §5).
struct AutoBurnRule {
  std::string calledAe;
  std::string profile;
  std::string drive;  // empty: the default drive
  int copies = 1;
  int quietSeconds = 120;

  bool operator==(const AutoBurnRule&) const = default;
};

struct JobSettings {
  bool verify = true;
  int keepImagesHours = 168;  // finished jobs' images and labels are purged after this

  bool operator==(const JobSettings&) const = default;
};

// Previews rendered in the background once a study has had no new instance for quietSeconds
// (the station idles most of the day), so a burn only copies them.
struct PreviewSettings {
  int quietSeconds = 120;

  bool operator==(const PreviewSettings&) const = default;
};

// The local API's Unix socket and who may use it (ARCHITECTURE.md "The local API"). Root and
// the service's own user are always allowed; a peer of any other user needs its name in
// allowedUsers or one of its groups (primary or supplementary) in allowedGroups.
struct ApiSettings {
  std::optional<std::filesystem::path> socket;  // empty: <data_dir>/api.sock
  std::string socketGroup;  // the socket file's group (mode 0660); empty: owner only (0600)
  std::vector<std::string> allowedUsers;
  std::vector<std::string> allowedGroups;

  bool operator==(const ApiSettings&) const = default;
};

// The kiosk's admin screens: a PIN (set with `burnstation admin-pin`) opens a session.
struct AdminSettings {
  int lockoutAttempts = 5;   // wrong PINs in a row before admin is locked
  int lockoutMinutes = 5;    // how long it stays locked (persisted across restarts)
  int sessionMinutes = 10;   // an admin session's lifetime without use
  bool clerkSignIn = false;  // clerks sign in (name + PIN or badge) before burning

  bool operator==(const AdminSettings&) const = default;
};

// What the kiosk reads from the service (GET /config) about itself.
struct KioskSettings {
  int idleSeconds = 120;  // the patient on screen is cleared after this long untouched

  bool operator==(const KioskSettings&) const = default;
};

struct StationConfig {
  std::optional<std::filesystem::path> source;  // empty: built-in defaults
  std::filesystem::path dataDir;
  std::uint64_t freeSpaceReserve = 2'000'000'000;
  store::DuplicatePolicy duplicates = store::DuplicatePolicy::KeepStored;
  receiver::ReceiverSettings receiver;
  // The built-in cd, dvd, dvd-j2k, usb, usb-j2k, dvd-mpeg2, bd-mpeg2, bd-h264, then the
  // file's [[profile]] entries (a
  // file's entry with a built-in name replaces it).
  std::vector<ProfileSetting> profiles;
  std::vector<DriveSetting> drives;
  std::vector<AutoBurnRule> autoBurn;
  JobSettings jobs;
  PreviewSettings previews;
  std::vector<std::string> usbAllowlist;  // "VVVV:PPPP" or "VVVV:PPPP:SERIAL"; empty: any
  // [usb] allow_format: the clerk may erase a refused (exFAT, NTFS) stick and make it FAT32.
  // Off until the admin turns it on: the stick is the patient's, and what is on it is lost.
  bool usbAllowFormat = false;
  ApiSettings api;
  AdminSettings admin;
  KioskSettings kiosk;

  // Where the local API listens: [api] socket, or <data_dir>/api.sock.
  std::filesystem::path apiSocket() const;

  const ProfileSetting* findProfile(const std::string& name) const;
  const DriveSetting* findDrive(const std::string& name) const;

  bool operator==(const StationConfig&) const = default;
};

// Built-in defaults: AE BURNSTATION on 11112, any called and calling AE accepted,
// data in $XDG_DATA_HOME/burnstation.
StationConfig builtInConfig();
// Throws ConfigError.
StationConfig loadConfig(const std::filesystem::path& file);
// The configuration file the service owns, beside its data: the admin screens save there.
std::filesystem::path serviceConfigPath(const std::filesystem::path& dataDir);
// The file the package installs; it is the admin's and the package's, never the service's.
inline constexpr const char* kPackagedConfigFile = "/etc/burnstation/burnstation.toml";

// The configuration every command and the service run with: the --config file (or the
// built-in defaults), its data directory replaced by dataDir when given; then, when the
// service-owned file <data_dir>/station.toml exists, that file instead, as a whole (it is a
// complete configuration, written by saveConfig), keeping the data directory found first.
// Throws ConfigError.
StationConfig effectiveConfig(const std::optional<std::filesystem::path>& file,
                              const std::optional<std::filesystem::path>& dataDir);

// Writes config as TOML that loadConfig reads back to an equal configuration (source aside):
// checked by reading it back before it replaces the file, and written durably (a temporary
// file, fsync, rename, fsync of the folder). Refuses the packaged file and the file config
// was loaded from, unless that is the service-owned one. Throws ConfigError.
void saveConfig(const StationConfig& config, const std::filesystem::path& file);

// The configuration as the TOML saveConfig writes (every setting, every profile): the base
// the local API edits an entry of before loadConfig validates the result.
std::string configText(const StationConfig& config);

// The defaults as a commented TOML file, for `burnstation config --defaults` and packaging.
std::string defaultConfigText();

// Decimal sizes: "700M" = 700,000,000 bytes, "4.7G", "1K", or a plain byte count.
std::optional<std::uint64_t> parseSize(const std::string& text);

}  // namespace burnstation::station
