// One peer must not block the others: silent, slow and malformed connections against the
// real service, from raw sockets, while DCMTK's echoscu and storescu (with their own
// 5-second timeouts) must still be served at once.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "dicom_factory.h"
#include "raw_association.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;
using rawdicom::AssociateRequest;
using rawdicom::RawPeer;

// echoscu that gives up after 5 s at every step: connect, association, message.
harness::CommandResult promptEcho(const Station& station) {
  return harness::runCommand(
      {"echoscu", "-to", "5", "-ta", "5", "-td", "5", "127.0.0.1", station.portText()});
}

fs::path writeConfig(const TempDir& dir, const std::string& extra) {
  const fs::path file = dir.path() / "station.toml";
  std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                      << extra << "\n[acceptance]\nany_called_ae = true\n";
  return file;
}

using harness::eventAppears;

TEST(HostileConnections, HundredSilentConnectionsDoNotDelayANormalAssociation) {
  TempDir dir;
  Station station(dir.path() / "data");
  std::vector<std::unique_ptr<RawPeer>> silent;
  for (int i = 0; i < 100; ++i) {
    silent.push_back(std::make_unique<RawPeer>(station.port()));
    ASSERT_TRUE(silent.back()->connected()) << i;
  }
  const auto echo = promptEcho(station);
  EXPECT_EQ(echo.exitCode, 0) << echo.out << echo.err;

  testdata::InstanceSpec spec;
  spec.patientIdBytes = "SILENT-1";
  const fs::path file = testdata::writeInstance(spec, dir.path() / "sent");
  const auto store =
      harness::storescu(station.port(), {file}, {"-to", "5", "-ta", "5", "-td", "5"});
  EXPECT_EQ(store.exitCode, 0) << store.out << store.err;
  EXPECT_FALSE(harness::storedFileOf(station.dataDir(), file.stem().string()).empty());

  // The bound per address closed the oldest silent connections, not the new callers.
  EXPECT_TRUE(silent.front()->closedByPeer(5));
  EXPECT_TRUE(eventAppears(station.dataDir(), "association-dropped", "127.0.0.1")) << station.log();
}

TEST(HostileConnections, APartialRequestThenSilenceBlocksNobody) {
  TempDir dir;
  Station station(dir.path() / "data");
  RawPeer slow(station.port());
  ASSERT_TRUE(slow.send(rawdicom::encode(AssociateRequest{}).substr(0, 50)));
  const auto echo = promptEcho(station);
  EXPECT_EQ(echo.exitCode, 0) << echo.out << echo.err;
}

TEST(HostileConnections, ArtimClosesEachSilentConnectionOnItsOwn) {
  TempDir dir;
  Station station(dir.path() / "data", writeConfig(dir, "[timeouts]\nartim = 2"));
  RawPeer silent(station.port());
  RawPeer partial(station.port());
  ASSERT_TRUE(partial.send(rawdicom::encode(AssociateRequest{}).substr(0, 20)));
  EXPECT_TRUE(silent.closedByPeer(6));
  EXPECT_TRUE(partial.closedByPeer(6));
  EXPECT_TRUE(eventAppears(station.dataDir(), "association-timeout", "ARTIM")) << station.log();
  EXPECT_EQ(promptEcho(station).exitCode, 0);
}

struct Malformed {
  const char* name;
  std::string bytes;
  std::string answer;  // the 10 bytes the station must send back
};

