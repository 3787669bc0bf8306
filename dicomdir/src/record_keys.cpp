// DICOMDIR record keys (see record_keys.h). PS3.3 Annex F.5 gives the keys per record type.
#include "record_keys.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/ofstd/ofdatime.h>

#include <array>
#include <utility>

#include "burnstation/store/charset.h"
#include "record_conditions.h"

namespace burnstation::dicomdir {
namespace {

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  item.putAndInsertOFStringArray(tag, OFString(value.data(), value.size()));
}

bool isAscii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == 0x1b) return false;
  }
  return true;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// Puts text in the volume's encoding and marks the record when it needs a character set.
void putText(DcmItem& record, const DcmTagKey& tag, const std::string& raw,
             const std::string& rawCharset, const TextPolicy& text, store::TextVr vr,
             bool& nonAscii) {
  if (text.utf8 && !isAscii(raw)) {
    put(record, tag, store::decodeForDisplay(rawCharset, raw, vr).utf8);
  } else {
    put(record, tag, raw);
  }
  if (!isAscii(raw)) nonAscii = true;
}

void markCharset(DcmItem& record, const TextPolicy& text, bool nonAscii) {
  if (nonAscii) put(record, DCM_SpecificCharacterSet, text.utf8 ? "ISO_IR 192" : text.charset);
}

std::string today() {
  OFDate date;
  date.setCurrentDate();
  OFString s;
  date.getISOFormattedDate(s, OFFalse);
  return s.c_str();
}

std::string now() {
  OFTime time;
  time.setCurrentTime();
  OFString s;
  time.getISOFormattedTime(s, OFTrue, OFFalse, OFFalse, OFFalse);
  return s.c_str();
}

// The store records the leaf keys PS3.3 F.5 asks for (instance_header.cpp, one table).
// These of them are not copied: they are set here (character set, instance number), are
// only the source of a key (the observers' Verification DateTime, record_conditions.cpp),
// or are image properties dciodvfy does not expect in a record other than SPECTROSCOPY,
// whose Type 1 keys they are.
bool copiedIntoRecord(const DcmTagKey& tag, std::string_view recordType) {
  static const DcmTagKey kNeverCopied[] = {
      DCM_SpecificCharacterSet,  DCM_InstanceNumber,          DCM_VerifyingObserverSequence,
      DCM_LossyImageCompression, DCM_ReferencedImageSequence,
  };
  static const DcmTagKey kSpectroscopyOnly[] = {
      DCM_ImageType,
      DCM_Rows,
      DCM_Columns,
      DCM_NumberOfFrames,
      DCM_DataPointRows,
      DCM_DataPointColumns,
      DCM_ReferencedImageEvidenceSequence,
  };
  for (const DcmTagKey& t : kNeverCopied) {
    if (t == tag) return false;
  }
  for (const DcmTagKey& t : kSpectroscopyOnly) {
    if (t == tag) return recordType == "SPECTROSCOPY";
  }
  return true;
}

}  // namespace

E_DirRecType dcmtkRecordType(std::string_view type) {
  static const std::array<std::pair<std::string_view, E_DirRecType>, 25> kTypes = {{
      {"IMAGE", ERT_Image},
      {"SR DOCUMENT", ERT_SRDocument},
      {"KEY OBJECT DOC", ERT_KeyObjectDoc},
      {"PRESENTATION", ERT_Presentation},
      {"WAVEFORM", ERT_Waveform},
      {"ENCAP DOC", ERT_EncapDoc},
      {"RT DOSE", ERT_RTDose},
      {"RT STRUCTURE SET", ERT_RTStructureSet},
      {"RT PLAN", ERT_RTPlan},
      {"RT TREAT RECORD", ERT_RTTreatRecord},
      {"SPECTROSCOPY", ERT_Spectroscopy},
      {"RAW DATA", ERT_RawData},
      {"REGISTRATION", ERT_Registration},
      {"FIDUCIAL", ERT_Fiducial},
      {"SURFACE", ERT_Surface},
      {"VALUE MAP", ERT_ValueMap},
      {"STEREOMETRIC", ERT_Stereometric},
      {"RADIOTHERAPY", ERT_Radiotherapy},
      {"HANGING PROTOCOL", ERT_HangingProtocol},
      {"PALETTE", ERT_Palette},
      {"IMPLANT", ERT_Implant},
      {"IMPLANT ASSY", ERT_ImplantAssy},
      {"IMPLANT GROUP", ERT_ImplantGroup},
      {"STORED PRINT", ERT_StoredPrint},
      {"PRIVATE", ERT_Private},
  }};
  for (const auto& [name, value] : kTypes) {
    if (name == type) return value;
  }
  return ERT_Private;
}

