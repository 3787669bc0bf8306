// Possible conflicts between collections (same Patient ID with other names, same name with
// other IDs, a study under two patients, copies kept aside) and the admin's acknowledgement
// of one. An acknowledgement belongs to the pair of collections (and the study), so it
// clears the mark on both sides; it goes when either collection is removed.
#include <algorithm>
#include <mutex>

#include "burnstation/store/counted.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "durable_file.h"
#include "index_rows.h"
#include "possible_conflicts.h"
#include "sqlite_db.h"

namespace burnstation::store {

namespace {

// Looks up the acknowledgement of a pair conflict; fills who and when.
void markAcknowledged(SqliteDb& db, const std::string& key, PossibleConflict& c,
                      const std::string& studyUid) {
  Statement ack(db,
                "SELECT by, at FROM conflict_acknowledgements WHERE kind = ? AND first_key = ? "
                "AND second_key = ? AND study_uid = ?");
  ack.bind(1, c.kind)
      .bind(2, std::min(key, c.otherKey))
      .bind(3, std::max(key, c.otherKey))
      .bind(4, studyUid);
  if (ack.step()) {
    c.acknowledgedBy = ack.text(0);
    c.acknowledgedAt = ack.text(1);
  }
}

PossibleConflict pairConflict(SqliteDb& db, const std::string& key, const std::string& kind,
                              const std::string& otherKey, const std::string& studyUid,
                              std::string text) {
  PossibleConflict c;
  c.kind = kind;
  c.otherKey = otherKey;
  c.studyUid = studyUid;
  c.id = kind + ":" + (studyUid.empty() ? "" : studyUid + ":") + otherKey;
  c.text = std::move(text);
  markAcknowledged(db, key, c, studyUid);
  return c;
}

}  // namespace

std::vector<PossibleConflict> possibleConflicts(SqliteDb& db, std::int64_t id,
                                                const std::string& key,
                                                const std::string& patientId,
                                                const std::string& issuer) {
  std::vector<PossibleConflict> conflicts;
  Statement sameId(db,
                   "SELECT key, patient_name FROM collections WHERE patient_id = ? AND "
                   "issuer = ? AND id <> ? ORDER BY key");
  sameId.bind(1, patientId).bind(2, issuer).bind(3, id);
  while (sameId.step()) {
    conflicts.push_back(pairConflict(db, key, "same-id", sameId.text(0), {},
                                     "Patient ID " + patientId + " is also used for \"" +
                                         sameId.text(1) + "\" (" + sameId.text(0) + ")"));
  }
  Statement sameName(db,
                     "SELECT key, patient_id FROM collections WHERE name_normalised = "
                     "(SELECT name_normalised FROM collections WHERE id = ?) AND "
                     "name_normalised <> '' AND patient_id <> ? ORDER BY key");
  sameName.bind(1, id).bind(2, patientId);
  while (sameName.step()) {
    conflicts.push_back(pairConflict(db, key, "same-name", sameName.text(0), {},
                                     "the same name is also used with Patient ID " +
                                         sameName.text(1) + " (" + sameName.text(0) + ")"));
  }
  Statement sharedStudy(db,
                        "SELECT DISTINCT s.study_uid, c.key FROM studies s "
                        "JOIN studies o ON o.study_uid = s.study_uid AND o.collection_id <> "
                        "s.collection_id JOIN collections c ON c.id = o.collection_id "
                        "WHERE s.collection_id = ? AND s.study_uid <> '' ORDER BY 1, 2");
  sharedStudy.bind(1, id);
  while (sharedStudy.step()) {
    conflicts.push_back(pairConflict(
        db, key, "shared-study", sharedStudy.text(1), sharedStudy.text(0),
        "study " + sharedStudy.text(0) + " also holds instances of " + sharedStudy.text(1)));
  }
  // Set-aside copies concern both the patient they were sent for and the one whose
  // instance they collided with.
  Statement aside(db,
                  "SELECT count(*) FROM set_aside a WHERE a.collection_key = ? OR "
                  "a.sop_instance_uid IN (SELECT i.sop_instance_uid FROM instances i "
                  "JOIN series s ON s.id = i.series_id JOIN studies st ON st.id = s.study_id "
                  "WHERE st.collection_id = ?)");
  aside.bind(1, key).bind(2, id);
  if (aside.step() && aside.integer(0) > 0) {
    PossibleConflict c;
    c.id = c.kind = "set-aside";
    const std::int64_t n = aside.integer(0);
    c.text = counted(n, "received instance") + (n == 1 ? " reuses" : " reuse") +
             " a stored SOP Instance UID with other content; kept aside for the administrator";
    conflicts.push_back(std::move(c));
  }
  return conflicts;
}

PossibleConflict Store::acknowledgeConflict(const std::string& key, const std::string& conflictId,
                                            const std::string& who) {
  if (access_ == Access::ReadOnly || !resumeWriting()) {
    throw StoreError(StoreError::Code::Io, "the store cannot be changed now (read-only)");
  }
  std::lock_guard lock(writeMutex_);
  Transaction tx(*db_);
  Statement find(*db_, "SELECT id, patient_id, issuer FROM collections WHERE key = ?");
  find.bind(1, key);
  if (!find.step()) {
    throw StoreError(StoreError::Code::NotFound, "no patient with the key \"" + key + "\"");
  }
  const auto conflicts = possibleConflicts(*db_, find.integer(0), key, find.text(1), find.text(2));
  const auto found = std::find_if(conflicts.begin(), conflicts.end(),
                                  [&](const PossibleConflict& c) { return c.id == conflictId; });
  if (found == conflicts.end()) {
    throw StoreError(StoreError::Code::NotFound,
                     "patient " + key + " has no possible conflict \"" + conflictId + "\"");
  }
  if (found->kind == "set-aside") {
    throw StoreError(StoreError::Code::Invalid,
                     "copies kept aside are decided one by one: discard each or let it replace "
                     "the stored instance");
  }
  PossibleConflict acknowledged = *found;
  if (!acknowledged.standing()) return acknowledged;  // asked twice: the first answer stands
  acknowledged.acknowledgedBy = who;
  acknowledged.acknowledgedAt = isoNow();
  Statement insert(*db_,
                   "INSERT INTO conflict_acknowledgements(kind, first_key, second_key, "
                   "study_uid, by, at) VALUES(?,?,?,?,?,?)");
  insert.bind(1, acknowledged.kind)
      .bind(2, std::min(key, acknowledged.otherKey))
      .bind(3, std::max(key, acknowledged.otherKey))
      .bind(4, acknowledged.studyUid)
      .bind(5, who)
      .bind(6, acknowledged.acknowledgedAt)
      .run();
  insertEvent(*db_, "conflict-acknowledged",
              key + ": \"" + acknowledged.text + "\" acknowledged by " + who, {});
  tx.commit();
  return acknowledged;
}

}  // namespace burnstation::store
