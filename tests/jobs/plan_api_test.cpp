// POST /plans: the document `burnstation plan --json` prints for the same selection, and the
// command line's reasons for a selection it refuses, with the API's statuses.
#include "read_api_fixture.h"

namespace burnstation {
namespace {

class PlanApiTest : public ReadApiTest {
 protected:
  nlohmann::json cliPlan(std::vector<std::string> args) {
    args.insert(args.begin(), "plan");
    args.insert(args.end(), {"--json", "--data-dir", data().string()});
    const auto r = harness::burnstation(args);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  // The command line's one-line reason for refusing the selection.
  std::string cliError(std::vector<std::string> args) {
    args.insert(args.begin(), "plan");
    args.insert(args.end(), {"--json", "--data-dir", data().string()});
    const auto r = harness::burnstation(args);
    EXPECT_NE(r.exitCode, 0) << r.out;
    return nlohmann::json::parse(r.out).value("error", "");
  }
  jobs::ApiResponse plan(const nlohmann::json& body) {
    return call("POST", "/plans", {}, body.dump());
  }
};

TEST_F(PlanApiTest, ThePlanIsTheCommandLines) {
  auto specs = threePatients();
  testdata::InstanceSpec second = specs[1];  // a second study of PAT-MUE
  second.studyInstanceUid = testdata::newUid();
  second.accessionNumber = "ACC201";
  specs.push_back(second);
  receive(specs);

  const auto whole = plan({{"patient", "PAT-MUE"}, {"profile", "cd"}});
  ASSERT_EQ(whole.status, jobs::http::kOk) << whole.body;
  const nlohmann::json planned = document(whole);
  EXPECT_EQ(planned, cliPlan({"--patient", "PAT-MUE", "--profile", "cd"}));
  ASSERT_EQ(planned["volumes"].size(), 1u);
  EXPECT_EQ(planned["volumes"][0]["instances"], 2);

  const std::string key = planned["patient_key"];
  const auto one = plan({{"patient", key},
                         {"studies", {second.studyInstanceUid}},
                         {"profile", "dvd"},
                         {"capacity", "700M"}});
  ASSERT_EQ(one.status, jobs::http::kOk) << one.body;
  EXPECT_EQ(document(one), cliPlan({"--patient", key, "--study", second.studyInstanceUid,
                                    "--profile", "dvd", "--capacity", "700M"}));
  EXPECT_EQ(document(one)["volumes"][0]["instances"], 1);
  EXPECT_EQ(document(one)["capacity_source"], "requested");

  // A number of bytes is the same capacity as its size text.
  const auto bytes = plan({{"patient", key}, {"profile", "dvd"}, {"capacity", 700'000'000}});
  EXPECT_EQ(document(bytes), cliPlan({"--patient", key, "--profile", "dvd", "--capacity", "700M"}));
}

TEST_F(PlanApiTest, RefusedSelectionsGiveTheCommandLinesReasons) {
  auto specs = threePatients();
  // The same Patient ID for another name: a second collection.
  specs.push_back(patient("PAT-MUE", "OTHER^PERSON", "", "19900101", "ACC900"));
  receive(specs);

  const auto unknown = plan({{"patient", "NOBODY"}, {"profile", "cd"}});
  EXPECT_EQ(unknown.status, jobs::http::kNotFound);
  EXPECT_EQ(document(unknown)["error"], cliError({"--patient", "NOBODY", "--profile", "cd"}));

  const auto study =
      plan({{"patient", "PAT-PLAIN"}, {"studies", {"1.2.3.999"}}, {"profile", "cd"}});
  EXPECT_EQ(study.status, jobs::http::kNotFound);
  EXPECT_EQ(document(study)["error"],
            cliError({"--patient", "PAT-PLAIN", "--study", "1.2.3.999", "--profile", "cd"}));

  const auto profile = plan({{"patient", "PAT-PLAIN"}, {"profile", "floppy"}});
  EXPECT_EQ(profile.status, jobs::http::kBadRequest);
  EXPECT_EQ(document(profile)["error"],
            cliError({"--patient", "PAT-PLAIN", "--profile", "floppy"}));

  const auto ambiguous = plan({{"patient", "PAT-MUE"}, {"profile", "cd"}});
  EXPECT_EQ(ambiguous.status, jobs::http::kConflict);
  const std::string reason = document(ambiguous)["error"];
  EXPECT_EQ(reason, cliError({"--patient", "PAT-MUE", "--profile", "cd"}));
  const nlohmann::json sharing = document(call("GET", "/patients", {{"q", "PAT-MUE"}}));
  ASSERT_EQ(sharing["patients"].size(), 2u);
  for (const auto& p : sharing["patients"]) {
    EXPECT_NE(reason.find(p["key"].get<std::string>()), std::string::npos) << reason;
  }

  const auto tooSmall = plan({{"patient", "PAT-PLAIN"}, {"profile", "cd"}, {"capacity", "1K"}});
  EXPECT_EQ(tooSmall.status, jobs::http::kBadRequest);
  EXPECT_EQ(document(tooSmall)["error"],
            cliError({"--patient", "PAT-PLAIN", "--profile", "cd", "--capacity", "1K"}));
}

TEST_F(PlanApiTest, MalformedBodiesAre400) {
  receive({patient("PAT-1", "ONE^PATIENT", "", "19800101", "A1")});
  const auto status = [&](const std::string& body) {
    return call("POST", "/plans", {}, body).status;
  };
  EXPECT_EQ(status("not json"), jobs::http::kBadRequest);
  EXPECT_EQ(status("[]"), jobs::http::kBadRequest);
  EXPECT_EQ(status(R"({"profile": "cd"})"), jobs::http::kBadRequest);
  EXPECT_EQ(status(R"({"patient": "PAT-1"})"), jobs::http::kBadRequest);
  EXPECT_EQ(status(R"({"patient": 7, "profile": "cd"})"), jobs::http::kBadRequest);
  EXPECT_EQ(status(R"({"patient": "PAT-1", "profile": "cd", "studies": "1.2"})"),
            jobs::http::kBadRequest);
  EXPECT_EQ(status(R"({"patient": "PAT-1", "profile": "cd", "capacity": "lots"})"),
            jobs::http::kBadRequest);
  EXPECT_EQ(status(R"({"patient": "PAT-1", "profile": "cd", "capacity": 0})"),
            jobs::http::kBadRequest);
  EXPECT_EQ(status(R"({"patient": "PAT-1", "profile": "cd", "capacity": -5})"),
            jobs::http::kBadRequest);
  EXPECT_EQ(call("GET", "/plans").status, jobs::http::kMethodNotAllowed);
  EXPECT_EQ(status(R"({"patient": "PAT-1", "profile": "cd"})"), jobs::http::kOk);
}

}  // namespace
}  // namespace burnstation
