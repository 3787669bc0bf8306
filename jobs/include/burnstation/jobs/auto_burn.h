// Auto-burn (REQUIREMENTS §5): a study sent to a rule's called AE title is queued for burning
// once no instance of it has arrived for the rule's quiet time. The service's job runner
// calls poll() about once a second.
#pragma once

#include <set>
#include <string>

#include "burnstation/station/station_config.h"
#include "burnstation/store/job_queue.h"

namespace burnstation::jobs {

class AutoBurnWatch {
 public:
  // Queues a job for every quiet study of every rule; returns how many were queued.
  int poll(store::JobQueue& queue, const station::StationConfig& config);

 private:
  std::set<std::string> reported_;  // problems already logged
};

}  // namespace burnstation::jobs
