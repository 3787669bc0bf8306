// Data sets that are not what they claim, sent to the real service as raw PDVs: nesting
// deep enough to overflow DCMTK's recursive parser, Pixel Data shorter than declared, 2 GB
// and 4 GB-2 declared lengths. Each is answered C000 with a reason, nothing is kept, and the
// service goes on answering. A stored file damaged later is found by `check` and by start-up
// recovery.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;

// --- Explicit VR Little Endian by hand -------------------------------------------------------

std::string le16(std::uint16_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8)};
}
std::string le32(std::uint32_t v) {
  return le16(static_cast<std::uint16_t>(v)) + le16(static_cast<std::uint16_t>(v >> 16));
}
std::string tag(std::uint32_t t) {
  return le16(static_cast<std::uint16_t>(t >> 16)) + le16(static_cast<std::uint16_t>(t));
}
std::string shortEl(std::uint32_t t, const char* vr, std::string v) {
  if (v.size() % 2) v += (std::string(vr) == "UI" ? '\0' : ' ');
  return tag(t) + vr + le16(static_cast<std::uint16_t>(v.size())) + v;
}
std::string longHeader(std::uint32_t t, const char* vr, std::uint32_t length) {
  return tag(t) + vr + le16(0) + le32(length);
}

std::string basics(const std::string& uid) {
  return shortEl(0x00080016, "UI", UID_SecondaryCaptureImageStorage) +
         shortEl(0x00080018, "UI", uid) + shortEl(0x00100010, "PN", "HOSTILE^TEST") +
         shortEl(0x00100020, "LO", "HOSTILE-1") + shortEl(0x0020000D, "UI", "1.2.3.4.100") +
         shortEl(0x0020000E, "UI", "1.2.3.4.101");
}

std::string nested(const std::string& uid, int depth) {
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open += longHeader(0x00081115, "SQ", 0xFFFFFFFF) + tag(0xFFFEE000) + le32(0xFFFFFFFF);
    close += tag(0xFFFEE00D) + le32(0) + tag(0xFFFEE0DD) + le32(0);
  }
  return basics(uid) + open + shortEl(0x00081150, "UI", "1.2.3") + close;
}

fs::path rawFile(const fs::path& dir, const std::string& name, const std::string& uid,
                 const std::string& dataset) {
  const fs::path file = dir / (name + ".dcm");
  testdata::writeRawDatasetFile(file, UID_SecondaryCaptureImageStorage, uid,
                                UID_LittleEndianExplicitTransferSyntax, dataset);
  return file;
}

struct Answer {
  std::string status, comment;
};

// bs_test_scu with the data set as raw PDVs; its status and Error Comment.
Answer sendRaw(const Station& station, const fs::path& file) {
  const auto r = harness::runCommand({harness::testScuExe(), "--host", "127.0.0.1", "--port",
                                      station.portText(), "--aet", "MODALITY1", "--aec",
                                      "BURNSTATION", "--raw", file.string()});
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  Answer a;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (auto at = line.rfind(" status="); at != std::string::npos) a.status = line.substr(at + 8);
    if (auto at = line.find(" comment="); at != std::string::npos) a.comment = line.substr(at + 9);
  }
  return a;
}

void expectNothingKept(const Station& station, const std::string& uid) {
  EXPECT_TRUE(harness::filesEndingWith(station.dataDir() / "objects", "").empty());
  EXPECT_EQ(
      harness::queryIndex(station.dataDir(),
                          "SELECT count(*) FROM instances WHERE sop_instance_uid = '" + uid + "'"),
      "0");
  std::error_code ec;
  EXPECT_TRUE(fs::is_empty(station.dataDir() / "incoming", ec)) << ec.message();
}

// The service still answers C-ECHO and stores a normal instance.
void expectStillServing(const Station& station, const fs::path& dir) {
  const auto echo = harness::runCommand(
      {"echoscu", "-to", "5", "-aec", "BURNSTATION", "127.0.0.1", station.portText()});
  EXPECT_EQ(echo.exitCode, 0) << echo.err;
  testdata::InstanceSpec spec;
  spec.sopInstanceUid = testdata::newUid();
  const fs::path good = testdata::writeInstance(spec, dir);
  EXPECT_EQ(harness::testScuStatuses(station.port(), {good}).at(good.string()), "0000");
  EXPECT_EQ(harness::queryIndex(station.dataDir(),
                                "SELECT count(*) FROM instances WHERE sop_instance_uid = '" +
                                    spec.sopInstanceUid + "'"),
            "1");
}

