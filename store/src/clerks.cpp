// The clerks and their credentials (see clerks.h).
#include "burnstation/store/clerks.h"

#include <sodium.h>

#include <algorithm>
#include <array>

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

const IngestSource kNoSender{"", "", "", ""};

struct ClerkRow {
  bool found = false;
  std::string name;  // as the admin wrote it (names match without regard to ASCII case)
  std::string pinHash;
  std::string badgeHash;
  LockState lock;
};

ClerkRow readClerk(SqliteDb& db, const std::string& name) {
  ClerkRow row;
  Statement q(db,
              "SELECT pin_hash, ifnull(badge_hash, ''), failed_attempts, locked_until, name FROM "
              "clerks WHERE name = ?");
  q.bind(1, name);
  if (q.step()) {
    row.found = true;
    row.pinHash = q.text(0);
    row.badgeHash = q.text(1);
    row.lock.failed = static_cast<int>(q.integer(2));
    if (!q.isNull(3)) row.lock.lockedUntil = q.integer(3);
    row.name = q.text(4);
  }
  return row;
}

LockState readBadgeLock(SqliteDb& db) {
  LockState lock;
  Statement q(db, "SELECT failed_attempts, locked_until FROM clerk_badges WHERE id = 1");
  if (q.step()) {
    lock.failed = static_cast<int>(q.integer(0));
    if (!q.isNull(1)) lock.lockedUntil = q.integer(1);
  }
  return lock;
}

void bindLock(Statement& s, int first, const LockState& lock) {
  s.bind(first, std::int64_t{lock.failed});
  if (lock.lockedUntil) {
    s.bind(first + 1, *lock.lockedUntil);
  } else {
    s.bindNull(first + 1);
  }
}

bool validUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t more = c < 0x80             ? 0
                             : (c & 0xe0) == 0xc0 ? 1
                             : (c & 0xf0) == 0xe0 ? 2
                             : (c & 0xf8) == 0xf0 ? 3
                                                  : 4;
    if (more > 3 || text.size() - i <= more) return false;
    for (std::size_t k = 1; k <= more; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    }
    i += more + 1;
  }
  return true;
}

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string lockedSentence(const std::string& what, std::int64_t seconds) {
  return what + " is locked for " + counted(minutesRoundedUp(seconds), "more minute");
}

}  // namespace

std::string clerkNameProblem(std::string_view name) {
  if (name.empty()) return "the clerk's name is empty";
  if (name.size() > kMaxClerkNameBytes) {
    return "the clerk's name must be at most " + std::to_string(kMaxClerkNameBytes) + " bytes";
  }
  if (std::any_of(name.begin(), name.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f || c == '/';
      })) {
    return "the clerk's name must not hold control characters or '/'";
  }
  if (name.front() == ' ' || name.back() == ' ') {
    return "the clerk's name must not begin or end with a space";
  }
  if (!validUtf8(name)) return "the clerk's name is not valid UTF-8";
  return {};
}

std::string clerkPinProblem(std::string_view pin) {
  return digitsProblem(pin, kMinClerkPinDigits, kMaxClerkPinDigits);
}

std::string badgeProblem(std::string_view badge) {
  if (badge.size() < kMinBadgeChars || badge.size() > kMaxBadgeChars) {
    return "a badge must read as " + std::to_string(kMinBadgeChars) + " to " +
           std::to_string(kMaxBadgeChars) + " characters";
  }
  if (!std::all_of(badge.begin(), badge.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return "a badge must read as printable characters without spaces";
  }
  return {};
}

void createClerkTables(SqliteDb& db) {
  db.exec(R"sql(
-- Added by issue 11: clerks who sign in at the kiosk. Only hashes: the PIN's argon2id hash
-- ('' when the clerk has none) and the badge's keyed BLAKE2b hash (NULL when none; unique, so
-- one badge names one clerk); wrong PINs in a row and the lock they caused, per clerk.
-- Names match without regard to ASCII case: the kiosk's keypad types capitals.
CREATE TABLE IF NOT EXISTS clerks(
  name TEXT PRIMARY KEY COLLATE NOCASE,
  pin_hash TEXT NOT NULL DEFAULT '',
  badge_hash TEXT UNIQUE,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL);
-- The station's key for badge hashes (random, hex) and unknown badges in a row, which lock
-- badge sign-in for the station as wrong PINs lock one clerk.
CREATE TABLE IF NOT EXISTS clerk_badges(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  hash_key TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER);
)sql");
}

