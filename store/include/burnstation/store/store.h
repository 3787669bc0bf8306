// The station's store: instance files in a data directory and their SQLite index,
// grouped in per-patient collections. Durable ingest, start-up recovery and the queries
// the command line and the kiosk need.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "burnstation/store/instance_header.h"
#include "burnstation/store/selection.h"

namespace burnstation::store {

class SqliteDb;

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
  std::vector<std::string> conflicts;  // human sentences, one per possible conflict
  std::vector<StudySummary> studies;
};

struct RecoveryReport {
  int temporaryFilesRemoved = 0;
  int filesReindexed = 0;
  int filesQuarantined = 0;
  std::vector<std::string> missingFiles;  // relative paths of rows whose file is gone
};

struct ConsistencyReport {
  std::int64_t instancesChecked = 0;
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

class Store {
 public:
  enum class Access { Service, ReadOnly };

  // Service access creates the layout and the index; ReadOnly (command line, kiosk)
  // requires an existing store and never writes.
  Store(StoreOptions options, Access access);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& dataDir() const { return options_.dataDir; }
  void setFreeSpaceReserve(std::uint64_t bytes);
  void setDuplicatePolicy(DuplicatePolicy policy);

  // Start-up recovery: removes temporary files, re-indexes (or quarantines) files without
  // rows and reports rows without files.
  RecoveryReport recover();

  // A fresh path for a file being received, on the same filesystem as its final place.
  std::filesystem::path temporaryPath();
  // Bytes available to us on the data filesystem, and whether a file of incomingBytes
  // would take the free space below the reserve.
  std::uint64_t freeBytes() const;
  bool wouldCrossReserve(std::uint64_t incomingBytes) const;

  // Makes a fully received temporary file durable and indexes it. On return the file is
  // fsync'd, renamed into place and its index row committed. Throws StoreError; the
  // temporary file is removed in every case.
  IngestResult ingest(const std::filesystem::path& temporaryFile, const InstanceHeader& header,
                      const IngestSource& source);

  void logEvent(const std::string& kind, const std::string& detail, const IngestSource& source);

  std::vector<CollectionSummary> collections() const;
  // Resolves the patient (ID or key) and studies; throws StoreError(NotFound) for an
  // unknown patient or study, (Ambiguous) for an ID shared by collections, listing their keys.
  Selection select(const SelectionRequest& request) const;
  ConsistencyReport checkConsistency() const;

 private:
  IngestResult ingestLocked(const std::filesystem::path& temporaryFile,
                            const InstanceHeader& header, const IngestSource& source,
                            const std::string& hash, std::uint64_t size);
  std::filesystem::path objectPathFor(const std::string& sopInstanceUid) const;

  StoreOptions options_;
  Access access_;
  std::unique_ptr<SqliteDb> db_;
  mutable std::mutex writeMutex_;   // one writer connection, shared by receiver threads
  std::set<std::string> inFlight_;  // new UIDs between decision and commit (writeMutex_)
  std::condition_variable inFlightChanged_;
};

}  // namespace burnstation::store
