// A UID an earlier version kept unchecked reaches the operator's terminal in messages: its
// control characters are shown as %XX, never sent to the terminal as they are.
#include <gtest/gtest.h>

#include "burnstation/store/stored_path.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

TEST_F(JobsTest, AStoredUidWithControlCharactersIsShownEscaped) {
  testdata::InstanceSpec spec;
  spec.kind = testdata::Kind::VideoEndoscopic;
  spec.patientIdBytes = "JOB-1";
  spec.patientNameBytes = "JOBS^TEST";
  spec.transferSyntax = "1.2.840.10008.1.2.4.100";  // MPEG-2: no CD can hold it
  const fs::path sent = testdata::writeInstance(spec, dir.path() / "sent");
  {
    harness::Station station(data());
    ASSERT_EQ(harness::testScuStatuses(station.port(), {sent}, {"--raw"}).begin()->second, "0000");
  }
  // ESC [ 2 J clears the screen of whoever reads the message.
  const std::string hostile = "1.2.3\x1b[2J";
  const std::string path = harness::queryIndex(data(), "SELECT path FROM instances");
  const std::string renamed = store::objectPathFor(hostile);
  fs::create_directories((data() / renamed).parent_path());
  fs::rename(data() / path, data() / renamed);
  const auto r = harness::runCommand(
      {"sqlite3", (data() / "index.sqlite").string(),
       "UPDATE instances SET sop_instance_uid = '1.2.3' || char(27) || '[2J', path = '" + renamed +
           "'"});
  ASSERT_EQ(r.exitCode, 0) << r.err;

  const auto exported = bs(data(), {"export", "--to", (dir.path() / "out").string(), "--patient",
                                    "JOB-1", "--profile", "cd"});
  EXPECT_NE(exported.exitCode, 0);
  EXPECT_NE(exported.err.find("cannot be written"), std::string::npos) << exported.err;
  EXPECT_EQ(exported.err.find('\x1b'), std::string::npos) << exported.err;
  EXPECT_NE(exported.err.find("1.2.3%1B[2J"), std::string::npos) << exported.err;
}

}  // namespace
}  // namespace burnstation
