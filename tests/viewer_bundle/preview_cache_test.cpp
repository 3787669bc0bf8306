// PreviewCache: renderings checked with an independent JPEG reader (ffmpeg): sizes, windows in
// modality units, MONOCHROME1, multi-frame, colour, compressed sources, objects without
// pixels, errors that leave nothing behind, and lookup before and after rendering.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "burnstation/viewer_bundle/preview_cache.h"
#include "preview_test_data.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using namespace viewer_bundle;
using previewtest::decodeJpeg;

class PreviewCacheTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }

  PreviewSource sourceOf(const fs::path& file, const testdata::InstanceSpec& spec,
                         const std::string& modality) {
    return {file, spec.studyInstanceUid, spec.sopInstanceUid, modality};
  }
  // A factory instance of kind with the given size, UIDs filled in.
  std::pair<fs::path, testdata::InstanceSpec> make(testdata::Kind kind, int columns, int rows,
                                                   int frames = 1,
                                                   const std::string& ts = "1.2.840.10008.1.2.1",
                                                   int bits = 16) {
    testdata::InstanceSpec spec;
    spec.kind = kind;
    spec.columns = columns;
    spec.rows = rows;
    spec.frames = frames;
    spec.transferSyntax = ts;
    spec.bitsAllocated = bits;
    spec.studyInstanceUid = testdata::newUid();
    spec.sopInstanceUid = testdata::newUid();
    return {testdata::writeInstance(spec, dir.path() / "in"), spec};
  }
  // Files left in the instance's preview folders (none when it was never created).
  std::vector<fs::path> filesUnder(const fs::path& root) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file()) out.push_back(it->path());
    }
    return out;
  }
  const RenderedImage* find(const RenderedInstance& r, char prefix, int frame) {
    for (const auto& image : r.images)
      if (image.prefix == prefix && image.frame == frame) return &image;
    return nullptr;
  }
};

// A 600x600 CT: air (-1000 HU) on the left, +100 HU on the right. Each preset's brightness is
// what its window in Hounsfield units predicts (so the rescale intercept was applied), and
// the 512 px previews and the 128 px thumbnail have the right size.
TEST_F(PreviewCacheTest, CtPresetsWindowInHounsfieldUnits) {
  auto [file, spec] = make(testdata::Kind::CT, 600, 600);
  previewtest::setPixels16(file, 600, 600, 1, [](int x, int, int) {
    return static_cast<std::uint16_t>(x < 300 ? 24 : 1124);
  });
  PreviewCache cache(data());
  const RenderedInstance r = cache.ensure(sourceOf(file, spec, "CT"), PreviewTier::Full);
  ASSERT_EQ(r.images.size(), 4u);  // T, P, L, B

  const auto soft = decodeJpeg(find(r, 'P', 1)->file);
  const auto lung = decodeJpeg(find(r, 'L', 1)->file);
  const auto bone = decodeJpeg(find(r, 'B', 1)->file);
  const auto thumb = decodeJpeg(find(r, 'T', 1)->file);
  EXPECT_EQ(soft.width, 512);
  EXPECT_EQ(soft.height, 512);
  EXPECT_EQ(thumb.width, 128);
  EXPECT_EQ(thumb.height, 128);
  EXPECT_EQ(find(r, 'P', 1)->columns, 512);
  EXPECT_EQ(find(r, 'T', 1)->rows, 128);
  // PS3.3 C.11.2.1.2 linear window, 8-bit output; JPEG may move a few levels.
  const auto predicted = [](double hu, double c, double w) {
    const double y = ((hu - (c - 0.5)) / (w - 1) + 0.5) * 255;
    return std::clamp(y, 0.0, 255.0);
  };
  EXPECT_NEAR(soft.mean(0.1, 0.4, 0.1, 0.9), predicted(-1000, 40, 400), 4);     // black
  EXPECT_NEAR(soft.mean(0.6, 0.9, 0.1, 0.9), predicted(100, 40, 400), 4);       // ~166
  EXPECT_NEAR(lung.mean(0.1, 0.4, 0.1, 0.9), predicted(-1000, -600, 1500), 4);  // ~60
  EXPECT_NEAR(lung.mean(0.6, 0.9, 0.1, 0.9), predicted(100, -600, 1500), 4);    // ~246
  EXPECT_NEAR(bone.mean(0.1, 0.4, 0.1, 0.9), predicted(-1000, 400, 1800), 4);   // black
  EXPECT_NEAR(bone.mean(0.6, 0.9, 0.1, 0.9), predicted(100, 400, 1800), 4);     // ~85
  // Lung shows air brighter than soft tissue does; bone shows tissue darker.
  EXPECT_GT(lung.mean(0.1, 0.4, 0.1, 0.9), soft.mean(0.1, 0.4, 0.1, 0.9) + 40);
  EXPECT_LT(bone.mean(0.6, 0.9, 0.1, 0.9), soft.mean(0.6, 0.9, 0.1, 0.9) - 40);
  // The thumbnail is in the object's own window: min-max here.
  EXPECT_LT(thumb.mean(0.1, 0.4, 0.1, 0.9), 6);
  EXPECT_GT(thumb.mean(0.6, 0.9, 0.1, 0.9), 249);
  EXPECT_EQ(previewtest::pixelFormat(find(r, 'P', 1)->file), "gray");
}

