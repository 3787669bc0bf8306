// The local API's clerk resources (api_routes.h, clerk_routes.h): the admin's list of clerks
// and their credentials, and the clerks' sign-in at the kiosk, whose session then names who
// asked for a job where [admin] clerk_sign_in is on.
#include "burnstation/jobs/clerk_routes.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/store/clerks.h"
#include "burnstation/store/counted.h"
#include "burnstation/store/store_error.h"
#include "peer_words.h"

namespace burnstation::jobs {

namespace {

using std::chrono::minutes;

constexpr const char* kSignInFirst = "sign in first";

// A credential in PUT /clerks/{name}: absent keeps it, null removes it, a string sets it.
std::optional<std::string> credential(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::string();
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    throw ApiError(http::kBadRequest, std::string("\"") + name +
                                          "\" must be a non-empty string, or null to remove it");
  }
  return it->get<std::string>();
}

std::string textOf(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_string()) {
    throw ApiError(http::kBadRequest, std::string("\"") + name + "\" is required, as a string");
  }
  return it->get<std::string>();
}

// Clerks' names match without regard to ASCII case, as the store looks them up.
bool sameName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// 423 with when the sign-in opens again, as a sentence, as seconds and as a time.
ApiResponse lockedAnswer(const std::string& what, std::int64_t seconds,
                         std::chrono::system_clock::time_point now) {
  ApiResponse r = ApiResponse::json({{"error", lockedFor(what, seconds)},
                                     {"retry_after_seconds", seconds},
                                     {"opens", isoTime(now + std::chrono::seconds(seconds))}},
                                    http::kLocked);
  r.headers["Retry-After"] = std::to_string(seconds);
  return r;
}

class ClerkDesk {
 public:
  ClerkDesk(ApiContext& context, const ClerkRouteOptions& options)
      : context_(context), sessions_(options.clock, options.sessionLimit) {}

  ApiResponse list(const ApiRequest& request) {
    requireAdmin(context_, request);
    nlohmann::json clerks = nlohmann::json::array();
    for (const store::ClerkSummary& c : roster().list(sessions_.now())) {
      clerks.push_back({{"name", c.name},
                        {"has_pin", c.hasPin},
                        {"has_badge", c.hasBadge},
                        {"locked", c.locked}});
    }
    return ApiResponse::json(
        {{"clerks", clerks}, {"clerk_sign_in", context_.config().admin.clerkSignIn}});
  }

  ApiResponse put(const ApiRequest& request) {
    requireAdmin(context_, request);
    const std::string& name = request.params.at("name");
    const nlohmann::json body = request.jsonBody();
    for (const auto& [key, value] : body.items()) {
      if (key != "pin" && key != "badge") {
        throw ApiError(http::kBadRequest,
                       "unknown field \"" + key + "\" (a clerk takes \"pin\" and \"badge\")");
      }
    }
    const store::ClerkChange change{credential(body, "pin"), credential(body, "badge")};
    bool added = false;
    try {
      added = roster().put(name, change, "admin " + peerWho(request) + " (local API)");
    } catch (const store::StoreError& e) {
      if (e.code() == store::StoreError::Code::Invalid) {
        throw ApiError(http::kUnprocessable, e.what());
      }
      if (e.code() == store::StoreError::Code::InUse) throw ApiError(http::kConflict, e.what());
      throw;
    }
    for (const store::ClerkSummary& c : roster().list(sessions_.now())) {
      if (!sameName(c.name, name)) continue;
      // New credentials: whoever signed in with the old ones signs in again.
      if (!added) sessions_.closeHeldBy(c.name);
      return ApiResponse::json({{"name", c.name}, {"has_pin", c.hasPin}, {"has_badge", c.hasBadge}},
                               added ? http::kCreated : http::kOk);
    }
    throw ApiError(http::kConflict, "clerk \"" + name + "\" was removed meanwhile");
  }

  ApiResponse remove(const ApiRequest& request) {
    requireAdmin(context_, request);
    const std::string& name = request.params.at("name");
    std::string held = name;
    for (const store::ClerkSummary& c : roster().list(sessions_.now())) {
      if (sameName(c.name, name)) held = c.name;
    }
    if (!roster().remove(name, "admin " + peerWho(request) + " (local API)")) {
      throw ApiError(http::kNotFound, "there is no clerk called \"" + name + "\"");
    }
    sessions_.closeHeldBy(held);
    return ApiResponse::json({{"removed", name}});
  }

