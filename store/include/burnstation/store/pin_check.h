// What every PIN sign-in of the station answers (the admin's and the clerks'): accepted,
// refused with the attempts left before a lock, or locked with the seconds until it opens.
// The lockout settings come from [admin] and apply to both.
#pragma once

#include <chrono>
#include <cstdint>

namespace burnstation::store {

struct PinLockout {
  int attempts = 5;                  // wrong PINs in a row that lock
  std::chrono::minutes duration{5};  // for how long
};

enum class PinOutcome {
  NotSet,    // nothing to compare with: no admin PIN set, no such clerk, no such badge
  Accepted,  // the count of wrong PINs is back to 0
  Refused,   // wrong; attemptsLeft more before the lock
  Locked,    // locked now (also by this wrong PIN); the PIN was not even compared
};

struct PinCheck {
  PinOutcome outcome = PinOutcome::NotSet;
  int attemptsLeft = 0;            // Refused: wrong PINs left before the lock
  std::int64_t lockedSeconds = 0;  // Locked: seconds until the sign-in opens again
};

using WallTime = std::chrono::system_clock::time_point;

}  // namespace burnstation::store