Clerks::Clerks(const std::filesystem::path& dataDir) {
  initialiseSodium();
  const auto index = dataDir / layout::kIndexFile;
  if (!std::filesystem::exists(index)) {
    throw StoreError(StoreError::Code::NotFound, "no station data in " + dataDir.string());
  }
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadWrite);
  createClerkTables(*db_);
  std::array<unsigned char, crypto_generichash_KEYBYTES> key{};
  ::randombytes_buf(key.data(), key.size());
  char hex[2 * key.size() + 1];
  ::sodium_bin2hex(hex, sizeof hex, key.data(), key.size());
  Statement make(*db_, "INSERT OR IGNORE INTO clerk_badges(id, hash_key) VALUES(1, ?)");
  make.bind(1, std::string_view(hex)).run();
  ::sodium_memzero(key.data(), key.size());
  Statement read(*db_, "SELECT hash_key FROM clerk_badges WHERE id = 1");
  std::string stored = read.step() ? read.text(0) : std::string();
  badgeKey_.resize(key.size());
  std::size_t length = 0;
  if (stored.size() != 2 * key.size() ||
      ::sodium_hex2bin(reinterpret_cast<unsigned char*>(badgeKey_.data()), badgeKey_.size(),
                       stored.data(), stored.size(), nullptr, &length, nullptr) != 0 ||
      length != key.size()) {
    throw StoreError(StoreError::Code::Inconsistent, "the badge key in the index is damaged");
  }
}

Clerks::~Clerks() {
  ::sodium_memzero(badgeKey_.data(), badgeKey_.size());
}

std::string Clerks::badgeHash(std::string_view badge) const {
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  ::crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(badge.data()),
                       badge.size(), reinterpret_cast<const unsigned char*>(badgeKey_.data()),
                       badgeKey_.size());
  char hex[2 * out.size() + 1];
  ::sodium_bin2hex(hex, sizeof hex, out.data(), out.size());
  return hex;
}

std::vector<ClerkSummary> Clerks::list(WallTime now) {
  std::lock_guard lock(checking_);
  std::vector<ClerkSummary> clerks;
  Statement q(*db_,
              "SELECT name, pin_hash <> '', badge_hash IS NOT NULL, ifnull(locked_until, 0) FROM "
              "clerks ORDER BY name");
  while (q.step()) {
    clerks.push_back(
        {q.text(0), q.integer(1) != 0, q.integer(2) != 0, q.integer(3) > secondsOf(now)});
  }
  return clerks;
}

