// Index schema versions: a data directory written by a version that named files by their
// SOP Instance UID gets derived names at start-up. Each file is renamed (durably) before
// its row is updated, and a row whose old file is gone looks for its content under the new
// name, so an interrupted migration simply runs again.
#include <optional>

#include "burnstation/store/admin_pin.h"
#include "burnstation/store/clerks.h"
#include "burnstation/store/counted.h"
#include "burnstation/store/device_states.h"
#include "burnstation/store/preview_ledger.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/stored_path.h"
#include "content_hash.h"
#include "index_rows.h"
#include "schema.h"
#include "sqlite_db.h"
#include "store_directory.h"
#include "store_layout.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

std::int64_t single(SqliteDb& db, const std::string& sql) {
  Statement q(db, sql);
  return q.step() ? q.integer(0) : 0;
}

struct OldRow {
  std::int64_t id;
  std::string uid;
  std::string path;
  std::string hash;
  std::uint64_t offset;
};

std::vector<OldRow> rowsOf(SqliteDb& db, const std::string& sql) {
  std::vector<OldRow> rows;
  Statement q(db, sql);
  while (q.step()) {
    rows.push_back(
        {q.integer(0), q.text(1), q.text(2), q.text(3), static_cast<std::uint64_t>(q.integer(4))});
  }
  return rows;
}

bool holdsContent(const Directory& dir, const std::string& name, const OldRow& row) {
  try {
    OpenFile file(dir, name);
    return hashOpenFileFrom(file.fd(), dir.path() / name, row.offset) == row.hash;
  } catch (const StoreError&) {
    return false;
  }
}

class Migration {
 public:
  Migration(SqliteDb& db, const StoreDirectories& dirs) : db_(db), dirs_(dirs) {}

  // Gives the row's file the name folder/base[-N]ext; returns its new relative path, or
  // nothing when the file cannot be found or its path is not one to touch.
  // verifyContent: whether a file found under the new name must hash to the row's
  // content hash (set-aside rows do not record the offset their hash starts at).
  std::optional<std::string> move(const OldRow& row, const std::string& folder,
                                  const std::string& base, const std::string& extension,
                                  bool verifyContent) {
    const IngestSource none{"", "", "", ""};
    if (!isStoredPath(row.path)) {
      insertEvent(db_, "migration-skipped",
                  "row for " + row.uid + " names a path outside the store; left as it is", none);
      return std::nullopt;
    }
    try {
      const Directory target = dirs_.data.child(folder, true);
      const fs::path old(row.path);
      const std::string name = old.filename().string();
      Directory from;
      try {
        from = dirs_.data.child(old.parent_path().generic_string(), false);
      } catch (const StoreError&) {
        // No such folder (any more): the file can only be under its new name.
      }
      if (from.valid() && from.contains(name)) {
        OpenFile check(from, name);  // a regular file, not a link
        const std::string moved = moveWithoutReplacing(from, name, target, base, extension);
        ++renamed_;
        return folder + "/" + moved;
      }
      // An earlier run renamed it and stopped before updating the row.
      for (int suffix = 0; suffix < 1000; ++suffix) {
        const std::string candidate =
            suffix == 0 ? base + extension : base + "-" + std::to_string(suffix) + extension;
        if (!target.contains(candidate)) break;
        if (!verifyContent || holdsContent(target, candidate, row)) return folder + "/" + candidate;
      }
    } catch (const StoreError& e) {
      insertEvent(db_, "migration-skipped", row.path + ": " + e.what(), none);
    }
    return std::nullopt;
  }

  int renamed() const { return renamed_; }

 private:
  SqliteDb& db_;
  const StoreDirectories& dirs_;
  int renamed_ = 0;
};

}  // namespace

int Store::migrateLayout() {
  const bool existed = single(
      *db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'instances'");
  const std::int64_t version = single(*db_, "PRAGMA user_version");
  createSchema(*db_);
  createDeviceTable(*db_);    // added by issue 9: drive and stick state for `drives`
  createPreviewTables(*db_);  // added by issue 10: previews rendered in the background
  createAdminTable(*db_);     // added by issue 11: the admin PIN and its lockout
  createClerkTables(*db_);    // added by issue 11: clerks who sign in at the kiosk
  if (single(*db_, "SELECT count(*) FROM pragma_table_info('instances') WHERE name = 'uid_note'") ==
      0) {
    db_->exec("ALTER TABLE instances ADD COLUMN uid_note TEXT NOT NULL DEFAULT ''");
  }
  int renamed = 0;
  if (existed && version < layout::kLayoutVersion) {
    Migration migration(*db_, *dirs_);
    for (const OldRow& row :
         rowsOf(*db_,
                "SELECT id, sop_instance_uid, path, content_hash, dataset_offset FROM instances")) {
      if (isObjectPathOf(row.path, row.uid)) continue;
      const std::string target = objectPathFor(row.uid);
      const fs::path targetPath(target);
      const auto moved = migration.move(row, targetPath.parent_path().generic_string(),
                                        targetPath.stem().string(), layout::kObjectSuffix, true);
      if (!moved) continue;
      Statement update(*db_, "UPDATE instances SET path = ? WHERE id = ?");
      update.bind(1, *moved).bind(2, row.id).run();
    }
    for (const OldRow& row : rowsOf(*db_,
                                    "SELECT id, sop_instance_uid, path, content_hash, 0 FROM "
                                    "set_aside")) {
      const std::string base = uidDigest(row.uid) + "." + row.hash.substr(0, 16);
      const fs::path current(row.path);
      if (current.parent_path() == layout::kSetAsideDir &&
          current.filename().string().rfind(base, 0) == 0) {
        continue;
      }
      const auto moved =
          migration.move(row, layout::kSetAsideDir, base, layout::kObjectSuffix, false);
      if (!moved) continue;
      Statement update(*db_, "UPDATE set_aside SET path = ? WHERE id = ?");
      update.bind(1, *moved).bind(2, row.id).run();
    }
    insertEvent(*db_, "layout-migrated",
                counted(migration.renamed(), "file") +
                    " renamed from SOP Instance UIDs to names the station derives",
                IngestSource{"", "", "", ""});
    renamed = migration.renamed();
  }
  db_->exec("PRAGMA user_version = " + std::to_string(layout::kLayoutVersion));
  return renamed;
}

}  // namespace burnstation::store
