// What the admin PIN and the clerks' credentials share: argon2id hashes of PINs (never the
// PIN), the digits-only rule, and the arithmetic of wrong PINs in a row and the lock they
// cause. Each keeps its own rows; this decides, the caller stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "burnstation/store/pin_check.h"

namespace burnstation::store {

// libsodium's one-time set-up; throws StoreError(Io) when it cannot run.
void initialiseSodium();

// Empty when pin has minDigits to maxDigits digits and nothing else, else why not.
std::string digitsProblem(std::string_view pin, std::size_t minDigits, std::size_t maxDigits);

// "$argon2id$..." at libsodium's interactive limits; throws StoreError(Io) when out of memory.
std::string pinHash(std::string_view pin);
// Whether pin hashes to hash (constant time; takes the interactive limit's 64 MiB).
bool pinMatches(const std::string& hash, std::string_view pin);

std::int64_t secondsOf(WallTime t);
std::int64_t minutesRoundedUp(std::int64_t seconds);

// The wrong PINs in a row and the lock of one sign-in, as stored.
struct LockState {
  int failed = 0;
  std::optional<std::int64_t> lockedUntil;  // seconds since the epoch
};

// Seconds the sign-in stays locked after now; 0 when it is open.
std::int64_t secondsLocked(const LockState& state, std::int64_t now);

// One more wrong PIN at now: the state to store and the answer to give. The count starts
// again once a lock opens.
struct AfterWrongPin {
  LockState next;
  PinCheck answer;  // Refused or Locked
  int inARow = 0;   // wrong PINs in a row, this one included
};
AfterWrongPin afterWrongPin(const LockState& state, const PinLockout& lockout, std::int64_t now);

}  // namespace burnstation::store
