// The clerk routes through ApiRouter::dispatch against a real store and job queue: the
// admin's list of clerks (never a hash), sign-in by name + PIN or badge, 401 then 423 with
// when it opens, and — where [admin] clerk_sign_in is on — jobs that need a signed-in clerk
// (or admin) and record who that is; with it off, jobs behave as before.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "burnstation/jobs/admin_routes.h"
#include "burnstation/jobs/api_routes.h"
#include "burnstation/jobs/clerk_routes.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/admin_pin.h"
#include "burnstation/store/store.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

using jobs::ApiRequest;
using jobs::ApiResponse;
namespace http = jobs::http;
using std::chrono::minutes;
using std::chrono::seconds;

class ClerkRoutesTest : public JobsTest {
 protected:
  void openApi(bool clerkSignIn) {
    receive(1);
    config_ = station::builtInConfig();
    config_.dataDir = data();
    config_.admin.clerkSignIn = clerkSignIn;
    config_.admin.lockoutAttempts = 3;
    store_ = std::make_unique<store::Store>(
        store::StoreOptions{data(), 0, store::DuplicatePolicy::KeepStored, 64},
        store::Store::Access::Service);
    store::AdminPin(data()).set("271828", "test");
    context_.config = [this] { return config_; };
    context_.store = store_.get();
    jobs::addJobRoutes(router_, context_);
    jobs::addAdminRoutes(router_, context_, {clock_, 16});
    jobs::addClerkRoutes(router_, context_, {clock_, 16});
    admin_ = token(call("POST", "/session", R"({"pin": "271828"})"));
  }

  ApiResponse call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& bearer = {}) const {
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.peer = {4242, 1234, 1234, "kiosk"};
    if (!bearer.empty()) request.headers["authorization"] = "Bearer " + bearer;
    return router_.dispatch(request);
  }
  static nlohmann::json doc(const ApiResponse& r) { return nlohmann::json::parse(r.body); }
  static std::string error(const ApiResponse& r) { return doc(r).value("error", r.body); }
  static std::string token(const ApiResponse& r) {
    EXPECT_EQ(r.status, http::kCreated) << r.body;
    return nlohmann::json::parse(r.body).value("token", "");
  }
  static std::string burn(const std::string& requestId, const std::string& claimed = "Mallory") {
    return nlohmann::json{{"patient", "JOB-1"},
                          {"profile", "cd"},
                          {"request_id", requestId},
                          {"requested_by", claimed}}
        .dump();
  }
  void addAnna() {
    const ApiResponse r =
        call("PUT", "/clerks/Anna%20Meier", R"({"pin": "4815", "badge": "CARD-0042"})", admin_);
    ASSERT_EQ(r.status, http::kCreated) << r.body;
  }
  std::string signIn(const nlohmann::json& body) {
    return token(call("POST", "/clerk-session", body.dump()));
  }
  std::string events(const std::string& kind) {
    return harness::queryIndex(
        data(), "SELECT group_concat(detail, ' | ') FROM events WHERE kind = '" + kind + "'");
  }

  station::StationConfig config_;
  std::atomic<std::int64_t> offsetSeconds_{0};
  jobs::WallClock clock_ = [this] {
    return std::chrono::system_clock::now() + seconds(offsetSeconds_.load());
  };
  std::string admin_;

 private:
  std::unique_ptr<store::Store> store_;
  jobs::ApiContext context_;
  jobs::ApiRouter router_;
};

