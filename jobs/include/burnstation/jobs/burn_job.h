// One burn job from its frozen list of instances to verified media: planning (or taking up
// the plan a restart interrupted), every volume and copy written, refused media waited out,
// failed media rejected and the volume written again on the next one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <stop_token>

#include "burnstation/station/station_config.h"
#include "burnstation/store/job_queue.h"

namespace burnstation::jobs {

// Scratch and image space the running jobs have claimed, so that two jobs starting together
// cannot both count the same free bytes, and no job takes the store below its reserve.
class SpaceLedger {
 public:
  // Returns an empty string when the bytes are reserved, else why not.
  std::string reserve(const std::filesystem::path& dataDir, std::uint64_t bytes,
                      std::uint64_t floor);
  void release(std::uint64_t bytes);

 private:
  std::mutex mutex_;
  std::uint64_t reserved_ = 0;
};

// Runs the job to its end state. A stop request (the service stopping) puts it back in the
// queue instead, so it resumes when the service starts again.
void runBurnJob(store::Job job, store::JobQueue& queue, const station::StationConfig& config,
                SpaceLedger& space, std::stop_token stop);

}  // namespace burnstation::jobs
