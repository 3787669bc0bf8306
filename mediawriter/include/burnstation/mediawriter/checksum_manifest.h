// The checksum manifest every medium carries outside the DICOM tree (REQUIREMENTS §3), so
// anyone can re-check a disc or stick later with `md5sum -c MD5SUMS.TXT`.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/mediawriter/verification.h"

namespace burnstation::mediawriter {

inline constexpr const char* kManifestName = "MD5SUMS.TXT";

// MD5 (lower-case hex) of the file-set under root (DICOMDIR and the DICOM tree) and of the
// web content beside it (README.TXT, INDEX.HTM, VIEWER.HTM, VIEWER/, IHE_PDI/, PDF/, VIDEO/),
// by path.
std::map<std::string, std::string> md5OfTree(const std::filesystem::path& root);

// Writes root/MD5SUMS.TXT for what md5OfTree covers (md5sum format), atomically.
void writeChecksumManifest(const std::filesystem::path& root);

// Adds MD5SUMS.TXT for the content's files (written into workDir) to the content. Without
// digests, a manifest of the same size with zero digests: enough to size the volume.
void addChecksumManifest(IsoVolumeContent& content, const std::filesystem::path& workDir,
                         bool digests = true);

// Parses manifest text into path -> MD5; malformed lines are reported in problems.
std::map<std::string, std::string> parseChecksumManifest(const std::string& text,
                                                         std::string& problem);

// Compares a manifest with the MD5s actually read from the medium.
VerificationCheck compareWithManifest(const std::map<std::string, std::string>& manifest,
                                      const std::map<std::string, std::string>& actual);

}  // namespace burnstation::mediawriter
