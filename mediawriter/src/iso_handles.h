// The libisofs and libburn handles mediawriter uses, each owned by an RAII type, and the
// library lifetime (iso_init once per process, iso_finish at exit).
#pragma once

#include <stdint.h>
// libburn before libisofs: it declares struct burn_source, which images are read through.
#include <libburn/libburn.h>
#include <libisofs/libisofs.h>

#include <memory>
#include <mutex>
#include <string>

#include "burnstation/mediawriter/media_error.h"

namespace burnstation::mediawriter {

class IsoLibrary {
 public:
  static void ensure() {
    static IsoLibrary library;
    (void)library;
  }

 private:
  IsoLibrary() {
    if (iso_init() < 0) throw MediaError(MediaError::Code::Image, "libisofs cannot start");
    iso_set_msgs_severities(const_cast<char*>("NEVER"), const_cast<char*>("NEVER"),
                            const_cast<char*>("burnstation: "));
  }
  ~IsoLibrary() { iso_finish(); }
};

// libisofs keeps one process-wide object for the local filesystem whose reference count is
// not atomic: every image made or imported, every file added from a path and every image or
// image stream released changes it. Two jobs planning at once freed it under each other (a
// crash in iso_filesystem_unref, seen in ConcurrentDrivesTest). Every such call holds this
// lock; reading the files while an image is streamed does not touch the count.
inline std::recursive_mutex& isoTreeMutex() {
  static std::recursive_mutex mutex;
  return mutex;
}
using IsoTreeLock = std::lock_guard<std::recursive_mutex>;

struct ImageDeleter {
  void operator()(IsoImage* image) const {
    const IsoTreeLock lock(isoTreeMutex());
    iso_image_unref(image);
  }
};
struct OptionsDeleter {
  void operator()(IsoWriteOpts* options) const { iso_write_opts_free(options); }
};
// In C++ libburn declares its API in namespace burn, while libisofs names the same C struct
// at global scope; both describe one object, so the pointer is converted once, here.
using BurnSource = burn::burn_source;
struct SourceDeleter {
  void operator()(BurnSource* source) const {
    const IsoTreeLock lock(isoTreeMutex());  // the stream's last reference to its image
    burn::burn_source_free(source);
  }
};
using Image = std::unique_ptr<IsoImage, ImageDeleter>;
using Options = std::unique_ptr<IsoWriteOpts, OptionsDeleter>;
using Source = std::unique_ptr<BurnSource, SourceDeleter>;

inline void check(int result, const std::string& what) {
  if (result < 0) {
    throw MediaError(MediaError::Code::Image, what + ": " + iso_error_to_msg(result));
  }
}

struct ReadOptionsDeleter {
  void operator()(IsoReadOpts* options) const { iso_read_opts_free(options); }
};
struct DataSourceDeleter {
  void operator()(IsoDataSource* source) const { iso_data_source_unref(source); }
};
struct FeaturesDeleter {
  void operator()(IsoReadImageFeatures* features) const {
    iso_read_image_features_destroy(features);
  }
};
struct DirIterDeleter {
  void operator()(IsoDirIter* iter) const { iso_dir_iter_free(iter); }
};
using ReadOptions = std::unique_ptr<IsoReadOpts, ReadOptionsDeleter>;
using DataSource = std::unique_ptr<IsoDataSource, DataSourceDeleter>;
using Features = std::unique_ptr<IsoReadImageFeatures, FeaturesDeleter>;
using DirIter = std::unique_ptr<IsoDirIter, DirIterDeleter>;

struct IsoVolumeContent;

// A laid-out image being read: the source yields its bytes; the image must live as long.
struct ImageStream {
  Image image;
  Source source;
};
ImageStream openImageStream(const IsoVolumeContent& content);

}  // namespace burnstation::mediawriter
