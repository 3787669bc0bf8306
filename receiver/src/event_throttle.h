// Keeps a flood of connections from becoming a flood of index commits: the first event of
// a kind and category (a rejection reason, say: a handful of values, never received text)
// from a host is written at once, later ones within the interval are counted and written as
// one summary when it has passed. The hosts it keeps apart are bounded: beyond that, a
// flood from many addresses (or many categories) is counted as one per kind, so its memory
// and its writes stay bounded.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace burnstation::receiver {

class EventThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  // kind, detail, peer address
  using Sink = std::function<void(const std::string&, const std::string&, const std::string&)>;

  EventThrottle(Sink sink, Clock::duration interval, std::size_t maxEntries = 256)
      : sink_(std::move(sink)), interval_(interval), maxEntries_(maxEntries) {}

  void report(const std::string& kind, const std::string& category, const std::string& detail,
              const std::string& peer, Clock::time_point now = Clock::now());
  // The same decision for a caller that writes the event itself (with more than the peer):
  // the text to write now, or nothing when it is counted into a later summary.
  std::optional<std::string> pass(const std::string& kind, const std::string& category,
                                  const std::string& detail, const std::string& peer,
                                  Clock::time_point now = Clock::now());
  // Writes the summaries whose interval has passed; call it now and then.
  void flush(Clock::time_point now = Clock::now());

 private:
  struct Entry {
    Clock::time_point lastWritten;
    int suppressed = 0;
    std::string lastDetail;
  };
  Sink sink_;
  Clock::duration interval_;
  std::size_t maxEntries_;
  struct Key {
    std::string kind, category, peer;
    auto operator<=>(const Key&) const = default;
  };
  std::map<Key, Entry> entries_;
};

}  // namespace burnstation::receiver
