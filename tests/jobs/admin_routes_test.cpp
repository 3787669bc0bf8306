// The admin routes through ApiRouter::dispatch against a real store: closed until a PIN is
// set, sessions from the right PIN, 401 for a wrong one and 423 after five (even for the
// right one, and after a restart), sessions that expire and end, and removing a patient.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>

#include "burnstation/jobs/admin_routes.h"
#include "burnstation/jobs/api_routes.h"
#include "burnstation/station/documents.h"
#include "burnstation/store/admin_pin.h"
#include "burnstation/store/job_queue.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::jobs {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

// A running service's API in-process: its store, its configuration, its router.
struct Service {
  explicit Service(const fs::path& dataDir,
                   std::function<std::chrono::system_clock::time_point()> clock,
                   std::size_t sessionLimit = AdminSessions::kDefaultLimit)
      : store({dataDir, 0, store::DuplicatePolicy::KeepStored}, store::Store::Access::Service) {
    config.dataDir = dataDir;
    context.config = [this] { return config; };
    context.store = &store;
    addAdminRoutes(router, context, {std::move(clock), sessionLimit});
    addSetAsideRoutes(router, context);
  }

  ApiResponse call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& token = {}) {
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.peer = {4242, 1000, 1000, "alice"};
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    return router.dispatch(request);
  }

  std::string signIn(const std::string& pin) {
    const ApiResponse r = call("POST", "/session", nlohmann::json{{"pin", pin}}.dump());
    EXPECT_EQ(r.status, http::kCreated) << r.body;
    return nlohmann::json::parse(r.body).value("token", "");
  }

  store::Store store;
  station::StationConfig config;
  ApiContext context;
  ApiRouter router;
};

std::string errorOf(const ApiResponse& r) {
  return nlohmann::json::parse(r.body).value("error", "");
}

class AdminRoutesTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  std::atomic<std::int64_t> offsetSeconds{0};
  std::function<std::chrono::system_clock::time_point()> clock = [this] {
    return std::chrono::system_clock::now() + seconds(offsetSeconds.load());
  };

  void setPin(const std::string& pin) { store::AdminPin(data()).set(pin, "test"); }

  std::vector<fs::path> receive(store::Store& store, const std::string& patientId, int count,
                                const std::string& name = {}) {
    testdata::InstanceSpec spec;
    spec.patientIdBytes = patientId;
    spec.patientNameBytes = name.empty() ? "ADMIN^" + patientId : name;
    spec.studyInstanceUid = testdata::newUid();
    std::vector<fs::path> files;
    for (int i = 0; i < count; ++i) {
      spec.sopInstanceUid = testdata::newUid();
      const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
      const fs::path temp = store.temporaryPath();
      fs::copy_file(made, temp);
      files.push_back(
          store.ingest(temp, store::readInstanceHeader(temp), {"CT01", "BS", "", ""}).file);
    }
    return files;
  }

  std::string sql(const std::string& query) {
    const auto r = harness::runCommand({"sqlite3", (data() / "index.sqlite").string(), query});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out;
  }
};

TEST_F(AdminRoutesTest, AdminIsClosedUntilAPinIsSet) {
  Service service(data(), clock);
  const ApiResponse r = service.call("POST", "/session", R"({"pin": "123456"})");
  EXPECT_EQ(r.status, http::kForbidden);
  EXPECT_EQ(errorOf(r), "admin is closed until a PIN is set with `burnstation admin-pin`");
  ApiRequest request;
  request.headers["authorization"] = "Bearer " + std::string(64, 'a');
  try {
    requireAdmin(service.context, request);
    ADD_FAILURE() << "admin open without a PIN";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), http::kForbidden);
  }
  EXPECT_EQ(service.call("DELETE", "/patients/anything").status, http::kForbidden);
}

