// `burnstation plan`: the volumes a selection needs on a medium, without writing anything.
#include <iostream>
#include <nlohmann/json.hpp>

#include "burnstation/store/store.h"
#include "commands.h"
#include "medium_selection.h"

namespace burnstation::app {

int runPlan(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args, {"--config", "--data-dir", "--patient", "--study", "--profile", "--capacity"},
                           {"--json"});
    json = line.flag("--json");
    const StationConfig config = resolveConfig(line);
    const store::Store store = openStoreForReading(line);
    const MediumSelection medium = resolveMediumSelection(line, config, store);
    const std::uint64_t capacity = capacityFor(line, medium);
    const PlanInput input = planInputFor(medium);
    dicomdir::VolumePlan plan = dicomdir::planVolumes(input.items, capacity, sizeModelFor(medium));
    for (auto& u : unwritableItems(medium)) plan.unplaceable.push_back(std::move(u));

    if (json) {
      nlohmann::json volumes = nlohmann::json::array(), unplaceable = nlohmann::json::array();
      for (const auto& v : plan.volumes) {
        volumes.push_back({{"index", v.index},
                           {"of", v.of},
                           {"bytes", v.bytes},
                           {"sectors", v.bytes / dicomdir::kSectorBytes},
                           {"studies", v.studies},
                           {"instances", v.items.size()},
                           {"transcoded", v.transcoded}});
      }
      for (const auto& u : plan.unplaceable) {
        unplaceable.push_back({{"sop_instance_uid", u.sopInstanceUid}, {"reason", u.reason}});
      }
      std::cout << nlohmann::json{{"patient_key", medium.selection.collectionKey},
                                  {"profile", medium.profile->name},
                                  {"capacity_bytes", plan.capacityBytes},
                                  {"minimum_volumes", plan.minimumVolumes},
                                  {"volumes", volumes},
                                  {"unplaceable", unplaceable}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << medium.selection.patientName << " (" << medium.selection.collectionKey << ") on "
                << medium.profile->name << " of " << plan.capacityBytes << " bytes: "
                << plan.volumes.size() << " volume(s), minimum " << plan.minimumVolumes << "\n";
      for (const auto& v : plan.volumes) {
        std::cout << "  disc " << v.index << " of " << v.of << ": " << v.items.size()
                  << " instance(s) from " << v.studies << " study(ies), " << v.bytes << " bytes"
                  << (v.transcoded ? ", " + std::to_string(v.transcoded) + " re-encoded" : "") << "\n";
      }
      for (const auto& u : plan.unplaceable) {
        std::cout << "  cannot be written: " << u.sopInstanceUid << ": " << u.reason << "\n";
      }
    }
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
