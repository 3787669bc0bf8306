// The admin's decisions on instances kept aside (store.h): discard the copy, or let it
// replace the stored instance. Order of work on replace: the copy is first duplicated into
// the incoming folder and indexed by the normal ingest path only after the old rows and file
// are gone, and the set-aside copy is removed last; a crash at any point leaves either the
// old instance or the new one stored, and the set-aside copy until the end.
#include <fcntl.h>
#include <unistd.h>

#include "burnstation/store/instance_header.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "index_rows.h"
#include "sqlite_db.h"
#include "store_directory.h"
#include "store_layout.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

struct AsideRow {
  std::string uid;
  std::string name;  // the file's name in the set-aside folder
  std::string callingAe;
  std::string reason;
};

AsideRow asideRow(SqliteDb& db, std::int64_t id) {
  Statement q(db,
              "SELECT sop_instance_uid, path, coalesce(calling_ae, ''), reason FROM set_aside "
              "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) {
    throw StoreError(StoreError::Code::NotFound,
                     "there is no instance kept aside with number " + std::to_string(id));
  }
  AsideRow row{q.text(0), {}, q.text(2), q.text(3)};
  const std::string path = q.text(1);
  const std::string prefix = std::string(layout::kSetAsideDir) + "/";
  // The index names a file in the set-aside folder itself, never a path elsewhere.
  if (path.compare(0, prefix.size(), prefix) != 0 ||
      path.find('/', prefix.size()) != std::string::npos || path.size() == prefix.size()) {
    throw StoreError(StoreError::Code::Inconsistent,
                     "the index names \"" + path + "\" for an instance kept aside");
  }
  row.name = path.substr(prefix.size());
  return row;
}

// A byte copy of from/name as a new file at target, synced; the source is never followed
// through a link.
void copyInto(const Directory& from, const std::string& name, const fs::path& target) {
  const OpenFile source(from, name);
  const int out =
      ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0) throw StoreError(StoreError::Code::Io, "cannot create " + target.string());
  char buffer[1 << 16];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(source.fd(), buffer, sizeof buffer, offset);
    if (n < 0) {
      ::close(out);
      throw StoreError(StoreError::Code::Io, "cannot read the instance kept aside");
    }
    if (n == 0) break;
    if (::write(out, buffer, static_cast<std::size_t>(n)) != n) {
      ::close(out);
      throw StoreError(StoreError::Code::Io, "cannot copy the instance kept aside (disk full?)");
    }
    offset += n;
  }
  const bool synced = ::fsync(out) == 0;
  ::close(out);
  if (!synced) throw StoreError(StoreError::Code::Io, "cannot sync " + target.string());
}

}  // namespace

std::optional<std::string> removeInstanceRows(SqliteDb& db, const std::string& uid) {
  Statement find(db,
                 "SELECT i.id, i.path, s.id, st.id, st.collection_id FROM instances i "
                 "JOIN series s ON s.id = i.series_id JOIN studies st ON st.id = s.study_id "
                 "WHERE i.sop_instance_uid = ?");
  find.bind(1, uid);
  if (!find.step()) return std::nullopt;
  const std::string path = find.text(1);
  const std::int64_t instance = find.integer(0), series = find.integer(2), study = find.integer(3),
                     collection = find.integer(4);
  Statement(db, "DELETE FROM instances WHERE id = ?").bind(1, instance).run();
  Statement(db,
            "DELETE FROM series WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM instances WHERE series_id = ?)")
      .bind(1, series)
      .bind(2, series)
      .run();
  Statement(db,
            "DELETE FROM studies WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM series WHERE study_id = ?)")
      .bind(1, study)
      .bind(2, study)
      .run();
  Statement(db,
            "DELETE FROM collections WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM studies WHERE collection_id = ?)")
      .bind(1, collection)
      .bind(2, collection)
      .run();
  return path;
}

