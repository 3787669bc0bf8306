// One service per data directory: an exclusive flock on a lock file inside it, held for the
// service's lifetime. A second `serve` would otherwise run start-up recovery on files the
// first has just acknowledged.
#pragma once

#include <filesystem>

namespace burnstation::store {

class DataDirLock {
 public:
  // Throws StoreError(Locked) naming the PID of the holder when another process has it.
  explicit DataDirLock(const std::filesystem::path& dataDir);
  ~DataDirLock();  // the kernel drops the lock with the descriptor, also on a crash
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace burnstation::store
