// What the station writes is readable by its own user and group only: the index lists every
// patient, and images and labels carry their names. Set explicitly, not left to the umask of
// whoever started the service.
#pragma once

#include <sys/types.h>

#include <filesystem>

namespace burnstation::store {

inline constexpr mode_t kPrivateDirectoryMode = 0750;
inline constexpr mode_t kPrivateFileMode = 0640;

// The umask the service runs under, a second line behind the explicit modes.
inline constexpr mode_t kServiceUmask = 027;

// chmod to the private mode of a directory or a regular file; symbolic links and sockets
// are left alone. Throws StoreError(Io).
void makePrivate(const std::filesystem::path& path);
// The same for an open file.
void makePrivate(int fd, const std::filesystem::path& pathForMessages);
// Every directory and regular file below root (root included): data directories written by
// earlier versions were 0755/0644. Throws only when root itself cannot be restricted.
void makeTreePrivate(const std::filesystem::path& root);

}  // namespace burnstation::store
