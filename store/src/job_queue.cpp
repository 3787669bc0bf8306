// The job queue (see job_queue.h). Every write is one short BEGIN IMMEDIATE transaction, so
// the service, the command line and the kiosk can all write without SQLITE_BUSY surprises.
#include "burnstation/store/job_queue.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <nlohmann/json.hpp>

#include "burnstation/store/store_error.h"
#include "durable_file.h"
#include "sqlite_db.h"
#include "store_layout.h"

namespace burnstation::store {

namespace {
constexpr std::array<std::pair<JobState, std::string_view>, 8> kStateNames{{
    {JobState::Queued, "queued"},
    {JobState::Planning, "planning"},
    {JobState::WaitingForMedia, "waiting_for_media"},
    {JobState::Writing, "writing"},
    {JobState::Verifying, "verifying"},
    {JobState::Done, "done"},
    {JobState::Failed, "failed"},
    {JobState::Cancelled, "cancelled"},
}};
}  // namespace

std::string_view toString(JobState state) {
  for (const auto& [value, name] : kStateNames) {
    if (value == state) return name;
  }
  return "failed";
}

std::optional<JobState> parseJobState(std::string_view text) {
  for (const auto& [value, name] : kStateNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string terminalStatesSql() {
  std::string list;
  for (const auto& [value, name] : kStateNames) {
    if (isTerminal(value))
      list += std::string(list.empty() ? "(" : ", ") + "'" + std::string(name) + "'";
  }
  return list + ")";
}

namespace {

std::string studiesJson(const std::vector<std::string>& studies) {
  return nlohmann::json(studies).dump();
}

std::vector<std::string> studiesFrom(const std::string& text) {
  try {
    return nlohmann::json::parse(text).get<std::vector<std::string>>();
  } catch (const std::exception&) {
    return {};
  }
}

// A spelling no version wrote can only come from a hand-edited database: it has ended.
JobState stateFrom(const std::string& text) {
  return parseJobState(text).value_or(JobState::Failed);
}

std::string spelled(JobState state) {
  return std::string(toString(state));
}

Job jobFrom(Statement& q) {
  Job j;
  j.id = q.integer(0);
  j.state = stateFrom(q.text(1));
  j.request.patientKey = q.text(2);
  j.request.studies = studiesFrom(q.text(3));
  j.request.profile = q.text(4);
  j.request.drive = q.text(5);
  j.request.copies = static_cast<int>(q.integer(6));
  j.request.capacity = static_cast<std::uint64_t>(q.integer(7));
  j.created = q.text(8);
  j.updated = q.text(9);
  j.message = q.text(10);
  j.cancelRequested = q.integer(11) != 0;
  j.request.requestedBy = q.text(12);
  j.requestId = q.isNull(13) ? std::string() : q.text(13);
  if (!q.isNull(14)) j.retryOf = q.integer(14);
  if (!q.isNull(15)) j.retriedBy = q.integer(15);
  if (!q.isNull(16)) j.patient = JobPatient{q.text(16), q.text(17)};
  return j;
}

constexpr const char* kJobColumns =
    "id, state, patient_key, studies, profile, drive, copies, capacity, created, updated, message, "
    "cancel_requested, requested_by, "
    "(SELECT request_id FROM job_requests WHERE job_requests.job_id = jobs.id), "
    "(SELECT retry_of FROM job_retries WHERE job_retries.job_id = jobs.id), "
    "(SELECT job_id FROM job_retries WHERE job_retries.retry_of = jobs.id), "
    "(SELECT patient_name FROM collections WHERE collections.key = jobs.patient_key), "
    "(SELECT patient_id FROM collections WHERE collections.key = jobs.patient_key)";

void loadVolumes(SqliteDb& db, Job& job) {
  Statement q(db,
              "SELECT volume_index, volume_count, copy, state, bytes_written, bytes_total, "
              "reject_reason, target, bytes_per_second, eta_seconds, attempts FROM job_volumes "
              "WHERE job_id = ? ORDER BY copy, volume_index");
  q.bind(1, job.id);
  while (q.step()) {
    JobVolume v;
    v.index = static_cast<int>(q.integer(0));
    v.of = static_cast<int>(q.integer(1));
    v.copy = static_cast<int>(q.integer(2));
    v.state = stateFrom(q.text(3));
    v.bytesWritten = static_cast<std::uint64_t>(q.integer(4));
    v.bytesTotal = static_cast<std::uint64_t>(q.integer(5));
    v.rejectReason = q.text(6);
    v.target = q.text(7);
    v.bytesPerSecond = q.real(8);
    v.etaSeconds = q.integer(9);
    v.attempts = static_cast<int>(q.integer(10));
    job.volumes.push_back(std::move(v));
  }
}

std::int64_t insertJob(SqliteDb& db, const JobRequest& r,
                       const std::vector<std::string>& instanceUids) {
  const std::string now = isoNow();
  Statement insert(
      db,
      "INSERT INTO jobs(state, patient_key, studies, profile, drive, copies, capacity, "
      "created, updated, requested_by) VALUES(?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, spelled(JobState::Queued))
      .bind(2, r.patientKey)
      .bind(3, studiesJson(r.studies))
      .bind(4, r.profile)
      .bind(5, r.drive)
      .bind(6, static_cast<std::int64_t>(r.copies))
      .bind(7, static_cast<std::int64_t>(r.capacity))
      .bind(8, now)
      .bind(9, now)
      .bind(10, r.requestedBy)
      .run();
  const std::int64_t id = db.lastInsertRowId();
  Statement hold(db, "INSERT OR IGNORE INTO job_instances(job_id, sop_instance_uid) VALUES(?,?)");
  for (const std::string& uid : instanceUids) hold.bind(1, id).bind(2, uid).run();
  return id;
}

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

JobQueue::JobQueue(const std::filesystem::path& dataDir) {
  const auto index = dataDir / layout::kIndexFile;
  if (!std::filesystem::exists(index)) {
    throw StoreError(StoreError::Code::NotFound,
                     "no station data in " + dataDir.string() +
                         " (has the service ever run with this data directory?)");
  }
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadWrite);
}

JobQueue::~JobQueue() = default;

std::int64_t JobQueue::submit(const JobRequest& r, const std::vector<std::string>& instanceUids) {
  Transaction tx(*db_);
  const std::int64_t id = insertJob(*db_, r, instanceUids);
  tx.commit();
  return id;
}

SubmittedJob JobQueue::submitOnce(const std::string& requestId, const std::string& fingerprint,
                                  const JobRequest& r,
                                  const std::vector<std::string>& instanceUids) {
  // BEGIN IMMEDIATE: the look-up and the insert are one step for every writer, so two
  // submits of one request ID cannot both miss and both queue.
  Transaction tx(*db_);
  Statement known(*db_, "SELECT job_id, fingerprint FROM job_requests WHERE request_id = ?");
  known.bind(1, requestId);
  if (known.step()) return {known.integer(0), false, known.text(1)};
  known.reset();
  const std::int64_t id = insertJob(*db_, r, instanceUids);
  Statement record(*db_, "INSERT INTO job_requests(request_id, job_id, fingerprint) VALUES(?,?,?)");
  record.bind(1, requestId).bind(2, id).bind(3, fingerprint).run();
  tx.commit();
  return {id, true, fingerprint};
}

std::optional<SubmittedJob> JobQueue::submittedAs(const std::string& requestId) {
  Statement known(*db_, "SELECT job_id, fingerprint FROM job_requests WHERE request_id = ?");
  known.bind(1, requestId);
  if (!known.step()) return std::nullopt;
  return SubmittedJob{known.integer(0), false, known.text(1)};
}

RetriedJob JobQueue::retry(std::int64_t id, const std::string& requestedBy) {
  Transaction tx(*db_);
  Statement q(*db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return {};
  Job old = jobFrom(q);
  q.reset();
  RetriedJob result;
  result.state = old.state;
  if (old.retriedBy) {
    result.outcome = RetriedJob::Outcome::AlreadyRetried;
    result.id = *old.retriedBy;
    return result;
  }
  if (!isTerminal(old.state)) {
    result.outcome = RetriedJob::Outcome::NotEnded;
    return result;
  }
  if (old.state == JobState::Done) {
    result.outcome = RetriedJob::Outcome::Done;
    return result;
  }
  std::vector<std::string> frozen;
  Statement held(*db_,
                 "SELECT sop_instance_uid FROM job_instances WHERE job_id = ? ORDER BY rowid");
  held.bind(1, id);
  while (held.step()) frozen.push_back(held.text(0));
  held.reset();
  JobRequest request = old.request;
  request.requestedBy = requestedBy;
  result.id = insertJob(*db_, request, frozen);
  Statement link(*db_, "INSERT INTO job_retries(job_id, retry_of) VALUES(?,?)");
  link.bind(1, result.id).bind(2, id).run();
  tx.commit();
  result.outcome = RetriedJob::Outcome::Queued;
  return result;
}

std::vector<QuietStudy> JobQueue::quietStudies(const std::string& calledAe, int quietSeconds) {
  // Times carry their UTC offset, which julianday() honours across clock changes.
  Statement q(*db_,
              "SELECT st.study_uid, c.key, count(i.id), "
              "(SELECT max(a.instances) FROM auto_burns a WHERE a.study_uid = st.study_uid AND "
              "a.called_ae = ?1) FROM instances i JOIN series se ON se.id = i.series_id "
              "JOIN studies st ON st.id = se.study_id JOIN collections c ON c.id = "
              "st.collection_id WHERE i.called_ae = ?1 GROUP BY st.id HAVING "
              "(julianday('now') - julianday(max(i.received_at))) * 86400.0 >= ?2 AND "
              "count(i.id) > coalesce((SELECT max(a.instances) FROM auto_burns a WHERE "
              "a.study_uid = st.study_uid AND a.called_ae = ?1), 0)");
  q.bind(1, calledAe).bind(2, static_cast<std::int64_t>(quietSeconds));
  std::vector<QuietStudy> out;
  while (q.step()) {
    QuietStudy s;
    s.studyUid = q.text(0);
    s.collectionKey = q.text(1);
    s.burnedBefore = !q.isNull(3);
    out.push_back(std::move(s));
  }
  q.reset();
  Statement uids(*db_,
                 "SELECT i.sop_instance_uid FROM instances i JOIN series se ON se.id = "
                 "i.series_id JOIN studies st ON st.id = se.study_id JOIN collections c ON c.id "
                 "= st.collection_id WHERE st.study_uid = ? AND c.key = ? AND i.called_ae = ?");
  for (QuietStudy& s : out) {
    uids.bind(1, s.studyUid).bind(2, s.collectionKey).bind(3, calledAe);
    while (uids.step()) s.instanceUids.push_back(uids.text(0));
    uids.reset();
  }
  return out;
}

std::int64_t JobQueue::submitAutoBurn(const JobRequest& request, const std::string& calledAe,
                                      const QuietStudy& study) {
  Transaction tx(*db_);
  const std::int64_t id = insertJob(*db_, request, study.instanceUids);
  Statement record(*db_,
                   "INSERT INTO auto_burns(study_uid, called_ae, instances, job_id, queued_at) "
                   "VALUES(?,?,?,?,?)");
  record.bind(1, study.studyUid)
      .bind(2, calledAe)
      .bind(3, static_cast<std::int64_t>(study.instanceUids.size()))
      .bind(4, id)
      .bind(5, isoNow())
      .run();
  tx.commit();
  return id;
}

std::vector<Job> JobQueue::jobs() {
  std::vector<Job> out;
  Statement q(*db_, std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY id");
  while (q.step()) out.push_back(jobFrom(q));
  for (Job& j : out) loadVolumes(*db_, j);
  return out;
}

std::optional<Job> JobQueue::job(std::int64_t id) {
  Statement q(*db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  Job j = jobFrom(q);
  q.reset();
  loadVolumes(*db_, j);
  return j;
}

bool JobQueue::cancel(std::int64_t id) {
  Transaction tx(*db_);
  Statement q(*db_, "SELECT state FROM jobs WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return false;
  const JobState state = stateFrom(q.text(0));
  q.reset();
  if (isTerminal(state)) return false;
  Statement update(*db_,
                   state == JobState::Queued
                       ? "UPDATE jobs SET state = 'cancelled', cancel_requested = 1, updated = ?, "
                         "message = 'cancelled before it started' WHERE id = ?"
                       : "UPDATE jobs SET cancel_requested = 1, updated = ? WHERE id = ?");
  update.bind(1, isoNow()).bind(2, id).run();
  tx.commit();
  return true;
}

std::optional<Job> JobQueue::claimNext(const std::vector<std::string>& busyDrives) {
  Transaction tx(*db_);
  Statement q(
      *db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE state = 'queued' ORDER BY id");
  std::optional<Job> found;
  while (q.step()) {
    Job j = jobFrom(q);
    if (std::find(busyDrives.begin(), busyDrives.end(), j.request.drive) == busyDrives.end()) {
      found = std::move(j);
      break;
    }
  }
  q.reset();
  if (!found) return std::nullopt;
  Statement update(*db_, "UPDATE jobs SET state = 'planning', updated = ? WHERE id = ?");
  update.bind(1, isoNow()).bind(2, found->id).run();
  tx.commit();
  found->state = JobState::Planning;
  return found;
}

void JobQueue::setState(std::int64_t id, JobState state, const std::string& message) {
  Transaction tx(*db_);
  Statement update(*db_, "UPDATE jobs SET state = ?, message = ?, updated = ? WHERE id = ?");
  update.bind(1, spelled(state)).bind(2, message).bind(3, isoNow()).bind(4, id).run();
  tx.commit();
}

void JobQueue::setVolumes(std::int64_t id, const std::vector<JobVolume>& volumes) {
  Transaction tx(*db_);
  Statement clear(*db_, "DELETE FROM job_volumes WHERE job_id = ?");
  clear.bind(1, id).run();
  // A new plan: file-set IDs kept for an earlier one belong to other content.
  Statement forget(*db_, "DELETE FROM job_file_sets WHERE job_id = ?");
  forget.bind(1, id).run();
  Statement insert(*db_,
                   "INSERT INTO job_volumes(job_id, volume_index, volume_count, copy, state, "
                   "bytes_total) VALUES(?,?,?,?,?,?)");
  for (const JobVolume& v : volumes) {
    insert.bind(1, id)
        .bind(2, static_cast<std::int64_t>(v.index))
        .bind(3, static_cast<std::int64_t>(v.of))
        .bind(4, static_cast<std::int64_t>(v.copy))
        .bind(5, spelled(v.state))
        .bind(6, static_cast<std::int64_t>(v.bytesTotal))
        .run();
  }
  tx.commit();
}

void JobQueue::updateVolume(std::int64_t id, const JobVolume& v) {
  Transaction tx(*db_);
  Statement update(
      *db_,
      "UPDATE job_volumes SET state = ?, bytes_written = ?, bytes_total = ?, "
      "reject_reason = ?, target = ?, bytes_per_second = ?, eta_seconds = ?, attempts = ? "
      "WHERE job_id = ? AND volume_index = ? AND copy = ?");
  update.bind(1, spelled(v.state))
      .bind(2, static_cast<std::int64_t>(v.bytesWritten))
      .bind(3, static_cast<std::int64_t>(v.bytesTotal))
      .bind(4, v.rejectReason)
      .bind(5, v.target)
      .bind(6, v.bytesPerSecond)
      .bind(7, v.etaSeconds)
      .bind(8, static_cast<std::int64_t>(v.attempts))
      .bind(9, id)
      .bind(10, static_cast<std::int64_t>(v.index))
      .bind(11, static_cast<std::int64_t>(v.copy))
      .run();
  Statement touch(*db_, "UPDATE jobs SET updated = ? WHERE id = ?");
  touch.bind(1, isoNow()).bind(2, id).run();
  tx.commit();
}

std::vector<HeldInstance> JobQueue::heldInstances(std::int64_t id) {
  std::vector<HeldInstance> out;
  Statement q(*db_,
              "SELECT sop_instance_uid, volume_index FROM job_instances WHERE job_id = ? "
              "ORDER BY rowid");
  q.bind(1, id);
  while (q.step()) out.push_back({q.text(0), static_cast<int>(q.integer(1))});
  return out;
}

void JobQueue::assignVolumes(std::int64_t id, const std::vector<HeldInstance>& plan) {
  Transaction tx(*db_);
  Statement update(*db_,
                   "UPDATE job_instances SET volume_index = ? WHERE job_id = ? AND "
                   "sop_instance_uid = ?");
  for (const HeldInstance& h : plan) {
    update.bind(1, static_cast<std::int64_t>(h.volume)).bind(2, id).bind(3, h.sopInstanceUid).run();
  }
  tx.commit();
}

std::string JobQueue::keepFileSetId(std::int64_t id, int volume, const std::string& proposed) {
  Transaction tx(*db_);
  Statement insert(*db_,
                   "INSERT OR IGNORE INTO job_file_sets(job_id, volume_index, file_set_id) "
                   "VALUES(?,?,?)");
  insert.bind(1, id).bind(2, static_cast<std::int64_t>(volume)).bind(3, proposed).run();
  Statement kept(*db_,
                 "SELECT file_set_id FROM job_file_sets WHERE job_id = ? AND volume_index = ?");
  kept.bind(1, id).bind(2, static_cast<std::int64_t>(volume));
  if (!kept.step())
    throw StoreError(StoreError::Code::Database, "the volume's file-set ID was not kept");
  std::string fileSetId = kept.text(0);
  tx.commit();
  return fileSetId;
}

void JobQueue::recordMedium(std::int64_t id, const std::string& detail) {
  Statement insert(*db_, "INSERT INTO events(time, kind, detail) VALUES(?, 'medium_created', ?)");
  insert.bind(1, isoNow()).bind(2, "job " + std::to_string(id) + ": " + detail).run();
}

bool JobQueue::cancelRequested(std::int64_t id) {
  Statement q(*db_, "SELECT cancel_requested FROM jobs WHERE id = ?");
  q.bind(1, id);
  return q.step() && q.integer(0) != 0;
}

int JobQueue::requeueInterrupted() {
  Transaction tx(*db_);
  Statement update(*db_,
                   "UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE "
                   "'queued' END, message = 'interrupted by a restart of the service', updated = ? "
                   "WHERE state <> 'queued' AND state NOT IN " +
                       terminalStatesSql());
  update.bind(1, isoNow()).run();
  const int changed = db_->changes();
  tx.commit();
  return changed;
}

void JobQueue::heartbeat() {
  Statement upsert(*db_,
                   "INSERT INTO service(key, value) VALUES('heartbeat', ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, std::to_string(nowSeconds())).run();
}

void JobQueue::serviceStopped() {
  Statement remove(*db_, "DELETE FROM service WHERE key = 'heartbeat'");
  remove.run();
}

std::optional<double> JobQueue::secondsSinceHeartbeat() {
  Statement q(*db_, "SELECT value FROM service WHERE key = 'heartbeat'");
  if (!q.step()) return std::nullopt;
  return nowSeconds() - std::stod(q.text(0));
}

}  // namespace burnstation::store
