// Who is using a stick inside this process: a job writing or verifying it, or a format.
// The two must exclude each other (a format under a job's mount destroys the patient's
// file-set; a job mounting a stick mkfs.vfat is writing sees garbage), and both run in the
// service, so one process-wide table decides. Other processes are seen through the mount
// table (stick_format.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace burnstation::mediawriter {

class StickClaim {
 public:
  enum class Purpose { Writing, Formatting };

  // The claim, or nullopt with holder set to what holds the stick now.
  static std::optional<StickClaim> take(const std::filesystem::path& partition, Purpose purpose,
                                        Purpose& holder);
  // What holds the stick now, if anything.
  static std::optional<Purpose> holder(const std::filesystem::path& partition);
  // Counts finished formats: a job that refused a stick looks at it again once this moves.
  static std::uint64_t formatsFinished();
  static void formatFinished();

  StickClaim(StickClaim&& other) noexcept;
  StickClaim& operator=(StickClaim&&) = delete;
  StickClaim(const StickClaim&) = delete;
  ~StickClaim();

 private:
  explicit StickClaim(std::filesystem::path partition) : partition_(std::move(partition)) {}
  std::filesystem::path partition_;  // empty once moved from
};

}  // namespace burnstation::mediawriter
