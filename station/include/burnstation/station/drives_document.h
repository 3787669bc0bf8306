// The `drives` document (ARCHITECTURE.md: name, address, kind, media.status/type/
// capacity_bytes), built here once for the command line and the local API, and the probes
// that fill it. In the service only the device watcher probes; the command line probes
// itself only when no service is running.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "burnstation/mediawriter/optical_drive.h"
#include "burnstation/mediawriter/usb_stick.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/device_states.h"

namespace burnstation::station {

// Configured drives, discovered burners and the image drive, with what is in them. A drive
// in busy (a job's drive, by name or address -> the job) is not touched: it shows as in use.
// How the device watcher looks: without closing an open tray (the clerk opened it), not
// waiting long for a drive that is not ready (it looks again soon), and stoppable.
struct ProbeManner {
  bool loadTray = true;
  std::chrono::milliseconds settleLimit{30'000};
  std::function<bool()> stop;
};
std::vector<store::DeviceState> probeDrives(const StationConfig& config,
                                            const std::vector<mediawriter::DiscoveredDrive>& found,
                                            const std::map<std::string, std::int64_t>& busy = {},
                                            const ProbeManner& manner = {});

// The sticks present (or one "usb" row saying none is, or why sticks cannot be seen).
std::vector<store::DeviceState> probeSticks(const StationConfig& config,
                                            mediawriter::UsbSticks& sticks);

nlohmann::json drivesDocument(const std::vector<store::DeviceState>& devices);
// One line per drive or stick, for `drives` without --json.
std::string drivesText(const std::vector<store::DeviceState>& devices);

// The discovered burners among recorded rows (what a running service found).
std::vector<mediawriter::DiscoveredDrive> discoveredIn(
    const std::vector<store::DeviceState>& devices);

}  // namespace burnstation::station
