// Writing one instance's rows (collection, study, series, instance) into the index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "burnstation/store/collection_key.h"
#include "burnstation/store/instance_header.h"
#include "burnstation/store/store.h"

namespace burnstation::store {

class SqliteDb;

struct IndexedInstance {
  const InstanceHeader& header;
  const CollectionKey& key;
  const IngestSource& source;
  std::string relativePath;
  std::uint64_t size = 0;
  std::string contentHash;
  std::string uidNote;  // why a UID is unusual (uid.h), for the admin; empty when it is not
};

// Must run inside a transaction.
void insertInstanceRows(SqliteDb& db, const IndexedInstance& instance);

// Removes an instance's row, and its series, study and collection where they are left
// empty. Returns the instance's stored path (relative to the data directory), or nothing when
// the UID is not stored. Must run inside a transaction; the file is the caller's.
std::optional<std::string> removeInstanceRows(SqliteDb& db, const std::string& sopInstanceUid);

// Whether a job that has not ended holds the instance (its content must not change).
bool heldByActiveJob(SqliteDb& db, const std::string& uid);

void insertEvent(SqliteDb& db, const std::string& kind, const std::string& detail,
                 const IngestSource& source);

}  // namespace burnstation::store
