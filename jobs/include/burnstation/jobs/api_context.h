// What the local API's handlers work with: the service's running configuration, its store
// and the callbacks through which a change reaches the rest of the service. Built by
// `burnstation serve`; handlers never keep their own copies of the configuration.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "burnstation/jobs/api_exchange.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/device_states.h"
#include "burnstation/store/store.h"

namespace burnstation::jobs {

struct ApiContext {
  // The configuration in force now (it changes on reload); thread-safe.
  std::function<station::StationConfig()> config;
  // The service's store (open for the service; its queries are thread-safe).
  store::Store* store = nullptr;
  // Applies a configuration just saved to the service-owned file, as a reload does; throws
  // station::ConfigError when it cannot be applied (the caller answers 422).
  std::function<void(const station::StationConfig&)> applyConfig;
  // Throws ApiError (401 no or expired session, 403 admin closed, 423 locked) unless the
  // request carries a valid admin session. Set by the admin routes' owner.
  std::function<void(const ApiRequest&)> requireAdmin;
  // Starts formatting a stick the device watcher knows (DeviceWatcher::formatStick): the
  // stick's row, nullopt for an unknown id; throws mediawriter::StickFormatError.
  std::function<std::optional<store::DeviceState>(
      const std::string& id, bool force, std::function<void(bool, const std::string&)> report)>
      formatStick;
  // Whose session the request carries where clerks sign in: the clerk's name, or "admin" for
  // an admin session; throws ApiError(401, "sign in first") for neither. Set by the clerk
  // routes' owner.
  std::function<std::string(const ApiRequest&)> signedInClerk;
};

// Throws ApiError(403) when no admin routes are installed, else whatever requireAdmin throws.
inline void requireAdmin(const ApiContext& context, const ApiRequest& request) {
  if (!context.requireAdmin) throw ApiError(http::kForbidden, "admin is closed on this station");
  context.requireAdmin(request);
}

// Who asks for a job, cancels or retries one: nullopt while [admin] clerk_sign_in is off (a job
// then records the requested_by the client gives); else the signed-in clerk, or
// ApiError(401, "sign in first") (also when no clerk routes are installed).
inline std::optional<std::string> requireClerk(const ApiContext& context,
                                               const ApiRequest& request) {
  if (!context.config().admin.clerkSignIn) return std::nullopt;
  if (!context.signedInClerk) throw ApiError(http::kUnauthorized, "sign in first");
  return context.signedInClerk(request);
}

}  // namespace burnstation::jobs
