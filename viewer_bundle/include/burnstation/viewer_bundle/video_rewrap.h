// Video objects made playable from the medium: the encapsulated MPEG-2, H.264 or HEVC
// stream of a stored DICOM file is re-wrapped into an MP4 file without re-encoding.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace burnstation::viewer_bundle {

class VideoError : public std::runtime_error {
 public:
  enum class Code {
    NotVideo,        // the file's transfer syntax is not a video syntax
    Unreadable,      // the DICOM file cannot be read
    BadPixelData,    // no encapsulated pixel data, or fragments that do not fit the file
    StreamRejected,  // FFmpeg cannot read the stream, or it is not the codec the syntax says
    WriteFailed,     // the MP4 cannot be written
  };
  VideoError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const { return code_; }

 private:
  Code code_;
};

// MPEG-2 MP@ML/MP@HL, any MPEG-4 AVC/H.264 syntax, HEVC/H.265 (PS3.5 8.2.5-8.2.10).
bool isVideoTransferSyntax(std::string_view transferSyntaxUid);

// Writes mp4Out (replacing it only when complete and on disk; nothing is left behind on
// failure) holding the video stream of dicomFile, and its audio where MP4 can carry it,
// packet for packet, with the index at the front so browsers start playing at once. Throws
// VideoError with FFmpeg's reason. MPEG-2 in MP4 plays in few browsers: the viewer then
// offers the file.
void rewrapVideo(const std::filesystem::path& dicomFile, const std::filesystem::path& mp4Out);

}  // namespace burnstation::viewer_bundle
