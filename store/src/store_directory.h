// Open directory descriptors for the data directory and its folders. Every file the store
// creates, opens or moves is named relative to one of them with O_NOFOLLOW, so a symbolic
// link planted inside the data directory cannot redirect a write, and a move never
// replaces a file unless the caller asks for that (the duplicate policy).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace burnstation::store {

class Directory {
 public:
  // The data directory itself: the administrator may have made it a symbolic link.
  static Directory open(const std::filesystem::path& path);
  Directory() = default;
  ~Directory();
  Directory(Directory&& other) noexcept;
  Directory& operator=(Directory&& other) noexcept;
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;

  // A folder below this one, one name or a relative path of names; every component is
  // opened with O_NOFOLLOW | O_DIRECTORY, and created (0750) first when create is true.
  Directory child(std::string_view relative, bool create) const;

  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }
  bool valid() const { return fd_ >= 0; }
  // Whether an entry of that name exists (a symbolic link counts, and is not followed).
  bool contains(const std::string& name) const;
  void sync() const;

 private:
  Directory(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;  // for messages and for readers that need a path
};

// An open regular file (never a symbolic link), closed on destruction.
class OpenFile {
 public:
  OpenFile(const Directory& dir, const std::string& name);
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }
  std::uint64_t size() const { return size_; }
  void sync() const;

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::filesystem::path path_;
};

// Moves from/name into to/ under base + extension, or base + "-1" + extension, ... when
// that name is taken: it never replaces a file. Both directories are flushed afterwards.
// Returns the name the file now has.
std::string moveWithoutReplacing(const Directory& from, const std::string& name,
                                 const Directory& to, const std::string& base,
                                 const std::string& extension);

// Moves from/name onto to/target, replacing it: only for the duplicate policy, which
// replaces an instance's file with a copy of the same content.
void moveReplacing(const Directory& from, const std::string& name, const Directory& to,
                   const std::string& target);

// Whether a file (or link: never followed) of that name was removed.
bool removeFile(const Directory& dir, const std::string& name);

}  // namespace burnstation::store

namespace burnstation::store {

// The data directory and the store's folders in it, opened once by a service store.
struct StoreDirectories {
  Directory data;
  Directory objects;
  Directory incoming;
  Directory setAside;
  Directory quarantine;
};

}  // namespace burnstation::store
