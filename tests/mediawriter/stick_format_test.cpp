// Formatting a refused stick FAT32: real exFAT images made by mkfs.exfat become FAT32, as
// tools that are not ours see it (file(1), fsck.fat, mtools' minfo); and the sticks that must
// not be formatted (already FAT, not allowed, being formatted, open elsewhere) are left
// exactly as they were.
#include "burnstation/mediawriter/stick_format.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "burnstation/mediawriter/fat_volume.h"
#include "burnstation/mediawriter/medium_target.h"
#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;

std::string bytesOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class StickFormatTest : public ::testing::Test {
 protected:
  fs::path image() const { return dir.path() / "stick.img"; }

  // A 64 MB stick formatted exFAT, as sticks are sold.
  void makeExFat() {
    ASSERT_EQ(harness::runCommand({"truncate", "-s", "64M", image().string()}).exitCode, 0);
    const auto r = harness::runCommand({"mkfs.exfat", image().string()});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    ASSERT_EQ(checkFilesystem(image()).kind, FatKind::ExFat);
  }
  void makeFat32() {
    const auto r = harness::runCommand(
        {"mkfs.vfat", "-C", "-F", "32", "-n", "OLD", image().string(), "40000"});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  }

  StickFormatOrder order() const {
    StickFormatOrder o;
    o.stick.portPath = "1";
    o.stick.vendorId = 0x0781;
    o.stick.productId = 0x5581;
    o.stick.blockDevice = image();
    o.stick.partition = image();
    o.volumeLabel = "Burnstation-1";
    o.limit = std::chrono::seconds(60);
    return o;
  }

  // file(1)'s description of the image.
  std::string described() const {
    const auto r = harness::runCommand({"file", "-b", image().string()});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out;
  }

  void expectRefused(const StickFormatOrder& o, StickFormatError::Code code,
                     const std::string& words) {
    const std::string before = bytesOf(image());
    try {
      StickFormat format(o);
      format.run();
      ADD_FAILURE() << "formatted a stick that must be refused";
    } catch (const StickFormatError& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
    EXPECT_TRUE(bytesOf(image()) == before) << "a refused stick was changed";
  }

  harness::TempDir dir;
};

TEST_F(StickFormatTest, AnExFatStickBecomesFat32WithTheStationsLabel) {
  makeExFat();
  {
    StickFormat format(order());
    format.run();
  }
  EXPECT_EQ(checkFilesystem(image()).kind, FatKind::Fat32);
  const std::string file = described();
  EXPECT_NE(file.find("FAT (32 bit)"), std::string::npos) << file;
  EXPECT_NE(file.find("BURNSTATION"), std::string::npos) << file;
  const auto fsck = harness::runCommand({"fsck.vfat", "-n", image().string()});
  EXPECT_EQ(fsck.exitCode, 0) << fsck.out << fsck.err;
  const auto minfo =
      harness::runCommand({"env", "MTOOLS_SKIP_CHECK=1", "minfo", "-i", image().string(), "::"});
  EXPECT_EQ(minfo.exitCode, 0) << minfo.err;
  EXPECT_NE(minfo.out.find("disk type=\"FAT32   \""), std::string::npos) << minfo.out;
  EXPECT_NE(minfo.out.find("disk label=\"BURNSTATION\""), std::string::npos) << minfo.out;
  // And it takes files: mtools writes one and reads it back.
  const fs::path note = dir.path() / "note.txt";
  std::ofstream(note) << "written after formatting\n";
  ASSERT_EQ(harness::runCommand({"env", "MTOOLS_SKIP_CHECK=1", "mcopy", "-i", image().string(),
                                 note.string(), "::/NOTE.TXT"})
                .exitCode,
            0);
  const auto back = harness::runCommand(
      {"env", "MTOOLS_SKIP_CHECK=1", "mtype", "-i", image().string(), "::/NOTE.TXT"});
  EXPECT_EQ(back.out, "written after formatting\n");
}

TEST_F(StickFormatTest, AnUnformattedStickIsFormattedToo) {
  ASSERT_EQ(harness::runCommand({"truncate", "-s", "40M", image().string()}).exitCode, 0);
  ASSERT_EQ(checkFilesystem(image()).kind, FatKind::Unformatted);
  StickFormat format(order());
  format.run();
  EXPECT_EQ(checkFilesystem(image()).kind, FatKind::Fat32);
}

TEST_F(StickFormatTest, AFatStickIsLeftAloneUnlessForced) {
  makeFat32();
  expectRefused(order(), StickFormatError::Code::AlreadyFat, "already FAT");
  const std::string before = described();
  auto forced = order();
  forced.force = true;
  {
    StickFormat format(forced);
    format.run();
  }
  const std::string after = described();
  EXPECT_NE(after.find("BURNSTATION"), std::string::npos) << after;
  EXPECT_EQ(before.find("BURNSTATION"), std::string::npos) << before;
}

TEST_F(StickFormatTest, AStickNotOnTheAllowlistIsRefused) {
  makeExFat();
  auto o = order();
  o.allowlist = {"1234:5678"};
  expectRefused(o, StickFormatError::Code::NotAllowed, "allowed sticks");
  o.allowlist = {"0781:5581"};
  StickFormat format(o);
  format.run();
  EXPECT_EQ(checkFilesystem(image()).kind, FatKind::Fat32);
}

TEST_F(StickFormatTest, OneFormatAtATimeAndJobsWaitForIt) {
  makeExFat();
  StickFormat first(order());
  expectRefused(order(), StickFormatError::Code::InUse, "being formatted");
  // A job looking for a stick meanwhile is told to wait, not that the stick is refused.
  auto target = stickTarget({image(), {}, dir.path() / "mounts"}, {});
  const MediumStatus status = target->check({});
  EXPECT_EQ(status.state, MediumState::Absent) << status.reason;
  EXPECT_NE(status.reason.find("being formatted"), std::string::npos) << status.reason;
  first.run();
  { const StickFormat ended = std::move(first); }
  EXPECT_EQ(target->check({}).state, MediumState::Ready);
}

TEST_F(StickFormatTest, AStickOpenElsewhereIsRefused) {
  struct stat st {};
  if (::stat("/dev/fuse", &st) != 0 ||
      harness::runCommand({"sh", "-c", "command -v fusefat && command -v fusermount"}).exitCode) {
    GTEST_SKIP() << "no /dev/fuse or fusefat: the stick cannot be opened by another program";
  }
  makeFat32();
  const fs::path mountPoint = dir.path() / "mounted";
  fs::create_directories(mountPoint);
  const auto mounted =
      harness::runCommand({"fusefat", "-o", "rw+", image().string(), mountPoint.string()});
  if (mounted.exitCode != 0) GTEST_SKIP() << "fusefat cannot mount here: " << mounted.err;
  struct Unmount {
    fs::path point;
    ~Unmount() { harness::runCommand({"fusermount", "-u", "-z", point.string()}); }
  } unmount{mountPoint};
  EXPECT_FALSE(usedElsewhere(image()).empty());
  auto forced = order();
  forced.force = true;
  expectRefused(forced, StickFormatError::Code::InUse, "open on this computer");
}

TEST_F(StickFormatTest, AStickThatIsGoneOrNotADiskIsRefused) {
  for (const fs::path& partition : {image(), dir.path()}) {
    auto o = order();
    o.stick.partition = partition;
    try {
      StickFormat format(o);
      ADD_FAILURE() << partition << " was taken for a stick";
    } catch (const StickFormatError& e) {
      EXPECT_EQ(e.code(), StickFormatError::Code::InUse);
      EXPECT_NE(std::string(e.what()).find("gone"), std::string::npos) << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(image()));
}

TEST(FatVolumeLabelTest, IsElevenCharactersFatAccepts) {
  EXPECT_EQ(fatVolumeLabel("Burnstation-1"), "BURNSTATION");
  EXPECT_EQ(fatVolumeLabel("ct_3"), "CT_3");
  EXPECT_EQ(fatVolumeLabel("Müller \"x\""), "MLLERX");
  EXPECT_EQ(fatVolumeLabel("***"), "DICOM");
  EXPECT_EQ(fatVolumeLabel(""), "DICOM");
}

}  // namespace
}  // namespace burnstation::mediawriter
