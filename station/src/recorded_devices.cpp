// The device watcher's records, read back (see recorded_devices.h).
#include "burnstation/station/recorded_devices.h"

#include <exception>

#include "burnstation/station/drives_document.h"
#include "burnstation/store/job_queue.h"

namespace burnstation::station {

std::optional<std::vector<store::DeviceState>> recordedDevices(const StationConfig& config) {
  try {
    store::JobQueue queue(config.dataDir);
    const auto beat = queue.secondsSinceHeartbeat();
    if (!beat || *beat > kServiceHeartbeatSeconds) return std::nullopt;
    auto devices = store::DeviceStates(config.dataDir).all();
    if (devices.empty()) return std::nullopt;
    return devices;
  } catch (const std::exception&) {
    return std::nullopt;  // no station data yet, or a database without the table
  }
}

std::unique_ptr<DriveDiscovery> recordedDiscovery(const StationConfig& config) {
  const auto devices = recordedDevices(config);
  return knownList(devices ? discoveredIn(*devices) : std::vector<mediawriter::DiscoveredDrive>{});
}

}  // namespace burnstation::station
