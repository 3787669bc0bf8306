// The station's planner on its own: re-planning until every exactly sized volume fits the
// medium (as many steps as it takes, where `plan` used to stop after four and print a volume
// larger than the medium), and a clear refusal when no plan can fit.
#include <gtest/gtest.h>

#include "burnstation/station/request_error.h"
#include "burnstation/station/volume_planner.h"

namespace burnstation::station {
namespace {

constexpr std::uint64_t kSector = dicomdir::kSectorBytes;

class VolumePlannerTest : public ::testing::Test {
 protected:
  VolumePlannerTest() {
    medium.setting.name = "cd";
    medium.setting.viewer = false;
    medium.profile = &dicomdir::mediaProfile(dicomdir::ApplicationProfile::StdGenCd);
    for (int i = 0; i < 600; ++i) {
      input.items.push_back({"1.2.3." + std::to_string(i), "1.2.9", "1.2.9.1", kSector, false});
      input.selectionIndex.push_back(static_cast<std::size_t>(i));
    }
  }
  MediumSelection medium;
  PlanInput input;
};

TEST_F(VolumePlannerTest, ReplansUntilEveryExactVolumeFitsHoweverManyStepsItTakes) {
  const std::uint64_t capacity = 1'000 * kSector;
  // A volume the model fills to within 6 sectors of the medium is really one sector too big:
  // every re-plan shrinks the planning capacity by one sector, so it takes about six.
  int measured = 0;
  const VolumeSizer sizer = [&](const dicomdir::PlannedVolume& v) {
    ++measured;
    return v.bytes > capacity - 6 * kSector ? capacity + kSector : v.bytes;
  };
  const StationPlan plan =
      planVolumesFor(medium, input, {capacity, CapacitySource::Requested}, sizer);
  EXPECT_GT(plan.replans, 4) << "the case the old loop gave up on";
  ASSERT_FALSE(plan.plan.volumes.empty());
  ASSERT_EQ(plan.sizes.size(), plan.plan.volumes.size());
  std::size_t placed = 0;
  for (std::size_t i = 0; i < plan.sizes.size(); ++i) {
    EXPECT_TRUE(plan.sizes[i].exact);
    EXPECT_LE(plan.sizes[i].bytes, capacity) << "volume " << i + 1;
    placed += plan.plan.volumes[i].items.size();
  }
  EXPECT_EQ(placed, input.items.size());
  EXPECT_EQ(plan.plan.capacityBytes, capacity);  // what was asked for, not what it planned with
  EXPECT_LT(plan.planningBytes, capacity);
  EXPECT_GT(measured, 0);
}

TEST_F(VolumePlannerTest, AVolumeThatNeverFitsIsRefusedWithTheReason) {
  const std::uint64_t capacity = 1'000 * kSector;
  const VolumeSizer alwaysTooBig = [&](const dicomdir::PlannedVolume&) { return capacity + 1; };
  try {
    planVolumesFor(medium, input, {capacity, CapacitySource::Requested}, alwaysTooBig);
    FAIL() << "a plan whose volumes never fit was accepted";
  } catch (const RequestError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be fitted on a medium of 2048000 bytes"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(VolumePlannerTest, VolumesWithReencodedFilesKeepTheirUpperBound) {
  for (std::size_t i = 0; i < 10; ++i) input.items[i].transcoded = true;
  int measured = 0;
  const VolumeSizer sizer = [&](const dicomdir::PlannedVolume& v) {
    ++measured;
    return v.bytes / 2;
  };
  const StationPlan plan =
      planVolumesFor(medium, input, {10'000 * kSector, CapacitySource::Requested}, sizer);
  ASSERT_EQ(plan.plan.volumes.size(), 1u);
  EXPECT_FALSE(plan.sizes[0].exact);
  EXPECT_EQ(plan.sizes[0].bytes, plan.plan.volumes[0].bytes);
  EXPECT_EQ(measured, 0);
}

TEST_F(VolumePlannerTest, CapacityComesFromTheRequestThenDriveThenProfileThenMedium) {
  EXPECT_EQ(mediumCapacity(medium, {700'000'001, 4096, {}}).bytes, 700'000'001 / kSector * kSector);
  EXPECT_EQ(mediumCapacity(medium, {700'000'001, 4096, {}}).source, CapacitySource::Requested);
  EXPECT_EQ(mediumCapacity(medium, {{}, 5000, {}}).bytes, 4096u);
  EXPECT_EQ(mediumCapacity(medium, {{}, 5000, {}}).source, CapacitySource::Drive);
  medium.setting.capacity = 10'000;
  EXPECT_EQ(mediumCapacity(medium, {}).bytes, 8192u);
  EXPECT_EQ(mediumCapacity(medium, {}).source, CapacitySource::Profile);
  medium.setting.capacity.reset();
  EXPECT_EQ(mediumCapacity(medium, {}).bytes, medium.profile->defaultCapacity / kSector * kSector);
  EXPECT_EQ(mediumCapacity(medium, {}).source, CapacitySource::Medium);
  EXPECT_THROW(mediumCapacity(medium, {100, {}, {}}), RequestError);

  // A stick is sized when it is inserted: one volume holds everything.
  medium.profile = &dicomdir::mediaProfile(dicomdir::ApplicationProfile::StdGenUsbJpeg);
  const MediumCapacity stick = mediumCapacity(medium, {});
  EXPECT_EQ(stick.source, CapacitySource::Stick);
  EXPECT_FALSE(stick.bytes);
  const StationPlan plan = planVolumesFor(medium, input, stick,
                                          [](const dicomdir::PlannedVolume& v) { return v.bytes; });
  ASSERT_EQ(plan.plan.volumes.size(), 1u);
  EXPECT_EQ(plan.plan.volumes[0].items.size(), input.items.size());
  EXPECT_EQ(mediumCapacity(medium, {{}, {}, 1'000'000}).source, CapacitySource::Target);
}

TEST_F(VolumePlannerTest, ScratchHoldsTheReencodedUpperBoundsFileSetsAndEveryImage) {
  for (std::size_t i = 0; i < 10; ++i) {
    input.items[i].transcoded = true;
    input.items[i].bytes = 1'000'000;
  }
  const StationPlan plan =
      planVolumesFor(medium, input, {100'000 * kSector, CapacitySource::Requested},
                     [](const dicomdir::PlannedVolume& v) { return v.bytes; });
  const ScratchNeed withImages = scratchNeedFor(plan, input, medium, 3, true);
  EXPECT_GE(withImages.reencoded, 10'000'000u);
  EXPECT_GT(withImages.fileSets, 0u);
  EXPECT_EQ(withImages.images, 3 * plan.sizes[0].bytes);
  const ScratchNeed onDisc = scratchNeedFor(plan, input, medium, 3, false);
  EXPECT_EQ(onDisc.images, 0u);
  EXPECT_EQ(onDisc.total(), withImages.total() - withImages.images);
}

}  // namespace
}  // namespace burnstation::station