TEST_F(AdminRoutesTest, TheRightPinGivesATokenThatOpensAdminCalls) {
  Service service(data(), clock);
  setPin("271828");
  const ApiResponse r = service.call("POST", "/session", R"({"pin": "271828"})");
  ASSERT_EQ(r.status, http::kCreated) << r.body;
  const auto doc = nlohmann::json::parse(r.body);
  const std::string token = doc.value("token", "");
  EXPECT_TRUE(std::regex_match(token, std::regex("[0-9a-f]{64}"))) << token;
  EXPECT_TRUE(std::regex_match(doc.value("expires", ""),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)")))
      << doc.value("expires", "");
  // Past the admin check: an unknown key is the next thing refused.
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, token).status, http::kNotFound);
  EXPECT_NE(sql("SELECT detail FROM events WHERE kind = 'admin-pin-accepted'").find("alice"),
            std::string::npos);
  // Two sign-ins, two different tokens.
  EXPECT_NE(service.signIn("271828"), token);
}

TEST_F(AdminRoutesTest, WrongPinsAre401ThenAdminIsLockedEvenForTheRightPinUntilTheTimePasses) {
  Service service(data(), clock);
  setPin("271828");
  for (int left = 4; left >= 1; --left) {
    const ApiResponse r = service.call("POST", "/session", R"({"pin": "000000"})");
    EXPECT_EQ(r.status, http::kUnauthorized);
    EXPECT_NE(
        errorOf(r).find(std::to_string(left) + (left == 1 ? " attempt left" : " attempts left")),
        std::string::npos)
        << errorOf(r);
  }
  const ApiResponse fifth = service.call("POST", "/session", R"({"pin": "000000"})");
  EXPECT_EQ(fifth.status, http::kLocked);
  const ApiResponse right = service.call("POST", "/session", R"({"pin": "271828"})");
  EXPECT_EQ(right.status, http::kLocked);
  EXPECT_EQ(errorOf(right), "admin is locked for 5 more minutes");
  offsetSeconds = 4 * 60 + 1;
  EXPECT_EQ(errorOf(service.call("POST", "/session", R"({"pin": "271828"})")),
            "admin is locked for 1 more minute");
  offsetSeconds = 5 * 60 + 1;
  EXPECT_EQ(service.call("POST", "/session", R"({"pin": "271828"})").status, http::kCreated);
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE kind = 'admin-pin-refused'"), "5\n");
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE kind = 'admin-locked'"), "3\n");
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE instr(detail, '271828') OR instr(detail, "
                "'000000')"),
            "0\n");
}

TEST_F(AdminRoutesTest, TheLockSurvivesARestartOfTheService) {
  {
    Service service(data(), clock);
    setPin("271828");
    for (int i = 0; i < 5; ++i) service.call("POST", "/session", R"({"pin": "111111"})");
  }
  Service restarted(data(), clock);
  EXPECT_EQ(restarted.call("POST", "/session", R"({"pin": "271828"})").status, http::kLocked);
}

TEST_F(AdminRoutesTest, TheLockoutSettingsComeFromTheConfiguration) {
  Service service(data(), clock);
  service.config.admin.lockoutAttempts = 2;
  service.config.admin.lockoutMinutes = 1;
  setPin("271828");
  EXPECT_EQ(service.call("POST", "/session", R"({"pin": "111111"})").status, http::kUnauthorized);
  EXPECT_EQ(service.call("POST", "/session", R"({"pin": "111111"})").status, http::kLocked);
  EXPECT_EQ(errorOf(service.call("POST", "/session", R"({"pin": "271828"})")),
            "admin is locked for 1 more minute");
  offsetSeconds = 61;
  EXPECT_EQ(service.call("POST", "/session", R"({"pin": "271828"})").status, http::kCreated);
}

TEST_F(AdminRoutesTest, AdminCallsWithoutOrWithABadOrExpiredTokenAre401) {
  Service service(data(), clock);
  service.config.admin.sessionMinutes = 10;
  setPin("271828");
  const std::string token = service.signIn("271828");
  EXPECT_EQ(service.call("DELETE", "/patients/nobody").status, http::kUnauthorized);
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, "not-a-token").status,
            http::kUnauthorized);
  std::string guess = token;
  guess.back() = guess.back() == '0' ? '1' : '0';
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, guess).status, http::kUnauthorized);
  // Sliding: each use counts the ten minutes again.
  offsetSeconds = 9 * 60;
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, token).status, http::kNotFound);
  offsetSeconds = 18 * 60;
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, token).status, http::kNotFound);
  offsetSeconds = 28 * 60 + 1;
  const ApiResponse expired = service.call("DELETE", "/patients/nobody", {}, token);
  EXPECT_EQ(expired.status, http::kUnauthorized);
  EXPECT_NE(errorOf(expired).find("sign in again"), std::string::npos);
}

