// The clerks who may sign in at the kiosk where the admin turns clerk sign-in on: a display
// name with a PIN (at least 4 digits) and/or a badge read by a barcode scanner. Only hashes
// are kept: the PIN's argon2id hash, and the badge's keyed BLAKE2b hash (the key is random
// per station), which lets a scanned badge be found without trying every clerk and keeps a
// badge unique. Wrong PINs lock that clerk as wrong admin PINs lock admin; unknown badges in
// a row lock badge sign-in for the station. Every change and attempt is an event naming who,
// never what was typed or scanned.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "burnstation/store/pin_check.h"

namespace burnstation::store {

class SqliteDb;

inline constexpr std::size_t kMinClerkPinDigits = 4;
inline constexpr std::size_t kMaxClerkPinDigits = 32;
inline constexpr std::size_t kMaxClerkNameBytes = 64;
inline constexpr std::size_t kMinBadgeChars = 4;
inline constexpr std::size_t kMaxBadgeChars = 128;

// Empty when the text can be a clerk's name / PIN / badge, else why not, in a sentence.
std::string clerkNameProblem(std::string_view name);
std::string clerkPinProblem(std::string_view pin);
std::string badgeProblem(std::string_view badge);

struct ClerkSummary {
  std::string name;
  bool hasPin = false;
  bool hasBadge = false;
  bool locked = false;  // by wrong PINs, at the time asked
};

// A change to one clerk: each credential is kept (nullopt), replaced (a value) or removed
// (an empty string).
struct ClerkChange {
  std::optional<std::string> pin;
  std::optional<std::string> badge;
};

// A sign-in's answer and, when accepted, whose it is.
struct ClerkCheck {
  PinCheck check;
  std::string clerk;
};

class Clerks {
 public:
  // Needs an existing index (the service creates the tables; see createClerkTables).
  explicit Clerks(const std::filesystem::path& dataDir);
  ~Clerks();
  Clerks(const Clerks&) = delete;
  Clerks& operator=(const Clerks&) = delete;

  std::vector<ClerkSummary> list(WallTime now);
  // Adds the clerk or changes its credentials; a new PIN ends its lockout. Returns whether the
  // clerk was added. Throws StoreError(Invalid) for a bad name, PIN or badge, a clerk left
  // with neither, or a badge another clerk has. Event "clerk-added" / "clerk-changed".
  bool put(const std::string& name, const ClerkChange& change, const std::string& who);
  // Whether there was such a clerk; event "clerk-removed".
  bool remove(const std::string& name, const std::string& who);

  // Name + PIN: NotSet when there is no such clerk or it has no PIN, else as the admin PIN
  // (events "clerk-signed-in", "clerk-pin-refused", "clerk-locked").
  ClerkCheck checkPin(const std::string& name, std::string_view pin, const PinLockout& lockout,
                      const std::string& who, WallTime now);
  // A scanned badge: Accepted with the clerk's name, or Refused/Locked counting unknown
  // badges station-wide (events "clerk-signed-in", "clerk-badge-refused", "clerk-locked").
  ClerkCheck checkBadge(std::string_view badge, const PinLockout& lockout, const std::string& who,
                        WallTime now);

  // What is recorded, for tests: the stored hashes of a clerk ("" when none).
  std::string storedPinHash(const std::string& name);
  std::string storedBadgeHash(const std::string& name);

 private:
  std::string badgeHash(std::string_view badge) const;  // hex

  std::unique_ptr<SqliteDb> db_;
  std::mutex checking_;
  std::string badgeKey_;  // 32 bytes, read or made on first use
};

// The tables, for the store's schema creation.
void createClerkTables(SqliteDb& db);

}  // namespace burnstation::store
