// The admin PIN and its lockout (see admin_pin.h).
#include "burnstation/store/admin_pin.h"

#include <sodium.h>

#include <algorithm>

#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "durable_file.h"
#include "index_rows.h"
#include "sqlite_db.h"
#include "store_layout.h"

namespace burnstation::store {

namespace {

void initialiseSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::sodium_init() < 0) {
      throw StoreError(StoreError::Code::Io, "libsodium cannot be initialised");
    }
  });
}

std::int64_t secondsOf(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

struct AdminRow {
  std::string hash;
  int failed = 0;
  std::optional<std::int64_t> lockedUntil;  // seconds since the epoch
};

AdminRow readRow(SqliteDb& db) {
  AdminRow row;
  Statement q(db, "SELECT pin_hash, failed_attempts, locked_until FROM admin WHERE id = 1");
  if (q.step()) {
    row.hash = q.text(0);
    row.failed = static_cast<int>(q.integer(1));
    if (!q.isNull(2)) row.lockedUntil = q.integer(2);
  }
  return row;
}

std::int64_t minutesRoundedUp(std::int64_t seconds) {
  return std::max<std::int64_t>(1, (seconds + 59) / 60);
}

const IngestSource kNoSender{"", "", "", ""};

}  // namespace

std::string pinProblem(std::string_view pin) {
  if (pin.empty()) return "the PIN is empty";
  if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "the PIN must be digits only";
  }
  if (pin.size() < kMinPinDigits) {
    return "the PIN must have at least " + std::to_string(kMinPinDigits) + " digits, not " +
           std::to_string(pin.size());
  }
  if (pin.size() > kMaxPinDigits) {
    return "the PIN must have at most " + std::to_string(kMaxPinDigits) + " digits";
  }
  return {};
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
  char hash[crypto_pwhash_STRBYTES];
  if (::crypto_pwhash_str_alg(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw StoreError(StoreError::Code::Io, "cannot hash the PIN: out of memory");
  }
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
  ::sodium_memzero(hash, sizeof hash);
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
  const auto lockedFor = [&](const AdminRow& row) -> std::int64_t {
    return row.lockedUntil && *row.lockedUntil > nowSeconds ? *row.lockedUntil - nowSeconds : 0;
  };
  if (const std::int64_t left = lockedFor(before); left > 0) {
    insertEvent(*db_, "admin-locked",
                "attempt by " + who + " refused: admin is locked for " +
                    std::to_string(minutesRoundedUp(left)) + " more minute(s)",
                kNoSender);
    return {PinOutcome::Locked, 0, left};
  }
  // Outside the transaction: the comparison takes a while and must not hold up the
  // service's writers. Something that is no PIN at all counts as wrong without hashing.
  const bool right = pinProblem(pin).empty() &&
                     ::crypto_pwhash_str_verify(before.hash.c_str(), pin.data(), pin.size()) == 0;

  Transaction tx(*db_);
  const AdminRow row = readRow(*db_);
  if (const std::int64_t left = lockedFor(row); left > 0) {  // locked meanwhile
    insertEvent(*db_, "admin-locked",
                "attempt by " + who + " refused: admin is locked for " +
                    std::to_string(minutesRoundedUp(left)) + " more minute(s)",
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
  const int attempts = std::max(1, lockout.attempts);
  const int failed = row.failed + 1;
  if (failed >= attempts) {
    const std::int64_t seconds =
        std::chrono::duration_cast<std::chrono::seconds>(lockout.duration).count();
    // The count starts again once the lock opens.
    Statement lockRow(*db_, "UPDATE admin SET failed_attempts = 0, locked_until = ? WHERE id = 1");
    lockRow.bind(1, nowSeconds + seconds).run();
    insertEvent(*db_, "admin-pin-refused",
                "by " + who + ": wrong PIN, " + std::to_string(failed) + " in a row", kNoSender);
    insertEvent(*db_, "admin-locked",
                "admin locked for " + std::to_string(minutesRoundedUp(seconds)) +
                    " minute(s) after " + std::to_string(failed) +
                    " wrong PINs in a row (last by " + who + ")",
                kNoSender);
    tx.commit();
    return {PinOutcome::Locked, 0, seconds};
  }
  Statement count(*db_, "UPDATE admin SET failed_attempts = ? WHERE id = 1");
  count.bind(1, std::int64_t{failed}).run();
  insertEvent(*db_, "admin-pin-refused",
              "by " + who + ": wrong PIN, " + std::to_string(failed) + " in a row", kNoSender);
  tx.commit();
  return {PinOutcome::Refused, attempts - failed, 0};
}

int AdminPin::failedAttempts() {
  std::lock_guard lock(checking_);
  return readRow(*db_).failed;
}

std::optional<WallTime> AdminPin::lockedUntil() {
  std::lock_guard lock(checking_);
  const AdminRow row = readRow(*db_);
  if (!row.lockedUntil) return std::nullopt;
  return WallTime(std::chrono::seconds(*row.lockedUntil));
}

std::string AdminPin::storedHash() {
  std::lock_guard lock(checking_);
  return readRow(*db_).hash;
}

}  // namespace burnstation::store
