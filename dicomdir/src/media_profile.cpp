// Media application profile table (PS3.11 Annexes D and V; REQUIREMENTS §2). JPEG
// lossless .57 is deliberately absent from the JPEG profiles: only selection value 1 (.70)
// is allowed there, so .57 is transcoded.
#include "burnstation/dicomdir/media_profile.h"

#include <algorithm>
#include <array>

namespace burnstation::dicomdir {
namespace {

constexpr const char* kExplicitLittle = "1.2.840.10008.1.2.1";
constexpr std::array<const char* const, 1> kCd = {kExplicitLittle};
constexpr std::array<const char* const, 4> kJpeg = {
    kExplicitLittle, "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.70"};
constexpr std::array<const char* const, 3> kJ2k = {kExplicitLittle, "1.2.840.10008.1.2.4.90",
                                                   "1.2.840.10008.1.2.4.91"};

// CD-R 700 MB; DVD single layer 4.7 GB (decimal, as sold).
const std::array<MediaProfile, 5> kProfiles = {{
    {ApplicationProfile::StdGenCd, "STD-GEN-CD", "cd", kCd, 700'000'000},
    {ApplicationProfile::StdGenDvdJpeg, "STD-GEN-DVD-JPEG", "dvd", kJpeg, 4'700'000'000},
    {ApplicationProfile::StdGenDvdJ2k, "STD-GEN-DVD-J2K", "dvd-j2k", kJ2k, 4'700'000'000},
    {ApplicationProfile::StdGenUsbJpeg, "STD-GEN-USB-JPEG", "usb", kJpeg, 0},
    {ApplicationProfile::StdGenUsbJ2k, "STD-GEN-USB-J2K", "usb-j2k", kJ2k, 0},
}};

}  // namespace

const MediaProfile& mediaProfile(ApplicationProfile id) {
  return *std::find_if(kProfiles.begin(), kProfiles.end(),
                       [id](const MediaProfile& p) { return p.id == id; });
}

std::optional<ApplicationProfile> findMediaProfile(std::string_view name) {
  for (const MediaProfile& p : kProfiles) {
    if (p.name == name || p.builtInName == name) return p.id;
  }
  return std::nullopt;
}

bool allowsTransferSyntax(const MediaProfile& profile, std::string_view transferSyntaxUid) {
  return std::any_of(profile.transferSyntaxes.begin(), profile.transferSyntaxes.end(),
                     [&](const char* ts) { return transferSyntaxUid == ts; });
}

}  // namespace burnstation::dicomdir
