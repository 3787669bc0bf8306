// The local API's stick resource (api_routes.h): POST /sticks/{id}/format makes a stick the
// station refused (exFAT, NTFS, unformatted) FAT32, once the clerk has confirmed and where
// the admin allows it ([usb] allow_format). The format runs on the device watcher's thread
// for it; the answer (202) comes at once, and the stick's row in the drives document (GET
// /drives, the event stream's `drives` events) says "formatting", then "usable".
#include <string>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/mediawriter/stick_format.h"
#include "burnstation/station/drives_document.h"
#include "job_resources.h"

namespace burnstation::jobs {

namespace {

// The drives document's "id" of a stick ("sdb1", "1-1.4"): looked up among the sticks the
// watcher found, never used as a path.
bool plausibleStickId(const std::string& id) {
  if (id.empty() || id.size() > 64 || id.front() == '.') return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

int statusOf(mediawriter::StickFormatError::Code code) {
  using Code = mediawriter::StickFormatError::Code;
  switch (code) {
    case Code::NotAllowed:
      return http::kForbidden;  // the admin's allowlist, like allow_format itself
    case Code::InUse:
    case Code::AlreadyFat:
      return http::kConflict;
    case Code::Failed:
      break;
  }
  return http::kInternalError;
}

ApiResponse formatStick(ApiContext& context, const ApiRequest& request) {
  if (!context.config().usbAllowFormat) {
    throw ApiError(http::kForbidden,
                   "this station does not format sticks; an admin can allow it ([usb] "
                   "allow_format)");
  }
  const std::string& id = request.params.at("id");
  const std::string unknown =
      "there is no USB stick \"" + shownParam(id) + "\" (GET /drives lists the sticks)";
  if (!plausibleStickId(id)) throw ApiError(http::kNotFound, unknown);
  // No body at all is the commonest way of not confirming: it gets the same sentence.
  const nlohmann::json body = request.body.empty() ? nlohmann::json::object() : request.jsonBody();
  const auto confirm = body.find("confirm");
  if (confirm == body.end() || !confirm->is_boolean() || !confirm->get<bool>()) {
    throw ApiError(http::kBadRequest,
                   "the clerk must confirm: formatting erases everything on the stick (send "
                   "{\"confirm\": true})");
  }
  bool force = false;
  if (const auto f = body.find("force"); f != body.end()) {
    if (!f->is_boolean()) throw ApiError(http::kBadRequest, "force must be true or false");
    force = f->get<bool>();
  }
  if (!context.formatStick) {
    throw ApiError(http::kServiceUnavailable, "the service is not watching USB sticks");
  }
  const std::string who = kioskRequester(request);
  store::Store* store = context.store;
  // Before the format starts, so the event log has the request ahead of its outcome.
  if (store) store->logEvent("stick-format-requested", id + " by " + who, {});
  std::optional<store::DeviceState> row;
  try {
    row = context.formatStick(id, force, [store, who](bool ok, const std::string& detail) {
      if (store)
        store->logEvent(ok ? "stick-formatted" : "stick-format-failed",
                        detail + " (asked by " + who + ")", {});
    });
  } catch (const mediawriter::StickFormatError& e) {
    if (store)
      store->logEvent("stick-format-refused", id + ": " + e.what() + " (asked by " + who + ")", {});
    throw ApiError(statusOf(e.code()), e.what());
  }
  if (!row) throw ApiError(http::kNotFound, unknown);
  return ApiResponse::json(station::drivesDocument({*row})["drives"][0], http::kAccepted);
}

}  // namespace

void addStickRoutes(ApiRouter& router, ApiContext& context) {
  router.add("POST", "/sticks/{id}/format",
             [&context](const ApiRequest& request) { return formatStick(context, request); });
}

}  // namespace burnstation::jobs
