// What the burn job tests share: a store with one patient, the command line against it, and
// polling the job list until a job reaches a state (tests never assert durations).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {

// How long `burn --wait` of a test's few small instances may take, sanitizers included.
inline constexpr int kBurnSeconds = 120;

inline harness::CommandResult bs(const std::filesystem::path& data, std::vector<std::string> args,
                                 int timeoutSeconds = harness::kCommandSeconds) {
  args.push_back("--data-dir");
  args.push_back(data.string());
  return harness::burnstation(args, timeoutSeconds);
}

class JobsTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  std::filesystem::path data() const { return dir.path() / "data"; }

  // count small CT instances of patient JOB-1, written to dir/sent (first: seed first).
  std::vector<std::filesystem::path> instances(int count, int first = 0) {
    std::vector<std::filesystem::path> files;
    testdata::InstanceSpec spec;
    spec.patientIdBytes = "JOB-1";
    spec.patientNameBytes = "JOBS^TEST";
    if (study_.empty()) study_ = testdata::newUid();
    spec.studyInstanceUid = study_;
    for (int i = first; i < first + count; ++i) {
      spec.sopInstanceUid.clear();
      spec.seed = static_cast<unsigned>(i);
      files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
    }
    return files;
  }
  // Receives count instances into the store, then stops the service.
  void receive(int count) {
    harness::Station station(data());
    sent = instances(count);
    ASSERT_EQ(harness::storescu(station.port(), sent).exitCode, 0);
  }
  std::vector<std::filesystem::path> sent;  // what receive() sent
  nlohmann::json jobs() {
    return nlohmann::json::parse(bs(data(), {"jobs", "--json"}).out)["jobs"];
  }
  // How many files the DICOMDIR of a written medium references, as `verify` reads it back.
  int referencedFiles(const std::filesystem::path& medium) {
    const auto r = bs(data(), {"verify", medium.string(), "--json"});
    const auto doc = nlohmann::json::parse(r.out);  // must outlive the loop over its checks
    for (const auto& c : doc["checks"]) {
      if (c["name"] == "file_set") return std::stoi(c["detail"].get<std::string>());
    }
    ADD_FAILURE() << r.out << r.err;
    return -1;
  }
  // The first job once condition holds for it (a test failure after about 30 s).
  nlohmann::json poll(const std::function<bool(const nlohmann::json&)>& condition) {
    nlohmann::json job;
    for (int i = 0; i < 300; ++i) {
      const nlohmann::json all = jobs();
      job = all.empty() ? nlohmann::json::object() : all[0];
      if (!all.empty() && condition(job)) return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job did not get there: " << job.dump(2);
    return job;
  }

 private:
  std::string study_;
};

}  // namespace burnstation
