// The options `plan`, `export` and `burn` share: --patient, --study, --profile and
// --capacity, turned into what the station library takes.
#pragma once

#include <cstdint>
#include <optional>

#include "burnstation/station/medium_selection.h"
#include "burnstation/station/selection_plan.h"
#include "command_line.h"

namespace burnstation::app {

// --patient, --study, --profile and --capacity; throws UsageError when one is missing or wrong.
station::PlanRequest planRequest(const CommandLine& line);

// Throws UsageError, RequestError or StoreError with the reason for the person at the keyboard.
station::MediumSelection resolveMediumSelection(const CommandLine& line,
                                                const station::StationConfig& config,
                                                const store::Store& store);

// --capacity in bytes as given (the planner rounds it), or nullopt; UsageError when it is no
// size.
std::optional<std::uint64_t> capacityOption(const CommandLine& line);

}  // namespace burnstation::app
