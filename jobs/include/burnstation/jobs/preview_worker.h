// Previews rendered in the background (issue 10): once a study has gone quiet (no instance for
// quietSeconds), the service renders the previews its profiles' tiers need, one instance at a
// time on a low-priority thread, so a burn later only copies them. What is done is kept in the
// store's preview ledger; previews of studies that left the store are removed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "burnstation/station/station_config.h"
#include "burnstation/store/preview_ledger.h"
#include "burnstation/viewer_bundle/preview_tier.h"

namespace burnstation::jobs {

struct PreviewWorkerSettings {
  std::filesystem::path dataDir;
  int quietSeconds = 120;  // [previews] quiet_seconds
  // The tiers the configured profiles use (auto: full, light and thumbnails).
  std::vector<viewer_bundle::PreviewTier> tiers = {viewer_bundle::PreviewTier::Full,
                                                   viewer_bundle::PreviewTier::Light};
  std::uint64_t freeSpaceReserve = 0;  // rendering pauses rather than go below it
  // Between passes at most (a pass also comes when the next study turns quiet).
  std::chrono::seconds interval{30};
};

// The settings the service runs the worker with. Until the station's configuration has a
// [previews] section and a per-profile `preview` tier, the defaults above; the environment
// variable BURNSTATION_TEST_PREVIEW_QUIET_SECONDS shortens the quiet time for tests.
PreviewWorkerSettings previewWorkerSettings(const station::StationConfig& config);

class PreviewWorker {
 public:
  explicit PreviewWorker(PreviewWorkerSettings settings);
  ~PreviewWorker();  // stops and joins
  PreviewWorker(const PreviewWorker&) = delete;
  PreviewWorker& operator=(const PreviewWorker&) = delete;

  void start();
  void updateSettings(const PreviewWorkerSettings& settings);

 private:
  void loop(std::stop_token stop);
  // One pass; returns the seconds until the next study turns quiet (or the interval).
  std::chrono::seconds pass(std::stop_token stop);
  // Renders the study's missing previews; false when it stopped before the end.
  bool renderStudy(const std::string& studyUid, const std::vector<std::string>& tiers,
                   std::int64_t instances, std::stop_token stop);
  PreviewWorkerSettings settings();
  void sayOnce(const std::string& text);

  std::mutex mutex_;
  PreviewWorkerSettings settings_;
  std::condition_variable_any wake_;
  std::jthread thread_;
  // The pass's state (the worker thread's only).
  std::unique_ptr<store::PreviewLedger> ledger_;
  std::optional<std::chrono::steady_clock::time_point> lastSweep_;
  std::int64_t seenInstanceId_ = 0;
  std::set<std::string> watched_;  // studies that may still need previews
  std::string lastMessage_;
};

}  // namespace burnstation::jobs
