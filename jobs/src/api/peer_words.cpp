// Times and peers as the API's sign-in answers and events name them (see peer_words.h).
#include "peer_words.h"

#include <algorithm>
#include <ctime>
#include "burnstation/store/counted.h"

namespace burnstation::jobs {

std::string isoTime(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &local);
  char zone[8];
  std::strftime(zone, sizeof zone, "%z", &local);
  return std::string(date) + std::string(zone, 3) + ":" + std::string(zone + 3, 2);
}

std::string peerWho(const ApiRequest& request) {
  return request.peer.userName + " (uid " + std::to_string(request.peer.uid) + ", pid " +
         std::to_string(request.peer.pid) + ")";
}

std::string lockedFor(const std::string& what, std::int64_t seconds) {
  return what + " is locked for " +
         store::counted(std::max<std::int64_t>(1, (seconds + 59) / 60), "more minute");
}

}  // namespace burnstation::jobs
