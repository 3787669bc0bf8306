// Store construction (lock, layout, private modes, read-only start on a full disk),
// resuming writes when space returns, and the event log.
#include "burnstation/store/store.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "burnstation/store/file_modes.h"
#include "burnstation/store/store_error.h"
#include "content_hash.h"
#include "durable_file.h"
#include "index_rows.h"
#include "schema.h"
#include "sqlite_db.h"
#include "store_directory.h"
#include "store_layout.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

// Whatever the configured reserve, the index must always be able to commit what it has.
constexpr std::uint64_t kIndexHeadroom = 1'000'000;

}  // namespace

Store::Store(StoreOptions options, Access access) : options_(std::move(options)), access_(access) {
  const fs::path index = options_.dataDir / layout::kIndexFile;
  if (access_ == Access::ReadOnly) {
    if (!fs::exists(index)) {
      throw StoreError(StoreError::Code::NotFound,
                       "no station data in " + options_.dataDir.string() +
                           " (has the service ever run with this data directory?)");
    }
    db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadOnly);
    return;
  }
  std::error_code ec;
  fs::create_directories(options_.dataDir, ec);
  if (ec) {
    throw StoreError(StoreError::Code::Io,
                     "cannot create " + options_.dataDir.string() + ": " + ec.message());
  }
  // The lock comes first: recovery and the permission walk below must never run beside
  // another service on the same files.
  lock_.emplace(options_.dataDir);
  // Earlier versions left 0755/0644 behind, and chmod needs no free space.
  makeTreePrivate(options_.dataDir);
  if (nearlyFull()) {
    startReadOnly("the disk holding " + options_.dataDir.string() + " is full (" +
                  std::to_string(freeBytes()) + " bytes free)");
    return;
  }
  try {
    openIndexForWriting();
    writable_ = true;
  } catch (const StoreError& e) {
    if (e.code() != StoreError::Code::NoSpace && !nearlyFull()) throw;
    startReadOnly(e.what());
  }
}

void Store::openIndexForWriting() {
  std::error_code ec;
  for (const char* dir :
       {layout::kObjectsDir, layout::kTemporaryDir, layout::kSetAsideDir, layout::kQuarantineDir}) {
    fs::create_directories(options_.dataDir / dir, ec);
    if (ec) {
      throw StoreError(
          ec == std::errc::no_space_on_device ? StoreError::Code::NoSpace : StoreError::Code::Io,
          "cannot create " + (options_.dataDir / dir).string() + ": " + ec.message());
    }
    makePrivate(options_.dataDir / dir);
  }
  // Held open from here on: the store's files are made and moved relative to these.
  auto dirs = std::make_unique<StoreDirectories>();
  dirs->data = Directory::open(options_.dataDir);
  dirs->objects = dirs->data.child(layout::kObjectsDir, true);
  dirs->incoming = dirs->data.child(layout::kTemporaryDir, true);
  dirs->setAside = dirs->data.child(layout::kSetAsideDir, true);
  dirs->quarantine = dirs->data.child(layout::kQuarantineDir, true);
  dirs_ = std::move(dirs);
  const fs::path index = options_.dataDir / layout::kIndexFile;
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadWrite);
  // Creates the schema, and renames the files of a data directory written by an earlier
  // version (named by UID) to the names the station derives.
  filesRenamedAtStart_ = migrateLayout();
  // SQLite creates -wal and -shm with the database file's mode; existing ones keep theirs.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const fs::path file = index.string() + suffix;
    if (fs::exists(file, ec)) makePrivate(file);
  }
  indexWritable_ = true;
}

void Store::startReadOnly(const std::string& reason) {
  writable_ = false;
  readOnlyReason_ = reason;
  readOnlySince_ = isoNow();
  if (db_) return;
  const fs::path index = options_.dataDir / layout::kIndexFile;
  if (!fs::exists(index)) {
    throw StoreError(StoreError::Code::NoSpace,
                     "cannot start on " + options_.dataDir.string() +
                         ": there is no index yet and no space to create one (" + reason + ")");
  }
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadOnly);
}

std::string Store::readOnlyReason() const {
  std::lock_guard lock(writeMutex_);
  return readOnlyReason_;
}

