// The index locked by another writer (SQLITE_BUSY for longer than the service waits): the
// instance cannot be committed and its event cannot be written. The C-STORE is answered
// with a failure, the lost event is reported on stderr, and the service goes on: once the
// lock is gone it answers C-ECHO and stores the same instance.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

// A second writer on the index holding its write lock from construction to destruction.
class HeldWriteLock {
 public:
  explicit HeldWriteLock(const fs::path& index) {
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(index.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      db_.reset(raw);
      sqlite3_busy_timeout(raw, 10'000);
      held_ = sqlite3_exec(raw, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK;
    } else {
      sqlite3_close(raw);
    }
  }
  ~HeldWriteLock() {
    if (held_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool held() const { return held_; }

 private:
  std::unique_ptr<sqlite3, DatabaseCloser> db_;
  bool held_ = false;
};

TEST(EventLogBusy, AnIndexLockedByAnotherWriterIsNotFatal) {
  TempDir dir;
  Station station(dir.path() / "data");
  testdata::InstanceSpec spec;
  spec.sopInstanceUid = testdata::newUid();
  const fs::path file = testdata::writeInstance(spec, dir.path() / "sent");
  const std::string count =
      "SELECT count(*) FROM instances WHERE sop_instance_uid = '" + spec.sopInstanceUid + "'";
  {
    HeldWriteLock lock(station.dataDir() / "index.sqlite");
    ASSERT_TRUE(lock.held());
    const auto statuses = harness::testScuStatuses(station.port(), {file});
    ASSERT_EQ(statuses.count(file.string()), 1u);
    EXPECT_NE(statuses.at(file.string()), "0000") << "acknowledged without an index row";
    EXPECT_TRUE(station.running());
  }
  EXPECT_NE(station.log().find("event not recorded"), std::string::npos) << station.log();
  EXPECT_EQ(harness::queryIndex(station.dataDir(), count), "0");

  const auto echo = harness::runCommand(
      {"echoscu", "-to", "10", "-aec", "BURNSTATION", "127.0.0.1", station.portText()});
  EXPECT_EQ(echo.exitCode, 0) << echo.err << station.log();
  EXPECT_EQ(harness::testScuStatuses(station.port(), {file}).at(file.string()), "0000");
  EXPECT_EQ(harness::queryIndex(station.dataDir(), count), "1");
  EXPECT_TRUE(harness::eventAppears(station.dataDir(), "received", spec.sopInstanceUid))
      << harness::queryIndex(station.dataDir(), "SELECT kind FROM events");
  const auto check = harness::burnstation({"check", "--data-dir", station.dataDir().string()}, 120);
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  EXPECT_EQ(station.stop(), 0) << station.log();
}

}  // namespace
}  // namespace burnstation
