// A burn request is checked in the station library before anything is queued, with the
// reason for the person who asked: the command line and the local API refuse alike.
#include "burnstation/station/job_request.h"

#include <gtest/gtest.h>

#include <functional>

#include "burnstation/station/request_error.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::station {
namespace {

namespace fs = std::filesystem;

class JobRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness::Station station(data());
    testdata::InstanceSpec spec;
    spec.patientIdBytes = "REQ-1";
    spec.studyInstanceUid = study;
    std::vector<fs::path> files;
    for (int i = 0; i < 2; ++i) {
      spec.sopInstanceUid.clear();
      spec.seed = static_cast<unsigned>(i);
      files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
    }
    spec.patientIdBytes = "REQ-2";
    spec.studyInstanceUid = otherStudy;
    spec.sopInstanceUid.clear();
    files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
    ASSERT_EQ(harness::storescu(station.port(), files).exitCode, 0);
  }
  fs::path data() const { return dir.path() / "data"; }

  // The reason validateBurnRequest gives, or "" when it accepts the request.
  std::string refusal(const BurnRequest& request) {
    StationConfig config = builtInConfig();
    config.dataDir = data();
    const store::Store store({data(), 0, store::DuplicatePolicy::KeepStored},
                             store::Store::Access::ReadOnly);
    try {
      validateBurnRequest(config, store, request);
      return "";
    } catch (const RequestError& e) {
      return e.what();
    }
  }
  BurnRequest good() const {
    BurnRequest r;
    r.patient = "REQ-1";
    r.profile = "cd";
    r.drive = "images";
    return r;
  }

  harness::TempDir dir;
  std::string study = testdata::newUid();
  std::string otherStudy = testdata::newUid();
};

TEST_F(JobRequestTest, AGoodRequestBecomesTheJobWithItsFrozenInstances) {
  StationConfig config = builtInConfig();
  config.dataDir = data();
  const store::Store store({data(), 0, store::DuplicatePolicy::KeepStored},
                           store::Store::Access::ReadOnly);
  BurnRequest r = good();
  r.copies = 3;
  r.capacity = 700'000'001;
  r.requestedBy = "clerk@desk";
  const ValidatedJob job = validateBurnRequest(config, store, r);
  EXPECT_FALSE(job.request.patientKey.empty());
  EXPECT_EQ(job.request.profile, "cd");
  EXPECT_EQ(job.request.drive, "images");
  EXPECT_EQ(job.request.copies, 3);
  EXPECT_EQ(job.request.capacity, 700'000'001u / 2048 * 2048);  // whole sectors
  EXPECT_EQ(job.request.requestedBy, "clerk@desk");
  EXPECT_EQ(job.instances.size(), 2u);
}

TEST_F(JobRequestTest, BadRequestsAreRefusedWithTheReason) {
  struct Case {
    std::function<void(BurnRequest&)> change;
    std::string reason;
  };
  const Case cases[] = {
      {[](BurnRequest& r) { r.patient.clear(); }, "a patient is required"},
      {[](BurnRequest& r) { r.patient = "NOBODY"; }, "NOBODY"},
      {[&](BurnRequest& r) { r.studies = {otherStudy}; }, otherStudy},
      {[](BurnRequest& r) { r.profile = "floppy"; }, "unknown profile \"floppy\""},
      {[](BurnRequest& r) { r.drive = "nowhere"; }, "nowhere"},
      {[](BurnRequest& r) { r.copies = 0; }, "copies must be 1 to 99, not 0"},
      {[](BurnRequest& r) { r.copies = 100; }, "copies must be 1 to 99, not 100"},
      {[](BurnRequest& r) { r.capacity = 100; }, "less than one 2,048-byte sector"},
      {[](BurnRequest& r) { r.capacity = 100'000; }, "cannot hold a volume's fixed content"},
  };
  for (const Case& c : cases) {
    BurnRequest r = good();
    c.change(r);
    const std::string why = refusal(r);
    EXPECT_NE(why.find(c.reason), std::string::npos)
        << "expected \"" << c.reason << "\", got \"" << why << "\"";
  }
  EXPECT_EQ(refusal(good()), "");
}

}  // namespace
}  // namespace burnstation::station
