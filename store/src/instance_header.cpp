// Header-only parse of a stored or just-received Part-10 file for the index.
#include "burnstation/store/instance_header.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <vector>

#include "burnstation/store/store_error.h"

namespace burnstation::store {
namespace {

// Values longer than this stay on disk; none of the keys we read is anywhere near it.
constexpr Uint32 kMaxReadLength = 4096;

// Attributes that PS3.3 F.5 asks of the leaf record types besides the ones indexed in
// their own columns. Kept as one table so the file-set writer has a single source.
const DcmTagKey kRecordKeyTags[] = {
    DCM_SpecificCharacterSet,
    DCM_ImageType,
    DCM_ContentDate,
    DCM_ContentTime,
    DCM_InstanceNumber,
    DCM_Rows,
    DCM_Columns,
    DCM_NumberOfFrames,
    DCM_LossyImageCompression,
    DCM_ReferencedImageSequence,
    DCM_ConceptNameCodeSequence,
    DCM_CompletionFlag,
    DCM_VerificationFlag,
    DCM_VerifyingObserverSequence,
    DCM_DocumentTitle,
    DCM_MIMETypeOfEncapsulatedDocument,
    DCM_HL7InstanceIdentifier,
    DCM_PresentationCreationDate,
    DCM_PresentationCreationTime,
    DCM_ContentLabel,
    DCM_ContentDescription,
    DCM_ContentCreatorName,
    DCM_ReferencedSeriesSequence,
    DCM_BlendingSequence,
    DCM_ReferencedImageEvidenceSequence,
    DCM_StructureSetLabel,
    DCM_StructureSetDate,
    DCM_StructureSetTime,
    DCM_RTPlanLabel,
    DCM_RTPlanDate,
    DCM_RTPlanTime,
    DCM_DoseSummationType,
    DCM_TreatmentDate,
    DCM_TreatmentTime,
    DCM_HangingProtocolName,
    DCM_HangingProtocolDescription,
    DCM_HangingProtocolLevel,
    DCM_HangingProtocolCreator,
    DCM_HangingProtocolCreationDateTime,
    DCM_NumberOfPriorsReferenced,
    DCM_HangingProtocolDefinitionSequence,
    DCM_HangingProtocolUserIdentificationCodeSequence,
    DCM_DataPointRows,
    DCM_DataPointColumns,
};

std::string stringOf(DcmItem& item, const DcmTagKey& tag) {
  const char* value = nullptr;
  if (item.findAndGetString(tag, value).good() && value != nullptr) return value;
  return {};
}

// A UID with every byte it has (a NUL inside is kept, for the UID check to refuse), its
// trailing NUL or space padding removed.
std::string uidOf(DcmItem& item, const DcmTagKey& tag) {
  const char* value = nullptr;
  Uint32 length = 0;
  if (item.findAndGetString(tag, value, length).bad() || value == nullptr) return {};
  std::string uid(value, length);
  while (!uid.empty() && (uid.back() == '\0' || uid.back() == ' ')) uid.pop_back();
  return uid;
}

// The raw value of one element (all values, backslashes included), for text that still
// has to be decoded with the instance's character set.
std::string rawOf(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).good())
    return std::string(value.c_str(), value.length());
  return {};
}

// The SR DOCUMENT and KEY OBJECT DOC records take the Content Sequence of the document's
// root with only its HAS CONCEPT MOD items (PS3.3 F.5): the rest of the content stays out.
void copyConceptModifiers(DcmDataset& dataset, DcmDataset& keys) {
  DcmSequenceOfItems* content = nullptr;
  if (dataset.findAndGetSequence(DCM_ContentSequence, content).bad() || content == nullptr) return;
  for (unsigned long i = 0; i < content->card(); ++i) {
    DcmItem* item = content->getItem(i);
    OFString relationship;
    if (item == nullptr || item->findAndGetOFString(DCM_RelationshipType, relationship).bad() ||
        relationship != "HAS CONCEPT MOD") {
      continue;
    }
    auto* copy = new DcmItem(*item);
    if (keys.insertSequenceItem(DCM_ContentSequence, copy).bad()) delete copy;
  }
}

