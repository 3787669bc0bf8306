// Writing one volume as a DICOM file-set (see file_set.h). Files go into a hidden staging
// folder inside the target; the DICOMDIR is written last, everything is synced, and only
// then are DICOM/ and DICOMDIR moved into the target, DICOMDIR last.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/dicomdir/record_type.h"
#include "burnstation/store/store_error.h"
#include "dicomdir_file.h"
#include "record_keys.h"

namespace burnstation::dicomdir {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStaging = ".burnstation-partial";

[[noreturn]] void fail(FileSetError::Code code, const std::string& message) {
  throw FileSetError(code, message);
}

void syncFilesystemOf(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail(FileSetError::Code::Target, "cannot open " + path.string() + " to sync it");
  const int rc = ::syncfs(fd);
  ::close(fd);
  if (rc != 0) fail(FileSetError::Code::Target, "cannot flush " + path.string() + " to disk");
}

// Removes the staging folder unless the volume was completed.
struct Staging {
  fs::path path;
  bool done = false;
  ~Staging() {
    std::error_code ignored;
    if (!done) fs::remove_all(path, ignored);
  }
};

store::InstanceHeader headerOf(const store::SelectedInstance& instance) {
  try {
    return store::readInstanceHeader(instance.file);
  } catch (const store::StoreError& e) {
    fail(FileSetError::Code::Source, std::string("stored instance unreadable: ") + e.what());
  }
}

TextPolicy textPolicyFor(const store::Selection& selection, const std::vector<std::size_t>& instances) {
  TextPolicy text;
  bool first = true;
  for (std::size_t i : instances) {
    const std::string& cs = selection.instances[i].specificCharacterSet;
    if (first) {
      text.charset = cs;
      first = false;
    } else if (cs != text.charset) {
      text.utf8 = true;  // the instances disagree: one encoding for the shared records
    }
  }
  return text;
}

}  // namespace

std::string newFileSetId(int volumeIndex) {
  // Time-based and random, never patient data: "BS" + 10 base-36 characters + volume.
  static const char* digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::uint64_t seed = static_cast<std::uint64_t>(
      std::chrono::system_clock::now().time_since_epoch().count());
  seed ^= std::random_device{}();
  std::string id = "BS";
  for (int i = 0; i < 10; ++i, seed /= 36) id += digits[seed % 36];
  char volume[8];
  std::snprintf(volume, sizeof volume, "_%03d", volumeIndex % 1000);
  return id + volume;  // 16 characters
}

