// Writing one volume as a complete DICOM file-set (FSC) and reading one back (FSR).
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "burnstation/dicomdir/file_id.h"
#include "burnstation/dicomdir/media_form.h"
#include "burnstation/dicomdir/media_profile.h"
#include "burnstation/store/selection.h"

namespace burnstation::dicomdir {

class FileSetError : public std::runtime_error {
 public:
  enum class Code { Target, Source, Encoding };
  FileSetError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

struct FileSetEntry {
  FileId fileId;
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::string transferSyntaxUid;  // in the written file
  std::string recordType;
};

struct WrittenFileSet {
  std::filesystem::path root;
  std::string fileSetId;
  std::vector<FileSetEntry> entries;
  std::uint64_t bytes = 0;
  double dicomdirSeconds = 0;  // building and writing the DICOMDIR, for benchmarks
};

// A File-set ID (at most 16 characters of A-Z 0-9 _, no patient data), unique per volume.
std::string newFileSetId(int volumeIndex);

// Writes the given instances of the selection (indexes into selection.instances; forms,
// parallel to selection.instances, say how each goes onto the profile's medium) into root, which
// must be empty or absent. Everything is staged in a hidden folder and moved into place only when
// complete and synced; on failure nothing is left behind. Throws FileSetError.
WrittenFileSet writeFileSet(const store::Selection& selection,
                            const std::vector<std::size_t>& instances,
                            const std::vector<MediaForm>& forms, const std::filesystem::path& root,
                            const std::string& fileSetId, const std::string& stationAe);

// Adds the instances not yet in the file-set at root to it (FSU): the set must be consistent
// and hold this patient only; its DICOMDIR carries FFFFH while files are added and 0000H
// after. On failure the added files are removed and the old DICOMDIR restored.
WrittenFileSet updateFileSet(const store::Selection& selection,
                             const std::vector<std::size_t>& instances,
                             const std::vector<MediaForm>& forms, const std::filesystem::path& root,
                             const std::string& stationAe);

// What a volume would hold, without writing it: its DICOMDIR (written to workDir) and the
// stored file behind every File ID. Only for volumes whose files go on unchanged.
struct FileSetPreview {
  std::filesystem::path dicomdir;
  std::vector<std::pair<FileId, std::filesystem::path>> files;
};
FileSetPreview previewFileSet(const store::Selection& selection,
                              const std::vector<std::size_t>& instances,
                              const std::vector<MediaForm>& forms,
                              const std::filesystem::path& workDir, const std::string& fileSetId,
                              const std::string& stationAe);

struct FileSetCheck {
  std::string fileSetId;
  std::vector<FileSetEntry> entries;  // what the DICOMDIR references
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// The File IDs a DICOMDIR file references; throws FileSetError when it cannot be read.
std::vector<FileId> referencedFileIds(const std::filesystem::path& dicomdirFile);

// Reads root/DICOMDIR and checks that every referenced file exists and matches its record
// (SOP Class, Instance, Transfer Syntax in the file's meta), and that every file under
// root/DICOM is referenced.
FileSetCheck checkFileSet(const std::filesystem::path& root);

}  // namespace burnstation::dicomdir
