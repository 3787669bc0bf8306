// Names of stored files, derived by the station and never taken from received bytes, and
// the one check a path read back from the index passes before anything opens it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace burnstation::store {

// 32 hex digits (XXH3-128) of a SOP Instance UID: the stem of its stored file's name.
std::string uidDigest(std::string_view sopInstanceUid);

// Where an instance's file goes, relative to the data directory:
// objects/<first 2 of the digest>/<digest>.dcm (with -1, -2, ... before .dcm when a file
// already has that name: see Store::ingest).
std::string objectPathFor(std::string_view sopInstanceUid);

// Whether relative is objectPathFor(uid), or that name with a -N suffix.
bool isObjectPathOf(std::string_view relative, std::string_view sopInstanceUid);

// Whether relative names a file this store may have written: relative, normalized (no
// empty, "." or ".." components, no backslash or NUL) and below objects/ or set-aside/.
bool isStoredPath(std::string_view relative);

// dataDir / relative for an index row's path; throws StoreError(Inconsistent) naming the
// row's path when isStoredPath says no, so a tampered index cannot point a reader (export,
// burn) at a file outside the store.
std::filesystem::path storedFile(const std::filesystem::path& dataDir, std::string_view relative);

// Whether target (where a command would write: an export folder, an image file, a stick
// image) is the data directory or inside it. Canonical paths are compared, so ".." and
// symbolic links do not hide it; target need not exist yet.
bool isInsideDataDir(const std::filesystem::path& target, const std::filesystem::path& dataDir);

}  // namespace burnstation::store
