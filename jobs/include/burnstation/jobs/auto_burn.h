// Auto-burn (REQUIREMENTS §5): a study sent to a rule's called AE title is queued for burning
// once no instance of it has arrived for the rule's quiet time. The service's job runner
// calls poll() about once a second.
#pragma once

#include <map>
#include <set>
#include <string>

#include "burnstation/jobs/device_watcher.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/job_queue.h"

namespace burnstation::jobs {

class AutoBurnWatch {
 public:
  // Queues a job for every quiet study of every rule; returns how many were queued. The
  // rule's drive is chosen from what the device watcher found (no rescan per poll); a
  // rule whose drive is unavailable, or whose default drive changes, is said in the log.
  int poll(store::JobQueue& queue, const station::StationConfig& config, DeviceWatcher& devices);

 private:
  void report(const std::string& calledAe, const std::string& text);

  std::set<std::string> reported_;             // problems already logged
  std::map<std::string, std::string> chosen_;  // rule's called AE -> drive it burns to
};

}  // namespace burnstation::jobs
