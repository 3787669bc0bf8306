// The MediumTarget kinds that write files (a folder, a FAT stick): typed states instead of
// messages, the volume's content written and read back, and nothing left behind when a
// write fails part-way.
#include "burnstation/mediawriter/medium_target.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/mediawriter/stick_format.h"
#include "burnstation/store/instance_header.h"
#include "burnstation/store/store.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;

bool canMountFat() {
  std::ifstream in("/proc/filesystems");
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct stat st {};
  return all.find("vfat") != std::string::npos || ::stat("/dev/fuse", &st) == 0;
}

// A volume's content as the burn job makes it: a file-set built in a work folder (three
// instances of patient P1 from a real store) plus its manifest.
class FileTargets : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<store::Store>(store::StoreOptions{dir.path() / "data"},
                                            store::Store::Access::Service);
    const std::string series = testdata::newUid();
    for (int i = 1; i <= 3; ++i) {
      testdata::InstanceSpec spec;
      spec.patientIdBytes = "P1";
      spec.patientNameBytes = "TARGET^TEST";
      spec.seriesInstanceUid = series;
      spec.instanceNumber = std::to_string(i);
      spec.seed = static_cast<unsigned>(i);
      const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
      const fs::path temp = store_->temporaryPath();
      fs::copy_file(made, temp);
      store_->ingest(temp, store::readInstanceHeader(temp),
                     store::IngestSource{"CT01", "BURNSTATION", "127.0.0.1", ""});
    }
    const store::Selection s = store_->select({"P1", {}});
    const fs::path work = dir.path() / "work";
    const auto set = dicomdir::writeFileSet(s, {0, 1, 2}, std::vector<dicomdir::MediaForm>(3), work,
                                            dicomdir::newFileSetId(1), "BURNSTATION");
    content = contentOfDirectory(work, set.fileSetId);
    addChecksumManifest(content, dir.path() / "manifest");
  }

  harness::TempDir dir;
  std::unique_ptr<store::Store> store_;
  VolumeContent content;
};

TEST_F(FileTargets, AFolderTakesTheContentAndReadsBackAsAFileSet) {
  const fs::path root = dir.path() / "export";
  const auto target = folderTarget(root);
  ASSERT_EQ(target->check({}).state, MediumState::Ready);
  target->write(content, {});
  const VerificationReport report = target->verify();
  EXPECT_TRUE(report.ok()) << report.checks.front().detail;
  EXPECT_EQ(report.checks.size(), 2u);  // the file-set and the manifest
  EXPECT_TRUE(fs::exists(root / kManifestName));
  // Written: the folder now holds a file-set, and a second volume is refused with why.
  const MediumStatus again = target->check({});
  EXPECT_EQ(again.state, MediumState::Refused);
  EXPECT_NE(again.reason.find("not empty"), std::string::npos) << again.reason;
}

TEST_F(FileTargets, AFolderWriteThatFailsPartWayLeavesNothing) {
  // Big enough for a progress report, which then throws.
  const fs::path big = dir.path() / "big.bin";
  std::ofstream(big, std::ios::binary) << std::string(9 << 20, 'x');
  content.files.push_back({"VIEWER/BIG.BIN", big});
  const fs::path root = dir.path() / "export";
  const auto target = folderTarget(root);
  EXPECT_THROW(target->write(content,
                             [](std::uint64_t, std::uint64_t) -> bool {
                               throw std::runtime_error("the job queue is gone");
                             }),
               std::runtime_error);
  EXPECT_FALSE(fs::exists(root));
}