TEST_F(ClerkRoutesTest, TheAdminManagesClerksAndNeverSeesAHash) {
  openApi(true);
  EXPECT_EQ(call("GET", "/clerks").status, http::kUnauthorized);
  EXPECT_EQ(call("PUT", "/clerks/Ben", R"({"pin": "1234"})").status, http::kUnauthorized);
  addAnna();
  const ApiResponse listed = call("GET", "/clerks", {}, admin_);
  ASSERT_EQ(listed.status, http::kOk) << listed.body;
  EXPECT_EQ(doc(listed)["clerks"], nlohmann::json::parse(R"([{"name": "Anna Meier", "has_pin": true,
                                       "has_badge": true, "locked": false}])"));
  EXPECT_EQ(listed.body.find("argon2"), std::string::npos);
  EXPECT_EQ(listed.body.find("4815"), std::string::npos);

  const ApiResponse shortPin = call("PUT", "/clerks/Ben", R"({"pin": "123"})", admin_);
  EXPECT_EQ(shortPin.status, http::kUnprocessable);
  EXPECT_NE(error(shortPin).find("at least 4 digits"), std::string::npos) << error(shortPin);
  const ApiResponse sameBadge = call("PUT", "/clerks/Ben", R"({"badge": "CARD-0042"})", admin_);
  EXPECT_EQ(sameBadge.status, http::kConflict);
  EXPECT_NE(error(sameBadge).find("Anna Meier"), std::string::npos) << error(sameBadge);
  EXPECT_EQ(call("PUT", "/clerks/Ben", R"({"pin": 1234})", admin_).status, http::kBadRequest);
  EXPECT_EQ(call("PUT", "/clerks/Ben", R"({"name": "x"})", admin_).status, http::kBadRequest);
  // Changing Anna: her badge removed, her PIN kept.
  const ApiResponse changed = call("PUT", "/clerks/Anna%20Meier", R"({"badge": null})", admin_);
  ASSERT_EQ(changed.status, http::kOk) << changed.body;
  EXPECT_EQ(doc(changed)["has_badge"], false);
  EXPECT_EQ(doc(changed)["has_pin"], true);

  EXPECT_EQ(call("DELETE", "/clerks/Anna%20Meier", {}, admin_).status, http::kOk);
  EXPECT_EQ(call("DELETE", "/clerks/Anna%20Meier", {}, admin_).status, http::kNotFound);
  EXPECT_EQ(doc(call("GET", "/clerks", {}, admin_))["clerks"].size(), 0u);
  EXPECT_NE(events("clerk-added").find("kiosk (uid 1234"), std::string::npos);
  EXPECT_NE(events("clerk-changed").find("badge removed"), std::string::npos);
  EXPECT_NE(events("clerk-removed").find("Anna Meier"), std::string::npos);
}

TEST_F(ClerkRoutesTest, WithSignInOnJobsNeedAClerkAndRecordTheSignedInOne) {
  openApi(true);
  addAnna();
  const ApiResponse anonymous = call("POST", "/jobs", burn("c-1"));
  EXPECT_EQ(anonymous.status, http::kUnauthorized);
  EXPECT_EQ(error(anonymous), "sign in first");
  EXPECT_EQ(call("POST", "/jobs", burn("c-1"), std::string(64, 'f')).status, http::kUnauthorized);

  const ApiResponse session =
      call("POST", "/clerk-session", R"({"name": "ANNA MEIER", "pin": "4815"})");
  const std::string anna = token(session);
  EXPECT_EQ(doc(session)["clerk"], "Anna Meier");
  EXPECT_TRUE(doc(session).contains("expires"));
  const ApiResponse created = call("POST", "/jobs", burn("c-1", "Mallory"), anna);
  ASSERT_EQ(created.status, http::kCreated) << created.body;
  EXPECT_EQ(doc(created)["requested_by"], "Anna Meier via kiosk (kiosk)");
  const std::string id = std::to_string(doc(created)["id"].get<std::int64_t>());

  EXPECT_EQ(call("POST", "/jobs/" + id + "/cancel").status, http::kUnauthorized);
  const ApiResponse cancelled = call("POST", "/jobs/" + id + "/cancel", {}, anna);
  ASSERT_EQ(cancelled.status, http::kOk) << cancelled.body;
  EXPECT_NE(events("job-cancel-asked").find("Anna Meier"), std::string::npos);

  EXPECT_EQ(call("POST", "/jobs/" + id + "/retry").status, http::kUnauthorized);
  // An admin session will do too, and the job says so.
  const ApiResponse retried = call("POST", "/jobs/" + id + "/retry", {}, admin_);
  ASSERT_EQ(retried.status, http::kCreated) << retried.body;
  EXPECT_EQ(doc(retried)["requested_by"], "admin via kiosk (kiosk)");
}

TEST_F(ClerkRoutesTest, WithSignInOffJobsBehaveAsBefore) {
  openApi(false);
  addAnna();
  const ApiResponse created = call("POST", "/jobs", burn("o-1", "Ben"));
  ASSERT_EQ(created.status, http::kCreated) << created.body;
  EXPECT_EQ(doc(created)["requested_by"], "Ben via kiosk (kiosk)");
  const std::string id = std::to_string(doc(created)["id"].get<std::int64_t>());
  EXPECT_EQ(call("POST", "/jobs/" + id + "/cancel").status, http::kOk);
  EXPECT_EQ(call("POST", "/jobs/" + id + "/retry").status, http::kCreated);
  const ApiResponse signIn =
      call("POST", "/clerk-session", R"({"name": "Anna Meier", "pin": "4815"})");
  EXPECT_EQ(signIn.status, http::kConflict);
  EXPECT_NE(error(signIn).find("turned off"), std::string::npos) << error(signIn);
}

