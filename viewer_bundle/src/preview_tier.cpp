// The preview tiers' renderings (see preview_tier.h and DESIGN.md).
#include "burnstation/viewer_bundle/preview_tier.h"

namespace burnstation::viewer_bundle {

const char* toString(PreviewTier tier) {
  switch (tier) {
    case PreviewTier::None: return "none";
    case PreviewTier::Thumbnails: return "thumbnails";
    case PreviewTier::Light: return "light";
    case PreviewTier::Full: return "full";
  }
  return "none";
}

std::optional<PreviewTier> parsePreviewTier(std::string_view text) {
  for (PreviewTier t :
       {PreviewTier::None, PreviewTier::Thumbnails, PreviewTier::Light, PreviewTier::Full}) {
    if (text == toString(t)) return t;
  }
  return std::nullopt;
}

std::vector<PreviewSpec> previewSpecs(PreviewTier tier, std::string_view modality) {
  constexpr int kThumbnail = 128;
  std::vector<PreviewSpec> specs;
  if (tier == PreviewTier::None) return specs;
  specs.push_back({'T', kThumbnail, {}});
  if (tier == PreviewTier::Light) specs.push_back({'P', 256, {}});
  if (tier == PreviewTier::Full) {
    if (modality == "CT") {
      // The three windows a CT reader starts from; a rendering in the object's own window
      // would mostly repeat the soft-tissue one.
      specs.push_back({'P', 512, {"Soft tissue", true, 40, 400}});
      specs.push_back({'L', 512, {"Lung", true, -600, 1500}});
      specs.push_back({'B', 512, {"Bone", true, 400, 1800}});
    } else {
      specs.push_back({'P', 512, {}});
    }
  }
  return specs;
}

}  // namespace burnstation::viewer_bundle
