// Which studies have their previews rendered (viewer_bundle draws them; the service's preview
// worker renders them in the background): per study and tier the number of instances done,
// and the instances that could not be rendered, so a pass over a large store reads a few
// rows per study and never retries a failure every pass.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace burnstation::store {

class SqliteDb;

// A study whose instance count differs from what its previews were rendered for.
struct PreviewStudy {
  std::string studyUid;
  std::int64_t instances = 0;
  double secondsSinceNewest = 0;  // since its newest instance arrived
};

// One stored instance of a study, as the renderer needs it.
struct PreviewInstance {
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::string modality;
  std::filesystem::path file;  // absolute path of the stored file
};

class PreviewLedger {
 public:
  // The service creates the tables (Store does); needs an existing database.
  explicit PreviewLedger(const std::filesystem::path& dataDir);
  ~PreviewLedger();
  PreviewLedger(const PreviewLedger&) = delete;
  PreviewLedger& operator=(const PreviewLedger&) = delete;

  // The newest instance row id: studies with instances above it are new since then.
  std::int64_t newestInstanceId();
  // Studies holding an instance with a row id above afterId.
  std::vector<std::string> studiesWithInstancesAfter(std::int64_t afterId);
  // The study's instance count and the age of its newest instance, when tier's previews were
  // not rendered for that many instances; nullopt when they were (or it has no instances).
  std::optional<PreviewStudy> pending(const std::string& studyUid, const std::string& tier);
  std::vector<PreviewInstance> instancesOf(const std::string& studyUid);
  // Instances of the study recorded as failed (not tried again).
  std::vector<std::string> failedInstances(const std::string& studyUid);
  // Also an event "preview-failed" with the reason.
  void recordFailure(const std::string& studyUid, const std::string& sopInstanceUid,
                     const std::string& reason);
  // tier's previews exist (or failed) for this many instances of the study.
  void recordRendered(const std::string& studyUid, const std::string& tier, std::int64_t instances);
  // Every study UID the store holds.
  std::vector<std::string> storedStudies();
  // Forgets studies the store no longer holds; returns how many.
  int forgetRemovedStudies();

 private:
  std::filesystem::path dataDir_;
  std::unique_ptr<SqliteDb> db_;
};

// The tables, for the store's schema creation.
void createPreviewTables(SqliteDb& db);

}  // namespace burnstation::store
