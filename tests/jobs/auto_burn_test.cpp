// Auto-burn: studies sent to a rule's called AE title burn by themselves once quiet, once;
// other AE titles do not; a study that grows gets exactly one more job; a study that cannot
// be burned fails once and is not retried.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcuid.h>

#include <fstream>

#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

class AutoBurnTest : public JobsTest {
 protected:
  fs::path config() {
    const fs::path file = dir.path() / "burnstation.toml";
    std::ofstream(file) << "[station]\nae_title = \"BURNSTATION\"\n"
                           "[[auto_burn]]\ncalled_ae_title = \"BURN_CD\"\nprofile = \"cd\"\n"
                           "quiet_seconds = 5\n";
    return file;
  }
  void send(const Station& station, const std::string& calledAe,
            const std::vector<fs::path>& files) {
    std::vector<std::string> argv{"storescu", "-aec", calledAe, "127.0.0.1", station.portText()};
    for (const auto& f : files) argv.push_back(f.string());
    const auto r = harness::runCommand(argv);
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }
  std::size_t jobCount() { return jobs().size(); }
};

TEST_F(AutoBurnTest, AQuietStudyBurnsOnceAndAGrownStudyOnceMore) {
  const fs::path file = config();
  // Another patient's study to the station's own AE title: never burned by itself.
  testdata::InstanceSpec other;
  other.patientIdBytes = "OTHER-1";
  other.patientNameBytes = "OTHER^PATIENT";
  other.studyInstanceUid = testdata::newUid();
  const fs::path otherFile = testdata::writeInstance(other, dir.path() / "other");
  {
    Station station(data(), file);
    send(station, "BURNSTATION", {otherFile});
    send(station, "BURN_CD", instances(3, 0));
    EXPECT_EQ(jobCount(), 0u);                  // still arriving: nothing queued yet
    send(station, "BURN_CD", instances(2, 3));  // more of the same study within the quiet time
    const auto job =
        poll([](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
    ASSERT_EQ(job["state"], "done") << job.dump(2);
    EXPECT_EQ(job["requested_by"], "auto-burn for called AE BURN_CD");
    EXPECT_EQ(job["patient_key"].get<std::string>().rfind("JOB-1", 0), 0u);
    EXPECT_EQ(referencedFiles(job["volumes"][0]["target"].get<std::string>()),
              5);  // all five, the late two included
    const auto xorriso = harness::runCommand({"xorriso", "-md5", "on", "-indev",
                                              job["volumes"][0]["target"].get<std::string>(),
                                              "-check_md5", "FAILURE", "--"});
    EXPECT_EQ(xorriso.exitCode, 0) << xorriso.err;
  }
  {
    // A restart does not queue the study again, and the other study never burns.
    Station station(data(), file);
    std::this_thread::sleep_for(std::chrono::seconds(7));
    EXPECT_EQ(jobCount(), 1u) << jobs().dump(2);

    send(station, "BURN_CD", instances(1, 5));  // the study grows
    nlohmann::json second;
    for (int i = 0; i < 300; ++i) {
      const auto all = jobs();
      if (all.size() == 2 && (all[1]["state"] == "done" || all[1]["state"] == "failed")) {
        second = all[1];
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_FALSE(second.is_null()) << jobs().dump(2);
    EXPECT_EQ(second["state"], "done") << second.dump(2);
    EXPECT_NE(second["requested_by"].get<std::string>().find("grew"), std::string::npos);
    EXPECT_EQ(referencedFiles(second["volumes"][0]["target"].get<std::string>()), 6);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_EQ(jobCount(), 2u);
  }
}

TEST_F(AutoBurnTest, AStudyACdCannotHoldFailsOnceAndTheWatchGoesOn) {
  const fs::path file = config();
  testdata::InstanceSpec j2k;
  j2k.patientIdBytes = "JOB-1";
  j2k.patientNameBytes = "JOBS^TEST";
  j2k.studyInstanceUid = testdata::newUid();
  j2k.transferSyntax = UID_JPEG2000LosslessOnlyTransferSyntax;  // STD-GEN-CD cannot take it
  const fs::path j2kFile = testdata::writeInstance(j2k, dir.path() / "j2k");
  Station station(data(), file);
  const auto statuses =
      harness::testScuStatuses(station.port(), {j2kFile}, {"--raw", "--aec", "BURN_CD"});
  ASSERT_EQ(statuses.size(), 1u);
  ASSERT_EQ(statuses.begin()->second, "0000");
  const auto failed =
      poll([](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
  ASSERT_EQ(failed["state"], "failed") << failed.dump(2);
  EXPECT_NE(failed["message"].get<std::string>().find("cannot be written to STD-GEN-CD"),
            std::string::npos)
      << failed.dump(2);
  EXPECT_EQ(failed["requested_by"], "auto-burn for called AE BURN_CD");

  // The failure is not retried every quiet period, and the next study still burns.
  send(station, "BURN_CD", instances(2));
  nlohmann::json next;
  for (int i = 0; i < 600 && next.is_null(); ++i) {
    const auto all = jobs();
    if (all.size() >= 2 && (all[1]["state"] == "done" || all[1]["state"] == "failed"))
      next = all[1];
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(next.is_null()) << jobs().dump(2);
  EXPECT_EQ(next["state"], "done") << next.dump(2);
  EXPECT_EQ(next["patient_key"], failed["patient_key"]);
  EXPECT_EQ(referencedFiles(next["volumes"][0]["target"].get<std::string>()), 2);
  std::this_thread::sleep_for(std::chrono::seconds(7));  // more than the quiet time
  EXPECT_EQ(jobCount(), 2u) << jobs().dump(2);
}

TEST_F(AutoBurnTest, QuietStudiesAreFoundThroughAnIndexNotATableScan) {
  Station station(data(), config());
  // The shape of the watch's query: the called AE's instances, grouped, with their times.
  const std::string plan = harness::queryIndex(
      data(),
      "EXPLAIN QUERY PLAN SELECT series_id, max(received_at), count(id) FROM instances "
      "WHERE called_ae = 'BURN_CD' GROUP BY series_id");
  EXPECT_NE(plan.find("COVERING INDEX"), std::string::npos) << plan;
}

}  // namespace
}  // namespace burnstation
