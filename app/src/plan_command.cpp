// `burnstation plan`: the volumes a selection needs on a medium, without writing anything.
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/store/store.h"
#include "commands.h"
#include "selection_options.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

namespace {

namespace fs = std::filesystem;

// The exact bytes of a volume whose files go on unchanged: the image libisofs would write
// for its DICOMDIR and files, plus the room kept for the viewer.
std::uint64_t exactVolumeBytes(const MediumSelection& medium, const PlanInput& input,
                               const dicomdir::PlannedVolume& volume, const std::string& ae) {
  // The preview DICOMDIR names the patient, and the temporary directory is shared: a new
  // folder only we can enter, under a name nobody can plant beforehand (mkdtemp), never a
  // predictable one another local user could create first or point elsewhere.
  std::string pattern = (fs::temp_directory_path() / "burnstation-plan-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary folder in " +
                             fs::temp_directory_path().string() + ": " + std::strerror(errno));
  }
  const fs::path work = pattern;
  struct Remove {
    fs::path path;
    ~Remove() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } remove{work};
  const auto content = volumeContentFor(medium, input, volume, work, ae, false);
  const std::uint64_t reserve = sizeModelFor(medium).reservedBytes;
  return mediawriter::isoImageBytes(content) +
         (reserve + dicomdir::kSectorBytes - 1) / dicomdir::kSectorBytes * dicomdir::kSectorBytes;
}

}  // namespace

int runPlan(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(
        args, {"--config", "--data-dir", "--patient", "--study", "--profile", "--capacity"},
        {"--json"});
    json = line.flag("--json");
    const StationConfig config = resolveConfig(line);
    const store::Store store = openStoreForReading(line);
    const MediumSelection medium = resolveMediumSelection(line, config, store);
    const std::uint64_t capacity = capacityFor(line, medium);
    const PlanInput input = planInputFor(medium);
    // Plan with the upper-bound model, then size every volume without re-encoding exactly;
    // should one exceed the medium after all, plan again on a medium smaller by the excess.
    std::uint64_t planned = capacity;
    dicomdir::VolumePlan plan;
    std::map<int, std::uint64_t> exact;
    for (int attempt = 0; attempt < 4; ++attempt) {
      plan = dicomdir::planVolumes(input.items, planned, sizeModelFor(medium));
      exact.clear();
      std::uint64_t excess = 0;
      for (const auto& v : plan.volumes) {
        if (v.transcoded > 0) continue;
        exact[v.index] = exactVolumeBytes(medium, input, v, config.receiver.aeTitle);
        if (exact[v.index] > capacity) excess = std::max(excess, exact[v.index] - capacity);
      }
      if (excess == 0) break;
      planned -=
          (excess + dicomdir::kSectorBytes - 1) / dicomdir::kSectorBytes * dicomdir::kSectorBytes;
    }
    plan.capacityBytes = capacity;
    for (auto& u : unwritableItems(medium)) plan.unplaceable.push_back(std::move(u));

    if (json) {
      nlohmann::json volumes = nlohmann::json::array(), unplaceable = nlohmann::json::array();
      for (const auto& v : plan.volumes) {
        const bool isExact = exact.count(v.index) > 0;
        const std::uint64_t bytes = isExact ? exact.at(v.index) : v.bytes;
        volumes.push_back({{"index", v.index},
                           {"of", v.of},
                           {"bytes", bytes},
                           {"sectors", bytes / dicomdir::kSectorBytes},
                           {"exact", isExact},
                           {"upper_bound_bytes", v.bytes},
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
                << medium.profile->name << " of " << plan.capacityBytes
                << " bytes: " << plan.volumes.size() << " volume(s), minimum "
                << plan.minimumVolumes << "\n";
      for (const auto& v : plan.volumes) {
        std::cout << "  disc " << v.index << " of " << v.of << ": " << v.items.size()
                  << " instance(s) from " << v.studies << " study(ies), "
                  << (exact.count(v.index) ? exact.at(v.index) : v.bytes)
                  << (exact.count(v.index) ? " bytes" : " bytes at most")
                  << (v.transcoded ? ", " + std::to_string(v.transcoded) + " re-encoded" : "")
                  << "\n";
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
