// What goes on every volume besides the DICOM file-set (DESIGN.md): README.TXT, INDEX.HTM, the
// IHE_PDI/ web content, the viewer with this volume's data, previews, extracted PDFs and
// re-wrapped videos. Generated files are written into a work folder; previews are taken from
// the PreviewCache where they are, so a burn copies them straight onto the medium.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "burnstation/viewer_bundle/preview_cache.h"
#include "burnstation/viewer_bundle/preview_tier.h"

namespace burnstation::viewer_bundle {

// One instance on the volume, in medium order (studies, series, instances).
struct VolumeInstance {
  std::filesystem::path file;  // the DICOM file as it goes on the medium (store or scratch)
  std::string mediumPath;      // "DICOM/PA000001/ST000001/SE000001/IM000001"
  std::string studyUid;
  std::string seriesUid;
  std::string sopInstanceUid;
  std::string modality;
};

struct VolumeFacts {
  int index = 1;  // disc N of M
  int of = 1;
  std::string fileSetId;
  std::string station;             // the station's AE title
  std::string applicationProfile;  // "STD-GEN-CD"
  std::string created;             // ISO 8601 with offset
  bool web = true;  // INDEX.HTM, IHE_PDI/ and the viewer; README.TXT is always written
  PreviewTier tier = PreviewTier::Light;
};

// How previews are come by: rendered where missing (a burn), or looked up and, where missing,
// stood in for by placeholder files of their estimated size (sizing a plan).
enum class PreviewUse { Render, LookupOrEstimate };

// A video object's stream re-wrapped into an MP4 file; empty when none (profile or codec).
using VideoRewrap =
    std::function<bool(const std::filesystem::path& dicomFile, const std::filesystem::path& mp4)>;

struct WebFile {
  std::string mediumPath;        // "IHE_PDI/S0000001/P0000001.JPG"
  std::filesystem::path source;  // absolute
};

struct WebContent {
  std::vector<WebFile> files;
  bool exact = true;  // false: some previews were missing and their sizes are estimates
};

// Writes the generated files into workDir (created, private) and lists every file the
// volume gets besides the file-set. Throws std::runtime_error when the work folder cannot be
// written. An instance whose pixels cannot be rendered or whose previews cannot be kept (a
// full disk) is shown without previews and says why; an unreadable one is listed with the
// reason; none is left off.
WebContent buildWebContent(const VolumeFacts& facts, const std::vector<VolumeInstance>& instances,
                           PreviewCache& previews, PreviewUse use,
                           const std::filesystem::path& workDir, const VideoRewrap& video = {});

// What the planner counts for web content: a volume's fixed files (the viewer, README.TXT,
// INDEX.HTM, index pages), and per instance its previews and text, in bytes on the medium.
struct WebSizes {
  std::uint64_t perVolume = 0;
  std::uint64_t perInstanceText = 0;  // its entries in VOLUME.JS and its series page (bound)
};
WebSizes webSizes(bool web);

}  // namespace burnstation::viewer_bundle
