// Which configuration file is in force, and saving the configuration to the file the service
// owns (see station_config.h). The TOML is made by toml++ so that every string is quoted and
// escaped as its parser expects.

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "burnstation/station/station_config.h"
#include "burnstation/store/durable_file.h"
#include "burnstation/store/store_error.h"

namespace burnstation::station {

namespace fs = std::filesystem;

namespace {

std::int64_t whole(std::uint64_t value) {
  return static_cast<std::int64_t>(value);  // sizes are validated to at most INT64_MAX
}

toml::array stringList(const std::vector<std::string>& values) {
  toml::array list;
  for (const auto& v : values) list.push_back(v);
  return list;
}

const char* mediaName(MediaKind media) {
  switch (media) {
    case MediaKind::Cd:
      return "cd";
    case MediaKind::Dvd:
      return "dvd";
    case MediaKind::Any:
      return "any";
  }
  return "any";
}

toml::table asToml(const StationConfig& c) {
  const receiver::ReceiverSettings& r = c.receiver;
  toml::table station{
      {"ae_title", r.aeTitle},
      {"port", r.port},
      {"data_dir", c.dataDir.string()},
      {"max_pdu", r.maxPduBytes},
      {"max_associations", r.maxAssociations},
      {"max_pending_requests", r.maxPendingRequests},
      {"max_pending_requests_per_host", r.maxPendingRequestsPerHost},
      {"free_space_reserve", whole(c.freeSpaceReserve)},
      {"duplicates", c.duplicates == store::DuplicatePolicy::Replace ? "replace" : "keep"},
      {"max_nesting_depth", r.maxNestingDepth}};
  // 0 stands for "as many as max_associations", which the file says by leaving it out.
  if (r.maxAssociationsPerHost > 0) {
    station.insert("max_associations_per_host", r.maxAssociationsPerHost);
  }
  toml::table root{
      {"station", std::move(station)},
      {"timeouts",
       toml::table{{"artim", r.artimSeconds}, {"dimse", r.dimseSeconds}, {"idle", r.idleSeconds}}},
      {"acceptance", toml::table{{"called_ae_titles", stringList(r.extraCalledAeTitles)},
                                 {"calling_allowlist", r.callingAllowlist},
                                 {"any_called_ae", r.acceptAnyCalledAe}}},
      {"jobs",
       toml::table{{"verify", c.jobs.verify}, {"keep_images_hours", c.jobs.keepImagesHours}}},
      {"previews", toml::table{{"quiet_seconds", c.previews.quietSeconds}}},
      {"usb",
       toml::table{{"allowlist", stringList(c.usbAllowlist)}, {"allow_format", c.usbAllowFormat}}},
      {"admin", toml::table{{"lockout_attempts", c.admin.lockoutAttempts},
                            {"lockout_minutes", c.admin.lockoutMinutes},
                            {"session_minutes", c.admin.sessionMinutes},
                            {"clerk_sign_in", c.admin.clerkSignIn}}},
      {"kiosk", toml::table{{"idle_seconds", c.kiosk.idleSeconds}}}};
  toml::table api{{"allowed_users", stringList(c.api.allowedUsers)},
                  {"allowed_groups", stringList(c.api.allowedGroups)}};
  if (c.api.socket) api.insert("socket", c.api.socket->string());
  if (!c.api.socketGroup.empty()) api.insert("socket_group", c.api.socketGroup);
  root.insert("api", std::move(api));

  toml::array remotes;
  for (const auto& remote : r.remotes) {
    toml::table t{{"ae_title", remote.aeTitle}};
    if (!remote.host.empty()) t.insert("host", remote.host);
    if (remote.port > 0) t.insert("port", remote.port);
    if (!remote.assumeCharset.empty()) t.insert("assume_charset", remote.assumeCharset);
    remotes.push_back(std::move(t));
  }
  if (!remotes.empty()) root.insert("remote", std::move(remotes));

  // Every profile, the built-in ones too: an entry with a built-in name replaces it, so the
  // file read back holds the same profiles in the same order.
  toml::array profiles;
  for (const auto& p : c.profiles) {
    toml::table t{{"name", p.name},
                  {"medium", std::string(dicomdir::mediaProfile(p.medium).name)},
                  {"viewer", p.viewer},
                  {"preview", p.preview ? viewer_bundle::toString(*p.preview) : "auto"},
                  {"viewer_reserve", whole(p.viewerReserve)},
                  {"compress",
                   p.compression == dicomdir::Compression::JpegLossless ? "jpeg-lossless" : "none"},
                  {"blank_rewritable", p.blankRewritable},
                  {"label", p.label}};
    if (p.capacity) t.insert("capacity", whole(*p.capacity));
    profiles.push_back(std::move(t));
  }
  if (!profiles.empty()) root.insert("profile", std::move(profiles));

  toml::array drives;
  for (const auto& d : c.drives) {
    toml::table t{{"name", d.name}, {"address", d.address}, {"media", mediaName(d.media)}};
    if (d.capacity) t.insert("capacity", whole(*d.capacity));
    drives.push_back(std::move(t));
  }
  if (!drives.empty()) root.insert("drive", std::move(drives));

  toml::array rules;
  for (const auto& rule : c.autoBurn) {
    toml::table t{{"called_ae_title", rule.calledAe},
                  {"profile", rule.profile},
                  {"copies", rule.copies},
                  {"quiet_seconds", rule.quietSeconds}};
    if (!rule.drive.empty()) t.insert("drive", rule.drive);
    rules.push_back(std::move(t));
  }
  if (!rules.empty()) root.insert("auto_burn", std::move(rules));
  return root;
}

bool sameFile(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  return fs::absolute(a).lexically_normal() == fs::absolute(b).lexically_normal();
}

}  // namespace

fs::path serviceConfigPath(const fs::path& dataDir) {
  return dataDir / "station.toml";
}

StationConfig effectiveConfig(const std::optional<fs::path>& file,
                              const std::optional<fs::path>& dataDir) {
  StationConfig config = file ? loadConfig(*file) : builtInConfig();
  if (dataDir) config.dataDir = *dataDir;
  const fs::path owned = serviceConfigPath(config.dataDir);
  std::error_code ec;
  if (!fs::exists(owned, ec)) return config;
  StationConfig saved = loadConfig(owned);
  saved.dataDir = config.dataDir;  // found through the flags; the file moves with the data
  return saved;
}

std::string configText(const StationConfig& config) {
  std::ostringstream text;
  text << asToml(config) << "\n";
  return text.str();
}

void saveConfig(const StationConfig& config, const fs::path& file) {
  const bool owned = sameFile(file, serviceConfigPath(config.dataDir));
  if (sameFile(file, kPackagedConfigFile)) {
    throw ConfigError(file.string(), 0,
                      "is the packaged configuration file; the service saves to " +
                          serviceConfigPath(config.dataDir).string());
  }
  if (!owned && config.source && sameFile(file, *config.source)) {
    throw ConfigError(file.string(), 0,
                      "is the configuration file the station was started with, which the "
                      "service does not own; it saves to " +
                          serviceConfigPath(config.dataDir).string());
  }
  std::ostringstream text;
  text << "# Saved by burnstation; read instead of the --config file while it exists.\n"
       << asToml(config) << "\n";
  const std::string bytes = text.str();

  try {
    store::PendingFile pending(file);
    {
      std::ofstream out(pending.path(), std::ios::binary | std::ios::trunc);
      out << bytes;
      out.flush();
      if (!out) {
        throw ConfigError(file.string(), 0, "cannot write " + pending.path().string());
      }
    }
    fs::permissions(pending.path(),
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    // What replaces the file must be one the station starts with, and the same configuration.
    StationConfig readBack = loadConfig(pending.path());
    readBack.source = config.source;
    if (!(readBack == config)) {
      throw ConfigError(file.string(), 0,
                        "the configuration does not read back as saved (a setting the file "
                        "cannot express); nothing was changed");
    }
    pending.commit();  // fsync, rename over the file, fsync the folder
  } catch (const store::StoreError& e) {
    throw ConfigError(file.string(), 0, e.what());
  } catch (const fs::filesystem_error& e) {
    throw ConfigError(file.string(), 0, e.what());
  }
}

}  // namespace burnstation::station
