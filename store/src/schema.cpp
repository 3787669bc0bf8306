// Index schema. Conflicts between collections are derived at query time, not stored,
// so they can never disagree with the rows they are about.
#include "schema.h"

#include "sqlite_db.h"

namespace burnstation::store {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS collections(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  patient_id TEXT NOT NULL,
  id_generated INTEGER NOT NULL,
  issuer TEXT NOT NULL,
  patient_name TEXT NOT NULL,
  name_normalised TEXT NOT NULL,
  patient_name_raw BLOB,
  specific_charset TEXT,
  birth_date TEXT,
  sex TEXT,
  created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS collections_patient_id ON collections(patient_id);
CREATE INDEX IF NOT EXISTS collections_name ON collections(name_normalised);

CREATE TABLE IF NOT EXISTS studies(
  id INTEGER PRIMARY KEY,
  collection_id INTEGER NOT NULL REFERENCES collections(id),
  study_uid TEXT NOT NULL,
  study_date TEXT,
  study_time TEXT,
  study_id TEXT,
  accession TEXT,
  description TEXT,
  UNIQUE(collection_id, study_uid));
CREATE INDEX IF NOT EXISTS studies_uid ON studies(study_uid);

CREATE TABLE IF NOT EXISTS series(
  id INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies(id),
  series_uid TEXT NOT NULL,
  modality TEXT,
  series_number TEXT,
  description TEXT,
  UNIQUE(study_id, series_uid));

CREATE TABLE IF NOT EXISTS instances(
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL REFERENCES series(id),
  sop_instance_uid TEXT NOT NULL UNIQUE,
  sop_class_uid TEXT NOT NULL,
  transfer_syntax TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  dataset_offset INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  instance_number TEXT,
  specific_charset TEXT,
  calling_ae TEXT,
  called_ae TEXT,
  peer TEXT,
  received_at TEXT NOT NULL,
  record_keys BLOB);
CREATE INDEX IF NOT EXISTS instances_series ON instances(series_id);

CREATE TABLE IF NOT EXISTS set_aside(
  id INTEGER PRIMARY KEY,
  sop_instance_uid TEXT NOT NULL,
  sop_class_uid TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  collection_key TEXT NOT NULL,
  reason TEXT NOT NULL,
  calling_ae TEXT,
  received_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS jobs(
  id INTEGER PRIMARY KEY,
  state TEXT NOT NULL,
  patient_key TEXT NOT NULL,
  studies TEXT NOT NULL,
  profile TEXT NOT NULL,
  drive TEXT NOT NULL,
  copies INTEGER NOT NULL,
  capacity INTEGER NOT NULL,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  requested_by TEXT NOT NULL DEFAULT '');

-- The instances a job was submitted with (its frozen list) and, once planned, the volume
-- each goes on; held files are never replaced while the job is active.
CREATE TABLE IF NOT EXISTS job_instances(
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  sop_instance_uid TEXT NOT NULL,
  volume_index INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(job_id, sop_instance_uid));
CREATE INDEX IF NOT EXISTS job_instances_by_uid ON job_instances(sop_instance_uid);

CREATE TABLE IF NOT EXISTS job_volumes(
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  volume_index INTEGER NOT NULL,
  volume_count INTEGER NOT NULL,
  copy INTEGER NOT NULL,
  state TEXT NOT NULL,
  bytes_written INTEGER NOT NULL DEFAULT 0,
  bytes_total INTEGER NOT NULL DEFAULT 0,
  reject_reason TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT '',
  bytes_per_second REAL NOT NULL DEFAULT 0,
  eta_seconds INTEGER NOT NULL DEFAULT -1,
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(job_id, volume_index, copy));

-- The File-set ID of each volume of a job, kept from the first copy on, so that every copy
-- of disc N is the same file-set, also when a restart comes between the copies. A table of
-- its own (created on open like the others), so older databases need no migration step.
CREATE TABLE IF NOT EXISTS job_file_sets(
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  volume_index INTEGER NOT NULL,
  file_set_id TEXT NOT NULL,
  PRIMARY KEY(job_id, volume_index));

-- The client request ID a job was submitted with (the kiosk's), unique, so that a retried
-- submit finds its job instead of queueing a second one, also when two arrive at once; the
-- fingerprint is the request as first asked, to tell a retry from a reused ID. A table of
-- its own, so older databases need no migration step.
CREATE TABLE IF NOT EXISTS job_requests(
  request_id TEXT PRIMARY KEY,
  job_id INTEGER NOT NULL UNIQUE REFERENCES jobs(id),
  fingerprint TEXT NOT NULL);

-- A failed or cancelled job queued again as a new job: each job is retried at most once,
-- so a double tap on "retry" cannot burn twice.
CREATE TABLE IF NOT EXISTS job_retries(
  job_id INTEGER PRIMARY KEY REFERENCES jobs(id),
  retry_of INTEGER NOT NULL UNIQUE REFERENCES jobs(id));

-- Studies auto-burn rules have queued, with how many instances, so a study is burned once
-- (and once more only if it grows).
CREATE TABLE IF NOT EXISTS auto_burns(
  study_uid TEXT NOT NULL,
  called_ae TEXT NOT NULL,
  instances INTEGER NOT NULL,
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  queued_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS auto_burns_study ON auto_burns(study_uid, called_ae);

CREATE TABLE IF NOT EXISTS service(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS events(
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  kind TEXT NOT NULL,
  calling_ae TEXT,
  called_ae TEXT,
  peer TEXT,
  detail TEXT NOT NULL);

-- Auto-burn looks for quiet studies of its called AE titles every second; without this it
-- would read every instance row (record keys and all) each time.
CREATE INDEX IF NOT EXISTS instances_called_ae ON instances(called_ae, received_at, series_id);

-- Added by issue 11: files of a collection the admin removed, listed in the transaction that
-- removed its rows and crossed off once the file is gone, so that start-up recovery finishes
-- a removal a crash interrupted instead of re-indexing the files (Store::removeCollection).
CREATE TABLE IF NOT EXISTS removals(
  path TEXT PRIMARY KEY,
  removed_at TEXT NOT NULL);

-- Added by issue 11: possible conflicts the admin checked (Store::acknowledgeConflict), per
-- pair of collection keys (first < second) and, for a study under two patients, the study.
CREATE TABLE IF NOT EXISTS conflict_acknowledgements(
  kind TEXT NOT NULL,
  first_key TEXT NOT NULL,
  second_key TEXT NOT NULL,
  study_uid TEXT NOT NULL DEFAULT '',
  by TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY(kind, first_key, second_key, study_uid));
)sql";
}  // namespace

void createSchema(SqliteDb& db) {
  db.exec(kSchema);
}

}  // namespace burnstation::store