TEST(HostileDataSets, TenThousandLevelsOfNestingAreRefusedAndTheServiceGoesOn) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  const auto answer = sendRaw(station, rawFile(dir.path(), "deep", uid, nested(uid, 10000)));
  EXPECT_EQ(answer.status, "C000");
  EXPECT_EQ(answer.comment, "sequences nested deeper than 64 levels at (0008,1115)");
  ASSERT_TRUE(station.running());
  expectNothingKept(station, uid);
  EXPECT_EQ(harness::queryIndex(station.dataDir(),
                                "SELECT count(*) FROM events WHERE kind = 'malformed-data-set' "
                                "AND detail LIKE '" +
                                    uid + ": %nested deeper than 64 levels%'"),
            "1");
  expectStillServing(station, dir.path());
}

TEST(HostileDataSets, FiveThousandLevelsAreBeyondTheLimitToo) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  const auto answer = sendRaw(station, rawFile(dir.path(), "deep", uid, nested(uid, 5000)));
  EXPECT_EQ(answer.status, "C000");
  expectNothingKept(station, uid);
  expectStillServing(station, dir.path());
}

TEST(HostileDataSets, NestingWithinTheLimitIsStored) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  EXPECT_EQ(sendRaw(station, rawFile(dir.path(), "deep", uid, nested(uid, 64))).status, "0000");
}

// A data set that begins with a File Meta element of its own (here a Transfer Syntax UID
// naming Deflate) is stored as it came, read with the syntax the association negotiated, as
// DCMTK reads it: the scan once took the peer's element for ours and refused the instance.
TEST(HostileDataSets, AFileMetaElementInTheDataSetDoesNotChangeItsEncoding) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  const std::string dataset = shortEl(0x00020010, "UI", "1.2.840.10008.1.2.1.99") + basics(uid);
  EXPECT_EQ(sendRaw(station, rawFile(dir.path(), "meta-in-data", uid, dataset)).status, "0000");
  EXPECT_EQ(
      harness::queryIndex(station.dataDir(),
                          "SELECT count(*) FROM instances WHERE sop_instance_uid = '" + uid + "'"),
      "1");
}

TEST(HostileDataSets, TheDepthLimitIsASetting) {
  TempDir dir;
  const fs::path config = dir.path() / "station.toml";
  std::ofstream(config) << "[station]\nfree_space_reserve = \"50M\"\nmax_nesting_depth = 100\n"
                           "[acceptance]\nany_called_ae = true\n";
  Station station(dir.path() / "data", config);
  const std::string deep = testdata::newUid(), deeper = testdata::newUid();
  EXPECT_EQ(sendRaw(station, rawFile(dir.path(), "deep", deep, nested(deep, 100))).status, "0000");
  const auto refused = sendRaw(station, rawFile(dir.path(), "deeper", deeper, nested(deeper, 101)));
  EXPECT_EQ(refused.status, "C000");
  EXPECT_EQ(refused.comment, "sequences nested deeper than 100 levels at (0008,1115)");

  std::ofstream(config) << "[station]\nmax_nesting_depth = 5000\n";
  const auto check = harness::burnstation(
      {"check", "--config", config.string(), "--data-dir", (dir.path() / "data").string()});
  EXPECT_NE(check.exitCode, 0);
  EXPECT_NE(check.err.find("max_nesting_depth"), std::string::npos) << check.err;
}

struct Truncation {
  const char* name;
  std::string (*dataset)(const std::string& uid);
  const char* comment;
};

void PrintTo(const Truncation& t, std::ostream* os) {
  *os << t.name;
}

class TruncatedDataSets : public testing::TestWithParam<Truncation> {};

TEST_P(TruncatedDataSets, AreRefusedAndNothingIsKept) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  const auto answer =
      sendRaw(station, rawFile(dir.path(), GetParam().name, uid, GetParam().dataset(uid)));
  EXPECT_EQ(answer.status, "C000");
  EXPECT_EQ(answer.comment, GetParam().comment);
  expectNothingKept(station, uid);
  expectStillServing(station, dir.path());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TruncatedDataSets,
    testing::Values(Truncation{"pixel_data_short",
                               [](const std::string& uid) {
                                 return basics(uid) + longHeader(0x7FE00010, "OW", 524288) +
                                        std::string(1200, 'p');
                               },
                               "element (7FE0,0010) declares 524288 bytes but only 1200 follow"},
                    Truncation{"declared_2_gb",
                               [](const std::string& uid) {
                                 return basics(uid) + longHeader(0x7FE00010, "OB", 0x80000000u) +
                                        "abcd";
                               },
                               "element (7FE0,0010) declares 2147483648 bytes but only 4 follow"},
                    Truncation{"declared_4_gb_minus_2",
                               [](const std::string& uid) {
                                 return basics(uid) + longHeader(0x7FE00010, "OB", 0xFFFFFFFEu) +
                                        "ab";
                               },
                               "element (7FE0,0010) declares 4294967294 bytes but only 2 follow"}),
    [](const auto& info) { return std::string(info.param.name); });

