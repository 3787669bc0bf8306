// The admin PIN in the index: only an argon2id hash is kept, wrong PINs in a row lock admin,
// the lock and the count survive reopening the database, and every attempt is an event.
#include "burnstation/store/admin_pin.h"

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

class AdminPinTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  const WallTime t0 = WallTime(seconds(2'000'000'000));
  const PinLockout lockout{5, minutes(5)};

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

TEST_F(AdminPinTest, ShortOrNonDigitPinsAreRefusedWithTheReason) {
  AdminPin pin(data());
  for (const char* bad : {"", "12345", "12345a", "1234 56", "123456789012345678901234567890123"}) {
    try {
      pin.set(bad, "root");
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const StoreError& e) {
      EXPECT_EQ(e.code(), StoreError::Code::Invalid);
      EXPECT_NE(std::string(e.what()).find("PIN"), std::string::npos) << e.what();
    }
  }
  EXPECT_NE(pinProblem("12345").find("at least 6 digits"), std::string::npos);
  EXPECT_FALSE(pin.isSet());
}

TEST_F(AdminPinTest, OnlyAnArgon2idHashIsStored) {
  {
    AdminPin pin(data());
    pin.set("48151623", "root");
    EXPECT_TRUE(pin.isSet());
    EXPECT_EQ(pin.storedHash().rfind("$argon2id$", 0), 0u) << pin.storedHash();
    EXPECT_EQ(everything().find("48151623"), std::string::npos);
  }
  // Once the WAL is checkpointed into the database file, still no PIN in it.
  EXPECT_EQ(everything().find("48151623"), std::string::npos);
  EXPECT_NE(everything().find("$argon2id$"), std::string::npos);
  EXPECT_EQ(events("admin-pin-set", "root"), 1);
}

TEST_F(AdminPinTest, RightPinIsAcceptedAndResetsTheCount) {
  AdminPin pin(data());
  pin.set("123456", "root");
  EXPECT_EQ(pin.check("654321", lockout, "alice", t0).outcome, PinOutcome::Refused);
  EXPECT_EQ(pin.failedAttempts(), 1);
  const PinCheck right = pin.check("123456", lockout, "alice", t0);
  EXPECT_EQ(right.outcome, PinOutcome::Accepted);
  EXPECT_EQ(pin.failedAttempts(), 0);
  EXPECT_EQ(events("admin-pin-accepted", "alice"), 1);
  EXPECT_EQ(events("admin-pin-refused", "alice"), 1);
}

TEST_F(AdminPinTest, NoPinSetMeansClosed) {
  AdminPin pin(data());
  EXPECT_EQ(pin.check("123456", lockout, "alice", t0).outcome, PinOutcome::NotSet);
  EXPECT_EQ(events("admin-pin-refused", "no PIN is set"), 1);
}

TEST_F(AdminPinTest, FiveWrongPinsLockEvenTheRightOneAndTheLockSurvivesReopening) {
  {
    AdminPin pin(data());
    pin.set("123456", "root");
    for (int i = 1; i <= 4; ++i) {
      const PinCheck wrong = pin.check("000000", lockout, "mallory", t0);
      EXPECT_EQ(wrong.outcome, PinOutcome::Refused);
      EXPECT_EQ(wrong.attemptsLeft, 5 - i);
    }
    const PinCheck fifth = pin.check("000000", lockout, "mallory", t0);
    EXPECT_EQ(fifth.outcome, PinOutcome::Locked);
    EXPECT_EQ(fifth.lockedSeconds, 300);
    EXPECT_EQ(pin.check("123456", lockout, "alice", t0 + seconds(10)).outcome, PinOutcome::Locked);
  }
  // A restart of the service: a new connection, a new Store.
  const Store restarted({data(), 0, DuplicatePolicy::KeepStored}, Store::Access::Service);
  AdminPin reopened(data());
  ASSERT_TRUE(reopened.lockedUntil());
  EXPECT_EQ(*reopened.lockedUntil(), t0 + minutes(5));
  const PinCheck still = reopened.check("123456", lockout, "alice", t0 + minutes(4));
  EXPECT_EQ(still.outcome, PinOutcome::Locked);
  EXPECT_EQ(still.lockedSeconds, 60);
  EXPECT_GE(events("admin-locked", "alice"), 2);
  EXPECT_EQ(events("admin-locked", "after 5 wrong PINs"), 1);
  // Once the lock time has passed, the right PIN opens admin and the count starts again.
  EXPECT_EQ(reopened.check("123456", lockout, "alice", t0 + minutes(5) + seconds(1)).outcome,
            PinOutcome::Accepted);
  EXPECT_FALSE(reopened.lockedUntil());
  EXPECT_EQ(reopened.check("000000", lockout, "alice", t0 + minutes(6)).attemptsLeft, 4);
}

TEST_F(AdminPinTest, TheCountOfWrongPinsSurvivesReopening) {
  {
    AdminPin pin(data());
    pin.set("123456", "root");
    for (int i = 0; i < 3; ++i) pin.check("999999", lockout, "mallory", t0);
  }
  AdminPin reopened(data());
  EXPECT_EQ(reopened.failedAttempts(), 3);
  EXPECT_EQ(reopened.check("999999", lockout, "mallory", t0).attemptsLeft, 1);
  EXPECT_EQ(reopened.check("999999", lockout, "mallory", t0).outcome, PinOutcome::Locked);
}

TEST_F(AdminPinTest, SettingANewPinEndsTheLockout) {
  AdminPin pin(data());
  pin.set("123456", "root");
  for (int i = 0; i < 5; ++i) pin.check("000000", lockout, "mallory", t0);
  ASSERT_TRUE(pin.lockedUntil());
  pin.set("7654321", "burnstation");
  EXPECT_FALSE(pin.lockedUntil());
  EXPECT_EQ(pin.check("123456", lockout, "alice", t0).outcome, PinOutcome::Refused);
  EXPECT_EQ(pin.check("7654321", lockout, "alice", t0).outcome, PinOutcome::Accepted);
  EXPECT_EQ(events("admin-pin-set", "changed by burnstation"), 1);
}

TEST_F(AdminPinTest, EventsNeverHoldTheTypedPin) {
  AdminPin pin(data());
  pin.set("123456", "root");
  pin.check("31415926", lockout, "mallory", t0);
  pin.check("123456", lockout, "alice", t0);
  SqliteDb db(data() / "index.sqlite", SqliteDb::Mode::ReadOnly);
  Statement q(db,
              "SELECT count(*) FROM events WHERE instr(detail, '31415926') > 0 OR "
              "instr(detail, '123456') > 0");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 0);
}

}  // namespace
}  // namespace burnstation::store