RecoveryReport Store::lastRecovery() const {
  std::lock_guard lock(writeMutex_);
  return lastRecovery_;
}

bool Store::nearlyFull() const {
  struct statvfs info {};
  if (::statvfs(options_.dataDir.c_str(), &info) != 0) return false;  // errors speak for themselves
  return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize < kIndexHeadroom;
}

bool Store::resumeWriting() {
  if (access_ == Access::ReadOnly) return false;
  if (writable_) return true;
  std::lock_guard lock(writeMutex_);
  if (writable_) return true;
  if (nearlyFull()) return false;
  try {
    if (!indexWritable_) openIndexForWriting();
    lastRecovery_ = recoverLocked();
    if (!readOnlySince_.empty()) {
      insertEvent(*db_, "store-read-only",
                  "read-only from " + readOnlySince_ + " until space returned: " + readOnlyReason_,
                  {});
    }
    insertEvent(
        *db_, "store-writable",
        "receiving again; recovery removed " + std::to_string(lastRecovery_.temporaryFilesRemoved) +
            " unfinished file(s), re-indexed " + std::to_string(lastRecovery_.filesReindexed) +
            ", quarantined " + std::to_string(lastRecovery_.filesQuarantined),
        {});
  } catch (const StoreError& e) {
    if (e.code() == StoreError::Code::NoSpace || nearlyFull()) return false;
    throw;
  }
  readOnlyReason_.clear();
  readOnlySince_.clear();
  writable_ = true;
  return true;
}

Store::~Store() = default;

void Store::setFreeSpaceReserve(std::uint64_t bytes) {
  std::lock_guard lock(writeMutex_);
  options_.freeSpaceReserve = bytes;
}

void Store::setDuplicatePolicy(DuplicatePolicy policy) {
  std::lock_guard lock(writeMutex_);
  options_.duplicates = policy;
}

SqliteDb& Store::reader() const {
  if (access_ == Access::ReadOnly) return *db_;  // one thread's store: db_ only reads
  if (!readDb_) {
    readDb_ =
        std::make_unique<SqliteDb>(options_.dataDir / layout::kIndexFile, SqliteDb::Mode::ReadOnly);
  }
  return *readDb_;
}

fs::path Store::temporaryPath() {
  static std::atomic<std::uint64_t> counter{0};
  for (;;) {
    char name[64];
    std::snprintf(name, sizeof name, "%d-%llu%s", static_cast<int>(::getpid()),
                  static_cast<unsigned long long>(counter.fetch_add(1)), layout::kTemporarySuffix);
    // Whatever is there already (a leftover, or a link someone planted) is left alone.
    if (!dirs_ || !dirs_->incoming.contains(name)) {
      return options_.dataDir / layout::kTemporaryDir / name;
    }
  }
}

std::uint64_t Store::freeBytes() const {
  struct statvfs info {};
  if (::statvfs(options_.dataDir.c_str(), &info) != 0) {
    throw StoreError(
        StoreError::Code::Io,
        "cannot read the free space of " + options_.dataDir.string() + ": " + std::strerror(errno));
  }
  return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

bool Store::wouldCrossReserve(std::uint64_t incomingBytes) const {
  std::uint64_t reserve;
  {
    std::lock_guard lock(writeMutex_);
    reserve = std::max(options_.freeSpaceReserve, kIndexHeadroom);
  }
  const std::uint64_t available = freeBytes();
  return available < reserve || available - reserve < incomingBytes;
}

void Store::logEvent(const std::string& kind, const std::string& detail,
                     const IngestSource& source) noexcept {
  if (access_ == Access::ReadOnly) return;
  try {
    std::lock_guard lock(writeMutex_);
    if (!indexWritable_) {
      throw StoreError(StoreError::Code::NoSpace, "the index is read-only: " + readOnlyReason_);
    }
    insertEvent(*db_, kind, detail, source);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "burnstation: event not recorded (%s: %s): %s\n", kind.c_str(),
                 detail.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "burnstation: event not recorded (%s: %s)\n", kind.c_str(),
                 detail.c_str());
  }
}

}  // namespace burnstation::store
