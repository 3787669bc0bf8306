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
  // A new DICOMDIR: path must not exist (DcmDicomDir would load and append to it).
  DicomDirFile(const std::filesystem::path& path, const char* fileSetId);
  // An existing DICOMDIR, loaded for an update.
  explicit DicomDirFile(const std::filesystem::path& path);
  // FFFFH while an update is under way, 0000H when the set is consistent again (PS3.3 F.3).
  OFCondition setConsistencyFlag(Uint16 flag);
  std::string fileSetId();
  // Writes the whole DICOMDIR to path durably (store::PendingFile): the old one stays until
  // the new one is complete and on disk.
  OFCondition writeWithOurIdentity(const std::string& sourceAe);

 private:
  std::filesystem::path path_;
};

}  // namespace burnstation::dicomdir
