// The local API as ARCHITECTURE.md writes its contract, through the real service and curl
// on its socket: the same documents as the command line, a submit retried with its request
// ID burning once, a job followed to its label, the admin PIN opening configuration changes
// (a refused one answers 422 and leaves the file as it was), the lockout outliving a
// restart, and a patient removed by the admin.
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "api_curl.h"
#include "burnstation/store/job_queue.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::apiCall;
using harness::HttpAnswer;
using harness::Station;
using nlohmann::json;

class ApiContractTest : public JobsTest {
 protected:
  fs::path socket() const { return data() / "api.sock"; }
  std::string fileText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void setPin(const std::string& pin) {
    const auto r = harness::runCommand(
        {"sh", "-c", "printf '" + pin + "\\n" + pin + "\\n' | \"$0\" admin-pin --data-dir \"$1\"",
         harness::burnstationExe(), data().string()});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  }
  std::string signIn(const std::string& pin) {
    const auto r = apiCall(socket(), "POST", "/session", json{{"pin", pin}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()["token"].get<std::string>() : std::string();
  }
  // The job once its state is terminal (a test failure after about 60 s).
  json finished(const std::string& id) {
    json job;
    for (int i = 0; i < 600; ++i) {
      const auto r = apiCall(socket(), "GET", "/jobs/" + id);
      job = r.json();
      if (r.status == 200 && store::parseJobState(job.value("state", "")) &&
          store::isTerminal(*store::parseJobState(job["state"].get<std::string>()))) {
        return job;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " did not end: " << job.dump(2);
    return job;
  }
};

TEST_F(ApiContractTest, ServesTheCommandLinesDocuments) {
  receive(3);
  Station station(data());
  const auto patients = apiCall(socket(), "GET", "/patients");
  ASSERT_EQ(patients.status, 200) << patients.body;
  const json cli = harness::patientsJson(data());
  ASSERT_EQ(patients.json()["patients"].size(), cli["patients"].size());
  const std::string key = cli["patients"][0]["key"];
  EXPECT_EQ(patients.json()["patients"][0]["key"], key);
  EXPECT_EQ(patients.json()["patients"][0]["instances"], 3);

  EXPECT_EQ(apiCall(socket(), "GET", "/patients?q=jobs").json()["patients"].size(), 1u);
  EXPECT_EQ(apiCall(socket(), "GET", "/patients?q=nobody%20here").json()["patients"].size(), 0u);
  EXPECT_EQ(apiCall(socket(), "GET", "/patients/" + key).status, 200);
  const auto unknown = apiCall(socket(), "GET", "/patients/NO-SUCH-KEY");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.error(), "");

  // The plan is the command line's plan for the same selection.
  const auto plan =
      apiCall(socket(), "POST", "/plans", json{{"patient", "JOB-1"}, {"profile", "cd"}});
  ASSERT_EQ(plan.status, 200) << plan.body;
  const auto cliPlan = bs(data(), {"plan", "--patient", "JOB-1", "--profile", "cd", "--json"});
  ASSERT_EQ(cliPlan.exitCode, 0) << cliPlan.err;
  EXPECT_EQ(plan.json()["volumes"], json::parse(cliPlan.out)["volumes"]);
  EXPECT_EQ(apiCall(socket(), "POST", "/plans", json{{"patient", "JOB-1"}, {"profile", "floppy"}})
                    .status /
                100,
            4);

  const auto drives = apiCall(socket(), "GET", "/drives");
  ASSERT_EQ(drives.status, 200) << drives.body;
  EXPECT_TRUE(drives.json()["drives"].is_array());
  const auto config = apiCall(socket(), "GET", "/config");
  ASSERT_EQ(config.status, 200);
  EXPECT_FALSE(config.json()["profiles"].empty());
  EXPECT_EQ(config.json()["kiosk"]["idle_seconds"], 120);
}

TEST_F(ApiContractTest, ARetriedSubmitBurnsOnceAndTheLabelCanBeReprinted) {
  receive(2);
  Station station(data());
  const json request{{"patient", "JOB-1"}, {"profile", "cd"}, {"request_id", "kiosk-7f3a"}};
  const auto first = apiCall(socket(), "POST", "/jobs", request);
  ASSERT_EQ(first.status, 201) << first.body;
  const auto again = apiCall(socket(), "POST", "/jobs", request);
  ASSERT_EQ(again.status / 100, 2) << again.body;
  const std::string id = std::to_string(first.json()["id"].get<std::int64_t>());
  EXPECT_EQ(again.json()["id"], first.json()["id"]);
  EXPECT_EQ(jobs().size(), 1u);  // the command line sees one job

  const json job = finished(id);
  EXPECT_EQ(job["state"], "done") << job.dump(2);
  const auto all = apiCall(socket(), "GET", "/jobs");
  EXPECT_EQ(all.json()["jobs"].size(), 1u);

  const fs::path png = dir.path() / "label.png";
  const auto label =
      harness::curl(socket(), {"-o", png.string(), "http://localhost/jobs/" + id + "/labels/1"});
  EXPECT_EQ(label.status, 200);
  EXPECT_EQ(fileText(png).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(apiCall(socket(), "GET", "/jobs/" + id + "/labels/9").status, 404);
  // A finished job can be neither cancelled nor retried; reasons come as documents.
  const auto cancel = apiCall(socket(), "POST", "/jobs/" + id + "/cancel");
  EXPECT_EQ(cancel.status, 409);
  EXPECT_NE(cancel.error(), "");
  EXPECT_EQ(apiCall(socket(), "POST", "/jobs/" + id + "/retry").status, 409);
  EXPECT_EQ(
      apiCall(socket(), "POST", "/jobs", json{{"patient", "JOB-1"}, {"profile", "cd"}}).status,
      400);  // no request ID
}

TEST_F(ApiContractTest, AdminChangesAreValidatedAndARefusedOneChangesNothing) {
  receive(1);
  Station station(data());
  const auto closed = apiCall(socket(), "POST", "/session", json{{"pin", "123456"}});
  EXPECT_EQ(closed.status, 403) << closed.body;
  setPin("246810");
  EXPECT_EQ(apiCall(socket(), "POST", "/session", json{{"pin", "111111"}}).status, 401);
  const std::string token = signIn("246810");
  ASSERT_FALSE(token.empty());

  const json small{{"medium", "STD-GEN-CD"}, {"capacity", "650M"}, {"preview", "none"}};
  EXPECT_EQ(apiCall(socket(), "PUT", "/config/profiles/cd-small", small).status, 401);

  const fs::path owned = data() / "station.toml";
  const auto refused =
      apiCall(socket(), "PUT", "/config/profiles/cd-small", json{{"medium", "FLOPPY"}}, token);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.error().find("medium must be one of"), std::string::npos) << refused.body;
  EXPECT_FALSE(fs::exists(owned));  // nothing was saved

  const auto added = apiCall(socket(), "PUT", "/config/profiles/cd-small", small, token);
  ASSERT_EQ(added.status, 200) << added.body;
  const std::string saved = fileText(owned);
  EXPECT_NE(saved.find("cd-small"), std::string::npos);
  // In force at once: the service's plan and the command line's know the new profile.
  EXPECT_EQ(apiCall(socket(), "POST", "/plans", json{{"patient", "JOB-1"}, {"profile", "cd-small"}})
                .status,
            200);
  EXPECT_EQ(bs(data(), {"plan", "--patient", "JOB-1", "--profile", "cd-small"}).exitCode, 0);

  // A second refused change leaves the saved file byte for byte as it was.
  EXPECT_EQ(apiCall(socket(), "PUT", "/config/station", json{{"port", 70000}}, token).status, 422);
  EXPECT_EQ(apiCall(socket(), "DELETE", "/config/profiles/cd", nullptr, token).status, 409);
  EXPECT_EQ(fileText(owned), saved);
  EXPECT_TRUE(harness::eventAppears(data(), "config-changed", "cd-small"));

  // The admin removes the patient sent by mistake.
  const std::string key = harness::patientsJson(data())["patients"][0]["key"];
  EXPECT_EQ(apiCall(socket(), "DELETE", "/patients/" + key).status, 401);
  EXPECT_EQ(apiCall(socket(), "DELETE", "/patients/" + key, nullptr, token).status, 200);
  EXPECT_TRUE(harness::patientsJson(data())["patients"].empty());
  EXPECT_EQ(apiCall(socket(), "GET", "/set-aside", nullptr, token).status, 200);
}

TEST_F(ApiContractTest, TheAdminLockoutOutlivesARestart) {
  receive(1);
  setPin("135790");
  {
    Station station(data());
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(apiCall(socket(), "POST", "/session", json{{"pin", "000000"}}).status / 100, 4);
    }
    const auto locked = apiCall(socket(), "POST", "/session", json{{"pin", "135790"}});
    EXPECT_EQ(locked.status, 423) << locked.body;
    EXPECT_NE(locked.error().find("locked"), std::string::npos) << locked.body;
  }
  Station restarted(data());
  EXPECT_EQ(apiCall(socket(), "POST", "/session", json{{"pin", "135790"}}).status, 423);
}

}  // namespace
}  // namespace burnstation
