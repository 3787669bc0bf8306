// The station's store: instance files in a data directory and their SQLite index,
// grouped in per-patient collections. Durable ingest, start-up recovery and the queries
// the command line and the kiosk need.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "burnstation/store/data_dir_lock.h"
#include "burnstation/store/instance_header.h"
#include "burnstation/store/selection.h"

namespace burnstation::store {

class SqliteDb;
struct StoreDirectories;

enum class DuplicatePolicy { KeepStored, Replace };

struct StoreOptions {
  std::filesystem::path dataDir;
  std::uint64_t freeSpaceReserve = 0;  // bytes that must stay free on the data filesystem
  DuplicatePolicy duplicates = DuplicatePolicy::KeepStored;
  int maxNestingDepth = 64;  // recovery and check scan stored files with the receiver's limit
};

// Who sent an instance: recorded with it and in the event log.
struct IngestSource {
  std::string callingAe;
  std::string calledAe;
  std::string peerAddress;
  std::string assumeCharset;  // used when an instance declares no Specific Character Set
};

enum class IngestOutcome {
  Stored,             // new instance, now in its collection
  DuplicateKept,      // same UID, same content: the stored copy stays
  DuplicateReplaced,  // same UID, same content, replace policy: the new copy is stored
  SetAside,           // same UID, different content or patient: kept aside as a conflict
};

struct IngestResult {
  IngestOutcome outcome = IngestOutcome::Stored;
  std::string collectionKey;
  std::filesystem::path file;  // where the instance now lives
  bool unusualUid = false;     // stored, and flagged: a UID component has a leading zero
};

struct StudySummary {
  std::string studyUid;
  std::string date;
  std::string time;
  std::string description;
  std::vector<std::string> modalities;
  std::int64_t series = 0;
  std::int64_t instances = 0;
  std::int64_t bytes = 0;
  std::string accession;           // Accession Number of the study's first instance (UTF-8)
  std::int64_t lastArrivalMs = 0;  // Unix time (ms) its newest instance arrived; 0: none
};

// A possible conflict the clerk is warned about (REQUIREMENTS, grouping). The admin may
// acknowledge one after checking it (two different patients, say); it then stays listed with
// who acknowledged it but no longer marks the patient. `id` names it while both exist.
struct PossibleConflict {
  std::string id;              // e.g. "same-id:<other key>"; "set-aside" for copies kept aside
  std::string kind;            // "same-id", "same-name", "shared-study" or "set-aside"
  std::string otherKey;        // the other collection ("" for set-aside)
  std::string studyUid;        // the study both hold (shared-study only)
  std::string text;            // a sentence for people
  std::string acknowledgedBy;  // "" while it stands
  std::string acknowledgedAt;  // UTC, as in the event log

  bool standing() const { return acknowledgedBy.empty(); }
};

struct CollectionSummary {
  std::string key;
  std::string patientId;
  bool idGenerated = false;
  std::string issuer;
  std::string patientName;
  std::string birthDate;
  std::string sex;
  std::int64_t instances = 0;
  std::int64_t bytes = 0;
  std::vector<PossibleConflict> conflicts;
  std::vector<StudySummary> studies;
  std::int64_t lastArrivalMs = 0;  // Unix time (ms) its newest instance arrived; 0: none
};

// A received instance kept aside because its SOP Instance UID is stored with other content
// or for another patient (REQUIREMENTS §2 duplicates): the admin decides what stays.
struct SetAsideInstance {
  std::int64_t id = 0;
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::string sentFor;   // the collection key it was sent for
  std::string storedIn;  // the collection key of the stored instance with that UID, if any
  std::string reason;
  std::string callingAe;
  std::string receivedAt;
  std::int64_t bytes = 0;
};

struct RecoveryReport {
  int filesRenamed = 0;  // files of a data directory named by UID, given derived names
  int temporaryFilesRemoved = 0;
  int filesReindexed = 0;
  int filesQuarantined = 0;
  int removalsFinished = 0;  // files of removed collections a crash left behind, now removed
  std::vector<std::string> missingFiles;  // relative paths of rows whose file is gone
  bool postponed = false;  // the disk was too full to write: it runs when space returns
};

// What removeCollection took away.
struct RemovedCollection {
  std::string key;
  std::string patientId;
  std::string patientName;
  std::int64_t instances = 0;
  std::int64_t bytes = 0;
  std::vector<std::string> studiesGone;  // study UIDs no collection holds any more
};

struct ConsistencyReport {
  std::int64_t instancesChecked = 0;
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

class Store {
 public:
  enum class Access { Service, ReadOnly };

  // Service access locks the data directory (one service per directory), creates the
  // layout and the index and makes them private, and gives the files of a data directory
  // written by an earlier version their derived names (stored_path.h); on a (nearly) full
  // disk it opens the index read-only instead and writes once space returns. ReadOnly
  // (command line, kiosk) requires an existing store and never writes.
  Store(StoreOptions options, Access access);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& dataDir() const { return options_.dataDir; }
  void setFreeSpaceReserve(std::uint64_t bytes);
  void setDuplicatePolicy(DuplicatePolicy policy);

  // Start-up recovery: removes temporary files, re-indexes (or quarantines) files without
  // rows and reports rows without files. On a full disk it is postponed (report.postponed)
  // and the store stays read-only until resumeWriting() has run it.
  RecoveryReport recover();

