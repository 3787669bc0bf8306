// Byte sources of the data set scanner (see scan_input.h).
#include "scan_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "burnstation/store/store_error.h"

namespace burnstation::store::scan {

namespace {
constexpr std::size_t kWindowBytes = 64 * 1024;
constexpr std::size_t kInflateChunk = 64 * 1024;
}  // namespace

std::size_t MemoryInput::read(std::uint8_t* out, std::size_t n) {
  const std::size_t count = std::min(n, bytes_.size() - at_);
  std::memcpy(out, bytes_.data() + at_, count);
  at_ += count;
  return count;
}

std::uint64_t MemoryInput::skip(std::uint64_t n) {
  const std::uint64_t count = std::min<std::uint64_t>(n, bytes_.size() - at_);
  at_ += static_cast<std::size_t>(count);
  return count;
}

FileInput::FileInput(const std::filesystem::path& file) : path_(file) {
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    const int error = errno;
    if (fd_ >= 0) ::close(fd_);
    throw StoreError(StoreError::Code::Io,
                     "cannot open " + file.string() + ": " + std::strerror(error));
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  window_.resize(kWindowBytes);
}

FileInput::~FileInput() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileInput::read(std::uint8_t* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n && at_ < size_) {
    if (at_ < windowStart_ || at_ >= windowStart_ + windowLength_) {
      ssize_t got;
      do {
        got = ::pread(fd_, window_.data(), window_.size(), static_cast<off_t>(at_));
      } while (got < 0 && errno == EINTR);
      if (got < 0) {
        throw StoreError(StoreError::Code::Io,
                         "cannot read " + path_.string() + ": " + std::strerror(errno));
      }
      if (got == 0) break;  // the file shrank under us: its end is here
      windowStart_ = at_;
      windowLength_ = static_cast<std::size_t>(got);
    }
    const std::size_t inWindow = static_cast<std::size_t>(at_ - windowStart_);
    const std::size_t count = std::min(n - done, windowLength_ - inWindow);
    std::memcpy(out + done, window_.data() + inWindow, count);
    done += count;
    at_ += count;
  }
  return done;
}

std::uint64_t FileInput::skip(std::uint64_t n) {
  const std::uint64_t count = std::min(n, size_ - at_);
  at_ += count;
  return count;
}

InflatingInput::InflatingInput(ScanInput& source, std::uint64_t maxInflated)
    : source_(source), maxInflated_(maxInflated) {
  if (inflateInit2(&stream_, -MAX_WBITS) != Z_OK) {
    throw ScanFailure("cannot start inflating the deflated data set");
  }
  input_.resize(kInflateChunk);
  discard_.resize(kInflateChunk);
}

InflatingInput::~InflatingInput() {
  inflateEnd(&stream_);
}

std::size_t InflatingInput::inflateInto(std::uint8_t* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n && !ended_) {
    if (stream_.avail_in == 0) {
      const std::size_t got = source_.read(input_.data(), input_.size());
      if (got == 0) {
        throw ScanFailure("deflated data set ends before its deflate stream does");
      }
      stream_.next_in = input_.data();
      stream_.avail_in = static_cast<uInt>(got);
    }
    stream_.next_out = out + done;
    stream_.avail_out = static_cast<uInt>(n - done);
    const int status = ::inflate(&stream_, Z_NO_FLUSH);
    const std::size_t made = (n - done) - stream_.avail_out;
    done += made;
    produced_ += made;
    if (produced_ > maxInflated_) {
      throw ScanFailure("deflated data set inflates beyond " + std::to_string(maxInflated_ >> 20) +
                        " MiB");
    }
    if (status == Z_STREAM_END) {
      ended_ = true;  // what follows in the source is padding (PS3.5 A.5)
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      throw ScanFailure(std::string("deflated data set is corrupt (") +
                        (stream_.msg ? stream_.msg : "inflate failed") + ")");
    }
  }
  return done;
}

std::size_t InflatingInput::read(std::uint8_t* out, std::size_t n) {
  return inflateInto(out, n);
}

std::uint64_t InflatingInput::skip(std::uint64_t n) {
  std::uint64_t done = 0;
  while (done < n && !ended_) {
    const std::size_t chunk =
        static_cast<std::size_t>(std::min<std::uint64_t>(n - done, discard_.size()));
    const std::size_t got = inflateInto(discard_.data(), chunk);
    done += got;
    if (got < chunk) break;
  }
  return done;
}

}  // namespace burnstation::store::scan
