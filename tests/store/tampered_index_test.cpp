// A path read back from the index is checked before anything opens it: a row pointing
// outside the store's objects makes a selection (export, burn) fail with the reason, and
// `check` reports it, instead of a reader being sent to any file on the machine.
#include <gtest/gtest.h>

#include <fstream>

#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;

TEST(TamperedIndex, APathOutsideTheStoreIsNeverHandedToAReader) {
  harness::TempDir dir;
  const fs::path data = dir.path() / "data";
  testdata::InstanceSpec spec;
  spec.kind = testdata::Kind::CT;
  spec.patientIdBytes = "TAMPER-1";
  spec.patientNameBytes = "TAMPER^TEST";
  const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
  {
    Store store({data, 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
    const fs::path temp = store.temporaryPath();
    fs::copy_file(made, temp);
    store.ingest(temp, readInstanceHeader(temp), IngestSource{"CT01", "BS", "127.0.0.1", ""});
  }
  // What a tampered (or earlier, attacked) index might hold.
  std::ofstream(dir.path() / "secret") << "not a DICOM file of this store";
  harness::queryIndex(data, "UPDATE instances SET path = 'objects/ab/../../../secret'");

  const Store store({data, 0, DuplicatePolicy::KeepStored}, Store::Access::ReadOnly);
  try {
    store.select({"TAMPER-1", {}});
    FAIL() << "a selection with a path outside the store was handed out";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::Inconsistent);
    EXPECT_NE(std::string(e.what()).find("not a path inside the store"), std::string::npos)
        << e.what();
  }
  const ConsistencyReport check = store.checkConsistency();
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.problems[0].find("is not inside the store's objects"), std::string::npos)
      << check.problems[0];
}

}  // namespace
}  // namespace burnstation::store
