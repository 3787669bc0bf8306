// A data set that is well formed element by element but that the header reader refuses is
// answered C000 with the reader's reason, in the Error Comment and in the event log, and
// without the name of the service's temporary file.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

// One Explicit VR Little Endian element with a short length.
std::string element(std::uint16_t group, std::uint16_t number, const char* vr, std::string v) {
  if (v.size() % 2) v += (std::string(vr) == "UI" ? '\0' : ' ');
  std::string out;
  for (std::uint16_t word : {group, number}) {
    out += static_cast<char>(word & 0xff);
    out += static_cast<char>(word >> 8);
  }
  out += vr;
  out += static_cast<char>(v.size() & 0xff);
  out += static_cast<char>(v.size() >> 8);
  return out + v;
}

TEST(ParseReason, ReachesTheErrorCommentAndTheEventLog) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  // The request names the instance; the data set has no SOP Instance UID of its own.
  const std::string dataset = element(0x0008, 0x0016, "UI", UID_SecondaryCaptureImageStorage) +
                              element(0x0010, 0x0010, "PN", "NO^UID") +
                              element(0x0010, 0x0020, "LO", "NOUID-1");
  const fs::path file = dir.path() / "no-uid.dcm";
  testdata::writeRawDatasetFile(file, UID_SecondaryCaptureImageStorage, uid,
                                UID_LittleEndianExplicitTransferSyntax, dataset);

  const auto r = harness::runCommand(
      {harness::testScuExe(), "--host", "127.0.0.1", "--port", station.portText(), "--aet",
       "MODALITY1", "--aec", "BURNSTATION", "--raw", file.string()},
      {}, 60);
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  std::string status, comment;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (auto at = line.rfind(" status="); at != std::string::npos) status = line.substr(at + 8);
    if (auto at = line.find(" comment="); at != std::string::npos) comment = line.substr(at + 9);
  }
  EXPECT_EQ(status, "C000");
  const std::string reason = "no SOP Class UID or SOP Instance UID";
  EXPECT_EQ(comment, "data set cannot be parsed: " + reason);
  EXPECT_TRUE(harness::eventAppears(station.dataDir(), "store-refused", reason))
      << harness::queryIndex(station.dataDir(), "SELECT kind, detail FROM events");
  EXPECT_EQ(
      harness::queryIndex(station.dataDir(), "SELECT count(*) FROM events WHERE instr(detail, '" +
                                                 station.dataDir().string() + "') > 0"),
      "0");
}

}  // namespace
}  // namespace burnstation
