// The local API's job resources through ApiRouter::dispatch, against a real store and job
// queue and, where jobs must run, a real `burnstation serve` (the socket's own tests are the
// server's): submit once per request ID, also when two submits race; refusals with their
// reasons; list, one, cancel, retry and a volume's label PNG.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/station/disc_labels.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/store.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using jobs::ApiRequest;
using jobs::ApiResponse;

class JobRoutesTest : public JobsTest {
 protected:
  // The store (count instances of JOB-1 received), then the routes on it.
  void openApi(int count = 3) {
    receive(count);
    config_ = station::builtInConfig();
    config_.dataDir = data();
    store_ = std::make_unique<store::Store>(
        store::StoreOptions{data(), 0, store::DuplicatePolicy::KeepStored, 64},
        store::Store::Access::ReadOnly);
    context_.config = [this] { return config_; };
    context_.store = store_.get();
    jobs::addJobRoutes(router_, context_);
  }

  ApiResponse call(const std::string& method, const std::string& path,
                   const std::string& body = {}) const {
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.peer.uid = 1234;
    request.peer.userName = "kiosk";
    return router_.dispatch(request);
  }
  nlohmann::json document(const ApiResponse& response) const {
    return nlohmann::json::parse(response.body);
  }
  std::string error(const ApiResponse& response) const {
    const auto doc = nlohmann::json::parse(response.body, nullptr, false);
    return doc.is_object() && doc.contains("error") ? doc["error"].get<std::string>()
                                                    : "(no error document) " + response.body;
  }
  static std::string burn(const std::string& requestId, nlohmann::json extra = {}) {
    nlohmann::json body = {{"patient", "JOB-1"}, {"profile", "cd"}, {"request_id", requestId}};
    for (const auto& [key, value] : extra.items()) body[key] = value;
    return body.dump();
  }
  std::size_t jobCount() const { return document(call("GET", "/jobs"))["jobs"].size(); }

  // The job once it has ended, polled through the API (a test failure after kBurnSeconds).
  nlohmann::json ended(std::int64_t id) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kBurnSeconds);
    nlohmann::json job;
    while (std::chrono::steady_clock::now() < deadline) {
      job = document(call("GET", "/jobs/" + std::to_string(id)));
      const std::string state = job["state"];
      if (state == "done" || state == "failed" || state == "cancelled") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " did not end: " << job.dump(2);
    return job;
  }

  station::StationConfig config_;

 private:
  std::unique_ptr<store::Store> store_;
  jobs::ApiContext context_;
  jobs::ApiRouter router_;
};

TEST_F(JobRoutesTest, ASubmitQueuesTheJobAsAskedAndSaysWhoAsked) {
  openApi(3);
  const auto created =
      call("POST", "/jobs", burn("kiosk-0001", {{"copies", 2}, {"requested_by", "Anna Meier"}}));
  ASSERT_EQ(created.status, jobs::http::kCreated) << created.body;
  const auto job = document(created);
  const auto patients = harness::patientsJson(data());
  EXPECT_EQ(job["patient_key"], patients["patients"][0]["key"]);
  EXPECT_EQ(job["state"], "queued");
  EXPECT_EQ(job["profile"], "cd");
  EXPECT_EQ(job["drive"], "images");
  EXPECT_EQ(job["copies"], 2);
  EXPECT_EQ(job["request_id"], "kiosk-0001");
  EXPECT_EQ(job["requested_by"], "Anna Meier via kiosk (kiosk)");
  EXPECT_TRUE(job["retry_of"].is_null());

  // The same job through GET /jobs/{id}, GET /jobs and the command line's `jobs --json`.
  const std::string path = "/jobs/" + std::to_string(job["id"].get<std::int64_t>());
  const auto one = call("GET", path);
  ASSERT_EQ(one.status, jobs::http::kOk);
  EXPECT_EQ(document(one), job);
  EXPECT_EQ(document(call("GET", "/jobs"))["jobs"], nlohmann::json::array({job}));
  EXPECT_EQ(jobs(), nlohmann::json::array({job}));
  // Its frozen list holds the three instances received.
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM job_instances WHERE job_id = " +
                                            std::to_string(job["id"].get<std::int64_t>())),
            "3");
}

