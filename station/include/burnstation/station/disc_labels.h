// What goes on a volume's printable label: the patient as the store knows them, the studies
// on that volume, the institution the images came from, and "disc N of M".
#pragma once

#include <filesystem>

#include "burnstation/mediawriter/label_image.h"
#include "burnstation/station/medium_selection.h"
#include "burnstation/store/store.h"

namespace burnstation::station {

mediawriter::DiscLabel labelFor(const store::Store& store, const MediumSelection& medium,
                                const PlanInput& input, const dicomdir::PlannedVolume& volume,
                                const std::string& stationAe);

// Where the label of a job's volume is kept: labels/<job>-<volume>of<volumes>.png.
std::filesystem::path labelPath(const std::filesystem::path& dataDir, std::int64_t job, int volume,
                                int volumes);

}  // namespace burnstation::station
