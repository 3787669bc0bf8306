// `burnstation plan`: the volumes a selection needs on a medium, without writing anything.
// The station's planner decides; this prints its plan.
#include <filesystem>
#include <iostream>

#include "burnstation/station/documents.h"
#include "burnstation/station/selection_plan.h"
#include "burnstation/store/store.h"
#include "burnstation/store/uid.h"
#include "commands.h"
#include "selection_options.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

int runPlan(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(
        args, {"--config", "--data-dir", "--patient", "--study", "--profile", "--capacity"},
        {"--json"});
    json = line.flag("--json");
    const StationConfig config = resolveConfig(line);
    const store::Store store = openStoreForReading(line);
    const SelectionPlan planned = planFor(config, store, planRequest(line));
    const MediumSelection& medium = planned.medium;
    const StationPlan& plan = planned.plan;
    const MediumCapacity& capacity = plan.capacity;

    if (json) {
      std::cout << documentText(planDocument(medium, plan)) << "\n";
      return 0;
    }
    std::cout << medium.selection.patientName << " (" << medium.selection.collectionKey << ") on "
              << medium.profile->name;
    if (capacity.bytes) {
      std::cout << " of " << *capacity.bytes << " bytes";
    } else {
      std::cout << " (one file-set per stick; the stick is checked for room when inserted)";
    }
    std::cout << ": " << plan.plan.volumes.size() << " volume(s), minimum "
              << plan.plan.minimumVolumes << "\n";
    for (std::size_t i = 0; i < plan.plan.volumes.size(); ++i) {
      const auto& v = plan.plan.volumes[i];
      std::cout << "  disc " << v.index << " of " << v.of << ": " << v.items.size()
                << " instance(s) from " << v.studies << " study(ies), " << plan.sizes[i].bytes
                << (plan.sizes[i].exact ? " bytes" : " bytes at most")
                << (v.transcoded ? ", " + std::to_string(v.transcoded) + " re-encoded" : "")
                << "\n";
    }
    for (const auto& u : plan.plan.unplaceable) {
      std::cout << "  cannot be written: " << store::printableUid(u.sopInstanceUid) << ": "
                << u.reason << "\n";
    }
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
