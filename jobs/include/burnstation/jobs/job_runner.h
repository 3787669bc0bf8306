// The service's job runner: takes queued burn jobs from the shared database and runs each
// in its own thread, one job per drive at a time and drives in parallel. It also purges
// finished jobs' images and labels after the configured time, and runs the background
// preview worker. It owns the device watcher,
// tells it which drives jobs hold, and installs it as the service's drive discovery.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "burnstation/jobs/burn_job.h"
#include "burnstation/jobs/device_watcher.h"
#include "burnstation/jobs/preview_worker.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/job_queue.h"

namespace burnstation::jobs {

class JobRunner {
 public:
  explicit JobRunner(station::StationConfig config);
  ~JobRunner();  // stops and joins
  void start();
  void updateConfig(const station::StationConfig& config);
  // The service's device watcher (the local API formats sticks through it).
  DeviceWatcher& watcher() { return *watcher_; }

 private:
  void loop(std::stop_token stop);
  void purge(store::JobQueue& queue, const station::StationConfig& config);
  station::StationConfig currentConfig();

  std::mutex mutex_;
  station::StationConfig config_;
  std::map<std::string, std::int64_t> busyDrives_;  // drive as the job recorded it -> job
  std::shared_ptr<DeviceWatcher> watcher_;
  std::map<std::int64_t, std::jthread> running_;
  std::set<std::int64_t> finished_;
  SpaceLedger space_;
  PreviewWorker previews_;  // renders previews of quiet studies in the background
  std::jthread thread_;
};

}  // namespace burnstation::jobs
