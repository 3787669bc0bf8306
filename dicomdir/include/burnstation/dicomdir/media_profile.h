// The five general-purpose media application profiles (PS3.11) the station writes: which
// transfer syntaxes each allows and the default capacity of its medium. One table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace burnstation::dicomdir {

enum class ApplicationProfile {
  StdGenCd,
  StdGenDvdJpeg,
  StdGenDvdJ2k,
  StdGenUsbJpeg,
  StdGenUsbJ2k
};

struct MediaProfile {
  ApplicationProfile id;
  std::string_view name;         // as written in PS3.11, e.g. "STD-GEN-CD"
  std::string_view builtInName;  // the profile name of the built-in configuration, e.g. "cd"
  std::span<const char* const> transferSyntaxes;  // allowed on the medium
  std::uint64_t defaultCapacity;                  // bytes; 0 = the device's free space (USB)
};

const MediaProfile& mediaProfile(ApplicationProfile id);
// Accepts the PS3.11 name ("STD-GEN-DVD-JPEG") or the built-in profile name ("dvd").
std::optional<ApplicationProfile> findMediaProfile(std::string_view name);
bool allowsTransferSyntax(const MediaProfile& profile, std::string_view transferSyntaxUid);

}  // namespace burnstation::dicomdir
