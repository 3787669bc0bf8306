// Changes to the configuration made at the kiosk (ARCHITECTURE.md "The local API": PUT and
// DELETE under /config). A change is applied to the TOML the service would save, and the
// result is read by loadConfig — the same code that reads the admin's file — so a change the
// file would refuse is refused with the same reason, and nothing is saved.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "burnstation/station/station_config.h"

namespace burnstation::station {

// The lists an admin edits one entry of, by the entry's key.
enum class ConfigList {
  Profiles,  // [[profile]] by name
  AutoBurn,  // [[auto_burn]] by called_ae_title
  Drives,    // [[drive]] by name
  Remotes,   // [[remote]] by ae_title
};

// The sections an admin changes some settings of.
enum class ConfigSection {
  Station,  // [station]: ae_title, port, limits (not data_dir)
  Usb,      // [usb]: allowlist
  Admin,    // [admin]: lockout, session lifetime, clerk_sign_in
};

// Why a change was refused: Invalid (the body's shape; 400), Refused (the configuration it
// would make does not validate, or cannot be made here; 422), NotFound (no such entry; 404),
// BuiltIn (a built-in entry that cannot be removed; 409).
class ConfigEditError : public std::runtime_error {
 public:
  enum class Code { Invalid, Refused, NotFound, BuiltIn };
  ConfigEditError(Code code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  Code code() const { return code_; }

 private:
  Code code_;
};

// The configuration with the entry `key` of `list` replaced by (or added as) `entry`, a JSON
// object with the file's setting names ({"medium": "STD-GEN-CD", "capacity": "700M"}); the
// key setting may be left out and must match when given. Throws ConfigEditError.
StationConfig withEntry(const StationConfig& current, ConfigList list, const std::string& key,
                        const nlohmann::json& entry);
// The configuration without that entry. Throws ConfigEditError (NotFound, BuiltIn, Refused
// when the rest depends on it, e.g. an auto-burn rule naming a removed profile).
StationConfig withoutEntry(const StationConfig& current, ConfigList list, const std::string& key);
// The configuration with the settings in `settings` (a JSON object) changed in that section.
StationConfig withSettings(const StationConfig& current, ConfigSection section,
                           const nlohmann::json& settings);

// The configuration as JSON for GET /config: the file's sections, with the lists named
// "profiles", "drives", "auto_burn" and "remotes", each entry exactly as PUT takes it back;
// no secrets.
nlohmann::json configDocument(const StationConfig& config);

}  // namespace burnstation::station