void fillPatientRecord(DcmDirectoryRecord& record, const store::InstanceHeader& first,
                       const store::Selection& selection, const TextPolicy& text) {
  bool nonAscii = false;
  putText(record, DCM_PatientName, first.patientName, first.specificCharacterSet, text,
          store::TextVr::PersonName, nonAscii);
  if (selection.patientIdGenerated) {
    put(record, DCM_PatientID, selection.patientId);  // generated: the instance has none
  } else {
    putText(record, DCM_PatientID, first.patientId, first.specificCharacterSet, text,
            store::TextVr::MultiValued, nonAscii);
  }
  if (!first.patientBirthDate.empty()) put(record, DCM_PatientBirthDate, first.patientBirthDate);
  if (!first.patientSex.empty()) put(record, DCM_PatientSex, first.patientSex);
  markCharset(record, text, nonAscii);
}

void fillStudyRecord(DcmDirectoryRecord& record, const store::InstanceHeader& first,
                     const TextPolicy& text) {
  bool nonAscii = false;
  put(record, DCM_StudyDate, first.studyDate.empty() ? today() : first.studyDate);
  put(record, DCM_StudyTime, first.studyTime.empty() ? now() : first.studyTime);
  putText(record, DCM_StudyDescription, first.studyDescription, first.specificCharacterSet, text,
          store::TextVr::SingleText, nonAscii);
  put(record, DCM_StudyInstanceUID, first.studyInstanceUid);
  const std::string studyId = trimmed(first.studyId);
  if (studyId.empty()) {
    put(record, DCM_StudyID, "UNKNOWN");
  } else {
    putText(record, DCM_StudyID, first.studyId, first.specificCharacterSet, text,
            store::TextVr::MultiValued, nonAscii);
  }
  putText(record, DCM_AccessionNumber, first.accessionNumber, first.specificCharacterSet, text,
          store::TextVr::MultiValued, nonAscii);
  markCharset(record, text, nonAscii);
}

void fillSeriesRecord(DcmDirectoryRecord& record, const store::InstanceHeader& first) {
  put(record, DCM_Modality, first.modality.empty() ? "OT" : first.modality);
  put(record, DCM_SeriesInstanceUID, first.seriesInstanceUid);
  put(record, DCM_SeriesNumber, trimmed(first.seriesNumber).empty() ? "1" : first.seriesNumber);
}

void fillLeafRecord(DcmDirectoryRecord& record, const store::SelectedInstance& instance,
                    int positionInSeries, std::string_view recordType) {
  DcmDataset keys;
  if (!instance.recordKeys.empty()) {
    DcmInputBufferStream in;
    in.setBuffer(instance.recordKeys.data(), static_cast<offile_off_t>(instance.recordKeys.size()));
    in.setEos();
    keys.transferInit();
    const OFCondition read = keys.read(in, EXS_LittleEndianExplicit);
    keys.transferEnd();
    if (read.bad()) keys.clear();
    bool copied = false;
    for (unsigned long i = 0; i < keys.card(); ++i) {
      DcmElement* recorded = keys.getElement(i);
      if (!copiedIntoRecord(recorded->getTag(), recordType)) continue;
      auto* element = static_cast<DcmElement*>(recorded->clone());
      if (record.insert(element, OFTrue).bad()) {
        delete element;
      } else {
        copied = true;
      }
    }
    if (copied && !instance.specificCharacterSet.empty()) {
      put(record, DCM_SpecificCharacterSet, instance.specificCharacterSet);
    }
  }
  const std::string number = trimmed(instance.instanceNumber);
  put(record, DCM_InstanceNumber, number.empty() ? std::to_string(positionInSeries) : number);
  LeafContext context{record, keys, instance};
  supplyConditionalKeys(context, recordType);
}

}  // namespace burnstation::dicomdir
