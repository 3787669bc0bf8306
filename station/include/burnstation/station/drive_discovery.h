// Where the station learns which burners this machine has. libburn by default; the service
// replaces it with what its device watcher found (so nothing rescans while a job holds a
// drive), the command line with what a running service recorded, and tests add `stdio:`
// pseudo-burners through BURNSTATION_TEST_DISCOVERED_BURNERS (test-only).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "burnstation/mediawriter/optical_drive.h"

namespace burnstation::station {

class DriveDiscovery {
 public:
  virtual ~DriveDiscovery() = default;
  virtual std::vector<mediawriter::DiscoveredDrive> discover() = 0;
};

// libburn's scan, plus the test-only pseudo-burners named (separated by ';') in the
// environment variable BURNSTATION_TEST_DISCOVERED_BURNERS, e.g. "stdio:/tmp/x/disc".
std::unique_ptr<DriveDiscovery> libburnDiscovery();
std::vector<mediawriter::DiscoveredDrive> testBurnersFromEnvironment();

// A fixed list (what a watcher or a running service recorded).
std::unique_ptr<DriveDiscovery> knownList(std::vector<mediawriter::DiscoveredDrive> drives);

// The discovery chooseDrive and knownDrives use when none is passed: libburnDiscovery until
// a process installs its own (the service installs its device watcher's).
DriveDiscovery& defaultDiscovery();
void setDefaultDiscovery(std::shared_ptr<DriveDiscovery> discovery);

// The name a discovered burner goes by: the last part of its address ("/dev/sr0" -> "sr0").
std::string discoveredName(const std::string& address);

}  // namespace burnstation::station
