// The one planner `plan`, `export` and the burn job use, so that they always agree on the
// number of volumes: which capacity the medium has, which volumes the selection needs on it,
// how big each is (exact where the files go on unchanged, else an upper bound), and how much
// room a job needs in scratch for it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/dicomdir/volume_plan.h"
#include "burnstation/station/medium_selection.h"

namespace burnstation::station {

// Where the capacity came from, first match wins: what was asked for (--capacity, the job's
// request), the chosen drive's configured medium, the profile's setting, the profile's
// medium, the room in the export's target folder. A USB stick's size is known only once it
// is inserted, so with none of these the plan is one volume holding the whole selection (one
// file-set per stick) and the stick is checked for room when it is in.
enum class CapacitySource { Requested, Drive, Profile, Medium, Target, Stick };

struct MediumCapacity {
  std::optional<std::uint64_t> bytes;  // whole sectors; nullopt: Stick (no bound)
  CapacitySource source = CapacitySource::Medium;
};

struct CapacityRequest {
  std::optional<std::uint64_t> requested;  // not yet rounded
  std::optional<std::uint64_t> drive;      // the chosen drive's configured capacity
  std::optional<std::uint64_t> target;     // free space where an export goes
};

// Throws RequestError when a requested or configured capacity is less than one sector.
MediumCapacity mediumCapacity(const MediumSelection& medium, const CapacityRequest& request);

// "requested", "drive", "profile", "medium", "target", "stick" (the plan document's words).
const char* toString(CapacitySource source);

// For a profile whose preview setting is "auto", settles medium.tier on the richest tier
// (full, light, thumbnails) whose plan needs no more volumes than one without previews, as
// the size model plans with previews as kept or estimated. Without a bound (a USB stick):
// full. A profile with a fixed tier or without web content is left as it is.
void choosePreviewTier(MediumSelection& medium, const MediumCapacity& capacity);

// The bytes a planned volume takes on the medium, measured exactly.
using VolumeSizer = std::function<std::uint64_t(const dicomdir::PlannedVolume&)>;

// Sizes a volume whose files all go on unchanged: the ISO image libisofs would write for its
// DICOMDIR, files, web content and manifest, plus the room the profile keeps besides. The DICOMDIR is made in a
// private folder (mkdtemp) under workParent and removed again.
VolumeSizer exactVolumeSizer(const MediumSelection& medium, const PlanInput& input,
                             const std::string& stationAe, const std::filesystem::path& workParent);

struct VolumeSize {
  std::uint64_t bytes = 0;       // exact, or the upper bound
  bool exact = false;            // false: it holds re-encoded files, sized by their upper
                                 // bound, or previews not rendered yet, sized by estimate
  std::uint64_t upperBound = 0;  // the model's size
};

struct StationPlan {
  MediumCapacity capacity;
  dicomdir::VolumePlan plan;        // its unplaceable list holds the unwritable instances too
  std::vector<VolumeSize> sizes;    // parallel to plan.volumes
  std::uint64_t planningBytes = 0;  // the capacity the model planned with (<= the medium's)
  int replans = 0;                  // times an exact volume exceeded the medium
};

// Plans with the upper-bound model, sizes every volume without re-encoded files exactly and,
// while one exceeds the medium, plans again on a capacity smaller by the largest excess.
// Each step shrinks the planning capacity, so it ends: with every exact volume fitting, or a
// RequestError saying that the selection cannot be fitted on this medium.
StationPlan planVolumesFor(const MediumSelection& medium, const PlanInput& input,
                           const MediumCapacity& capacity, const VolumeSizer& exactSize);

// What a burn job needs in its data directory, from its plan: the re-encoded files (their
// upper bounds), every volume's DICOMDIR and manifest, and for the image drive the image of
// every volume and copy.
struct ScratchNeed {
  std::uint64_t reencoded = 0;
  std::uint64_t fileSets = 0;
  std::uint64_t images = 0;
  std::uint64_t total() const { return reencoded + fileSets + images; }
};
ScratchNeed scratchNeedFor(const StationPlan& plan, const PlanInput& input,
                           const MediumSelection& medium, int copies, bool imagesInDataDir);

}  // namespace burnstation::station
