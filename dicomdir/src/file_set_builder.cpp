// File-set construction (see file_set_builder.h).
#include "file_set_builder.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <fstream>
#include <vector>

#include "burnstation/dicomdir/record_type.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/uid.h"
#include "dcm_values.h"

namespace burnstation::dicomdir {

namespace fs = std::filesystem;

namespace {

store::InstanceHeader headerOf(const store::SelectedInstance& instance) {
  try {
    return store::readInstanceHeader(instance.file);
  } catch (const store::StoreError& e) {
    failFileSet(FileSetError::Code::Source, std::string("stored instance unreadable: ") + e.what());
  }
}

// fs::copy_file uses copy_file_range/sendfile, which some filesystems (FUSE's fusefat on
// USB sticks) do not implement; then the bytes are copied by read and write.
void copyFile(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::copy_file(from, to, ec)) return;
  if (ec != std::errc::function_not_supported && ec != std::errc::not_supported &&
      ec != std::errc::invalid_argument && ec != std::errc::cross_device_link) {
    throw fs::filesystem_error("cannot copy file", from, to, ec);
  }
  fs::remove(to, ec);
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  std::vector<char> buffer(1 << 20);
  while (in && out) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.write(buffer.data(), in.gcount());
  }
  out.flush();
  if (!in.eof() || !out) {
    throw fs::filesystem_error("cannot copy file", from, to,
                               std::make_error_code(std::errc::io_error));
  }
}

}  // namespace

void failFileSet(FileSetError::Code code, const std::string& message) {
  throw FileSetError(code, message);
}

FileSetBuilder::FileSetBuilder(DicomDirFile& dicomdir, fs::path filesRoot,
                               const store::Selection& selection, TextPolicy text,
                               std::string stationAe)
    : dicomdir_(dicomdir),
      filesRoot_(std::move(filesRoot)),
      selection_(selection),
      text_(std::move(text)),
      stationAe_(std::move(stationAe)) {}

std::vector<std::string> FileSetBuilder::adoptExisting() {
  std::vector<std::string> present;
  DcmDirectoryRecord& root = dicomdir_.getRootRecord();
  for (unsigned long p = 0; p < root.cardSub(); ++p) {
    DcmDirectoryRecord* patient = root.getSub(p);
    if (patient->getRecordType() != ERT_Patient) continue;
    const std::string id = valueOf(*patient, DCM_PatientID);
    if (patient_ != nullptr || id != selection_.patientId) {
      failFileSet(FileSetError::Code::Target,
                  "the file-set there holds another patient (Patient ID \"" + id +
                      "\"); a medium holds one patient");
    }
    patient_ = patient;
    for (unsigned long s = 0; s < patient->cardSub(); ++s) {
      DcmDirectoryRecord* study = patient->getSub(s);
      const std::string studyUid = valueOf(*study, DCM_StudyInstanceUID);
      studies_[studyUid] = study;
      for (unsigned long e = 0; e < study->cardSub(); ++e) {
        DcmDirectoryRecord* series = study->getSub(e);
        const std::string seriesUid = valueOf(*series, DCM_SeriesInstanceUID);
        series_[seriesUid] = series;
        for (unsigned long i = 0; i < series->cardSub(); ++i) {
          DcmDirectoryRecord* leaf = series->getSub(i);
          ids_.reserve(fromReferencedFileId(valueOf(*leaf, DCM_ReferencedFileID)),
                       selection_.collectionKey, studyUid, seriesUid);
          present.push_back(valueOf(*leaf, DCM_ReferencedSOPInstanceUIDInFile));
          ++positionInSeries_[seriesUid];
        }
      }
    }
  }
  return present;
}

