// Drive discovery (see drive_discovery.h).
#include "burnstation/station/drive_discovery.h"

#include <cstdlib>
#include <mutex>
#include <sstream>

namespace burnstation::station {

namespace {

class LibburnDiscovery : public DriveDiscovery {
 public:
  std::vector<mediawriter::DiscoveredDrive> discover() override {
    auto found = mediawriter::discoverDrives();
    for (auto& test : testBurnersFromEnvironment()) found.push_back(std::move(test));
    return found;
  }
};

class KnownList : public DriveDiscovery {
 public:
  explicit KnownList(std::vector<mediawriter::DiscoveredDrive> drives)
      : drives_(std::move(drives)) {}
  std::vector<mediawriter::DiscoveredDrive> discover() override { return drives_; }

 private:
  std::vector<mediawriter::DiscoveredDrive> drives_;
};

std::mutex defaultMutex;
std::shared_ptr<DriveDiscovery>& installed() {
  static std::shared_ptr<DriveDiscovery> discovery = libburnDiscovery();
  return discovery;
}

// Forwards to whatever is installed at the time of each call, so a reference handed out
// earlier never dangles when the service installs its own.
class Installed : public DriveDiscovery {
 public:
  std::vector<mediawriter::DiscoveredDrive> discover() override {
    std::shared_ptr<DriveDiscovery> current;
    {
      std::lock_guard lock(defaultMutex);
      current = installed();
    }
    return current->discover();
  }
};

}  // namespace

std::unique_ptr<DriveDiscovery> libburnDiscovery() {
  return std::make_unique<LibburnDiscovery>();
}

std::vector<mediawriter::DiscoveredDrive> testBurnersFromEnvironment() {
  std::vector<mediawriter::DiscoveredDrive> out;
  const char* list = std::getenv("BURNSTATION_TEST_DISCOVERED_BURNERS");
  if (!list) return out;
  std::istringstream in(list);
  std::string address;
  while (std::getline(in, address, ';')) {
    // Only pseudo-drives: a test must never reach a real burner this way.
    if (address.rfind("stdio:/", 0) == 0) out.push_back({address, "test", "pseudo-burner"});
  }
  return out;
}

std::unique_ptr<DriveDiscovery> knownList(std::vector<mediawriter::DiscoveredDrive> drives) {
  return std::make_unique<KnownList>(std::move(drives));
}

DriveDiscovery& defaultDiscovery() {
  static Installed forwarding;
  return forwarding;
}

void setDefaultDiscovery(std::shared_ptr<DriveDiscovery> discovery) {
  std::lock_guard lock(defaultMutex);
  installed() = discovery ? std::move(discovery) : libburnDiscovery();
}

std::string discoveredName(const std::string& address) {
  return address.substr(address.rfind('/') + 1);
}

}  // namespace burnstation::station
