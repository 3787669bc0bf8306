// Reading and validating the TOML configuration (see station_config.h). Unknown keys are
// errors: a typo in an AE allow-list must not silently open the station to everyone.
#include "burnstation/station/station_config.h"

#include "burnstation/station/drive_choice.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace burnstation::station {

namespace fs = std::filesystem;

namespace {

fs::path defaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return fs::path(xdg) / "burnstation";
  if (const char* home = std::getenv("HOME"); home && *home) {
    return fs::path(home) / ".local/share/burnstation";
  }
  return fs::path("/var/lib/burnstation");
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node& node, const std::string& reason) const {
    throw ConfigError(file_, static_cast<int>(node.source().begin.line), reason);
  }

  void onlyKeys(const toml::table& table, const std::string& where,
                const std::set<std::string>& allowed) const {
    for (const auto& [key, node] : table) {
      if (!allowed.count(std::string(key.str()))) {
        fail(node, "unknown setting \"" + std::string(key.str()) + "\" in " + where);
      }
    }
  }

  std::string string(const toml::node& node, const std::string& name) const {
    if (auto v = node.value<std::string>(); v && node.is_string()) return *v;
    fail(node, name + " must be a string in quotes");
  }

  std::int64_t integer(const toml::node& node, const std::string& name, std::int64_t min,
                       std::int64_t max) const {
    if (!node.is_integer()) fail(node, name + " must be a whole number");
    const std::int64_t v = *node.value<std::int64_t>();
    if (v < min || v > max) {
      fail(node, name + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", not " + std::to_string(v));
    }
    return v;
  }

  bool boolean(const toml::node& node, const std::string& name) const {
    if (!node.is_boolean()) fail(node, name + " must be true or false");
    return *node.value<bool>();
  }

  std::string aeTitle(const toml::node& node, const std::string& name) const {
    const std::string ae = string(node, name);
    if (ae.empty() || ae.size() > 16) fail(node, name + " must have 1 to 16 characters");
    for (char c : ae) {
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
          static_cast<unsigned char>(c) > 0x7e) {
        fail(node, name + " \"" + ae + "\" may hold only printable ASCII without backslash");
      }
    }
    if (ae.find_first_not_of(' ') == std::string::npos) fail(node, name + " cannot be all spaces");
    return ae;
  }

  std::uint64_t size(const toml::node& node, const std::string& name) const {
    if (node.is_integer()) return static_cast<std::uint64_t>(integer(node, name, 0, INT64_MAX));
    const auto parsed = parseSize(string(node, name));
    if (!parsed) {
      fail(node, name +
                     " must be a size such as \"2G\", \"500M\" or a byte count, at most "
                     "9223372036854775807 bytes");
    }
    return *parsed;
  }

 private:
  std::string file_;
};

