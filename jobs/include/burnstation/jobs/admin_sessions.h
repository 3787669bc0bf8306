// Sessions of the local API (the admin's, and the clerks' where they sign in): random tokens
// kept in the service's memory only (a restart ends every session), each valid for a number
// of minutes since its last use, each with the name of who holds it. Thread-safe, bounded,
// and tokens are compared in constant time.
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

  // holder: whose session it is (a clerk's name; empty for admin sessions).
  Opened open(std::chrono::minutes lifetime, std::string holder = {});
  // The session's new expiry (its lifetime counts again from now) when token names a session
  // used within lifetime; nullopt for an unknown or expired one, which is then forgotten.
  std::optional<TimePoint> use(const std::string& token, std::chrono::minutes lifetime);
  // As use, but answers who holds the session.
  std::optional<std::string> holderOf(const std::string& token, std::chrono::minutes lifetime);
  // Whether a session of that token existed.
  bool close(const std::string& token);
  // Ends every session holder holds (a clerk removed or given new credentials).
  void closeHeldBy(const std::string& holder);
  void closeAll();
  std::size_t size() const;
  TimePoint now() const { return clock_(); }

 private:
  using Token = std::array<unsigned char, 32>;
  struct Session {
    Token token;
    TimePoint lastUse;
    std::string holder;
  };
  // The holder of token's session used at now, which then counts as its last use.
  std::optional<std::string> touch(const std::string& token, std::chrono::minutes lifetime,
                                   TimePoint now);
  // The index of the session holding token, or size() (mutex_ held).
  std::size_t find(const std::string& token) const;

  WallClock clock_;
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::vector<Session> sessions_;
};

}  // namespace burnstation::jobs
