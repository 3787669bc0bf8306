// The structural scan of a received data set, run on the file it streamed into before DCMTK
// parses anything of it: a malformed data set is refused (C000) and never kept.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace burnstation::receiver {

struct RefusedDataSet {
  std::uint16_t status;  // C000, or 0110 when the received file could not be read back
  std::string comment;   // for the Error Comment (at most 64 characters)
  std::string detail;    // with the offset, for the event log
};

// Empty when the file's File Meta and data set are well formed.
std::optional<RefusedDataSet> checkReceivedDataSet(const std::filesystem::path& file,
                                                   int maxNestingDepth);

}  // namespace burnstation::receiver
