// Rendering previews with DCMTK (see preview_renderer.h). The file is parsed once; frames are
// decoded in batches that bound memory, each batch is scaled once per preview size, and each
// rendering only changes the VOI before the JPEG plugin writes it.
#include "preview_renderer.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimage/diregist.h>  // colour images: without it they fail to load (FIELD-GUIDE §3)
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/dipijpeg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <set>

#include "burnstation/store/file_modes.h"
#include "burnstation/viewer_bundle/preview_cache.h"

namespace burnstation::viewer_bundle {

namespace fs = std::filesystem;

namespace {

constexpr int kJpegQuality = 85;
// Decoded frames held at once (the modality-transformed data DCMTK keeps per frame is up to
// 4 bytes a sample); a long multi-frame object is rendered in batches of this size.
constexpr std::uint64_t kBatchBytes = 64ull << 20;
// A frame larger than this is refused rather than tried (DCMTK would allocate it whole).
constexpr std::uint64_t kMaxFramePixels = 1ull << 27;

// Video: the stream is the content, there are no images to preview.
bool isVideoSyntax(const std::string& ts) {
  static const std::set<std::string> video = {
      "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102",
      "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105",
      "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108"};
  return video.count(ts) > 0;
}

std::string unrenderableReason(const std::string& ts) {
  static const std::set<std::string> j2k = {"1.2.840.10008.1.2.4.90",  "1.2.840.10008.1.2.4.91",
                                            "1.2.840.10008.1.2.4.92",  "1.2.840.10008.1.2.4.93",
                                            "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202",
                                            "1.2.840.10008.1.2.4.203"};
  if (j2k.count(ts)) {
    return "its pixels are JPEG 2000 compressed (" + ts +
           "), which this station cannot decode (DCMTK has no JPEG 2000 decoder)";
  }
  if (ts == "1.2.840.10008.1.2.4.94" || ts == "1.2.840.10008.1.2.4.95") {
    return "its pixels are not in the file but referenced through JPIP (" + ts + ")";
  }
  return "";
}

int intValue(DcmItem& item, const DcmTagKey& tag, int fallback) {
  Uint16 value = 0;
  if (item.findAndGetUint16(tag, value).good()) return value;
  return fallback;
}

// The object's own window, found once on the unscaled image and applied to every size.
struct OwnVoi {
  enum class Kind { Window, Lut, None } kind = Kind::None;
  double center = 0;
  double width = 0;
};

OwnVoi findOwnVoi(DicomImage& image) {
  OwnVoi voi;
  double center = 0;
  double width = 0;
  if (image.getWindowCount() > 0 && image.setWindow(0) && image.getWindow(center, width)) {
    return {OwnVoi::Kind::Window, center, width};
  }
  if (image.getVoiLutCount() > 0 && image.setVoiLut(0)) {
    voi.kind = OwnVoi::Kind::Lut;
    return voi;
  }
  if (image.setMinMaxWindow(0) && image.getWindow(center, width)) {
    return {OwnVoi::Kind::Window, center, width};
  }
  return voi;
}

void applyWindow(DicomImage& image, const PreviewWindow& window, const OwnVoi& own) {
  if (!image.isMonochrome()) return;
  if (window.fixed) {
    image.setWindow(window.center, window.width);
  } else if (own.kind == OwnVoi::Kind::Window) {
    image.setWindow(own.center, own.width);
  } else if (own.kind == OwnVoi::Kind::Lut) {
    image.setVoiLut(0);
  }
}

std::string statusText(const DicomImage& image) {
  return DicomImage::getString(image.getStatus());
}

void writeJpeg(DicomImage& image, unsigned long frameInBatch, const fs::path& file) {
  // O_EXCL: the caller holds the instance's lock and removed leftovers, so nothing is there.
  const int fd =
      ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, store::kPrivateFileMode);
  if (fd < 0) {
    throw PreviewError(PreviewError::Code::Storage,
                       "cannot create " + file.string() + ": " + std::strerror(errno));
  }
  std::FILE* out = ::fdopen(fd, "wb");
  if (!out) {
    ::close(fd);
    throw PreviewError(PreviewError::Code::Storage,
                       "cannot open " + file.string() + ": " + std::strerror(errno));
  }
  DiJPEGPlugin plugin;
  plugin.setQuality(kJpegQuality);
  plugin.setSampling(ESS_444);
  const int written = image.writePluginFormat(&plugin, out, frameInBatch);
  const bool streamError = std::ferror(out) != 0;
  const int closed = std::fclose(out);
  if (!written) {
    throw PreviewError(PreviewError::Code::Render,
                       "DCMTK could not render the image (" + statusText(image) + ")");
  }
  if (streamError || closed != 0) {
    throw PreviewError(PreviewError::Code::Storage, "cannot write " + file.string());
  }
}

}  // namespace

void registerPreviewDecoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs(EDC_photometricInterpretation);
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

PreviewSize previewSize(int columns, int rows, int size) {
  if (columns <= 0 || rows <= 0 || size <= 0) return {};
  const int longer = std::max(columns, rows);
  if (longer <= size) return {columns, rows};
  const double factor = static_cast<double>(size) / longer;
  return {std::max(1, static_cast<int>(std::lround(columns * factor))),
          std::max(1, static_cast<int>(std::lround(rows * factor)))};
}

