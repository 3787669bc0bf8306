// Possible conflicts between patients and the admin's acknowledgement of one: it clears the
// mark on both collections and only for that pair, stays listed with who acknowledged it, is
// an event, survives a restart, and goes with a removed patient.
#include <gtest/gtest.h>

#include <algorithm>

#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "dicom_factory.h"
#include "sqlite_db.h"
#include "station_harness.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;

class ConflictAcknowledgementTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }

  void receive(Store& store, const std::string& id, const std::string& name,
               const std::string& study = testdata::newUid()) {
    testdata::InstanceSpec spec;
    spec.patientIdBytes = id;
    spec.patientNameBytes = name;
    spec.studyInstanceUid = study;
    spec.sopInstanceUid = testdata::newUid();
    const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
    const fs::path temp = store.temporaryPath();
    fs::copy_file(made, temp);
    store.ingest(temp, readInstanceHeader(temp), {"CT01", "BS", "", ""});
  }

  static const CollectionSummary& named(const std::vector<CollectionSummary>& all,
                                        const std::string& name) {
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const CollectionSummary& c) { return c.patientName == name; });
    if (it == all.end()) throw std::runtime_error("no collection " + name);
    return *it;
  }
  static std::vector<std::string> standing(const CollectionSummary& c) {
    std::vector<std::string> ids;
    for (const auto& conflict : c.conflicts)
      if (conflict.standing()) ids.push_back(conflict.id);
    return ids;
  }

  std::int64_t count(const std::string& sql) {
    SqliteDb db(data() / "index.sqlite", SqliteDb::Mode::ReadOnly);
    Statement q(db, sql);
    return q.step() ? q.integer(0) : -1;
  }
};

TEST_F(ConflictAcknowledgementTest, ClearsThePairOnBothSidesAndOnlyThatPair) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  receive(store, "P-7", "DOE^JANE");
  receive(store, "P-7", "DOE^JOHN");
  receive(store, "P-7", "ROE^RICHARD");
  auto all = store.collections();
  const CollectionSummary jane = named(all, "DOE^JANE");
  const std::string john = named(all, "DOE^JOHN").key;
  ASSERT_EQ(standing(jane).size(), 2u);  // John and Richard share her Patient ID
  const std::string withJohn = "same-id:" + john;
  ASSERT_NE(std::find(standing(jane).begin(), standing(jane).end(), withJohn),
            standing(jane).end());

  const PossibleConflict done =
      store.acknowledgeConflict(jane.key, withJohn, "alice (kiosk admin)");
  EXPECT_EQ(done.acknowledgedBy, "alice (kiosk admin)");
  EXPECT_FALSE(done.acknowledgedAt.empty());

  all = store.collections();
  EXPECT_EQ(standing(named(all, "DOE^JANE")).size(), 1u);     // Richard still stands
  EXPECT_EQ(standing(named(all, "DOE^JOHN")).size(), 1u);     // Jane cleared, Richard stands
  EXPECT_EQ(standing(named(all, "ROE^RICHARD")).size(), 2u);  // nothing of his was checked
  const auto& listed = named(all, "DOE^JOHN").conflicts;
  const auto acknowledged =
      std::find_if(listed.begin(), listed.end(), [](const auto& c) { return !c.standing(); });
  ASSERT_NE(acknowledged, listed.end());
  EXPECT_EQ(acknowledged->otherKey, jane.key);
  EXPECT_EQ(acknowledged->acknowledgedBy, "alice (kiosk admin)");
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'conflict-acknowledged' AND detail "
                  "LIKE '%alice (kiosk admin)%'"),
            1);

  // Asked again (a retried request): the first answer stands, no second event.
  EXPECT_EQ(store.acknowledgeConflict(john, "same-id:" + jane.key, "bob").acknowledgedBy,
            "alice (kiosk admin)");
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'conflict-acknowledged'"), 1);
}

TEST_F(ConflictAcknowledgementTest, AStudyUnderTwoPatientsIsAcknowledgedPerStudy) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  const std::string study = testdata::newUid();
  receive(store, "A-1", "ALPHA^ANN", study);
  receive(store, "B-2", "BETA^BEN", study);
  const auto all = store.collections();
  const CollectionSummary ann = named(all, "ALPHA^ANN");
  const std::string id = "shared-study:" + study + ":" + named(all, "BETA^BEN").key;
  ASSERT_EQ(standing(ann), std::vector<std::string>{id});
  store.acknowledgeConflict(ann.key, id, "alice");
  EXPECT_TRUE(standing(named(store.collections(), "BETA^BEN")).empty());
}

TEST_F(ConflictAcknowledgementTest, RefusesWhatIsNotAConflictOfThatPatient) {
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  receive(store, "P-9", "ONE^ANNA");
  receive(store, "P-9", "TWO^ANNA");
  receive(store, "Q-1", "ALONE^ALAN");
  const auto all = store.collections();
  const std::string one = named(all, "ONE^ANNA").key, alone = named(all, "ALONE^ALAN").key;
  try {
    store.acknowledgeConflict(alone, "same-id:" + one, "alice");
    FAIL() << "acknowledged a conflict the patient does not have";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::NotFound);
    EXPECT_NE(std::string(e.what()).find("has no possible conflict"), std::string::npos);
  }
  EXPECT_THROW(store.acknowledgeConflict("no-such-key", "same-id:" + one, "alice"), StoreError);
  EXPECT_EQ(count("SELECT count(*) FROM conflict_acknowledgements"), 0);
  EXPECT_EQ(standing(named(store.collections(), "ONE^ANNA")).size(), 1u);
}

TEST_F(ConflictAcknowledgementTest, SurvivesARestartAndGoesWithARemovedPatient) {
  std::string one, two;
  {
    Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
    receive(store, "P-5", "FIRST^FAY");
    receive(store, "P-5", "SECOND^SAM");
    const auto all = store.collections();
    one = named(all, "FIRST^FAY").key;
    two = named(all, "SECOND^SAM").key;
    store.acknowledgeConflict(one, "same-id:" + two, "alice");
  }
  Store store({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  EXPECT_TRUE(standing(named(store.collections(), "FIRST^FAY")).empty());
  store.removeCollection(two, "alice");
  EXPECT_EQ(count("SELECT count(*) FROM conflict_acknowledgements"), 0);
  // The same patient sent again is checked afresh.
  receive(store, "P-5", "SECOND^SAM");
  EXPECT_EQ(standing(named(store.collections(), "FIRST^FAY")).size(), 1u);
}

}  // namespace
}  // namespace burnstation::store
