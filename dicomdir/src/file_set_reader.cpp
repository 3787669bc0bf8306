// Reading a file-set back (FSR) and checking it against itself: every record's file is
// there and says what the record says, and no file under DICOM/ is left unreferenced.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdicdir.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <set>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/store/dataset_scan.h"
#include "burnstation/store/store_error.h"
#include "dcm_values.h"

namespace burnstation::dicomdir {

namespace fs = std::filesystem;

namespace {

// A file-set may come from anyone's stick: its files are scanned before DCMTK parses them,
// whose parser recurses once per sequence level and trusts declared lengths. Empty: fine.
std::string structuralProblem(const fs::path& file) {
  try {
    const auto scan = store::scanPart10File(file);
    return scan.ok() ? std::string() : scan.problem->describe();
  } catch (const store::StoreError& e) {
    return e.what();
  }
}

void visit(DcmDirectoryRecord& record, const fs::path& root, FileSetCheck& check) {
  for (unsigned long i = 0; i < record.cardSub(); ++i) {
    DcmDirectoryRecord* sub = record.getSub(i);
    const std::string referenced = valueOf(*sub, DCM_ReferencedFileID);
    if (!referenced.empty()) {
      FileSetEntry entry{fromReferencedFileId(referenced),
                         valueOf(*sub, DCM_ReferencedSOPInstanceUIDInFile),
                         valueOf(*sub, DCM_ReferencedSOPClassUIDInFile),
                         valueOf(*sub, DCM_ReferencedTransferSyntaxUIDInFile),
                         valueOf(*sub, DCM_DirectoryRecordType)};
      const fs::path file = root / toPath(entry.fileId);
      if (!isValidFileId(entry.fileId)) check.problems.push_back("invalid file ID " + referenced);
      DcmFileFormat format;
      std::string malformed;
      if (!fs::exists(file)) {
        check.problems.push_back("referenced file " + toPath(entry.fileId) + " is missing");
      } else if (malformed = structuralProblem(file); !malformed.empty()) {
        check.problems.push_back("referenced file " + toPath(entry.fileId) +
                                 " is malformed: " + malformed);
      } else if (format
                     .loadFile(file.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength,
                               ERM_metaOnly)
                     .bad()) {
        check.problems.push_back("referenced file " + toPath(entry.fileId) + " is not DICOM");
      } else {
        DcmMetaInfo& meta = *format.getMetaInfo();
        if (valueOf(meta, DCM_MediaStorageSOPInstanceUID) != entry.sopInstanceUid ||
            valueOf(meta, DCM_MediaStorageSOPClassUID) != entry.sopClassUid ||
            valueOf(meta, DCM_TransferSyntaxUID) != entry.transferSyntaxUid) {
          check.problems.push_back("file " + toPath(entry.fileId) +
                                   " does not match its DICOMDIR record");
        }
      }
      check.entries.push_back(std::move(entry));
    }
    visit(*sub, root, check);
  }
}

}  // namespace

std::vector<FileId> referencedFileIds(const fs::path& dicomdirFile) {
  if (!fs::exists(dicomdirFile)) {
    throw FileSetError(FileSetError::Code::Source, "no DICOMDIR at " + dicomdirFile.string());
  }
  if (const std::string malformed = structuralProblem(dicomdirFile); !malformed.empty()) {
    throw FileSetError(FileSetError::Code::Source, "DICOMDIR is malformed: " + malformed);
  }
  FileSetCheck check;
  try {
    DcmDicomDir dir(dicomdirFile.c_str());
    if (dir.error().bad()) {
      throw FileSetError(FileSetError::Code::Source,
                         std::string("DICOMDIR unreadable: ") + dir.error().text());
    }
    visit(dir.getRootRecord(), dicomdirFile.parent_path(), check);
  } catch (const FileSetError&) {
    throw;
  } catch (const std::exception& e) {
    // DCMTK 3.6.7 lets standard exceptions out of its parser on some malformed records.
    throw FileSetError(FileSetError::Code::Source, std::string("DICOMDIR unreadable: ") + e.what());
  }
  std::vector<FileId> ids;
  for (const auto& e : check.entries) ids.push_back(e.fileId);
  return ids;
}

FileSetCheck checkFileSet(const fs::path& root) {
  FileSetCheck check;
  const fs::path path = root / "DICOMDIR";
  if (!fs::exists(path)) {
    check.problems.push_back("no DICOMDIR in " + root.string());
    return check;
  }
  if (const std::string malformed = structuralProblem(path); !malformed.empty()) {
    check.problems.push_back("DICOMDIR is malformed: " + malformed);
    return check;
  }
  try {
    // DcmDicomDir would create a new DICOMDIR for a missing file; existence is checked above.
    DcmDicomDir dir(path.c_str());
    if (dir.error().bad()) {
      check.problems.push_back(std::string("DICOMDIR unreadable: ") + dir.error().text());
      return check;
    }
    check.fileSetId = valueOf(*dir.getDirFileFormat().getDataset(), DCM_FileSetID);
    visit(dir.getRootRecord(), root, check);
  } catch (const std::exception& e) {
    // DCMTK 3.6.7 lets standard exceptions out of its parser on some malformed records.
    check.problems.push_back(std::string("DICOMDIR unreadable: ") + e.what());
    return check;
  }

  std::set<std::string> referenced;
  for (const FileSetEntry& e : check.entries) {
    if (!referenced.insert(toPath(e.fileId)).second) {
      check.problems.push_back("file " + toPath(e.fileId) + " is referenced twice");
    }
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root / "DICOM", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string relative = fs::relative(it->path(), root).generic_string();
    if (!referenced.count(relative))
      check.problems.push_back("file " + relative + " is not referenced");
  }
  return check;
}

}  // namespace burnstation::dicomdir
