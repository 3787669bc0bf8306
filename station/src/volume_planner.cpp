// The station's one volume planner (see volume_planner.h).
#include "burnstation/station/volume_planner.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>

#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/store/uid.h"

namespace burnstation::station {

namespace fs = std::filesystem;

namespace {

std::uint64_t wholeSectors(std::uint64_t bytes) {
  return (bytes + dicomdir::kSectorBytes - 1) / dicomdir::kSectorBytes * dicomdir::kSectorBytes;
}

std::uint64_t roundedCapacity(std::uint64_t bytes, const char* what) {
  const std::uint64_t rounded = bytes / dicomdir::kSectorBytes * dicomdir::kSectorBytes;
  if (rounded == 0) {
    throw RequestError(std::string(what) + " of " + std::to_string(bytes) +
                       " bytes is less than one 2,048-byte sector");
  }
  return rounded;
}

// No item is larger than 4 GiB (ISO 9660 and FAT32), so a plan on this capacity is one volume
// holding everything; the model's size of that volume is then the stick's requirement.
constexpr std::uint64_t kNoBound = std::numeric_limits<std::uint64_t>::max() / 4;

dicomdir::VolumePlan modelPlan(const PlanInput& input, std::uint64_t capacity,
                               const dicomdir::VolumeSizeModel& model) {
  try {
    return dicomdir::planVolumes(input.items, capacity, model);
  } catch (const std::invalid_argument& e) {
    throw RequestError(e.what());
  }
}

}  // namespace

void choosePreviewTier(MediumSelection& medium, const MediumCapacity& capacity) {
  using viewer_bundle::PreviewTier;
  if (medium.setting.preview || !medium.setting.viewer) return;
  medium.tier = PreviewTier::Full;
  if (!capacity.bytes) return;
  // Fewer instances left out first, then fewer volumes.
  const auto volumesWith = [&](PreviewTier tier) -> std::pair<std::size_t, std::size_t> {
    medium.tier = tier;
    try {
      const auto plan = modelPlan(planInputFor(medium), *capacity.bytes, sizeModelFor(medium));
      return {plan.unplaceable.size(), plan.volumes.size()};
    } catch (const RequestError&) {
      constexpr auto kNever = std::numeric_limits<std::size_t>::max();
      return {kNever, kNever};  // a tier whose volumes cannot be planned at all
    }
  };
  const auto fewest = volumesWith(PreviewTier::None);
  for (PreviewTier tier : {PreviewTier::Full, PreviewTier::Light, PreviewTier::Thumbnails}) {
    if (volumesWith(tier) <= fewest) return;  // medium.tier is this one
  }
  medium.tier = PreviewTier::None;
}

const char* toString(CapacitySource source) {
  switch (source) {
    case CapacitySource::Requested:
      return "requested";
    case CapacitySource::Drive:
      return "drive";
    case CapacitySource::Profile:
      return "profile";
    case CapacitySource::Medium:
      return "medium";
    case CapacitySource::Target:
      return "target";
    case CapacitySource::Stick:
      return "stick";
  }
  return "medium";
}

MediumCapacity mediumCapacity(const MediumSelection& medium, const CapacityRequest& request) {
  if (request.requested) {
    return {roundedCapacity(*request.requested, "a capacity"), CapacitySource::Requested};
  }
  if (request.drive) {
    return {roundedCapacity(*request.drive, "the drive's capacity"), CapacitySource::Drive};
  }
  if (medium.setting.capacity) {
    return {roundedCapacity(*medium.setting.capacity, "the profile's capacity"),
            CapacitySource::Profile};
  }
  if (medium.profile->defaultCapacity > 0) {
    return {roundedCapacity(medium.profile->defaultCapacity, "the medium's capacity"),
            CapacitySource::Medium};
  }
  if (request.target) {
    return {roundedCapacity(*request.target, "the free space of the target"),
            CapacitySource::Target};
  }
  return {std::nullopt, CapacitySource::Stick};
}

VolumeSizer exactVolumeSizer(const MediumSelection& medium, const PlanInput& input,
                             const std::string& stationAe, const fs::path& workParent) {
  return [&medium, &input, stationAe, workParent](const dicomdir::PlannedVolume& volume) {
    // The preview DICOMDIR names the patient, and the temporary directory may be shared: a
    // new folder only we can enter, under a name nobody can plant beforehand (mkdtemp),
    // never a predictable one another local user could create first or point elsewhere.
    std::string pattern = (workParent / "burnstation-plan-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary folder in " + workParent.string() + ": " +
                               std::strerror(errno));
    }
    struct Remove {
      fs::path path;
      ~Remove() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
      }
    } remove{pattern};
    const auto content = volumeContentFor(medium, input, volume, remove.path, stationAe, false);
    return mediawriter::isoImageBytes(content) + wholeSectors(medium.setting.viewerReserve);
  };
}

