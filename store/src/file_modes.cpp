// Private file modes (see file_modes.h).
#include "burnstation/store/file_modes.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

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
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) fail(path);
  const mode_t mode = privateModeFor(st.st_mode);
  if (mode != 0 && (st.st_mode & 07777) != mode && ::chmod(path.c_str(), mode) != 0) fail(path);
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
