// The data directory lock (see data_dir_lock.h). flock, not a PID file alone: the kernel
// releases it when the holder dies, so a crash never leaves a stale lock behind.
#include "burnstation/store/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "burnstation/store/file_modes.h"
#include "burnstation/store/store_error.h"
#include "store_layout.h"

namespace burnstation::store {

namespace {

std::string holderPid(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string pid;
  for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i) pid += text[i];
  return pid;
}

}  // namespace

DataDirLock::DataDirLock(const std::filesystem::path& dataDir) {
  const std::filesystem::path file = dataDir / layout::kLockFile;
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, kPrivateFileMode);
  if (fd_ < 0) {
    throw StoreError(StoreError::Code::Io,
                     "cannot open the lock file " + file.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string pid = error == EWOULDBLOCK ? holderPid(fd_) : std::string();
    ::close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) {
      throw StoreError(StoreError::Code::Io,
                       "cannot lock " + file.string() + ": " + std::strerror(error));
    }
    throw StoreError(StoreError::Code::Locked,
                     "another burnstation service" + (pid.empty() ? "" : " (PID " + pid + ")") +
                         " is using the data directory " + dataDir.string() +
                         "; stop it first, or give this one its own --data-dir");
  }
  makePrivate(fd_, file);
  // Written in place, then cut: the file keeps its block, so this works on a full disk too.
  // The PID is only for the message above; the lock itself is the flock.
  const std::string pid = std::to_string(::getpid()) + "\n";
  const bool written = ::pwrite(fd_, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size());
  // Without our PID, no PID at all rather than a previous holder's.
  [[maybe_unused]] const int cut = ::ftruncate(fd_, written ? static_cast<off_t>(pid.size()) : 0);
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace burnstation::store