bool Clerks::put(const std::string& name, const ClerkChange& change, const std::string& who) {
  if (const std::string problem = clerkNameProblem(name); !problem.empty()) {
    throw StoreError(StoreError::Code::Invalid, problem);
  }
  if (change.pin && !change.pin->empty()) {
    if (const std::string problem = clerkPinProblem(*change.pin); !problem.empty()) {
      throw StoreError(StoreError::Code::Invalid, problem);
    }
  }
  if (change.badge && !change.badge->empty()) {
    if (const std::string problem = badgeProblem(*change.badge); !problem.empty()) {
      throw StoreError(StoreError::Code::Invalid, problem);
    }
  }
  // Hashed before the lock: argon2id takes a while.
  const std::optional<std::string> pin =
      change.pin ? std::optional(change.pin->empty() ? std::string() : pinHash(*change.pin))
                 : std::nullopt;
  const std::optional<std::string> badge =
      change.badge ? std::optional(change.badge->empty() ? std::string() : badgeHash(*change.badge))
                   : std::nullopt;

  std::lock_guard lock(checking_);
  Transaction tx(*db_);
  const ClerkRow before = readClerk(*db_, name);
  const std::string pinAfter = pin ? *pin : before.pinHash;
  const std::string badgeAfter = badge ? *badge : before.badgeHash;
  if (pinAfter.empty() && badgeAfter.empty()) {
    throw StoreError(StoreError::Code::Invalid,
                     "clerk " + quoted(name) + " needs a PIN or a badge to sign in with");
  }
  if (badge && !badge->empty()) {
    Statement holder(*db_, "SELECT name FROM clerks WHERE badge_hash = ? AND name <> ?");
    holder.bind(1, *badge).bind(2, name);
    if (holder.step()) {
      throw StoreError(StoreError::Code::InUse,
                       "that badge is already clerk " + quoted(holder.text(0)) + "'s");
    }
  }
  Statement upsert(*db_,
                   "INSERT INTO clerks(name, pin_hash, badge_hash, failed_attempts, locked_until, "
                   "changed_at, changed_by) VALUES(?, ?, ?, 0, NULL, ?, ?) ON CONFLICT(name) DO "
                   "UPDATE SET pin_hash = excluded.pin_hash, badge_hash = excluded.badge_hash, "
                   "changed_at = excluded.changed_at, changed_by = excluded.changed_by");
  upsert.bind(1, name).bind(2, pinAfter);
  if (badgeAfter.empty()) {
    upsert.bindNull(3);
  } else {
    upsert.bind(3, badgeAfter);
  }
  upsert.bind(4, isoNow()).bind(5, who).run();
  if (pin && !pin->empty() && before.found) {  // a new PIN opens the clerk's lock
    Statement unlock(*db_,
                     "UPDATE clerks SET failed_attempts = 0, locked_until = NULL WHERE name = ?");
    unlock.bind(1, name).run();
  }
  std::string detail =
      "clerk " + quoted(name) + (before.found ? " changed" : " added") + " by " + who + ": ";
  detail += pin ? (pin->empty() ? "PIN removed" : "PIN set") : "PIN kept";
  detail += badge ? (badge->empty() ? ", badge removed" : ", badge set") : ", badge kept";
  insertEvent(*db_, before.found ? "clerk-changed" : "clerk-added", detail, kNoSender);
  tx.commit();
  return !before.found;
}

bool Clerks::remove(const std::string& name, const std::string& who) {
  std::lock_guard lock(checking_);
  Transaction tx(*db_);
  Statement drop(*db_, "DELETE FROM clerks WHERE name = ?");
  drop.bind(1, name).run();
  if (db_->changes() == 0) return false;
  insertEvent(*db_, "clerk-removed", "clerk " + quoted(name) + " removed by " + who, kNoSender);
  tx.commit();
  return true;
}

ClerkCheck Clerks::checkPin(const std::string& typed, std::string_view pin,
                            const PinLockout& lockout, const std::string& who, WallTime now) {
  std::lock_guard lock(checking_);
  const std::int64_t nowSeconds = secondsOf(now);
  const bool nameOk = clerkNameProblem(typed).empty();
  const ClerkRow before = nameOk ? readClerk(*db_, typed) : ClerkRow{};
  const std::string name = before.found ? before.name : typed;
  if (!before.found || before.pinHash.empty()) {
    insertEvent(*db_, "clerk-pin-refused",
                "by " + who + ": " +
                    (!nameOk        ? std::string("not a clerk's name")
                     : before.found ? "clerk " + quoted(name) + " has no PIN"
                                    : "no clerk is called " + quoted(name)),
                kNoSender);
    return {};
  }
  const auto lockedEvent = [&](std::int64_t left) {
    insertEvent(*db_, "clerk-locked",
                "attempt by " + who + " refused: " + lockedSentence("clerk " + quoted(name), left),
                kNoSender);
  };
  if (const std::int64_t left = secondsLocked(before.lock, nowSeconds); left > 0) {
    lockedEvent(left);
    return {{PinOutcome::Locked, 0, left}, name};
  }
  // Outside the transaction, as for the admin PIN.
  const bool right = clerkPinProblem(pin).empty() && pinMatches(before.pinHash, pin);

  Transaction tx(*db_);
  const ClerkRow row = readClerk(*db_, name);
  if (!row.found || row.pinHash.empty()) {  // removed meanwhile
    insertEvent(*db_, "clerk-pin-refused", "by " + who + ": no clerk is called " + quoted(name),
                kNoSender);
    tx.commit();
    return {};
  }
  if (const std::int64_t left = secondsLocked(row.lock, nowSeconds); left > 0) {
    lockedEvent(left);
    tx.commit();
    return {{PinOutcome::Locked, 0, left}, name};
  }
  if (right && row.pinHash == before.pinHash) {
    Statement reset(*db_,
                    "UPDATE clerks SET failed_attempts = 0, locked_until = NULL WHERE name = ?");
    reset.bind(1, name).run();
    insertEvent(*db_, "clerk-signed-in", "clerk " + quoted(name) + " with PIN, at " + who,
                kNoSender);
    tx.commit();
    return {{PinOutcome::Accepted, 0, 0}, name};
  }
  const AfterWrongPin wrong = afterWrongPin(row.lock, lockout, nowSeconds);
  Statement store(*db_, "UPDATE clerks SET failed_attempts = ?, locked_until = ? WHERE name = ?");
  bindLock(store, 1, wrong.next);
  store.bind(3, name).run();
  insertEvent(*db_, "clerk-pin-refused",
              "by " + who + ": wrong PIN for clerk " + quoted(name) + ", " +
                  std::to_string(wrong.inARow) + " in a row",
              kNoSender);
  if (wrong.answer.outcome == PinOutcome::Locked) {
    insertEvent(*db_, "clerk-locked",
                "clerk " + quoted(name) + " locked for " +
                    counted(minutesRoundedUp(wrong.answer.lockedSeconds), "minute") + " after " +
                    std::to_string(wrong.inARow) + " wrong PINs in a row (last by " + who + ")",
                kNoSender);
  }
  tx.commit();
  return {wrong.answer, name};
}

