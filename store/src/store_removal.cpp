// Removing a collection sent by mistake (Store::removeCollection) and finishing a removal a
// crash interrupted (from start-up recovery).
//
// The order: the rows go first, in one transaction that also lists the files in `removals`;
// the files go after, and each is crossed off that list once its folder is synced. Recovery
// re-indexes any file in objects/ without a row, so removing rows alone first would bring a
// crashed removal's patient back, and removing files first would leave rows without files
// (a patient listed that can no longer be burned). With the list, a crash at any point ends
// either with nothing removed (before the commit) or, once recovery has run
// finishRemovalsLocked before its scan, with everything removed.
#include <map>
#include <set>

#include "burnstation/store/counted.h"
#include "burnstation/store/job_queue.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/stored_path.h"
#include "durable_file.h"
#include "index_rows.h"
#include "sqlite_db.h"
#include "store_directory.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

// Every statement below selects the collection's rows the same way.
constexpr const char* kInstancesOf =
    "SELECT i.id FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON "
    "st.id = se.study_id WHERE st.collection_id = ?1";

std::vector<std::int64_t> activeJobsHolding(SqliteDb& db, std::int64_t collectionId,
                                            const std::string& key) {
  Statement q(db, "SELECT j.id FROM jobs j WHERE j.state NOT IN " + terminalStatesSql() +
                      " AND (j.patient_key = ?2 OR EXISTS (SELECT 1 FROM job_instances h JOIN "
                      "instances i ON i.sop_instance_uid = h.sop_instance_uid WHERE h.job_id = "
                      "j.id AND i.id IN (" +
                      kInstancesOf + "))) ORDER BY j.id");
  q.bind(1, collectionId).bind(2, key);
  std::vector<std::int64_t> jobs;
  while (q.step()) jobs.push_back(q.integer(0));
  return jobs;
}

std::string jobList(const std::vector<std::int64_t>& jobs) {
  std::string text;
  for (const std::int64_t id : jobs) text += (text.empty() ? "" : ", ") + std::to_string(id);
  return text;
}

}  // namespace

