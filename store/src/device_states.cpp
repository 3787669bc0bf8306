// Device state rows (see device_states.h).
#include "burnstation/store/device_states.h"

#include <algorithm>

#include "burnstation/store/store_error.h"
#include "durable_file.h"
#include "sqlite_db.h"
#include "store_layout.h"

namespace burnstation::store {

void createDeviceTable(SqliteDb& db) {
  db.exec(R"sql(
CREATE TABLE IF NOT EXISTS devices(
  position INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  kind TEXT NOT NULL,
  discovered INTEGER NOT NULL DEFAULT 0,
  media_status TEXT NOT NULL,
  media_type TEXT NOT NULL DEFAULT '',
  capacity_bytes INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  updated TEXT NOT NULL);
)sql");
  // Added with stick formatting: a table made before it lacks the column.
  bool hasColumn = true;
  {  // finished before the ALTER: a schema change waits for no open statement
    Statement column(
        db, "SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'formattable'");
    hasColumn = column.step() && column.integer(0) > 0;
  }
  if (!hasColumn) db.exec("ALTER TABLE devices ADD COLUMN formattable INTEGER NOT NULL DEFAULT 0");
}

DeviceStates::DeviceStates(const std::filesystem::path& dataDir) {
  const auto index = dataDir / layout::kIndexFile;
  if (!std::filesystem::exists(index)) {
    throw StoreError(StoreError::Code::NotFound, "no station data in " + dataDir.string());
  }
  db_ = std::make_unique<SqliteDb>(index, SqliteDb::Mode::ReadWrite);
}

DeviceStates::~DeviceStates() = default;

void DeviceStates::replace(const std::vector<DeviceState>& devices) {
  const std::string now = isoNow();
  Transaction tx(*db_);
  db_->exec("DELETE FROM devices");
  Statement insert(*db_,
                   "INSERT INTO devices(position, name, address, kind, discovered, media_status, "
                   "media_type, capacity_bytes, reason, updated, formattable) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  std::int64_t position = 0;
  for (const DeviceState& d : devices) {
    insert.reset();
    insert.bind(1, ++position)
        .bind(2, d.name)
        .bind(3, d.address)
        .bind(4, d.kind)
        .bind(5, std::int64_t{d.discovered ? 1 : 0})
        .bind(6, d.mediaStatus)
        .bind(7, d.mediaType)
        .bind(8, static_cast<std::int64_t>(d.capacityBytes))
        .bind(9, d.reason)
        .bind(10, d.updated.empty() ? now : d.updated)
        .bind(11, std::int64_t{d.formattable ? 1 : 0})
        .run();
  }
  tx.commit();
}

std::vector<DeviceState> DeviceStates::all() {
  std::vector<DeviceState> out;
  Statement q(*db_,
              "SELECT name, address, kind, discovered, media_status, media_type, capacity_bytes, "
              "reason, updated, formattable FROM devices ORDER BY position");
  while (q.step()) {
    DeviceState d;
    d.name = q.text(0);
    d.address = q.text(1);
    d.kind = q.text(2);
    d.discovered = q.integer(3) != 0;
    d.mediaStatus = q.text(4);
    d.mediaType = q.text(5);
    d.capacityBytes = static_cast<std::uint64_t>(std::max<std::int64_t>(q.integer(6), 0));
    d.reason = q.text(7);
    d.updated = q.text(8);
    d.formattable = q.integer(9) != 0;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace burnstation::store
