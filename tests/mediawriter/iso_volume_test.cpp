// ISO images of a volume: the predicted size is the written size, and xorriso (not ours)
// finds the PS3.12 names, the volume ID and intact MD5 records.
#include "burnstation/mediawriter/iso_volume.h"

#include <gtest/gtest.h>

#include <fstream>

#include "burnstation/mediawriter/media_error.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;

IsoVolumeContent sampleVolume(const fs::path& dir) {
  IsoVolumeContent content{"BSTEST000000_001", {}};
  std::ofstream(dir / "dicomdir.bin") << std::string(3000, 'D');
  content.files.push_back({"DICOMDIR", dir / "dicomdir.bin"});
  for (int i = 1; i <= 3; ++i) {
    testdata::InstanceSpec spec;
    spec.seed = static_cast<unsigned>(i);
    const fs::path f = testdata::writeInstance(spec, dir / "src");
    content.files.push_back({"DICOM/PA000001/ST000001/SE000001/IM00000" + std::to_string(i), f});
  }
  return content;
}

TEST(IsoVolume, PredictedSizeIsTheWrittenSize) {
  harness::TempDir dir;
  const IsoVolumeContent content = sampleVolume(dir.path());
  const std::uint64_t predicted = isoImageBytes(content);
  const fs::path image = dir.path() / "volume.iso";
  writeIsoImage(content, image);
  EXPECT_EQ(fs::file_size(image), predicted);
  EXPECT_EQ(predicted % 2048, 0u);
  EXPECT_FALSE(fs::exists(dir.path() / "volume.iso.part"));
}

TEST(IsoVolume, XorrisoReadsNamesVolumeIdAndMd5) {
  harness::TempDir dir;
  const IsoVolumeContent content = sampleVolume(dir.path());
  const fs::path image = dir.path() / "volume.iso";
  writeIsoImage(content, image);

  const auto md5 = harness::runCommand(
      {"xorriso", "-md5", "on", "-indev", image.string(), "-check_md5", "FAILURE", "--"});
  EXPECT_EQ(md5.exitCode, 0) << md5.out << md5.err;
  EXPECT_EQ((md5.out + md5.err).find("MISMATCH"), std::string::npos) << md5.out << md5.err;

  const auto pvd = harness::runCommand({"xorriso", "-indev", image.string(), "-pvd_info"});
  EXPECT_NE((pvd.out + pvd.err).find("BSTEST000000_001"), std::string::npos) << pvd.out << pvd.err;

  // The ECMA-119 tree itself, as isoinfo (genisoimage) lists it raw: PS3.12 F.1.2.1 names.
  const auto plain = harness::runCommand({"isoinfo", "-f", "-i", image.string()});
  const std::string listing = plain.out + plain.err;
  EXPECT_NE(listing.find("/DICOMDIR.;1"), std::string::npos) << listing;
  EXPECT_NE(listing.find("/DICOM/PA000001/ST000001/SE000001/IM000001.;1"), std::string::npos)
      << listing;

  // Extracted back, the files are the same bytes.
  const fs::path back = dir.path() / "back";
  const auto extract = harness::runCommand(
      {"xorriso", "-osirrox", "on", "-indev", image.string(), "-extract", "/", back.string()});
  ASSERT_EQ(extract.exitCode, 0) << extract.err;
  auto bytes = [](const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  for (const IsoFile& f : content.files) {
    EXPECT_TRUE(bytes(back / f.mediumPath) == bytes(f.source)) << f.mediumPath;
  }
}

TEST(IsoVolume, AMissingSourceIsAClearError) {
  harness::TempDir dir;
  IsoVolumeContent content{"BSTEST000000_001", {{"DICOMDIR", dir.path() / "absent"}}};
  try {
    isoImageBytes(content);
    FAIL() << "an absent file was accepted";
  } catch (const MediaError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot add DICOMDIR"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace burnstation::mediawriter
