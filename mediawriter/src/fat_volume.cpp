// FAT checks and mounts (see fat_volume.h). Mounting runs mount(8)/fusefat(1) rather than
// mount(2) so that the same code serves block devices and image files (loop) alike.
#include "burnstation/mediawriter/fat_volume.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>
#include <utility>
#include <vector>

#include "burnstation/mediawriter/media_error.h"
#include "helper_process.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

bool kernelHasVfat() {
  std::ifstream in("/proc/filesystems");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= 4 && line.compare(line.size() - 4, 4, "vfat") == 0) return true;
  }
  return false;
}

bool isMountPoint(const fs::path& path) {
  const auto table = mountTable();
  return std::any_of(table.begin(), table.end(),
                     [&](const MountEntry& e) { return e.mountPoint == path.native(); });
}

// The fusefat process serving a mount point, or -1.
pid_t fuseServerFor(const fs::path& mountPoint) {
  for (const FuseServer& server : fusefatServers()) {
    if (std::find(server.args.begin(), server.args.end(), mountPoint.native()) !=
        server.args.end()) {
      return server.pid;
    }
  }
  return -1;
}

// Alive and not a zombie (a container's init may never reap an orphaned server).
bool serverRunning(pid_t pid) {
  const std::string stat = fileContent("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

}  // namespace

FilesystemCheck checkFilesystem(const fs::path& device) {
  FilesystemCheck check;
  std::array<unsigned char, 512> sector{};
  std::ifstream in(device, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(sector.data()), sector.size())) {
    check.reason = "the stick cannot be read";
    return check;
  }
  const auto text = [&](std::size_t at, std::size_t length) {
    return std::string(reinterpret_cast<const char*>(sector.data()) + at, length);
  };
  if (std::all_of(sector.begin(), sector.end(), [](unsigned char c) { return c == 0; })) {
    check.kind = FatKind::Unformatted;
    check.reason = "the stick is not formatted; DICOM media need FAT32 (format it first)";
  } else if (text(3, 8) == "EXFAT   ") {
    check.kind = FatKind::ExFat;
    check.reason = "the stick is formatted exFAT; DICOM media need FAT32 (PS3.12 Annex R)";
  } else if (text(3, 8) == "NTFS    ") {
    check.kind = FatKind::Ntfs;
    check.reason = "the stick is formatted NTFS; DICOM media need FAT32 (PS3.12 Annex R)";
  } else if (sector[510] != 0x55 || sector[511] != 0xAA) {
    check.kind = FatKind::Unknown;
    check.reason = "the stick holds no filesystem DICOM media can use; they need FAT32";
  } else if (text(82, 8) == "FAT32   ") {
    check.kind = FatKind::Fat32;
  } else if (text(54, 8) == "FAT16   ") {
    check.kind = FatKind::Fat16;
  } else if (text(54, 8) == "FAT12   ") {
    check.kind = FatKind::Fat12;
    check.reason = "the stick is formatted FAT12; DICOM media need FAT16 or FAT32";
  } else {
    check.kind = FatKind::Unknown;
    check.reason = "the stick holds no filesystem DICOM media can use; they need FAT32";
  }
  return check;
}

MountedFat::MountedFat(fs::path device, const fs::path& mountParent,
                       std::chrono::milliseconds helperLimit)
    : device_(std::move(device)), limit_(helperLimit), fuse_(!kernelHasVfat()) {
  fs::create_directories(mountParent);
  std::string pattern = (mountParent / "stick-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) {
    throw MediaError(MediaError::Code::Io, "cannot make a mount point in " + mountParent.string());
  }
  mountPoint_ = pattern;
  try {
    mount();
  } catch (...) {
    std::error_code ignored;
    fs::remove(mountPoint_, ignored);
    throw;
  }
}

MountedFat::~MountedFat() {
  try {
    unmount();
  } catch (const std::exception&) {
    // Already reported by the caller's own unmount(); a destructor must not throw.
  }
  std::error_code ignored;
  fs::remove(mountPoint_, ignored);
}

void MountedFat::mount() {
  std::string output;
  const int status =
      fuse_ ? runHelper({"fusefat", "-o", "rw+", device_.string(), mountPoint_.string()}, output,
                        limit_)
            : runHelper({"mount", "-t", "vfat", "-o",
                         "loop,shortname=winnt,utf8,flush,uid=0,gid=0,umask=022", device_.string(),
                         mountPoint_.string()},
                        output, limit_);
  if (status != 0 || !isMountPoint(mountPoint_)) {
    if (isMountPoint(mountPoint_)) {
      // A helper stopped at its limit may have mounted all the same: nothing stays claimed.
      std::string ignored;
      runHelper(fuse_ ? std::vector<std::string>{"fusermount", "-u", "-z", mountPoint_.string()}
                      : std::vector<std::string>{"umount", "-l", mountPoint_.string()},
                ignored, limit_);
    }
    throw MediaError(MediaError::Code::Io,
                     "the stick cannot be opened for writing (" + device_.string() +
                         "): " + (output.empty() ? "mount failed" : output.substr(0, 200)));
  }
  mounted_ = true;
  if (fuse_) server_ = fuseServerFor(mountPoint_);
}

void MountedFat::flush() {
  const int fd = ::open(mountPoint_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::syncfs(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok || !fs::exists(device_)) {
    throw MediaError(MediaError::Code::Io,
                     "the stick was removed or failed while writing; what is on it cannot be "
                     "trusted");
  }
}

void MountedFat::remount() {
  unmount();
  mount();
}

void MountedFat::unmount() {
  if (!mounted_) return;
  mounted_ = false;
  std::string output;
  const int status = fuse_ ? runHelper({"fusermount", "-u", mountPoint_.string()}, output, limit_)
                           : runHelper({"umount", mountPoint_.string()}, output, limit_);
  if (status != 0 && isMountPoint(mountPoint_)) {
    // Lazily, so a pulled stick does not leave the mount point busy for ever.
    std::string ignored;
    runHelper(fuse_ ? std::vector<std::string>{"fusermount", "-u", "-z", mountPoint_.string()}
                    : std::vector<std::string>{"umount", "-l", mountPoint_.string()},
              ignored, limit_);
    throw MediaError(MediaError::Code::Io, "the stick could not be closed cleanly: " + output);
  }
  // fusefat writes its last sectors (the FAT's clean flag) as it exits, which can be after
  // fusermount returns: the stick is done only when the server is gone.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (server_ > 0 && serverRunning(server_)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw MediaError(MediaError::Code::Io, "the stick is still being written after a minute");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server_ = -1;
}

}  // namespace burnstation::mediawriter
