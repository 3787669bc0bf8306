// The local API's admin resources (api_routes.h, admin_routes.h): signing in with the admin
// PIN, the session check every admin call makes, and removing a patient sent by mistake.
#include "burnstation/jobs/admin_routes.h"

#include <memory>
#include <mutex>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/store/admin_pin.h"
#include "burnstation/store/counted.h"
#include "burnstation/store/store_error.h"
#include "burnstation/viewer_bundle/preview_cache.h"
#include "peer_words.h"

namespace burnstation::jobs {

namespace {

using std::chrono::minutes;

constexpr const char* kClosed = "admin is closed until a PIN is set with `burnstation admin-pin`";

// The PIN, the sessions and what the last sign-in saw of the PIN, shared by the routes.
class AdminGate {
 public:
  AdminGate(ApiContext& context, const AdminRouteOptions& options)
      : context_(context), sessions_(options.clock, options.sessionLimit) {}

  ApiResponse signIn(const ApiRequest& request) {
    const nlohmann::json body = request.jsonBody();
    const auto it = body.find("pin");
    if (it == body.end() || !it->is_string()) {
      throw ApiError(http::kBadRequest, "\"pin\" is required, as a string of digits");
    }
    const station::AdminSettings settings = context_.config().admin;
    const store::PinCheck check = pin().check(
        it->get<std::string>(), {settings.lockoutAttempts, minutes(settings.lockoutMinutes)},
        peerWho(request), sessions_.now());
    switch (check.outcome) {
      case store::PinOutcome::NotSet:
        throw ApiError(http::kForbidden, kClosed);
      case store::PinOutcome::Locked:
        throw ApiError(http::kLocked, lockedFor("admin", check.lockedSeconds));
      case store::PinOutcome::Refused:
        throw ApiError(http::kUnauthorized, "wrong PIN; " +
                                                store::counted(check.attemptsLeft, "attempt") +
                                                " left before admin is locked");
      case store::PinOutcome::Accepted:
        break;
    }
    forgetSessionsOfAnOldPin();
    const auto opened = sessions_.open(minutes(settings.sessionMinutes));
    return ApiResponse::json({{"token", opened.token}, {"expires", isoTime(opened.expires)}},
                             http::kCreated);
  }

  ApiResponse signOut(const ApiRequest& request) {
    const std::string token = request.bearerToken();
    if (token.empty()) {
      throw ApiError(http::kUnauthorized, "no session given (Authorization: Bearer TOKEN)");
    }
    if (!sessions_.close(token)) {
      throw ApiError(http::kUnauthorized, "no such admin session (it may have ended already)");
    }
    ApiResponse r;
    r.status = http::kNoContent;
    return r;
  }

  void require(const ApiRequest& request) {
    if (!forgetSessionsOfAnOldPin()) throw ApiError(http::kForbidden, kClosed);
    const std::string token = request.bearerToken();
    if (token.empty()) {
      throw ApiError(http::kUnauthorized,
                     "admin calls need a session: POST /session with the PIN, then send "
                     "Authorization: Bearer TOKEN");
    }
    if (!sessions_.use(token, minutes(context_.config().admin.sessionMinutes))) {
      throw ApiError(http::kUnauthorized,
                     "the admin session is unknown or has ended; sign in again with the PIN");
    }
  }

  ApiResponse removePatient(const ApiRequest& request) {
    jobs::requireAdmin(context_, request);
    const std::string& key = request.params.at("key");
    store::RemovedCollection removed;
    try {
      removed = context_.store->removeCollection(key, "admin " + peerWho(request) + " (local API)");
    } catch (const store::StoreError& e) {
      switch (e.code()) {
        case store::StoreError::Code::NotFound:
          throw ApiError(http::kNotFound, e.what());
        case store::StoreError::Code::InUse:
          throw ApiError(http::kConflict, e.what());
        case store::StoreError::Code::NoSpace:
          throw ApiError(http::kServiceUnavailable, e.what());
        default:
          throw;
      }
    }
    // The index no longer lists them; the preview worker's sweep would remove them too.
    int previewsLeft = 0;
    viewer_bundle::PreviewCache previews(context_.store->dataDir());
    for (const std::string& study : removed.studiesGone) {
      try {
        previews.removeStudy(study);
      } catch (const std::exception&) {
        ++previewsLeft;
      }
    }
    return ApiResponse::json({{"key", removed.key},
                              {"patient_id", removed.patientId},
                              {"patient_name", removed.patientName},
                              {"instances", removed.instances},
                              {"bytes", removed.bytes},
                              {"studies_removed", removed.studiesGone},
                              {"previews_left_for_the_sweep", previewsLeft}});
  }

 private:
  store::AdminPin& pin() {
    std::lock_guard lock(mutex_);
    if (!pin_) {
      if (!context_.store) throw ApiError(http::kServiceUnavailable, "the store is not open");
      pin_ = std::make_unique<store::AdminPin>(context_.store->dataDir());
    }
    return *pin_;
  }

  // Whether a PIN is set. `burnstation admin-pin` may have changed it from another process
  // since a session began: the sessions of the old PIN end with it.
  bool forgetSessionsOfAnOldPin() {
    const std::string hash = pin().storedHash();
    std::lock_guard lock(mutex_);
    if (hash != pinHash_) {
      if (!pinHash_.empty()) sessions_.closeAll();
      pinHash_ = hash;
    }
    return !hash.empty();
  }

  ApiContext& context_;
  AdminSessions sessions_;
  std::mutex mutex_;
  std::unique_ptr<store::AdminPin> pin_;
  std::string pinHash_;  // as the last sign-in or admin call saw it
};

}  // namespace

void addAdminRoutes(ApiRouter& router, ApiContext& context, const AdminRouteOptions& options) {
  const auto gate = std::make_shared<AdminGate>(context, options);
  router.add("POST", "/session", [gate](const ApiRequest& r) { return gate->signIn(r); });
  router.add("DELETE", "/session", [gate](const ApiRequest& r) { return gate->signOut(r); });
  router.add("DELETE", "/patients/{key}",
             [gate](const ApiRequest& r) { return gate->removePatient(r); });
  context.requireAdmin = [gate](const ApiRequest& r) { gate->require(r); };
}

void addAdminRoutes(ApiRouter& router, ApiContext& context) {
  addAdminRoutes(router, context, AdminRouteOptions{});
}

}  // namespace burnstation::jobs
