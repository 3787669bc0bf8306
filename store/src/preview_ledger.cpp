// The preview ledger (see preview_ledger.h).
#include "burnstation/store/preview_ledger.h"

#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/stored_path.h"
#include "durable_file.h"
#include "index_rows.h"
#include "sqlite_db.h"
#include "store_layout.h"

namespace burnstation::store {

void createPreviewTables(SqliteDb& db) {
  db.exec(R"sql(
-- Added by issue 10: studies whose previews the service rendered, per tier, with how many
-- instances they had then (a study that grows is rendered again, only what is missing).
CREATE TABLE IF NOT EXISTS previews(
  study_uid TEXT NOT NULL,
  tier TEXT NOT NULL,
  instances INTEGER NOT NULL,
  rendered_at TEXT NOT NULL,
  PRIMARY KEY(study_uid, tier));
-- Instances that could not be rendered (JPEG 2000, corrupt pixels): said once, not retried.
CREATE TABLE IF NOT EXISTS preview_failures(
  sop_instance_uid TEXT PRIMARY KEY,
  study_uid TEXT NOT NULL,
  reason TEXT NOT NULL,
  failed_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS preview_failures_study ON preview_failures(study_uid);
)sql");
}

PreviewLedger::PreviewLedger(const std::filesystem::path& dataDir) : dataDir_(dataDir) {
  const auto index = dataDir / layout::kIndexFile;
  if (!std::filesystem::exists(index)) {
    throw StoreError(StoreError::Code::NotFound, "no station data in " + dataDir.string());
  }
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadWrite);
}

PreviewLedger::~PreviewLedger() = default;

std::int64_t PreviewLedger::newestInstanceId() {
  Statement q(*db_, "SELECT coalesce(max(id), 0) FROM instances");
  return q.step() ? q.integer(0) : 0;
}

std::vector<std::string> PreviewLedger::studiesWithInstancesAfter(std::int64_t afterId) {
  std::vector<std::string> out;
  Statement q(*db_,
              "SELECT DISTINCT st.study_uid FROM instances i JOIN series se ON se.id = "
              "i.series_id JOIN studies st ON st.id = se.study_id WHERE i.id > ?");
  q.bind(1, afterId);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::optional<PreviewStudy> PreviewLedger::pending(const std::string& studyUid,
                                                   const std::string& tier) {
  // Times carry their UTC offset, which julianday() honours across clock changes.
  Statement q(*db_,
              "SELECT count(i.id), (julianday('now') - julianday(max(i.received_at))) * 86400.0, "
              "(SELECT p.instances FROM previews p WHERE p.study_uid = ?1 AND p.tier = ?2) "
              "FROM studies st JOIN series se ON se.study_id = st.id JOIN instances i ON "
              "i.series_id = se.id WHERE st.study_uid = ?1");
  q.bind(1, studyUid).bind(2, tier);
  if (!q.step()) return std::nullopt;
  const std::int64_t count = q.integer(0);
  if (count == 0) return std::nullopt;
  if (!q.isNull(2) && q.integer(2) == count) return std::nullopt;
  return PreviewStudy{studyUid, count, q.real(1)};
}

std::vector<PreviewInstance> PreviewLedger::instancesOf(const std::string& studyUid) {
  std::vector<PreviewInstance> out;
  Statement q(*db_,
              "SELECT i.sop_instance_uid, i.sop_class_uid, coalesce(se.modality, ''), i.path FROM "
              "instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = "
              "se.study_id WHERE st.study_uid = ? ORDER BY se.id, i.id");
  q.bind(1, studyUid);
  while (q.step()) {
    out.push_back({q.text(0), q.text(1), q.text(2), storedFile(dataDir_, q.text(3))});
  }
  return out;
}

std::vector<std::string> PreviewLedger::failedInstances(const std::string& studyUid) {
  std::vector<std::string> out;
  Statement q(*db_, "SELECT sop_instance_uid FROM preview_failures WHERE study_uid = ?");
  q.bind(1, studyUid);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void PreviewLedger::recordFailure(const std::string& studyUid, const std::string& sopInstanceUid,
                                  const std::string& reason) {
  Transaction tx(*db_);
  Statement q(*db_,
              "INSERT OR REPLACE INTO preview_failures(sop_instance_uid, study_uid, reason, "
              "failed_at) VALUES(?,?,?,?)");
  q.bind(1, sopInstanceUid).bind(2, studyUid).bind(3, reason).bind(4, isoNow()).run();
  insertEvent(*db_, "preview-failed",
              "instance " + sopInstanceUid + " of study " + studyUid + ": " + reason,
              IngestSource{});
  tx.commit();
}

void PreviewLedger::recordRendered(const std::string& studyUid, const std::string& tier,
                                   std::int64_t instances) {
  Statement q(*db_,
              "INSERT OR REPLACE INTO previews(study_uid, tier, instances, rendered_at) "
              "VALUES(?,?,?,?)");
  q.bind(1, studyUid).bind(2, tier).bind(3, instances).bind(4, isoNow()).run();
}

std::vector<std::string> PreviewLedger::storedStudies() {
  std::vector<std::string> out;
  Statement q(*db_, "SELECT DISTINCT study_uid FROM studies");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

int PreviewLedger::forgetRemovedStudies() {
  Transaction tx(*db_);
  db_->exec("DELETE FROM previews WHERE study_uid NOT IN (SELECT study_uid FROM studies)");
  int forgotten = db_->changes();
  db_->exec(
      "DELETE FROM preview_failures WHERE sop_instance_uid NOT IN (SELECT sop_instance_uid "
      "FROM instances)");
  tx.commit();
  return forgotten;
}

}  // namespace burnstation::store
