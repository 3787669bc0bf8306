// A small tmpfs mounted for one test, and a file that fills it to the last byte: the real
// "disk full", not a reserve set above the free space. Tests run as root here and in CI, so
// a mount that fails is a test failure, not a skip.
#pragma once

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "station_harness.h"

namespace burnstation::harness {

class SmallFilesystem {
 public:
  SmallFilesystem(std::filesystem::path at, const std::string& size) : at_(std::move(at)) {
    std::filesystem::create_directories(at_);
    const auto mounted =
        runCommand({"mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at_.string()});
    if (mounted.exitCode != 0) {
      throw std::runtime_error("cannot mount a " + size + " tmpfs on " + at_.string() + ": " +
                               mounted.err);
    }
  }
  ~SmallFilesystem() {
    // Lazy when busy (a child still in there): the mount must not outlive the test.
    if (runCommand({"umount", at_.string()}).exitCode != 0) {
      runCommand({"umount", "-l", at_.string()});
    }
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  const std::filesystem::path& path() const { return at_; }

  std::uint64_t freeBytes() const {
    struct statvfs info {};
    if (::statvfs(at_.c_str(), &info) != 0) throw std::runtime_error("statvfs failed");
    return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
  }

  // Writes file until the filesystem refuses another byte.
  void fillWith(const std::filesystem::path& file) const {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + file.string());
    const std::vector<char> zeros(1 << 16, 0);
    for (std::size_t chunk = zeros.size(); chunk > 0; chunk /= 2) {
      while (::write(fd, zeros.data(), chunk) == static_cast<ssize_t>(chunk)) {
      }
    }
    ::close(fd);
  }

 private:
  std::filesystem::path at_;
};

}  // namespace burnstation::harness
