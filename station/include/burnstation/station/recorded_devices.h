// What a running service's device watcher last recorded about drives and sticks, for the
// readers that must not grab a burner themselves while the service may be using it: the
// command line (`drives`, `burn`) and the local API.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "burnstation/station/drive_discovery.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/device_states.h"

namespace burnstation::station {

// How long a service may stay silent and still count as running.
inline constexpr double kServiceHeartbeatSeconds = 10;

// The recorded rows; nullopt when no service runs for config.dataDir or none was recorded.
std::optional<std::vector<store::DeviceState>> recordedDevices(const StationConfig& config);

// The burners among the recorded rows as a discovery; with none recorded, no burners
// (never a scan of its own).
std::unique_ptr<DriveDiscovery> recordedDiscovery(const StationConfig& config);

}  // namespace burnstation::station
