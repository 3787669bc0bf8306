// The file a received data set streams into. It asks the kernel to start writing each
// chunk to disk as it arrives, so the fsync before the C-STORE response only waits for the
// tail instead of the whole file: durable storage overlaps the network transfer.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcerror.h>
#include <dcmtk/dcmdata/dcostrma.h>

#include <filesystem>

namespace burnstation::receiver {

class EarlyWritebackConsumer : public DcmConsumer {
 public:
  explicit EarlyWritebackConsumer(const std::filesystem::path& file);
  ~EarlyWritebackConsumer() override;
  OFBool good() const override { return status_.good(); }
  OFCondition status() const override { return status_; }
  OFBool isFlushed() const override { return OFTrue; }
  offile_off_t avail() const override;
  offile_off_t write(const void* buf, offile_off_t buflen) override;
  void flush() override {}

 private:
  int fd_ = -1;
  OFCondition status_;
  off_t written_ = 0;
  off_t writebackStarted_ = 0;
};

class StreamedFile : public DcmOutputStream {
 public:
  explicit StreamedFile(const std::filesystem::path& file);
  ~StreamedFile() override;

 private:
  EarlyWritebackConsumer consumer_;
};

}  // namespace burnstation::receiver
