// Directory descriptors and moves that never follow or replace (see store_directory.h).
#include "store_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "burnstation/store/store_error.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

constexpr mode_t kDirectoryMode = 0750;
// Far more than any collision could need; a bound so a flood of planted names cannot
// keep a move looping.
constexpr int kMaxSuffix = 1000;

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw StoreError(error == ENOSPC ? StoreError::Code::NoSpace : StoreError::Code::Io,
                   what + " " + path.string() + ": " + std::strerror(error));
}

// renameat2(RENAME_NOREPLACE); where a filesystem lacks it, link + unlink, which cannot
// replace either.
int renameNoReplace(int fromFd, const char* from, int toFd, const char* to) {
  if (::renameat2(fromFd, from, toFd, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::linkat(fromFd, from, toFd, to, 0) != 0) return -1;
  ::unlinkat(fromFd, from, 0);
  return 0;
}

}  // namespace

Directory Directory::open(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open directory", path, errno);
  return Directory(fd, path);
}

Directory::~Directory() {
  if (fd_ >= 0) ::close(fd_);
}

Directory::Directory(Directory&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

Directory& Directory::operator=(Directory&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

Directory Directory::child(std::string_view relative, bool create) const {
  int at = fd_;
  fs::path path = path_;
  int opened = -1;
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t slash = relative.find('/', start);
    const std::string name(relative.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    start = slash == std::string_view::npos ? relative.size() + 1 : slash + 1;
    if (name.empty() || name == "." || name == "..") {
      if (opened >= 0) ::close(opened);
      throw StoreError(StoreError::Code::Inconsistent,
                       "not a folder name inside the store: " + std::string(relative));
    }
    path /= name;
    if (create && ::mkdirat(at, name.c_str(), kDirectoryMode) == 0) {
      ::fsync(at);  // the new folder's name must survive a crash like the files in it
    } else if (create && errno != EEXIST) {
      const int error = errno;
      if (opened >= 0) ::close(opened);
      fail("cannot create", path, error);
    }
    const int next = ::openat(at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    const int error = errno;
    if (opened >= 0) ::close(opened);
    if (next < 0) {
      if (error == ELOOP || error == ENOTDIR) {
        throw StoreError(StoreError::Code::Inconsistent,
                         path.string() + " is not a folder (a symbolic link or a file is there)");
      }
      fail("cannot open directory", path, error);
    }
    opened = next;
    at = next;
  }
  return Directory(opened, path);
}

bool Directory::contains(const std::string& name) const {
  struct stat st {};
  return ::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT;
}

void Directory::sync() const {
  if (::fsync(fd_) != 0) fail("cannot flush directory", path_, errno);
}

OpenFile::OpenFile(const Directory& dir, const std::string& name) : path_(dir.path() / name) {
  // O_NONBLOCK: a FIFO planted under a stored name would otherwise hold this thread until
  // a writer came; for a regular file it changes nothing.
  fd_ = ::openat(dir.fd(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) fail("cannot open", path_, errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    fail("cannot read the size of", path_, error);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw StoreError(StoreError::Code::Inconsistent, path_.string() + " is not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

void OpenFile::sync() const {
  if (::fsync(fd_) != 0) fail("cannot flush to disk", path_, errno);
}

std::string moveWithoutReplacing(const Directory& from, const std::string& name,
                                 const Directory& to, const std::string& base,
                                 const std::string& extension) {
  for (int suffix = 0; suffix <= kMaxSuffix; ++suffix) {
    const std::string target =
        suffix == 0 ? base + extension : base + "-" + std::to_string(suffix) + extension;
    if (renameNoReplace(from.fd(), name.c_str(), to.fd(), target.c_str()) == 0) {
      to.sync();
      if (from.fd() != to.fd()) from.sync();
      return target;
    }
    if (errno != EEXIST)
      fail("cannot move " + (from.path() / name).string() + " to", to.path() / target, errno);
  }
  throw StoreError(StoreError::Code::Io, "cannot move " + (from.path() / name).string() +
                                             ": every name for it in " + to.path().string() +
                                             " is taken");
}

void moveReplacing(const Directory& from, const std::string& name, const Directory& to,
                   const std::string& target) {
  if (::renameat(from.fd(), name.c_str(), to.fd(), target.c_str()) != 0) {
    fail("cannot move " + (from.path() / name).string() + " to", to.path() / target, errno);
  }
  to.sync();
  if (from.fd() != to.fd()) from.sync();
}

bool removeFile(const Directory& dir, const std::string& name) {
  return ::unlinkat(dir.fd(), name.c_str(), 0) == 0;
}

}  // namespace burnstation::store
