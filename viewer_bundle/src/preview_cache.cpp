// The preview cache (see preview_cache.h): <data_dir>/previews/<study>/<instance>/
// <prefix><size>_<frame>.jpg, the folder names being XXH64 digests of the UIDs. An instance's
// folder is locked (flock) while it is rendered, so the service and a burn or export never write
// the same files; its new files are written as .part, flushed, renamed, and the folder flushed
// once.
#include "burnstation/viewer_bundle/preview_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <system_error>

#include "burnstation/store/durable_file.h"
#include "burnstation/store/file_modes.h"
#include "burnstation/store/store_error.h"
#include "preview_renderer.h"

namespace burnstation::viewer_bundle {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSector = 2048;
constexpr const char* kPartSuffix = ".part";

std::uint64_t sectors(std::uint64_t bytes) {
  return (bytes + kSector - 1) / kSector * kSector;
}

std::string digest(const std::string& uid) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH64(uid.data(), uid.size(), 0)));
  return hex;
}

// The size is in the name because tiers share letters: P is 512 px in full, 256 px in light.
std::string imageName(const PreviewSpec& spec, int frame) {
  return std::string(1, spec.prefix) + std::to_string(spec.size) + "_" + std::to_string(frame) +
         ".jpg";
}

// Creates dir (and its parents below root) private, flushing each new entry's parent.
void makeDirectory(const fs::path& dir) {
  if (fs::is_directory(dir)) return;
  makeDirectory(dir.parent_path());
  std::error_code ec;
  if (!fs::create_directory(dir, ec) && ec) {
    throw PreviewError(PreviewError::Code::Storage,
                       "cannot create " + dir.string() + ": " + ec.message());
  }
  store::makePrivate(dir);
  store::fsyncDirectory(dir.parent_path());
}

// flock on the instance folder: one renderer at a time, across processes.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      const int error = errno;
      if (fd_ >= 0) ::close(fd_);
      throw PreviewError(PreviewError::Code::Storage,
                         "cannot lock " + dir.string() + ": " + std::strerror(error));
    }
  }
  ~FolderLock() { ::close(fd_); }  // releases the lock
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_;
};

// The new files of one instance: removed unless all of them were committed.
class PartFiles {
 public:
  explicit PartFiles(fs::path dir) : dir_(std::move(dir)) {}
  ~PartFiles() {
    if (committed_) return;
    std::error_code ignored;
    for (const auto& [part, target] : files_) fs::remove(part, ignored);
  }
  PartFiles(const PartFiles&) = delete;
  PartFiles& operator=(const PartFiles&) = delete;

  fs::path add(const fs::path& target) {
    files_.emplace_back(target.string() + kPartSuffix, target);
    return files_.back().first;
  }
  // Each file flushed, then renamed, then the folder flushed once: an fsync costs a few
  // milliseconds here, and a folder of four previews would otherwise pay for eight.
  void commit() {
    for (const auto& [part, target] : files_) store::fsyncFile(part);
    for (const auto& [part, target] : files_) {
      if (::rename(part.c_str(), target.c_str()) != 0) {
        throw PreviewError(PreviewError::Code::Storage,
                           "cannot move " + part.string() + ": " + std::strerror(errno));
      }
    }
    if (!files_.empty()) store::fsyncDirectory(dir_);
    committed_ = true;
  }

 private:
  fs::path dir_;
  std::vector<std::pair<fs::path, fs::path>> files_;
  bool committed_ = false;
};

struct Planned {
  PreviewSpec spec;
  int frame;
  fs::path file;
  PreviewSize size;
};

// Every image the tier makes of this instance, in spec order per frame.
std::vector<Planned> plannedImages(const PixelHeader& header, const std::vector<PreviewSpec>& specs,
                                   const fs::path& dir) {
  std::vector<Planned> planned;
  for (int frame = 1; frame <= header.frames; ++frame) {
    for (const PreviewSpec& spec : specs) {
      planned.push_back({spec, frame, dir / imageName(spec, frame),
                         previewSize(header.columns, header.rows, spec.size)});
    }
  }
  return planned;
}

RenderedImage renderedFrom(const Planned& p, std::uint64_t bytes) {
  RenderedImage image;
  image.prefix = p.spec.prefix;
  image.frame = p.frame;
  image.file = p.file;
  image.bytes = bytes;
  image.columns = p.size.columns;
  image.rows = p.size.rows;
  return image;
}

// A plan-time estimate of one JPEG of a preview size, from the sizes measured on real CT
// slices at quality 85 (512 px about 26 KB, 256 px about 10 KB, 128 px about 4 KB): bytes grow
// with the pixel count to the power 0.675, plus 8% so the plan errs on the safe side (with
// whole sectors per file: 28 KB, 12 KB and 6 KB); colour takes about twice as much.
std::uint64_t estimatedJpegBytes(PreviewSize size, int samples) {
  const double pixels = static_cast<double>(size.columns) * size.rows;
  double bytes = 26000.0 * 1.08 * std::pow(pixels / (512.0 * 512.0), 0.675);
  if (samples > 1) bytes *= 2.0;
  return static_cast<std::uint64_t>(std::ceil(bytes)) + 1;
}

}  // namespace

