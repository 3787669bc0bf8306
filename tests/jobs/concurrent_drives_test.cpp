// Two jobs burning on two drives at once, one of them failing: libburn's reason for the
// failure is on the failing job and nowhere else, and the other job succeeds with no foreign
// message (fault 4 of issue 9: libburn's queue is process-wide, and the job that read it
// first took whatever was in it). Several rounds against drives whose failed grabs read the
// queue all the time, so a theft on the old code is all but certain.
#include <gtest/gtest.h>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

class ConcurrentDrivesTest : public JobsTest {
 protected:
  nlohmann::json jobById(std::int64_t id) {
    for (const auto& j : jobs()) {
      if (j["id"] == id) return j;
    }
    return nlohmann::json::object();
  }
  // The job once condition holds for it (a test failure after about 60 s).
  nlohmann::json pollJob(std::int64_t id,
                         const std::function<bool(const nlohmann::json&)>& condition) {
    nlohmann::json job;
    for (int i = 0; i < 600; ++i) {
      job = jobById(id);
      if (!job.empty() && condition(job)) return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " did not get there: " << job.dump(2);
    return job;
  }
  std::int64_t queue(const std::string& drive) {
    const auto r = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--drive",
                               "stdio:" + drive, "--json"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return nlohmann::json::parse(r.out)["id"].get<std::int64_t>();
  }
};

TEST_F(ConcurrentDrivesTest, AFailingDrivesMessageStaysWithItsOwnJob) {
  receive(6);
  Station station(data());
  fs::create_directories(dir.path() / "drives");
  // Jobs on drives that cannot be had ask libburn for them twice a second: each failed grab
  // read the whole queue before, taking whatever another drive had just reported.
  std::vector<std::int64_t> waiting;
  for (int i = 0; i < 4; ++i) {
    waiting.push_back(queue((dir.path() / ("missing-" + std::to_string(i)) / "disc").string()));
  }
  for (const auto id : waiting) {
    pollJob(id, [](const auto& j) { return j["state"] == "waiting_for_media"; });
  }
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const fs::path full = dir.path() / "drives" / ("full-" + std::to_string(round));
    const fs::path good = dir.path() / "drives" / ("good-" + std::to_string(round));
    fs::create_symlink("/dev/full", full);  // takes no byte: libburn reports why
    const std::int64_t failing = queue(full.string());
    const std::int64_t working = queue(good.string());

    const auto done = pollJob(
        working, [](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
    ASSERT_EQ(done["state"], "done") << done.dump(2) << station.log();
    EXPECT_EQ(done["message"].get<std::string>().find("Cannot write"), std::string::npos)
        << done.dump(2);
    for (const auto& v : done["volumes"]) EXPECT_EQ(v["reject_reason"], "") << done.dump(2);

    const auto refused = pollJob(failing, [](const auto& j) {
      return j["state"] == "waiting_for_media" && !j["volumes"].empty() &&
             j["volumes"][0]["attempts"] == 1;
    });
    const std::string reason = refused["volumes"][0]["reject_reason"];
    // libburn's own words for the write that failed, on the job whose drive failed.
    ASSERT_NE(reason.find("writing failed on stdio:" + full.string() + ": Cannot write"),
              std::string::npos)
        << refused.dump(2);
    ASSERT_EQ(bs(data(), {"cancel", std::to_string(failing)}).exitCode, 0);
    pollJob(failing, [](const auto& j) { return j["state"] == "cancelled"; });
  }
  for (const auto id : waiting) {
    const auto job = jobById(id);
    EXPECT_EQ(job["message"].get<std::string>().find("Cannot write"), std::string::npos)
        << job.dump(2);
    EXPECT_EQ(bs(data(), {"cancel", std::to_string(id)}).exitCode, 0);
  }
}

}  // namespace
}  // namespace burnstation
