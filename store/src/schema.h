// The index schema, created or checked when the service opens the store.
#pragma once

namespace burnstation::store {
class SqliteDb;
void createSchema(SqliteDb& db);
}  // namespace burnstation::store