ClerkCheck Clerks::checkBadge(std::string_view badge, const PinLockout& lockout,
                              const std::string& who, WallTime now) {
  std::lock_guard lock(checking_);
  const std::int64_t nowSeconds = secondsOf(now);
  Transaction tx(*db_);
  const LockState badges = readBadgeLock(*db_);
  if (const std::int64_t left = secondsLocked(badges, nowSeconds); left > 0) {
    insertEvent(*db_, "clerk-locked",
                "badge by " + who + " refused: " + lockedSentence("badge sign-in", left),
                kNoSender);
    tx.commit();
    return {{PinOutcome::Locked, 0, left}, {}};
  }
  if (badgeProblem(badge).empty()) {
    Statement q(*db_, "SELECT name FROM clerks WHERE badge_hash = ?");
    q.bind(1, badgeHash(badge));
    if (q.step()) {
      const std::string name = q.text(0);
      db_->exec("UPDATE clerk_badges SET failed_attempts = 0, locked_until = NULL WHERE id = 1");
      insertEvent(*db_, "clerk-signed-in", "clerk " + quoted(name) + " with badge, at " + who,
                  kNoSender);
      tx.commit();
      return {{PinOutcome::Accepted, 0, 0}, name};
    }
  }
  const AfterWrongPin wrong = afterWrongPin(badges, lockout, nowSeconds);
  Statement store(*db_,
                  "UPDATE clerk_badges SET failed_attempts = ?, locked_until = ? WHERE id = 1");
  bindLock(store, 1, wrong.next);
  store.run();
  insertEvent(*db_, "clerk-badge-refused",
              "by " + who + ": unknown badge, " + std::to_string(wrong.inARow) + " in a row",
              kNoSender);
  if (wrong.answer.outcome == PinOutcome::Locked) {
    insertEvent(*db_, "clerk-locked",
                "badge sign-in locked for " +
                    counted(minutesRoundedUp(wrong.answer.lockedSeconds), "minute") + " after " +
                    std::to_string(wrong.inARow) + " unknown badges in a row (last by " + who + ")",
                kNoSender);
  }
  tx.commit();
  return {wrong.answer, {}};
}

std::string Clerks::storedPinHash(const std::string& name) {
  std::lock_guard lock(checking_);
  return readClerk(*db_, name).pinHash;
}

std::string Clerks::storedBadgeHash(const std::string& name) {
  std::lock_guard lock(checking_);
  return readClerk(*db_, name).badgeHash;
}

}  // namespace burnstation::store
