// Admin sessions (see admin_sessions.h).
#include "burnstation/jobs/admin_sessions.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace burnstation::jobs {

namespace {

void initialiseSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  });
}

}  // namespace

AdminSessions::AdminSessions(WallClock clock, std::size_t limit)
    : clock_(clock ? std::move(clock) : WallClock([] { return std::chrono::system_clock::now(); })),
      limit_(std::max<std::size_t>(1, limit)) {
  initialiseSodium();
}

AdminSessions::Opened AdminSessions::open(std::chrono::minutes lifetime, std::string holder) {
  Session session{};
  session.holder = std::move(holder);
  ::randombytes_buf(session.token.data(), session.token.size());
  session.lastUse = clock_();
  char hex[2 * std::tuple_size_v<Token> + 1];
  ::sodium_bin2hex(hex, sizeof hex, session.token.data(), session.token.size());

  std::lock_guard lock(mutex_);
  std::erase_if(sessions_,
                [&](const Session& s) { return s.lastUse + lifetime <= session.lastUse; });
  if (sessions_.size() >= limit_) {
    sessions_.erase(
        std::min_element(sessions_.begin(), sessions_.end(),
                         [](const Session& a, const Session& b) { return a.lastUse < b.lastUse; }));
  }
  sessions_.push_back(session);
  return {hex, session.lastUse + lifetime};
}

std::size_t AdminSessions::find(const std::string& token) const {
  Token wanted{};
  std::size_t length = 0;
  if (token.size() != 2 * wanted.size() ||
      ::sodium_hex2bin(wanted.data(), wanted.size(), token.data(), token.size(), nullptr, &length,
                       nullptr) != 0 ||
      length != wanted.size()) {
    return sessions_.size();
  }
  // Every session is compared, each in constant time: how long this takes says nothing about
  // how much of a guessed token was right.
  std::size_t found = sessions_.size();
  for (std::size_t i = 0; i < sessions_.size(); ++i) {
    if (::sodium_memcmp(sessions_[i].token.data(), wanted.data(), wanted.size()) == 0) found = i;
  }
  return found;
}

std::optional<AdminSessions::TimePoint> AdminSessions::use(const std::string& token,
                                                           std::chrono::minutes lifetime) {
  const TimePoint now = clock_();
  if (!touch(token, lifetime, now)) return std::nullopt;
  return now + lifetime;
}

std::optional<std::string> AdminSessions::holderOf(const std::string& token,
                                                   std::chrono::minutes lifetime) {
  return touch(token, lifetime, clock_());
}

std::optional<std::string> AdminSessions::touch(const std::string& token,
                                                std::chrono::minutes lifetime, TimePoint now) {
  std::lock_guard lock(mutex_);
  const std::size_t i = find(token);
  if (i == sessions_.size()) return std::nullopt;
  if (sessions_[i].lastUse + lifetime <= now) {
    sessions_.erase(sessions_.begin() + static_cast<std::ptrdiff_t>(i));
    return std::nullopt;
  }
  sessions_[i].lastUse = now;
  return sessions_[i].holder;
}

bool AdminSessions::close(const std::string& token) {
  std::lock_guard lock(mutex_);
  const std::size_t i = find(token);
  if (i == sessions_.size()) return false;
  sessions_.erase(sessions_.begin() + static_cast<std::ptrdiff_t>(i));
  return true;
}

void AdminSessions::closeHeldBy(const std::string& holder) {
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const Session& s) { return s.holder == holder; });
}

void AdminSessions::closeAll() {
  std::lock_guard lock(mutex_);
  sessions_.clear();
}

std::size_t AdminSessions::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace burnstation::jobs
