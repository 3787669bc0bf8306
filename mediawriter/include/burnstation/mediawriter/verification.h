// Reading a written volume back and checking it: for an ISO image, the session MD5 over its
// blocks, every file's MD5 and every file the DICOMDIR references; for a file-set folder
// (USB, export), the file-set reader's checks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace burnstation::mediawriter {

struct VerificationCheck {
  std::string name;
  bool ok = false;
  std::string detail;
};

struct VerificationReport {
  std::vector<VerificationCheck> checks;
  bool ok() const {
    for (const auto& c : checks) {
      if (!c.ok) return false;
    }
    return !checks.empty();
  }
};

// 2,048-byte blocks of a written medium: an image file or a drive's disc.
class MediumReader {
 public:
  virtual ~MediumReader() = default;
  virtual bool read(std::uint32_t block, std::uint32_t count, char* out) = 0;
  virtual std::string name() const = 0;
};

// An image file read past the page cache (its cached pages are dropped first).
std::unique_ptr<MediumReader> openImageFile(const std::filesystem::path& image);

// second, when given, is another reader of the same medium for reading in parallel.
VerificationReport verifyMedium(MediumReader& medium, MediumReader* second = nullptr);
VerificationReport verifyIsoImage(const std::filesystem::path& image);
VerificationReport verifyFileSetFolder(const std::filesystem::path& root);

}  // namespace burnstation::mediawriter
