// How an instance goes onto a medium of a given profile: as stored, re-encoded to
// Explicit VR Little Endian, or not at all (with the reason the clerk will see).
#pragma once

#include <filesystem>
#include <string>

#include "burnstation/dicomdir/media_profile.h"

namespace burnstation::dicomdir {

enum class Conversion { None, ToExplicitLittle, ToJpegLossless, Unwritable };

struct MediaForm {
  Conversion conversion = Conversion::None;
  std::string reason;  // for Unwritable
};

// What an admin profile may ask for beyond the application profile's rules.
enum class Compression { None, JpegLossless };

// compressImages: an image (IMAGE record) that is not already compressed is re-encoded as
// JPEG lossless (.70) where the profile allows it; nothing lossy is ever produced.
MediaForm mediaFormFor(const MediaProfile& profile, const std::string& transferSyntaxUid,
                       const std::string& sopClassUid = {},
                       Compression compression = Compression::None);

const char* transferSyntaxAfter(Conversion conversion, const std::string& original);

// Re-encodes source into target, losslessly: to Explicit VR Little Endian (decoding JPEG,
// JPEG-LS and RLE; lossy sources keep Lossy Image Compression "01") or to JPEG lossless
// selection value 1. The target gets our File Meta. Throws std::runtime_error.
void transcode(const std::filesystem::path& source, const std::filesystem::path& target,
               Conversion conversion, const std::string& sourceAe);

}  // namespace burnstation::dicomdir
