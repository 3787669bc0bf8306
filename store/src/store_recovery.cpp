// Start-up recovery and the consistency check: the index and the files must describe the
// same set of instances after any crash.
#include <unistd.h>

#include <unordered_map>
#include <unordered_set>

#include "burnstation/store/collection_key.h"
#include "burnstation/store/dataset_scan.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/stored_path.h"
#include "burnstation/store/uid.h"
#include "content_hash.h"
#include "durable_file.h"
#include "index_rows.h"
#include "sqlite_db.h"
#include "store_directory.h"
#include "store_layout.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

struct IndexedFile {
  std::int64_t size;
  std::string hash;
};

std::unordered_map<std::string, IndexedFile> indexedFiles(SqliteDb& db) {
  std::unordered_map<std::string, IndexedFile> files;
  Statement query(db, "SELECT path, size, content_hash FROM instances");
  while (query.step()) files.emplace(query.text(0), IndexedFile{query.integer(1), query.text(2)});
  return files;
}

// Files in the store may have come from anywhere (an older version, a restored backup, a
// disk error): DCMTK parses them only after the structural scan. Empty: well formed.
std::string malformation(const fs::path& file, int maxNestingDepth) {
  ScanLimits limits;
  limits.maxNestingDepth = maxNestingDepth;
  try {
    const DatasetScan scan = scanPart10File(file, limits);
    return scan.ok() ? std::string() : scan.problem->describe();
  } catch (const StoreError& e) {
    return e.what();
  }
}

}  // namespace

RecoveryReport Store::recover() {
  if (access_ == Access::ReadOnly) {
    throw StoreError(StoreError::Code::Io, "the store is open read-only");
  }
  std::lock_guard lock(writeMutex_);
  std::string why = indexWritable_ ? std::string() : readOnlyReason_;
  if (why.empty() && nearlyFull())
    why = "the disk holding " + options_.dataDir.string() + " is full";
  if (why.empty()) {
    try {
      lastRecovery_ = recoverLocked();
      return lastRecovery_;
    } catch (const StoreError& e) {
      if (e.code() != StoreError::Code::NoSpace && !nearlyFull()) throw;
      why = std::string("start-up recovery ran out of space: ") + e.what();
    }
  }
  // Postponed, not fatal: until it has run, nothing is ingested (a file it re-indexes could
  // otherwise be one an association is about to commit).
  writable_ = false;
  if (readOnlyReason_.empty()) {
    readOnlyReason_ = why;
    readOnlySince_ = isoNow();
  }
  RecoveryReport report;
  report.postponed = true;
  return report;
}

