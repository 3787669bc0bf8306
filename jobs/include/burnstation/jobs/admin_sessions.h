// Admin sessions of the local API: random tokens kept in the service's memory only (a
// restart ends every session), each valid for a number of minutes since its last use.
// Thread-safe, bounded, and tokens are compared in constant time.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace burnstation::jobs {

using WallClock = std::function<std::chrono::system_clock::time_point()>;

class AdminSessions {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  static constexpr std::size_t kDefaultLimit = 16;

  struct Opened {
    std::string token;  // 64 hex digits: 32 bytes from randombytes_buf
    TimePoint expires;
  };

  // clock: the system clock when empty (tests pass their own). At most limit sessions: a new
  // one ends the expired ones, then the one unused for longest.
  explicit AdminSessions(WallClock clock = {}, std::size_t limit = kDefaultLimit);

  Opened open(std::chrono::minutes lifetime);
  // The session's new expiry (its lifetime counts again from now) when token names a session
  // used within lifetime; nullopt for an unknown or expired one, which is then forgotten.
  std::optional<TimePoint> use(const std::string& token, std::chrono::minutes lifetime);
  // Whether a session of that token existed.
  bool close(const std::string& token);
  void closeAll();
  std::size_t size() const;
  TimePoint now() const { return clock_(); }

 private:
  using Token = std::array<unsigned char, 32>;
  struct Session {
    Token token;
    TimePoint lastUse;
  };
  // The index of the session holding token, or size() (mutex_ held).
  std::size_t find(const std::string& token) const;

  WallClock clock_;
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::vector<Session> sessions_;
};

}  // namespace burnstation::jobs
