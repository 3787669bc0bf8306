// Content hash of an instance's data set bytes: it tells a resent duplicate from a
// different object that reuses a SOP Instance UID.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace burnstation::store {

// XXH3-128 (hex) of the file's bytes from offset to the end. The File Meta is left out
// because it names the sender, which differs between two sends of the same object.
std::string hashFileFrom(const std::filesystem::path& file, std::uint64_t offset);
// The same for a file already open (file names it in messages).
std::string hashOpenFileFrom(int fd, const std::filesystem::path& file, std::uint64_t offset);

// 64-bit XXH3 of a short string, for derived identifiers.
std::uint64_t hashText(std::string_view text);

}  // namespace burnstation::store
