// DcmDicomDir, written with our Implementation Class UID and Version Name. DCMTK's own
// write() forces its OFFIS identity into the meta header, and the records' offsets count
// from the start of the file, so the identity has to be right before the records are
// linearised (FIELD-GUIDE §2.3).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdicdir.h>

#include <filesystem>

namespace burnstation::dicomdir {

class DicomDirFile : public DcmDicomDir {
 public:
  // path must not exist: DcmDicomDir would otherwise load and append to it.
  DicomDirFile(const std::filesystem::path& path, const char* fileSetId);
  // Writes the whole DICOMDIR to path (via path.tmp and a rename).
  OFCondition writeWithOurIdentity(const std::string& sourceAe);

 private:
  std::filesystem::path path_;
};

}  // namespace burnstation::dicomdir