std::vector<Malformed> malformedRequests() {
  const std::string rjCalled("\x03\x00\x00\x00\x00\x04\x00\x01\x01\x07", 10);
  const std::string rjCalling("\x03\x00\x00\x00\x00\x04\x00\x01\x01\x03", 10);
  const std::string rjNoReason("\x03\x00\x00\x00\x00\x04\x00\x01\x01\x01", 10);
  const std::string rjProtocol("\x03\x00\x00\x00\x00\x04\x00\x01\x02\x02", 10);
  const std::string abortInvalid("\x07\x00\x00\x00\x00\x04\x00\x00\x02\x06", 10);
  const std::string abortUnexpected("\x07\x00\x00\x00\x00\x04\x00\x00\x02\x02", 10);
  const std::string abortUnrecognized("\x07\x00\x00\x00\x00\x04\x00\x00\x02\x01", 10);
  std::vector<Malformed> m;
  AssociateRequest r;
  r.calledAe = "";
  m.push_back({"empty called AE", rawdicom::encode(r), rjCalled});
  m.push_back({"NUL called AE",
               rawdicom::encodeWithRawAeFields(AssociateRequest{}, std::string(16, '\0'),
                                               "ATTACKER        "),
               rjCalled});
  r = {};
  r.callingAe = "";
  m.push_back({"empty calling AE", rawdicom::encode(r), rjCalling});
  r = {};
  r.contexts.clear();
  m.push_back({"no presentation context", rawdicom::encode(r), rjNoReason});
  r = {};
  r.protocolVersion = 0;
  m.push_back({"protocol version 0", rawdicom::encode(r), rjProtocol});
  std::string badLength = rawdicom::encode(AssociateRequest{});
  badLength[74 + 2] = char(0x7f);  // the application context item now runs past the PDU
  m.push_back({"bad item length", badLength, abortInvalid});
  m.push_back({"P-DATA before association",
               std::string("\x04\x00\x00\x00\x00\x06\x00\x00\x00\x02\x01\x03", 12),
               abortUnexpected});
  m.push_back({"HTTP on the DICOM port", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", abortUnrecognized});
  m.push_back({"4 GB request", std::string("\x01\x00\xff\xff\xff\xfe", 6), abortInvalid});
  return m;
}

TEST(HostileConnections, EveryMalformedRequestIsAnsweredAndTheServiceGoesOn) {
  TempDir dir;
  Station station(dir.path() / "data");
  for (const Malformed& m : malformedRequests()) {
    SCOPED_TRACE(m.name);
    RawPeer peer(station.port());
    ASSERT_TRUE(peer.send(m.bytes));
    EXPECT_EQ(peer.receive(10, 5), m.answer);
    EXPECT_TRUE(peer.closedByPeer(5));
    EXPECT_EQ(promptEcho(station).exitCode, 0);
  }
  // What the log calls each one: a person reading it can tell a P-DATA from a bad request.
  EXPECT_TRUE(eventAppears(station.dataDir(), "association-failed", "P-DATA-TF before any"));
  EXPECT_TRUE(eventAppears(station.dataDir(), "association-failed", "an HTTP request"));
  EXPECT_TRUE(eventAppears(station.dataDir(), "association-rejected", "no presentation context"));
}

TEST(HostileConnections, ACommandSetNestedThousandsDeepIsDroppedBeforeDcmtkParsesIt) {
  TempDir dir;
  Station station(dir.path() / "data");
  RawPeer attacker(station.port());
  ASSERT_TRUE(attacker.associate(AssociateRequest{}, 5));
  const std::string command = rawdicom::nestedSequences(20000);
  for (std::size_t at = 0; at < command.size(); at += 16000) {
    if (!attacker.send(
            rawdicom::pDataPdu(1, command.substr(at, 16000), true, at + 16000 >= command.size()))) {
      break;  // the station may hang up before all of it is sent
    }
  }
  EXPECT_TRUE(attacker.closedByPeer(5));
  EXPECT_EQ(promptEcho(station).exitCode, 0) << station.log();
  EXPECT_TRUE(eventAppears(station.dataDir(), "association-failed", "outside group 0000"))
      << station.log();
}

TEST(HostileConnections, AssociationsFromOneAddressAreBounded) {
  TempDir dir;
  Station station(dir.path() / "data", writeConfig(dir, "max_associations_per_host = 1"));
  std::optional<RawPeer> holder;
  holder.emplace(station.port());
  ASSERT_TRUE(holder->send(rawdicom::encode(AssociateRequest{})));
  const std::string accepted = holder->receive(1, 5);
  ASSERT_EQ(accepted, std::string(1, '\x02')) << "expected an A-ASSOCIATE-AC";

  const auto refused = promptEcho(station);
  EXPECT_NE(refused.exitCode, 0);
  EXPECT_NE((refused.out + refused.err).find("Local Limit Exceeded"), std::string::npos)
      << refused.out << refused.err;
  EXPECT_TRUE(eventAppears(station.dataDir(), "association-rejected", "from 127.0.0.1"));

  holder.reset();  // the held association goes; its slot comes back
  bool served = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
       !served && std::chrono::steady_clock::now() < deadline;) {
    served = promptEcho(station).exitCode == 0;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace burnstation