std::string encodeRecordKeys(DcmDataset& dataset) {
  DcmDataset keys;
  for (const DcmTagKey& tag : kRecordKeyTags) {
    DcmElement* copy = nullptr;
    if (dataset.findAndGetElement(tag, copy, OFFalse, OFTrue).good() && copy != nullptr) {
      if (keys.insert(copy, OFTrue).bad()) delete copy;
    }
  }
  copyConceptModifiers(dataset, keys);
  if (keys.card() == 0) return {};
  const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  const Uint32 length = keys.calcElementLength(xfer, EET_ExplicitLength);
  std::vector<char> buffer(length + 16);
  DcmOutputBufferStream out(buffer.data(), static_cast<offile_off_t>(buffer.size()));
  keys.transferInit();
  const OFCondition status = keys.write(out, xfer, EET_ExplicitLength, nullptr);
  keys.transferEnd();
  if (status.bad()) return {};
  void* written = nullptr;
  offile_off_t writtenLength = 0;
  out.flushBuffer(written, writtenLength);
  return std::string(static_cast<const char*>(written), static_cast<std::size_t>(writtenLength));
}

InstanceHeader parseHeader(const std::filesystem::path& file) {
  DcmFileFormat format;
  const OFCondition status = format.loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange,
                                                     kMaxReadLength, ERM_fileOnly, DCM_PixelData);
  if (status.bad()) {
    throw StoreError(StoreError::Code::Parse,
                     "cannot read DICOM file " + file.string() + ": " + status.text());
  }
  DcmMetaInfo& meta = *format.getMetaInfo();
  DcmDataset& data = *format.getDataset();

  InstanceHeader h;
  h.transferSyntaxUid = uidOf(meta, DCM_TransferSyntaxUID);
  h.sopClassUid = uidOf(data, DCM_SOPClassUID);
  h.sopInstanceUid = uidOf(data, DCM_SOPInstanceUID);
  h.specificCharacterSet = rawOf(data, DCM_SpecificCharacterSet);
  h.patientIdPresent = data.tagExists(DCM_PatientID);
  h.patientId = rawOf(data, DCM_PatientID);
  h.issuerOfPatientId = rawOf(data, DCM_IssuerOfPatientID);
  h.patientName = rawOf(data, DCM_PatientName);
  h.patientBirthDate = stringOf(data, DCM_PatientBirthDate);
  h.patientSex = stringOf(data, DCM_PatientSex);
  h.studyInstanceUid = uidOf(data, DCM_StudyInstanceUID);
  h.studyDate = stringOf(data, DCM_StudyDate);
  h.studyTime = stringOf(data, DCM_StudyTime);
  h.studyId = rawOf(data, DCM_StudyID);
  h.accessionNumber = rawOf(data, DCM_AccessionNumber);
  h.studyDescription = rawOf(data, DCM_StudyDescription);
  h.seriesInstanceUid = uidOf(data, DCM_SeriesInstanceUID);
  h.modality = stringOf(data, DCM_Modality);
  h.seriesNumber = stringOf(data, DCM_SeriesNumber);
  h.seriesDescription = rawOf(data, DCM_SeriesDescription);
  h.instanceNumber = stringOf(data, DCM_InstanceNumber);
  h.recordKeys = encodeRecordKeys(data);

  // The meta group length is the only reliable way to find where the data set begins
  // without re-encoding anything: preamble (128) + "DICM" (4) + the group length element (12).
  Uint32 groupLength = 0;
  if (meta.findAndGetUint32(DCM_FileMetaInformationGroupLength, groupLength).good()) {
    h.datasetOffset = 128 + 4 + 12 + groupLength;
  } else {
    h.datasetOffset = 128 + 4 + meta.getLength(EXS_LittleEndianExplicit, EET_ExplicitLength);
  }

  if (h.sopClassUid.empty() || h.sopInstanceUid.empty()) {
    throw StoreError(StoreError::Code::Parse, "cannot read DICOM file " + file.string() +
                                                  ": no SOP Class UID or SOP Instance UID");
  }
  return h;
}

}  // namespace

InstanceHeader readInstanceHeader(const std::filesystem::path& file) {
  try {
    return parseHeader(file);
  } catch (const StoreError&) {
    throw;
  } catch (const std::exception& e) {
    // DCMTK 3.6.7 lets std::out_of_range escape while reading some malformed directory
    // records (found by fuzzing): a file it cannot read is a parse error, not a crash.
    throw StoreError(StoreError::Code::Parse,
                     "cannot read DICOM file " + file.string() + ": " + e.what());
  }
}

}  // namespace burnstation::store
