// Event throttling per kind and peer (see event_throttle.h).
#include "event_throttle.h"

namespace burnstation::receiver {

void EventThrottle::report(const std::string& kind, const std::string& category,
                           const std::string& detail, const std::string& peer,
                           Clock::time_point now) {
  auto [it, fresh] = entries_.try_emplace(Key{kind, category, peer});
  Entry& entry = it->second;
  if (fresh || now - entry.lastWritten >= interval_) {
    if (entry.suppressed > 0) {
      sink_(kind, detail + " (and " + std::to_string(entry.suppressed) + " more like it before)",
            peer);
    } else {
      sink_(kind, detail, peer);
    }
    entry.lastWritten = now;
    entry.suppressed = 0;
    return;
  }
  ++entry.suppressed;
  entry.lastDetail = detail;
}

void EventThrottle::flush(Clock::time_point now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& entry = it->second;
    if (now - entry.lastWritten < interval_) {
      ++it;
      continue;
    }
    if (entry.suppressed > 0) {
      sink_(it->first.kind,
            std::to_string(entry.suppressed) + " more like this; the last: " + entry.lastDetail,
            it->first.peer);
    }
    it = entries_.erase(it);
  }
}

}  // namespace burnstation::receiver
