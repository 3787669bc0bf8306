// Volume planning (spanning): which instances go on which medium, so that no medium
// overflows, studies stay whole where they can, then series, and each volume is a complete
// file-set of its own ("disc N of M").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace burnstation::dicomdir {

inline constexpr std::uint64_t kSectorBytes = 2048;

// One instance as the planner sees it, in medium order (studies chronological, then
// series, then instances).
struct PlanItem {
  std::string sopInstanceUid;
  std::string studyUid;
  std::string seriesUid;
  std::uint64_t bytes =
      0;  // size of the file as it will be written (an upper bound when transcoded)
  bool transcoded = false;
};

// What a volume costs besides its files. An upper bound of what the ISO 9660 image (with
// Rock Ridge and Joliet) and the DICOMDIR take; the media writer may supply exact numbers.
struct VolumeSizeModel {
  std::uint64_t fixedBytes = 400 * 1024;  // system area, descriptors, path tables, DICOMDIR header
  std::uint64_t reservedBytes = 0;        // viewer and web content, README
  std::uint64_t perFileBytes = 1024;      // directory records in three trees + DICOMDIR leaf record
  std::uint64_t perFolderBytes =
      3 * kSectorBytes + 1024;  // a sector-aligned directory per tree + record
};

struct PlannedVolume {
  int index = 0;  // 1-based
  int of = 0;
  std::vector<std::size_t> items;  // indexes into the planned items
  std::uint64_t bytes = 0;         // predicted, whole sectors
  int studies = 0;
  int transcoded = 0;
};

struct UnplaceableItem {
  std::string sopInstanceUid;
  std::string reason;
};

struct VolumePlan {
  std::vector<PlannedVolume> volumes;
  std::vector<UnplaceableItem> unplaceable;
  int minimumVolumes = 0;  // ceil(total / capacity), for comparison
  std::uint64_t capacityBytes = 0;
};

// Throws std::invalid_argument when the capacity cannot even hold a volume's fixed content.
VolumePlan planVolumes(const std::vector<PlanItem>& items, std::uint64_t capacityBytes,
                       const VolumeSizeModel& model = {});

}  // namespace burnstation::dicomdir
