// Read-side queries: collections with their studies and possible conflicts.
#include <algorithm>
#include <map>
#include <set>

#include "burnstation/store/store.h"
#include "sqlite_db.h"

namespace burnstation::store {

namespace {

// A Julian day from SQLite (0: no instance) as Unix milliseconds.
std::int64_t unixMs(double julianDay) {
  constexpr double kUnixEpochJulianDay = 2440587.5;
  if (julianDay <= 0) return 0;
  return static_cast<std::int64_t>((julianDay - kUnixEpochJulianDay) * 86'400'000.0 + 0.5);
}

std::vector<std::string> conflictsOf(SqliteDb& db, std::int64_t id, const CollectionSummary& c) {
  std::vector<std::string> conflicts;
  Statement sameId(db,
                   "SELECT key, patient_name FROM collections WHERE patient_id = ? AND "
                   "issuer = ? AND id <> ? ORDER BY key");
  sameId.bind(1, c.patientId).bind(2, c.issuer).bind(3, id);
  while (sameId.step()) {
    conflicts.push_back("Patient ID " + c.patientId + " is also used for \"" + sameId.text(1) +
                        "\" (" + sameId.text(0) + ")");
  }
  Statement sameName(db,
                     "SELECT key, patient_id FROM collections WHERE name_normalised = "
                     "(SELECT name_normalised FROM collections WHERE id = ?) AND "
                     "name_normalised <> '' AND patient_id <> ? ORDER BY key");
  sameName.bind(1, id).bind(2, c.patientId);
  while (sameName.step()) {
    conflicts.push_back("the same name is also used with Patient ID " + sameName.text(1) + " (" +
                        sameName.text(0) + ")");
  }
  Statement sharedStudy(db,
                        "SELECT DISTINCT s.study_uid, c.key FROM studies s "
                        "JOIN studies o ON o.study_uid = s.study_uid AND o.collection_id <> "
                        "s.collection_id JOIN collections c ON c.id = o.collection_id "
                        "WHERE s.collection_id = ? AND s.study_uid <> '' ORDER BY 1, 2");
  sharedStudy.bind(1, id);
  while (sharedStudy.step()) {
    conflicts.push_back("study " + sharedStudy.text(0) + " also holds instances of " +
                        sharedStudy.text(1));
  }
  // Set-aside copies concern both the patient they were sent for and the one whose
  // instance they collided with.
  Statement aside(db,
                  "SELECT count(*) FROM set_aside a WHERE a.collection_key = ? OR "
                  "a.sop_instance_uid IN (SELECT i.sop_instance_uid FROM instances i "
                  "JOIN series s ON s.id = i.series_id JOIN studies st ON st.id = s.study_id "
                  "WHERE st.collection_id = ?)");
  aside.bind(1, c.key).bind(2, id);
  if (aside.step() && aside.integer(0) > 0) {
    conflicts.push_back(std::to_string(aside.integer(0)) +
                        " received instance(s) reuse a stored SOP Instance UID with other "
                        "content; kept aside for the administrator");
  }
  return conflicts;
}

}  // namespace

std::vector<CollectionSummary> Store::collections() const {
  std::lock_guard lock(readMutex_);
  SqliteDb& db = reader();
  std::vector<CollectionSummary> result;
  std::vector<std::int64_t> ids;
  Statement query(db,
                  "SELECT c.id, c.key, c.patient_id, c.id_generated, c.issuer, c.patient_name, "
                  "c.birth_date, c.sex, count(i.id), coalesce(sum(i.size), 0), "
                  // received_at carries its offset: julianday() compares them in UTC.
                  "coalesce(max(julianday(i.received_at)), 0) FROM collections c "
                  "LEFT JOIN studies st ON st.collection_id = c.id "
                  "LEFT JOIN series s ON s.study_id = st.id "
                  "LEFT JOIN instances i ON i.series_id = s.id "
                  "GROUP BY c.id ORDER BY c.patient_name, c.patient_id, c.key");
  while (query.step()) {
    CollectionSummary c;
    ids.push_back(query.integer(0));
    c.key = query.text(1);
    c.patientId = query.text(2);
    c.idGenerated = query.integer(3) != 0;
    c.issuer = query.text(4);
    c.patientName = query.text(5);
    c.birthDate = query.text(6);
    c.sex = query.text(7);
    c.instances = query.integer(8);
    c.bytes = query.integer(9);
    c.lastArrivalMs = unixMs(query.real(10));
    result.push_back(std::move(c));
  }
  Statement studies(db,
                    "SELECT st.study_uid, st.study_date, st.study_time, st.description, "
                    "group_concat(DISTINCT s.modality), count(DISTINCT s.id), count(i.id), "
                    "coalesce(sum(i.size), 0), coalesce(st.accession, ''), "
                    "coalesce(max(julianday(i.received_at)), 0) FROM studies st "
                    "LEFT JOIN series s ON s.study_id = st.id "
                    "LEFT JOIN instances i ON i.series_id = s.id "
                    "WHERE st.collection_id = ? GROUP BY st.id "
                    "ORDER BY st.study_date, st.study_time, st.study_uid");
  for (std::size_t n = 0; n < result.size(); ++n) {
    CollectionSummary& c = result[n];
    studies.bind(1, ids[n]);
    while (studies.step()) {
      StudySummary s;
      s.studyUid = studies.text(0);
      s.date = studies.text(1);
      s.time = studies.text(2);
      s.description = studies.text(3);
      std::set<std::string> modalities;
      std::string list = studies.text(4);
      std::size_t start = 0;
      while (start <= list.size() && !list.empty()) {
        const std::size_t comma = list.find(',', start);
        const std::string m = list.substr(start, comma - start);
        if (!m.empty()) modalities.insert(m);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      s.modalities.assign(modalities.begin(), modalities.end());
      s.series = studies.integer(5);
      s.instances = studies.integer(6);
      s.bytes = studies.integer(7);
      s.accession = studies.text(8);
      s.lastArrivalMs = unixMs(studies.real(9));
      c.studies.push_back(std::move(s));
    }
    studies.reset();
    c.conflicts = conflictsOf(db, ids[n], c);
  }
  return result;
}

}  // namespace burnstation::store