TEST_F(JobRoutesTest, TheSameRequestIdAgainAnswersTheSameJob) {
  openApi(1);
  const auto first = call("POST", "/jobs", burn("again-1"));
  ASSERT_EQ(first.status, jobs::http::kCreated) << first.body;
  const auto second = call("POST", "/jobs", burn("again-1"));
  ASSERT_EQ(second.status, jobs::http::kOk) << second.body;
  EXPECT_EQ(document(second)["id"], document(first)["id"]);
  EXPECT_EQ(jobCount(), 1u);
  // Another request ID is another job.
  EXPECT_EQ(call("POST", "/jobs", burn("again-2")).status, jobs::http::kCreated);
  EXPECT_EQ(jobCount(), 2u);
}

TEST_F(JobRoutesTest, TwoSubmitsOfOneRequestIdAtOnceMakeOneJob) {
  openApi(1);
  for (int round = 0; round < 10; ++round) {
    const std::string id = "race-" + std::to_string(round);
    ApiResponse a, b;
    std::thread first([&] { a = call("POST", "/jobs", burn(id)); });
    std::thread second([&] { b = call("POST", "/jobs", burn(id)); });
    first.join();
    second.join();
    ASSERT_TRUE(a.status == jobs::http::kCreated || a.status == jobs::http::kOk) << a.body;
    ASSERT_TRUE(b.status == jobs::http::kCreated || b.status == jobs::http::kOk) << b.body;
    EXPECT_NE(a.status, b.status) << "exactly one of them created the job";
    EXPECT_EQ(document(a)["id"], document(b)["id"]);
    EXPECT_EQ(jobCount(), static_cast<std::size_t>(round + 1));
  }
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM jobs"), "10");
}

TEST_F(JobRoutesTest, ARequestIdReusedForAnotherRequestIsRefused) {
  openApi(1);
  const auto first = call("POST", "/jobs", burn("reused"));
  ASSERT_EQ(first.status, jobs::http::kCreated) << first.body;
  for (const auto& other : {nlohmann::json{{"copies", 3}}, nlohmann::json{{"profile", "dvd"}},
                            nlohmann::json{{"requested_by", "Ben"}}}) {
    const auto refused = call("POST", "/jobs", burn("reused", other));
    EXPECT_EQ(refused.status, jobs::http::kConflict) << other.dump();
    EXPECT_NE(error(refused).find("already used for job " +
                                  std::to_string(document(first)["id"].get<std::int64_t>())),
              std::string::npos)
        << error(refused);
  }
  EXPECT_EQ(jobCount(), 1u);
}

TEST_F(JobRoutesTest, BadBodiesAreRefusedWithTheirReasonAndQueueNothing) {
  openApi(1);
  const nlohmann::json base = nlohmann::json::parse(burn("bad"));
  const auto with = [&](const char* key, nlohmann::json value) {
    nlohmann::json body = base;
    body[key] = std::move(value);
    return body.dump();
  };
  nlohmann::json noId = base;
  noId.erase("request_id");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not JSON"},
      {"[1, 2]", "must be an object"},
      {noId.dump(), "\"request_id\" is required"},
      {with("request_id", ""), "printable ASCII"},
      {with("request_id", std::string(65, 'a')), "printable ASCII"},
      {with("request_id", "tab\there"), "printable ASCII"},
      {with("request_id", "caf\xc3\xa9"), "printable ASCII"},
      {with("request_id", 42), "printable ASCII"},
      {with("patient", 12), "\"patient\" must be a string"},
      {with("patient", ""), "a patient is required"},
      {with("profile", nullptr), "a profile is required"},
      {with("copies", 0), "\"copies\" must be a whole number from 1 to 99"},
      {with("copies", 100), "\"copies\" must be a whole number from 1 to 99"},
      {with("copies", "2"), "\"copies\" must be a whole number"},
      {with("copies", 1.5), "\"copies\" must be a whole number"},
      {with("studies", "1.2.3"), "\"studies\" must be a list"},
      {with("studies", nlohmann::json::array({1})), "Study Instance UIDs"},
      {with("copy_type", "anonymised"), "copy type \"anonymised\" is not offered"},
      {with("copy_type", "physician"), "copy type \"physician\" is not offered"},
      {with("requested_by", std::string(200, 'x')), "\"requested_by\" must be at most"},
      {with("requested_by", "line\nbreak"), "without control characters"},
      {with("capacity", "700M"), "unknown field \"capacity\""},
  };
  for (const auto& [body, reason] : cases) {
    const auto refused = call("POST", "/jobs", body);
    EXPECT_EQ(refused.status, jobs::http::kBadRequest) << body << ": " << refused.body;
    EXPECT_NE(error(refused).find(reason), std::string::npos) << body << ": " << error(refused);
  }
  // "identical" is the one copy type honoured, spelled or not.
  EXPECT_EQ(call("POST", "/jobs", with("copy_type", "identical")).status, jobs::http::kCreated);
  EXPECT_EQ(jobCount(), 1u);
}

