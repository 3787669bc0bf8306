// DCMTK's side of the previews: reads a stored instance once and writes JPEG renderings of
// its frames (dcmimage scaling and VOI, dcmjpeg's JPEG plugin). Private to viewer_bundle.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "burnstation/viewer_bundle/preview_tier.h"

class DcmFileFormat;

namespace burnstation::viewer_bundle {

// What the header says about an instance's pixels.
struct PixelHeader {
  bool hasPixels = false;    // an image a preview can be made of (no SR, PDF, video, ...)
  std::string unrenderable;  // why DCMTK cannot render its pixels (e.g. JPEG 2000); "" if it can
  std::string transferSyntax;
  int rows = 0;
  int columns = 0;
  int frames = 1;
  int samples = 1;
};

struct PreviewSize {
  int columns = 0;
  int rows = 0;
};

// The longer side becomes size, the aspect is kept, and nothing is upscaled.
PreviewSize previewSize(int columns, int rows, int size);

// One JPEG to write: a spec of the tier for one frame (1-based), written to file.
struct RenderOutput {
  PreviewSpec spec;
  int frame = 1;
  std::filesystem::path file;
};

class InstanceRenderer {
 public:
  // Reads the file's structure (large values stay on disk until used). Throws
  // PreviewError(Source) for a file DCMTK cannot parse.
  explicit InstanceRenderer(const std::filesystem::path& file);
  ~InstanceRenderer();
  InstanceRenderer(const InstanceRenderer&) = delete;
  InstanceRenderer& operator=(const InstanceRenderer&) = delete;

  const PixelHeader& header() const { return header_; }
  // Writes every output (the pixels are decoded once per frame, scaled once per size).
  // Throws PreviewError(Render) with DCMTK's reason; files already written stay for the
  // caller to discard.
  void render(const std::vector<RenderOutput>& outputs);

 private:
  std::filesystem::path file_;
  std::unique_ptr<DcmFileFormat> dicom_;
  PixelHeader header_;
};

// Registers the JPEG, JPEG-LS and RLE decoders once per process.
void registerPreviewDecoders();

}  // namespace burnstation::viewer_bundle
