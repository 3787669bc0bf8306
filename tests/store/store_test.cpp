// The store on real files: durable ingest, start-up recovery and the consistency check.
#include "burnstation/store/store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "burnstation/store/store_error.h"
#include "burnstation/store/stored_path.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }

  fs::path instance(const std::string& patientId = "P1") {
    testdata::InstanceSpec spec;
    spec.kind = testdata::Kind::CT;
    spec.patientIdBytes = patientId;
    spec.patientNameBytes = "STORE^TEST";
    return testdata::writeInstance(spec, dir.path() / "made");
  }

  // What the receiver does: a received file in the incoming area, then ingest.
  IngestResult receive(Store& store, const fs::path& file) {
    const fs::path temp = store.temporaryPath();
    fs::copy_file(file, temp);
    return store.ingest(temp, readInstanceHeader(temp),
                        IngestSource{"CT01", "BURNSTATION", "127.0.0.1", ""});
  }
};

TEST_F(StoreTest, IngestMovesTheFileIntoPlaceAndIndexesIt) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  const fs::path file = instance();
  const IngestResult r = receive(store, file);
  EXPECT_EQ(r.outcome, IngestOutcome::Stored);
  EXPECT_TRUE(fs::exists(r.file));
  EXPECT_TRUE(testdata::datasetBytesOf(r.file) == testdata::datasetBytesOf(file));
  EXPECT_TRUE(harness::filesEndingWith(data() / "incoming", ".part").empty());
  const auto collections = store.collections();
  ASSERT_EQ(collections.size(), 1u);
  EXPECT_EQ(collections[0].instances, 1);
  EXPECT_EQ(collections[0].bytes, static_cast<std::int64_t>(fs::file_size(r.file)));
  EXPECT_TRUE(store.checkConsistency().ok());
}

TEST_F(StoreTest, ReplacePolicyStoresTheNewCopyOfTheSameContent) {
  Store store({data(), 0, DuplicatePolicy::Replace}, Store::Access::Service);
  const fs::path file = instance();
  receive(store, file);
  EXPECT_EQ(receive(store, file).outcome, IngestOutcome::DuplicateReplaced);
  EXPECT_EQ(store.collections()[0].instances, 1);
  EXPECT_TRUE(store.checkConsistency().ok());
}

TEST_F(StoreTest, RecoveryCleansUpAfterACrash) {
  fs::path indexedFile;
  {
    Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
    indexedFile = receive(store, instance("KEEP")).file;
    receive(store, instance("GONE"));
  }
  // What a crash can leave: a half-received file, a file renamed but not committed, an
  // unreadable file, and (after a disk fault) an indexed file that vanished.
  std::ofstream(data() / "incoming" / "123-4.part") << "half a data set";
  const fs::path uncommitted = instance("LATE");
  const std::string uid = uncommitted.stem().string();
  const fs::path late = data() / objectPathFor(uid);
  fs::create_directories(late.parent_path());
  fs::copy_file(uncommitted, late);
  fs::create_directories(data() / "objects" / "zz");
  std::ofstream(data() / "objects" / "zz" / "9.9.9.dcm") << "not DICOM";
  std::string goneRelative;
  for (const auto& f : harness::filesEndingWith(data() / "objects", ".dcm")) {
    if (f != indexedFile && f != late && f.parent_path().filename() != "zz") {
      goneRelative = fs::relative(f, data()).generic_string();
      fs::remove(f);
    }
  }
  ASSERT_FALSE(goneRelative.empty());

  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  const RecoveryReport report = store.recover();
  EXPECT_EQ(report.temporaryFilesRemoved, 1);
  EXPECT_EQ(report.filesReindexed, 1);
  EXPECT_EQ(report.filesQuarantined, 1);
  ASSERT_EQ(report.missingFiles.size(), 1u);
  EXPECT_EQ(report.missingFiles[0], goneRelative);
  EXPECT_TRUE(fs::exists(data() / "quarantine" / "9.9.9.dcm"));
  const ConsistencyReport check = store.checkConsistency();
  ASSERT_EQ(check.problems.size(), 1u);  // the vanished file is reported, never hidden
  EXPECT_NE(check.problems[0].find("missing"), std::string::npos);
}

TEST_F(StoreTest, ConsistencyCheckSeesATruncatedFile) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  const fs::path stored = receive(store, instance()).file;
  fs::resize_file(stored, fs::file_size(stored) - 10);
  const ConsistencyReport check = store.checkConsistency();
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.problems[0].find("bytes, the index says"), std::string::npos);
}

TEST_F(StoreTest, UnreadableFileIsAParseError) {
  const fs::path junk = dir.path() / "junk.dcm";
  std::ofstream(junk) << std::string(300, 'x');
  try {
    readInstanceHeader(junk);
    FAIL() << "junk was read";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::Parse);
    EXPECT_NE(std::string(e.what()).find(junk.string()), std::string::npos);
  }
}

TEST_F(StoreTest, ReadOnlyAccessNeedsAnExistingStore) {
  try {
    Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::ReadOnly);
    FAIL() << "opened a store that does not exist";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::NotFound);
    EXPECT_NE(std::string(e.what()).find("no station data"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(data() / "index.sqlite"));
}

}  // namespace
}  // namespace burnstation::store