TEST_F(AdminRoutesTest, DeleteSessionEndsIt) {
  Service service(data(), clock);
  setPin("271828");
  const std::string token = service.signIn("271828");
  EXPECT_EQ(service.call("DELETE", "/session", {}, token).status, http::kNoContent);
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, token).status, http::kUnauthorized);
  EXPECT_EQ(service.call("DELETE", "/session", {}, token).status, http::kUnauthorized);
  EXPECT_EQ(service.call("DELETE", "/session").status, http::kUnauthorized);
}

TEST_F(AdminRoutesTest, SessionsAreBounded) {
  Service service(data(), clock, 2);
  setPin("271828");
  const std::string first = service.signIn("271828");
  offsetSeconds = 1;
  const std::string second = service.signIn("271828");
  offsetSeconds = 2;
  const std::string third = service.signIn("271828");
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, first).status, http::kUnauthorized);
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, second).status, http::kNotFound);
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, third).status, http::kNotFound);
}

TEST_F(AdminRoutesTest, ANewPinEndsTheSessionsOfTheOldOne) {
  Service service(data(), clock);
  setPin("271828");
  const std::string token = service.signIn("271828");
  setPin("3141592");  // `burnstation admin-pin` in another process
  EXPECT_EQ(service.call("DELETE", "/patients/nobody", {}, token).status, http::kUnauthorized);
  EXPECT_FALSE(service.signIn("3141592").empty());
}

TEST_F(AdminRoutesTest, APinThatIsNoStringIsABadRequest) {
  Service service(data(), clock);
  setPin("271828");
  EXPECT_EQ(service.call("POST", "/session", R"({"pin": 271828})").status, http::kBadRequest);
  EXPECT_EQ(service.call("POST", "/session", "pin=271828").status, http::kBadRequest);
  EXPECT_EQ(service.call("POST", "/session", "{}").status, http::kBadRequest);
  // None of these counted as an attempt.
  EXPECT_EQ(store::AdminPin(data()).failedAttempts(), 0);
}

TEST_F(AdminRoutesTest, DeletingAPatientRemovesItsFilesAndRowsWithAnEvent) {
  Service service(data(), clock);
  setPin("271828");
  const auto wrong = receive(service.store, "MISTAKE-1", 3);
  const auto kept = receive(service.store, "RIGHT-1", 1);
  std::string key;
  for (const auto& c : service.store.collections()) {
    if (c.patientId == "MISTAKE-1") key = c.key;
  }
  ASSERT_FALSE(key.empty());
  // Needs admin.
  EXPECT_EQ(service.call("DELETE", "/patients/" + key).status, http::kUnauthorized);
  EXPECT_EQ(service.store.collections().size(), 2u);

  const std::string token = service.signIn("271828");
  const ApiResponse r = service.call("DELETE", "/patients/" + key, {}, token);
  ASSERT_EQ(r.status, http::kOk) << r.body;
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc.value("patient_id", ""), "MISTAKE-1");
  EXPECT_EQ(doc.value("instances", 0), 3);
  for (const auto& f : wrong) EXPECT_FALSE(fs::exists(f)) << f;
  for (const auto& f : kept) EXPECT_TRUE(fs::exists(f)) << f;
  ASSERT_EQ(service.store.collections().size(), 1u);
  EXPECT_EQ(service.store.collections()[0].patientId, "RIGHT-1");
  const std::string event = sql("SELECT detail FROM events WHERE kind = 'patient-deleted'");
  EXPECT_NE(event.find(key), std::string::npos) << event;
  EXPECT_NE(event.find("MISTAKE-1"), std::string::npos) << event;
  EXPECT_NE(event.find("3 instances"), std::string::npos) << event;
  EXPECT_NE(event.find("alice"), std::string::npos) << event;
  EXPECT_TRUE(service.store.checkConsistency().ok());
  // Gone: a second delete finds nothing.
  EXPECT_EQ(service.call("DELETE", "/patients/" + key, {}, token).status, http::kNotFound);
}

