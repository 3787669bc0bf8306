// The possible conflicts of one collection, with the admin's acknowledgements
// (store_conflicts.cpp); shared by the collection listing and the acknowledgement.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "burnstation/store/store.h"

namespace burnstation::store {

class SqliteDb;

std::vector<PossibleConflict> possibleConflicts(SqliteDb& db, std::int64_t collectionId,
                                                const std::string& key,
                                                const std::string& patientId,
                                                const std::string& issuer);

}  // namespace burnstation::store