// The object's own window: its first Window Center/Width, else min-max.
TEST_F(PreviewCacheTest, OwnWindowFirstThenMinMax) {
  auto [file, spec] = make(testdata::Kind::MR, 300, 200);
  const auto halves = [](int x, int, int) {
    return static_cast<std::uint16_t>(x < 150 ? 100 : 300);
  };
  previewtest::setPixels16(file, 300, 200, 1, halves,
                           {{DCM_WindowCenter, "300\\1000"}, {DCM_WindowWidth, "200\\10"}});
  PreviewCache cache(data());
  const RenderedInstance r = cache.ensure(sourceOf(file, spec, "MR"), PreviewTier::Light);
  ASSERT_EQ(r.images.size(), 2u);  // T, P
  const auto p = decodeJpeg(find(r, 'P', 1)->file);
  EXPECT_EQ(p.width, 256);  // the longer side
  EXPECT_EQ(p.height, 171);
  // 300/200: 100 is below the window, 300 is its centre.
  EXPECT_NEAR(p.mean(0.1, 0.4, 0.1, 0.9), 0, 4);
  EXPECT_NEAR(p.mean(0.6, 0.9, 0.1, 0.9), 128, 4);

  auto [plain, plainSpec] = make(testdata::Kind::MR, 64, 64);
  previewtest::setPixels16(plain, 64, 64, 1, [](int x, int, int) {
    return static_cast<std::uint16_t>(x < 32 ? 100 : 300);
  });
  const RenderedInstance m = cache.ensure(sourceOf(plain, plainSpec, "MR"), PreviewTier::Full);
  const auto mm = decodeJpeg(find(m, 'P', 1)->file);
  EXPECT_EQ(mm.width, 64);  // never upscaled
  EXPECT_NEAR(mm.mean(0.1, 0.4, 0.1, 0.9), 0, 4);
  EXPECT_NEAR(mm.mean(0.6, 0.9, 0.1, 0.9), 255, 4);
}

// MONOCHROME1: low values are white.
TEST_F(PreviewCacheTest, Monochrome1IsInverted) {
  auto [file, spec] = make(testdata::Kind::CR, 64, 64);
  previewtest::setPixels16(
      file, 64, 64, 1,
      [](int x, int, int) { return static_cast<std::uint16_t>(x < 32 ? 100 : 3000); },
      {{DCM_PhotometricInterpretation, "MONOCHROME1"}});
  PreviewCache cache(data());
  const RenderedInstance r = cache.ensure(sourceOf(file, spec, "CR"), PreviewTier::Light);
  const auto p = decodeJpeg(find(r, 'P', 1)->file);
  EXPECT_GT(p.mean(0.1, 0.4, 0.1, 0.9), 240);
  EXPECT_LT(p.mean(0.6, 0.9, 0.1, 0.9), 15);
}

// Every frame gets its own files, in frame order.
TEST_F(PreviewCacheTest, MultiFrameOneFilePerFrame) {
  auto [file, spec] = make(testdata::Kind::CT, 64, 64, 5);
  previewtest::setPixels16(file, 64, 64, 5, [](int, int, int f) {
    return static_cast<std::uint16_t>(1024 + f * 100);  // 0, 100, ... 400 HU
  });
  PreviewCache cache(data());
  const RenderedInstance r = cache.ensure(sourceOf(file, spec, "CT"), PreviewTier::Light);
  ASSERT_EQ(r.images.size(), 10u);
  double previous = -1;
  for (int f = 1; f <= 5; ++f) {
    ASSERT_NE(find(r, 'T', f), nullptr) << f;
    ASSERT_NE(find(r, 'P', f), nullptr) << f;
    EXPECT_EQ(find(r, 'P', f)->file.filename(), "P256_" + std::to_string(f) + ".jpg");
    const double mean = decodeJpeg(find(r, 'P', f)->file).mean(0.1, 0.9, 0.1, 0.9);
    if (f > 1) {
      EXPECT_GT(mean, previous + 30) << "frame " << f;  // min-max: 0 .. 255
    }
    previous = mean;
  }
  EXPECT_EQ(filesUnder(data() / "previews").size(), 10u);
}

