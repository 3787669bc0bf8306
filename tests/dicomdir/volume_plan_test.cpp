// Volume planning: nothing overflows, every instance exactly once, studies and series kept
// whole when they fit, at most one volume beyond the minimum.
#include "burnstation/dicomdir/volume_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace burnstation::dicomdir {
namespace {

std::vector<PlanItem> series(const std::string& study, const std::string& uid, int count,
                             std::uint64_t bytes) {
  std::vector<PlanItem> items;
  for (int i = 0; i < count; ++i) {
    items.push_back({study + "/" + uid + "/" + std::to_string(i), study, uid, bytes, false});
  }
  return items;
}

void append(std::vector<PlanItem>& to, const std::vector<PlanItem>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// The invariants every plan must keep.
void checkPlan(const VolumePlan& plan, const std::vector<PlanItem>& items) {
  std::multiset<std::size_t> seen;
  std::size_t previous = 0;
  bool first = true;
  for (const PlannedVolume& v : plan.volumes) {
    EXPECT_LE(v.bytes, plan.capacityBytes) << "volume " << v.index << " overflows";
    EXPECT_EQ(v.of, static_cast<int>(plan.volumes.size()));
    EXPECT_EQ(v.bytes % kSectorBytes, 0u);
    for (std::size_t i : v.items) {
      seen.insert(i);
      if (!first) {
        EXPECT_GT(i, previous) << "order not kept";
      }
      previous = i;
      first = false;
    }
  }
  EXPECT_EQ(seen.size() + plan.unplaceable.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) EXPECT_LE(seen.count(i), 1u);
  EXPECT_LE(static_cast<int>(plan.volumes.size()), plan.minimumVolumes + 1);
}

std::map<std::string, std::set<int>> volumesOf(const VolumePlan& plan,
                                               const std::vector<PlanItem>& items, bool bySeries) {
  std::map<std::string, std::set<int>> where;
  for (const PlannedVolume& v : plan.volumes) {
    for (std::size_t i : v.items)
      where[bySeries ? items[i].seriesUid : items[i].studyUid].insert(v.index);
  }
  return where;
}

// A size model in whole sectors for plans worked out by hand: 10 sectors of fixed content
// per volume and nothing per file or folder.
const VolumeSizeModel kSectorsOnly{10 * kSectorBytes, 0, 0, 0};
constexpr std::uint64_t kTenSectors = 10 * kSectorBytes;

using Volumes = std::vector<std::vector<std::size_t>>;
Volumes itemsOf(const VolumePlan& plan) {
  Volumes out;
  for (const PlannedVolume& v : plan.volumes) out.push_back(v.items);
  return out;
}

TEST(VolumePlan, OneVolumeWhenEverythingFits) {
  const auto items = series("ST1", "SE1", 10, 100'000);
  const VolumePlan plan = planVolumes(items, 700'000'000);
  checkPlan(plan, items);
  ASSERT_EQ(plan.volumes.size(), 1u);
  EXPECT_EQ(plan.volumes[0].items.size(), 10u);
  EXPECT_EQ(plan.volumes[0].studies, 1);
}

TEST(VolumePlan, ALargeSeriesIsSplitOnlyBecauseItCannotFit) {
  // 10 files of 10 sectors; a medium holds the fixed 10 sectors and 4 files.
  const auto items = series("ST1", "SE1", 10, kTenSectors);
  const VolumePlan plan = planVolumes(items, 50 * kSectorBytes, kSectorsOnly);
  checkPlan(plan, items);
  EXPECT_EQ(plan.minimumVolumes, 3);
  EXPECT_EQ(itemsOf(plan), (Volumes{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
  EXPECT_EQ(plan.volumes[0].bytes, 50 * kSectorBytes);
  EXPECT_EQ(plan.volumes[2].bytes, 30 * kSectorBytes);
}

TEST(VolumePlan, StudiesStayWholeWhenTheyFit) {
  std::vector<PlanItem> items;
  append(items, series("ST1", "A", 40, 50'000));  // ~2 MB each study
  append(items, series("ST2", "B", 40, 50'000));
  append(items, series("ST3", "C", 40, 50'000));
  const VolumePlan plan = planVolumes(items, 5'000'000);
  checkPlan(plan, items);
  ASSERT_EQ(plan.volumes.size(), 2u);
  for (const auto& [study, volumes] : volumesOf(plan, items, false)) {
    EXPECT_EQ(volumes.size(), 1u) << study << " split";
  }
}

TEST(VolumePlan, ASeriesThatFitsIsNotSplit) {
  std::vector<PlanItem> items;
  append(items, series("ST1", "A", 30, 50'000));
  append(items, series("ST1", "B", 30, 50'000));
  append(items, series("ST1", "C", 30, 50'000));  // one study, 4.5 MB, 1.5 MB per series
  const VolumePlan plan = planVolumes(items, 3'600'000);
  checkPlan(plan, items);
  ASSERT_EQ(plan.volumes.size(), 2u);
  for (const auto& [s, volumes] : volumesOf(plan, items, true)) {
    EXPECT_EQ(volumes.size(), 1u) << "series " << s << " split";
  }
}

TEST(VolumePlan, SeriesAreSplitRatherThanExceedTheMinimumByTwo) {
  std::vector<PlanItem> items;
  for (const char* s : {"A", "B", "C", "D", "E"}) append(items, series("ST1", s, 6, kTenSectors));
  // A medium holds 10 files and each series has 6: whole series would need 5 media for 3
  // worth, so the plan fills every medium and splits B (over 1 and 2) and D (over 2 and 3).
  const VolumePlan plan = planVolumes(items, 110 * kSectorBytes, kSectorsOnly);
  checkPlan(plan, items);
  EXPECT_EQ(plan.minimumVolumes, 3);
  EXPECT_EQ(itemsOf(plan), (Volumes{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                                    {10, 11, 12, 13, 14, 15, 16, 17, 18, 19},
                                    {20, 21, 22, 23, 24, 25, 26, 27, 28, 29}}));
  const auto where = volumesOf(plan, items, true);
  EXPECT_EQ(where.at("A"), (std::set<int>{1}));
  EXPECT_EQ(where.at("B"), (std::set<int>{1, 2}));
  EXPECT_EQ(where.at("C"), (std::set<int>{2}));
  EXPECT_EQ(where.at("D"), (std::set<int>{2, 3}));
  EXPECT_EQ(where.at("E"), (std::set<int>{3}));
}

TEST(VolumePlan, OversizedAndHugeFilesAreUnplaceable) {
  std::vector<PlanItem> items = series("ST1", "A", 3, 10'000);
  items.push_back({"big", "ST1", "A", 5'000'000, false});
  items.push_back({"huge", "ST1", "A", std::uint64_t{5} << 30, false});
  const VolumePlan plan = planVolumes(items, 2'000'000);
  checkPlan(plan, items);
  ASSERT_EQ(plan.unplaceable.size(), 2u);
  EXPECT_EQ(plan.unplaceable[0].sopInstanceUid, "big");
  EXPECT_NE(plan.unplaceable[0].reason.find("larger than the medium"), std::string::npos);
  EXPECT_NE(plan.unplaceable[1].reason.find("4 GiB"), std::string::npos);
}

TEST(VolumePlan, ACapacityBelowTheFixedContentIsRefused) {
  EXPECT_THROW(planVolumes(series("ST1", "A", 1, 10), 100'000), std::invalid_argument);
}

}  // namespace
}  // namespace burnstation::dicomdir
