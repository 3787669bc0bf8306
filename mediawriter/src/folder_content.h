// A volume's content written as files into a folder (an export folder, a mounted stick).
#pragma once

#include <filesystem>

#include "burnstation/mediawriter/medium_target.h"

namespace burnstation::mediawriter {

// Copies every file of the content to root/mediumPath: the DICOM files first, synced, then
// the DICOMDIR and the manifest, each durably, so a reader never finds a DICOMDIR whose
// files are not there yet. On any failure (cancel and exceptions from progress included)
// what was written is removed again. Throws MediaError (Refused when root already holds a
// file-set).
void writeContentInto(const VolumeContent& content, const std::filesystem::path& root,
                      const WriteProgress& progress);

}  // namespace burnstation::mediawriter