// A long multi-frame object is decoded in batches (64 MB of frames at a time): frames on both
// sides of a batch boundary land in their own files, in order.
TEST_F(PreviewCacheTest, MultiFrameAcrossBatches) {
  constexpr int kFrames = 20;  // 1024x1024: 16 frames a batch
  auto [file, spec] = make(testdata::Kind::CT, 1024, 1024, kFrames);
  previewtest::setPixels16(file, 1024, 1024, kFrames, [](int, int, int f) {
    return static_cast<std::uint16_t>(1024 - 150 + f * 18);  // -150 .. 192 HU
  });
  PreviewCache cache(data());
  const std::vector<RenderedInstance> both =
      cache.ensure(sourceOf(file, spec, "CT"), {PreviewTier::Full, PreviewTier::Thumbnails});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].images.size(), 4u * kFrames);
  EXPECT_EQ(both[1].images.size(), 1u * kFrames);
  double previous = -1;
  for (int f : {1, 15, 16, 17, 18, 20}) {                    // around the boundary after frame 16
    const auto p = decodeJpeg(find(both[0], 'P', f)->file);  // soft tissue 40/400
    const double mean = p.mean(0.1, 0.9, 0.1, 0.9);
    const double predicted = ((-150 + (f - 1) * 18 - 39.5) / 399 + 0.5) * 255;
    EXPECT_NEAR(mean, predicted, 4) << "frame " << f;
    EXPECT_GT(mean, previous) << "frame " << f;
    previous = mean;
  }
}

// Colour stays colour, 4:4:4.
TEST_F(PreviewCacheTest, ColourImage) {
  auto [file, spec] = make(testdata::Kind::SecondaryCapture, 200, 100, 1, "1.2.840.10008.1.2.1", 8);
  previewtest::setRgbPixels(file, 200, 100, [](int x, int) {
    return x < 100 ? std::array<std::uint8_t, 3>{220, 20, 20}
                   : std::array<std::uint8_t, 3>{20, 20, 220};
  });
  PreviewCache cache(data());
  const RenderedInstance r = cache.ensure(sourceOf(file, spec, "OT"), PreviewTier::Full);
  ASSERT_EQ(r.images.size(), 2u);
  const fs::path p = find(r, 'P', 1)->file;
  EXPECT_EQ(previewtest::pixelFormat(p), "yuvj444p");
  const auto rgb = decodeJpeg(p, true);
  EXPECT_EQ(rgb.width, 200);
  EXPECT_EQ(rgb.height, 100);
  EXPECT_GT(rgb.mean(0.1, 0.4, 0.1, 0.9, 0), 180);  // red
  EXPECT_LT(rgb.mean(0.1, 0.4, 0.1, 0.9, 2), 60);
  EXPECT_GT(rgb.mean(0.6, 0.9, 0.1, 0.9, 2), 180);  // blue
  EXPECT_LT(rgb.mean(0.6, 0.9, 0.1, 0.9, 0), 60);
}

// Objects without images give nothing and leave no folder.
TEST_F(PreviewCacheTest, NoPixelsGiveNothing) {
  PreviewCache cache(data());
  for (const auto kind :
       {testdata::Kind::SR, testdata::Kind::EncapsulatedPDF, testdata::Kind::GSPS}) {
    auto [file, spec] = make(kind, 64, 64);
    const auto source = sourceOf(file, spec, "SR");
    EXPECT_TRUE(cache.ensure(source, PreviewTier::Full).images.empty());
    const auto found = cache.lookup(source, PreviewTier::Full);
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(found->images.empty());
    EXPECT_EQ(PreviewCache::estimatedBytes(source, PreviewTier::Full), 0u);
  }
  auto [video, videoSpec] =
      make(testdata::Kind::VideoEndoscopic, 64, 64, 1, "1.2.840.10008.1.2.4.102");
  EXPECT_TRUE(cache.ensure(sourceOf(video, videoSpec, "ES"), PreviewTier::Full).images.empty());
  EXPECT_TRUE(filesUnder(data()).empty());
}

