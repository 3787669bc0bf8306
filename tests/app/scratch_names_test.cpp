// Re-encoded copies in the scratch folder are named by the station, never by a UID from the
// index: a data directory written before UIDs were checked can hold one such as
// "../../../x", which must not place a file outside the scratch folder.
#include <gtest/gtest.h>

#include "burnstation/store/stored_path.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

TEST_F(JobsTest, ReencodedCopiesAreNamedByTheStationNotByAStoredUid) {
  testdata::InstanceSpec spec;
  spec.patientIdBytes = "JOB-1";
  spec.patientNameBytes = "JOBS^TEST";
  spec.transferSyntax = "1.2.840.10008.1.2";  // implicit: re-encoded for a CD
  const fs::path sent = testdata::writeInstance(spec, dir.path() / "sent");
  {
    harness::Station station(data());
    ASSERT_EQ(harness::testScuStatuses(station.port(), {sent}, {"--raw"}).begin()->second, "0000");
  }
  // What an earlier version kept for a crafted request, in today's layout (as migrated).
  const std::string hostile = "../../../escaped";
  const std::string uid = harness::queryIndex(data(), "SELECT sop_instance_uid FROM instances");
  const std::string path = harness::queryIndex(data(), "SELECT path FROM instances");
  const std::string renamed = store::objectPathFor(hostile);
  fs::create_directories((data() / renamed).parent_path());
  fs::rename(data() / path, data() / renamed);
  const auto r = harness::runCommand(
      {"sqlite3", (data() / "index.sqlite").string(),
       "UPDATE instances SET sop_instance_uid = '" + hostile + "', path = '" + renamed + "'"});
  ASSERT_EQ(r.exitCode, 0) << r.err;

  const fs::path out = dir.path() / "out";
  const auto exported =
      bs(data(), {"export", "--to", out.string(), "--patient", "JOB-1", "--profile", "cd"});
  // Whatever export makes of it, nothing lands beside the data directory.
  EXPECT_FALSE(fs::exists(dir.path() / "escaped.dcm")) << exported.out << exported.err;
  EXPECT_FALSE(fs::exists(data() / "escaped.dcm"));
  EXPECT_FALSE(fs::exists(data() / "scratch" / "escaped.dcm"));
  ASSERT_EQ(exported.exitCode, 0) << exported.out << exported.err;
}

}  // namespace
}  // namespace burnstation
