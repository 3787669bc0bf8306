// The store on a really full filesystem: it opens read-only (even with no -shm to read the
// index through), postpones recovery instead of quarantining good files, never throws from
// the event log, and resumes writing by itself once space returns.
#include <gtest/gtest.h>

#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "dicom_factory.h"
#include "small_filesystem.h"
#include "station_harness.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;

fs::path instance(const fs::path& dir, unsigned seed) {
  testdata::InstanceSpec spec;
  spec.patientIdBytes = "FULL-2";
  spec.seed = seed;
  return testdata::writeInstance(spec, dir);
}

IngestResult receive(Store& store, const fs::path& file) {
  const fs::path temp = store.temporaryPath();
  fs::copy_file(file, temp);
  return store.ingest(temp, readInstanceHeader(temp), IngestSource{"CT01", "BURNSTATION", "", ""});
}

TEST(StoreOnAFullDisk, RecoveryWaitsForSpaceAndThenResumesWithoutARestart) {
  harness::TempDir dir;
  harness::SmallFilesystem small(dir.path() / "data", "4m");
  const fs::path data = small.path();
  const fs::path orphan = instance(dir.path() / "made", 2);
  {
    Store store({data, 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
    receive(store, instance(dir.path() / "made", 1));
    receive(store, orphan);
  }
  // A file whose commit never happened (a crash between rename and commit), through the
  // sqlite3 shell, which also removes -wal and -shm when it closes.
  harness::queryIndex(
      data, "DELETE FROM instances WHERE sop_instance_uid = '" + orphan.stem().string() + "'");
  small.fillWith(data / "filler");
  ASSERT_EQ(small.freeBytes(), 0u);

  Store store({data, 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  EXPECT_FALSE(store.writable());
  EXPECT_NE(store.readOnlyReason().find("full"), std::string::npos);
  const RecoveryReport postponed = store.recover();
  EXPECT_TRUE(postponed.postponed);
  EXPECT_EQ(postponed.filesQuarantined, 0);
  EXPECT_TRUE(harness::filesEndingWith(data / "quarantine", "").empty());
  EXPECT_EQ(harness::filesEndingWith(data / "objects", ".dcm").size(), 2u);
  EXPECT_NO_THROW(store.logEvent("test", "an event on a full disk", {}));
  ASSERT_EQ(store.collections().size(), 1u);  // what is stored can still be read
  EXPECT_EQ(store.collections()[0].instances, 1);
  EXPECT_FALSE(store.resumeWriting());

  fs::remove(data / "filler");
  EXPECT_TRUE(store.resumeWriting());
  EXPECT_TRUE(store.writable());
  EXPECT_EQ(store.lastRecovery().filesReindexed, 1);
  EXPECT_EQ(receive(store, instance(dir.path() / "made", 3)).outcome, IngestOutcome::Stored);
  const ConsistencyReport check = store.checkConsistency();
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems[0]);
  EXPECT_EQ(check.instancesChecked, 3);
  EXPECT_EQ(harness::queryIndex(data, "SELECT count(*) FROM events WHERE kind = 'store-writable'"),
            "1");
}

TEST(StoreOnAFullDisk, ASecondServiceStoreOnTheSameDirectoryIsRefused) {
  harness::TempDir dir;
  Store first({dir.path() / "data", 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  try {
    Store second({dir.path() / "data", 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
    ADD_FAILURE() << "a second service store opened the same data directory";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::Locked);
    EXPECT_NE(std::string(e.what()).find("(PID " + std::to_string(::getpid()) + ")"),
              std::string::npos)
        << e.what();
  }
  // Readers (the command line) need no lock.
  EXPECT_NO_THROW(
      Store({dir.path() / "data", 0, DuplicatePolicy::KeepStored}, Store::Access::ReadOnly));
}

}  // namespace
}  // namespace burnstation::store