TEST_F(ClerkRoutesTest, WrongPinsAre401ThenTheClerkIsLocked423UntilTheTimePasses) {
  openApi(true);
  addAnna();
  const std::string wrong = R"({"name": "Anna Meier", "pin": "0000"})";
  const std::string right = R"({"name": "Anna Meier", "pin": "4815"})";
  for (int left = 2; left >= 1; --left) {
    const ApiResponse r = call("POST", "/clerk-session", wrong);
    EXPECT_EQ(r.status, http::kUnauthorized);
    EXPECT_NE(
        error(r).find(std::to_string(left) + (left == 1 ? " attempt left" : " attempts left")),
        std::string::npos)
        << error(r);
  }
  const ApiResponse locked = call("POST", "/clerk-session", wrong);
  EXPECT_EQ(locked.status, http::kLocked);
  EXPECT_EQ(doc(locked)["retry_after_seconds"], 300);
  EXPECT_EQ(locked.headers.at("Retry-After"), "300");
  EXPECT_TRUE(doc(locked).contains("opens"));
  EXPECT_NE(error(locked).find("\"Anna Meier\" is locked for 5 more minutes"), std::string::npos)
      << error(locked);
  EXPECT_EQ(call("POST", "/clerk-session", right).status, http::kLocked);
  const ApiResponse unknown = call("POST", "/clerk-session", R"({"name": "Zed", "pin": "1234"})");
  EXPECT_EQ(unknown.status, http::kUnauthorized);
  EXPECT_NE(error(unknown).find("unknown"), std::string::npos) << error(unknown);
  EXPECT_EQ(call("POST", "/clerk-session", R"({"name": "Anna Meier"})").status, http::kBadRequest);
  EXPECT_EQ(call("POST", "/clerk-session", R"({"badge": "CARD-0042", "pin": "4815"})").status,
            http::kBadRequest);
  // The badge is not locked by Anna's wrong PINs.
  EXPECT_EQ(call("POST", "/clerk-session", R"({"badge": "CARD-0042"})").status, http::kCreated);
  offsetSeconds_ = 5 * 60 + 1;
  EXPECT_EQ(call("POST", "/clerk-session", right).status, http::kCreated);
  EXPECT_NE(events("clerk-locked").find("after 3 wrong PINs"), std::string::npos);
  EXPECT_NE(events("clerk-pin-refused").find("wrong PIN"), std::string::npos);
}

TEST_F(ClerkRoutesTest, ABadgeSignsInAndSigningOutEndsTheSession) {
  openApi(true);
  addAnna();
  const ApiResponse unknown = call("POST", "/clerk-session", R"({"badge": "CARD-9999"})");
  EXPECT_EQ(unknown.status, http::kUnauthorized);
  EXPECT_NE(error(unknown).find("badge is not known"), std::string::npos) << error(unknown);
  const ApiResponse session = call("POST", "/clerk-session", R"({"badge": "CARD-0042"})");
  const std::string anna = token(session);
  EXPECT_EQ(doc(session)["clerk"], "Anna Meier");
  EXPECT_EQ(call("POST", "/jobs", burn("b-1"), anna).status, http::kCreated);
  EXPECT_EQ(call("DELETE", "/clerk-session", {}, anna).status, http::kNoContent);
  EXPECT_EQ(call("DELETE", "/clerk-session", {}, anna).status, http::kUnauthorized);
  EXPECT_EQ(call("POST", "/jobs", burn("b-2"), anna).status, http::kUnauthorized);
  EXPECT_NE(events("clerk-signed-in").find("with badge"), std::string::npos);
  EXPECT_NE(events("clerk-signed-out").find("Anna Meier"), std::string::npos);
}

TEST_F(ClerkRoutesTest, RemovedOrChangedClerksAndExpiredSessionsMustSignInAgain) {
  openApi(true);
  addAnna();
  const std::string right = R"({"name": "Anna Meier", "pin": "4815"})";
  std::string anna = signIn(nlohmann::json::parse(right));
  ASSERT_EQ(call("PUT", "/clerks/Anna%20Meier", R"({"pin": "5555"})", admin_).status, http::kOk);
  EXPECT_EQ(call("POST", "/jobs", burn("r-1"), anna).status, http::kUnauthorized);

  anna = signIn({{"name", "Anna Meier"}, {"pin", "5555"}});
  ASSERT_EQ(call("DELETE", "/clerks/Anna%20Meier", {}, admin_).status, http::kOk);
  EXPECT_EQ(call("POST", "/jobs", burn("r-1"), anna).status, http::kUnauthorized);

  addAnna();
  anna = signIn(nlohmann::json::parse(right));
  offsetSeconds_ = config_.admin.sessionMinutes * 60 + 1;
  EXPECT_EQ(call("POST", "/jobs", burn("r-1"), anna).status, http::kUnauthorized);
}

}  // namespace
}  // namespace burnstation