TEST_F(JobRoutesTest, UnknownOrAmbiguousThingsAnswer404And409AsBurnRefusesThem) {
  openApi(1);
  const struct {
    nlohmann::json change;
    int status;
    std::string reason;
  } cases[] = {
      {{{"patient", "NOBODY"}}, jobs::http::kNotFound, "NOBODY"},
      {{{"profile", "floppy"}}, jobs::http::kNotFound, "unknown profile \"floppy\""},
      {{{"drive", "nosuch"}}, jobs::http::kNotFound, "drive \"nosuch\" is unknown"},
      {{{"drive", "/dev/sr9"}}, jobs::http::kNotFound, "there is no burner at /dev/sr9"},
      {{{"studies", {"1.2.3.4"}}}, jobs::http::kNotFound, "1.2.3.4"},
      {{{"drive", "usb"}}, jobs::http::kBadRequest, "profile \"cd\" is for discs"},
  };
  int n = 0;
  for (const auto& c : cases) {
    const auto refused = call("POST", "/jobs", burn("unknown-" + std::to_string(n++), c.change));
    EXPECT_EQ(refused.status, c.status) << c.change.dump() << ": " << refused.body;
    EXPECT_NE(error(refused).find(c.reason), std::string::npos) << error(refused);
  }
  // A second collection under the same Patient ID (another name): the ID is ambiguous and
  // the refusal lists the keys, which are accepted instead.
  {
    Station station(data());
    testdata::InstanceSpec spec;
    spec.patientIdBytes = "JOB-1";
    spec.patientNameBytes = "OTHER^PERSON";
    ASSERT_EQ(harness::storescu(station.port(), {testdata::writeInstance(spec, dir.path() / "o")})
                  .exitCode,
              0);
  }
  const auto ambiguous = call("POST", "/jobs", burn("ambiguous"));
  EXPECT_EQ(ambiguous.status, jobs::http::kConflict) << ambiguous.body;
  const auto patients = harness::patientsJson(data())["patients"];
  ASSERT_EQ(patients.size(), 2u);
  for (const auto& p : patients) {
    EXPECT_NE(error(ambiguous).find(p["key"].get<std::string>()), std::string::npos)
        << error(ambiguous);
  }
  const auto byKey = call("POST", "/jobs", burn("by-key", {{"patient", patients[0]["key"]}}));
  EXPECT_EQ(byKey.status, jobs::http::kCreated) << byKey.body;
  EXPECT_EQ(jobCount(), 1u);
}

