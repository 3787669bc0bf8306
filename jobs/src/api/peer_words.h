// How the API's sign-in answers and events name a time and who is asking: ISO 8601 with the
// local offset, as every time in the documents, and the peer's credentials from the socket,
// never anything the request says about itself.
#pragma once

#include <chrono>
#include <string>

#include "burnstation/jobs/api_exchange.h"

namespace burnstation::jobs {

std::string isoTime(std::chrono::system_clock::time_point t);
// "alice (uid 1000, pid 4242)"
std::string peerWho(const ApiRequest& request);
// "admin is locked for 3 more minutes" for what = "admin"
std::string lockedFor(const std::string& what, std::int64_t seconds);

}  // namespace burnstation::jobs
