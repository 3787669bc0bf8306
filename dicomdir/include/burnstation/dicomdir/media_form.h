// How an instance goes onto a medium of a given profile: as stored, re-encoded to
// Explicit VR Little Endian, or not at all (with the reason the clerk will see).
#pragma once

#include <filesystem>
#include <string>

#include "burnstation/dicomdir/media_profile.h"

namespace burnstation::dicomdir {

enum class Conversion { None, ToExplicitLittle, Unwritable };

struct MediaForm {
  Conversion conversion = Conversion::None;
  std::string reason;  // for Unwritable
};

MediaForm mediaFormFor(const MediaProfile& profile, const std::string& transferSyntaxUid);

// Re-encodes source into target as Explicit VR Little Endian, losslessly (decoding JPEG,
// JPEG-LS and RLE; lossy sources keep Lossy Image Compression "01"), with our File Meta.
// Throws std::runtime_error with a readable reason.
void transcodeToExplicitLittle(const std::filesystem::path& source,
                               const std::filesystem::path& target, const std::string& sourceAe);

}  // namespace burnstation::dicomdir
