// The file-system steps that make an instance survive a crash or power loss.
#pragma once

#include <filesystem>
#include <string>

namespace burnstation::store {

void fsyncFile(const std::filesystem::path& file);
void fsyncDirectory(const std::filesystem::path& directory);
// rename(2) and fsync of the target directory, so the new name is durable too.
void renameDurably(const std::filesystem::path& from, const std::filesystem::path& to);
// Local time as ISO 8601 with offset, e.g. 2026-11-24T21:05:03.123+01:00.
std::string isoNow();

}  // namespace burnstation::store
