// Private file modes (see file_modes.h).
#include "burnstation/store/file_modes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "burnstation/store/store_error.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& path) {
  throw StoreError(StoreError::Code::Io, "cannot restrict the permissions of " + path.string() +
                                             ": " + std::strerror(errno));
}

// The private mode for this file type, or 0 for types we leave alone.
mode_t privateModeFor(mode_t type) {
  if (S_ISDIR(type)) return kPrivateDirectoryMode;
  if (S_ISREG(type)) return kPrivateFileMode;
  return 0;
}

}  // namespace

void makePrivate(const fs::path& path) {
  // Decided and changed on one inode: lstat then chmod by name would follow a link that
  // replaced the entry in between. O_PATH opens without touching the file (a device node
  // is not opened for real), and chmod through /proc/self/fd acts on what was opened.
  const int fd = ::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) fail(path);
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } closeFd{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(path);
  const mode_t mode = privateModeFor(st.st_mode);
  if (mode == 0 || (st.st_mode & 07777) == mode) return;
  const std::string opened = "/proc/self/fd/" + std::to_string(fd);
  if (::chmod(opened.c_str(), mode) == 0) return;
  if (errno != ENOENT) fail(path);
  // No /proc: open it for real, never following, and only if it is still that inode.
  const int real = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (real < 0) fail(path);
  const Close closeReal{real};
  struct stat now {};
  if (::fstat(real, &now) != 0) fail(path);
  if (now.st_dev != st.st_dev || now.st_ino != st.st_ino) return;  // replaced: not ours
  if (::fchmod(real, mode) != 0) fail(path);
}

void makePrivate(int fd, const fs::path& pathForMessages) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(pathForMessages);
  const mode_t mode = privateModeFor(st.st_mode);
  if (mode != 0 && (st.st_mode & 07777) != mode && ::fchmod(fd, mode) != 0) fail(pathForMessages);
}

void makeTreePrivate(const fs::path& root) {
  makePrivate(root);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    try {
      makePrivate(it->path());
    } catch (const StoreError&) {
      // Another user's file (root ran a command in here): not ours to change, and no reason
      // to refuse to start. The folders above it are ours, and private.
    }
  }
  if (ec) {
    throw StoreError(StoreError::Code::Io, "cannot walk " + root.string() +
                                               " to restrict its permissions: " + ec.message());
  }
}

}  // namespace burnstation::store