DcmDirectoryRecord& FileSetBuilder::seriesRecordFor(const store::SelectedInstance& in) {
  const bool newSeries = series_.count(in.seriesUid) == 0;
  const bool newStudy = studies_.count(in.studyUid) == 0;
  if (newSeries || newStudy || patient_ == nullptr) {
    const store::InstanceHeader first = headerOf(in);
    if (patient_ == nullptr) {
      patient_ = new DcmDirectoryRecord(ERT_Patient, nullptr, OFFilename());
      fillPatientRecord(*patient_, first, selection_, text_);
      dicomdir_.getRootRecord().insertSub(patient_);
    }
    if (newStudy) {
      auto* study = new DcmDirectoryRecord(ERT_Study, nullptr, OFFilename());
      fillStudyRecord(*study, first, text_);
      patient_->insertSub(study);
      studies_[in.studyUid] = study;
    }
    if (newSeries) {
      auto* record = new DcmDirectoryRecord(ERT_Series, nullptr, OFFilename());
      fillSeriesRecord(*record, first);
      studies_[in.studyUid]->insertSub(record);
      series_[in.seriesUid] = record;
    }
  }
  return *series_[in.seriesUid];
}

FileSetEntry FileSetBuilder::add(const store::SelectedInstance& in, const MediaForm& form) {
  if (form.conversion == Conversion::Unwritable) {
    failFileSet(FileSetError::Code::Encoding,
                store::printableUid(in.sopInstanceUid) + ": " + form.reason);
  }
  if (!writeFiles_ && form.conversion != Conversion::None) {
    failFileSet(FileSetError::Code::Encoding, "a preview cannot size re-encoded files exactly");
  }
  if (!fs::exists(in.file)) {
    failFileSet(FileSetError::Code::Source,
                "stored file of " + store::printableUid(in.sopInstanceUid) +
                    " is missing: " + in.file.string() + " (run `burnstation check`)");
  }
  const LeafRecord leaf = leafRecordFor(in.sopClassUid);
  FileId fileId = ids_.next(selection_.collectionKey, in.studyUid, in.seriesUid);
  // A foreign file-set may already use the name: never overwrite, take the next one.
  while (writeFiles_ && fs::exists(filesRoot_ / toPath(fileId))) {
    fileId = ids_.next(selection_.collectionKey, in.studyUid, in.seriesUid);
  }
  const fs::path target = filesRoot_ / toPath(fileId);
  if (!writeFiles_) {
    bytes_ += in.size;
    return addRecord(in, fileId, in.transferSyntaxUid, leaf);
  }
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) failFileSet(FileSetError::Code::Target, "cannot create " + target.parent_path().string());
  std::string writtenSyntax = in.transferSyntaxUid;
  try {
    written_.push_back(target);
    if (form.conversion != Conversion::None) {
      transcode(in.file, target, form.conversion, stationAe_);
      writtenSyntax = transferSyntaxAfter(form.conversion, in.transferSyntaxUid);
    } else {
      copyFile(in.file, target);
    }
  } catch (const fs::filesystem_error& e) {
    failFileSet(FileSetError::Code::Target, "cannot write " + toPath(fileId) + ": " + e.what());
  } catch (const std::runtime_error& e) {
    failFileSet(FileSetError::Code::Encoding, e.what());
  }
  bytes_ += fs::file_size(target);
  return addRecord(in, fileId, writtenSyntax, leaf);
}

FileSetEntry FileSetBuilder::addRecord(const store::SelectedInstance& in, const FileId& fileId,
                                       const std::string& writtenSyntax, const LeafRecord& leaf) {
  const auto start = std::chrono::steady_clock::now();
  DcmDirectoryRecord& parent = leaf.topLevel ? dicomdir_.getRootRecord() : seriesRecordFor(in);
  auto* record = new DcmDirectoryRecord(dcmtkRecordType(leaf.type), nullptr, OFFilename());
  record->putAndInsertString(DCM_ReferencedFileID, toReferencedFileId(fileId).c_str());
  record->putAndInsertString(DCM_ReferencedSOPClassUIDInFile, in.sopClassUid.c_str());
  record->putAndInsertString(DCM_ReferencedSOPInstanceUIDInFile, in.sopInstanceUid.c_str());
  record->putAndInsertString(DCM_ReferencedTransferSyntaxUIDInFile, writtenSyntax.c_str());
  fillLeafRecord(*record, in, ++positionInSeries_[in.seriesUid], leaf.type);
  parent.insertSub(record);
  recordSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {fileId, in.sopInstanceUid, in.sopClassUid, writtenSyntax, std::string(leaf.type)};
}

}  // namespace burnstation::dicomdir
