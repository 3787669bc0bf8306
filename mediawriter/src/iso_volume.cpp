// libisofs image building (see iso_volume.h). Every libisofs handle lives in an RAII type
// here; the library itself is initialised once per process (iso_init) and finished at exit.
#include "burnstation/mediawriter/iso_volume.h"

#include "iso_handles.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "burnstation/mediawriter/media_error.h"
#include "burnstation/store/durable_file.h"
#include "burnstation/store/store_error.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

Image buildImage(const IsoVolumeContent& content) {
  IsoLibrary::ensure();
  const IsoTreeLock lock(isoTreeMutex());
  IsoImage* raw = nullptr;
  check(iso_image_new(content.volumeId.c_str(), &raw), "cannot create an ISO image");
  Image image(raw);
  iso_image_set_volume_id(image.get(), content.volumeId.c_str());
  iso_image_set_application_id(image.get(), const_cast<char*>("BURNSTATION"));
  IsoDir* root = iso_image_get_root(image.get());
  // Sorted, so the same content always gives the same image.
  std::vector<IsoFile> files = content.files;
  std::sort(files.begin(), files.end(),
            [](const IsoFile& a, const IsoFile& b) { return a.mediumPath < b.mediumPath; });
  for (const IsoFile& f : files) {
    IsoDir* dir = root;
    std::string rest = f.mediumPath;
    for (std::size_t slash; (slash = rest.find('/')) != std::string::npos;
         rest = rest.substr(slash + 1)) {
      const std::string name = rest.substr(0, slash);
      IsoNode* node = nullptr;
      if (iso_dir_get_node(dir, name.c_str(), &node) == 1 &&
          iso_node_get_type(node) == LIBISO_DIR) {
        dir = reinterpret_cast<IsoDir*>(node);
      } else {
        IsoDir* made = nullptr;
        check(iso_image_add_new_dir(image.get(), dir, name.c_str(), &made),
              "cannot add folder " + name);
        dir = made;
      }
    }
    // libisofs stats the file now and reads it when the image is streamed.
    IsoNode* node = nullptr;
    check(iso_tree_add_new_node(image.get(), dir, rest.c_str(), fs::absolute(f.source).c_str(),
                                &node),
          "cannot add " + f.mediumPath + " from " + f.source.string());
  }
  return image;
}

Options writeOptions(bool sizeOnly) {
  IsoWriteOpts* raw = nullptr;
  check(iso_write_opts_new(&raw, 0), "cannot create image options");
  Options options(raw);
  iso_write_opts_set_iso_level(raw, 1);
  iso_write_opts_set_rockridge(raw, 1);
  iso_write_opts_set_joliet(raw, 1);
  iso_write_opts_set_aaip(raw, 1);  // MD5 records need AAIP and Rock Ridge
  iso_write_opts_set_record_md5(raw, 1, 1);
  // The store's owners and permissions are nobody's business on a patient's disc.
  iso_write_opts_set_replace_mode(raw, 2, 2, 2, 2);
  iso_write_opts_set_default_dir_mode(raw, 0555);
  iso_write_opts_set_default_file_mode(raw, 0444);
  iso_write_opts_set_default_uid(raw, 0);
  iso_write_opts_set_default_gid(raw, 0);
  iso_write_opts_set_always_gmt(raw, 1);
  if (sizeOnly) iso_write_opts_set_will_cancel(raw, 1);
  return options;
}

Source imageSource(IsoImage* image, IsoWriteOpts* options) {
  const IsoTreeLock lock(isoTreeMutex());  // the stream takes references to the image
  ::burn_source* raw = nullptr;
  check(iso_image_create_burn_source(image, options, &raw), "cannot lay out the ISO image");
  return Source(reinterpret_cast<BurnSource*>(raw));
}

}  // namespace

ImageStream openImageStream(const IsoVolumeContent& content) {
  ImageStream stream;
  stream.image = buildImage(content);
  Options options = writeOptions(false);
  stream.source = imageSource(stream.image.get(), options.get());
  return stream;
}

IsoVolumeContent contentOfDirectory(const fs::path& root, const std::string& volumeId) {
  IsoVolumeContent content{volumeId, {}};
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      content.files.push_back(
          {fs::relative(entry.path(), root).generic_string(), fs::absolute(entry.path())});
    }
  }
  return content;
}

std::uint64_t isoImageBytes(const IsoVolumeContent& content) {
  Image image = buildImage(content);
  Options options = writeOptions(true);
  Source source = imageSource(image.get(), options.get());
  const off_t size = source->get_size(source.get());
  source->cancel(source.get());
  return static_cast<std::uint64_t>(size);
}

namespace {

// A file descriptor closed on every path; close() reports a delayed write error.
class OutputFile {
 public:
  explicit OutputFile(const fs::path& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) {}
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  bool open() const { return fd_ >= 0; }
  bool write(const unsigned char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return true;
  }
  bool close() {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

// libisofs streams from its own thread: a write that ends early (an error, a cancel, a
// progress callback that throws) stops that thread before the source is freed.
struct StreamCancel {
  BurnSource* source;
  bool finished = false;
  ~StreamCancel() {
    if (!finished) source->cancel(source);
  }
};

}  // namespace

void writeIsoImage(const IsoVolumeContent& content, const fs::path& imageFile,
                   const WriteProgress& progress) {
  Image image = buildImage(content);
  Options options = writeOptions(false);
  Source source = imageSource(image.get(), options.get());
  StreamCancel streaming{source.get()};
  const auto total = static_cast<std::uint64_t>(source->get_size(source.get()));
  std::uint64_t written = 0;
  // Removed on every path that does not end in commit(): errors, cancels, exceptions.
  store::PendingFile pending(imageFile);
  OutputFile out(pending.path());
  if (!out.open()) {
    throw MediaError(MediaError::Code::Io,
                     "cannot create " + pending.path().string() + ": " + std::strerror(errno));
  }
  std::vector<unsigned char> block(2048);
  for (;;) {
    const int n = source->read_xt(source.get(), block.data(), static_cast<int>(block.size()));
    if (n < 0) {
      throw MediaError(MediaError::Code::Image,
                       "libisofs failed while writing " + imageFile.string());
    }
    if (n == 0) break;
    if (!out.write(block.data(), static_cast<std::size_t>(n))) {
      throw MediaError(MediaError::Code::Io, "cannot write " + imageFile.string() + ": " +
                                                 std::strerror(errno) + " (disk full?)");
    }
    written += static_cast<std::uint64_t>(n);
    // Every 4 MiB is often enough for a progress bar and cheap enough for the callback.
    if (progress && written % (4u << 20) == 0 && !progress(written, total)) {
      throw MediaError(MediaError::Code::Cancelled, "writing " + imageFile.string() + " cancelled");
    }
  }
  streaming.finished = true;
  if (!out.close()) {
    throw MediaError(MediaError::Code::Io,
                     "cannot write " + imageFile.string() + ": " + std::strerror(errno));
  }
  // On the disk before anyone reads it back: dropping cached pages (POSIX_FADV_DONTNEED)
  // leaves dirty ones in memory, so an unsynced image would be verified from the cache.
  try {
    pending.commit();
  } catch (const store::StoreError& e) {
    throw MediaError(MediaError::Code::Io, e.what());
  }
  if (progress) progress(written, total);
}

}  // namespace burnstation::mediawriter