void readStation(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[station]",
             {"ae_title", "port", "data_dir", "max_pdu", "max_associations",
              "max_associations_per_host", "max_pending_requests", "max_pending_requests_per_host",
              "free_space_reserve", "duplicates", "max_nesting_depth"});
  if (auto* n = t.get("ae_title")) c.receiver.aeTitle = r.aeTitle(*n, "ae_title");
  if (auto* n = t.get("port")) c.receiver.port = static_cast<int>(r.integer(*n, "port", 0, 65535));
  if (auto* n = t.get("data_dir")) c.dataDir = r.string(*n, "data_dir");
  if (auto* n = t.get("max_pdu")) {
    c.receiver.maxPduBytes = static_cast<int>(r.integer(*n, "max_pdu", 4096, 131072));
  }
  if (auto* n = t.get("max_associations")) {
    c.receiver.maxAssociations = static_cast<int>(r.integer(*n, "max_associations", 1, 256));
  }
  if (auto* n = t.get("max_associations_per_host")) {
    c.receiver.maxAssociationsPerHost =
        static_cast<int>(r.integer(*n, "max_associations_per_host", 1, 256));
  }
  if (auto* n = t.get("max_pending_requests")) {
    c.receiver.maxPendingRequests =
        static_cast<int>(r.integer(*n, "max_pending_requests", 1, 4096));
  }
  if (auto* n = t.get("max_pending_requests_per_host")) {
    c.receiver.maxPendingRequestsPerHost =
        static_cast<int>(r.integer(*n, "max_pending_requests_per_host", 1, 4096));
  }
  if (auto* n = t.get("free_space_reserve")) c.freeSpaceReserve = r.size(*n, "free_space_reserve");
  if (auto* n = t.get("max_nesting_depth")) {
    // Real objects stay under 20-30 levels; DCMTK's recursive parser must never get near
    // the depth that exhausts a thread's stack (about 10,000).
    c.receiver.maxNestingDepth = static_cast<int>(r.integer(*n, "max_nesting_depth", 8, 1000));
  }
  if (auto* n = t.get("duplicates")) {
    const std::string v = r.string(*n, "duplicates");
    if (v == "keep") {
      c.duplicates = store::DuplicatePolicy::KeepStored;
    } else if (v == "replace") {
      c.duplicates = store::DuplicatePolicy::Replace;
    } else {
      r.fail(*n, "duplicates must be \"keep\" or \"replace\", not \"" + v + "\"");
    }
  }
}

void readTimeouts(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[timeouts]", {"artim", "dimse", "idle"});
  if (auto* n = t.get("artim"))
    c.receiver.artimSeconds = static_cast<int>(r.integer(*n, "artim", 1, 600));
  if (auto* n = t.get("dimse"))
    c.receiver.dimseSeconds = static_cast<int>(r.integer(*n, "dimse", 1, 3600));
  if (auto* n = t.get("idle"))
    c.receiver.idleSeconds = static_cast<int>(r.integer(*n, "idle", 1, 86400));
}

void readAcceptance(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[acceptance]", {"called_ae_titles", "calling_allowlist", "any_called_ae"});
  if (auto* n = t.get("called_ae_titles")) {
    const toml::array* list = n->as_array();
    if (!list) r.fail(*n, "called_ae_titles must be a list of AE titles, e.g. [\"BURN_CD\"]");
    for (const toml::node& item : *list) {
      c.receiver.extraCalledAeTitles.push_back(r.aeTitle(item, "called_ae_titles entry"));
    }
  }
  if (auto* n = t.get("calling_allowlist")) {
    c.receiver.callingAllowlist = r.boolean(*n, "calling_allowlist");
  }
  if (auto* n = t.get("any_called_ae"))
    c.receiver.acceptAnyCalledAe = r.boolean(*n, "any_called_ae");
}

std::vector<ProfileSetting> builtInProfiles() {
  std::vector<ProfileSetting> out;
  // Video: one per PS3.11 profile ID (each allows one video syntax); see media_profile.cpp.
  for (const char* name :
       {"cd", "dvd", "dvd-j2k", "usb", "usb-j2k", "dvd-mpeg2", "bd-mpeg2", "bd-h264"}) {
    ProfileSetting p;
    p.name = name;
    p.medium = *dicomdir::findMediaProfile(name);
    out.push_back(p);
  }
  return out;
}