  ApiResponse signIn(const ApiRequest& request) {
    const station::StationConfig config = context_.config();
    if (!config.admin.clerkSignIn) {
      throw ApiError(http::kConflict,
                     "clerk sign-in is turned off on this station ([admin] clerk_sign_in)");
    }
    const nlohmann::json body = request.jsonBody();
    const bool byBadge = body.contains("badge");
    if (byBadge == (body.contains("name") || body.contains("pin"))) {
      throw ApiError(http::kBadRequest, "sign in with {\"name\", \"pin\"} or with {\"badge\"}");
    }
    const store::PinLockout lockout{config.admin.lockoutAttempts,
                                    minutes(config.admin.lockoutMinutes)};
    const auto now = sessions_.now();
    std::string name;
    store::ClerkCheck result;
    if (byBadge) {
      result = roster().checkBadge(textOf(body, "badge"), lockout, peerWho(request), now);
    } else {
      name = textOf(body, "name");
      result = roster().checkPin(name, textOf(body, "pin"), lockout, peerWho(request), now);
    }
    switch (result.check.outcome) {
      case store::PinOutcome::NotSet:
        throw ApiError(http::kUnauthorized,
                       store::clerkNameProblem(name).empty()
                           ? "clerk \"" + name + "\" is unknown or has no PIN; ask the admin"
                           : "no clerk has that name; ask the admin");
      case store::PinOutcome::Locked:
        return lockedAnswer(byBadge ? "badge sign-in" : "clerk \"" + name + "\"",
                            result.check.lockedSeconds, now);
      case store::PinOutcome::Refused:
        throw ApiError(http::kUnauthorized,
                       (byBadge ? "this badge is not known; " : std::string("wrong PIN; ")) +
                           store::counted(result.check.attemptsLeft, "attempt") + " left before " +
                           (byBadge ? "badge sign-in" : "\"" + name + "\"") + " is locked");
      case store::PinOutcome::Accepted:
        break;
    }
    const auto opened = sessions_.open(minutes(config.admin.sessionMinutes), result.clerk);
    return ApiResponse::json(
        {{"token", opened.token}, {"clerk", result.clerk}, {"expires", isoTime(opened.expires)}},
        http::kCreated);
  }

  ApiResponse signOut(const ApiRequest& request) {
    const std::string token = request.bearerToken();
    const auto holder =
        token.empty() ? std::nullopt
                      : sessions_.holderOf(token, minutes(context_.config().admin.sessionMinutes));
    if (!holder || !sessions_.close(token)) {
      throw ApiError(http::kUnauthorized, "no such clerk session (it may have ended already)");
    }
    context_.store->logEvent("clerk-signed-out", "clerk \"" + *holder + "\" at " + peerWho(request),
                             {});
    ApiResponse r;
    r.status = http::kNoContent;
    return r;
  }

  std::string signedIn(const ApiRequest& request) {
    const std::string token = request.bearerToken();
    if (token.empty()) throw ApiError(http::kUnauthorized, kSignInFirst);
    if (const auto clerk =
            sessions_.holderOf(token, minutes(context_.config().admin.sessionMinutes))) {
      return *clerk;
    }
    try {
      requireAdmin(context_, request);
    } catch (const ApiError&) {
      throw ApiError(http::kUnauthorized, kSignInFirst);
    }
    return "admin";
  }

 private:
  store::Clerks& roster() {
    std::lock_guard lock(mutex_);
    if (!clerks_) {
      if (!context_.store) throw ApiError(http::kServiceUnavailable, "the store is not open");
      clerks_ = std::make_unique<store::Clerks>(context_.store->dataDir());
    }
    return *clerks_;
  }

  ApiContext& context_;
  AdminSessions sessions_;
  std::mutex mutex_;
  std::unique_ptr<store::Clerks> clerks_;
};

}  // namespace

void addClerkRoutes(ApiRouter& router, ApiContext& context, const ClerkRouteOptions& options) {
  const auto desk = std::make_shared<ClerkDesk>(context, options);
  router.add("GET", "/clerks", [desk](const ApiRequest& r) { return desk->list(r); });
  router.add("PUT", "/clerks/{name}", [desk](const ApiRequest& r) { return desk->put(r); });
  router.add("DELETE", "/clerks/{name}", [desk](const ApiRequest& r) { return desk->remove(r); });
  router.add("POST", "/clerk-session", [desk](const ApiRequest& r) { return desk->signIn(r); });
  router.add("DELETE", "/clerk-session", [desk](const ApiRequest& r) { return desk->signOut(r); });
  context.signedInClerk = [desk](const ApiRequest& r) { return desk->signedIn(r); };
}

void addClerkRoutes(ApiRouter& router, ApiContext& context) {
  addClerkRoutes(router, context, ClerkRouteOptions{});
}

}  // namespace burnstation::jobs
