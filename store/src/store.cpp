// Store construction, layout and the event log.
#include "burnstation/store/store.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

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
  dirs_ = std::make_unique<StoreDirectories>();
  dirs_->data = Directory::open(options_.dataDir);
  dirs_->objects = dirs_->data.child(layout::kObjectsDir, true);
  dirs_->incoming = dirs_->data.child(layout::kTemporaryDir, true);
  dirs_->setAside = dirs_->data.child(layout::kSetAsideDir, true);
  dirs_->quarantine = dirs_->data.child(layout::kQuarantineDir, true);
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadWrite);
  filesRenamedAtStart_ = migrateLayout();
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
  // Whatever the configured reserve, the index must always be able to commit what it has.
  constexpr std::uint64_t kIndexHeadroom = 1'000'000;
  std::uint64_t reserve;
  {
    std::lock_guard lock(writeMutex_);
    reserve = std::max(options_.freeSpaceReserve, kIndexHeadroom);
  }
  const std::uint64_t available = freeBytes();
  return available < reserve || available - reserve < incomingBytes;
}

void Store::logEvent(const std::string& kind, const std::string& detail,
                     const IngestSource& source) {
  if (access_ == Access::ReadOnly) return;
  std::lock_guard lock(writeMutex_);
  insertEvent(*db_, kind, detail, source);
}

}  // namespace burnstation::store