StationPlan planVolumesFor(const MediumSelection& medium, const PlanInput& input,
                           const MediumCapacity& capacity, const VolumeSizer& exactSize) {
  const dicomdir::VolumeSizeModel model = sizeModelFor(medium);
  StationPlan result;
  result.capacity = capacity;
  result.planningBytes = capacity.bytes.value_or(kNoBound);
  // Volumes are sized once per distinct content: a re-plan often keeps most of them.
  std::map<std::vector<std::size_t>, std::uint64_t> measured;
  std::size_t unplaceableAtCapacity = 0;
  std::uint64_t lastExcess = 0;
  for (;;) {
    try {
      result.plan = modelPlan(input, result.planningBytes, model);
    } catch (const RequestError& e) {
      if (result.replans == 0) throw;
      throw RequestError("the selection cannot be fitted on a medium of " +
                         std::to_string(*capacity.bytes) +
                         " bytes: sized exactly, its volumes exceed what the size model "
                         "predicts, and on the " +
                         std::to_string(result.planningBytes) + " bytes left to plan with after " +
                         std::to_string(result.replans) + " re-plan(s): " + e.what());
    }
    if (result.replans == 0) {
      unplaceableAtCapacity = result.plan.unplaceable.size();
    } else if (result.plan.unplaceable.size() > unplaceableAtCapacity) {
      // Shrunk this far, instances the medium holds would be left out: no plan fits.
      throw RequestError(
          "the selection cannot be fitted on a medium of " + std::to_string(*capacity.bytes) +
          " bytes: sized exactly, its volumes exceed what the size model "
          "predicts by up to " +
          std::to_string(lastExcess) + " bytes, and after " + std::to_string(result.replans) +
          " re-plan(s) " + store::printableUid(result.plan.unplaceable.back().sopInstanceUid) +
          " no longer fits a volume");
    }
    result.sizes.clear();
    std::uint64_t excess = 0;
    for (const auto& v : result.plan.volumes) {
      VolumeSize size{v.bytes, false, v.bytes};
      if (v.transcoded == 0) {
        auto found = measured.find(v.items);
        if (found == measured.end()) found = measured.emplace(v.items, exactSize(v)).first;
        bool estimated = false;
        for (std::size_t item : v.items) {
          estimated =
              estimated || (item < input.previewsEstimated.size() && input.previewsEstimated[item]);
        }
        size = {found->second, !estimated, v.bytes};
        if (capacity.bytes && size.bytes > *capacity.bytes) {
          excess = std::max(excess, size.bytes - *capacity.bytes);
        }
      }
      result.sizes.push_back(size);
    }
    if (excess == 0) break;
    lastExcess = excess;
    // The model underestimated a volume: plan on a medium smaller by the excess. The
    // capacity shrinks on every step, so this ends with every volume fitting or in the
    // model's refusal above.
    const std::uint64_t shrink = wholeSectors(excess);
    if (shrink >= result.planningBytes) {
      throw RequestError("the selection cannot be fitted on a medium of " +
                         std::to_string(*capacity.bytes) + " bytes: a volume sized exactly is " +
                         std::to_string(excess) + " bytes larger than the medium");
    }
    result.planningBytes -= shrink;
    ++result.replans;
  }
  // What was asked for is what the plan reports, whatever it had to plan with.
  result.plan.capacityBytes =
      capacity.bytes.value_or(result.sizes.empty() ? 0 : result.sizes.front().bytes);
  for (auto& u : unwritableItems(medium)) result.plan.unplaceable.push_back(std::move(u));
  return result;
}

ScratchNeed scratchNeedFor(const StationPlan& plan, const PlanInput& input,
                           const MediumSelection& medium, int copies, bool imagesInDataDir) {
  const dicomdir::VolumeSizeModel model = sizeModelFor(medium);
  ScratchNeed need;
  for (const auto& item : input.items) {
    if (item.transcoded) need.reencoded += wholeSectors(item.bytes);
  }
  for (std::size_t v = 0; v < plan.plan.volumes.size(); ++v) {
    const auto& volume = plan.plan.volumes[v];
    // The DICOMDIR and the manifest: the model's fixed part and a record per file bound them.
    need.fileSets += wholeSectors(model.fixedBytes + model.perFileBytes * volume.items.size());
    if (imagesInDataDir) {
      need.images += plan.sizes[v].bytes * static_cast<std::uint64_t>(copies > 0 ? copies : 1);
    }
  }
  return need;
}

}  // namespace burnstation::station
