// USB stick filesystems on real FAT images made by mkfs.vfat: which boot sectors are refused
// and why, and the private mount (kernel vfat, or fusefat where the kernel has none) written
// with a real file-set, then read back by tools that are not ours (mtools, fsck.fat, dcmdump).
#include "burnstation/mediawriter/fat_volume.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/store/instance_header.h"
#include "burnstation/store/store.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;

std::string bytesOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool kernelHasVfat() {
  std::ifstream in("/proc/filesystems");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= 4 && line.compare(line.size() - 4, 4, "vfat") == 0) return true;
  }
  return false;
}

// Why nothing can be mounted here, or empty when it can.
std::string whyNoMount() {
  if (kernelHasVfat()) return {};
  struct stat st {};
  if (::stat("/dev/fuse", &st) != 0) return "no vfat in the kernel and no /dev/fuse";
  if (harness::runCommand({"sh", "-c", "command -v fusefat && command -v fusermount"}).exitCode) {
    return "no vfat in the kernel and no fusefat/fusermount (Debian fusefat, fuse)";
  }
  return {};
}

// The mount IDs (/proc/self/mountinfo field 1) mounted at path: empty when nothing is.
std::vector<std::string> mountIdsAt(const fs::path& path) {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<std::string> ids;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    fields >> id >> parent >> device >> root >> point;
    if (point == path.string()) ids.push_back(id);
  }
  return ids;
}

// The fusefat processes whose command line names this mount point (a remount may briefly
// have two).
std::vector<pid_t> fuseServersOf(const fs::path& mountPoint) {
  std::vector<pid_t> servers;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = bytesOf(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.rfind("fusefat ", 0) == 0 &&
        cmdline.find(" " + mountPoint.string()) != std::string::npos) {
      servers.push_back(static_cast<pid_t>(std::stol(name)));
    }
  }
  return servers;
}

// A fusefat serving this mount point, or -1.
pid_t fuseServerOf(const fs::path& mountPoint) {
  const auto servers = fuseServersOf(mountPoint);
  return servers.empty() ? -1 : servers.back();
}