TEST_F(AdminRoutesTest, DeletingAPatientAQueuedJobHoldsIs409) {
  Service service(data(), clock);
  setPin("271828");
  const auto files = receive(service.store, "BUSY-1", 2);
  const store::Selection selection = service.store.select({"BUSY-1", {}});
  std::vector<std::string> uids;
  for (const auto& i : selection.instances) uids.push_back(i.sopInstanceUid);
  store::JobQueue queue(data());
  const std::int64_t job =
      queue.submit({selection.collectionKey, {}, "cd", "", 1, 0, "clerk"}, uids);
  const std::string token = service.signIn("271828");
  const ApiResponse r = service.call("DELETE", "/patients/" + selection.collectionKey, {}, token);
  EXPECT_EQ(r.status, http::kConflict);
  EXPECT_NE(errorOf(r).find("job " + std::to_string(job) + " is queued"), std::string::npos)
      << errorOf(r);
  for (const auto& f : files) EXPECT_TRUE(fs::exists(f));
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE kind = 'patient-deleted'"), "0\n");
}

// A possible conflict the admin has checked: listed with who did, no longer among the
// patient's "conflicts" (what the kiosk marks), on both patients; an event.
TEST_F(AdminRoutesTest, AcknowledgingAConflictClearsItsMarkOnBothPatients) {
  Service service(data(), clock);
  setPin("271828");
  receive(service.store, "SHARED-1", 1, "HANSEN^INGE");
  receive(service.store, "SHARED-1", 1, "HANSEN^INGRID");
  auto doc = station::patientsDocument(service.store.collections());
  ASSERT_EQ(doc["patients"].size(), 2u);
  const auto& first = doc["patients"][0];
  ASSERT_EQ(first["conflicts"].size(), 1u);
  ASSERT_EQ(first["conflict_details"].size(), 1u);
  const std::string key = first["key"], id = first["conflict_details"][0]["id"];
  EXPECT_EQ(first["conflict_details"][0]["kind"], "same-id");
  EXPECT_EQ(first["conflict_details"][0]["with"], doc["patients"][1]["key"]);
  const std::string path = "/patients/" + key + "/conflicts/acknowledge";
  const std::string body = nlohmann::json{{"conflict", id}}.dump();

  EXPECT_EQ(service.call("POST", path, body).status, http::kUnauthorized);
  const std::string token = service.signIn("271828");
  const ApiResponse missing = service.call("POST", path, "{}", token);
  EXPECT_EQ(missing.status, http::kBadRequest);
  EXPECT_NE(errorOf(missing).find("say which conflict"), std::string::npos) << missing.body;
  EXPECT_EQ(service.call("POST", path, R"({"conflict": "same-id:nobody"})", token).status,
            http::kNotFound);
  EXPECT_EQ(service.call("POST", "/patients/nobody/conflicts/acknowledge", body, token).status,
            http::kNotFound);

  const ApiResponse r = service.call("POST", path, body, token);
  ASSERT_EQ(r.status, http::kOk) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body).value("acknowledged_by", ""), "alice (kiosk admin)");
  doc = station::patientsDocument(service.store.collections());
  for (const auto& patient : doc["patients"]) {
    EXPECT_TRUE(patient["conflicts"].empty()) << patient.dump();
    ASSERT_EQ(patient["conflict_details"].size(), 1u);
    EXPECT_TRUE(patient["conflict_details"][0]["acknowledged"].get<bool>());
    EXPECT_EQ(patient["conflict_details"][0]["acknowledged_by"], "alice (kiosk admin)");
  }
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE kind = 'conflict-acknowledged'"), "1\n");
}

}  // namespace
}  // namespace burnstation::jobs
