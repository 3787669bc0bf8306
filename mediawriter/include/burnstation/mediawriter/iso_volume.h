// One volume as an ISO 9660 image (libisofs): ECMA-119 level 1 names as PS3.12 F.1.2.1 asks,
// Rock Ridge and Joliet with the same upper-case names, AAIP and MD5 records so the medium
// can be checked later. Files are read from where they are (the store), never staged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace burnstation::mediawriter {

struct IsoFile {
  std::string mediumPath;        // e.g. "DICOM/PA000001/ST000001/SE000001/IM000001"
  std::filesystem::path source;  // absolute path of the bytes to put there
};

struct IsoVolumeContent {
  std::string volumeId;  // the File-set ID: [A-Z0-9_]{1,16}
  std::vector<IsoFile> files;
};

// Every regular file below a file-set directory, by its path relative to it.
IsoVolumeContent contentOfDirectory(const std::filesystem::path& root, const std::string& volumeId);

// The exact size of the image libisofs writes for this content, in bytes (whole sectors).
std::uint64_t isoImageBytes(const IsoVolumeContent& content);

// Called while writing with bytes written and the total; returning false cancels.
using WriteProgress = std::function<bool(std::uint64_t written, std::uint64_t total)>;

// Writes the image to a file, durably (via file.part, fsync and a rename), so a read-back
// reads the disk. Throws MediaError; a failure, a cancel (MediaError(Cancelled)) or a
// progress callback that throws leaves no file behind.
void writeIsoImage(const IsoVolumeContent& content, const std::filesystem::path& imageFile,
                   const WriteProgress& progress = {});

}  // namespace burnstation::mediawriter
