// Reading a written volume back and checking it: for an ISO image, the session MD5 over its
// blocks, every file's MD5 and every file the DICOMDIR references; for a file-set folder
// (USB, export), the file-set reader's checks.
#pragma once

#include <filesystem>
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

VerificationReport verifyIsoImage(const std::filesystem::path& image);
VerificationReport verifyFileSetFolder(const std::filesystem::path& root);

}  // namespace burnstation::mediawriter
