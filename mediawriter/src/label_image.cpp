// Disc label rendering (see label_image.h). A round face of 120 mm at 300 dpi: text sits in
// two blocks above and below the 41 mm hub, each line no wider than the disc's chord at its
// height, so nothing is printed outside the printable ring.
#include "burnstation/mediawriter/label_image.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <system_error>

#include "burnstation/mediawriter/media_error.h"
#include "burnstation/store/durable_file.h"
#include "burnstation/store/store_error.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

constexpr int kSize = 1417;         // 120 mm at 300 dpi
constexpr double kRadius = 690;     // printable outer edge, 1 mm inside the rim
constexpr double kHubRadius = 260;  // 44 mm: the hub and its clamping ring stay clear

struct SurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct LayoutFree {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
struct FontFree {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};

std::string isoDate(const std::string& da) {
  if (da.size() != 8) return da;
  return da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts{""};
  for (char c : text) {
    if (c == separator) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

class LabelPainter {
 public:
  explicit LabelPainter(cairo_t* cairo) : cairo_(cairo) {}

  // Draws one centred line from y down; returns the y below it.
  double line(const std::string& text, double y, double points, bool bold = false) {
    const std::unique_ptr<PangoLayout, LayoutFree> layout(pango_cairo_create_layout(cairo_));
    const std::unique_ptr<PangoFontDescription, FontFree> font(pango_font_description_new());
    pango_font_description_set_family(font.get(), "Noto Sans CJK JP,Noto Sans,DejaVu Sans,sans");
    pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(font.get(), points * PANGO_SCALE * 300 / 72);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    int width = 0, height = 0;
    pango_layout_get_pixel_size(layout.get(), &width, &height);
    // The chord at the line's edge farthest from the centre bounds its width.
    const double centre = kSize / 2.0;
    const double far = std::max(std::abs(y - centre), std::abs(y + height - centre));
    const double chord = far < kRadius ? 2 * std::sqrt(kRadius * kRadius - far * far) - 60 : 0;
    if (chord < 400) {  // too near the rim: leave the line out rather than cut it
      ++linesLeftOut_;
      return y;
    }
    pango_layout_set_width(layout.get(), static_cast<int>(chord * PANGO_SCALE));
    pango_layout_get_pixel_size(layout.get(), &width, &height);
    unknownGlyphs_ += pango_layout_get_unknown_glyphs_count(layout.get());
    cairo_move_to(cairo_, centre - chord / 2, y);
    pango_cairo_show_layout(cairo_, layout.get());
    return y + height * 1.15;
  }
  int unknownGlyphs() const { return unknownGlyphs_; }
  int linesLeftOut() const { return linesLeftOut_; }

 private:
  cairo_t* cairo_;
  int unknownGlyphs_ = 0;
  int linesLeftOut_ = 0;
};

}  // namespace

LabelFonts::~LabelFonts() {
#if defined(__SANITIZE_ADDRESS__)
  // fontconfig and pango keep their font caches for the process's life; handing them back
  // keeps LeakSanitizer's report to real leaks. Only in sanitizer builds: cairo's debug reset
  // asserts when anything still holds a font, and pango loads fonts on a thread of its own,
  // so a process that ends right after its first label (an error path) could abort at exit
  // (seen once in CI). Listing the families waits for that thread first. A normal process
  // leaves its caches to the end of the process, as every program does.
  PangoFontFamily** families = nullptr;
  int count = 0;
  pango_font_map_list_families(pango_cairo_font_map_get_default(), &families, &count);
  g_free(families);
  pango_cairo_font_map_set_default(nullptr);
  cairo_debug_reset_static_data();
  FcFini();
#endif
}

std::vector<std::string> displayNames(const std::string& personName) {
  std::vector<std::string> out;
  for (const std::string& group : split(personName, '=')) {
    std::vector<std::string> parts = split(group, '^');
    while (!parts.empty() && parts.back().empty()) parts.pop_back();
    if (parts.empty()) continue;
    const bool ascii = std::all_of(group.begin(), group.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    std::string given;
    for (std::size_t i = 1; i < parts.size() && i < 3; ++i) {
      if (!parts[i].empty()) given += (given.empty() ? "" : " ") + parts[i];
    }
    // Latin names as "FAMILY, Given"; ideographic and phonetic ones in their own order.
    if (ascii) {
      out.push_back(upper(parts[0]) + (given.empty() ? "" : ", " + given));
    } else {
      out.push_back(parts[0] + (given.empty() ? "" : " " + given));
    }
  }
  return out;
}

LabelRendering renderDiscLabel(const DiscLabel& label, const fs::path& png) {
  const std::unique_ptr<cairo_surface_t, SurfaceFree> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, kSize, kSize));
  const std::unique_ptr<cairo_t, CairoFree> cairo(cairo_create(surface.get()));
  cairo_t* c = cairo.get();
  cairo_set_source_rgb(c, 1, 1, 1);
  cairo_paint(c);
  // Guides for the printer operator: the disc's edge and the hub.
  cairo_set_source_rgb(c, 0.75, 0.75, 0.75);
  cairo_set_line_width(c, 3);
  cairo_arc(c, kSize / 2.0, kSize / 2.0, kRadius + 15, 0, 2 * M_PI);
  cairo_stroke(c);
  cairo_arc(c, kSize / 2.0, kSize / 2.0, kHubRadius - 40, 0, 2 * M_PI);
  cairo_stroke(c);
  cairo_set_source_rgb(c, 0, 0, 0);

  LabelPainter painter(c);
  // Above the hub: what the disc is and whose it is.
  double y = 120;
  y = painter.line(label.withViewer ? "DICOM PLUS WEB" : "DICOM ONLY", y, 12, true);
  const std::vector<std::string> names = displayNames(label.patientName);
  if (!names.empty()) y = painter.line(names.front(), y, 16, true);
  std::string otherNames;
  for (std::size_t i = 1; i < names.size(); ++i) otherNames += (i > 1 ? "   " : "") + names[i];
  if (!otherNames.empty()) y = painter.line(otherNames, y, 12, true);
  std::string facts = "ID " + label.patientId;
  if (!label.birthDate.empty()) facts += "   born " + isoDate(label.birthDate);
  if (!label.sex.empty()) facts += "   " + label.sex;
  painter.line(facts, y, 10);

  // Below the hub: what is on it, from where, and which disc of the set.
  LabelRendering result;
  result.width = kSize;
  result.height = kSize;
  y = kSize / 2.0 + kHubRadius + 20;
  // The disc's place in the set first: of everything below the hub it must never be dropped.
  std::string disc =
      "Disc " + std::to_string(label.volumeIndex) + " of " + std::to_string(label.volumeCount);
  if (label.copy > 1) disc += ", copy " + std::to_string(label.copy);
  y = painter.line(disc, y, 11, true);
  constexpr std::size_t kListed = 3;
  for (std::size_t i = 0; i < label.studies.size() && i < kListed; ++i) {
    const LabelStudy& s = label.studies[i];
    std::string text = isoDate(s.date);
    if (!s.modalities.empty()) text += "  " + s.modalities;
    if (!s.description.empty()) text += "  " + s.description;
    y = painter.line(text, y, 9);
  }
  if (label.studies.size() > kListed) {
    result.studiesNotListed = static_cast<int>(label.studies.size() - kListed);
    y = painter.line("+ " + std::to_string(result.studiesNotListed) +
                         (result.studiesNotListed == 1 ? " more study" : " more studies"),
                     y, 9);
  }
  if (!label.institution.empty()) y = painter.line(label.institution, y, 9);
  if (!label.stationName.empty()) painter.line(label.stationName, y, 7);
  result.linesLeftOut = painter.linesLeftOut();
  result.unknownGlyphs = painter.unknownGlyphs();

  cairo_surface_flush(surface.get());
  store::PendingFile pending(png);
  if (cairo_surface_write_to_png(surface.get(), pending.path().c_str()) != CAIRO_STATUS_SUCCESS) {
    throw MediaError(MediaError::Code::Io, "cannot write the label " + png.string());
  }
  try {
    pending.commit();
  } catch (const store::StoreError& e) {
    throw MediaError(MediaError::Code::Io,
                     "cannot write the label " + png.string() + ": " + e.what());
  }
  return result;
}

}  // namespace burnstation::mediawriter
