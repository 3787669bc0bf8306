// Change detection for the event stream (event_feed.h).
#include "event_feed.h"

#include "burnstation/station/documents.h"
#include "burnstation/station/drives_document.h"

namespace burnstation::jobs {

EventFeed::EventFeed(const std::filesystem::path& dataDir) : jobs_(dataDir), devices_(dataDir) {}

std::string EventFeed::event(const std::string& kind, const std::string& data) {
  // JSON text has no raw line breaks, so one data line carries the whole document.
  return "id: " + std::to_string(nextId_++) + "\nevent: " + kind + "\ndata: " + data + "\n\n";
}

std::string EventFeed::poll() {
  std::string out;
  for (const store::Job& job : jobs_.jobs()) {
    std::string text = station::documentText(station::jobDocument(job), -1);
    auto it = seenJobs_.find(job.id);
    if (it != seenJobs_.end() && it->second == text) continue;
    if (!first_ || !store::isTerminal(job.state)) out += event("job", text);
    seenJobs_[job.id] = std::move(text);
  }

  // The device watcher rewrites the rows with a new time at every look; only what is in
  // the drives counts as a change.
  const auto devices = devices_.all();
  auto timeless = devices;
  for (auto& d : timeless) d.updated.clear();
  std::string key = station::documentText(station::drivesDocument(timeless), -1);
  if (first_ || key != seenDevices_) {
    out += event("drives", station::documentText(station::drivesDocument(devices), -1));
    seenDevices_ = std::move(key);
  }
  first_ = false;
  return out;
}

}  // namespace burnstation::jobs