void readProfiles(const Reader& r, const toml::node& node, StationConfig& c) {
  const toml::array* list = node.as_array();
  if (!list) r.fail(node, "profile entries must be written as [[profile]] tables");
  for (const toml::node& item : *list) {
    const toml::table* t = item.as_table();
    if (!t) r.fail(item, "each [[profile]] must be a table");
    r.onlyKeys(*t, "[[profile]]",
               {"name", "medium", "capacity", "viewer", "preview", "viewer_reserve", "compress",
                "blank_rewritable", "label"});
    ProfileSetting p;
    const toml::node* name = t->get("name");
    if (!name) r.fail(item, "[[profile]] needs a name");
    p.name = r.string(*name, "name");
    if (p.name.empty()) r.fail(*name, "a profile name cannot be empty");
    const toml::node* medium = t->get("medium");
    if (!medium) r.fail(item, "[[profile]] \"" + p.name + "\" needs a medium, e.g. \"STD-GEN-CD\"");
    const auto found = dicomdir::findMediaProfile(r.string(*medium, "medium"));
    if (!found) {
      std::string names;
      for (const auto& known : dicomdir::mediaProfiles())
        names += (names.empty() ? "" : ", ") + std::string(known.name);
      r.fail(*medium, "medium must be one of " + names);
    }
    p.medium = *found;
    if (auto* n = t->get("capacity")) p.capacity = r.size(*n, "capacity");
    if (auto* n = t->get("viewer")) p.viewer = r.boolean(*n, "viewer");
    if (auto* n = t->get("viewer_reserve")) p.viewerReserve = r.size(*n, "viewer_reserve");
    if (auto* n = t->get("preview")) {
      const std::string v = r.string(*n, "preview");
      if (v != "auto") {
        p.preview = viewer_bundle::parsePreviewTier(v);
        if (!p.preview) {
          r.fail(*n, "preview must be \"auto\", \"full\", \"light\", \"thumbnails\" or \"none\"");
        }
      }
    }
    if (auto* n = t->get("blank_rewritable")) {
      p.blankRewritable = r.boolean(*n, "blank_rewritable");
    }
    if (auto* n = t->get("label")) p.label = r.boolean(*n, "label");
    if (auto* n = t->get("compress")) {
      const std::string v = r.string(*n, "compress");
      if (v == "none") {
        p.compression = dicomdir::Compression::None;
      } else if (v == "jpeg-lossless") {
        if (!dicomdir::allowsTransferSyntax(dicomdir::mediaProfile(p.medium),
                                            "1.2.840.10008.1.2.4.70")) {
          r.fail(*n,
                 "compress = \"jpeg-lossless\" needs a JPEG medium (STD-GEN-DVD-JPEG or "
                 "STD-GEN-USB-JPEG)");
        }
        p.compression = dicomdir::Compression::JpegLossless;
      } else {
        r.fail(*n,
               "compress must be \"none\" or \"jpeg-lossless\" (lossy compression is never used)");
      }
    }
    std::erase_if(c.profiles, [&](const ProfileSetting& e) { return e.name == p.name; });
    c.profiles.push_back(p);
  }
}

void readRemotes(const Reader& r, const toml::node& node, StationConfig& c) {
  const toml::array* list = node.as_array();
  if (!list) r.fail(node, "remote entries must be written as [[remote]] tables");
  for (const toml::node& item : *list) {
    const toml::table* t = item.as_table();
    if (!t) r.fail(item, "each [[remote]] must be a table");
    r.onlyKeys(*t, "[[remote]]", {"ae_title", "host", "port", "assume_charset"});
    receiver::RemoteAe remote;
    const toml::node* ae = t->get("ae_title");
    if (!ae) r.fail(item, "[[remote]] needs an ae_title");
    remote.aeTitle = r.aeTitle(*ae, "ae_title");
    if (auto* n = t->get("host")) remote.host = r.string(*n, "host");
    if (auto* n = t->get("port")) remote.port = static_cast<int>(r.integer(*n, "port", 1, 65535));
    if (auto* n = t->get("assume_charset")) remote.assumeCharset = r.string(*n, "assume_charset");
    c.receiver.remotes.push_back(std::move(remote));
  }
}

const toml::array& tableList(const Reader& r, const toml::node& node, const char* name) {
  const toml::array* list = node.as_array();
  if (!list || !list->is_array_of_tables()) {
    r.fail(node, std::string(name) + " entries must be written as [[" + name + "]] tables");
  }
  return *list;
}

