// Clerk sign-in through the real service and curl on its socket, with [admin] clerk_sign_in
// on in the service's file: the admin adds a clerk, a job without a session is refused with
// "sign in first", and the job a signed-in clerk submits records that clerk (whatever the
// body claims); the clerk's lockout outlives a restart of the service.
#include <fstream>

#include "api_curl.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::apiCall;
using harness::Station;
using nlohmann::json;

class ClerkApiTest : public JobsTest {
 protected:
  fs::path socket() const { return data() / "api.sock"; }
  fs::path config() {
    const fs::path file = dir.path() / "clerks.toml";
    std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                           "[acceptance]\nany_called_ae = true\n"
                           "[admin]\nclerk_sign_in = true\nlockout_attempts = 2\n";
    return file;
  }
  std::string adminToken() {
    const auto set = harness::runCommand(
        {"sh", "-c", "printf '246810\\n246810\\n' | \"$0\" admin-pin --data-dir \"$1\"",
         harness::burnstationExe(), data().string()});
    EXPECT_EQ(set.exitCode, 0) << set.out << set.err;
    const auto r = apiCall(socket(), "POST", "/session", json{{"pin", "246810"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("token", "");
  }
};

TEST_F(ClerkApiTest, ASignedInClerkIsWhoAskedForTheJob) {
  receive(1);
  Station station(data(), config());
  const std::string admin = adminToken();
  const auto configDoc = apiCall(socket(), "GET", "/config");
  EXPECT_EQ(configDoc.json()["admin"]["clerk_sign_in"], true) << configDoc.body;

  const auto added = apiCall(socket(), "PUT", "/clerks/Yamada%20Hanako",
                             json{{"pin", "9753"}, {"badge", "0004711"}}, admin);
  ASSERT_EQ(added.status, 201) << added.body;
  const auto listed = apiCall(socket(), "GET", "/clerks", nullptr, admin);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json()["clerks"][0]["name"], "Yamada Hanako");
  EXPECT_EQ(listed.body.find("$argon2"), std::string::npos);
  EXPECT_EQ(apiCall(socket(), "GET", "/clerks").status, 401);

  const json job = {{"patient", "JOB-1"},
                    {"profile", "cd"},
                    {"request_id", "clerk-curl-1"},
                    {"requested_by", "someone else"}};
  const auto refused = apiCall(socket(), "POST", "/jobs", job);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.error(), "sign in first");

  const auto session = apiCall(socket(), "POST", "/clerk-session", json{{"badge", "0004711"}});
  ASSERT_EQ(session.status, 201) << session.body;
  EXPECT_EQ(session.json()["clerk"], "Yamada Hanako");
  const std::string clerk = session.json()["token"];
  const auto created = apiCall(socket(), "POST", "/jobs", job, clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["requested_by"].get<std::string>().rfind("Yamada Hanako via ", 0), 0u)
      << created.body;
  EXPECT_EQ(apiCall(socket(), "DELETE", "/clerk-session", nullptr, clerk).status, 204);
  EXPECT_EQ(
      apiCall(socket(), "POST", "/jobs",
              json{{"patient", "JOB-1"}, {"profile", "cd"}, {"request_id", "clerk-curl-2"}}, clerk)
          .status,
      401);
}

TEST_F(ClerkApiTest, AClerksLockoutOutlivesARestart) {
  receive(1);
  {
    Station station(data(), config());
    const std::string admin = adminToken();
    ASSERT_EQ(apiCall(socket(), "PUT", "/clerks/Ben", json{{"pin", "2468"}}, admin).status, 201);
    EXPECT_EQ(
        apiCall(socket(), "POST", "/clerk-session", json{{"name", "Ben"}, {"pin", "0000"}}).status,
        401);
    const auto locked =
        apiCall(socket(), "POST", "/clerk-session", json{{"name", "Ben"}, {"pin", "0000"}});
    EXPECT_EQ(locked.status, 423) << locked.body;
    EXPECT_GT(locked.json().value("retry_after_seconds", 0), 0);
  }
  Station restarted(data(), config());
  const auto still =
      apiCall(socket(), "POST", "/clerk-session", json{{"name", "Ben"}, {"pin", "2468"}});
  EXPECT_EQ(still.status, 423) << still.body;
  EXPECT_NE(still.error().find("locked"), std::string::npos) << still.body;
}

TEST_F(ClerkApiTest, TheAdminTurnsClerkSignInOnThroughTheApi) {
  receive(1);
  Station station(data());  // the test configuration: clerk sign-in off
  const json job = {{"patient", "JOB-1"}, {"profile", "cd"}, {"request_id", "toggle-1"}};
  EXPECT_EQ(apiCall(socket(), "POST", "/jobs", job).status, 201);
  const std::string admin = adminToken();
  EXPECT_EQ(apiCall(socket(), "PUT", "/config/admin", json{{"clerk_sign_in", true}}).status, 401);
  const auto bad = apiCall(socket(), "PUT", "/config/admin", json{{"clerk_sign_in", "yes"}}, admin);
  EXPECT_EQ(bad.status / 100, 4) << bad.body;
  const auto on = apiCall(socket(), "PUT", "/config/admin", json{{"clerk_sign_in", true}}, admin);
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(apiCall(socket(), "GET", "/config").json()["admin"]["clerk_sign_in"], true);
  const auto refused =
      apiCall(socket(), "POST", "/jobs",
              json{{"patient", "JOB-1"}, {"profile", "cd"}, {"request_id", "toggle-2"}});
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.error(), "sign in first");
}

}  // namespace
}  // namespace burnstation
