// The media application profiles (PS3.11) the station writes: which transfer syntaxes each
// allows, its medium and the default capacity of that medium. One table.
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
  StdGenUsbJ2k,
  // Video (PS3.11 has none for USB or flash media, nor H.264 on DVD: see media_profile.cpp).
  StdDvdMpeg2Mpml,       // Annex I
  StdGenBdMpeg2Mpml,     // Annex M
  StdGenBdMpeg2Mphl,     // Annex M
  StdGenBdMpeg4Hplv41,   // Annex M
  StdGenBdMpeg4Hplv41Bd  // Annex M
};

enum class Medium { Cd, Dvd, Bd, Usb };

struct MediaProfile {
  ApplicationProfile id;
  std::string_view name;         // as written in PS3.11, e.g. "STD-GEN-CD"
  std::string_view builtInName;  // the profile name of the built-in configuration, e.g. "cd";
                                 // empty where the built-in configuration has none
  std::span<const char* const> transferSyntaxes;  // allowed on the medium
  std::uint64_t defaultCapacity;                  // bytes; 0 = the device's free space (USB)
  Medium medium = Medium::Cd;
};

const MediaProfile& mediaProfile(ApplicationProfile id);
// Accepts the PS3.11 name ("STD-GEN-DVD-JPEG") or the built-in profile name ("dvd").
std::optional<ApplicationProfile> findMediaProfile(std::string_view name);
bool allowsTransferSyntax(const MediaProfile& profile, std::string_view transferSyntaxUid);
// Every profile of the table, in table order (for messages that list the choices).
std::span<const MediaProfile> mediaProfiles();

// MPEG-2, MPEG-4 AVC/H.264 and HEVC/H.265 (PS3.5 8.2.5-8.2.10): video the station never
// re-encodes; it goes onto a medium as it is or not at all.
bool isVideoTransferSyntax(std::string_view transferSyntaxUid);

}  // namespace burnstation::dicomdir
