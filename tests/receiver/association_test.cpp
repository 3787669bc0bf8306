// Association handling against real DCMTK peers: verification, each rejection reason,
// the association limit, empty associations, the free-space reserve and live reloads
// (a really full filesystem: full_disk_test.cpp).
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/assoc.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

void writeFile(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
}

fs::path ctFile(const fs::path& dir, const std::string& patientId = "PAT-A") {
  testdata::InstanceSpec spec;
  spec.kind = testdata::Kind::CT;
  spec.patientIdBytes = patientId;
  spec.patientNameBytes = "ASSOC^TEST";
  return testdata::writeInstance(spec, dir);
}

// An association held open by this process, as a modality that is still sending would.
class HeldAssociation {
 public:
  HeldAssociation(int port, const char* calling = "HOLDER") {
    ASC_initializeNetwork(NET_REQUESTOR, 0, 10, &net_);
    ASC_createAssociationParameters(&params_, ASC_DEFAULTMAXPDU);
    ASC_setAPTitles(params_, calling, "BURNSTATION", nullptr);
    const std::string peer = "127.0.0.1:" + std::to_string(port);
    ASC_setPresentationAddresses(params_, "localhost", peer.c_str());
    const char* ts[] = {UID_LittleEndianImplicitTransferSyntax};
    ASC_addPresentationContext(params_, 1, UID_VerificationSOPClass, ts, 1);
    result_ = ASC_requestAssociation(net_, params_, &assoc_);
    if (assoc_) params_ = nullptr;  // the association owns them now
  }
  ~HeldAssociation() {
    if (assoc_) {
      if (result_.good()) ASC_releaseAssociation(assoc_);
      ASC_destroyAssociation(&assoc_);
    } else if (params_) {
      ASC_destroyAssociationParameters(&params_);
    }
    ASC_dropNetwork(&net_);
  }
  bool accepted() const { return result_.good(); }
  void abort() {
    ASC_abortAssociation(assoc_);
    ASC_destroyAssociation(&assoc_);
    assoc_ = nullptr;
  }
  void release() {
    ASC_releaseAssociation(assoc_);
    ASC_destroyAssociation(&assoc_);
    assoc_ = nullptr;
  }

 private:
  T_ASC_Network* net_ = nullptr;
  T_ASC_Parameters* params_ = nullptr;
  T_ASC_Association* assoc_ = nullptr;
  OFCondition result_;
};

const char* kInstalledConfig = R"(
[station]
ae_title = "BURNSTATION"
max_associations = 1
free_space_reserve = 0

[[remote]]
ae_title = "MODALITY1"
host = "127.0.0.1"

[[remote]]
ae_title = "HOLDER"

[[remote]]
ae_title = "FARAWAY"
host = "192.0.2.44"
)";

