// The service's job runner: takes queued burn jobs from the shared database and runs each
// in its own thread, one job per drive at a time and drives in parallel. It also purges
// finished jobs' images and labels after the configured time.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "burn_job.h"
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
  void purge(store::JobQueue& queue, const StationConfig& config);
  StationConfig currentConfig();

  std::mutex mutex_;
  StationConfig config_;
  std::set<std::string> busyDrives_;
  std::map<std::int64_t, std::jthread> running_;
  std::set<std::int64_t> finished_;
  SpaceLedger space_;
  std::jthread thread_;
};

}  // namespace burnstation::app