  // False while the store refuses to ingest: the disk was (nearly) full at start-up, or
  // recovery could not finish for lack of space. C-STORE then answers A700.
  bool writable() const { return writable_.load(); }
  std::string readOnlyReason() const;
  // Once space has returned: opens the index for writing, runs the postponed recovery,
  // records both in the event log and makes the store writable. Tried before every ingest
  // and by the service every second; returns writable().
  bool resumeWriting();
  // The report of the last recovery that ran (at start or when writing resumed).
  RecoveryReport lastRecovery() const;

  // A fresh path for a file being received, on the same filesystem as its final place.
  // Nothing exists there yet; create it with O_CREAT | O_EXCL, which never follows a link.
  std::filesystem::path temporaryPath();
  // Bytes available to us on the data filesystem, and whether a file of incomingBytes
  // would take the free space below the reserve.
  std::uint64_t freeBytes() const;
  bool wouldCrossReserve(std::uint64_t incomingBytes) const;

  // Makes a fully received temporary file durable and indexes it. On return the file is
  // fsync'd, renamed into place and its index row committed. Throws StoreError (Parse for
  // a header whose UIDs are not valid, uid.h); the temporary file is removed in every case.
  // The file's name is derived from its UID, never replaces another file (except a stored
  // copy of the same content under DuplicatePolicy::Replace) and the index row records it.
  IngestResult ingest(const std::filesystem::path& temporaryFile, const InstanceHeader& header,
                      const IngestSource& source);

  // Never throws: an event that cannot be written (disk full, index busy) goes to stderr,
  // because losing an event must not take down the thread that reported it.
  void logEvent(const std::string& kind, const std::string& detail,
                const IngestSource& source) noexcept;

  std::vector<CollectionSummary> collections() const;
  // Resolves the patient (ID or key) and studies; throws StoreError(NotFound) for an
  // unknown patient or study, (Ambiguous) for an ID shared by collections, listing their keys.
  Selection select(const SelectionRequest& request) const;
  ConsistencyReport checkConsistency() const;

  // The admin's decisions on instances kept aside (store_set_aside.cpp). Each is an event
  // naming who decided; both throw StoreError (NotFound for an unknown id, InUse while a job
  // that is not finished holds the stored instance, whose content must not change under it).
  std::vector<SetAsideInstance> setAsideInstances() const;
  // Removes the copy kept aside; the stored instance stays as it is.
  void discardSetAside(std::int64_t id, const std::string& who);
  // The copy kept aside replaces the stored instance of the same UID (indexed afresh, for
  // the patient it names); the stored file is removed once the new one is in.
  IngestResult replaceWithSetAside(std::int64_t id, const std::string& who);
  // The admin's fix for a patient sent by mistake: removes the collection with that key,
  // its studies, series and instances (rows and files) and the preview records of studies
  // no other collection holds; event "patient-deleted" naming who. Throws
  // StoreError(NotFound) for an unknown key, (InUse) while a queued or running job holds
  // any of its instances, naming the jobs; then nothing is removed.
  RemovedCollection removeCollection(const std::string& key, const std::string& who);
  // The admin has checked a possible conflict of the collection with that key
  // (store_conflicts.cpp): it no longer marks either collection; event
  // "conflict-acknowledged" naming who. Throws StoreError(NotFound) for an unknown key or a
  // conflict the collection does not have (any more), (Invalid) for copies kept aside, which
  // are decided one by one instead.
  PossibleConflict acknowledgeConflict(const std::string& key, const std::string& conflictId,
                                       const std::string& who);

 private:
  // Removes the files of removed collections whose rows are gone (writeMutex_ held).
  int finishRemovalsLocked();
  IngestResult ingestLocked(const std::filesystem::path& temporaryFile,
                            const InstanceHeader& header, const IngestSource& source,
                            const std::string& hash, std::uint64_t size);
  int migrateLayout();
  // Service start-up and resume (writeMutex_ held, or not yet shared).
  void openIndexForWriting();
  void startReadOnly(const std::string& reason);
  RecoveryReport recoverLocked();
  bool nearlyFull() const;

  StoreOptions options_;
  Access access_;
  std::optional<DataDirLock> lock_;  // before db_: released after the index is closed
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<StoreDirectories> dirs_;  // Service access, once the index is writable
  int filesRenamedAtStart_ = 0;
  // writeMutex_ guards these three; writable_ is also read without it.
  bool indexWritable_ = false;
  std::string readOnlyReason_;
  std::string readOnlySince_;
  RecoveryReport lastRecovery_;
  std::atomic<bool> writable_{false};
  // Temporary files of ours older than this are a previous run's (see recoverLocked); a
  // margin for the kernel's coarse file timestamps.
  std::filesystem::file_time_type openedAt_ =
      std::filesystem::file_time_type::clock::now() - std::chrono::seconds(2);
  // Queries (collections, select) may come from any thread of the service — the local API's
  // among them — so they use their own connection under readMutex_: db_ is the writers',
  // used under writeMutex_, and is replaced when the store becomes writable again.
  SqliteDb& reader() const;  // readMutex_ held
  mutable std::mutex readMutex_;
  mutable std::unique_ptr<SqliteDb> readDb_;
  mutable std::mutex writeMutex_;   // one writer connection, shared by receiver threads
  std::set<std::string> inFlight_;  // new UIDs between decision and commit (writeMutex_)
  std::condition_variable inFlightChanged_;
};

}  // namespace burnstation::store
