// The plan of a selection (see selection_plan.h).
#include "burnstation/station/selection_plan.h"

namespace burnstation::station {

SelectionPlan planFor(const StationConfig& config, const store::Store& store,
                      const PlanRequest& request, const std::filesystem::path& workParent) {
  SelectionPlan result{
      resolveMediumSelection(config, store, request.patient, request.studies, request.profile), {}};
  MediumSelection& medium = result.medium;
  const MediumCapacity capacity = mediumCapacity(medium, {request.capacity, {}, {}});
  choosePreviewTier(medium, capacity);
  const PlanInput input = planInputFor(medium);
  result.plan =
      planVolumesFor(medium, input, capacity,
                     exactVolumeSizer(medium, input, config.receiver.aeTitle, workParent));
  return result;
}

}  // namespace burnstation::station
