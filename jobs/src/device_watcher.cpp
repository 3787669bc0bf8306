// The device watcher (see device_watcher.h).
#include "burnstation/jobs/device_watcher.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "burnstation/station/drive_choice.h"
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
           x.mediaType == y.mediaType && x.capacityBytes == y.capacityBytes &&
           x.reason == y.reason && x.formattable == y.formattable;
  });
}

// BURNSTATION_TEST_STICKS="IMAGE;IMAGE": image files as sticks, for tests (usb_stick.h).
std::unique_ptr<mediawriter::UsbEventSource> sticksToWatch() {
  const char* list = std::getenv("BURNSTATION_TEST_STICKS");
  if (!list || !*list) return mediawriter::libusbHotplug();
  std::vector<std::filesystem::path> images;
  std::istringstream in(list);
  std::string image;
  while (std::getline(in, image, ';')) {
    if (!image.empty()) images.emplace_back(image);
  }
  return mediawriter::imageSticks(images);
}

}  // namespace

DeviceWatcher::DeviceWatcher(station::StationConfig config) : config_(std::move(config)) {}

DeviceWatcher::~DeviceWatcher() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  // A format is not stopped halfway (that would leave the stick unreadable); mkfs.vfat has
  // its limit.
  std::map<std::string, std::jthread> formats;
  {
    std::lock_guard lock(mutex_);
    formats.swap(formats_);
  }
  formats.clear();
}

void DeviceWatcher::start() {
  sticks_ = std::make_unique<mediawriter::UsbSticks>(sticksToWatch());
  survey({});
  thread_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(wakeMutex_);
        woken_.wait_for(lock, stop, kSurvey, [this] { return wakeUp_; });
        wakeUp_ = false;
      }
      if (stop.stop_requested()) break;
      survey(stop);
    }
  });
}

void DeviceWatcher::wake() {
  {
    std::lock_guard lock(wakeMutex_);
    wakeUp_ = true;
  }
  woken_.notify_all();
}

std::optional<store::DeviceState> DeviceWatcher::formatStick(const std::string& id, bool force,
                                                             FormatReport report) {
  if (!sticks_) return std::nullopt;
  std::optional<mediawriter::UsbStick> found;
  for (auto& stick : sticks_->present()) {
    const std::string address =
        stick.partition.empty() ? stick.sysfsName() : stick.partition.string();
    if (mediawriter::stickIdOf(address) == id) found = std::move(stick);
  }
  if (!found) return std::nullopt;
  mediawriter::StickFormatOrder order;
  order.stick = *found;
  {
    std::lock_guard lock(mutex_);
    order.allowlist = config_.usbAllowlist;
    order.volumeLabel = config_.receiver.aeTitle;
  }
  order.force = force;
  // Checks and claims the stick here, so a refusal is answered at once.
  mediawriter::StickFormat format(std::move(order));
  store::DeviceState row;
  row.name = station::kUsbDriveName;
  row.address = found->partition.string();
  row.kind = "usb";
  row.mediaStatus = "formatting";
  row.mediaType = found->describe();
  row.capacityBytes = found->sizeBytes;
  row.reason = "being formatted as FAT32; do not take it out";
  std::lock_guard lock(mutex_);
  formatting_[id] = row.reason;
  formatFailed_.erase(id);
  // A previous format of this stick has released its claim, so its thread takes no lock now.
  if (auto done = formats_.find(id); done != formats_.end()) done->second.join();
  formats_[id] = std::jthread([this, id, format = std::move(format), report]() mutable {
    bool ok = false;
    std::string detail = "the stick could not be formatted";
    try {
      format.run();
      ok = true;
      detail = format.order().stick.describe() + " formatted as FAT32";
    } catch (const std::exception& e) {
      detail = e.what();
    } catch (...) {
    }
    try {
      {
        // The row first, then the claim: a new format of this stick can only start after.
        std::lock_guard lock(mutex_);
        formatting_.erase(id);
        if (!ok) formatFailed_[id] = detail;
      }
      { const auto ended = std::move(format); }
      wake();
      if (report) report(ok, detail);
    } catch (const std::exception& e) {
      std::cerr << "burnstation: stick format: " << detail << "; not recorded: " << e.what()
                << std::endl;
    } catch (...) {
      std::cerr << "burnstation: stick format: " << detail << "; not recorded" << std::endl;
    }
  });
  wake();  // the row says "formatting" at the next look, which is now
  return row;
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
      for (auto& row : station::probeSticks(config, *sticks_)) {
        std::lock_guard lock(mutex_);
        const std::string id = mediawriter::stickIdOf(row.address);
        if (const auto f = formatting_.find(id); f != formatting_.end()) {
          row.mediaStatus = "formatting";
          row.reason = f->second;
        } else if (const auto failed = formatFailed_.find(id);
                   failed != formatFailed_.end() && row.mediaStatus != "usable") {
          row.reason = failed->second;
        }
        rows.push_back(std::move(row));
      }
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