std::vector<SetAsideInstance> Store::setAsideInstances() const {
  std::lock_guard lock(writeMutex_);
  std::vector<SetAsideInstance> result;
  Statement q(*db_,
              "SELECT a.id, a.sop_instance_uid, a.sop_class_uid, a.collection_key, "
              "coalesce((SELECT c.key FROM instances i JOIN series s ON s.id = i.series_id "
              "JOIN studies st ON st.id = s.study_id JOIN collections c ON "
              "c.id = st.collection_id WHERE i.sop_instance_uid = a.sop_instance_uid), ''), "
              "a.reason, coalesce(a.calling_ae, ''), a.received_at, a.size FROM set_aside a "
              "ORDER BY a.id");
  while (q.step()) {
    result.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5),
                      q.text(6), q.text(7), q.integer(8)});
  }
  return result;
}

void Store::discardSetAside(std::int64_t id, const std::string& who) {
  if (access_ == Access::ReadOnly || !resumeWriting()) {
    throw StoreError(StoreError::Code::Io, "the store cannot be changed now (read-only)");
  }
  std::lock_guard lock(writeMutex_);
  const AsideRow row = asideRow(*db_, id);
  {
    Transaction tx(*db_);
    Statement(*db_, "DELETE FROM set_aside WHERE id = ?").bind(1, id).run();
    insertEvent(*db_, "set-aside-discarded",
                row.uid + ": the copy kept aside (" + row.reason + ") was discarded by " + who,
                {row.callingAe, {}, {}, {}});
    tx.commit();
  }
  // The row goes first: a file without a row is what start-up recovery would find, and it
  // cannot bring the decision back.
  removeFile(dirs_->setAside, row.name);
}

IngestResult Store::replaceWithSetAside(std::int64_t id, const std::string& who) {
  if (access_ == Access::ReadOnly || !resumeWriting()) {
    throw StoreError(StoreError::Code::Io, "the store cannot be changed now (read-only)");
  }
  AsideRow row;
  fs::path copy;
  {
    std::lock_guard lock(writeMutex_);
    row = asideRow(*db_, id);
    if (heldByActiveJob(*db_, row.uid)) {
      throw StoreError(StoreError::Code::InUse,
                       row.uid + " is on a job that has not ended; decide once it has");
    }
    copy = temporaryPath();
    copyInto(dirs_->setAside, row.name, copy);
  }
  InstanceHeader header;
  try {
    header = readInstanceHeader(copy);
  } catch (...) {
    std::error_code ignored;
    fs::remove(copy, ignored);
    throw;
  }
  if (header.sopInstanceUid != row.uid) {
    fs::remove(copy);
    throw StoreError(StoreError::Code::Inconsistent,
                     "the copy kept aside no longer holds " + row.uid);
  }
  {
    std::lock_guard lock(writeMutex_);
    if (heldByActiveJob(*db_, row.uid)) {
      fs::remove(copy);
      throw StoreError(StoreError::Code::InUse,
                       row.uid + " is on a job that has not ended; decide once it has");
    }
    std::optional<std::string> old;
    {
      Transaction tx(*db_);
      old = removeInstanceRows(*db_, row.uid);
      insertEvent(*db_, "set-aside-replaced",
                  row.uid + ": the stored instance was replaced by the copy kept aside (" +
                      row.reason + ") by " + who,
                  {row.callingAe, {}, {}, {}});
      tx.commit();
    }
    if (old) {
      const fs::path stored(*old);
      try {
        removeFile(dirs_->data.child(stored.parent_path().generic_string(), false),
                   stored.filename().string());
      } catch (const StoreError&) {
        // A file left behind without a row is found by the next consistency check.
      }
    }
  }
  IngestResult result = ingest(copy, header, {row.callingAe, {}, {}, {}});
  {
    std::lock_guard lock(writeMutex_);
    Statement(*db_, "DELETE FROM set_aside WHERE id = ?").bind(1, id).run();
  }
  removeFile(dirs_->setAside, row.name);
  return result;
}

}  // namespace burnstation::store
