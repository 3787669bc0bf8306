// Names of the files and folders inside a data directory, in one place.
#pragma once

namespace burnstation::store::layout {

inline constexpr const char* kIndexFile = "index.sqlite";
inline constexpr const char* kObjectsDir = "objects";        // indexed instances
inline constexpr const char* kTemporaryDir = "incoming";     // files still being received
inline constexpr const char* kSetAsideDir = "set-aside";     // UID reused with other content
inline constexpr const char* kQuarantineDir = "quarantine";  // unreadable files found at start
inline constexpr const char* kTemporarySuffix = ".part";
inline constexpr const char* kObjectSuffix = ".dcm";
// PRAGMA user_version of an index whose files have station-derived names (stored_path.h);
// 0 is the layout that named files by their SOP Instance UID.
inline constexpr int kLayoutVersion = 2;
inline constexpr const char* kLockFile = "service.lock";  // flock'd by the running service

}  // namespace burnstation::store::layout
