// Adds instances to a file-set under construction: writes each file under its File ID and
// hangs its record under the right PATIENT/STUDY/SERIES records, creating those as needed.
// Shared by writing a new file-set and updating an existing one.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/dicomdir/record_type.h"
#include "dicomdir_file.h"
#include "record_keys.h"

namespace burnstation::dicomdir {

class FileSetBuilder {
 public:
  // Files are written below filesRoot; records go into dicomdir.
  FileSetBuilder(DicomDirFile& dicomdir, std::filesystem::path filesRoot,
                 const store::Selection& selection, TextPolicy text, std::string stationAe);

  // Records only, no file written: for the exact size of a volume before writing it.
  void recordsOnly() { writeFiles_ = false; }

  // Takes over the records and File IDs of a loaded DICOMDIR. Throws FileSetError when it
  // holds another patient. Returns the SOP Instance UIDs already in it.
  std::vector<std::string> adoptExisting();

  FileSetEntry add(const store::SelectedInstance& instance, const MediaForm& form);

  const std::vector<std::filesystem::path>& writtenFiles() const { return written_; }
  std::uint64_t bytes() const { return bytes_; }
  double recordSeconds() const { return recordSeconds_; }

 private:
  DcmDirectoryRecord& seriesRecordFor(const store::SelectedInstance& instance);
  FileSetEntry addRecord(const store::SelectedInstance& instance, const FileId& fileId,
                         const std::string& writtenSyntax, const LeafRecord& leaf);

  DicomDirFile& dicomdir_;
  std::filesystem::path filesRoot_;
  const store::Selection& selection_;
  TextPolicy text_;
  std::string stationAe_;
  FileIdAllocator ids_;
  DcmDirectoryRecord* patient_ = nullptr;
  std::map<std::string, DcmDirectoryRecord*> studies_, series_;
  std::map<std::string, int> positionInSeries_;
  std::vector<std::filesystem::path> written_;
  std::uint64_t bytes_ = 0;
  double recordSeconds_ = 0;
  bool writeFiles_ = true;
};

[[noreturn]] void failFileSet(FileSetError::Code code, const std::string& message);

}  // namespace burnstation::dicomdir
