// The event throttle under a flood from many addresses: what it keeps and what it writes
// stay bounded, and the hosts beyond the bound are still counted.
#include "event_throttle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace burnstation::receiver {
namespace {

TEST(EventThrottle, AFloodFromManyHostsIsBoundedAndStillCounted) {
  std::vector<std::string> written;
  EventThrottle throttle(
      [&](const std::string& kind, const std::string& detail, const std::string& peer) {
        written.push_back(kind + "|" + peer + "|" + detail);
      },
      std::chrono::seconds(10), 16);
  const auto t0 = EventThrottle::Clock::now();
  for (int i = 0; i < 10'000; ++i) {
    const std::string peer = "10." + std::to_string(i / 65536) + "." +
                             std::to_string(i / 256 % 256) + "." + std::to_string(i % 256);
    throttle.report("association-timeout", "ARTIM", "silent", peer, t0);
  }
  // Sixteen hosts told apart, then one event for all the others: not 10,000 commits.
  ASSERT_EQ(written.size(), 17u);
  EXPECT_NE(written[16].find("10.0.0.16, one of more hosts"), std::string::npos) << written[16];
  // A host already known keeps its own entry.
  throttle.report("association-timeout", "ARTIM", "silent", "10.0.0.3", t0);
  EXPECT_EQ(written.size(), 17u);
  throttle.flush(t0 + std::chrono::seconds(11));
  ASSERT_EQ(written.size(), 19u);
  std::size_t summaries = 0;
  for (std::size_t i = 17; i < written.size(); ++i) {
    if (written[i].find("|many hosts|9983 more like this") != std::string::npos) ++summaries;
    if (written[i].find("|10.0.0.3|1 more like this") != std::string::npos) ++summaries;
  }
  EXPECT_EQ(summaries, 2u);
  // Everything flushed is forgotten: a new interval starts with room for new hosts.
  throttle.report("association-timeout", "ARTIM", "silent", "192.0.2.1",
                  t0 + std::chrono::seconds(12));
  ASSERT_EQ(written.size(), 20u);
  EXPECT_NE(written[19].find("|192.0.2.1|silent"), std::string::npos) << written[19];
}

}  // namespace
}  // namespace burnstation::receiver
