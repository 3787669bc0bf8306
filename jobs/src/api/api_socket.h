// The local API's listening Unix socket: a stale file from a crash is replaced, a live one or a
// file that is not a socket is refused, and the mode and group are set before anyone can
// connect. The file is removed again when the socket is closed, if it is still ours.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace burnstation::jobs {

// A file descriptor, closed when it goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

class ApiSocket {
 public:
  // Listens on path: mode 0600, or 0660 owned by group when one is named. The parent folder
  // is created (0755) when missing. Throws ApiError(503) saying why it cannot.
  ApiSocket(const std::filesystem::path& path, const std::string& group);
  // Removes the socket file, unless something else has replaced it since.
  ~ApiSocket();
  ApiSocket(const ApiSocket&) = delete;
  ApiSocket& operator=(const ApiSocket&) = delete;

  const std::filesystem::path& path() const { return path_; }
  int fd() const { return fd_.get(); }
  // The HTTP server takes the descriptor over (it closes it when it stops).
  int releaseFd() { return fd_.release(); }

 private:
  std::filesystem::path path_;
  UniqueFd fd_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

}  // namespace burnstation::jobs
