// Clerks in the index: only hashes of PINs and badges are kept, a badge names one clerk,
// wrong PINs lock one clerk (and the lock survives reopening), unknown badges lock badge
// sign-in, and every change and attempt is an event that never holds what was typed.
#include "burnstation/store/clerks.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "sqlite_db.h"
#include "station_harness.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

class ClerksTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  const WallTime t0 = WallTime(seconds(2'000'000'000));
  const PinLockout lockout{3, minutes(5)};

  void SetUp() override {
    const Store created({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  }

  std::int64_t events(const std::string& kind, const std::string& containing = {}) {
    SqliteDb db(data() / "index.sqlite", SqliteDb::Mode::ReadOnly);
    Statement q(db, "SELECT count(*) FROM events WHERE kind = ? AND instr(detail, ?) > 0");
    q.bind(1, kind).bind(2, containing);
    return q.step() ? q.integer(0) : -1;
  }

  std::string everything() {
    std::string all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(data().string() + "/index.sqlite" + suffix, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
  }
};

TEST_F(ClerksTest, TheServiceCreatesTheTables) {
  SqliteDb db(data() / "index.sqlite", SqliteDb::Mode::ReadOnly);
  Statement q(db,
              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('clerks', "
              "'clerk_badges')");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 2);
}

TEST_F(ClerksTest, OnlyHashesOfPinsAndBadgesAreStored) {
  {
    Clerks clerks(data());
    EXPECT_TRUE(clerks.put("Anna Meier", {"4815", "BADGE-0042-XYZ"}, "admin alice"));
    EXPECT_EQ(clerks.storedPinHash("Anna Meier").rfind("$argon2id$", 0), 0u);
    EXPECT_EQ(clerks.storedBadgeHash("Anna Meier").size(), 64u);
    const auto listed = clerks.list(t0);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, "Anna Meier");
    EXPECT_TRUE(listed[0].hasPin);
    EXPECT_TRUE(listed[0].hasBadge);
  }
  const std::string all = everything();
  EXPECT_EQ(all.find("BADGE-0042-XYZ"), std::string::npos);
  EXPECT_EQ(all.find("4815"), std::string::npos);
  EXPECT_EQ(events("clerk-added", "Anna Meier"), 1);
  EXPECT_EQ(events("clerk-added", "admin alice"), 1);
}

TEST_F(ClerksTest, BadNamesPinsAndBadgesAreRefusedWithTheReason) {
  Clerks clerks(data());
  const auto refused = [&](const std::string& name, const ClerkChange& change,
                           const std::string& reason) {
    try {
      clerks.put(name, change, "admin");
      ADD_FAILURE() << "accepted " << name;
    } catch (const StoreError& e) {
      EXPECT_EQ(e.code(), StoreError::Code::Invalid);
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
    }
  };
  refused("", {"1234", {}}, "empty");
  refused(" Anna", {"1234", {}}, "space");
  refused("a/b", {"1234", {}}, "'/'");
  refused(std::string("bad\xff"), {"1234", {}}, "UTF-8");
  refused("Anna", {"123", {}}, "at least 4 digits");
  refused("Anna", {"12a4", {}}, "digits only");
  refused("Anna", {{}, "ab"}, "badge");
  refused("Anna", {{}, "with space"}, "badge");
  refused("Anna", {}, "needs a PIN or a badge");
  EXPECT_TRUE(clerks.list(t0).empty());
  EXPECT_EQ(clerkPinProblem("1234"), "");
  EXPECT_EQ(clerkNameProblem("山田 花子"), "");
}

TEST_F(ClerksTest, ABadgeNamesOneClerk) {
  Clerks clerks(data());
  clerks.put("Anna", {{}, "CARD-1111"}, "admin");
  try {
    clerks.put("Ben", {{}, "CARD-1111"}, "admin");
    ADD_FAILURE() << "a second clerk got the same badge";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::InUse);
    EXPECT_NE(std::string(e.what()).find("Anna"), std::string::npos) << e.what();
  }
  EXPECT_EQ(clerks.list(t0).size(), 1u);
  // Anna may keep (re-set) her own badge.
  EXPECT_FALSE(clerks.put("Anna", {"9876", "CARD-1111"}, "admin"));
  const ClerkCheck badge = clerks.checkBadge("CARD-1111", lockout, "kiosk", t0);
  EXPECT_EQ(badge.check.outcome, PinOutcome::Accepted);
  EXPECT_EQ(badge.clerk, "Anna");
  EXPECT_EQ(events("clerk-signed-in", "with badge"), 1);
  EXPECT_EQ(events("clerk-changed", "Anna"), 1);
}

TEST_F(ClerksTest, NameAndPinSignIn) {
  Clerks clerks(data());
  clerks.put("Anna", {"4815", {}}, "admin");
  EXPECT_EQ(clerks.checkPin("Anna", "4815", lockout, "kiosk", t0).check.outcome,
            PinOutcome::Accepted);
  // The kiosk's keypad types capitals; the clerk is named as the admin wrote it.
  const ClerkCheck capitals = clerks.checkPin("ANNA", "4815", lockout, "kiosk", t0);
  EXPECT_EQ(capitals.check.outcome, PinOutcome::Accepted);
  EXPECT_EQ(capitals.clerk, "Anna");
  const ClerkCheck wrong = clerks.checkPin("Anna", "0000", lockout, "kiosk", t0);
  EXPECT_EQ(wrong.check.outcome, PinOutcome::Refused);
  EXPECT_EQ(wrong.check.attemptsLeft, 2);
  EXPECT_EQ(clerks.checkPin("Nobody", "4815", lockout, "kiosk", t0).check.outcome,
            PinOutcome::NotSet);
  EXPECT_EQ(events("clerk-pin-refused", "no clerk is called \"Nobody\""), 1);
  // A badge-only clerk has no PIN to sign in with.
  clerks.put("Ben", {{}, "CARD-2222"}, "admin");
  EXPECT_EQ(clerks.checkPin("Ben", "4815", lockout, "kiosk", t0).check.outcome, PinOutcome::NotSet);
  EXPECT_EQ(events("clerk-signed-in", "\"Anna\" with PIN"), 2);
}

TEST_F(ClerksTest, WrongPinsLockThatClerkOnlyAndTheLockSurvivesReopening) {
  {
    Clerks clerks(data());
    clerks.put("Anna", {"4815", {}}, "admin");
    clerks.put("Ben", {"2342", {}}, "admin");
    clerks.checkPin("Anna", "0000", lockout, "kiosk", t0);
    clerks.checkPin("Anna", "0000", lockout, "kiosk", t0);
    const ClerkCheck third = clerks.checkPin("Anna", "0000", lockout, "kiosk", t0);
    EXPECT_EQ(third.check.outcome, PinOutcome::Locked);
    EXPECT_EQ(third.check.lockedSeconds, 300);
    EXPECT_EQ(clerks.checkPin("Ben", "2342", lockout, "kiosk", t0).check.outcome,
              PinOutcome::Accepted);
  }
  const Store restarted({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  Clerks reopened(data());
  const ClerkCheck still = reopened.checkPin("Anna", "4815", lockout, "kiosk", t0 + minutes(4));
  EXPECT_EQ(still.check.outcome, PinOutcome::Locked);
  EXPECT_EQ(still.check.lockedSeconds, 60);
  EXPECT_TRUE(reopened.list(t0 + minutes(4))[0].locked);
  EXPECT_EQ(events("clerk-locked", "after 3 wrong PINs"), 1);
  EXPECT_EQ(reopened.checkPin("Anna", "4815", lockout, "kiosk", t0 + minutes(5)).check.outcome,
            PinOutcome::Accepted);
}

TEST_F(ClerksTest, ANewPinEndsTheClerksLock) {
  Clerks clerks(data());
  clerks.put("Anna", {"4815", {}}, "admin");
  for (int i = 0; i < 3; ++i) clerks.checkPin("Anna", "0000", lockout, "kiosk", t0);
  ASSERT_EQ(clerks.checkPin("Anna", "4815", lockout, "kiosk", t0).check.outcome,
            PinOutcome::Locked);
  clerks.put("Anna", {"5555", {}}, "admin");
  EXPECT_EQ(clerks.checkPin("Anna", "5555", lockout, "kiosk", t0).check.outcome,
            PinOutcome::Accepted);
}

TEST_F(ClerksTest, UnknownBadgesLockBadgeSignIn) {
  Clerks clerks(data());
  clerks.put("Anna", {{}, "CARD-1111"}, "admin");
  EXPECT_EQ(clerks.checkBadge("CARD-0000", lockout, "kiosk", t0).check.outcome,
            PinOutcome::Refused);
  EXPECT_EQ(clerks.checkBadge("x", lockout, "kiosk", t0).check.outcome, PinOutcome::Refused);
  EXPECT_EQ(clerks.checkBadge("CARD-9999", lockout, "kiosk", t0).check.outcome, PinOutcome::Locked);
  EXPECT_EQ(clerks.checkBadge("CARD-1111", lockout, "kiosk", t0 + minutes(1)).check.outcome,
            PinOutcome::Locked);
  EXPECT_EQ(clerks.checkBadge("CARD-1111", lockout, "kiosk", t0 + minutes(5)).clerk, "Anna");
  EXPECT_EQ(events("clerk-badge-refused"), 3);
  EXPECT_EQ(events("clerk-locked", "badge sign-in locked"), 1);
}

TEST_F(ClerksTest, RemovingAClerkEndsItsSignInAndIsAnEvent) {
  Clerks clerks(data());
  clerks.put("Anna", {"4815", "CARD-1111"}, "admin");
  EXPECT_TRUE(clerks.remove("Anna", "admin bob"));
  EXPECT_FALSE(clerks.remove("Anna", "admin bob"));
  EXPECT_EQ(clerks.checkPin("Anna", "4815", lockout, "kiosk", t0).check.outcome,
            PinOutcome::NotSet);
  EXPECT_NE(clerks.checkBadge("CARD-1111", lockout, "kiosk", t0).check.outcome,
            PinOutcome::Accepted);
  EXPECT_EQ(events("clerk-removed", "admin bob"), 1);
  // Removing a credential keeps the clerk while it still has the other.
  clerks.put("Ben", {"2342", "CARD-2222"}, "admin");
  clerks.put("Ben", {{}, std::string()}, "admin");
  EXPECT_FALSE(clerks.list(t0)[0].hasBadge);
  EXPECT_THROW(clerks.put("Ben", {std::string(), {}}, "admin"), StoreError);
}

TEST_F(ClerksTest, EventsNeverHoldTheTypedPinOrTheBadge) {
  Clerks clerks(data());
  clerks.put("Anna", {"48151623", "CARD-31415"}, "admin");
  clerks.checkPin("Anna", "27182818", lockout, "kiosk", t0);
  clerks.checkPin("Anna", "48151623", lockout, "kiosk", t0);
  clerks.checkBadge("CARD-31415", lockout, "kiosk", t0);
  clerks.checkBadge("CARD-27182", lockout, "kiosk", t0);
  SqliteDb db(data() / "index.sqlite", SqliteDb::Mode::ReadOnly);
  Statement q(db,
              "SELECT count(*) FROM events WHERE instr(detail, '48151623') > 0 OR "
              "instr(detail, '27182818') > 0 OR instr(detail, 'CARD-') > 0");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 0);
}

}  // namespace
}  // namespace burnstation::store
