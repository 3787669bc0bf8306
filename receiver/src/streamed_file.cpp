// Early writeback for received files (see streamed_file.h).
#include "streamed_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

namespace burnstation::receiver {
namespace {

// Start writeback every 256 KiB: large enough to keep the disk queue busy, small enough
// that little is left for the final fsync.
constexpr off_t kWritebackChunk = 256 * 1024;

OFCondition ioError(const char* what) {
  return makeOFCondition(OFM_dcmdata, 18, OF_error,
                         (std::string(what) + ": " + std::strerror(errno)).c_str());
}

}  // namespace

EarlyWritebackConsumer::EarlyWritebackConsumer(const std::filesystem::path& file) {
  fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd_ < 0) status_ = ioError("cannot create file");
}

EarlyWritebackConsumer::~EarlyWritebackConsumer() {
  if (fd_ >= 0) ::close(fd_);
}

offile_off_t EarlyWritebackConsumer::avail() const {
  return good() ? std::numeric_limits<offile_off_t>::max() : 0;
}

offile_off_t EarlyWritebackConsumer::write(const void* buf, offile_off_t buflen) {
  if (!good()) return 0;
  const auto* p = static_cast<const char*>(buf);
  offile_off_t done = 0;
  while (done < buflen) {
    const ssize_t n = ::write(fd_, p + done, static_cast<size_t>(buflen - done));
    if (n < 0) {
      if (errno == EINTR) continue;
      status_ = ioError("cannot write file");  // ENOSPC lands here: DCMTK answers A700
      return done;
    }
    done += n;
  }
  written_ += done;
  if (written_ - writebackStarted_ >= kWritebackChunk) {
    // Asynchronous: queues the pages for writing and returns at once.
    ::sync_file_range(fd_, writebackStarted_, written_ - writebackStarted_, SYNC_FILE_RANGE_WRITE);
    writebackStarted_ = written_;
  }
  return done;
}

StreamedFile::StreamedFile(const std::filesystem::path& file)
    : DcmOutputStream(&consumer_), consumer_(file) {}

StreamedFile::~StreamedFile() {
  flush();
}

}  // namespace burnstation::receiver
