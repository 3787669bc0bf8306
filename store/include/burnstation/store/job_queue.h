// The burn job queue in the shared database: the command line and the kiosk submit and
// cancel jobs, the service runs them and records their progress. No other channel exists
// between them (ARCHITECTURE.md "Processes").
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burnstation::store {

class SqliteDb;

// A job's or a volume's state, spelled in the database and the documents as the command-line
// contract spells it (toString).
enum class JobState {
  Queued,
  Planning,
  WaitingForMedia,
  Writing,
  Verifying,
  Done,
  Failed,
  Cancelled
};

std::string_view toString(JobState state);
// nullopt for a spelling no version of the station wrote.
std::optional<JobState> parseJobState(std::string_view text);
// Done, failed or cancelled: nothing more will happen to it.
constexpr bool isTerminal(JobState state) {
  return state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled;
}
// "('done', 'failed', 'cancelled')", for SQL that must agree with isTerminal().
std::string terminalStatesSql();

struct JobRequest {
  std::string patientKey;
  std::vector<std::string> studies;
  std::string profile;
  std::string drive;
  int copies = 1;
  std::uint64_t capacity = 0;  // 0: the profile's
  std::string requestedBy;     // who asked: "clerk@host", "auto-burn BURN_CD", ...
};

struct JobVolume {
  int index = 0;
  int of = 0;
  int copy = 1;
  JobState state = JobState::Queued;
  std::uint64_t bytesWritten = 0;
  std::uint64_t bytesTotal = 0;
  std::string rejectReason;
  std::string target;  // image file or folder written
  double bytesPerSecond = 0;
  std::int64_t etaSeconds = -1;  // -1: unknown
  int attempts = 0;              // media tried for this volume and copy
};

// A frozen instance of a job and the volume it was planned onto (0 before planning).
struct HeldInstance {
  std::string sopInstanceUid;
  int volume = 0;
};

// A study sent to an auto-burn AE title that has been quiet long enough and holds instances
// no auto-burn job has taken yet.
struct QuietStudy {
  std::string studyUid;
  std::string collectionKey;
  std::vector<std::string> instanceUids;  // received via that AE title
  bool burnedBefore = false;              // it grew after an earlier auto-burn
};

// The patient a job's key names, as the store has it now.
struct JobPatient {
  std::string name;  // the Patient's Name as stored (PN, components with ^)
  std::string id;
};

struct Job {
  std::int64_t id = 0;
  JobState state = JobState::Queued;
  JobRequest request;
  std::string created;
  std::string updated;
  std::string message;
  bool cancelRequested = false;
  std::vector<JobVolume> volumes;
  std::string requestId;                  // the client's request ID, empty when none was given
  std::optional<std::int64_t> retryOf;    // the failed or cancelled job this one retries
  std::optional<std::int64_t> retriedBy;  // the job that retries this one
  // Absent once the patient has been removed: the job's history keeps the key.
  std::optional<JobPatient> patient;
};

// What submitOnce found or made for a client request ID.
struct SubmittedJob {
  std::int64_t id = 0;
  bool created = false;     // false: the ID was known, id is the job it made before
  std::string fingerprint;  // the request as it was first submitted under the ID
};

// What retry did: queued a new job, or why not.
struct RetriedJob {
  enum class Outcome { Queued, NoSuchJob, NotEnded, Done, AlreadyRetried };
  Outcome outcome = Outcome::NoSuchJob;
  std::int64_t id = 0;                // the new job (Queued) or the earlier retry (AlreadyRetried)
  JobState state = JobState::Queued;  // the retried job's state
};

class JobQueue {
 public:
  // The service creates the tables (Store does); clients need an existing database.
  explicit JobQueue(const std::filesystem::path& dataDir);
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues a job with its frozen list of instances: later arrivals are not added.
  std::int64_t submit(const JobRequest& request, const std::vector<std::string>& instanceUids);
  // Queues the job once per client request ID, atomically across processes: a request ID
  // seen before returns the job it made (and the fingerprint it was made with) instead.
  SubmittedJob submitOnce(const std::string& requestId, const std::string& fingerprint,
                          const JobRequest& request, const std::vector<std::string>& instanceUids);
  // The job a client request ID made (created is false), if any.
  std::optional<SubmittedJob> submittedAs(const std::string& requestId);
  // Queues a failed or cancelled job again as a new job with the same request and frozen
  // instances (requested by requestedBy); a job is retried at most once.
  RetriedJob retry(std::int64_t id, const std::string& requestedBy);
  std::vector<Job> jobs();

  // Auto-burn (REQUIREMENTS §5): studies received via calledAe, quiet for quietSeconds.
  std::vector<QuietStudy> quietStudies(const std::string& calledAe, int quietSeconds);
  // Queues the study's job and records it in the auto-burn ledger in one transaction, so a
  // restart can never queue the same arrivals twice.
  std::int64_t submitAutoBurn(const JobRequest& request, const std::string& calledAe,
                              const QuietStudy& study);
  std::optional<Job> job(std::int64_t id);
  // Queued jobs are cancelled at once; running ones when the runner next looks.
  // Returns false when the job does not exist or has already ended.
  bool cancel(std::int64_t id);

  // Service side.
  // The oldest queued job whose drive is not busy, now "planning".
  std::optional<Job> claimNext(const std::vector<std::string>& busyDrives = {});
  void setState(std::int64_t id, JobState state, const std::string& message = {});
  void setVolumes(std::int64_t id, const std::vector<JobVolume>& volumes);
  void updateVolume(std::int64_t id, const JobVolume& volume);
  std::vector<HeldInstance> heldInstances(std::int64_t id);
  // Records the plan: the volume of every held instance.
  void assignVolumes(std::int64_t id, const std::vector<HeldInstance>& plan);
  // The File-set ID of the job's volume: the one kept for it, else proposed, which is then
  // kept, so every copy of the volume carries the same ID (across restarts too).
  std::string keepFileSetId(std::int64_t id, int volume, const std::string& proposed);
  // An event for every medium created: patient, studies, volume, drive, who asked.
  void recordMedium(std::int64_t id, const std::string& detail);
  bool cancelRequested(std::int64_t id);
  // Jobs a stopped service left running go back to the queue, so none loses its place.
  int requeueInterrupted();
  void heartbeat();
  // A clean stop says so at once, rather than letting the heartbeat go stale.
  void serviceStopped();
  // Seconds since the service last said it was alive; nullopt when it never did.
  std::optional<double> secondsSinceHeartbeat();

 private:
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace burnstation::store
