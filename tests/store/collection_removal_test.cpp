// Removing a patient sent by mistake: files, rows and preview records go, an event says so,
// a job holding the patient refuses it, and a removal a crash interrupted is finished by
// start-up recovery instead of being re-indexed.
#include <gtest/gtest.h>

#include <map>

#include "burnstation/store/job_queue.h"
#include "burnstation/store/preview_ledger.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "dicom_factory.h"
#include "sqlite_db.h"
#include "station_harness.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;

class CollectionRemovalTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }

  // count instances of one study of patientId, stored; returns their files.
  std::vector<fs::path> receive(Store& store, const std::string& patientId, int count) {
    testdata::InstanceSpec spec;
    spec.patientIdBytes = patientId;
    spec.patientNameBytes = "REMOVAL^" + patientId;
    spec.studyInstanceUid = testdata::newUid();
    studies_[patientId] = spec.studyInstanceUid;
    std::vector<fs::path> files;
    for (int i = 0; i < count; ++i) {
      spec.sopInstanceUid = testdata::newUid();
      spec.seed = static_cast<unsigned>(i + 1);
      const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
      const fs::path temp = store.temporaryPath();
      fs::copy_file(made, temp);
      files.push_back(store.ingest(temp, readInstanceHeader(temp), {"CT01", "BS", "", ""}).file);
    }
    return files;
  }

  std::string keyOf(const Store& store, const std::string& patientId) {
    for (const auto& c : store.collections()) {
      if (c.patientId == patientId) return c.key;
    }
    return {};
  }

  std::int64_t count(const std::string& sql) {
    SqliteDb db(data() / "index.sqlite", SqliteDb::Mode::ReadOnly);
    Statement q(db, sql);
    return q.step() ? q.integer(0) : -1;
  }

  std::map<std::string, std::string> studies_;
};

TEST_F(CollectionRemovalTest, RemovesFilesRowsAndPreviewRecordsAndSaysSo) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  const auto wrong = receive(store, "WRONG-1", 3);
  const auto kept = receive(store, "KEEP-1", 2);
  const std::string key = keyOf(store, "WRONG-1");
  ASSERT_FALSE(key.empty());
  {
    PreviewLedger ledger(data());
    ledger.recordRendered(studies_["WRONG-1"], "small", 3);
    ledger.recordRendered(studies_["KEEP-1"], "small", 2);
  }

  const RemovedCollection removed = store.removeCollection(key, "admin alice (uid 1000)");
  EXPECT_EQ(removed.patientId, "WRONG-1");
  EXPECT_EQ(removed.instances, 3);
  EXPECT_GT(removed.bytes, 0);
  EXPECT_EQ(removed.studiesGone, std::vector<std::string>{studies_["WRONG-1"]});
  for (const auto& f : wrong) EXPECT_FALSE(fs::exists(f)) << f;
  for (const auto& f : kept) EXPECT_TRUE(fs::exists(f)) << f;
  const auto left = store.collections();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].patientId, "KEEP-1");
  EXPECT_EQ(count("SELECT count(*) FROM instances"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM series WHERE study_id NOT IN (SELECT id FROM studies)"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM studies"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM removals"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM previews WHERE study_uid = '" + studies_["WRONG-1"] + "'"),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM previews"), 1);
  EXPECT_EQ(
      count("SELECT count(*) FROM events WHERE kind = 'patient-deleted' AND instr(detail, '" + key +
            "') AND instr(detail, 'WRONG-1') AND instr(detail, '3 instances') AND "
            "instr(detail, 'alice')"),
      1);
  EXPECT_TRUE(store.checkConsistency().ok());
}

TEST_F(CollectionRemovalTest, UnknownKeyIsNotFound) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  receive(store, "P1", 1);
  try {
    store.removeCollection("no-such-key", "admin");
    FAIL() << "removed an unknown key";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::NotFound);
  }
  EXPECT_EQ(store.collections().size(), 1u);
}