// Whether a process still runs (a zombie has exited; an orphaned fusefat may stay one in a
// container whose init does not reap).
bool running(pid_t pid) {
  if (pid <= 0) return false;
  const std::string stat = bytesOf("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

harness::CommandResult mtools(std::vector<std::string> argv) {
  // The image is not a floppy drive mtools knows; skip its geometry check.
  return harness::runCommand(argv, {{"MTOOLS_SKIP_CHECK", "1"}});
}

fs::path makeFat(const fs::path& image, const std::string& bits, int kilobytes) {
  const auto r = harness::runCommand(
      {"mkfs.vfat", "-F", bits, "-C", image.string(), std::to_string(kilobytes)});
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  return image;
}

fs::path makeFat32(const fs::path& image) {
  return makeFat(image, "32", 40 * 1024);
}

// A boot sector with the OEM name another filesystem writes at offset 3.
fs::path withOemName(const fs::path& image, const std::string& oemName) {
  std::string sector(512, '\0');
  sector[0] = '\xEB';
  sector[1] = '\x76';
  sector[2] = '\x90';
  sector.replace(3, oemName.size(), oemName);
  sector[510] = '\x55';
  sector[511] = '\xAA';
  std::ofstream(image, std::ios::binary) << sector << std::string(1 << 20, '\0');
  return image;
}

TEST(FatVolumeCheck, Fat32AndFat16AreUsable) {
  harness::TempDir dir;
  const FilesystemCheck fat32 = checkFilesystem(makeFat32(dir.path() / "32.img"));
  EXPECT_EQ(fat32.kind, FatKind::Fat32);
  EXPECT_TRUE(fat32.usable());
  EXPECT_TRUE(fat32.reason.empty()) << fat32.reason;

  const FilesystemCheck fat16 = checkFilesystem(makeFat(dir.path() / "16.img", "16", 20 * 1024));
  EXPECT_EQ(fat16.kind, FatKind::Fat16);
  EXPECT_TRUE(fat16.usable());
}

TEST(FatVolumeCheck, Fat12IsRefused) {
  harness::TempDir dir;
  const FilesystemCheck check = checkFilesystem(makeFat(dir.path() / "12.img", "12", 1440));
  EXPECT_EQ(check.kind, FatKind::Fat12);
  EXPECT_FALSE(check.usable());
  EXPECT_NE(check.reason.find("FAT32"), std::string::npos) << check.reason;
}

TEST(FatVolumeCheck, ExFatIsRefusedWithAMessageForTheClerk) {
  harness::TempDir dir;
  fs::path image = dir.path() / "exfat.img";
  // A real exFAT volume where exfatprogs is installed, else its boot sector signature.
  std::ofstream(image, std::ios::binary) << std::string(8 << 20, '\0');
  if (harness::runCommand({"mkfs.exfat", image.string()}).exitCode != 0) {
    image = withOemName(dir.path() / "exfat-signature.img", "EXFAT   ");
  }
  const FilesystemCheck check = checkFilesystem(image);
  EXPECT_EQ(check.kind, FatKind::ExFat);
  EXPECT_FALSE(check.usable());
  EXPECT_NE(check.reason.find("exFAT"), std::string::npos) << check.reason;
  EXPECT_NE(check.reason.find("FAT32"), std::string::npos) << check.reason;
}

TEST(FatVolumeCheck, NtfsIsRefused) {
  harness::TempDir dir;
  const FilesystemCheck check = checkFilesystem(withOemName(dir.path() / "ntfs.img", "NTFS    "));
  EXPECT_EQ(check.kind, FatKind::Ntfs);
  EXPECT_FALSE(check.usable());
  EXPECT_NE(check.reason.find("NTFS"), std::string::npos) << check.reason;
  EXPECT_NE(check.reason.find("FAT32"), std::string::npos) << check.reason;
}

TEST(FatVolumeCheck, UnformattedIsRefused) {
  harness::TempDir dir;
  const fs::path image = dir.path() / "zeros.img";
  std::ofstream(image, std::ios::binary) << std::string(1 << 20, '\0');
  const FilesystemCheck check = checkFilesystem(image);
  EXPECT_EQ(check.kind, FatKind::Unformatted);
  EXPECT_FALSE(check.usable());
  EXPECT_NE(check.reason.find("not formatted"), std::string::npos) << check.reason;
}

TEST(FatVolumeCheck, OtherContentAndMissingDevicesAreRefused) {
  harness::TempDir dir;
  const fs::path noise = dir.path() / "noise.img";
  std::ofstream(noise, std::ios::binary) << std::string(4096, 'x');
  const FilesystemCheck other = checkFilesystem(noise);
  EXPECT_EQ(other.kind, FatKind::Unknown);
  EXPECT_FALSE(other.usable());
  EXPECT_FALSE(other.reason.empty());

  const FilesystemCheck missing = checkFilesystem(dir.path() / "sdz1");
  EXPECT_FALSE(missing.usable());
  EXPECT_FALSE(missing.reason.empty());
}

// Three CT instances of one study of patient P1, received into a store.
class FatVolumeMount : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = whyNoMount(); !why.empty()) GTEST_SKIP() << why;
    store_ = std::make_unique<store::Store>(store::StoreOptions{dir.path() / "data"},
                                            store::Store::Access::Service);
    image = makeFat32(dir.path() / "stick.img");
  }

  void receiveStudy(const std::string& studyUid, int count) {
    const std::string seriesUid = testdata::newUid();
    for (int i = 1; i <= count; ++i) {
      testdata::InstanceSpec spec;
      spec.patientIdBytes = "P1";
      spec.patientNameBytes = "STICK^TEST";
      spec.studyInstanceUid = studyUid;
      spec.seriesInstanceUid = seriesUid;
      spec.instanceNumber = std::to_string(i);
      spec.seed = static_cast<unsigned>(i + 10 * count);
      const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
      const fs::path temp = store_->temporaryPath();
      fs::copy_file(made, temp);
      store_->ingest(temp, store::readInstanceHeader(temp),
                     store::IngestSource{"CT01", "BURNSTATION", "127.0.0.1", ""});
    }
  }

  store::Selection selection() const { return store_->select({"P1", {}}); }

  static std::vector<std::size_t> all(const store::Selection& s) {
    std::vector<std::size_t> indexes(s.instances.size());
    for (std::size_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
    return indexes;
  }

  dicomdir::WrittenFileSet writeAll(const fs::path& root) {
    const store::Selection s = selection();
    return dicomdir::writeFileSet(s, all(s), std::vector<dicomdir::MediaForm>(s.instances.size()),
                                  root, dicomdir::newFileSetId(1), "BURNSTATION");
  }

  fs::path mountParent() const { return dir.path() / "mnt"; }

  // The DICOMDIR and the whole tree as mtools copies them out of the image.
  fs::path extracted(const std::string& name) {
    const fs::path out = dir.path() / name;
    fs::create_directories(out);
    const auto r = mtools(
        {"mcopy", "-s", "-n", "-i", image.string(), "::/DICOMDIR", "::/DICOM", out.string()});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    return out;
  }

  harness::TempDir dir;
  std::unique_ptr<store::Store> store_;
  fs::path image;
};

