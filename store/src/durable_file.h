// The store's own time stamps; the durable-file steps are public (durable_file.h).
#pragma once

#include <string>

#include "burnstation/store/durable_file.h"

namespace burnstation::store {

// Local time as ISO 8601 with offset, e.g. 2026-11-24T21:05:03.123+01:00.
std::string isoNow();

}  // namespace burnstation::store
