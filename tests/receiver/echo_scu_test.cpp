// The station's C-ECHO SCU against real peers: DCMTK's storescp answering, refusing and
// rejecting, our own service rejecting an AE title it does not answer to, a closed port and
// a peer that never answers. Each outcome comes back as a result with a sentence, in bounded
// time.
#include <gtest/gtest.h>

#include <fstream>

#include "burnstation/receiver/echo_scu.h"
#include "dicom_peer.h"
#include "station_harness.h"

namespace burnstation {
namespace {

using harness::TempDir;
using receiver::echo;
using receiver::EchoResult;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(EchoScu, StorescpAnswersWithSuccess) {
  TempDir dir;
  harness::StoreScp peer(dir.path(), "PEER");
  const EchoResult r = echo({"BURNSTATION", "PEER", "127.0.0.1", peer.port()});
  EXPECT_TRUE(r.ok) << r.detail;
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(*r.status, 0x0000);
  EXPECT_TRUE(contains(r.detail, "success")) << r.detail;
}

TEST(EchoScu, AClosedPortIsRefusedAtOnce) {
  const int port = harness::freePort();  // nothing listens there
  const EchoResult r = echo({"BURNSTATION", "PEER", "127.0.0.1", port});
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.status.has_value());
  EXPECT_TRUE(contains(r.detail, "refused")) << r.detail;
  EXPECT_LT(r.elapsed.count(), 3000);
}

TEST(EchoScu, ARefusingStorescpRejectsTheAssociation) {
  TempDir dir;
  harness::StoreScp peer(dir.path(), "PEER", {"--refuse"});
  const EchoResult r = echo({"BURNSTATION", "PEER", "127.0.0.1", peer.port()});
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.status.has_value());
  EXPECT_TRUE(contains(r.detail, "rejected the association")) << r.detail;
}

TEST(EchoScu, OurServiceRejectsACalledAeTitleItDoesNotAnswerTo) {
  TempDir dir;
  {
    std::ofstream config(dir.path() / "station.toml");
    config << "[station]\nae_title = \"BURNSTATION\"\nfree_space_reserve = 0\n";
  }
  harness::Station station(dir.path() / "data", dir.path() / "station.toml");
  const EchoResult wrong = echo({"ECHOTEST", "SOMEONE_ELSE", "127.0.0.1", station.port()});
  EXPECT_FALSE(wrong.ok);
  EXPECT_TRUE(contains(wrong.detail, "does not know the AE title we called it by")) << wrong.detail;
  const EchoResult right = echo({"ECHOTEST", "BURNSTATION", "127.0.0.1", station.port()});
  EXPECT_TRUE(right.ok) << right.detail;
}

TEST(EchoScu, ASilentPeerCostsSecondsNotMinutes) {
  harness::SilentListener peer;
  receiver::EchoTimeouts timeouts;
  timeouts.associationSeconds = 2;
  const EchoResult r = echo({"BURNSTATION", "PEER", "127.0.0.1", peer.port()}, timeouts);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.detail, "no answer")) << r.detail;
  EXPECT_GE(r.elapsed.count(), 1500);
  EXPECT_LT(r.elapsed.count(), 8000);
}

TEST(EchoScu, AnUnknownHostNameIsSaidSo) {
  const EchoResult r = echo({"BURNSTATION", "PEER", "no-such-host.invalid", 104});
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.detail.empty());
  EXPECT_LT(r.elapsed.count(), 15000);
}

}  // namespace
}  // namespace burnstation