void readDrives(const Reader& r, const toml::node& node, StationConfig& c) {
  for (const toml::node& item : tableList(r, node, "drive")) {
    const toml::table& t = *item.as_table();
    r.onlyKeys(t, "[[drive]]", {"name", "address", "media", "capacity"});
    DriveSetting d;
    const toml::node* name = t.get("name");
    if (!name) r.fail(item, "[[drive]] needs a name, e.g. \"burner1\"");
    d.name = r.string(*name, "name");
    if (d.name.empty() || d.name == kImageDriveName || d.name == kUsbDriveName ||
        d.name.find(':') != d.name.npos) {
      r.fail(*name, std::string("a drive name must not be empty, \"") + kImageDriveName + "\", \"" +
                        kUsbDriveName + "\" or contain ':'");
    }
    if (c.findDrive(d.name)) r.fail(*name, "drive \"" + d.name + "\" is configured twice");
    const toml::node* address = t.get("address");
    if (!address) r.fail(item, "[[drive]] \"" + d.name + "\" needs an address");
    d.address = r.string(*address, "address");
    if (d.address.rfind("stdio:/", 0) != 0 && d.address.rfind("/dev/", 0) != 0) {
      r.fail(*address,
             "address must be a burner such as \"/dev/sr0\" or a pseudo-drive \"stdio:/path\"");
    }
    if (auto* n = t.get("media")) {
      const std::string v = r.string(*n, "media");
      if (v == "cd") {
        d.media = MediaKind::Cd;
      } else if (v == "dvd") {
        d.media = MediaKind::Dvd;
      } else if (v == "any") {
        d.media = MediaKind::Any;
      } else {
        r.fail(*n, "media must be \"cd\", \"dvd\" or \"any\", not \"" + v + "\"");
      }
    }
    if (auto* n = t.get("capacity")) {
      d.capacity = r.size(*n, "capacity");
      if (*d.capacity < 1'000'000) r.fail(*n, "capacity must be at least 1M");
    }
    c.drives.push_back(std::move(d));
  }
}

void readAutoBurn(const Reader& r, const toml::node& node, StationConfig& c) {
  for (const toml::node& item : tableList(r, node, "auto_burn")) {
    const toml::table& t = *item.as_table();
    r.onlyKeys(t, "[[auto_burn]]",
               {"called_ae_title", "profile", "drive", "copies", "quiet_seconds"});
    AutoBurnRule rule;
    const toml::node* ae = t.get("called_ae_title");
    if (!ae) r.fail(item, "[[auto_burn]] needs the called_ae_title whose studies it burns");
    rule.calledAe = r.aeTitle(*ae, "called_ae_title");
    for (const AutoBurnRule& other : c.autoBurn) {
      if (other.calledAe == rule.calledAe) {
        r.fail(*ae, "called AE title \"" + rule.calledAe + "\" has two [[auto_burn]] rules");
      }
    }
    const toml::node* profile = t.get("profile");
    if (!profile) r.fail(item, "[[auto_burn]] needs a profile");
    rule.profile = r.string(*profile, "profile");
    if (!c.findProfile(rule.profile)) {
      r.fail(*profile, "profile \"" + rule.profile + "\" is not configured");
    }
    if (auto* n = t.get("drive")) {
      rule.drive = r.string(*n, "drive");
      if (rule.drive != kImageDriveName && rule.drive != kUsbDriveName &&
          !c.findDrive(rule.drive)) {
        r.fail(*n, "drive \"" + rule.drive + "\" is not a configured [[drive]]");
      }
    }
    if (auto* n = t.get("copies")) rule.copies = static_cast<int>(r.integer(*n, "copies", 1, 20));
    if (auto* n = t.get("quiet_seconds")) {
      rule.quietSeconds = static_cast<int>(r.integer(*n, "quiet_seconds", 1, 86400));
    }
    // Modalities address the rule by its AE title, so the receiver answers to it.
    auto& called = c.receiver.extraCalledAeTitles;
    if (rule.calledAe != c.receiver.aeTitle &&
        std::find(called.begin(), called.end(), rule.calledAe) == called.end()) {
      called.push_back(rule.calledAe);
    }
    c.autoBurn.push_back(std::move(rule));
  }
}