TEST_F(FatVolumeMount, AFileSetWrittenThroughTheMountIsWhatMtoolsReadsFromTheImage) {
  receiveStudy(testdata::newUid(), 3);
  const store::Selection s = selection();
  ASSERT_EQ(s.instances.size(), 3u);
  std::string dicomdirThroughMount;
  fs::path mountPoint;
  dicomdir::WrittenFileSet written;
  {
    MountedFat mounted(image, mountParent());
    mountPoint = mounted.root();
    EXPECT_EQ(mountPoint.parent_path(), mountParent());
    EXPECT_EQ(mountIdsAt(mountPoint).size(), 1u);
    written = writeAll(mounted.root());
    mounted.flush();
    dicomdirThroughMount = bytesOf(mounted.root() / "DICOMDIR");
  }
  // Unmounted and the private mount point gone: nothing of the stick is left claimed.
  EXPECT_TRUE(mountIdsAt(mountPoint).empty());
  EXPECT_FALSE(fs::exists(mountPoint));

  const auto fsck = harness::runCommand({"fsck.fat", "-n", image.string()});
  EXPECT_EQ(fsck.exitCode, 0) << fsck.out << fsck.err;
  const auto listing = mtools({"mdir", "-b", "-/", "-i", image.string(), "::/"});
  ASSERT_EQ(listing.exitCode, 0) << listing.err;
  EXPECT_NE(listing.out.find("::/DICOMDIR"), std::string::npos) << listing.out;
  EXPECT_NE(listing.out.find("::/DICOM/PA000001/ST000001/SE000001/IM000003"), std::string::npos)
      << listing.out;
  // Nothing but the file-set: no staging folder left behind.
  std::istringstream lines(listing.out);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(line.rfind("::/DICOM", 0) == 0) << line;
  }

  const fs::path out = extracted("back");
  ASSERT_FALSE(dicomdirThroughMount.empty());
  EXPECT_TRUE(bytesOf(out / "DICOMDIR") == dicomdirThroughMount);
  // Instance files go on unchanged: byte for byte the stored files.
  ASSERT_EQ(written.entries.size(), 3u);
  std::set<std::string> stored;
  for (const auto& instance : s.instances) stored.insert(bytesOf(instance.file));
  for (const auto& entry : written.entries) {
    const fs::path file = out / dicomdir::toPath(entry.fileId);
    EXPECT_TRUE(stored.count(bytesOf(file)) == 1) << file;
  }
  const dicomdir::FileSetCheck check = dicomdir::checkFileSet(out);
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
  EXPECT_EQ(check.entries.size(), 3u);
}

TEST_F(FatVolumeMount, AnUpdateAddsTheNewStudyAndTheDicomdirReferencesBoth) {
  const std::string firstStudy = testdata::newUid();
  const std::string secondStudy = testdata::newUid();
  receiveStudy(firstStudy, 2);
  {
    MountedFat mounted(image, mountParent());
    writeAll(mounted.root());
    mounted.flush();
  }
  receiveStudy(secondStudy, 2);
  {
    MountedFat mounted(image, mountParent());
    const store::Selection s = selection();
    ASSERT_EQ(s.instances.size(), 4u);
    const dicomdir::WrittenFileSet added =
        dicomdir::updateFileSet(s, all(s), std::vector<dicomdir::MediaForm>(s.instances.size()),
                                mounted.root(), "BURNSTATION");
    mounted.flush();
  }
  const auto fsck = harness::runCommand({"fsck.fat", "-n", image.string()});
  EXPECT_EQ(fsck.exitCode, 0) << fsck.out << fsck.err;

  const fs::path out = extracted("back");
  // dcmdump (DCMTK's reader, not our code) sees both studies and four referenced files.
  const auto dump = harness::runCommand({"dcmdump", "+P", "0004,1500", "+P", "0020,000d", "+P",
                                         "0004,1212", (out / "DICOMDIR").string()});
  ASSERT_EQ(dump.exitCode, 0) << dump.err;
  EXPECT_NE(dump.out.find(firstStudy), std::string::npos) << dump.out;
  EXPECT_NE(dump.out.find(secondStudy), std::string::npos) << dump.out;
  std::size_t references = 0;
  for (std::size_t at = dump.out.find("(0004,1500)"); at != std::string::npos;
       at = dump.out.find("(0004,1500)", at + 1)) {
    ++references;
  }
  EXPECT_EQ(references, 4u) << dump.out;
  // Consistent again after the update (File-set Consistency Flag 0000H).
  EXPECT_NE(dump.out.find("(0004,1212) US 0"), std::string::npos) << dump.out;
  const dicomdir::FileSetCheck check = dicomdir::checkFileSet(out);
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
  EXPECT_EQ(check.entries.size(), 4u);
}