TEST(Association, BuiltInDefaultsAnswerAnyTitleAndSaySo) {
  TempDir dir;
  Station station(dir.path() / "data", std::nullopt, {}, Station::Config::BuiltInDefaults);
  const auto r = harness::runCommand(
      {"echoscu", "-aet", "ANY_CALLER", "-aec", "ANY_TITLE", "127.0.0.1", station.portText()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(station.log().find("no configuration file: accepting any called and calling AE title"),
            std::string::npos)
      << station.log();
}

TEST(Association, EachRejectionReasonReachesTheSender) {
  TempDir dir;
  writeFile(dir.path() / "station.toml", kInstalledConfig);
  Station station(dir.path() / "data", dir.path() / "station.toml");
  const fs::path file = ctFile(dir.path());

  const auto called = harness::storescu(station.port(), {file}, {}, "MODALITY1", "NOT_US");
  EXPECT_NE(called.exitCode, 0);
  EXPECT_NE(called.err.find("Called AE Title Not Recognized"), std::string::npos) << called.err;

  const auto calling = harness::storescu(station.port(), {file}, {}, "STRANGER");
  EXPECT_NE(calling.exitCode, 0);
  EXPECT_NE(calling.err.find("Calling AE Title Not Recognized"), std::string::npos) << calling.err;

  const auto host = harness::storescu(station.port(), {file}, {}, "FARAWAY");
  EXPECT_NE(host.exitCode, 0);
  EXPECT_NE(host.err.find("Calling AE Title Not Recognized"), std::string::npos) << host.err;

  {
    HeldAssociation busy(station.port());
    ASSERT_TRUE(busy.accepted());
    const auto full = harness::storescu(station.port(), {file});
    EXPECT_NE(full.exitCode, 0);
    EXPECT_NE(full.err.find("Local Limit Exceeded"), std::string::npos) << full.err;
  }
  EXPECT_EQ(harness::queryIndex(station.dataDir(),
                                "SELECT count(*) FROM events WHERE kind = 'association-rejected'"),
            "4");
  // The slot is free again once the holder released it.
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (harness::storescu(station.port(), {file}).exitCode == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(harness::storedFileOf(station.dataDir(), file.stem().string()).empty());
}

TEST(Association, EmptyAssociationIsNotAnError) {
  TempDir dir;
  Station station(dir.path() / "data");
  for (int i = 0; i < 3; ++i) {
    HeldAssociation lifeCheck(station.port(), "CANON_LIFE");
    ASSERT_TRUE(lifeCheck.accepted());
    lifeCheck.release();
  }
  const auto echo = harness::runCommand({"echoscu", "127.0.0.1", station.portText()});
  EXPECT_EQ(echo.exitCode, 0);
  EXPECT_EQ(harness::queryIndex(station.dataDir(),
                                "SELECT count(*) FROM events WHERE kind LIKE 'association-%'"),
            "0");
}

TEST(Association, BelowTheFreeSpaceReserveStoreAnswersA700AndKeepsWhatItHas) {
  TempDir dir;
  const fs::path config = dir.path() / "station.toml";
  writeFile(config, "[station]\nfree_space_reserve = 0\n");
  Station station(dir.path() / "data", config);
  const fs::path first = ctFile(dir.path() / "a");
  ASSERT_EQ(harness::testScuStatuses(station.port(), {first}).at(first.string()), "0000");

  // No tmpfs is needed: a reserve above the filesystem's free space is the same condition
  // for the receiver, which reads the free space with statvfs before and after each file.
  writeFile(config, "[station]\nfree_space_reserve = \"1000T\"\n");
  std::string status;
  const fs::path second = ctFile(dir.path() / "b");
  for (int attempt = 0; attempt < 100 && status != "A700"; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the reload is polled
    const fs::path probe = ctFile(dir.path() / ("p" + std::to_string(attempt)));
    status = harness::testScuStatuses(station.port(), {probe}).at(probe.string());
  }
  ASSERT_EQ(status, "A700") << station.log();
  EXPECT_EQ(harness::testScuStatuses(station.port(), {second}).at(second.string()), "A700");
  EXPECT_TRUE(harness::storedFileOf(station.dataDir(), second.stem().string()).empty());
  EXPECT_TRUE(testdata::datasetBytesOf(harness::storedFileOf(
                  station.dataDir(), first.stem().string())) == testdata::datasetBytesOf(first));
  EXPECT_TRUE(harness::filesEndingWith(station.dataDir() / "incoming", ".part").empty());
}

TEST(Association, BadReloadKeepsTheLastGoodConfiguration) {
  TempDir dir;
  const fs::path config = dir.path() / "station.toml";
  writeFile(config, "[station]\nae_title = \"BURNSTATION\"\n");
  Station station(dir.path() / "data", config);
  writeFile(config, "[station]\nae_title = \"BURNSTATION\"\nmax_associations = \"many\"\n");
  std::string log;
  for (int i = 0; i < 100 && log.find("not reloaded") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    log = station.log();
  }
  EXPECT_NE(log.find("station.toml:3: max_associations must be a whole number"), std::string::npos)
      << log;
  const auto echo =
      harness::runCommand({"echoscu", "-aec", "BURNSTATION", "127.0.0.1", station.portText()});
  EXPECT_EQ(echo.exitCode, 0);
}

// Polls the event log until an event of this kind exists (the service logs asynchronously).
bool eventually(const fs::path& dataDir, const std::string& kind) {
  return harness::eventAppears(dataDir, kind);
}

TEST(Association, OurImplementationIdentityIsOnTheWire) {
  TempDir dir;
  Station station(dir.path() / "data");
  const auto r = harness::runCommand({"echoscu", "-d", "127.0.0.1", station.portText()});
  ASSERT_EQ(r.exitCode, 0);
  const std::string log = r.out + r.err;
  EXPECT_NE(
      log.find("Their Implementation Class UID:    2.25.208255112697107640800492106849300800605"),
      std::string::npos)
      << log.substr(0, 3000);
  EXPECT_NE(log.find("Their Implementation Version Name: BURNSTATION_010"), std::string::npos);
}

TEST(Association, SilentClientIsDroppedAfterArtimAndTheServiceGoesOn) {
  TempDir dir;
  writeFile(dir.path() / "station.toml",
            "[timeouts]\nartim = 1\n[acceptance]\nany_called_ae = true\n");
  Station station(dir.path() / "data", dir.path() / "station.toml");
  const int silent = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(station.port()));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  ASSERT_EQ(connect(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_TRUE(eventually(station.dataDir(), "association-timeout")) << station.log();
  close(silent);
  EXPECT_EQ(harness::runCommand({"echoscu", "127.0.0.1", station.portText()}).exitCode, 0);
}

TEST(Association, IdleAndAbortedAssociationsAreDroppedAndTheServiceGoesOn) {
  TempDir dir;
  writeFile(dir.path() / "station.toml",
            "[timeouts]\nidle = 1\n[acceptance]\nany_called_ae = true\n");
  Station station(dir.path() / "data", dir.path() / "station.toml");
  HeldAssociation idle(station.port());
  ASSERT_TRUE(idle.accepted());
  EXPECT_TRUE(eventually(station.dataDir(), "association-timeout")) << station.log();
  {
    HeldAssociation aborted(station.port());
    ASSERT_TRUE(aborted.accepted());
    aborted.abort();
  }
  EXPECT_EQ(harness::runCommand({"echoscu", "127.0.0.1", station.portText()}).exitCode, 0);
}

}  // namespace
}  // namespace burnstation
