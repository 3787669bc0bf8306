// Content into a folder (see folder_content.h). Copies use read and write: FUSE's fusefat,
// which mounts sticks where the kernel has no vfat, implements neither copy_file_range nor
// renamed folders.
#include "folder_content.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/store/durable_file.h"
#include "burnstation/store/store_error.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& what, int error) {
  throw MediaError(MediaError::Code::Io, what + ": " + std::strerror(error));
}

// What this write has made, removed again unless it completes.
struct Written {
  std::vector<fs::path> files;
  std::vector<fs::path> folders;  // in the order made: removed in reverse
  bool done = false;
  ~Written() {
    if (done) return;
    std::error_code ignored;
    for (const auto& f : files) fs::remove(f, ignored);
    for (auto it = folders.rbegin(); it != folders.rend(); ++it) fs::remove(*it, ignored);
  }
};

void makeFolders(const fs::path& root, const fs::path& folder, Written& written) {
  fs::path at = root;
  for (const auto& part : fs::relative(folder, root)) {
    at /= part;
    if (fs::is_directory(at)) continue;
    std::error_code ec;
    fs::create_directory(at, ec);
    if (ec)
      throw MediaError(MediaError::Code::Io, "cannot create " + at.string() + ": " + ec.message());
    written.folders.push_back(at);
  }
}

}  // namespace

void writeContentInto(const VolumeContent& content, const fs::path& root,
                      const WriteProgress& progress) {
  if (fs::exists(root / "DICOMDIR") || fs::exists(root / "DICOM")) {
    throw MediaError(MediaError::Code::Refused, root.string() + " already holds a file-set");
  }
  std::uint64_t total = 0;
  for (const auto& f : content.files) {
    std::error_code ec;
    total += fs::file_size(f.source, ec);
  }
  // The DICOMDIR names files that must be there when a reader finds it; the manifest
  // vouches for both.
  std::vector<const IsoFile*> order;
  for (const auto& f : content.files) order.push_back(&f);
  const auto rank = [](const IsoFile* f) {
    return f->mediumPath == kManifestName ? 2 : f->mediumPath == "DICOMDIR" ? 1 : 0;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const IsoFile* a, const IsoFile* b) { return rank(a) < rank(b); });

  Written written;
  std::uint64_t copied = 0;
  std::uint64_t reported = 0;
  std::vector<char> buffer(1 << 20);
  bool synced = false;
  for (const IsoFile* f : order) {
    const fs::path target = root / f->mediumPath;
    if (rank(f) > 0 && !synced) {
      // Everything the DICOMDIR references is on the medium before the DICOMDIR is.
      const Descriptor folder(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (folder.get() < 0 || ::syncfs(folder.get()) != 0)
        fail("cannot flush " + root.string() + " to disk", errno);
      synced = true;
    }
    makeFolders(root, target.parent_path(), written);
    const Descriptor in(::open(f->source.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) fail("cannot read " + f->source.string(), errno);
    // DICOMDIR and manifest replace nothing on an empty medium, but go in whole or not at all.
    store::PendingFile pending(target);
    const fs::path& into = rank(f) > 0 ? pending.path() : target;
    Descriptor out(::open(into.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (out.get() < 0) fail("cannot create " + into.string(), errno);
    if (rank(f) == 0) written.files.push_back(target);
    for (;;) {
      const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot read " + f->source.string(), errno);
      if (n == 0) break;
      for (ssize_t done = 0; done < n;) {
        const ssize_t w =
            ::write(out.get(), buffer.data() + done, static_cast<std::size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0)
          fail("cannot write " + target.string() + " (medium full?)", w < 0 ? errno : EIO);
        done += w;
      }
      copied += static_cast<std::uint64_t>(n);
      if (progress && copied - reported >= (4u << 20)) {
        reported = copied;
        if (!progress(copied, total)) {
          throw MediaError(MediaError::Code::Cancelled, "writing " + root.string() + " cancelled");
        }
      }
    }
    if (::close(out.release()) != 0) fail("cannot write " + target.string(), errno);
    if (rank(f) > 0) {
      try {
        pending.commit();
      } catch (const store::StoreError& e) {
        throw MediaError(MediaError::Code::Io, e.what());
      }
      written.files.push_back(target);
    }
  }
  const Descriptor folder(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.get() < 0 || ::syncfs(folder.get()) != 0)
    fail("cannot flush " + root.string() + " to disk", errno);
  written.done = true;
  if (progress) progress(total, total);
}

}  // namespace burnstation::mediawriter
