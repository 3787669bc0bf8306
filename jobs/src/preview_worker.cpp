// The background preview worker (see preview_worker.h). It runs at nice 19 and the lowest
// best-effort I/O priority rather than SCHED_IDLE/the idle I/O class: an idle-class thread can
// be starved indefinitely while it holds the index's write lock for a moment, and receivers
// would then wait on it; nice 19 still yields the CPU to everything else.
#include "burnstation/jobs/preview_worker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <set>

#include "burnstation/store/preview_ledger.h"
#include "burnstation/viewer_bundle/preview_cache.h"

namespace burnstation::jobs {

namespace fs = std::filesystem;
using viewer_bundle::PreviewError;
using viewer_bundle::PreviewTier;
using Clock = std::chrono::steady_clock;

namespace {

// Room kept free beyond the store's reserve, so previews never take the last of it.
constexpr std::uint64_t kPreviewMargin = 64ull << 20;
// How often previews of studies that left the store are looked for.
constexpr auto kSweepInterval = std::chrono::minutes(10);

void lowerPriority() {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  if (::setpriority(PRIO_PROCESS, tid, 19) != 0) {
    std::cerr << "burnstation: previews: cannot lower the thread's priority" << std::endl;
  }
  // ioprio_set(IOPRIO_WHO_PROCESS, tid, best-effort class 2, level 7): a thread, on Linux.
  constexpr int kWhoProcess = 1;
  constexpr int kClassBestEffort = 2;
  ::syscall(SYS_ioprio_set, kWhoProcess, static_cast<int>(tid), (kClassBestEffort << 13) | 7);
}

}  // namespace

PreviewWorkerSettings previewWorkerSettings(const station::StationConfig& config) {
  PreviewWorkerSettings settings;
  settings.dataDir = config.dataDir;
  settings.freeSpaceReserve = config.freeSpaceReserve;
  settings.quietSeconds = config.previews.quietSeconds;
  // The tiers the profiles put on media; "auto" may settle on any of them.
  std::set<viewer_bundle::PreviewTier> tiers;
  for (const auto& p : config.profiles) {
    if (!p.viewer) continue;
    if (p.preview) {
      if (*p.preview != viewer_bundle::PreviewTier::None) tiers.insert(*p.preview);
    } else {
      tiers.insert({viewer_bundle::PreviewTier::Full, viewer_bundle::PreviewTier::Light,
                    viewer_bundle::PreviewTier::Thumbnails});
    }
  }
  settings.tiers.assign(tiers.rbegin(), tiers.rend());  // richest first
  settings.interval = std::chrono::seconds(std::clamp(settings.quietSeconds, 1, 30));
  return settings;
}

PreviewWorker::PreviewWorker(PreviewWorkerSettings settings) : settings_(std::move(settings)) {}

PreviewWorker::~PreviewWorker() {
  if (thread_.joinable()) {
    thread_.request_stop();  // wakes the wait below through its stop token
    thread_.join();
  }
}

void PreviewWorker::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    try {
      loop(stop);
    } catch (const std::exception& e) {
      std::cerr << "burnstation: previews stopped: " << e.what() << std::endl;
    } catch (...) {
      std::cerr << "burnstation: previews stopped by an unknown error" << std::endl;
    }
  });
}

void PreviewWorker::updateSettings(const PreviewWorkerSettings& settings) {
  {
    std::lock_guard lock(mutex_);
    settings_ = settings;
  }
  wake_.notify_all();
}

PreviewWorkerSettings PreviewWorker::settings() {
  std::lock_guard lock(mutex_);
  return settings_;
}

void PreviewWorker::sayOnce(const std::string& text) {
  if (text == lastMessage_) return;
  lastMessage_ = text;
  std::cerr << "burnstation: previews: " << text << std::endl;
}

void PreviewWorker::loop(std::stop_token stop) {
  lowerPriority();
  while (!stop.stop_requested()) {
    std::chrono::seconds wait = settings().interval;
    try {
      wait = pass(stop);
    } catch (const std::exception& e) {
      sayOnce(e.what());  // a missing index (first start), a busy disk: tried next pass
      ledger_.reset();
    } catch (...) {
      sayOnce("unknown error");
      ledger_.reset();
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, wait, [] { return false; });
  }
}