void readJobs(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[jobs]", {"verify", "keep_images_hours"});
  if (auto* n = t.get("verify")) c.jobs.verify = r.boolean(*n, "verify");
  if (auto* n = t.get("keep_images_hours")) {
    c.jobs.keepImagesHours = static_cast<int>(r.integer(*n, "keep_images_hours", 1, 24 * 365));
  }
}

void readPreviews(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[previews]", {"quiet_seconds"});
  if (auto* n = t.get("quiet_seconds")) {
    c.previews.quietSeconds = static_cast<int>(r.integer(*n, "quiet_seconds", 0, 86400));
  }
}

std::vector<std::string> nameList(const Reader& r, const toml::node& node,
                                  const std::string& name) {
  const toml::array* list = node.as_array();
  if (!list) r.fail(node, name + " must be a list of names such as [\"kiosk\"]");
  std::vector<std::string> names;
  for (const toml::node& item : *list) {
    const std::string entry = r.string(item, name + " entry");
    if (entry.empty() || entry.size() > 64 ||
        entry.find_first_of(" \t\n:/\\") != std::string::npos) {
      r.fail(item, name + " entry \"" + entry + "\" is not a user or group name");
    }
    names.push_back(entry);
  }
  return names;
}

void readApi(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[api]", {"socket", "socket_group", "allowed_users", "allowed_groups"});
  if (auto* n = t.get("socket")) {
    const std::string path = r.string(*n, "socket");
    // sockaddr_un holds 108 bytes with its terminating NUL.
    if (path.empty() || path.front() != '/' || path.size() > 107) {
      r.fail(*n, "socket must be an absolute path of at most 107 bytes");
    }
    c.api.socket = path;
  }
  if (auto* n = t.get("socket_group")) {
    c.api.socketGroup = r.string(*n, "socket_group");
    if (c.api.socketGroup.empty()) r.fail(*n, "socket_group must name a group");
  }
  if (auto* n = t.get("allowed_users")) c.api.allowedUsers = nameList(r, *n, "allowed_users");
  if (auto* n = t.get("allowed_groups")) c.api.allowedGroups = nameList(r, *n, "allowed_groups");
}

void readAdmin(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[admin]",
             {"lockout_attempts", "lockout_minutes", "session_minutes", "clerk_sign_in"});
  if (auto* n = t.get("lockout_attempts")) {
    c.admin.lockoutAttempts = static_cast<int>(r.integer(*n, "lockout_attempts", 1, 100));
  }
  if (auto* n = t.get("lockout_minutes")) {
    c.admin.lockoutMinutes = static_cast<int>(r.integer(*n, "lockout_minutes", 1, 24 * 60));
  }
  if (auto* n = t.get("session_minutes")) {
    c.admin.sessionMinutes = static_cast<int>(r.integer(*n, "session_minutes", 1, 24 * 60));
  }
  if (auto* n = t.get("clerk_sign_in")) c.admin.clerkSignIn = r.boolean(*n, "clerk_sign_in");
}

void readKiosk(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[kiosk]", {"idle_seconds"});
  if (auto* n = t.get("idle_seconds")) {
    c.kiosk.idleSeconds = static_cast<int>(r.integer(*n, "idle_seconds", 10, 24 * 3600));
  }
}