RemovedCollection Store::removeCollection(const std::string& key, const std::string& who) {
  if (access_ == Access::ReadOnly) {
    throw StoreError(StoreError::Code::Io, "the store is open read-only");
  }
  std::lock_guard lock(writeMutex_);
  if (!indexWritable_) {
    throw StoreError(StoreError::Code::NoSpace,
                     "nothing can be removed while the store is read-only: " + readOnlyReason_);
  }
  RemovedCollection removed;
  {
    Transaction tx(*db_);
    Statement find(*db_, "SELECT id, patient_id, patient_name FROM collections WHERE key = ?");
    find.bind(1, key);
    if (!find.step()) {
      throw StoreError(StoreError::Code::NotFound, "no patient with the key \"" + key + "\"");
    }
    const std::int64_t id = find.integer(0);
    removed.key = key;
    removed.patientId = find.text(1);
    removed.patientName = find.text(2);
    if (const auto jobs = activeJobsHolding(*db_, id, key); !jobs.empty()) {
      throw StoreError(
          StoreError::Code::InUse,
          "patient " + key + " cannot be removed while " +
              (jobs.size() == 1
                   ? "job " + jobList(jobs) +
                         " is queued or running for it; cancel it or wait until it ends"
                   : "jobs " + jobList(jobs) +
                         " are queued or running for it; cancel them or wait until they end"));
    }
    Statement totals(*db_, std::string("SELECT count(*), coalesce(sum(size), 0) FROM instances "
                                       "WHERE id IN (") +
                               kInstancesOf + ")");
    totals.bind(1, id);
    if (totals.step()) {
      removed.instances = totals.integer(0);
      removed.bytes = totals.integer(1);
    }
    std::set<std::string> studies;
    Statement studyUids(*db_, "SELECT study_uid FROM studies WHERE collection_id = ?");
    studyUids.bind(1, id);
    while (studyUids.step()) studies.insert(studyUids.text(0));

    Statement list(*db_, std::string("INSERT OR IGNORE INTO removals(path, removed_at) SELECT "
                                     "path, ?2 FROM instances WHERE id IN (") +
                             kInstancesOf + ")");
    list.bind(1, id).bind(2, isoNow()).run();
    Statement instances(*db_,
                        std::string("DELETE FROM instances WHERE id IN (") + kInstancesOf + ")");
    instances.bind(1, id).run();
    Statement series(*db_,
                     "DELETE FROM series WHERE study_id IN (SELECT id FROM studies WHERE "
                     "collection_id = ?)");
    series.bind(1, id).run();
    Statement studyRows(*db_, "DELETE FROM studies WHERE collection_id = ?");
    studyRows.bind(1, id).run();
    Statement collection(*db_, "DELETE FROM collections WHERE id = ?");
    collection.bind(1, id).run();
    // A patient sent again under this key is checked afresh.
    Statement acknowledgements(
        *db_, "DELETE FROM conflict_acknowledgements WHERE first_key = ? OR second_key = ?");
    acknowledgements.bind(1, key).bind(2, key).run();

    // Previews are per study: those of a study another collection still holds stay.
    for (const std::string& study : studies) {
      Statement held(*db_, "SELECT 1 FROM studies WHERE study_uid = ? LIMIT 1");
      held.bind(1, study);
      if (held.step()) continue;
      removed.studiesGone.push_back(study);
      Statement previews(*db_, "DELETE FROM previews WHERE study_uid = ?");
      previews.bind(1, study).run();
      Statement failures(*db_, "DELETE FROM preview_failures WHERE study_uid = ?");
      failures.bind(1, study).run();
    }
    insertEvent(*db_, "patient-deleted",
                key + " (Patient ID " + removed.patientId + ", \"" + removed.patientName + "\"): " +
                    counted(removed.instances, "instance") + ", " + std::to_string(removed.bytes) +
                    " bytes, " + counted(studies.size(), "study", "studies") + " removed by " + who,
                {"", "", "", ""});
    tx.commit();
  }
  // A failure from here on leaves files that the next recovery removes; the rows are gone.
  finishRemovalsLocked();
  return removed;
}

int Store::finishRemovalsLocked() {
  std::vector<std::string> paths;
  {
    Statement q(*db_, "SELECT path FROM removals ORDER BY path");
    while (q.step()) paths.push_back(q.text(0));
  }
  if (paths.empty()) return 0;
  std::map<std::string, Directory> folders;
  std::vector<std::string> done;
  for (const std::string& relative : paths) {
    // A file indexed again under that path (never by the station, which removes before it
    // receives) is not ours to remove; a path the station never writes is not touched.
    Statement indexed(*db_, "SELECT 1 FROM instances WHERE path = ? LIMIT 1");
    indexed.bind(1, relative);
    if (indexed.step() || !isStoredPath(relative)) {
      done.push_back(relative);
      continue;
    }
    const fs::path path(relative);
    const std::string folderName = path.parent_path().generic_string();
    try {
      auto it = folders.find(folderName);
      if (it == folders.end()) {
        it = folders.emplace(folderName, dirs_->data.child(folderName, false)).first;
      }
      const std::string name = path.filename().string();
      removeFile(it->second, name);
      if (it->second.contains(name)) continue;  // kept on the list: tried again at start-up
    } catch (const StoreError&) {
      // The folder is gone, and the file with it.
    }
    done.push_back(relative);
  }
  for (const auto& [name, folder] : folders) folder.sync();
  Transaction tx(*db_);
  Statement crossOff(*db_, "DELETE FROM removals WHERE path = ?");
  for (const std::string& relative : done) {
    crossOff.reset();
    crossOff.bind(1, relative).run();
  }
  tx.commit();
  return static_cast<int>(done.size());
}

}  // namespace burnstation::store
