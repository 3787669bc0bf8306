// fsync/rename helpers and replacement files (see burnstation/store/durable_file.h).
#include "durable_file.h"

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "burnstation/store/store_error.h"

namespace burnstation::store {
namespace {

void syncPath(const std::filesystem::path& path, int flags, const char* what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    throw StoreError(StoreError::Code::Io, std::string("cannot open ") + what + " " +
                                               path.string() + ": " + std::strerror(errno));
  }
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) {
    throw StoreError(StoreError::Code::Io, std::string("cannot flush ") + what + " " +
                                               path.string() + " to disk: " + std::strerror(error));
  }
}

}  // namespace

void fsyncFile(const std::filesystem::path& file) {
  syncPath(file, O_RDONLY, "file");
}

void fsyncDirectory(const std::filesystem::path& directory) {
  syncPath(directory, O_RDONLY | O_DIRECTORY, "directory");
}

void renameDurably(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw StoreError(StoreError::Code::Io, "cannot move " + from.string() + " to " + to.string() +
                                               ": " + std::strerror(errno));
  }
  fsyncDirectory(to.parent_path());
}

PendingFile::PendingFile(std::filesystem::path target)
    : target_(std::move(target)), temporary_(target_.string() + ".part") {
  // Left by a crash in an earlier run: never complete, so never worth keeping.
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

PendingFile::~PendingFile() {
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void PendingFile::commit() {
  fsyncFile(temporary_);
  renameDurably(temporary_, target_);
  committed_ = true;
}

void writeFileDurably(const std::filesystem::path& target, std::string_view bytes, unsigned mode) {
  PendingFile pending(target);
  const int fd = ::open(pending.path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        static_cast<mode_t>(mode));
  if (fd < 0) {
    throw StoreError(StoreError::Code::Io,
                     "cannot create " + pending.path().string() + ": " + std::strerror(errno));
  }
  const char* at = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, at, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      throw StoreError(StoreError::Code::Io,
                       "cannot write " + target.string() + ": " + std::strerror(error));
    }
    at += n;
    left -= static_cast<std::size_t>(n);
  }
  // close(2) reports delayed write errors on some filesystems (NFS, FUSE); commit() fsyncs.
  if (::close(fd) != 0) {
    throw StoreError(StoreError::Code::Io,
                     "cannot write " + target.string() + ": " + std::strerror(errno));
  }
  pending.commit();
}

std::string isoNow() {
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  tm local{};
  ::localtime_r(&tv.tv_sec, &local);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &local);
  char zone[8];
  std::strftime(zone, sizeof zone, "%z", &local);  // +0100
  char out[64];
  std::snprintf(out, sizeof out, "%s.%03d%.3s:%.2s", date, static_cast<int>(tv.tv_usec / 1000),
                zone, zone + 3);
  return out;
}

}  // namespace burnstation::store
