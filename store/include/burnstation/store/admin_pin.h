// The admin PIN in the index: an argon2id hash (libsodium crypto_pwhash_str), never the PIN,
// with the count of wrong PINs in a row and the lockout they cause. Kept in the database, so
// `burnstation admin-pin` sets it while the service runs or not, and a lockout survives a
// restart. Every attempt is an event that names who tried, never what was typed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "burnstation/store/pin_check.h"

namespace burnstation::store {

class SqliteDb;

inline constexpr std::size_t kMinPinDigits = 6;
inline constexpr std::size_t kMaxPinDigits = 32;

// Empty when pin can be an admin PIN (6 to 32 digits), else why not, in a sentence.
std::string pinProblem(std::string_view pin);

class AdminPin {
 public:
  // Needs an existing index (the service creates the table; see createAdminTable).
  explicit AdminPin(const std::filesystem::path& dataDir);
  ~AdminPin();
  AdminPin(const AdminPin&) = delete;
  AdminPin& operator=(const AdminPin&) = delete;

  bool isSet();
  // Sets or replaces the PIN and ends any lockout (whoever may set it may also unlock);
  // event "admin-pin-set" naming who. Throws StoreError(Invalid) with pinProblem's reason.
  void set(std::string_view pin, const std::string& who);
  // Compares pin with the stored hash unless admin is locked at now, counts a wrong PIN and
  // locks admin after lockout.attempts of them in a row; one event per attempt
  // ("admin-pin-accepted", "admin-pin-refused", "admin-locked") naming who. One comparison
  // at a time per AdminPin: each takes the interactive limit's 64 MiB.
  PinCheck check(std::string_view pin, const PinLockout& lockout, const std::string& who,
                 WallTime now);

  // What is recorded, for the admin and for tests.
  int failedAttempts();
  std::optional<WallTime> lockedUntil();
  // The stored hash ("$argon2id$..."), empty when none is set.
  std::string storedHash();

 private:
  std::unique_ptr<SqliteDb> db_;
  std::mutex checking_;
};

// The table, for the store's schema creation.
void createAdminTable(SqliteDb& db);

}  // namespace burnstation::store
