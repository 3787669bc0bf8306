// The process-wide table of claimed sticks (see stick_claims.h).
#include "stick_claims.h"

#include <atomic>
#include <map>
#include <mutex>

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

std::mutex claimsMutex;
std::map<fs::path, StickClaim::Purpose>& claims() {
  static std::map<fs::path, StickClaim::Purpose> table;
  return table;
}
std::atomic<std::uint64_t> formats{0};

// The same stick by any spelling of its path (a test image named relatively, a /dev link).
fs::path keyOf(const fs::path& partition) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(partition, ec);
  return ec ? partition.lexically_normal() : canonical;
}

}  // namespace

std::optional<StickClaim> StickClaim::take(const fs::path& partition, Purpose purpose,
                                           Purpose& holder) {
  const fs::path key = keyOf(partition);
  std::lock_guard lock(claimsMutex);
  const auto [at, inserted] = claims().emplace(key, purpose);
  if (!inserted) {
    holder = at->second;
    return std::nullopt;
  }
  return StickClaim(key);
}

std::optional<StickClaim::Purpose> StickClaim::holder(const fs::path& partition) {
  const fs::path key = keyOf(partition);
  std::lock_guard lock(claimsMutex);
  const auto at = claims().find(key);
  if (at == claims().end()) return std::nullopt;
  return at->second;
}

std::uint64_t StickClaim::formatsFinished() {
  return formats.load();
}
void StickClaim::formatFinished() {
  ++formats;
}

StickClaim::StickClaim(StickClaim&& other) noexcept : partition_(std::move(other.partition_)) {
  other.partition_.clear();
}

StickClaim::~StickClaim() {
  if (partition_.empty()) return;
  std::lock_guard lock(claimsMutex);
  claims().erase(partition_);
}

}  // namespace burnstation::mediawriter