TEST_F(JobRoutesTest, OneJobAndTheListAnswer404ForJobsThatDoNotExist) {
  openApi(1);
  EXPECT_EQ(document(call("GET", "/jobs")), nlohmann::json({{"jobs", nlohmann::json::array()}}));
  ASSERT_EQ(call("POST", "/jobs", burn("one")).status, jobs::http::kCreated);
  for (const char* path : {"/jobs/2", "/jobs/0", "/jobs/01", "/jobs/-1", "/jobs/abc",
                           "/jobs/99999999999999999999", "/jobs/1.0"}) {
    const auto missing = call("GET", path);
    EXPECT_EQ(missing.status, jobs::http::kNotFound) << path;
    EXPECT_NE(error(missing).find("there is no job"), std::string::npos) << error(missing);
  }
  EXPECT_EQ(call("GET", "/jobs/1").status, jobs::http::kOk);
  // A long segment is quoted shortened, not echoed whole.
  const auto longId = call("GET", "/jobs/" + std::string(5000, '7'));
  EXPECT_EQ(longId.status, jobs::http::kNotFound);
  EXPECT_LT(error(longId).size(), 100u) << error(longId);
}

TEST_F(JobRoutesTest, AQueuedJobIsCancelledAndAnEndedOneCannotBe) {
  openApi(1);
  const auto id = document(call("POST", "/jobs", burn("to-cancel")))["id"].get<std::int64_t>();
  const std::string path = "/jobs/" + std::to_string(id) + "/cancel";
  const auto cancelled = call("POST", path);
  ASSERT_EQ(cancelled.status, jobs::http::kOk) << cancelled.body;
  EXPECT_EQ(document(cancelled)["state"], "cancelled");
  EXPECT_EQ(jobs()[0]["state"], "cancelled");  // as the command line sees it

  const auto again = call("POST", path);
  EXPECT_EQ(again.status, jobs::http::kConflict);
  EXPECT_NE(error(again).find("has already ended (cancelled)"), std::string::npos) << error(again);
  EXPECT_EQ(call("POST", "/jobs/77/cancel").status, jobs::http::kNotFound);
  EXPECT_EQ(call("GET", path).status, jobs::http::kMethodNotAllowed);
}

TEST_F(JobRoutesTest, AFailedJobIsRetriedAsANewJobThatRunsAndADoneOneIsNot) {
  openApi(2);
  // The image drive's folder is a file: the job cannot write its image and fails.
  const fs::path images = data() / "images";
  fs::remove_all(images);
  std::ofstream(images) << "in the way";
  Station station(data());
  const auto failing = call("POST", "/jobs", burn("fails"));
  ASSERT_EQ(failing.status, jobs::http::kCreated) << failing.body;
  const auto oldId = document(failing)["id"].get<std::int64_t>();
  const auto failed = ended(oldId);
  ASSERT_EQ(failed["state"], "failed") << failed.dump(2) << station.log();

  // Mended, the retry is a new job with the same request and frozen instances, and it runs.
  fs::remove(images);
  const auto retried = call("POST", "/jobs/" + std::to_string(oldId) + "/retry");
  ASSERT_EQ(retried.status, jobs::http::kCreated) << retried.body;
  const auto newJob = document(retried);
  const auto newId = newJob["id"].get<std::int64_t>();
  EXPECT_NE(newId, oldId);
  EXPECT_EQ(newJob["retry_of"], oldId);
  EXPECT_EQ(newJob["requested_by"], "kiosk (kiosk)");
  for (const char* same : {"patient_key", "profile", "drive", "copies", "studies"}) {
    EXPECT_EQ(newJob[same], failed[same]) << same;
  }
  EXPECT_EQ(document(call("GET", "/jobs/" + std::to_string(oldId)))["retried_by"], newId);
  const auto frozen = [&](std::int64_t id) {
    return harness::queryIndex(data(),
                               "SELECT group_concat(sop_instance_uid) FROM (SELECT "
                               "sop_instance_uid FROM job_instances WHERE job_id = " +
                                   std::to_string(id) + " ORDER BY rowid)");
  };
  EXPECT_EQ(frozen(newId), frozen(oldId));
  EXPECT_FALSE(frozen(newId).empty());
  const auto rerun = ended(newId);
  EXPECT_EQ(rerun["state"], "done") << rerun.dump(2) << station.log();

  // A job is retried once; a done job, a queued one and an unknown one not at all.
  const auto twice = call("POST", "/jobs/" + std::to_string(oldId) + "/retry");
  EXPECT_EQ(twice.status, jobs::http::kConflict);
  EXPECT_NE(error(twice).find("already retried as job " + std::to_string(newId)), std::string::npos)
      << error(twice);
  const auto refused = call("POST", "/jobs/" + std::to_string(newId) + "/retry");
  EXPECT_EQ(refused.status, jobs::http::kConflict);
  EXPECT_NE(error(refused).find("is done; only a failed or cancelled job can be retried"),
            std::string::npos)
      << error(refused);
  EXPECT_EQ(call("POST", "/jobs/999/retry").status, jobs::http::kNotFound);
  station.stop();
  const auto queuedId = document(call("POST", "/jobs", burn("queued")))["id"].get<std::int64_t>();
  const auto notEnded = call("POST", "/jobs/" + std::to_string(queuedId) + "/retry");
  EXPECT_EQ(notEnded.status, jobs::http::kConflict);
  EXPECT_NE(error(notEnded).find("is queued"), std::string::npos) << error(notEnded);
}