WrittenFileSet writeFileSet(const store::Selection& selection, const std::vector<std::size_t>& instances,
                            const std::vector<MediaForm>& forms, const fs::path& root, const std::string& fileSetId,
                            const std::string& stationAe) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) fail(FileSetError::Code::Target, "cannot create " + root.string() + ": " + ec.message());
  if (::access(root.c_str(), W_OK) != 0) {
    fail(FileSetError::Code::Target, root.string() + " is not writable");
  }
  if (fs::exists(root / "DICOMDIR") || fs::exists(root / "DICOM")) {
    fail(FileSetError::Code::Target, root.string() + " already holds a file-set");
  }
  Staging staging{root / kStaging};
  fs::remove_all(staging.path, ec);
  fs::create_directories(staging.path, ec);
  if (ec) fail(FileSetError::Code::Target, "cannot write in " + root.string() + ": " + ec.message());

  WrittenFileSet written{root, fileSetId, {}, 0};
  const TextPolicy text = textPolicyFor(selection, instances);
  DicomDirFile dicomdir(staging.path / "DICOMDIR", fileSetId.c_str());
  DcmDirectoryRecord& rootRecord = dicomdir.getRootRecord();
  FileIdAllocator ids;
  std::map<std::string, DcmDirectoryRecord*> studies, series;
  DcmDirectoryRecord* patient = nullptr;
  std::map<std::string, int> positionInSeries;

  for (std::size_t index : instances) {
    const store::SelectedInstance& in = selection.instances[index];
    const MediaForm& form = forms[index];
    if (form.conversion == Conversion::Unwritable) {
      fail(FileSetError::Code::Encoding, in.sopInstanceUid + ": " + form.reason);
    }
    if (!fs::exists(in.file)) {
      fail(FileSetError::Code::Source, "stored file of " + in.sopInstanceUid + " is missing: " +
                                           in.file.string() + " (run `burnstation check`)");
    }
    const LeafRecord leaf = leafRecordFor(in.sopClassUid);
    const FileId fileId = ids.next(selection.collectionKey, in.studyUid, in.seriesUid);
    const fs::path target = staging.path / toPath(fileId);
    fs::create_directories(target.parent_path(), ec);
    if (ec) fail(FileSetError::Code::Target, "cannot create " + target.parent_path().string());
    std::string writtenSyntax = in.transferSyntaxUid;
    try {
      if (form.conversion != Conversion::None) {
        transcode(in.file, target, form.conversion, stationAe);
        writtenSyntax = transferSyntaxAfter(form.conversion, in.transferSyntaxUid);
      } else {
        fs::copy_file(in.file, target);
      }
    } catch (const fs::filesystem_error& e) {
      fail(FileSetError::Code::Target, "cannot write " + toPath(fileId) + ": " + e.what());
    } catch (const std::runtime_error& e) {
      fail(FileSetError::Code::Encoding, e.what());
    }
    written.bytes += fs::file_size(target);

    const auto recordsStart = std::chrono::steady_clock::now();
    DcmDirectoryRecord* parent = &rootRecord;
    if (!leaf.topLevel) {
      const bool newSeries = series.count(in.seriesUid) == 0;
      const bool newStudy = studies.count(in.studyUid) == 0;
      if (newSeries || newStudy || patient == nullptr) {
        const store::InstanceHeader first = headerOf(in);
        if (patient == nullptr) {
          patient = new DcmDirectoryRecord(ERT_Patient, nullptr, OFFilename());
          fillPatientRecord(*patient, first, selection, text);
          rootRecord.insertSub(patient);
        }
        if (newStudy) {
          auto* study = new DcmDirectoryRecord(ERT_Study, nullptr, OFFilename());
          fillStudyRecord(*study, first, text);
          patient->insertSub(study);
          studies[in.studyUid] = study;
        }
        if (newSeries) {
          auto* record = new DcmDirectoryRecord(ERT_Series, nullptr, OFFilename());
          fillSeriesRecord(*record, first);
          studies[in.studyUid]->insertSub(record);
          series[in.seriesUid] = record;
        }
      }
      parent = series[in.seriesUid];
    }
    auto* record = new DcmDirectoryRecord(dcmtkRecordType(leaf.type), nullptr, OFFilename());
    std::string referenced;
    for (const std::string& part : fileId) referenced += (referenced.empty() ? "" : "\\") + part;
    record->putAndInsertString(DCM_ReferencedFileID, referenced.c_str());
    record->putAndInsertString(DCM_ReferencedSOPClassUIDInFile, in.sopClassUid.c_str());
    record->putAndInsertString(DCM_ReferencedSOPInstanceUIDInFile, in.sopInstanceUid.c_str());
    record->putAndInsertString(DCM_ReferencedTransferSyntaxUIDInFile, writtenSyntax.c_str());
    fillLeafRecord(*record, in, ++positionInSeries[in.seriesUid], leaf.type);
    parent->insertSub(record);
    written.entries.push_back({fileId, in.sopInstanceUid, in.sopClassUid, writtenSyntax,
                               std::string(leaf.type)});
    written.dicomdirSeconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - recordsStart).count();
  }
  const auto writeStart = std::chrono::steady_clock::now();
  const OFCondition status = dicomdir.writeWithOurIdentity(stationAe);
  if (status.bad()) fail(FileSetError::Code::Target, std::string("cannot write the DICOMDIR: ") + status.text());
  written.dicomdirSeconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - writeStart).count();
  written.bytes += fs::file_size(staging.path / "DICOMDIR");
  syncFilesystemOf(staging.path);

  fs::rename(staging.path / "DICOM", root / "DICOM", ec);
  if (!ec) fs::rename(staging.path / "DICOMDIR", root / "DICOMDIR", ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(root / "DICOM", ignored);
    fail(FileSetError::Code::Target, "cannot move the file-set into " + root.string() + ": " + ec.message());
  }
  syncFilesystemOf(root);
  staging.done = true;
  fs::remove_all(staging.path, ec);
  return written;
}

}  // namespace burnstation::dicomdir
