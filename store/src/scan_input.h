// Where the data set scanner takes its bytes from: memory, a file (values skipped by moving
// the offset, never read), or an inflating view of either for deflated data sets.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace burnstation::store::scan {

// Thrown inside the scan when it cannot go on; the scan turns it into a ScanProblem.
struct ScanFailure : std::runtime_error {
  explicit ScanFailure(const std::string& what) : std::runtime_error(what) {}
};

class ScanInput {
 public:
  virtual ~ScanInput() = default;
  // Copies up to n bytes; fewer only at the end of the input.
  virtual std::size_t read(std::uint8_t* out, std::size_t n) = 0;
  // Moves on by up to n bytes; fewer only at the end of the input.
  virtual std::uint64_t skip(std::uint64_t n) = 0;
  virtual std::uint64_t position() const = 0;
  // Bytes left, when known without reading them.
  virtual std::optional<std::uint64_t> remaining() const = 0;
};

class MemoryInput : public ScanInput {
 public:
  explicit MemoryInput(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::size_t read(std::uint8_t* out, std::size_t n) override;
  std::uint64_t skip(std::uint64_t n) override;
  std::uint64_t position() const override { return at_; }
  std::optional<std::uint64_t> remaining() const override { return bytes_.size() - at_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

class FileInput : public ScanInput {
 public:
  // Throws StoreError(Code::Io).
  explicit FileInput(const std::filesystem::path& file);
  ~FileInput() override;
  FileInput(const FileInput&) = delete;
  FileInput& operator=(const FileInput&) = delete;
  std::size_t read(std::uint8_t* out, std::size_t n) override;
  std::uint64_t skip(std::uint64_t n) override;
  std::uint64_t position() const override { return at_; }
  std::optional<std::uint64_t> remaining() const override { return size_ - at_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint64_t at_ = 0;
  // One window of the file; headers are small and close together.
  std::vector<std::uint8_t> window_;
  std::uint64_t windowStart_ = 0;
  std::size_t windowLength_ = 0;
};

// Raw deflate (PS3.5 A.5) of everything the source has left. Inflates on demand, so memory
// stays at two buffers whatever the stream holds; more than maxInflated bytes is a failure.
class InflatingInput : public ScanInput {
 public:
  InflatingInput(ScanInput& source, std::uint64_t maxInflated);
  ~InflatingInput() override;
  InflatingInput(const InflatingInput&) = delete;
  InflatingInput& operator=(const InflatingInput&) = delete;
  std::size_t read(std::uint8_t* out, std::size_t n) override;
  std::uint64_t skip(std::uint64_t n) override;
  std::uint64_t position() const override { return produced_; }
  std::optional<std::uint64_t> remaining() const override { return std::nullopt; }

 private:
  std::size_t inflateInto(std::uint8_t* out, std::size_t n);

  ScanInput& source_;
  std::uint64_t maxInflated_;
  z_stream stream_{};
  std::vector<std::uint8_t> input_;
  std::vector<std::uint8_t> discard_;
  std::uint64_t produced_ = 0;
  bool ended_ = false;
};

}  // namespace burnstation::store::scan