// A JPEG baseline compressed instance is decoded and rendered.
TEST_F(PreviewCacheTest, JpegBaselineSourceRenders) {
  auto [file, spec] = make(testdata::Kind::MR, 128, 128, 1, "1.2.840.10008.1.2.4.50", 8);
  PreviewCache cache(data());
  const RenderedInstance r = cache.ensure(sourceOf(file, spec, "MR"), PreviewTier::Light);
  ASSERT_EQ(r.images.size(), 2u);
  const auto p = decodeJpeg(find(r, 'P', 1)->file);
  EXPECT_EQ(p.width, 128);
  // DCMTK's own dcmj2pnm, min-max window too, shows the same picture.
  const fs::path reference = dir.path() / "reference.pgm";
  ASSERT_EQ(harness::runCommand({"dcmj2pnm", "+Wm", file.string(), reference.string()}).exitCode,
            0);
  std::ifstream in(reference, std::ios::binary);
  const auto expected = previewtest::parsePnm(
      std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  ASSERT_EQ(expected.pixels.size(), p.pixels.size());
  double difference = 0;
  for (std::size_t i = 0; i < p.pixels.size(); ++i) {
    difference += std::abs(static_cast<unsigned char>(p.pixels[i]) -
                           static_cast<unsigned char>(expected.pixels[i]));
  }
  EXPECT_LT(difference / p.pixels.size(), 4.0);
  EXPECT_GT(p.mean(0, 1, 0, 1), 20);  // not a blank image
}

// What cannot be rendered is a Render error with a reason, and leaves no file behind.
TEST_F(PreviewCacheTest, UnrenderableLeavesNothing) {
  PreviewCache cache(data());
  auto [j2k, j2kSpec] = make(testdata::Kind::CT, 64, 64, 1, "1.2.840.10008.1.2.4.90");
  try {
    cache.ensure(sourceOf(j2k, j2kSpec, "CT"), PreviewTier::Full);
    ADD_FAILURE() << "JPEG 2000 rendered";
  } catch (const PreviewError& e) {
    EXPECT_EQ(e.code(), PreviewError::Code::Render);
    EXPECT_NE(std::string(e.what()).find("JPEG 2000"), std::string::npos) << e.what();
  }
  // JPEG baseline whose compressed stream is garbage after the first bytes.
  auto [bad, badSpec] = make(testdata::Kind::MR, 128, 128, 1, "1.2.840.10008.1.2.4.50", 8);
  {
    DcmFileFormat dicom;
    ASSERT_TRUE(dicom.loadFile(bad.c_str()).good());
    DcmElement* pixels = nullptr;
    ASSERT_TRUE(dicom.getDataset()->findAndGetElement(DCM_PixelData, pixels).good());
    DcmPixelSequence* sequence = nullptr;
    ASSERT_TRUE(static_cast<DcmPixelData*>(pixels)
                    ->getEncapsulatedRepresentation(EXS_JPEGProcess1, nullptr, sequence)
                    .good());
    DcmPixelItem* fragment = nullptr;
    ASSERT_TRUE(sequence->getItem(fragment, 1).good());
    Uint8* bytes = nullptr;
    ASSERT_TRUE(fragment->getUint8Array(bytes).good());
    for (Uint32 i = 20; i < fragment->getLength(); ++i) bytes[i] = static_cast<Uint8>(i * 7);
    ASSERT_TRUE(dicom.saveFile(bad.c_str(), EXS_JPEGProcess1).good());
  }
  const auto source = sourceOf(bad, badSpec, "MR");
  try {
    cache.ensure(source, PreviewTier::Full);
    ADD_FAILURE() << "a corrupt JPEG stream rendered";
  } catch (const PreviewError& e) {
    EXPECT_EQ(e.code(), PreviewError::Code::Render);
    EXPECT_GT(std::string(e.what()).size(), 10u);
  }
  EXPECT_TRUE(filesUnder(data() / "previews").empty());
  EXPECT_FALSE(cache.lookup(source, PreviewTier::Full).has_value());

  // A file that is not DICOM at all: a Source error.
  const fs::path junk = dir.path() / "junk.dcm";
  { std::ofstream(junk) << "not dicom"; }
  try {
    cache.ensure({junk, "1.2.3", "1.2.3.4", "CT"}, PreviewTier::Light);
    ADD_FAILURE() << "junk rendered";
  } catch (const PreviewError& e) {
    EXPECT_EQ(e.code(), PreviewError::Code::Source);
  }
}

// lookup() never renders; after ensure() it finds everything; ensure() again writes nothing.
TEST_F(PreviewCacheTest, LookupBeforeAndAfterEnsure) {
  auto [file, spec] = make(testdata::Kind::CT, 512, 512, 2);
  const auto source = sourceOf(file, spec, "CT");
  PreviewCache cache(data());
  EXPECT_FALSE(cache.lookup(source, PreviewTier::Full).has_value());
  EXPECT_TRUE(filesUnder(data()).empty());
  const std::uint64_t estimate = PreviewCache::estimatedBytes(source, PreviewTier::Full);

  const RenderedInstance rendered = cache.ensure(source, PreviewTier::Full);
  ASSERT_EQ(rendered.images.size(), 8u);
  const auto found = cache.lookup(source, PreviewTier::Full);
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->images.size(), 8u);
  std::uint64_t raw = 0;
  for (std::size_t i = 0; i < found->images.size(); ++i) {
    EXPECT_EQ(found->images[i].file, rendered.images[i].file);
    EXPECT_EQ(found->images[i].bytes, fs::file_size(found->images[i].file));
    raw += found->images[i].bytes;
  }
  EXPECT_EQ(found->bytes(), rendered.bytes());
  EXPECT_GE(found->bytes(), raw);
  EXPECT_EQ(found->bytes() % 2048, 0u);
  EXPECT_GE(estimate, found->bytes());  // the plan never falls short
  // Files are private, the folder is named by digests, not by UIDs.
  const fs::path p = found->images[1].file;
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(p.parent_path().filename().string().size(), 16u);
  EXPECT_EQ(p.parent_path().parent_path().parent_path(), data() / "previews");

  // Light needs P at 256 px: only those are new; the thumbnails stay as they were.
  const auto before = fs::last_write_time(found->images[0].file);
  EXPECT_TRUE(cache.lookup(source, PreviewTier::Thumbnails).has_value());
  EXPECT_FALSE(cache.lookup(source, PreviewTier::Light).has_value());
  const RenderedInstance light = cache.ensure(source, PreviewTier::Light);
  ASSERT_EQ(light.images.size(), 4u);
  EXPECT_EQ(light.images[0].file, found->images[0].file);  // T of frame 1
  EXPECT_EQ(fs::last_write_time(found->images[0].file), before);
  EXPECT_EQ(light.images[1].columns, 256);
  EXPECT_TRUE(cache.lookup(source, PreviewTier::Full).has_value());  // untouched
}

