// Resolving a selection (patient + studies) into the instances to write, in medium order.
#include <algorithm>
#include <cstdlib>

#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/stored_path.h"
#include "sqlite_db.h"

namespace burnstation::store {

namespace {

struct CollectionRow {
  std::int64_t id;
  std::string key, patientId, name;
  bool generated;
};

std::vector<CollectionRow> findCollections(SqliteDb& db, const std::string& patient) {
  std::vector<CollectionRow> rows;
  Statement byKey(db,
                  "SELECT id, key, patient_id, patient_name, id_generated FROM collections "
                  "WHERE key = ?1 UNION SELECT id, key, patient_id, patient_name, id_generated "
                  "FROM collections WHERE patient_id = ?1 AND NOT EXISTS "
                  "(SELECT 1 FROM collections WHERE key = ?1) ORDER BY 2");
  byKey.bind(1, patient);
  while (byKey.step()) {
    rows.push_back(
        {byKey.integer(0), byKey.text(1), byKey.text(2), byKey.text(3), byKey.integer(4) != 0});
  }
  return rows;
}

// DICOM numbers are strings; order "2" before "10", and absent ones last.
long numberOrMax(const std::string& text) {
  char* end = nullptr;
  const long n = std::strtol(text.c_str(), &end, 10);
  return end == text.c_str() ? 0x7fffffffL : n;
}

}  // namespace

Selection Store::select(const SelectionRequest& request) const {
  std::lock_guard lock(readMutex_);
  SqliteDb& db = reader();
  const auto collections = findCollections(db, request.patient);
  if (collections.empty()) {
    throw StoreError(StoreError::Code::NotFound,
                     "no patient with ID or key \"" + request.patient + "\" (see `patients`)");
  }
  if (collections.size() > 1) {
    std::string keys;
    for (const auto& c : collections)
      keys += (keys.empty() ? "" : ", ") + c.key + " (" + c.name + ")";
    throw StoreError(StoreError::Code::Ambiguous,
                     "Patient ID \"" + request.patient + "\" belongs to " +
                         std::to_string(collections.size()) +
                         " collections; choose one by its key: " + keys);
  }
  const CollectionRow& c = collections.front();
  Selection selection{c.key, c.patientId, c.generated, c.name, {}};

  Statement studies(db, "SELECT study_uid FROM studies WHERE collection_id = ?");
  studies.bind(1, c.id);
  std::vector<std::string> owned;
  while (studies.step()) owned.push_back(studies.text(0));
  for (const std::string& uid : request.studyUids) {
    if (std::find(owned.begin(), owned.end(), uid) == owned.end()) {
      throw StoreError(StoreError::Code::NotFound,
                       "study " + uid + " is not one of patient " + c.key + "'s studies");
    }
  }

  Statement query(db,
                  "SELECT i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax, i.path, i.size, "
                  "i.dataset_offset, i.instance_number, i.specific_charset, i.record_keys, "
                  "s.series_uid, s.modality, s.series_number, st.study_uid, st.study_date, "
                  "st.study_time FROM instances i JOIN series s ON s.id = i.series_id "
                  "JOIN studies st ON st.id = s.study_id WHERE st.collection_id = ?");
  query.bind(1, c.id);
  while (query.step()) {
    SelectedInstance in;
    in.studyUid = query.text(12);
    if (!request.studyUids.empty() && std::find(request.studyUids.begin(), request.studyUids.end(),
                                                in.studyUid) == request.studyUids.end()) {
      continue;
    }
    in.sopInstanceUid = query.text(0);
    in.sopClassUid = query.text(1);
    in.transferSyntaxUid = query.text(2);
    in.file = storedFile(options_.dataDir, query.text(3));
    in.size = static_cast<std::uint64_t>(query.integer(4));
    in.datasetOffset = static_cast<std::uint64_t>(query.integer(5));
    in.instanceNumber = query.text(6);
    in.specificCharacterSet = query.text(7);
    in.recordKeys = query.text(8);
    in.seriesUid = query.text(9);
    in.modality = query.text(10);
    in.seriesNumber = query.text(11);
    in.studyDate = query.text(13);
    in.studyTime = query.text(14);
    selection.instances.push_back(std::move(in));
  }
  std::stable_sort(selection.instances.begin(), selection.instances.end(),
                   [](const SelectedInstance& a, const SelectedInstance& b) {
                     const auto key = [](const SelectedInstance& i) {
                       return std::make_tuple(i.studyDate, i.studyTime, i.studyUid,
                                              numberOrMax(i.seriesNumber), i.seriesUid,
                                              numberOrMax(i.instanceNumber), i.sopInstanceUid);
                     };
                     return key(a) < key(b);
                   });
  return selection;
}

}  // namespace burnstation::store
