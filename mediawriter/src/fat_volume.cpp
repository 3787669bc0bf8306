// FAT checks and mounts (see fat_volume.h). Mounting runs mount(8)/fusefat(1) rather than
// mount(2) so that the same code serves block devices and image files (loop) alike.
#include "burnstation/mediawriter/fat_volume.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>
#include <vector>

#include "burnstation/mediawriter/media_error.h"

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

// Runs a program without a shell; returns its exit status and what it printed.
int run(const std::vector<std::string>& argv, std::string& output) {
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipeFds[1], 1);
    ::dup2(pipeFds[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipeFds[1]);
  char buffer[512];
  ssize_t n;
  while ((n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0) output.append(buffer, n);
  ::close(pipeFds[0]);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool isMountPoint(const fs::path& path) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  const std::string needle = " " + path.string() + " ";
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string contentOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The fusefat process serving a mount point, found by its command line, or -1.
pid_t fuseServerFor(const fs::path& mountPoint) {
  pid_t found = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = contentOf(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.rfind("fusefat ", 0) == 0 &&
        cmdline.find(" " + mountPoint.string()) != std::string::npos) {
      found = static_cast<pid_t>(std::stol(name));
    }
  }
  return found;
}

// Alive and not a zombie (a container's init may never reap an orphaned server).
bool serverRunning(pid_t pid) {
  const std::string stat = contentOf("/proc/" + std::to_string(pid) + "/stat");
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

MountedFat::MountedFat(fs::path device, const fs::path& mountParent)
    : device_(std::move(device)), fuse_(!kernelHasVfat()) {
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
      fuse_ ? run({"fusefat", "-o", "rw+", device_.string(), mountPoint_.string()}, output)
            : run({"mount", "-t", "vfat", "-o",
                   "loop,shortname=winnt,utf8,flush,uid=0,gid=0,umask=022", device_.string(),
                   mountPoint_.string()},
                  output);
  if (status != 0 || !isMountPoint(mountPoint_)) {
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
  const int status = fuse_ ? run({"fusermount", "-u", mountPoint_.string()}, output)
                           : run({"umount", mountPoint_.string()}, output);
  if (status != 0 && isMountPoint(mountPoint_)) {
    // Lazily, so a pulled stick does not leave the mount point busy for ever.
    std::string ignored;
    run(fuse_ ? std::vector<std::string>{"fusermount", "-u", "-z", mountPoint_.string()}
              : std::vector<std::string>{"umount", "-l", mountPoint_.string()},
        ignored);
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
