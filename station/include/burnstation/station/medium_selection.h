// What `plan`, `export` and the burn job share: resolving a patient, studies and a profile
// into a selection, the media form of each instance and what the planner plans with.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/dicomdir/media_form.h"
#include "burnstation/dicomdir/media_profile.h"
#include "burnstation/dicomdir/volume_plan.h"
#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/station/request_error.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/selection.h"
#include "burnstation/viewer_bundle/preview_tier.h"

namespace burnstation::station {

struct MediumSelection {
  store::Selection selection;
  ProfileSetting setting;
  const dicomdir::MediaProfile* profile = nullptr;
  std::vector<dicomdir::MediaForm> forms;  // parallel to selection.instances
  // The previews on the medium: the profile's tier, or for "auto" the one choosePreviewTier
  // (volume_planner.h) settles on; kept with the store in dataDir.
  viewer_bundle::PreviewTier tier = viewer_bundle::PreviewTier::Full;
  std::filesystem::path dataDir;
};

// Throws RequestError or StoreError with the reason for the person who asked.
MediumSelection resolveMediumSelection(const StationConfig& config, const store::Store& store,
                                       const std::string& patient,
                                       const std::vector<std::string>& studies,
                                       const std::string& profileName);

// Re-encodes what must be re-encoded into scratchDir now, so every size is real; the
// selection then points at the re-encoded files and every form is "as is".
void reencodeIntoScratch(MediumSelection& medium, const std::filesystem::path& scratchDir,
                         const std::string& stationAe);

// Unwritable instances as one sentence, or empty.
std::string unwritableSummary(const MediumSelection& medium);

// The volume cost model of the chosen profile: the web content's fixed files, the room the
// profile keeps besides, the checksum manifest.
dicomdir::VolumeSizeModel sizeModelFor(const MediumSelection& medium);

// Plan items in selection order, writable instances only; transcoded sizes are upper
// bounds read from the headers. An item's bytes include its previews and its web text: as
// rendered where they are, else estimated.
struct PlanInput {
  std::vector<dicomdir::PlanItem> items;
  std::vector<std::size_t> selectionIndex;  // parallel to items
  std::vector<bool> previewsEstimated;      // parallel to items
};
PlanInput planInputFor(const MediumSelection& medium);

// The ISO content of one planned volume: its DICOMDIR (made in workDir), every file straight
// from where it is (store or re-encoded scratch), the web content (README.TXT, INDEX.HTM,
// IHE_PDI/, the viewer; previews straight from where they are kept) and the checksum
// manifest. digests false: only sizing — placeholder digests of the same size, and previews
// not rendered yet stood in for by their estimated size; true: missing previews are rendered.
// fileSetId empty: a new one (every copy of a job's volume passes the one the job keeps).
mediawriter::IsoVolumeContent volumeContentFor(const MediumSelection& medium,
                                               const PlanInput& input,
                                               const dicomdir::PlannedVolume& volume,
                                               const std::filesystem::path& workDir,
                                               const std::string& stationAe, bool digests,
                                               const std::string& fileSetId = {});

// Writes the web content of a volume that was written as a file-set into root (export): the
// files a disc of this volume gets besides the file-set, made in workDir. Returns the
// top-level names it wrote, for removal on a failure.
std::vector<std::string> writeWebContent(const MediumSelection& medium,
                                         const dicomdir::PlannedVolume& volume,
                                         const dicomdir::WrittenFileSet& written,
                                         const std::filesystem::path& workDir,
                                         const std::string& stationAe);

// Renders the previews of the selection's tier that are not kept yet (a burn or an export
// that finds them missing). between is called before each instance (it may throw to stop).
void renderMissingPreviews(const MediumSelection& medium, const std::function<void()>& between);

// Unwritable instances as plan entries (never silently dropped).
std::vector<dicomdir::UnplaceableItem> unwritableItems(const MediumSelection& medium);

}  // namespace burnstation::station