TEST_F(FileTargets, AStickIsAbsentRefusedReadyAndThenUsedUntilItIsChanged) {
  if (!canMountFat()) GTEST_SKIP() << "neither vfat nor /dev/fuse: no FAT can be mounted";
  const fs::path image = dir.path() / "stick.img";
  StickSource source{image, {}, dir.path() / "mnt"};
  const auto stick = stickTarget(source, {});
  const MediumStatus none = stick->check({});
  EXPECT_EQ(none.state, MediumState::Absent);
  EXPECT_EQ(none.reason, "insert a USB stick");

  {
    std::string sector(512, '\0');
    sector.replace(3, 8, "NTFS    ");
    sector[510] = '\x55';
    sector[511] = '\xaa';
    std::ofstream(image, std::ios::binary) << sector << std::string(1 << 20, '\0');
  }
  const MediumStatus ntfs = stick->check({});
  EXPECT_EQ(ntfs.state, MediumState::Refused);
  EXPECT_NE(ntfs.reason.find("NTFS"), std::string::npos) << ntfs.reason;

  fs::remove(image);
  ASSERT_EQ(harness::runCommand({"mkfs.vfat", "-C", "-F", "32", image.string(), "40000"}).exitCode,
            0);
  ASSERT_EQ(stick->check({}).state, MediumState::Ready);
  stick->write(content, {});
  const VerificationReport report = stick->verify();
  EXPECT_TRUE(report.ok()) << report.checks.front().detail;
  EXPECT_EQ(stick->writtenTo(), image.string());
  // The stick just written is not taken again for the next copy, however often it is asked.
  for (int i = 0; i < 2; ++i) {
    const MediumStatus used = stick->check({});
    EXPECT_EQ(used.state, MediumState::Used);
    EXPECT_NE(used.reason.find("take out the stick"), std::string::npos) << used.reason;
  }
  // A stick that holds a file-set already and no way to update it is refused, with why.
  fs::copy_file(image, dir.path() / "written.img");
  fs::remove(image);
  fs::copy_file(dir.path() / "written.img", image);
  ASSERT_EQ(stick->check({}).state, MediumState::Ready);
  try {
    stick->write(content, {});
    FAIL() << "a stick holding a file-set was written again";
  } catch (const MediaError& e) {
    EXPECT_EQ(e.code(), MediaError::Code::Refused) << e.what();
  }
  const MediumStatus refused = stick->check({});
  EXPECT_EQ(refused.state, MediumState::Refused);
  EXPECT_NE(refused.reason.find("already holds a file-set"), std::string::npos) << refused.reason;
}

TEST(MediumTargets, TheImageDriveIsAlwaysReady) {
  harness::TempDir dir;
  const auto target = imageFileTarget(dir.path() / "1-1of1-1.iso");
  EXPECT_TRUE(target->check({}).ready());
  EXPECT_EQ(target->writtenTo(), (dir.path() / "1-1of1-1.iso").string());
}

TEST_F(FileTargets, AStickAJobIsWritingIsNotFormattedMeanwhile) {
  if (!canMountFat()) GTEST_SKIP() << "neither vfat nor /dev/fuse: no FAT can be mounted";
  const fs::path image = dir.path() / "stick.img";
  ASSERT_EQ(harness::runCommand({"mkfs.vfat", "-C", "-F", "32", image.string(), "40000"}).exitCode,
            0);
  const auto stick = stickTarget({image, {}, dir.path() / "mnt"}, {});
  ASSERT_EQ(stick->check({}).state, MediumState::Ready);
  // The clerk asks for a format while the job writes (its progress runs inside the write).
  std::vector<std::string> refusals;
  stick->write(content, [&](std::uint64_t, std::uint64_t) {
    StickFormatOrder order;
    order.stick.partition = image;
    order.force = true;
    try {
      StickFormat format(order);
      format.run();
      refusals.push_back("formatted");
    } catch (const StickFormatError& e) {
      if (e.code() == StickFormatError::Code::InUse) refusals.push_back(e.what());
    }
    return true;
  });
  ASSERT_FALSE(refusals.empty());
  for (const std::string& r : refusals) {
    EXPECT_NE(r.find("a job is writing"), std::string::npos) << r;
  }
  const VerificationReport report = stick->verify();
  EXPECT_TRUE(report.ok()) << report.checks.front().detail;
}

}  // namespace
}  // namespace burnstation::mediawriter
