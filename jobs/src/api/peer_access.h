// Who may use the local API: the peer of a connection (SO_PEERCRED) is allowed when it is
// root, the service's own user, or a user or group [api] names; refusals become events,
// at most one per user a minute so that a client retrying in a loop cannot fill the index.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "burnstation/jobs/api_exchange.h"
#include "burnstation/station/station_config.h"

namespace burnstation::jobs {

// The peer of a connected Unix socket, with its user name looked up; nullopt when the
// kernel cannot say (not a Unix socket).
std::optional<PeerCredentials> peerOf(int fd);

// Empty when allowed, else the sentence the refused client reads.
std::string refusalFor(const PeerCredentials& peer, const station::ApiSettings& settings);

class RefusalLog {
 public:
  // Whether a refusal of this user should be recorded now.
  bool shouldRecord(uid_t uid);

 private:
  std::mutex mutex_;
  std::map<uid_t, std::chrono::steady_clock::time_point> last_;
};

}  // namespace burnstation::jobs
