// Derived names and the stored-path check (see stored_path.h).
#include "burnstation/store/stored_path.h"

#include <xxhash.h>

#include <cstdio>
#include <iterator>

#include "burnstation/store/store_error.h"
#include "store_layout.h"

namespace burnstation::store {

std::string uidDigest(std::string_view sopInstanceUid) {
  const XXH128_hash_t digest = XXH3_128bits(sopInstanceUid.data(), sopInstanceUid.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(digest.high64),
                static_cast<unsigned long long>(digest.low64));
  return hex;
}

std::string objectPathFor(std::string_view sopInstanceUid) {
  const std::string digest = uidDigest(sopInstanceUid);
  return std::string(layout::kObjectsDir) + "/" + digest.substr(0, 2) + "/" + digest +
         layout::kObjectSuffix;
}

bool isObjectPathOf(std::string_view relative, std::string_view sopInstanceUid) {
  const std::string exact = objectPathFor(sopInstanceUid);
  if (relative == exact) return true;
  const std::string_view stem = std::string_view(exact).substr(0, exact.size() - 4);  // ".dcm"
  if (relative.size() < stem.size() + 6 || relative.substr(0, stem.size()) != stem) return false;
  if (relative[stem.size()] != '-' || relative.substr(relative.size() - 4) != ".dcm") return false;
  const std::string_view number =
      relative.substr(stem.size() + 1, relative.size() - stem.size() - 5);
  if (number.empty() || number.front() == '0') return false;
  for (const char c : number) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool isStoredPath(std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return false;
  if (relative.find('\0') != std::string_view::npos) return false;
  if (relative.find('\\') != std::string_view::npos) return false;
  const std::string_view top = relative.substr(0, relative.find('/'));
  if (top != layout::kObjectsDir && top != layout::kSetAsideDir) return false;
  if (top.size() == relative.size()) return false;  // the folder itself is no file
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = relative.find('/', start);
    const std::string_view part = relative.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::filesystem::path storedFile(const std::filesystem::path& dataDir, std::string_view relative) {
  if (!isStoredPath(relative)) {
    std::string shown;
    for (const char c : relative) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
    throw StoreError(StoreError::Code::Inconsistent,
                     "the index names \"" + shown +
                         "\" as a stored file, which is not a path inside the store's objects");
  }
  return dataDir / std::string(relative);
}

bool isInsideDataDir(const std::filesystem::path& target, const std::filesystem::path& dataDir) {
  std::error_code ec;
  const auto canonical = [&](const std::filesystem::path& p) {
    std::filesystem::path absolute = std::filesystem::absolute(p, ec);
    std::filesystem::path resolved = std::filesystem::weakly_canonical(absolute, ec);
    return ec ? absolute.lexically_normal() : resolved;
  };
  const std::filesystem::path inside = canonical(target);
  const std::filesystem::path data = canonical(dataDir);
  auto t = inside.begin();
  for (auto d = data.begin(); d != data.end(); ++d, ++t) {
    if (d->empty() && std::next(d) == data.end()) break;  // a trailing separator
    if (t == inside.end() || *t != *d) return false;
  }
  return true;
}

}  // namespace burnstation::store
