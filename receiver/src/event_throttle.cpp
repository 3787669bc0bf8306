// Event throttling per kind and peer (see event_throttle.h).
#include "event_throttle.h"

namespace burnstation::receiver {

namespace {

// The peer recorded for the events of hosts beyond the bound: an address never has it.
constexpr const char* kManyHosts = "many hosts";

}  // namespace

void EventThrottle::report(const std::string& kind, const std::string& category,
                           const std::string& detail, const std::string& peer,
                           Clock::time_point now) {
  if (auto text = pass(kind, category, detail, peer, now)) sink_(kind, *text, peer);
}

std::optional<std::string> EventThrottle::pass(const std::string& kind, const std::string& category,
                                               const std::string& reported, const std::string& peer,
                                               Clock::time_point now) {
  Key key{kind, category, peer};
  std::string detail = reported;
  if (entries_.size() >= maxEntries_ && !entries_.contains(key)) {
    // One entry per kind for everything beyond the bound; the host is named in the text.
    key.category.clear();
    key.peer = kManyHosts;
    detail += " (from " + peer + ", one of more hosts than are told apart)";
  }
  auto [it, fresh] = entries_.try_emplace(std::move(key));
  Entry& entry = it->second;
  if (fresh || now - entry.lastWritten >= interval_) {
    if (entry.suppressed > 0) {
      detail += " (and " + std::to_string(entry.suppressed) + " more like it before)";
    }
    entry.lastWritten = now;
    entry.suppressed = 0;
    return detail;
  }
  ++entry.suppressed;
  entry.lastDetail = detail;
  return std::nullopt;
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
