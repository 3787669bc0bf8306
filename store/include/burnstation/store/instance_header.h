// The keys of one instance that the index and the DICOMDIR need, read from the file's
// header only (parsing stops before Pixel Data).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace burnstation::store {

// Text values are kept as the raw bytes of the data set; decode them with the instance's
// Specific Character Set (charset.h). Absent elements are empty strings.
struct InstanceHeader {
  std::string sopClassUid;
  std::string sopInstanceUid;
  std::string transferSyntaxUid;  // from the File Meta
  std::string specificCharacterSet;

  std::string patientId;
  bool patientIdPresent = false;  // absent and empty both need a generated key
  std::string issuerOfPatientId;
  std::string patientName;
  std::string patientBirthDate;
  std::string patientSex;

  std::string studyInstanceUid;
  std::string studyDate;
  std::string studyTime;
  std::string studyId;
  std::string accessionNumber;
  std::string studyDescription;

  std::string seriesInstanceUid;
  std::string modality;
  std::string seriesNumber;
  std::string seriesDescription;

  std::string instanceNumber;

  // Explicit VR Little Endian encoding of the attributes a DICOMDIR leaf record may need
  // (content date/time, concept name, document title, ...), so the file-set writer need
  // not open the instance again.
  std::string recordKeys;

  std::uint64_t datasetOffset = 0;  // first byte after the File Meta Information
};

// Throws StoreError(Code::Parse) with the reader's message when the file is not a
// readable Part-10 file.
InstanceHeader readInstanceHeader(const std::filesystem::path& file);

}  // namespace burnstation::store