std::uint64_t RenderedInstance::bytes() const {
  std::uint64_t total = 0;
  for (const RenderedImage& image : images) total += sectors(image.bytes);
  return total;
}

PreviewCache::PreviewCache(fs::path dataDir) : root_(std::move(dataDir) / "previews") {}

fs::path PreviewCache::studyFolder(const std::string& studyUid) const {
  return root_ / digest(studyUid);
}

fs::path PreviewCache::instanceFolder(const PreviewSource& source) const {
  return studyFolder(source.studyUid) / digest(source.sopInstanceUid);
}

std::optional<RenderedInstance> PreviewCache::lookup(const PreviewSource& source,
                                                     PreviewTier tier) const {
  const std::vector<PreviewSpec> specs = previewSpecs(tier, source.modality);
  if (specs.empty()) return RenderedInstance{};
  const InstanceRenderer reader(source.file);
  const PixelHeader& header = reader.header();
  if (!header.hasPixels) return RenderedInstance{};
  RenderedInstance found;
  for (const Planned& p : plannedImages(header, specs, instanceFolder(source))) {
    std::error_code ec;
    const auto size = fs::file_size(p.file, ec);
    if (ec || size == 0) return std::nullopt;
    found.images.push_back(renderedFrom(p, size));
  }
  return found;
}

RenderedInstance PreviewCache::ensure(const PreviewSource& source, PreviewTier tier) {
  return ensure(source, std::vector<PreviewTier>{tier}).front();
}

std::vector<RenderedInstance> PreviewCache::ensure(const PreviewSource& source,
                                                   const std::vector<PreviewTier>& tiers) {
  std::vector<RenderedInstance> results(tiers.size());
  // Every rendering any of the tiers needs, once (T is in all of them).
  std::vector<PreviewSpec> specs;
  for (PreviewTier tier : tiers) {
    for (const PreviewSpec& spec : previewSpecs(tier, source.modality)) {
      const bool known = std::any_of(specs.begin(), specs.end(), [&](const PreviewSpec& s) {
        return s.prefix == spec.prefix && s.size == spec.size;
      });
      if (!known) specs.push_back(spec);
    }
  }
  if (specs.empty()) return results;
  InstanceRenderer renderer(source.file);
  const PixelHeader& header = renderer.header();
  if (!header.hasPixels) return results;
  if (!header.unrenderable.empty()) {
    throw PreviewError(PreviewError::Code::Render, header.unrenderable);
  }
  const fs::path dir = instanceFolder(source);
  try {
    makeDirectory(dir);
    const FolderLock lock(dir);
    // Left by a renderer that was killed: never complete, never worth keeping.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == kPartSuffix) fs::remove(entry.path(), ec);
    }
    PartFiles parts(dir);
    std::vector<RenderOutput> missing;
    for (const Planned& p : plannedImages(header, specs, dir)) {
      std::error_code sizeError;
      if (fs::file_size(p.file, sizeError) > 0 && !sizeError) continue;
      missing.push_back({p.spec, p.frame, parts.add(p.file)});
    }
    renderer.render(missing);
    parts.commit();
    for (std::size_t t = 0; t < tiers.size(); ++t) {
      for (const Planned& p : plannedImages(header, previewSpecs(tiers[t], source.modality), dir))
        results[t].images.push_back(renderedFrom(p, fs::file_size(p.file)));
    }
    return results;
  } catch (const store::StoreError& e) {
    throw PreviewError(PreviewError::Code::Storage, e.what());
  } catch (const fs::filesystem_error& e) {
    throw PreviewError(PreviewError::Code::Storage, e.what());
  }
}

std::uint64_t PreviewCache::estimatedBytes(const PreviewSource& source, PreviewTier tier) {
  const std::vector<PreviewSpec> specs = previewSpecs(tier, source.modality);
  if (specs.empty()) return 0;
  const InstanceRenderer reader(source.file);
  const PixelHeader& header = reader.header();
  if (!header.hasPixels) return 0;
  std::uint64_t perFrame = 0;
  for (const PreviewSpec& spec : specs) {
    const PreviewSize size = previewSize(header.columns, header.rows, spec.size);
    perFrame += sectors(estimatedJpegBytes(size, header.samples));
  }
  return perFrame * static_cast<std::uint64_t>(std::max(1, header.frames));
}

void PreviewCache::removeStudy(const std::string& studyUid) {
  std::error_code ec;
  fs::remove_all(studyFolder(studyUid), ec);
  if (ec) {
    throw PreviewError(PreviewError::Code::Storage,
                       "cannot remove the previews of study " + studyUid + ": " + ec.message());
  }
}

int PreviewCache::removeOtherStudies(
    const std::function<std::vector<std::string>()>& storedStudyUids) {
  std::vector<fs::path> folders;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_, ec)) folders.push_back(entry.path());
  if (folders.empty()) return 0;
  std::set<std::string> keep;
  for (const std::string& uid : storedStudyUids()) keep.insert(digest(uid));
  int removed = 0;
  for (const fs::path& folder : folders) {
    if (keep.count(folder.filename().string())) continue;
    fs::remove_all(folder, ec);
    if (ec) {
      throw PreviewError(PreviewError::Code::Storage,
                         "cannot remove " + folder.string() + ": " + ec.message());
    }
    ++removed;
  }
  return removed;
}

}  // namespace burnstation::viewer_bundle