void readUsb(const Reader& r, const toml::table& t, StationConfig& c) {
  r.onlyKeys(t, "[usb]", {"allowlist", "allow_format"});
  if (auto* n = t.get("allow_format")) c.usbAllowFormat = r.boolean(*n, "allow_format");
  if (auto* n = t.get("allowlist")) {
    const toml::array* list = n->as_array();
    if (!list) r.fail(*n, "allowlist must be a list such as [\"0781:5581\"]");
    for (const toml::node& item : *list) {
      const std::string entry = r.string(item, "allowlist entry");
      // VVVV:PPPP or VVVV:PPPP:SERIAL, hexadecimal vendor and product ids.
      const bool hex = entry.size() >= 9 && entry[4] == ':' &&
                       (entry.size() == 9 || entry[9] == ':') &&
                       std::all_of(entry.begin(), entry.begin() + 9, [](char ch) {
                         return ch == ':' || std::isxdigit(static_cast<unsigned char>(ch));
                       });
      if (!hex || entry.size() == 10) {
        r.fail(item, "allowlist entry \"" + entry +
                         "\" must be VENDOR:PRODUCT or VENDOR:PRODUCT:SERIAL, e.g. \"0781:5581\"");
      }
      c.usbAllowlist.push_back(entry);
    }
  }
}

}  // namespace

ConfigError::ConfigError(const std::string& file, int line, const std::string& reason)
    : std::runtime_error(line > 0 ? file + ":" + std::to_string(line) + ": " + reason
                                  : file + ": " + reason),
      file_(file),
      line_(line),
      reason_(reason) {}