std::chrono::seconds PreviewWorker::pass(std::stop_token stop) {
  const PreviewWorkerSettings s = settings();
  if (!ledger_) ledger_ = std::make_unique<store::PreviewLedger>(s.dataDir);
  if (s.tiers.empty()) return s.interval;
  if (!lastSweep_ || Clock::now() - *lastSweep_ > kSweepInterval) {
    viewer_bundle::PreviewCache cache(s.dataDir);
    const int removed = cache.removeOtherStudies([&] { return ledger_->storedStudies(); });
    ledger_->forgetRemovedStudies();
    if (removed > 0) {
      std::cerr << "burnstation: previews of " << removed
                << " study(ies) no longer in the store removed" << std::endl;
    }
    lastSweep_ = Clock::now();
  }
  // Newest id first, then the studies above the last one seen: nothing slips in between.
  const std::int64_t newest = ledger_->newestInstanceId();
  for (std::string& study : ledger_->studiesWithInstancesAfter(seenInstanceId_)) {
    watched_.insert(std::move(study));
  }
  seenInstanceId_ = newest;

  struct Due {
    std::string study;
    std::vector<std::string> tiers;
    std::int64_t instances = 0;
    double age = 0;
  };
  std::vector<Due> due;
  double nextQuiet = static_cast<double>(s.interval.count());
  for (auto it = watched_.begin(); it != watched_.end();) {
    Due d{*it, {}, 0, 0};
    for (PreviewTier tier : s.tiers) {
      if (const auto p = ledger_->pending(*it, viewer_bundle::toString(tier))) {
        d.tiers.push_back(viewer_bundle::toString(tier));
        d.instances = p->instances;
        d.age = p->secondsSinceNewest;
      }
    }
    if (d.tiers.empty()) {
      it = watched_.erase(it);
      continue;
    }
    if (d.age < s.quietSeconds) {
      nextQuiet = std::min(nextQuiet, s.quietSeconds - d.age);
    } else {
      due.push_back(std::move(d));
    }
    ++it;
  }
  // The most recent studies first: they are the ones likely to be burned next.
  std::sort(due.begin(), due.end(), [](const Due& a, const Due& b) { return a.age < b.age; });
  for (const Due& d : due) {
    if (stop.stop_requested() || !renderStudy(d.study, d.tiers, d.instances, stop)) break;
  }
  return std::chrono::seconds(std::max(1L, std::lround(std::ceil(nextQuiet))));
}

bool PreviewWorker::renderStudy(const std::string& studyUid,
                                const std::vector<std::string>& tierNames, std::int64_t instances,
                                std::stop_token stop) {
  const PreviewWorkerSettings s = settings();
  std::vector<PreviewTier> tiers;
  for (const std::string& name : tierNames) {
    if (const auto tier = viewer_bundle::parsePreviewTier(name)) tiers.push_back(*tier);
  }
  const auto failedList = ledger_->failedInstances(studyUid);
  const std::set<std::string> failed(failedList.begin(), failedList.end());
  viewer_bundle::PreviewCache cache(s.dataDir);
  int rendered = 0;
  int failures = 0;
  for (const store::PreviewInstance& instance : ledger_->instancesOf(studyUid)) {
    if (stop.stop_requested()) return false;
    if (failed.count(instance.sopInstanceUid)) continue;
    std::error_code ec;
    const auto space = fs::space(s.dataDir, ec);
    if (ec || space.available < s.freeSpaceReserve + kPreviewMargin) {
      sayOnce("waiting for free space in " + s.dataDir.string() + " before rendering more");
      return false;
    }
    try {
      cache.ensure({instance.file, studyUid, instance.sopInstanceUid, instance.modality}, tiers);
      ++rendered;
    } catch (const PreviewError& e) {
      if (e.code() == PreviewError::Code::Storage) {
        sayOnce(e.what());  // the disk, not the instance: tried again next pass
        return false;
      }
      ledger_->recordFailure(studyUid, instance.sopInstanceUid, e.what());
      ++failures;
    } catch (const std::exception& e) {
      ledger_->recordFailure(studyUid, instance.sopInstanceUid, e.what());
      ++failures;
    }
  }
  for (const std::string& tier : tierNames) ledger_->recordRendered(studyUid, tier, instances);
  std::cerr << "burnstation: previews of study " << studyUid << " ready (" << rendered
            << " instance(s)"
            << (failures ? ", " + std::to_string(failures) + " not renderable" : "") << ")"
            << std::endl;
  return true;
}

}  // namespace burnstation::jobs