// The plan-time estimate of a 512x512 CT slice: a little above the 26/10/4 KB measured on real
// slices, in whole 2,048-byte sectors per file; every frame counts.
TEST_F(PreviewCacheTest, EstimateOfCtSlices) {
  auto [file, spec] = make(testdata::Kind::CT, 512, 512);
  const auto source = sourceOf(file, spec, "CT");
  EXPECT_EQ(PreviewCache::estimatedBytes(source, PreviewTier::Thumbnails), 6144u);
  EXPECT_EQ(PreviewCache::estimatedBytes(source, PreviewTier::Light), 6144u + 12288u);
  EXPECT_EQ(PreviewCache::estimatedBytes(source, PreviewTier::Full), 6144u + 3 * 28672u);
  EXPECT_EQ(PreviewCache::estimatedBytes(source, PreviewTier::None), 0u);
  auto [multi, multiSpec] = make(testdata::Kind::CT, 512, 512, 3);
  EXPECT_EQ(PreviewCache::estimatedBytes(sourceOf(multi, multiSpec, "CT"), PreviewTier::Light),
            3 * (6144u + 12288u));
}

TEST_F(PreviewCacheTest, RemovingStudies) {
  auto [a, aSpec] = make(testdata::Kind::CT, 64, 64);
  auto [b, bSpec] = make(testdata::Kind::CT, 64, 64);
  PreviewCache cache(data());
  cache.ensure(sourceOf(a, aSpec, "CT"), PreviewTier::Light);
  cache.ensure(sourceOf(b, bSpec, "CT"), PreviewTier::Light);
  EXPECT_EQ(
      cache.removeOtherStudies([&] { return std::vector<std::string>{bSpec.studyInstanceUid}; }),
      1);
  EXPECT_FALSE(cache.lookup(sourceOf(a, aSpec, "CT"), PreviewTier::Light).has_value());
  EXPECT_TRUE(cache.lookup(sourceOf(b, bSpec, "CT"), PreviewTier::Light).has_value());
  cache.removeStudy(bSpec.studyInstanceUid);
  EXPECT_TRUE(filesUnder(data() / "previews").empty());
}

}  // namespace
}  // namespace burnstation
