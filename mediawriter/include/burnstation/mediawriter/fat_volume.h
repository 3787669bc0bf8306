// The filesystem on a USB stick (PS3.12 Annex R: FAT16 or FAT32, one file-set on the first
// partition) and a private mount of it for writing. The kernel's vfat is used where it
// exists; elsewhere (as on the test machines) FUSE's fusefat.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace burnstation::mediawriter {

enum class FatKind { Fat12, Fat16, Fat32, ExFat, Ntfs, Unformatted, Unknown };

struct FilesystemCheck {
  FatKind kind = FatKind::Unknown;
  std::string reason;  // for the clerk when the stick cannot be used
  bool usable() const { return kind == FatKind::Fat16 || kind == FatKind::Fat32; }
};

// Reads the boot sector of a partition, block device or image file.
FilesystemCheck checkFilesystem(const std::filesystem::path& device);

// How long mount(8), umount(8), fusefat(1) or fusermount(1) may take before it is killed
// and the stick refused: a stick that does not answer must not hold a job for ever.
inline constexpr std::chrono::milliseconds kMountHelperLimit{std::chrono::seconds(30)};

// A FAT filesystem mounted at a private mount point below mountParent; unmounted when it
// goes out of scope. Throws MediaError when it cannot be mounted. The helpers are found
// through PATH; each gets helperLimit.
class MountedFat {
 public:
  MountedFat(std::filesystem::path device, const std::filesystem::path& mountParent,
             std::chrono::milliseconds helperLimit = kMountHelperLimit);
  ~MountedFat();
  MountedFat(const MountedFat&) = delete;
  MountedFat& operator=(const MountedFat&) = delete;

  const std::filesystem::path& root() const { return mountPoint_; }
  // Everything written reaches the stick (syncfs). Throws MediaError when it cannot.
  void flush();
  // Unmount and mount again, so what is read next comes from the stick, not a cache.
  void remount();
  void unmount();

 private:
  void mount();

  std::filesystem::path device_;
  std::filesystem::path mountPoint_;
  std::chrono::milliseconds limit_;
  bool fuse_ = false;
  bool mounted_ = false;
  int server_ = -1;  // the fusefat process, which must have exited before the stick is done
};

}  // namespace burnstation::mediawriter