TEST_F(FatVolumeMount, RemountIsANewMountThatStillHoldsWhatWasFlushed) {
  MountedFat mounted(image, mountParent());
  ASSERT_EQ(mountIdsAt(mounted.root()).size(), 1u);
  const pid_t serverBefore = fuseServerOf(mounted.root());
  std::ofstream(mounted.root() / "README.TXT") << "written before the remount\n";
  mounted.flush();
  mounted.remount();
  ASSERT_EQ(mountIdsAt(mounted.root()).size(), 1u);
  // Mount IDs are recycled, so they cannot tell the mounts apart; under FUSE a new mount
  // has a new server, which has read the image afresh (nothing of the old one's cache).
  if (!kernelHasVfat()) {
    EXPECT_GT(serverBefore, 0);
    const auto servers = fuseServersOf(mounted.root());
    EXPECT_TRUE(std::any_of(servers.begin(), servers.end(),
                            [&](pid_t pid) { return pid != serverBefore; }));
  }
  EXPECT_EQ(bytesOf(mounted.root() / "README.TXT"), "written before the remount\n");
  mounted.unmount();
  EXPECT_TRUE(mountIdsAt(mounted.root()).empty());
  const fs::path copy = dir.path() / "readme";
  ASSERT_EQ(mtools({"mcopy", "-i", image.string(), "::/README.TXT", copy.string()}).exitCode, 0);
  EXPECT_EQ(bytesOf(copy), "written before the remount\n");
}

TEST_F(FatVolumeMount, ADeviceThatVanishedFailsTheFlushClearly) {
  MountedFat mounted(image, mountParent());
  std::ofstream(mounted.root() / "A.TXT") << "a";
  fs::remove(image);  // as /dev/sdb1 goes when the stick is pulled
  try {
    mounted.flush();
    FAIL() << "flush succeeded on a device that is gone";
  } catch (const MediaError& e) {
    EXPECT_NE(std::string(e.what()).find("removed"), std::string::npos) << e.what();
  }
}

