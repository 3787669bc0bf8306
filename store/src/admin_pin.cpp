// The admin PIN and its lockout (see admin_pin.h).
#include "burnstation/store/admin_pin.h"

#include "burnstation/store/counted.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "durable_file.h"
#include "index_rows.h"
#include "pin_lock.h"
#include "sqlite_db.h"
#include "store_layout.h"

namespace burnstation::store {

namespace {

struct AdminRow {
  std::string hash;
  LockState lock;
};

AdminRow readRow(SqliteDb& db) {
  AdminRow row;
  Statement q(db, "SELECT pin_hash, failed_attempts, locked_until FROM admin WHERE id = 1");
  if (q.step()) {
    row.hash = q.text(0);
    row.lock.failed = static_cast<int>(q.integer(1));
    if (!q.isNull(2)) row.lock.lockedUntil = q.integer(2);
  }
  return row;
}

const IngestSource kNoSender{"", "", "", ""};

}  // namespace

std::string pinProblem(std::string_view pin) {
  return digitsProblem(pin, kMinPinDigits, kMaxPinDigits);
}

void createAdminTable(SqliteDb& db) {
  db.exec(R"sql(
-- Added by issue 11: the admin PIN's argon2id hash (never the PIN), the wrong PINs in a row
-- and the lockout they caused (seconds since the epoch), so a restart does not open a lock.
CREATE TABLE IF NOT EXISTS admin(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pin_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  pin_set_at TEXT NOT NULL,
  pin_set_by TEXT NOT NULL);
)sql");
}

AdminPin::AdminPin(const std::filesystem::path& dataDir) {
  initialiseSodium();
  const auto index = dataDir / layout::kIndexFile;
  if (!std::filesystem::exists(index)) {
    throw StoreError(StoreError::Code::NotFound, "no station data in " + dataDir.string());
  }
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadWrite);
  // A database an older service created has no admin table yet; the PIN can still be set.
  createAdminTable(*db_);
}

AdminPin::~AdminPin() = default;

bool AdminPin::isSet() {
  std::lock_guard lock(checking_);
  return !readRow(*db_).hash.empty();
}

void AdminPin::set(std::string_view pin, const std::string& who) {
  if (const std::string problem = pinProblem(pin); !problem.empty()) {
    throw StoreError(StoreError::Code::Invalid, problem);
  }
  const std::string hash = pinHash(pin);
  std::lock_guard lock(checking_);
  Transaction tx(*db_);
  const bool replacing = !readRow(*db_).hash.empty();
  Statement upsert(*db_,
                   "INSERT INTO admin(id, pin_hash, failed_attempts, locked_until, pin_set_at, "
                   "pin_set_by) VALUES(1, ?, 0, NULL, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                   "pin_hash = excluded.pin_hash, failed_attempts = 0, locked_until = NULL, "
                   "pin_set_at = excluded.pin_set_at, pin_set_by = excluded.pin_set_by");
  upsert.bind(1, std::string_view(hash)).bind(2, isoNow()).bind(3, who).run();
  insertEvent(*db_, "admin-pin-set",
              std::string(replacing ? "admin PIN changed" : "admin PIN set") + " by " + who +
                  "; wrong attempts and any lockout cleared",
              kNoSender);
  tx.commit();
}

PinCheck AdminPin::check(std::string_view pin, const PinLockout& lockout, const std::string& who,
                         WallTime now) {
  std::lock_guard lock(checking_);
  const std::int64_t nowSeconds = secondsOf(now);
  const AdminRow before = readRow(*db_);
  PinCheck result;
  if (before.hash.empty()) {
    insertEvent(*db_, "admin-pin-refused", "by " + who + ": admin is closed, no PIN is set",
                kNoSender);
    return result;
  }
  const auto lockedFor = [&](const AdminRow& row) { return secondsLocked(row.lock, nowSeconds); };
  if (const std::int64_t left = lockedFor(before); left > 0) {
    insertEvent(*db_, "admin-locked",
                "attempt by " + who + " refused: admin is locked for " +
                    counted(minutesRoundedUp(left), "more minute"),
                kNoSender);
    return {PinOutcome::Locked, 0, left};
  }
  // Outside the transaction: the comparison takes a while and must not hold up the
  // service's writers. Something that is no PIN at all counts as wrong without hashing.
  const bool right = pinProblem(pin).empty() && pinMatches(before.hash, pin);

  Transaction tx(*db_);
  const AdminRow row = readRow(*db_);
  if (const std::int64_t left = lockedFor(row); left > 0) {  // locked meanwhile
    insertEvent(*db_, "admin-locked",
                "attempt by " + who + " refused: admin is locked for " +
                    counted(minutesRoundedUp(left), "more minute"),
                kNoSender);
    tx.commit();
    return {PinOutcome::Locked, 0, left};
  }
  if (right && row.hash == before.hash) {
    db_->exec("UPDATE admin SET failed_attempts = 0, locked_until = NULL WHERE id = 1");
    insertEvent(*db_, "admin-pin-accepted", "by " + who, kNoSender);
    tx.commit();
    return {PinOutcome::Accepted, 0, 0};
  }
  const AfterWrongPin wrong = afterWrongPin(row.lock, lockout, nowSeconds);
  Statement store(*db_, "UPDATE admin SET failed_attempts = ?, locked_until = ? WHERE id = 1");
  store.bind(1, std::int64_t{wrong.next.failed});
  if (wrong.next.lockedUntil) {
    store.bind(2, *wrong.next.lockedUntil);
  } else {
    store.bindNull(2);
  }
  store.run();
  insertEvent(*db_, "admin-pin-refused",
              "by " + who + ": wrong PIN, " + std::to_string(wrong.inARow) + " in a row",
              kNoSender);
  if (wrong.answer.outcome == PinOutcome::Locked) {
    insertEvent(*db_, "admin-locked",
                "admin locked for " +
                    counted(minutesRoundedUp(wrong.answer.lockedSeconds), "minute") + " after " +
                    std::to_string(wrong.inARow) + " wrong PINs in a row (last by " + who + ")",
                kNoSender);
  }
  tx.commit();
  return wrong.answer;
}

int AdminPin::failedAttempts() {
  std::lock_guard lock(checking_);
  return readRow(*db_).lock.failed;
}

std::optional<WallTime> AdminPin::lockedUntil() {
  std::lock_guard lock(checking_);
  const AdminRow row = readRow(*db_);
  if (!row.lock.lockedUntil) return std::nullopt;
  return WallTime(std::chrono::seconds(*row.lock.lockedUntil));
}

std::string AdminPin::storedHash() {
  std::lock_guard lock(checking_);
  return readRow(*db_).hash;
}

}  // namespace burnstation::store
