// Files that replace others only when they are complete and on disk: written under a
// temporary name beside the target, fsynced, renamed over it, and the folder fsynced, so a
// crash or a full disk leaves either the old file or the new one, never a torn one. Used
// wherever store, dicomdir and mediawriter write a file and rename it into place.
#pragma once

#include <filesystem>
#include <string_view>

namespace burnstation::store {

// Each throws StoreError(Io) with the path and the system's reason.
void fsyncFile(const std::filesystem::path& file);
void fsyncDirectory(const std::filesystem::path& directory);
// rename(2) and fsync of the target directory, so the new name is durable too.
void renameDurably(const std::filesystem::path& from, const std::filesystem::path& to);

// A replacement for target that another writer (DCMTK, cairo, libisofs) fills at path().
// commit() makes it durable and moves it over target; until then target is untouched, and
// a PendingFile destroyed without commit() removes what was written (exceptions included).
class PendingFile {
 public:
  explicit PendingFile(std::filesystem::path target);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  const std::filesystem::path& path() const { return temporary_; }
  const std::filesystem::path& target() const { return target_; }
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  bool committed_ = false;
};

// Replaces target with bytes through a PendingFile; the file gets mode (before the umask).
void writeFileDurably(const std::filesystem::path& target, std::string_view bytes,
                      unsigned mode = 0644);

}  // namespace burnstation::store
