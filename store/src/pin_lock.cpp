// PIN hashes and lockout arithmetic shared by the admin PIN and the clerks (see pin_lock.h).
#include "pin_lock.h"

#include <sodium.h>

#include <algorithm>
#include <mutex>

#include "burnstation/store/store_error.h"

namespace burnstation::store {

void initialiseSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::sodium_init() < 0) {
      throw StoreError(StoreError::Code::Io, "libsodium cannot be initialised");
    }
  });
}

std::string digitsProblem(std::string_view pin, std::size_t minDigits, std::size_t maxDigits) {
  if (pin.empty()) return "the PIN is empty";
  if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "the PIN must be digits only";
  }
  if (pin.size() < minDigits) {
    return "the PIN must have at least " + std::to_string(minDigits) + " digits, not " +
           std::to_string(pin.size());
  }
  if (pin.size() > maxDigits) {
    return "the PIN must have at most " + std::to_string(maxDigits) + " digits";
  }
  return {};
}

std::string pinHash(std::string_view pin) {
  initialiseSodium();
  char hash[crypto_pwhash_STRBYTES];
  if (::crypto_pwhash_str_alg(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw StoreError(StoreError::Code::Io, "cannot hash the PIN: out of memory");
  }
  std::string result(hash);
  ::sodium_memzero(hash, sizeof hash);
  return result;
}

bool pinMatches(const std::string& hash, std::string_view pin) {
  initialiseSodium();
  return !hash.empty() && ::crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

std::int64_t secondsOf(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t minutesRoundedUp(std::int64_t seconds) {
  return std::max<std::int64_t>(1, (seconds + 59) / 60);
}

std::int64_t secondsLocked(const LockState& state, std::int64_t now) {
  return state.lockedUntil && *state.lockedUntil > now ? *state.lockedUntil - now : 0;
}

AfterWrongPin afterWrongPin(const LockState& state, const PinLockout& lockout, std::int64_t now) {
  const int attempts = std::max(1, lockout.attempts);
  const int failed = state.failed + 1;
  if (failed >= attempts) {
    const std::int64_t seconds =
        std::chrono::duration_cast<std::chrono::seconds>(lockout.duration).count();
    return {{0, now + seconds}, {PinOutcome::Locked, 0, seconds}, failed};
  }
  return {{failed, std::nullopt}, {PinOutcome::Refused, attempts - failed, 0}, failed};
}

}  // namespace burnstation::store
