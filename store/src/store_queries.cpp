// Read-side queries: collections with their studies and possible conflicts.
#include <algorithm>
#include <map>
#include <set>

#include "burnstation/store/store.h"
#include "possible_conflicts.h"
#include "sqlite_db.h"

namespace burnstation::store {

namespace {

// A Julian day from SQLite (0: no instance) as Unix milliseconds.
std::int64_t unixMs(double julianDay) {
  constexpr double kUnixEpochJulianDay = 2440587.5;
  if (julianDay <= 0) return 0;
  return static_cast<std::int64_t>((julianDay - kUnixEpochJulianDay) * 86'400'000.0 + 0.5);
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
    c.conflicts = possibleConflicts(db, ids[n], c.key, c.patientId, c.issuer);
  }
  return result;
}

}  // namespace burnstation::store
