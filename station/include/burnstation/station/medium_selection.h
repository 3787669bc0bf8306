// What `plan`, `export` and the burn job share: resolving a patient, studies and a profile
// into a selection, the media form of each instance and what the planner plans with.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "burnstation/dicomdir/media_form.h"
#include "burnstation/dicomdir/media_profile.h"
#include "burnstation/dicomdir/volume_plan.h"
#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/station/request_error.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/selection.h"

namespace burnstation::station {

struct MediumSelection {
  store::Selection selection;
  ProfileSetting setting;
  const dicomdir::MediaProfile* profile = nullptr;
  std::vector<dicomdir::MediaForm> forms;  // parallel to selection.instances
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

// The volume cost model of the chosen profile (room kept for the viewer).
dicomdir::VolumeSizeModel sizeModelFor(const MediumSelection& medium);

// Plan items in selection order, writable instances only; transcoded sizes are upper
// bounds read from the headers.
struct PlanInput {
  std::vector<dicomdir::PlanItem> items;
  std::vector<std::size_t> selectionIndex;  // parallel to items
};
PlanInput planInputFor(const MediumSelection& medium);

// The ISO content of one planned volume: its DICOMDIR (made in workDir), every file straight
// from where it is (store or re-encoded scratch) and the checksum manifest (with placeholder
// digests of the same size when only sizing). fileSetId empty: a new one (every copy of a
// job's volume passes the one the job keeps for it).
mediawriter::IsoVolumeContent volumeContentFor(const MediumSelection& medium,
                                               const PlanInput& input,
                                               const dicomdir::PlannedVolume& volume,
                                               const std::filesystem::path& workDir,
                                               const std::string& stationAe, bool digests,
                                               const std::string& fileSetId = {});

// Unwritable instances as plan entries (never silently dropped).
std::vector<dicomdir::UnplaceableItem> unwritableItems(const MediumSelection& medium);

}  // namespace burnstation::station
