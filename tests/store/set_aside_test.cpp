// The admin's decisions on instances kept aside: a second instance with a stored SOP
// Instance UID and other content is kept aside by a real service; then the copy is
// discarded, or it replaces the stored instance, each with an event, never while a job that
// has not ended holds the instance. dcmdump (not ours) reads what is stored afterwards.
#include <gtest/gtest.h>

#include "burnstation/store/job_queue.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;

class SetAsideTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  std::string uid = testdata::newUid();

  // The same UID twice: first for ALPHA^ONE, then with other pixels for BETA^TWO.
  void receiveCollision() {
    testdata::InstanceSpec first;
    first.patientIdBytes = "P-1";
    first.patientNameBytes = "ALPHA^ONE";
    first.sopInstanceUid = uid;
    testdata::InstanceSpec second = first;
    second.patientIdBytes = "P-2";
    second.patientNameBytes = "BETA^TWO";
    second.seed = 7;
    harness::Station station(data());
    ASSERT_EQ(harness::storescu(station.port(), {testdata::writeInstance(first, dir.path() / "a")})
                  .exitCode,
              0);
    ASSERT_EQ(harness::storescu(station.port(), {testdata::writeInstance(second, dir.path() / "b")})
                  .exitCode,
              0);
    ASSERT_TRUE(harness::eventAppears(data(), "conflict", uid));
  }
  std::unique_ptr<Store> openStore() {
    return std::make_unique<Store>(StoreOptions{data(), 0, DuplicatePolicy::KeepStored, 64},
                                   Store::Access::Service);
  }
  std::string storedPatientName() {
    const fs::path file = harness::storedFileOf(data(), uid);
    if (file.empty()) return "(not stored)";
    return harness::runCommand({"dcmdump", "+P", "0010,0010", file.string()}).out;
  }
  int setAsideFiles() {
    return static_cast<int>(harness::filesEndingWith(data() / "set-aside", "").size());
  }
};

TEST_F(SetAsideTest, TheCopyKeptAsideIsListedAndDiscardedWithAnEvent) {
  receiveCollision();
  auto store = openStore();
  const auto aside = store->setAsideInstances();
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(aside[0].sopInstanceUid, uid);
  EXPECT_EQ(aside[0].sentFor.find("P-2"), 0u) << aside[0].sentFor;
  EXPECT_EQ(aside[0].storedIn.find("P-1"), 0u) << aside[0].storedIn;
  EXPECT_EQ(setAsideFiles(), 1);

  store->discardSetAside(aside[0].id, "admin test");
  EXPECT_TRUE(store->setAsideInstances().empty());
  EXPECT_EQ(setAsideFiles(), 0);
  EXPECT_NE(storedPatientName().find("ALPHA^ONE"), std::string::npos);
  EXPECT_EQ(harness::queryIndex(data(),
                                "SELECT count(*) FROM events WHERE kind = "
                                "'set-aside-discarded' AND detail LIKE '%admin test%'"),
            "1");
  try {
    store->discardSetAside(aside[0].id, "admin test");
    ADD_FAILURE() << "discarded twice";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::NotFound);
  }
}

TEST_F(SetAsideTest, TheCopyKeptAsideReplacesTheStoredInstanceForThePatientItNames) {
  receiveCollision();
  auto store = openStore();
  const auto aside = store->setAsideInstances();
  ASSERT_EQ(aside.size(), 1u);
  const IngestResult result = store->replaceWithSetAside(aside[0].id, "admin test");
  EXPECT_EQ(result.outcome, IngestOutcome::Stored);
  EXPECT_EQ(result.collectionKey.find("P-2"), 0u) << result.collectionKey;
  EXPECT_TRUE(store->setAsideInstances().empty());
  EXPECT_EQ(setAsideFiles(), 0);
  store.reset();
  EXPECT_NE(storedPatientName().find("BETA^TWO"), std::string::npos) << storedPatientName();
  // ALPHA^ONE had only that instance: the collection is gone, not left empty.
  const auto patients = harness::patientsJson(data())["patients"];
  ASSERT_EQ(patients.size(), 1u) << patients.dump(2);
  EXPECT_EQ(patients[0]["patient_id"], "P-2");
  EXPECT_EQ(harness::queryIndex(data(),
                                "SELECT count(*) FROM events WHERE kind = "
                                "'set-aside-replaced'"),
            "1");
  // The index and the files agree (`check`, through the command line).
  const auto check = harness::burnstation({"check", "--data-dir", data().string()});
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
}

TEST_F(SetAsideTest, NothingChangesUnderAJobThatHasNotEnded) {
  receiveCollision();
  {
    JobQueue queue(data());
    JobRequest request;
    request.patientKey = harness::patientsJson(data())["patients"][0]["key"];
    request.profile = "cd";
    queue.submit(request, {uid});
  }
  auto store = openStore();
  const auto aside = store->setAsideInstances();
  ASSERT_EQ(aside.size(), 1u);
  try {
    store->replaceWithSetAside(aside[0].id, "admin test");
    ADD_FAILURE() << "replaced under a queued job";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::InUse);
  }
  EXPECT_EQ(store->setAsideInstances().size(), 1u);
  EXPECT_EQ(setAsideFiles(), 1);
  EXPECT_NE(storedPatientName().find("ALPHA^ONE"), std::string::npos);
}

}  // namespace
}  // namespace burnstation::store
