// A flood of well-formed requests the policy refuses (wrong called AE title): every caller
// still hears its A-ASSOCIATE-RJ, but the event log gets one event and a summary per host
// and reason, not one index commit per connection.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "raw_association.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using rawdicom::AssociateRequest;
using rawdicom::RawPeer;

TEST(RejectionFlood, RefusedRequestsAreAnsweredAndTheirEventsSummarised) {
  harness::TempDir dir;
  const fs::path config = dir.path() / "station.toml";
  std::ofstream(config) << "[station]\nae_title = \"BURNSTATION\"\nfree_space_reserve = 0\n";
  harness::Station station(dir.path() / "data", config);
  const int refusals = 40;
  AssociateRequest request;
  request.calledAe = "NOT_US";
  for (int i = 0; i < refusals; ++i) {
    RawPeer peer(station.port());
    ASSERT_TRUE(peer.send(rawdicom::encode(request)));
    // Every one is told why: A-ASSOCIATE-RJ, called AE title not recognised (1/1/7).
    const std::string answer = peer.receive(10, 5);
    ASSERT_EQ(answer.size(), 10u) << "connection " << i;
    EXPECT_EQ(answer[0], '\x03');
    EXPECT_EQ(answer[9], '\x07');
  }
  const auto count = [&] {
    return std::stoi(harness::queryIndex(
        station.dataDir(), "SELECT count(*) FROM events WHERE kind = 'association-rejected'"));
  };
  const int written = count();
  EXPECT_GE(written, 1);
  EXPECT_LE(written, 6) << "one index commit per refused connection";
  // The ones held back are owed as a summary: written at the latest when the service stops.
  station.stop();
  EXPECT_NE(harness::queryIndex(station.dataDir(),
                                "SELECT count(*) FROM events WHERE kind = 'association-rejected' "
                                "AND instr(detail, 'more like this') > 0"),
            "0");
}

}  // namespace
}  // namespace burnstation
