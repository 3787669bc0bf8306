// Rendered previews kept with the store (<data_dir>/previews), so that a burn only copies
// them: rendered in the background once a study has gone quiet, or by the burn that finds
// them missing. Files are named by hashes of the UIDs, never by received values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "burnstation/viewer_bundle/preview_tier.h"

namespace burnstation::viewer_bundle {

class PreviewError : public std::runtime_error {
 public:
  enum class Code { Source, Render, Storage };
  PreviewError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

// One stored instance, as the cache needs it.
struct PreviewSource {
  std::filesystem::path file;  // the stored DICOM file
  std::string studyUid;
  std::string sopInstanceUid;
  std::string modality;
};

struct RenderedImage {
  char prefix = 'P';
  int frame = 1;  // 1-based
  std::filesystem::path file;
  std::uint64_t bytes = 0;
  int columns = 0;
  int rows = 0;
};

// Every rendering of every frame of one instance for one tier (empty for objects without
// pixels: SR, PDF, video, presentation states, ...).
struct RenderedInstance {
  std::vector<RenderedImage> images;
  // Bytes on a medium: each file takes whole 2,048-byte sectors (images[i].bytes is the size
  // of the file itself).
  std::uint64_t bytes() const;
};

class PreviewCache {
 public:
  explicit PreviewCache(std::filesystem::path dataDir);

  // What is already rendered, without rendering: nullopt when any image of the tier is missing.
  std::optional<RenderedInstance> lookup(const PreviewSource& source, PreviewTier tier) const;
  // Renders what is missing (durably: temporary file, fsync, rename) and returns all of it.
  // Throws PreviewError; an object that has no pixels gives an empty result, not an error.
  RenderedInstance ensure(const PreviewSource& source, PreviewTier tier);
  // The same for several tiers at once, decoding the pixels once: one result per tier.
  std::vector<RenderedInstance> ensure(const PreviewSource& source,
                                       const std::vector<PreviewTier>& tiers);
  // An estimate of the bytes ensure() would add on a medium (whole sectors per file, like
  // RenderedInstance::bytes()), for planning before rendering; slightly above what CT
  // slices measure. Reads the header only. Throws PreviewError(Source).
  static std::uint64_t estimatedBytes(const PreviewSource& source, PreviewTier tier);
  // Removes the previews of a study (when its instances leave the store).
  void removeStudy(const std::string& studyUid);
  // Removes the previews of every study the store no longer holds. The folders are listed
  // first and storedStudyUids() asked afterwards, so a study stored and rendered in between
  // keeps its previews. Returns how many studies' previews were removed.
  int removeOtherStudies(const std::function<std::vector<std::string>()>& storedStudyUids);

 private:
  std::filesystem::path studyFolder(const std::string& studyUid) const;
  std::filesystem::path instanceFolder(const PreviewSource& source) const;

  std::filesystem::path root_;
};

}  // namespace burnstation::viewer_bundle
