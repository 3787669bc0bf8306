// Media application profile table (PS3.11 Annexes D, H, I, J and M; REQUIREMENTS §2). JPEG
// lossless .57 is deliberately absent from the JPEG profiles: only selection value 1 (.70)
// is allowed there, so .57 is transcoded.
//
// Video. PS3.11 (checked against the 2024 edition) defines video profiles only for these
// media: STD-DVD-MPEG2-MPML (Annex I, Table I.3-1: MPEG2 MP@ML for multi-frame objects and
// nothing else, on 120 mm DVD other than DVD-RAM, no File Set Updater role), and the
// STD-GEN-BD-MPEG2-MPML, -MPEG2-MPHL, -MPEG4-HPLV41 and -MPEG4-HPLV41BD profiles (Annex M,
// Table M.3-1: Explicit VR Little Endian for every object plus the profile's one MPEG syntax
// for multi-frame objects, on 120 mm BD). Annex J (USB and flash) and Annex H (DVD) allow only
// Explicit VR Little Endian, JPEG and JPEG 2000, so there is no USB video profile and no
// H.264 on DVD; none is invented here.
#include "burnstation/dicomdir/media_profile.h"

#include <algorithm>
#include <array>

namespace burnstation::dicomdir {
namespace {

constexpr const char* kExplicitLittle = "1.2.840.10008.1.2.1";
constexpr const char* kMpeg2Mpml = "1.2.840.10008.1.2.4.100";
constexpr const char* kMpeg2Mphl = "1.2.840.10008.1.2.4.101";
constexpr const char* kMpeg4Hplv41 = "1.2.840.10008.1.2.4.102";
constexpr const char* kMpeg4Hplv41Bd = "1.2.840.10008.1.2.4.103";

constexpr std::array<const char* const, 1> kCd = {kExplicitLittle};
constexpr std::array<const char* const, 4> kJpeg = {
    kExplicitLittle, "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.70"};
constexpr std::array<const char* const, 3> kJ2k = {kExplicitLittle, "1.2.840.10008.1.2.4.90",
                                                   "1.2.840.10008.1.2.4.91"};
// Table I.3-1: the Basic Directory alone is Explicit VR Little Endian.
constexpr std::array<const char* const, 1> kDvdMpeg2 = {kMpeg2Mpml};
constexpr std::array<const char* const, 2> kBdMpeg2Ml = {kExplicitLittle, kMpeg2Mpml};
constexpr std::array<const char* const, 2> kBdMpeg2Hl = {kExplicitLittle, kMpeg2Mphl};
constexpr std::array<const char* const, 2> kBdMpeg4 = {kExplicitLittle, kMpeg4Hplv41};
constexpr std::array<const char* const, 2> kBdMpeg4Bd = {kExplicitLittle, kMpeg4Hplv41Bd};

// PS3.5 Table A-1 (the fragmentable .1 variants are unknown to the DCMTK we build against).
constexpr std::array<std::string_view, 9> kVideoSyntaxes = {
    kMpeg2Mpml,
    kMpeg2Mphl,
    kMpeg4Hplv41,
    kMpeg4Hplv41Bd,
    "1.2.840.10008.1.2.4.104",  // MPEG-4 AVC/H.264 High Profile / Level 4.2 for 2D video
    "1.2.840.10008.1.2.4.105",  // ... for 3D video
    "1.2.840.10008.1.2.4.106",  // MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2
    "1.2.840.10008.1.2.4.107",  // HEVC/H.265 Main Profile / Level 5.1
    "1.2.840.10008.1.2.4.108",  // HEVC/H.265 Main 10 Profile / Level 5.1
};

// CD-R 700 MB; DVD single layer 4.7 GB; BD single layer 25 GB (decimal, as sold).
constexpr std::uint64_t kDvd = 4'700'000'000;
constexpr std::uint64_t kBd = 25'000'000'000;
const std::array<MediaProfile, 10> kProfiles = {{
    {ApplicationProfile::StdGenCd, "STD-GEN-CD", "cd", kCd, 700'000'000, Medium::Cd},
    {ApplicationProfile::StdGenDvdJpeg, "STD-GEN-DVD-JPEG", "dvd", kJpeg, kDvd, Medium::Dvd},
    {ApplicationProfile::StdGenDvdJ2k, "STD-GEN-DVD-J2K", "dvd-j2k", kJ2k, kDvd, Medium::Dvd},
    {ApplicationProfile::StdGenUsbJpeg, "STD-GEN-USB-JPEG", "usb", kJpeg, 0, Medium::Usb},
    {ApplicationProfile::StdGenUsbJ2k, "STD-GEN-USB-J2K", "usb-j2k", kJ2k, 0, Medium::Usb},
    {ApplicationProfile::StdDvdMpeg2Mpml, "STD-DVD-MPEG2-MPML", "dvd-mpeg2", kDvdMpeg2, kDvd,
     Medium::Dvd},
    {ApplicationProfile::StdGenBdMpeg2Mpml, "STD-GEN-BD-MPEG2-MPML", "bd-mpeg2", kBdMpeg2Ml, kBd,
     Medium::Bd},
    {ApplicationProfile::StdGenBdMpeg2Mphl, "STD-GEN-BD-MPEG2-MPHL", "", kBdMpeg2Hl, kBd,
     Medium::Bd},
    {ApplicationProfile::StdGenBdMpeg4Hplv41, "STD-GEN-BD-MPEG4-HPLV41", "bd-h264", kBdMpeg4, kBd,
     Medium::Bd},
    {ApplicationProfile::StdGenBdMpeg4Hplv41Bd, "STD-GEN-BD-MPEG4-HPLV41BD", "", kBdMpeg4Bd, kBd,
     Medium::Bd},
}};

}  // namespace

const MediaProfile& mediaProfile(ApplicationProfile id) {
  return *std::find_if(kProfiles.begin(), kProfiles.end(),
                       [id](const MediaProfile& p) { return p.id == id; });
}

std::optional<ApplicationProfile> findMediaProfile(std::string_view name) {
  if (name.empty()) return std::nullopt;
  for (const MediaProfile& p : kProfiles) {
    if (p.name == name || p.builtInName == name) return p.id;
  }
  return std::nullopt;
}

bool allowsTransferSyntax(const MediaProfile& profile, std::string_view transferSyntaxUid) {
  return std::any_of(profile.transferSyntaxes.begin(), profile.transferSyntaxes.end(),
                     [&](const char* ts) { return transferSyntaxUid == ts; });
}

std::span<const MediaProfile> mediaProfiles() {
  return kProfiles;
}

bool isVideoTransferSyntax(std::string_view transferSyntaxUid) {
  return std::find(kVideoSyntaxes.begin(), kVideoSyntaxes.end(), transferSyntaxUid) !=
         kVideoSyntaxes.end();
}

}  // namespace burnstation::dicomdir
