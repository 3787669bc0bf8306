// A file-set update (FSU) that fails half-way gives the medium back as it was: the original
// DICOMDIR byte for byte, no new files, no working copies. The failure is a medium out of
// room for even one more file (a tmpfs whose inodes run out while the new study's folders
// are made), the case in which writing a restore copy at the end cannot succeed.
#include <gtest/gtest.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <fstream>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/store/instance_header.h"
#include "burnstation/store/store.h"
#include "dicom_factory.h"
#include "small_filesystem.h"
#include "station_harness.h"

namespace burnstation::dicomdir {
namespace {

namespace fs = std::filesystem;

std::string bytesOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> filesBelow(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) names.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class FsuRollback : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<store::Store>(store::StoreOptions{dir.path() / "data"},
                                            store::Store::Access::Service);
  }

  void receiveStudy(const std::string& studyUid, int count) {
    const std::string seriesUid = testdata::newUid();
    for (int i = 1; i <= count; ++i) {
      testdata::InstanceSpec spec;
      spec.patientIdBytes = "P1";
      spec.patientNameBytes = "ROLLBACK^TEST";
      spec.studyInstanceUid = studyUid;
      spec.seriesInstanceUid = seriesUid;
      spec.instanceNumber = std::to_string(i);
      spec.seed = static_cast<unsigned>(i + 10 * count + static_cast<int>(studyUid.size()));
      const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
      const fs::path temp = store_->temporaryPath();
      fs::copy_file(made, temp);
      store_->ingest(temp, store::readInstanceHeader(temp),
                     store::IngestSource{"CT01", "BURNSTATION", "127.0.0.1", ""});
    }
  }

  harness::TempDir dir;
  std::unique_ptr<store::Store> store_;
};

TEST_F(FsuRollback, AnUpdateThatRunsOutOfRoomLeavesTheOriginalDicomdirByteIdentical) {
  const std::string firstStudy = testdata::newUid();
  receiveStudy(firstStudy, 2);
  harness::SmallFilesystem stick(dir.path() / "stick", "20m");
  const fs::path root = stick.path();
  {
    const store::Selection first = store_->select({"P1", {}});
    ASSERT_EQ(first.instances.size(), 2u);
    writeFileSet(first, {0, 1}, std::vector<MediaForm>(2), root, newFileSetId(1), "BURNSTATION");
  }
  const std::string original = bytesOf(root / "DICOMDIR");
  const std::vector<std::string> filesBefore = filesBelow(root);
  ASSERT_FALSE(original.empty());

  receiveStudy(testdata::newUid(), 2);
  const store::Selection both = store_->select({"P1", {}});
  ASSERT_EQ(both.instances.size(), 4u);
  // Two more files or folders fit: the new study's folders take them, its first file fails.
  struct statvfs info {};
  ASSERT_EQ(::statvfs(root.c_str(), &info), 0);
  const auto used = info.f_files - info.f_ffree;
  const auto remount = harness::runCommand(
      {"mount", "-o", "remount,nr_inodes=" + std::to_string(used + 2), "tmpfs", root.string()});
  ASSERT_EQ(remount.exitCode, 0) << remount.err;

  try {
    updateFileSet(both, {0, 1, 2, 3}, std::vector<MediaForm>(4), root, "BURNSTATION");
    FAIL() << "the update succeeded on a medium with no room";
  } catch (const FileSetError& e) {
    EXPECT_EQ(e.code(), FileSetError::Code::Target) << e.what();
  }
  EXPECT_TRUE(bytesOf(root / "DICOMDIR") == original)
      << "the DICOMDIR changed (" << bytesOf(root / "DICOMDIR").size() << " bytes, was "
      << original.size() << ")";
  EXPECT_EQ(filesBelow(root), filesBefore);
  const FileSetCheck check = checkFileSet(root);
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
  EXPECT_EQ(check.entries.size(), 2u);
}

// When even the copy of the DICOMDIR kept for a rollback cannot be written, nothing is
// changed at all and the reason says so.
TEST_F(FsuRollback, AnUpdateWithNoRoomForTheRestoreCopyChangesNothing) {
  receiveStudy(testdata::newUid(), 2);
  harness::SmallFilesystem stick(dir.path() / "stick", "20m");
  const fs::path root = stick.path();
  {
    const store::Selection first = store_->select({"P1", {}});
    writeFileSet(first, {0, 1}, std::vector<MediaForm>(2), root, newFileSetId(1), "BURNSTATION");
  }
  const std::string original = bytesOf(root / "DICOMDIR");
  const std::vector<std::string> filesBefore = filesBelow(root);
  receiveStudy(testdata::newUid(), 1);
  const store::Selection both = store_->select({"P1", {}});
  ASSERT_EQ(both.instances.size(), 3u);
  struct statvfs info {};
  ASSERT_EQ(::statvfs(root.c_str(), &info), 0);
  const auto used = info.f_files - info.f_ffree;
  ASSERT_EQ(harness::runCommand({"mount", "-o", "remount,nr_inodes=" + std::to_string(used),
                                 "tmpfs", root.string()})
                .exitCode,
            0);
  try {
    updateFileSet(both, {0, 1, 2}, std::vector<MediaForm>(3), root, "BURNSTATION");
    FAIL() << "the update succeeded on a medium with no room";
  } catch (const FileSetError& e) {
    EXPECT_EQ(e.code(), FileSetError::Code::Target) << e.what();
    EXPECT_NE(std::string(e.what()).find("not changed"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(bytesOf(root / "DICOMDIR") == original);
  EXPECT_EQ(filesBelow(root), filesBefore);
}

}  // namespace
}  // namespace burnstation::dicomdir