RecoveryReport Store::recoverLocked() {
  RecoveryReport report;
  report.filesRenamed = filesRenamedAtStart_;
  const IngestSource recovery{"", "", "", ""};

  // Files still being received when the service stopped were never acknowledged. Our own
  // (recovery postponed until space returned) may be arriving right now: they are kept. A
  // previous run's files can carry our PID too (a container restarts with the same PIDs);
  // they are older than this store.
  const std::string ours = std::to_string(::getpid()) + "-";
  for (const auto& entry : fs::directory_iterator(dirs_->incoming.path())) {
    std::error_code ec;
    if (entry.path().filename().string().rfind(ours, 0) == 0 &&
        entry.last_write_time(ec) >= openedAt_ && !ec) {
      continue;
    }
    if (removeFile(dirs_->incoming, entry.path().filename().string())) {
      ++report.temporaryFilesRemoved;
    }
  }

  // Before the scan below: a removed collection's files have no rows and would otherwise
  // be re-indexed, bringing back the patient the admin removed.
  report.removalsFinished = finishRemovalsLocked();

  auto indexed = indexedFiles(*db_);
  std::unordered_set<std::string> seen;
  // The iterator does not descend into linked folders; links to files are quarantined,
  // never read through.
  for (const auto& entry : fs::recursive_directory_iterator(dirs_->objects.path())) {
    const fs::file_status status = entry.symlink_status();
    if (fs::is_directory(status)) continue;
    const std::string relative = fs::relative(entry.path(), options_.dataDir).generic_string();
    if (fs::is_regular_file(status) && indexed.count(relative)) {
      seen.insert(relative);
      continue;
    }
    // A file without a row was renamed into place but its commit did not happen: it was
    // never acknowledged, but it is complete (fsync came before rename), so index it.
    try {
      if (!fs::is_regular_file(status)) {
        throw StoreError(StoreError::Code::Inconsistent, "not a regular file");
      }
      if (const std::string bad = malformation(entry.path(), options_.maxNestingDepth);
          !bad.empty()) {
        throw StoreError(StoreError::Code::Parse, "malformed: " + bad);
      }
      const InstanceHeader header = readInstanceHeader(entry.path());
      const UidScreen uids = screenInstanceUids(header);
      if (uids.refused()) throw StoreError(StoreError::Code::Parse, uids.refusal);
      if (!isObjectPathOf(relative, header.sopInstanceUid)) {
        throw StoreError(StoreError::Code::Inconsistent,
                         "file name is not the one the station derives from its UID");
      }
      const CollectionKey key = collectionKeyFor(header);
      Transaction tx(*db_);
      Statement existing(*db_, "SELECT 1 FROM instances WHERE sop_instance_uid = ?");
      existing.bind(1, header.sopInstanceUid);
      if (existing.step()) {
        throw StoreError(StoreError::Code::Inconsistent, "UID already indexed under another path");
      }
      insertInstanceRows(
          *db_, IndexedInstance{header, key, recovery, relative,
                                static_cast<std::uint64_t>(entry.file_size()),
                                hashFileFrom(entry.path(), header.datasetOffset), uids.unusual});
      insertEvent(*db_, "recovered", "re-indexed " + relative, recovery);
      tx.commit();
      ++report.filesReindexed;
    } catch (const StoreError& e) {
      // A full disk says nothing about the file: recovery is postponed, the file stays.
      if (e.code() == StoreError::Code::NoSpace) throw;
      const fs::path path(relative);
      const Directory folder = dirs_->data.child(path.parent_path().generic_string(), false);
      const std::string name = moveWithoutReplacing(
          folder, path.filename().string(), dirs_->quarantine, path.filename().string(), "");
      insertEvent(*db_, "quarantined",
                  relative + " (now " + layout::kQuarantineDir + "/" + name + "): " + e.what(),
                  recovery);
      ++report.filesQuarantined;
    }
  }
  for (const auto& [path, file] : indexed) {
    if (seen.count(path) == 0) {
      report.missingFiles.push_back(path);
      insertEvent(*db_, "missing-file", "indexed file " + path + " is missing", recovery);
    }
  }
  return report;
}

ConsistencyReport Store::checkConsistency() const {
  ConsistencyReport report;
  auto indexed = indexedFiles(*db_);
  report.instancesChecked = static_cast<std::int64_t>(indexed.size());
  for (const auto& [path, file] : indexed) {
    if (!isStoredPath(path)) {
      report.problems.push_back("indexed path " + path + " is not inside the store's objects");
      continue;
    }
    const fs::path full = options_.dataDir / path;
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(full, ec);
    if (ec || !fs::exists(status)) {
      report.problems.push_back("indexed file " + path + " is missing");
      continue;
    }
    if (!fs::is_regular_file(status)) {
      report.problems.push_back("indexed file " + path + " is not a regular file");
      continue;
    }
    const auto size = fs::file_size(full, ec);
    if (ec) {
      report.problems.push_back("indexed file " + path + " is missing");
    } else if (static_cast<std::int64_t>(size) != file.size) {
      report.problems.push_back("indexed file " + path + " has " + std::to_string(size) +
                                " bytes, the index says " + std::to_string(file.size));
    } else if (const std::string bad = malformation(full, options_.maxNestingDepth); !bad.empty()) {
      report.problems.push_back("indexed file " + path + " is malformed: " + bad);
    }
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(options_.dataDir / layout::kObjectsDir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code statusError;
    const fs::file_status status = it->symlink_status(statusError);
    if (fs::is_directory(status)) continue;
    const std::string relative = fs::relative(it->path(), options_.dataDir).generic_string();
    if (fs::is_symlink(status)) {
      report.problems.push_back("file " + relative + " is a symbolic link");
    } else if (!indexed.count(relative)) {
      report.problems.push_back("file " + relative + " is not indexed");
    }
  }
  Statement orphans(*db_,
                    "SELECT (SELECT count(*) FROM series s WHERE NOT EXISTS "
                    "(SELECT 1 FROM instances i WHERE i.series_id = s.id)), "
                    "(SELECT count(*) FROM instances i WHERE NOT EXISTS "
                    "(SELECT 1 FROM series s WHERE s.id = i.series_id))");
  if (orphans.step() && (orphans.integer(0) != 0 || orphans.integer(1) != 0)) {
    report.problems.push_back("index has series without instances or instances without series");
  }
  return report;
}

}  // namespace burnstation::store
