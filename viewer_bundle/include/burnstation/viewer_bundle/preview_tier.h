// Preview tiers (a profile's `preview` setting): which JPEG renderings of every frame go on a
// medium. DESIGN.md in this module has the table; the viewer reads the same letters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burnstation::viewer_bundle {

enum class PreviewTier { None, Thumbnails, Light, Full };

const char* toString(PreviewTier tier);  // "none", "thumbnails", "light", "full"
std::optional<PreviewTier> parsePreviewTier(std::string_view text);

// How one rendering is windowed: the object's own window (its first Window Center/Width, else
// its VOI LUT, else min-max), or a fixed window in modality units.
struct PreviewWindow {
  std::string name;  // "Soft tissue", "Lung", "Bone"; empty: the object's own
  bool fixed = false;
  double center = 0;
  double width = 0;
};

// One rendering of every frame: the file prefix letter, the longer side in pixels (never
// upscaled) and its window.
struct PreviewSpec {
  char prefix = 'P';
  int size = 512;
  PreviewWindow window;
};

// The renderings a tier makes for an object of this modality, thumbnail ('T') first.
std::vector<PreviewSpec> previewSpecs(PreviewTier tier, std::string_view modality);

}  // namespace burnstation::viewer_bundle