TEST_F(CollectionRemovalTest, RefusedWhileAQueuedJobHoldsItsInstances) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  const auto files = receive(store, "HELD-1", 2);
  const std::string key = keyOf(store, "HELD-1");
  JobQueue queue(data());
  const Selection selection = store.select({key, {}});
  std::vector<std::string> uids;
  for (const auto& i : selection.instances) uids.push_back(i.sopInstanceUid);
  ASSERT_EQ(uids.size(), 2u);
  // A job of another collection key (an older one) that holds these instances counts too.
  const std::int64_t job = queue.submit({"other-key", {}, "cd", "", 1, 0, "clerk"}, uids);
  try {
    store.removeCollection(key, "admin");
    FAIL() << "removed a patient a queued job holds";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::InUse);
    EXPECT_NE(std::string(e.what()).find("job " + std::to_string(job) + " is queued"),
              std::string::npos)
        << e.what();
  }
  for (const auto& f : files) EXPECT_TRUE(fs::exists(f));
  EXPECT_EQ(store.collections().size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'patient-deleted'"), 0);
  // Once the job has ended, it goes.
  ASSERT_TRUE(queue.cancel(job));
  EXPECT_EQ(store.removeCollection(key, "admin").instances, 2);
  for (const auto& f : files) EXPECT_FALSE(fs::exists(f));
}

TEST_F(CollectionRemovalTest, AJobNamesItsPatientUntilThePatientIsRemoved) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  receive(store, "NAMED-1", 1);
  const std::string key = keyOf(store, "NAMED-1");
  JobQueue queue(data());
  const std::int64_t job = queue.submit({key, {}, "cd", "", 1, 0, "clerk"}, {});
  const auto named = queue.job(job);
  ASSERT_TRUE(named && named->patient);
  EXPECT_EQ(named->patient->id, "NAMED-1");
  EXPECT_EQ(named->patient->name, store.collections().front().patientName);
  EXPECT_FALSE(named->patient->name.empty());

  ASSERT_TRUE(queue.cancel(job));
  store.removeCollection(key, "admin");
  const auto after = queue.job(job);
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->patient) << after->patient->name;  // the history keeps only the key
  EXPECT_EQ(after->request.patientKey, key);
}

TEST_F(CollectionRemovalTest, RecoveryFinishesARemovalACrashInterrupted) {
  fs::path survivor;
  std::string relative;
  {
    Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
    const auto files = receive(store, "CRASH-1", 2);
    receive(store, "KEEP-1", 1);
    // What a crash right after the commit leaves: rows gone, the removal list, a file.
    fs::copy_file(files[0], dir.path() / "saved.dcm");
    relative = fs::relative(files[0], data()).generic_string();
    store.removeCollection(keyOf(store, "CRASH-1"), "admin");
    survivor = files[0];
  }
  fs::copy_file(dir.path() / "saved.dcm", survivor);
  {
    SqliteDb db(data() / "index.sqlite", SqliteDb::Mode::ReadWrite);
    Statement add(db, "INSERT INTO removals(path, removed_at) VALUES(?, 'then')");
    add.bind(1, relative).run();
  }
  Store restarted({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  const RecoveryReport report = restarted.recover();
  EXPECT_EQ(report.removalsFinished, 1);
  EXPECT_EQ(report.filesReindexed, 0);
  EXPECT_FALSE(fs::exists(survivor));
  ASSERT_EQ(restarted.collections().size(), 1u);
  EXPECT_EQ(restarted.collections()[0].patientId, "KEEP-1");
  EXPECT_EQ(count("SELECT count(*) FROM removals"), 0);
  EXPECT_TRUE(restarted.checkConsistency().ok());
}

TEST_F(CollectionRemovalTest, ReadOnlyStoreRemovesNothing) {
  {
    Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
    receive(store, "P1", 1);
  }
  Store reader({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::ReadOnly);
  EXPECT_THROW(reader.removeCollection(reader.collections()[0].key, "admin"), StoreError);
  EXPECT_EQ(reader.collections().size(), 1u);
}

}  // namespace
}  // namespace burnstation::store
