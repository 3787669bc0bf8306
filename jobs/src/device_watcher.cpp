// The device watcher (see device_watcher.h).
#include "burnstation/jobs/device_watcher.h"

#include <algorithm>
#include <condition_variable>
#include <iostream>

#include "burnstation/station/drives_document.h"

namespace burnstation::jobs {

using Clock = std::chrono::steady_clock;

namespace {
// Burners come and go rarely (a USB burner plugged in); media change often.
constexpr auto kRescan = std::chrono::seconds(30);
constexpr auto kSurvey = std::chrono::seconds(2);

// The same state again is not written: `updated` then says since when it holds.
bool sameState(const std::vector<store::DeviceState>& a, const std::vector<store::DeviceState>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.address == y.address && x.kind == y.kind &&
           x.discovered == y.discovered && x.mediaStatus == y.mediaStatus &&
           x.mediaType == y.mediaType && x.capacityBytes == y.capacityBytes && x.reason == y.reason;
  });
}

}  // namespace

DeviceWatcher::DeviceWatcher(station::StationConfig config) : config_(std::move(config)) {}

DeviceWatcher::~DeviceWatcher() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void DeviceWatcher::start() {
  sticks_ = std::make_unique<mediawriter::UsbSticks>(mediawriter::libusbHotplug());
  survey({});
  thread_ = std::jthread([this](std::stop_token stop) {
    std::mutex wait;
    std::condition_variable_any woken;
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(wait);
        woken.wait_for(lock, stop, kSurvey, [] { return false; });
      }
      if (stop.stop_requested()) break;
      survey(stop);
    }
  });
}

void DeviceWatcher::updateConfig(const station::StationConfig& config) {
  std::lock_guard lock(mutex_);
  config_ = config;
}

void DeviceWatcher::setBusy(std::map<std::string, std::int64_t> busy) {
  std::lock_guard lock(mutex_);
  busy_ = std::move(busy);
}

std::vector<mediawriter::DiscoveredDrive> DeviceWatcher::discover() {
  std::lock_guard lock(mutex_);
  auto found = scanned_.value_or(std::vector<mediawriter::DiscoveredDrive>{});
  for (auto& test : station::testBurnersFromEnvironment()) found.push_back(std::move(test));
  return found;
}

std::vector<store::DeviceState> DeviceWatcher::devices() {
  std::lock_guard lock(mutex_);
  return devices_;
}

void DeviceWatcher::survey(std::stop_token stop) {
  // Every probe below runs outside the lock: a drive can take seconds to answer, and jobs
  // ask discover() meanwhile.
  station::StationConfig config;
  std::map<std::string, std::int64_t> busy;
  bool rescan = false;
  {
    std::lock_guard lock(mutex_);
    config = config_;
    busy = busy_;
    rescan = !scanned_ || Clock::now() - lastScan_ > kRescan;
  }
  try {
    if (rescan) {
      // nullopt while a job holds a drive: the burners found last time are still there.
      if (auto found = mediawriter::scanDrives()) {
        std::lock_guard lock(mutex_);
        scanned_ = std::move(*found);
        lastScan_ = Clock::now();
      }
    }
    station::ProbeManner manner;
    manner.loadTray = false;
    manner.settleLimit = std::chrono::seconds(2);
    manner.stop = [&stop] { return stop.stop_requested(); };
    auto rows = station::probeDrives(config, discover(), busy, manner);
    if (sticks_) {
      for (auto& row : station::probeSticks(config, *sticks_)) rows.push_back(std::move(row));
    }
    if (stop.stop_requested()) return;  // probes cut short say "stopped": not worth keeping
    std::vector<store::DeviceState> previous;
    {
      std::lock_guard lock(mutex_);
      previous = devices_;
    }
    if (!sameState(rows, previous) || !table_) {
      if (!table_) table_ = std::make_unique<store::DeviceStates>(config.dataDir);
      table_->replace(rows);
      std::lock_guard lock(mutex_);
      devices_ = std::move(rows);
    }
    lastProblem_.clear();
  } catch (const std::exception& e) {
    // Once per problem: a full disk would otherwise say so every two seconds.
    if (lastProblem_ != e.what()) {
      lastProblem_ = e.what();
      std::cerr << "burnstation: device watcher: " << e.what() << std::endl;
    }
  }
}

}  // namespace burnstation::jobs
