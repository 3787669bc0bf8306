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
#include <sstream>
#include <thread>
#include <utility>
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

// The read end of a pipe, closed on every path.
struct PipeEnd {
  int fd = -1;
  ~PipeEnd() {
    if (fd >= 0) ::close(fd);
  }
};

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};

struct SpawnAttributes {
  posix_spawnattr_t attributes;
  SpawnAttributes() { posix_spawnattr_init(&attributes); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes); }
};

// Runs a program (looked up in PATH) without a shell and returns its exit status and what
// it printed. posix_spawn, not fork: the service has threads, and a forked child of a
// threaded process may only call async-signal-safe functions before exec. A program still
// running at the limit is killed with everything it started (its own process group) and
// reaped, and the status is -1 with output saying so.
int run(const std::vector<std::string>& argv, std::string& output,
        std::chrono::milliseconds limit) {
  // Everything the child needs is made here, before it exists.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
    output = std::string("cannot start ") + argv[0] + ": " + std::strerror(errno);
    return -1;
  }
  PipeEnd readEnd{pipeFds[0]};
  PipeEnd writeEnd{pipeFds[1]};
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(&actions.actions, writeEnd.fd, 1);
  posix_spawn_file_actions_adddup2(&actions.actions, writeEnd.fd, 2);
  SpawnAttributes attributes;
  posix_spawnattr_setflags(&attributes.attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes.attributes, 0);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawnp(&pid, args[0], &actions.actions, &attributes.attributes, args.data(), environ);
  ::close(std::exchange(writeEnd.fd, -1));
  if (spawned != 0) {
    output = std::string("cannot start ") + argv[0] + ": " + std::strerror(spawned);
    return -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  const auto left = [&] {
    const auto now = std::chrono::steady_clock::now();
    return now >= deadline
               ? 0
               : static_cast<int>(
                     std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count());
  };
  char buffer[512];
  bool timedOut = false;
  for (;;) {
    pollfd p{readEnd.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, left());
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timedOut = ready == 0;
      break;
    }
    const ssize_t n = ::read(readEnd.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of output: the program closed it, usually by exiting
    output.append(buffer, static_cast<std::size_t>(n));
  }
  int status = 0;
  for (;;) {
    if (!timedOut && left() == 0) timedOut = true;
    if (timedOut) {
      ::kill(-pid, SIGKILL);  // the group: a script's own children die with it
      ::kill(pid, SIGKILL);
    }
    const pid_t reaped = ::waitpid(pid, &status, timedOut ? 0 : WNOHANG);
    if (reaped == pid) break;
    if (reaped < 0 && errno != EINTR) return -1;
    if (reaped == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (timedOut) {
    output = argv[0] + " did not finish within " + std::to_string(limit.count()) +
             " ms and was stopped" + (output.empty() ? "" : " (it said: " + output + ")");
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// /proc/self/mountinfo writes space, tab, newline and backslash in paths as \ooo.
std::string unescapeMountField(const std::string& field) {
  const auto octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && octal(field[i + 1]) && octal(field[i + 2]) &&
        octal(field[i + 3])) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

// Field 5 of a mountinfo line is the mount point.
bool isMountPoint(const fs::path& path) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    if ((fields >> id >> parent >> device >> root >> point) &&
        unescapeMountField(point) == path.native()) {
      return true;
    }
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
    // The arguments one by one (NUL-separated): "fusefat", its options, device, mount point.
    const std::string cmdline = contentOf(entry.path() / "cmdline");
    std::vector<std::string> args;
    for (std::size_t at = 0; at < cmdline.size();) {
      const std::size_t end = std::min(cmdline.find('\0', at), cmdline.size());
      args.push_back(cmdline.substr(at, end - at));
      at = end + 1;
    }
    if (!args.empty() && args.front() == "fusefat" &&
        std::find(args.begin() + 1, args.end(), mountPoint.native()) != args.end()) {
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
      fuse_ ? run({"fusefat", "-o", "rw+", device_.string(), mountPoint_.string()}, output, limit_)
            : run({"mount", "-t", "vfat", "-o",
                   "loop,shortname=winnt,utf8,flush,uid=0,gid=0,umask=022", device_.string(),
                   mountPoint_.string()},
                  output, limit_);
  if (status != 0 || !isMountPoint(mountPoint_)) {
    if (isMountPoint(mountPoint_)) {
      // A helper stopped at its limit may have mounted all the same: nothing stays claimed.
      std::string ignored;
      run(fuse_ ? std::vector<std::string>{"fusermount", "-u", "-z", mountPoint_.string()}
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
  const int status = fuse_ ? run({"fusermount", "-u", mountPoint_.string()}, output, limit_)
                           : run({"umount", mountPoint_.string()}, output, limit_);
  if (status != 0 && isMountPoint(mountPoint_)) {
    // Lazily, so a pulled stick does not leave the mount point busy for ever.
    std::string ignored;
    run(fuse_ ? std::vector<std::string>{"fusermount", "-u", "-z", mountPoint_.string()}
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
