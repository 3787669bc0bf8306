// The service's job runner: takes queued burn jobs from the shared database and writes them.
// Today every job goes to the built-in image drive (an ISO file per volume and copy in the
// data directory's images/ folder); optical drives and USB come with the rest of issue 4,
// when this moves into mediawriter behind a drive interface.
#pragma once

#include <memory>
#include <mutex>
#include <thread>

#include "burnstation/store/job_queue.h"
#include "station_config.h"

namespace burnstation::app {

class JobRunner {
 public:
  explicit JobRunner(StationConfig config);
  ~JobRunner();  // stops and joins
  void start();
  void updateConfig(const StationConfig& config);

 private:
  void loop(std::stop_token stop);
  void run(store::Job job, store::JobQueue& queue, const StationConfig& config);

  std::mutex configMutex_;
  StationConfig config_;
  std::jthread thread_;
};

// The built-in drive's name, as `drives` lists it and `burn --drive` accepts it.
inline constexpr const char* kImageDriveName = "images";

}  // namespace burnstation::app
