// The service's device watcher: the only code in the service that scans for burners and
// looks into drives and USB sticks outside a job. It keeps what it saw in the `devices`
// table for `drives` and the kiosk, so nobody else grabs a burner to find out. A drive a
// job holds is never probed (the job reports its medium); it shows as in use by that job.
// It is also the service's drive discovery: burners found at the last scan, with no
// rescan per question (libburn refuses to scan while any drive is held).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "burnstation/mediawriter/stick_format.h"
#include "burnstation/mediawriter/usb_stick.h"
#include "burnstation/station/drive_discovery.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/device_states.h"

namespace burnstation::jobs {

class DeviceWatcher : public station::DriveDiscovery {
 public:
  explicit DeviceWatcher(station::StationConfig config);
  ~DeviceWatcher() override;  // stops and joins
  DeviceWatcher(const DeviceWatcher&) = delete;
  DeviceWatcher& operator=(const DeviceWatcher&) = delete;

  // Looks once (so the table is fresh when the service says it listens), then every
  // couple of seconds on its own thread.
  void start();
  void updateConfig(const station::StationConfig& config);
  // The drives jobs hold now: the drive a job recorded (name or address) -> the job.
  void setBusy(std::map<std::string, std::int64_t> busy);

  std::vector<mediawriter::DiscoveredDrive> discover() override;
  // What the watcher last recorded.
  std::vector<store::DeviceState> devices();

  // Starts making the stick the drives document names by id FAT32, on a thread of its own;
  // its row says "formatting" until done, and report(ok, what happened) is called from that
  // thread. Returns the stick's row then, nullopt for no such stick; throws
  // mediawriter::StickFormatError when the stick must not be formatted now. Only sticks
  // the watcher found can be formatted: the id is looked up, never used as a path.
  using FormatReport = std::function<void(bool ok, const std::string& detail)>;
  std::optional<store::DeviceState> formatStick(const std::string& id, bool force,
                                                FormatReport report);

 private:
  void survey(std::stop_token stop);
  void wake();

  std::mutex mutex_;
  station::StationConfig config_;
  std::map<std::string, std::int64_t> busy_;
  std::optional<std::vector<mediawriter::DiscoveredDrive>> scanned_;
  std::chrono::steady_clock::time_point lastScan_;
  std::vector<store::DeviceState> devices_;
  std::unique_ptr<mediawriter::UsbSticks> sticks_;
  std::unique_ptr<store::DeviceStates> table_;
  std::string lastProblem_;
  std::map<std::string, std::string> formatting_;    // stick id -> its row's reason meanwhile
  std::map<std::string, std::string> formatFailed_;  // stick id -> why, until the next try
  std::mutex wakeMutex_;
  std::condition_variable_any woken_;
  bool wakeUp_ = false;
  std::map<std::string, std::jthread> formats_;  // joined before anything above goes
  std::jthread thread_;
};

}  // namespace burnstation::jobs
