// What GET /events sends: the service's jobs and devices, polled from the store, turned into
// Server-Sent Events for what changed since the last look. Volumes are inside a job's
// document, so a volume's progress arrives as an `event: job`; drives and sticks as one
// `event: drives` with the whole drives document.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "burnstation/store/device_states.h"
#include "burnstation/store/job_queue.h"

namespace burnstation::jobs {

class EventFeed {
 public:
  explicit EventFeed(const std::filesystem::path& dataDir);

  // The events since the last call as event-stream text, empty when nothing changed. The
  // first call sends the jobs that have not ended and the drives, so a client that opens the
  // stream and then reads /jobs misses nothing.
  std::string poll();

 private:
  std::string event(const std::string& kind, const std::string& data);

  store::JobQueue jobs_;
  store::DeviceStates devices_;
  std::map<std::int64_t, std::string> seenJobs_;  // id -> the document last sent or seen
  std::string seenDevices_;                       // the drives document without its times
  std::uint64_t nextId_ = 1;
  bool first_ = true;
};

}  // namespace burnstation::jobs
