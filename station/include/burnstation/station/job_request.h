// A burn request checked before anything is queued: the patient, that the studies are the
// patient's, the profile, the drive, the copies and the capacity, turned into the job the
// queue stores with its frozen list of instances. Used by `burn` and the local API, so both
// refuse the same requests with the same reasons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/station/drive_discovery.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/job_queue.h"
#include "burnstation/store/store.h"

namespace burnstation::station {

inline constexpr int kMaxCopies = 99;

struct BurnRequest {
  std::string patient;  // a Patient ID or a collection key from the patients document
  std::vector<std::string> studies;
  std::string profile;
  std::string drive;  // empty: the default drive for the profile
  int copies = 1;
  std::optional<std::uint64_t> capacity;  // bytes as given; rounded down to whole sectors
  std::string requestedBy;
};

struct ValidatedJob {
  store::JobRequest request;
  std::vector<std::string> instances;  // SOP Instance UIDs, frozen: later arrivals stay out
};

// Throws RequestError with the reason for the person who asked (StoreError only when the
// store itself fails).
// discovery: the burners the drive may be chosen from (the service's watcher, or what a
// running service recorded); the default discovery when not given.
ValidatedJob validateBurnRequest(const StationConfig& config, const store::Store& store,
                                 const BurnRequest& request);
ValidatedJob validateBurnRequest(const StationConfig& config, const store::Store& store,
                                 const BurnRequest& request, DriveDiscovery& discovery);

}  // namespace burnstation::station
