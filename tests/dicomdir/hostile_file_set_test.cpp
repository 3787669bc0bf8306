// Reading back a file-set someone brings (FSR): a DICOMDIR or a referenced file whose bytes
// are malformed is reported as a problem of the file-set, never handed to DCMTK's parser.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "burnstation/dicomdir/file_set.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

std::string le16(std::uint16_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8)};
}
std::string le32(std::uint32_t v) {
  return le16(static_cast<std::uint16_t>(v)) + le16(static_cast<std::uint16_t>(v >> 16));
}
std::string tag(std::uint32_t t) {
  return le16(static_cast<std::uint16_t>(t >> 16)) + le16(static_cast<std::uint16_t>(t));
}

// A directory record sequence whose first record holds sequences nested `depth` deep.
std::string deepDicomdir(int depth) {
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open +=
        tag(0x00081115) + "SQ" + le16(0) + le32(0xFFFFFFFF) + tag(0xFFFEE000) + le32(0xFFFFFFFF);
    close += tag(0xFFFEE00D) + le32(0) + tag(0xFFFEE0DD) + le32(0);
  }
  return tag(0x00041220) + "SQ" + le16(0) + le32(0xFFFFFFFF) + tag(0xFFFEE000) + le32(0xFFFFFFFF) +
         open + close + tag(0xFFFEE00D) + le32(0) + tag(0xFFFEE0DD) + le32(0);
}

TEST(HostileFileSet, ADicomdirNestedTenThousandDeepIsReportedNotParsed) {
  harness::TempDir dir;
  testdata::writeRawDatasetFile(dir.path() / "DICOMDIR", UID_MediaStorageDirectoryStorage,
                                testdata::newUid(), UID_LittleEndianExplicitTransferSyntax,
                                deepDicomdir(10000));
  const auto check = dicomdir::checkFileSet(dir.path());
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.problems.front().rfind("DICOMDIR is malformed: sequences nested deeper than 64 "
                                         "levels at (0008,1115)",
                                         0),
            0u)
      << check.problems.front();
  try {
    dicomdir::referencedFileIds(dir.path() / "DICOMDIR");
    ADD_FAILURE() << "a malformed DICOMDIR was read";
  } catch (const dicomdir::FileSetError& e) {
    EXPECT_NE(std::string(e.what()).find("malformed"), std::string::npos) << e.what();
  }
}

TEST(HostileFileSet, ATruncatedDicomdirIsReported) {
  harness::TempDir dir;
  testdata::writeRawDatasetFile(dir.path() / "DICOMDIR", UID_MediaStorageDirectoryStorage,
                                testdata::newUid(), UID_LittleEndianExplicitTransferSyntax,
                                tag(0x00041220) + "SQ" + le16(0) + le32(100000) + "ab");
  const auto check = dicomdir::checkFileSet(dir.path());
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.problems.front().find("declares 100000 bytes but only 2 follow"),
            std::string::npos)
      << check.problems.front();
}

}  // namespace
}  // namespace burnstation