TEST_F(JobRoutesTest, ACancelledJobCanBeRetried) {
  openApi(1);
  const auto id =
      document(call("POST", "/jobs", burn("cancel-then-retry")))["id"].get<std::int64_t>();
  ASSERT_EQ(call("POST", "/jobs/" + std::to_string(id) + "/cancel").status, jobs::http::kOk);
  const auto retried = call("POST", "/jobs/" + std::to_string(id) + "/retry");
  ASSERT_EQ(retried.status, jobs::http::kCreated) << retried.body;
  EXPECT_EQ(document(retried)["state"], "queued");
  EXPECT_EQ(document(retried)["retry_of"], id);
}

TEST_F(JobRoutesTest, AVolumesLabelIsItsPngAndOtherVolumesAre404) {
  openApi(2);
  Station station(data());
  const auto id = document(call("POST", "/jobs", burn("label")))["id"].get<std::int64_t>();
  const auto job = ended(id);
  ASSERT_EQ(job["state"], "done") << job.dump(2) << station.log();
  ASSERT_EQ(job["volumes"][0]["of"], 1);
  const std::string base = "/jobs/" + std::to_string(id) + "/labels/";

  const auto label = call("GET", base + "1");
  ASSERT_EQ(label.status, jobs::http::kOk) << label.body;
  EXPECT_EQ(label.contentType, "image/png");
  EXPECT_EQ(label.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const fs::path file = station::labelPath(data(), id, 1, 1);
  std::ifstream in(file, std::ios::binary);
  const std::string onDisk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(label.body, onDisk);

  for (const char* volume : {"2", "0", "01", "-1", "1.0", "abc", "99999999999999999999"}) {
    const auto missing = call("GET", base + volume);
    EXPECT_EQ(missing.status, jobs::http::kNotFound) << volume;
    EXPECT_NE(error(missing).find("has 1 disc; there is no disc"), std::string::npos)
        << error(missing);
  }
  EXPECT_EQ(call("GET", "/jobs/42/labels/1").status, jobs::http::kNotFound);

  // A label purged after [jobs] keep_images_hours says so.
  station.stop();
  fs::remove(file);
  harness::queryIndex(
      data(),
      "UPDATE jobs SET updated = '2020-01-01T00:00:00.000+00:00' WHERE id = " + std::to_string(id));
  const auto purged = call("GET", base + "1");
  EXPECT_EQ(purged.status, jobs::http::kNotFound);
  EXPECT_EQ(error(purged),
            "the label of disc 1 of 1 was removed after 168 hours, as finished "
            "jobs' labels are");
}

TEST_F(JobRoutesTest, AJobNotPlannedYetHasNoLabel) {
  openApi(1);
  const auto id = document(call("POST", "/jobs", burn("unplanned")))["id"].get<std::int64_t>();
  const auto missing = call("GET", "/jobs/" + std::to_string(id) + "/labels/1");
  EXPECT_EQ(missing.status, jobs::http::kNotFound);
  EXPECT_NE(error(missing).find("has not been planned yet"), std::string::npos) << error(missing);
}

}  // namespace
}  // namespace burnstation
