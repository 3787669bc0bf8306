// Disc labels: a real PNG of the disc face, CJK names drawn with real glyphs (no tofu), the
// data on it changing the pixels, long study lists summarised, failures leaving nothing.
#include "burnstation/mediawriter/label_image.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "burnstation/mediawriter/media_error.h"
#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;

// The font caches go back before LeakSanitizer looks, as the burnstation executable does.
class LabelFontsEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { fonts_.reset(); }

 private:
  std::unique_ptr<LabelFonts> fonts_ = std::make_unique<LabelFonts>();
};
const auto* const kFonts = ::testing::AddGlobalTestEnvironment(new LabelFontsEnvironment);

DiscLabel sample(const std::string& name) {
  DiscLabel label;
  label.patientName = name;
  label.patientId = "PID-0042";
  label.birthDate = "19700102";
  label.sex = "F";
  label.institution = "General Hospital";
  label.studies = {{"20261101", "CT CHEST", "CT"}, {"20261102", "MR BRAIN", "MR"}};
  label.volumeIndex = 2;
  label.volumeCount = 3;
  label.stationName = "BURNSTATION";
  return label;
}

// Dark pixels of the PNG read back by cairo, or -1 when it is not a PNG of the label size.
long darkPixels(const fs::path& png, int& width, int& height) {
  cairo_surface_t* image = cairo_image_surface_create_from_png(png.c_str());
  if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(image);
    return -1;
  }
  width = cairo_image_surface_get_width(image);
  height = cairo_image_surface_get_height(image);
  const int stride = cairo_image_surface_get_stride(image);
  const unsigned char* data = cairo_image_surface_get_data(image);
  long dark = 0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const unsigned char* p = data + y * stride + x * 4;
      if (p[0] < 80 && p[1] < 80 && p[2] < 80) ++dark;
    }
  }
  cairo_surface_destroy(image);
  return dark;
}

std::string bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(DiscLabel, NamesAreShownAsPeopleReadThem) {
  EXPECT_EQ(displayNames("Doe^Jane^M"), (std::vector<std::string>{"DOE, Jane M"}));
  EXPECT_EQ(displayNames("Yamada^Tarou=山田^太郎=やまだ^たろう"),
            (std::vector<std::string>{"YAMADA, Tarou", "山田 太郎", "やまだ たろう"}));
  EXPECT_EQ(displayNames("=洪^吉洞"), (std::vector<std::string>{"洪 吉洞"}));
  EXPECT_TRUE(displayNames("").empty());
}

TEST(DiscLabel, RendersAPrintablePngWithCjkGlyphs) {
  harness::TempDir dir;
  for (const std::string name : {"Doe^Jane", "Yamada^Tarou=山田^太郎=やまだ^たろう",
                                 "Hong^Gildong=洪^吉洞=홍^길동", "Wang^Xiaoming=王^小明"}) {
    const fs::path png = dir.path() / "label.png";
    const LabelRendering r = renderDiscLabel(sample(name), png);
    EXPECT_EQ(r.unknownGlyphs, 0) << name << ": a font for these characters is missing";
    int width = 0, height = 0;
    const long dark = darkPixels(png, width, height);
    EXPECT_EQ(width, r.width);
    EXPECT_EQ(height, r.height);
    EXPECT_GE(width, 1400);  // 120 mm at 300 dpi
    EXPECT_GT(dark, 5000) << name << ": the label is blank";
  }
}

TEST(DiscLabel, TheDataOnTheLabelChangesItsPixels) {
  harness::TempDir dir;
  renderDiscLabel(sample("Doe^Jane"), dir.path() / "a.png");
  DiscLabel other = sample("Doe^Jane");
  other.patientId = "PID-0043";
  renderDiscLabel(other, dir.path() / "b.png");
  renderDiscLabel(sample("Doe^Jane"), dir.path() / "c.png");
  EXPECT_NE(bytes(dir.path() / "a.png"), bytes(dir.path() / "b.png"));
  EXPECT_EQ(bytes(dir.path() / "a.png"), bytes(dir.path() / "c.png"));  // deterministic
  other = sample("Doe^Jane");
  other.withViewer = false;
  renderDiscLabel(other, dir.path() / "d.png");
  EXPECT_NE(bytes(dir.path() / "a.png"), bytes(dir.path() / "d.png"));
}

TEST(DiscLabel, ManyStudiesAreSummarisedAndLongTextStaysOnTheDisc) {
  harness::TempDir dir;
  DiscLabel label = sample("Doe^Jane");
  label.studies.clear();
  for (int i = 0; i < 40; ++i) {
    label.studies.push_back(
        {"20260101", "A VERY LONG STUDY DESCRIPTION THAT GOES ON AND ON " + std::string(80, 'X'),
         "CT"});
  }
  const fs::path png = dir.path() / "many.png";
  const LabelRendering r = renderDiscLabel(label, png);
  EXPECT_EQ(r.studiesNotListed, 37);
  // Whatever else is left out, which disc of the set this is stays on the label.
  DiscLabel first = label;
  first.volumeIndex = 1;
  renderDiscLabel(first, dir.path() / "first.png");
  EXPECT_NE(bytes(png), bytes(dir.path() / "first.png"));
  // Nothing outside the disc: the corners of the square image stay white.
  cairo_surface_t* image = cairo_image_surface_create_from_png(png.c_str());
  ASSERT_EQ(cairo_surface_status(image), CAIRO_STATUS_SUCCESS);
  const int stride = cairo_image_surface_get_stride(image);
  const unsigned char* data = cairo_image_surface_get_data(image);
  long outside = 0;
  const double centre = r.width / 2.0;
  for (int y = 0; y < r.height; ++y) {
    for (int x = 0; x < r.width; ++x) {
      const double dx = x - centre, dy = y - centre;
      if (dx * dx + dy * dy < 712.0 * 712.0) continue;
      const unsigned char* p = data + y * stride + x * 4;
      if (p[0] < 128) ++outside;
    }
  }
  cairo_surface_destroy(image);
  EXPECT_EQ(outside, 0);
}

TEST(DiscLabel, AnUnwritablePlaceIsAClearErrorAndLeavesNothing) {
  harness::TempDir dir;
  const fs::path png = dir.path() / "missing" / "label.png";
  EXPECT_THROW(renderDiscLabel(sample("Doe^Jane"), png), MediaError);
  EXPECT_FALSE(fs::exists(dir.path() / "missing"));
}

}  // namespace
}  // namespace burnstation::mediawriter
