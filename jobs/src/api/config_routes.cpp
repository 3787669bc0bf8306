// The local API's configuration resources: GET /config for every allowed peer (the kiosk
// needs the profiles), and the admin's changes, each validated by the file's own reader
// (station/config_edit.h), saved durably to the service-owned file and applied at once.
#include <mutex>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/station/config_edit.h"

namespace burnstation::jobs {

namespace {

using station::ConfigEditError;
using station::ConfigList;
using station::ConfigSection;
using station::StationConfig;

int statusOf(ConfigEditError::Code code) {
  switch (code) {
    case ConfigEditError::Code::Invalid:
      return http::kBadRequest;
    case ConfigEditError::Code::Refused:
      return http::kUnprocessable;
    case ConfigEditError::Code::NotFound:
      return http::kNotFound;
    case ConfigEditError::Code::BuiltIn:
      return http::kConflict;
  }
  return http::kUnprocessable;
}

// Two admins (or an admin and a file edit) change one configuration at a time, each on the
// result of the last.
std::mutex& changeMutex() {
  static std::mutex m;
  return m;
}

ApiResponse change(ApiContext& context, const ApiRequest& request, const std::string& what,
                   const std::function<StationConfig(const StationConfig&)>& edit) {
  requireAdmin(context, request);
  const std::lock_guard lock(changeMutex());
  const StationConfig current = context.config();
  StationConfig next;
  try {
    next = edit(current);
    next.source = station::serviceConfigPath(current.dataDir);
    station::saveConfig(next, *next.source);
  } catch (const ConfigEditError& e) {
    context.store->logEvent("config-change-refused",
                            what + ": " + e.what() + " (by " + request.peer.userName + ")", {});
    throw ApiError(statusOf(e.code()), e.what());
  } catch (const station::ConfigError& e) {
    throw ApiError(http::kUnprocessable, e.reason());
  }
  context.applyConfig(next);
  context.store->logEvent("config-changed", what + " (by " + request.peer.userName + ")", {});
  nlohmann::json answer{{"changed", what}, {"config", station::configDocument(next)}};
  // The receiver keeps its listening port until the service restarts.
  answer["restart_needed"] = next.receiver.port != current.receiver.port;
  return ApiResponse::json(answer);
}

void addList(ApiRouter& router, ApiContext& context, const std::string& path, ConfigList list,
             const std::string& param, const std::string& what) {
  router.add("PUT", path + "/{" + param + "}", [&context, list, param, what](const ApiRequest& r) {
    const std::string key = r.params.at(param);
    const nlohmann::json body = r.jsonBody();
    return change(context, r, what + " \"" + key + "\" set",
                  [&](const StationConfig& c) { return station::withEntry(c, list, key, body); });
  });
  router.add(
      "DELETE", path + "/{" + param + "}", [&context, list, param, what](const ApiRequest& r) {
        const std::string key = r.params.at(param);
        return change(context, r, what + " \"" + key + "\" removed",
                      [&](const StationConfig& c) { return station::withoutEntry(c, list, key); });
      });
}

void addSection(ApiRouter& router, ApiContext& context, const std::string& path,
                ConfigSection section, const std::string& what) {
  router.add("PUT", path, [&context, section, what](const ApiRequest& r) {
    const nlohmann::json body = r.jsonBody();
    return change(context, r, what + " changed",
                  [&](const StationConfig& c) { return station::withSettings(c, section, body); });
  });
}

}  // namespace

void addConfigRoutes(ApiRouter& router, ApiContext& context) {
  router.add("GET", "/config", [&context](const ApiRequest&) {
    return ApiResponse::json(station::configDocument(context.config()));
  });
  addList(router, context, "/config/profiles", ConfigList::Profiles, "name", "profile");
  addList(router, context, "/config/auto-burn", ConfigList::AutoBurn, "called_ae",
          "auto-burn rule");
  addList(router, context, "/config/drives", ConfigList::Drives, "name", "drive");
  addList(router, context, "/config/remotes", ConfigList::Remotes, "ae_title", "remote");
  addSection(router, context, "/config/station", ConfigSection::Station, "[station]");
  addSection(router, context, "/config/usb", ConfigSection::Usb, "[usb]");
  // The admin turns clerk sign-in on or off here (and the PIN lockout and session lifetime).
  addSection(router, context, "/config/admin", ConfigSection::Admin, "[admin]");
}

}  // namespace burnstation::jobs
