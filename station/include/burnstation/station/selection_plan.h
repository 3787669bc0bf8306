// The plan of a selection on a profile's medium, as `burnstation plan` and the local API's
// POST /plans compute it: one implementation, so that both give the same document.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/station/medium_selection.h"
#include "burnstation/station/station_config.h"
#include "burnstation/station/volume_planner.h"
#include "burnstation/store/store.h"

namespace burnstation::station {

struct PlanRequest {
  std::string patient;                    // a Patient ID or a collection key
  std::vector<std::string> studies;       // empty: all of the patient's
  std::string profile;                    // a configured profile's name
  std::optional<std::uint64_t> capacity;  // as asked for, not yet rounded; nullopt: the profile's
};

struct SelectionPlan {
  MediumSelection medium;
  StationPlan plan;
};

// Resolves the selection, settles the preview tier and plans with exact volume sizes (the
// DICOMDIRs are made in a private folder under workParent and removed). Throws RequestError
// or StoreError (NotFound, Ambiguous) with the reason for the person who asked.
SelectionPlan planFor(
    const StationConfig& config, const store::Store& store, const PlanRequest& request,
    const std::filesystem::path& workParent = std::filesystem::temp_directory_path());

}  // namespace burnstation::station