TEST_F(FatVolumeMount, AStickPulledWhileWritingIsAMediaErrorAndLeavesNothingMounted) {
  if (kernelHasVfat()) GTEST_SKIP() << "pulling a kernel-mounted stick needs real hardware";
  fs::path mountPoint;
  std::atomic<int> filesWritten{0};
  std::atomic<bool> writerDone{false};
  std::string writeError;  // read after the writer is joined
  try {
    MountedFat mounted(image, mountParent());
    mountPoint = mounted.root();
    const pid_t server = fuseServerOf(mountPoint);
    ASSERT_GT(server, 0);
    std::thread writer([&] {
      try {
        fs::create_directories(mounted.root() / "DICOM");
        for (int i = 0; i < 200; ++i) {
          std::ofstream out(mounted.root() / "DICOM" / ("IM" + std::to_string(100000 + i)),
                            std::ios::binary);
          out << std::string(256 * 1024, static_cast<char>('A' + i % 26));
          out.close();
          if (!out) throw std::runtime_error("write failed");
          ++filesWritten;
        }
      } catch (const std::exception& e) {
        writeError = e.what();
      }
      writerDone = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (filesWritten < 3 && !writerDone && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    ::kill(server, SIGKILL);  // the stick is gone: nothing answers for the mount any more
    writer.join();
    EXPECT_FALSE(writeError.empty()) << "all " << filesWritten << " files were written";
    mounted.flush();
    FAIL() << "flush succeeded after the stick was pulled";
  } catch (const MediaError& e) {
    EXPECT_NE(std::string(e.what()).find("removed"), std::string::npos) << e.what();
  }
  ASSERT_FALSE(mountPoint.empty());
  EXPECT_TRUE(mountIdsAt(mountPoint).empty());
  EXPECT_FALSE(fs::exists(mountPoint));
}

TEST_F(FatVolumeMount, WhatCannotBeMountedIsAMediaErrorAndLeavesNoMountPoint) {
  const fs::path zeros = dir.path() / "zeros.img";
  std::ofstream(zeros, std::ios::binary) << std::string(1 << 20, '\0');
  for (const fs::path& device : {zeros, dir.path() / "absent.img"}) {
    EXPECT_THROW(MountedFat(device, mountParent()), MediaError) << device;
  }
  ASSERT_TRUE(fs::exists(mountParent()));
  EXPECT_TRUE(fs::is_empty(mountParent()));
}

// Whether the FAT says it was cleanly unmounted: FAT32 entry 1, bit 27 (0x08000000).
bool fatMarkedClean(const fs::path& image) {
  const std::string bytes = bytesOf(image);
  const auto u16 = [&](std::size_t at) {
    return static_cast<std::size_t>(static_cast<unsigned char>(bytes.at(at))) |
           static_cast<std::size_t>(static_cast<unsigned char>(bytes.at(at + 1))) << 8;
  };
  const std::size_t fatStart = u16(14) * u16(11);  // reserved sectors x bytes per sector
  return (static_cast<unsigned char>(bytes.at(fatStart + 7)) & 0x08) != 0;
}

// fusefat finishes the stick (clears the FAT's dirty flag) as it exits, which can be after
// `fusermount -u` has returned. Holding the server stopped for a moment makes that window
// certain: unmount() and remount() must wait for it, or the clerk is told to take out a
// stick that is still being written, and a remount runs two servers on one device.
class FuseServerHeld : public FatVolumeMount {
 protected:
  void SetUp() override {
    FatVolumeMount::SetUp();
    if (IsSkipped()) return;
    if (kernelHasVfat()) GTEST_SKIP() << "the kernel's vfat is written back when umount returns";
  }
  // Stops the server now and lets it go on after a moment, from another thread.
  std::thread hold(pid_t server) {
    ::kill(server, SIGSTOP);
    return std::thread([server] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ::kill(server, SIGCONT);
    });
  }
};

TEST_F(FuseServerHeld, UnmountReturnsOnlyWhenTheStickIsReleased) {
  MountedFat mounted(image, mountParent());
  std::ofstream(mounted.root() / "A.TXT") << "a";
  mounted.flush();
  const pid_t server = fuseServerOf(mounted.root());
  ASSERT_GT(server, 0);
  EXPECT_FALSE(fatMarkedClean(image));  // fusefat marks the volume in use while mounted
  std::thread resume = hold(server);
  mounted.unmount();
  const bool serverRan = running(server);
  const bool clean = fatMarkedClean(image);
  resume.join();
  EXPECT_FALSE(serverRan) << "unmount() returned while fusefat still serves the stick";
  EXPECT_TRUE(clean) << "unmount() returned before the FAT was marked clean";
}

TEST_F(FuseServerHeld, RemountWaitsForTheOldServerToFinish) {
  MountedFat mounted(image, mountParent());
  std::ofstream(mounted.root() / "A.TXT") << "a";
  mounted.flush();
  const pid_t server = fuseServerOf(mounted.root());
  ASSERT_GT(server, 0);
  std::thread resume = hold(server);
  mounted.remount();
  const bool oldServerRan = running(server);
  resume.join();
  EXPECT_FALSE(oldServerRan) << "remount() mounted again while the old fusefat still ran";
  EXPECT_EQ(bytesOf(mounted.root() / "A.TXT"), "a");
}

// PS3.12 Annex R media are read through 8.3 names; the File IDs are valid ones.
TEST_F(FatVolumeMount, FileIdsAreTheShortNamesOnTheStick) {
  if (!kernelHasVfat()) {
    GTEST_SKIP() << "fusefat 0.1a gives every file a long name and a short name '~N'; only "
                    "the kernel's vfat writes the File IDs as 8.3 names";
  }
  receiveStudy(testdata::newUid(), 1);
  {
    MountedFat mounted(image, mountParent());
    writeAll(mounted.root());
  }
  const auto r = mtools({"mshortname", "-i", image.string(), "::/DICOMDIR",
                         "::/DICOM/PA000001/ST000001/SE000001/IM000001"});
  EXPECT_EQ(r.out, "::/DICOMDIR\n::/DICOM/PA000001/ST000001/SE000001/IM000001\n") << r.err;
}

}  // namespace
}  // namespace burnstation::mediawriter