// DCMTK 3.6.7 throws std::out_of_range for a Directory Record Type over 32 bytes (found by
// fuzzing). After Pixel Data, where the header parse never looks, it would be stored and
// throw later, in any full parse of the stored file.
TEST(HostileDataSets, ADirectoryRecordThatMakesDcmtkThrowIsRefused) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  const std::string trap = longHeader(0x00041220, "SQ", 0xFFFFFFFF) + tag(0xFFFEE000) +
                           le32(0xFFFFFFFF) + shortEl(0x00041430, "CS", std::string(40, 'A')) +
                           tag(0xFFFEE00D) + le32(0) + tag(0xFFFEE0DD) + le32(0);
  const auto answer =
      sendRaw(station, rawFile(dir.path(), "trap", uid,
                               basics(uid) + longHeader(0x7FE00010, "OW", 8) + "pixels.." + trap));
  EXPECT_EQ(answer.status, "C000");
  EXPECT_EQ(answer.comment, "Directory Record Type (0004,1430) is longer than 16 bytes");
  expectNothingKept(station, uid);
  expectStillServing(station, dir.path());
}

// --- Damage found in the store later -----------------------------------------------------------

// Makes the stored file's Pixel Data declare more bytes than follow, keeping its size.
void damagePixelDataLength(const fs::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const std::string header = tag(0x7FE00010) + "OW" + le16(0);
  const auto at = bytes.rfind(header);
  ASSERT_NE(at, std::string::npos);
  f.seekp(static_cast<std::streamoff>(at + header.size()));
  f.write(le32(0x7FFFFFFE).data(), 4);
}

fs::path storedPath(const fs::path& dataDir, const std::string& uid) {
  return dataDir / harness::queryIndex(dataDir,
                                       "SELECT path FROM instances WHERE "
                                       "sop_instance_uid = '" +
                                           uid + "'");
}

TEST(DamagedStore, CheckReportsAStoredFileWhoseElementsRunPastItsEnd) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  testdata::InstanceSpec spec;
  spec.sopInstanceUid = testdata::newUid();
  const fs::path good = testdata::writeInstance(spec, dir.path());
  {
    Station station(data);
    ASSERT_EQ(harness::testScuStatuses(station.port(), {good}).at(good.string()), "0000");
  }
  ASSERT_EQ(harness::burnstation({"check", "--data-dir", data.string()}).exitCode, 0);

  damagePixelDataLength(storedPath(data, spec.sopInstanceUid));
  const auto damaged = harness::burnstation({"check", "--data-dir", data.string()});
  EXPECT_NE(damaged.exitCode, 0);
  EXPECT_NE((damaged.out + damaged.err).find("is malformed: element (7FE0,0010) declares"),
            std::string::npos)
      << damaged.out << damaged.err;

  // Cut short by hand too: reported, whatever else is said about its size.
  const fs::path file = storedPath(data, spec.sopInstanceUid);
  fs::resize_file(file, fs::file_size(file) - 100);
  const auto cut = harness::burnstation({"check", "--data-dir", data.string()});
  EXPECT_NE(cut.exitCode, 0);
  EXPECT_NE((cut.out + cut.err).find(fs::relative(file, data).generic_string()), std::string::npos);
}

TEST(DamagedStore, RecoveryQuarantinesAMalformedFileInsteadOfIndexingIt) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  testdata::InstanceSpec spec;
  spec.sopInstanceUid = testdata::newUid();
  const fs::path good = testdata::writeInstance(spec, dir.path());
  {
    Station station(data);
    ASSERT_EQ(harness::testScuStatuses(station.port(), {good}).at(good.string()), "0000");
  }
  // As after a crash between rename and commit: a file without its index row, here damaged.
  const fs::path file = storedPath(data, spec.sopInstanceUid);
  damagePixelDataLength(file);
  harness::queryIndex(data,
                      "PRAGMA foreign_keys=OFF; DELETE FROM instances WHERE "
                      "sop_instance_uid = '" +
                          spec.sopInstanceUid + "'");
  Station station(data);
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(harness::queryIndex(data, "SELECT count(*) FROM instances"), "0");
  EXPECT_EQ(harness::queryIndex(data,
                                "SELECT count(*) FROM events WHERE kind = 'quarantined' "
                                "AND detail LIKE '%malformed: element (7FE0,0010)%'"),
            "1");
  EXPECT_FALSE(harness::filesEndingWith(data / "quarantine", "").empty());
}

}  // namespace
}  // namespace burnstation
