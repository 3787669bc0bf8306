// An image file is either complete and on the disk or not there at all: a progress callback
// that throws, a cancel and a full disk each leave no image and no partial one behind.
#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/mediawriter/media_error.h"
#include "small_filesystem.h"
#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;

// Big enough (9 MB) that the writer reports progress at 4 and 8 MiB.
IsoVolumeContent largeVolume(const fs::path& sources) {
  fs::create_directories(sources);
  std::ofstream(sources / "dicomdir.bin", std::ios::binary) << std::string(3000, 'D');
  std::ofstream(sources / "big.bin", std::ios::binary) << std::string(9 << 20, 'x');
  return {"BSTEST000000_001",
          {{"DICOMDIR", sources / "dicomdir.bin"},
           {"DICOM/PA000001/ST000001/SE000001/IM000001", sources / "big.bin"}}};
}

// Everything in folder, so a left-over under any name is seen.
std::vector<std::string> namesIn(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

TEST(IsoImageCleanup, AProgressCallbackThatThrowsLeavesNoPartialImage) {
  harness::TempDir dir;
  const IsoVolumeContent content = largeVolume(dir.path() / "src");
  const fs::path images = dir.path() / "images";
  fs::create_directories(images);
  int calls = 0;
  EXPECT_THROW(writeIsoImage(content, images / "1-1of1-1.iso",
                             [&](std::uint64_t, std::uint64_t) -> bool {
                               ++calls;
                               throw std::runtime_error("the job queue is gone");
                             }),
               std::runtime_error);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(namesIn(images).empty()) << namesIn(images).front();
}

TEST(IsoImageCleanup, ACancelledWriteLeavesNoImage) {
  harness::TempDir dir;
  const IsoVolumeContent content = largeVolume(dir.path() / "src");
  const fs::path images = dir.path() / "images";
  fs::create_directories(images);
  try {
    writeIsoImage(content, images / "1-1of1-1.iso",
                  [](std::uint64_t, std::uint64_t) { return false; });
    FAIL() << "a cancelled write returned";
  } catch (const MediaError& e) {
    EXPECT_EQ(e.code(), MediaError::Code::Cancelled) << e.what();
  }
  EXPECT_TRUE(namesIn(images).empty()) << namesIn(images).front();
}

TEST(IsoImageCleanup, AFullDiskIsAClearErrorAndLeavesNoPartialImage) {
  harness::TempDir dir;
  const IsoVolumeContent content = largeVolume(dir.path() / "src");
  const harness::SmallFilesystem small(dir.path() / "small", "2m");
  try {
    writeIsoImage(content, small.path() / "1-1of1-1.iso");
    FAIL() << "9 MB were written into 2 MB";
  } catch (const MediaError& e) {
    EXPECT_EQ(e.code(), MediaError::Code::Io) << e.what();
    EXPECT_NE(std::string(e.what()).find("1-1of1-1.iso"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(namesIn(small.path()).empty()) << namesIn(small.path()).front();
}

// What a crash left under the working name is not mistaken for part of the new image.
TEST(IsoImageCleanup, APartialImageFromAnEarlierRunIsReplaced) {
  harness::TempDir dir;
  const IsoVolumeContent content = largeVolume(dir.path() / "src");
  const fs::path image = dir.path() / "volume.iso";
  std::ofstream(image.string() + ".part", std::ios::binary) << std::string(20 << 20, 'J');
  writeIsoImage(content, image);
  EXPECT_EQ(fs::file_size(image), isoImageBytes(content));
  EXPECT_FALSE(fs::exists(image.string() + ".part"));
}

}  // namespace
}  // namespace burnstation::mediawriter
