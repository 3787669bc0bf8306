// File IDs on the medium (PS3.10 8.2, 8.5; PS3.12 F.1.2.1): at most 8 components of at
// most 8 characters from A-Z 0-9 and '_', no extension, e.g. DICOM/PA000001/ST000001/...
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace burnstation::dicomdir {

using FileId = std::vector<std::string>;  // components, root first

bool isValidFileId(const FileId& id);
// "DICOM/PA000001/IM000001" for display and for paths (forward slashes).
std::string toPath(const FileId& id);
// The value of Referenced File ID (0004,1500): components separated by backslashes.
FileId fromReferencedFileId(std::string_view value);
std::string toReferencedFileId(const FileId& id);

// Hands out PAnnnnnn/STnnnnnn/SEnnnnnn/IMnnnnnn under DICOM/, numbered in order of first
// use within each parent, so the same plan always gives the same IDs.
class FileIdAllocator {
 public:
  // Opaque keys (e.g. collection key, study UID, series UID) identify each level.
  FileId next(std::string_view patientKey, std::string_view studyUid, std::string_view seriesUid);
  // Registers an ID already on the medium (file-set update), so the same keys reuse its
  // folders and new names are numbered after the existing ones.
  void reserve(const FileId& existing, std::string_view patientKey, std::string_view studyUid,
               std::string_view seriesUid);

 private:
  struct Level {
    std::string key;
    std::string name;
    std::vector<Level> children;
    int nextChild = 1;
  };
  static Level& child(Level& parent, std::string_view key, std::string_view prefix);
  static Level& adopt(Level& parent, std::string_view key, const std::string& name);
  Level root_;
};

}  // namespace burnstation::dicomdir