InstanceRenderer::InstanceRenderer(const fs::path& file)
    : file_(file), dicom_(std::make_unique<DcmFileFormat>()) {
  registerPreviewDecoders();
  // Values above 4 KB (pixel data) stay on disk until DCMTK decodes a frame.
  const OFCondition loaded =
      dicom_->loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_autoDetect);
  if (loaded.bad()) {
    throw PreviewError(PreviewError::Code::Source,
                       "cannot read " + file.string() + ": " + loaded.text());
  }
  DcmDataset& ds = *dicom_->getDataset();
  OFString ts;
  if (dicom_->getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts).bad() || ts.empty()) {
    ts = DcmXfer(ds.getOriginalXfer()).getXferID();
  }
  header_.transferSyntax = ts.c_str();
  header_.hasPixels = ds.tagExists(DCM_PixelData) && !isVideoSyntax(header_.transferSyntax);
  header_.unrenderable = unrenderableReason(header_.transferSyntax);
  header_.rows = intValue(ds, DCM_Rows, 0);
  header_.columns = intValue(ds, DCM_Columns, 0);
  header_.samples = intValue(ds, DCM_SamplesPerPixel, 1);
  Sint32 frames = 1;
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 1) {
    header_.frames = frames;
  }
}

InstanceRenderer::~InstanceRenderer() = default;

void InstanceRenderer::render(const std::vector<RenderOutput>& outputs) {
  if (outputs.empty()) return;
  if (!header_.hasPixels) {
    throw PreviewError(PreviewError::Code::Render, "the object has no image pixels");
  }
  if (!header_.unrenderable.empty()) {
    throw PreviewError(PreviewError::Code::Render, header_.unrenderable);
  }
  const std::uint64_t framePixels =
      static_cast<std::uint64_t>(header_.rows) * static_cast<std::uint64_t>(header_.columns);
  if (framePixels == 0) {
    throw PreviewError(PreviewError::Code::Render, "the image has no rows or columns");
  }
  if (framePixels > kMaxFramePixels) {
    throw PreviewError(PreviewError::Code::Render, "its frames are too large to preview (" +
                                                       std::to_string(header_.columns) + " x " +
                                                       std::to_string(header_.rows) + ")");
  }
  // Frame (1-based) -> outputs, and the sizes they need.
  std::map<int, std::vector<const RenderOutput*>> byFrame;
  for (const RenderOutput& o : outputs) byFrame[o.frame].push_back(&o);
  const int first = byFrame.begin()->first;
  const int last = byFrame.rbegin()->first;
  const std::uint64_t frameBytes = framePixels * 4 * std::max(1, header_.samples);
  const unsigned long batch = static_cast<unsigned long>(
      std::clamp<std::uint64_t>(kBatchBytes / frameBytes, 1, static_cast<std::uint64_t>(last)));

  try {
    DcmDataset* ds = dicom_->getDataset();
    DicomImage image(dicom_.get(), ds->getOriginalXfer(), CIF_UsePartialAccessToPixelData,
                     static_cast<unsigned long>(first - 1), batch);
    if (image.getStatus() != EIS_Normal) {
      throw PreviewError(PreviewError::Code::Render,
                         "DCMTK cannot render the image (" + statusText(image) + ")");
    }
    const OwnVoi own = image.isMonochrome() ? findOwnVoi(image) : OwnVoi{};
    const auto columns = static_cast<int>(image.getWidth());
    const auto rows = static_cast<int>(image.getHeight());
    for (;;) {
      const int batchFirst = static_cast<int>(image.getFirstFrame()) + 1;
      const int batchCount = static_cast<int>(image.getFrameCount());
      // One scaled copy per preview size in this batch; the unscaled image serves the rest.
      std::map<std::pair<int, int>, std::unique_ptr<DicomImage>> scaled;
      for (int f = batchFirst; f < batchFirst + batchCount; ++f) {
        const auto at = byFrame.find(f);
        if (at == byFrame.end()) continue;
        for (const RenderOutput* o : at->second) {
          const PreviewSize size = previewSize(columns, rows, o->spec.size);
          DicomImage* target = &image;
          if (size.columns != columns || size.rows != rows) {
            auto& copy = scaled[{size.columns, size.rows}];
            if (!copy) {
              copy.reset(image.createScaledImage(static_cast<unsigned long>(size.columns),
                                                 static_cast<unsigned long>(size.rows), 1, 0));
              if (!copy || copy->getStatus() != EIS_Normal) {
                throw PreviewError(PreviewError::Code::Render,
                                   "DCMTK could not scale the image to " +
                                       std::to_string(size.columns) + " x " +
                                       std::to_string(size.rows));
              }
            }
            target = copy.get();
          }
          applyWindow(*target, o->spec.window, own);
          writeJpeg(*target, static_cast<unsigned long>(f - batchFirst), o->file);
        }
      }
      if (batchFirst + batchCount > last) break;
      scaled.clear();
      if (!image.processNextFrames(batch) || image.getStatus() != EIS_Normal) {
        throw PreviewError(PreviewError::Code::Render, "DCMTK could not decode frame " +
                                                           std::to_string(batchFirst + batchCount) +
                                                           " (" + statusText(image) + ")");
      }
    }
  } catch (const std::bad_alloc&) {
    throw PreviewError(PreviewError::Code::Render, "not enough memory to render the image");
  }
}

}  // namespace burnstation::viewer_bundle