std::optional<std::uint64_t> parseSize(const std::string& text) {
  // Exact decimal arithmetic instead of strtod: a double silently turns "1e30" or twenty
  // nines into 0 or 2^64 when cast, which turned the free-space reserve off.
  std::size_t at = 0;
  const auto digits = [&](std::string& out) {
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
      out += text[at++];
    }
  };
  std::string whole, fraction;
  digits(whole);
  if (at < text.size() && text[at] == '.') {
    ++at;
    digits(fraction);
    if (fraction.empty()) return std::nullopt;
  }
  if (whole.empty()) return std::nullopt;
  const std::string unit = text.substr(at);
  unsigned exponent = 0;
  if (unit.empty() || unit == "B") {
    exponent = 0;
  } else if (unit == "K" || unit == "k" || unit == "KB" || unit == "kB") {
    exponent = 3;
  } else if (unit == "M" || unit == "MB") {
    exponent = 6;
  } else if (unit == "G" || unit == "GB") {
    exponent = 9;
  } else if (unit == "T" || unit == "TB") {
    exponent = 12;
  } else {
    return std::nullopt;
  }
  // Sizes are stored as SQLite integers, so the largest is INT64_MAX bytes; digits beyond
  // the unit's precision are whole bytes' fractions and are dropped (rounded down).
  std::string number = whole + fraction.substr(0, std::min<std::size_t>(fraction.size(), exponent));
  number.append(exponent - std::min<std::size_t>(fraction.size(), exponent), '0');
  constexpr std::uint64_t kLargest = static_cast<std::uint64_t>(INT64_MAX);
  std::uint64_t value = 0;
  for (char digit : number) {
    const auto d = static_cast<std::uint64_t>(digit - '0');
    if (value > (kLargest - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  return value;
}

const ProfileSetting* StationConfig::findProfile(const std::string& name) const {
  for (const ProfileSetting& p : profiles) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

fs::path StationConfig::apiSocket() const {
  return api.socket ? *api.socket : dataDir / "api.sock";
}

const DriveSetting* StationConfig::findDrive(const std::string& name) const {
  for (const DriveSetting& d : drives) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

StationConfig builtInConfig() {
  StationConfig c;
  c.dataDir = defaultDataDir();
  c.profiles = builtInProfiles();
  c.receiver.acceptAnyCalledAe = true;
  c.receiver.callingAllowlist = false;
  return c;
}

StationConfig loadConfig(const fs::path& file) {
  // toml++ reads a directory or /dev/null as an empty file, which would run the station on
  // its defaults while the admin believes their file is in force.
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (ec || !fs::exists(status)) {
    throw ConfigError(
        file.string(), 0,
        "cannot read the configuration file: " + (ec ? ec.message() : std::string("no such file")));
  }
  if (fs::is_directory(status)) {
    throw ConfigError(file.string(), 0, "is a directory, not a configuration file");
  }
  if (!fs::is_regular_file(status)) {
    throw ConfigError(file.string(), 0, "is not a regular file, so it cannot be a configuration");
  }
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(file.string(), static_cast<int>(e.source().begin.line),
                      std::string(e.description()));
  } catch (const std::exception& e) {
    throw ConfigError(file.string(), 0, e.what());
  }
  StationConfig c;
  c.source = file;
  c.dataDir = defaultDataDir();
  c.profiles = builtInProfiles();
  const Reader r(file.string());
  r.onlyKeys(root, "the file",
             {"station", "timeouts", "acceptance", "remote", "profile", "drive", "auto_burn",
              "jobs", "previews", "usb", "api", "admin", "kiosk"});
  auto section = [&](const char* name) -> const toml::table* {
    const toml::node* n = root.get(name);
    if (!n) return nullptr;
    if (!n->is_table()) r.fail(*n, std::string("[") + name + "] must be a table");
    return n->as_table();
  };
  if (const auto* t = section("station")) readStation(r, *t, c);
  if (const auto* t = section("timeouts")) readTimeouts(r, *t, c);
  if (const auto* t = section("acceptance")) readAcceptance(r, *t, c);
  if (const toml::node* n = root.get("remote")) readRemotes(r, *n, c);
  if (const toml::node* n = root.get("profile")) readProfiles(r, *n, c);
  if (const toml::node* n = root.get("drive")) readDrives(r, *n, c);
  if (const toml::node* n = root.get("auto_burn")) readAutoBurn(r, *n, c);
  if (const auto* t = section("jobs")) readJobs(r, *t, c);
  if (const auto* t = section("previews")) readPreviews(r, *t, c);
  if (const auto* t = section("usb")) readUsb(r, *t, c);
  if (const auto* t = section("api")) readApi(r, *t, c);
  if (const auto* t = section("admin")) readAdmin(r, *t, c);
  if (const auto* t = section("kiosk")) readKiosk(r, *t, c);
  // An installed file names its callers; with none listed the allow-list cannot be on.
  const bool allowlistSet = root["acceptance"]["calling_allowlist"].is_boolean();
  if (!allowlistSet) c.receiver.callingAllowlist = !c.receiver.remotes.empty();
  if (c.receiver.callingAllowlist && c.receiver.remotes.empty()) {
    throw ConfigError(
        file.string(),
        static_cast<int>(root["acceptance"]["calling_allowlist"].node()->source().begin.line),
        "calling_allowlist is on but no [[remote]] is configured: nobody could send");
  }
  return c;
}

std::string defaultConfigText() {
  return R"toml(# burnstation configuration. Every setting is optional; the values shown are the defaults.

[station]
ae_title = "BURNSTATION"        # our AE title (called AE title senders must use)
port = 11112                    # DICOM port
# data_dir = "/var/lib/burnstation"
max_pdu = 65536                 # largest PDU we receive, 4096..131072
max_associations = 5            # simultaneous associations; more are rejected (2/3/2)
# max_associations_per_host = 5 # from one address (default: max_associations)
max_pending_requests = 64       # connections still sending their association request; beyond
max_pending_requests_per_host = 16  # either bound the oldest of them is closed
free_space_reserve = "2G"       # below this, C-STORE answers A700 (out of resources)
duplicates = "keep"             # same instance resent: "keep" the stored copy or "replace" it
max_nesting_depth = 64          # sequences in sequences, 8..1000; deeper data sets answer C000

[timeouts]                      # seconds
artim = 10                      # association request
dimse = 30                      # one message
idle = 300                      # an open association with no message

[acceptance]
called_ae_titles = []           # further AE titles we answer to, besides ae_title
# any_called_ae = false         # true: answer to any called AE title (not recommended)
# calling_allowlist = true      # on by default when [[remote]] entries exist

# Media profiles the clerk chooses from. Built in: cd, dvd, dvd-j2k, usb, usb-j2k (viewer on,
# previews "auto"), and for video objects (never re-encoded) dvd-mpeg2 (STD-DVD-MPEG2-MPML:
# MPEG-2 MP@ML video only), bd-mpeg2 and bd-h264 (STD-GEN-BD-MPEG2-MPML, -MPEG4-HPLV41: Blu-ray,
# uncompressed objects besides the video). PS3.11 has no video profile for USB sticks.
# An entry with one of those names replaces it.
# [[profile]]
# name = "dvd-compact"
# medium = "STD-GEN-DVD-JPEG"   # STD-GEN-CD, STD-GEN-DVD-JPEG, STD-GEN-DVD-J2K, STD-GEN-USB-JPEG, STD-GEN-USB-J2K,
#                               # STD-DVD-MPEG2-MPML, STD-GEN-BD-MPEG2-MPML, STD-GEN-BD-MPEG2-MPHL,
#                               # STD-GEN-BD-MPEG4-HPLV41, STD-GEN-BD-MPEG4-HPLV41BD
# capacity = "4.7G"             # default: the medium's (USB: the stick's free space)
# viewer = true                 # web content and the viewer on the medium (README.TXT always)
# preview = "auto"              # "full" (512 px, CT presets), "light" (256 px), "thumbnails",
#                               # "none"; auto: the richest that needs no more discs than none
# viewer_reserve = "0"          # room kept besides what the web content measures
# compress = "jpeg-lossless"    # or "none"; lossy compression is never used
# blank_rewritable = false      # true: a CD-RW/DVD-RW holding data is erased before writing
# label = true                  # a printable label image per disc

# Drives. Burners libburn finds are used without an entry; an entry names one, or makes a
# pseudo-drive (a file standing in for a disc) with the media kind and capacity it stands for.
# With no burner at all, jobs go to the image drive: ISO files in the data directory.
# [[drive]]
# name = "burner1"
# address = "/dev/sr0"          # or "stdio:/path/to/file" for a pseudo-drive
# media = "any"                 # "cd", "dvd" or "any": what its media are (pseudo-drives)
# capacity = "700M"             # pseudo-drives: the size of their medium

# Auto-burn: studies sent to this called AE title burn once no instance has arrived for
# quiet_seconds. The station answers to that AE title.
# [[auto_burn]]
# called_ae_title = "BURN_CD"
# profile = "cd"
# drive = "burner1"             # default: the default drive
# copies = 1
# quiet_seconds = 120

[jobs]
verify = true                   # read every medium back and compare checksums
keep_images_hours = 168         # finished jobs' ISO images and labels are removed after this

[previews]
quiet_seconds = 120             # render a study's previews once nothing arrived for this long

[usb]
allowlist = []                  # "VENDOR:PRODUCT" or "VENDOR:PRODUCT:SERIAL"; empty: any stick
allow_format = false            # let the clerk erase an exFAT/NTFS stick and make it FAT32
                                # (off: the stick is the patient's; the admin decides)

[api]                           # the kiosk's local API (HTTP + JSON on a Unix socket)
# socket = "/run/burnstation/api.sock"   # default: api.sock in the data directory
# socket_group = "burnstation-kiosk"     # who can reach the socket (mode 0660)
allowed_users = []              # besides root and the service's own user
allowed_groups = []

[admin]
lockout_attempts = 5            # wrong admin PINs in a row before admin locks
lockout_minutes = 5             # how long it stays locked (kept across restarts)
session_minutes = 10            # an admin session ends after this long unused
clerk_sign_in = false           # clerks sign in (name + PIN or badge) before burning

[kiosk]
idle_seconds = 120              # the kiosk clears the patient on screen after this long

# [[remote]]
# ae_title = "CT01"
# host = "192.0.2.10"           # optional: the caller must come from this address
# port = 104                    # optional: where it listens, for an echo from the station
# assume_charset = "ISO_IR 100" # for senders that send Latin-1 without declaring it
)toml";
}

}  // namespace burnstation::station
