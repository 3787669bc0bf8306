// Test DICOM data made in code with DCMTK: instances of every kind the station must
// receive, in every transfer syntax, with the patient and study keys a test needs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace burnstation::testdata {

enum class Kind {
  CT,
  MR,
  CR,
  USMultiframe,
  SecondaryCapture,
  SR,
  KOS,
  GSPS,
  EncapsulatedPDF,
  VideoEndoscopic,    // carries MPEG-2 / H.264 / HEVC transfer syntaxes
  RetiredUltrasound,  // 1.2.840.10008.5.1.4.1.1.6
  RetiredNM,          // 1.2.840.10008.5.1.4.1.1.5
  PrivateClass,       // a private storage SOP class under our own UID root
  ColorPalette,       // an object without patient, study or series
  // Non-image objects, one per DICOMDIR leaf record type (PS3.3 F.5), with the attributes
  // their records take keys from.
  BlendingPresentation,  // Blending Sequence instead of Referenced Series Sequence
  EncapsulatedCDA,       // HL7 Instance Identifier (unless omitHl7InstanceIdentifier)
  RawData,
  Waveform,  // 12-lead ECG, without samples
  Spectroscopy,
  Registration,
  Fiducials,
  RTDose,
  RTStructureSet,
  RTPlan,
  RTTreatmentRecord,
  ValueMap,
  Stereometric,
  Surface,
  HangingProtocol,  // like ColorPalette, without patient, study or series
};

struct InstanceSpec {
  Kind kind = Kind::CT;
  // Text as raw bytes in specificCharacterSet (written as is to 0008,0005 when not empty).
  std::string patientIdBytes = "TEST-001";
  std::string patientNameBytes = "TEST^PATIENT";
  std::string issuerOfPatientId;
  std::string birthDate = "19700101";
  std::string sex = "O";
  std::string specificCharacterSet;
  std::string studyInstanceUid;  // generated when empty
  std::string seriesInstanceUid;
  std::string sopInstanceUid;
  std::string accessionNumber;
  std::string studyDate = "20260101";
  std::string studyTime = "120000";
  std::string studyId = "1";
  std::string studyDescription = "TEST STUDY";
  std::string seriesNumber = "1";
  std::string instanceNumber = "1";
  bool omitPatientId = false;
  bool omitStudyDate = false;
  bool omitStudyId = false;
  bool omitSeriesNumber = false;
  bool privateTags = false;
  // SR: VERIFIED, one Verifying Observer per value (DT, in this order); empty: UNVERIFIED.
  std::vector<std::string> verificationDateTimes;
  bool omitHl7InstanceIdentifier = false;  // EncapsulatedCDA
  // SR and KOS: the document title gets a HAS CONCEPT MOD item (the content's language).
  bool conceptModifier = false;
  int rows = 64;
  int columns = 64;
  int bitsAllocated = 16;  // 8 or 16
  // 16-bit only: Pixel Representation 1, the 12-bit pattern minus 2048 (sign-extended words).
  bool signedPixels = false;
  int frames = 1;
  std::string transferSyntax = "1.2.840.10008.1.2.1";
  unsigned seed = 1;  // pixel content differs with the seed
};

std::string newUid();

// Writes <dir>/<SOP Instance UID>.dcm and returns its path. Compressed syntaxes DCMTK can
// encode (JPEG, JPEG-LS, RLE) are really encoded; JPEG 2000, MPEG-2, H.264 and HEVC get one
// fragment of synthetic bytes: not decodable, they exist to test bit-preserving reception.
std::filesystem::path writeInstance(const InstanceSpec& spec, const std::filesystem::path& dir);

// The bytes after the File Meta Information.
std::string datasetBytesOf(const std::filesystem::path& part10File);

// A valid Part-10 meta header followed by arbitrary data set bytes, for failure tests.
void writeRawDatasetFile(const std::filesystem::path& file, const std::string& sopClassUid,
                         const std::string& sopInstanceUid, const std::string& transferSyntaxUid,
                         const std::string& datasetBytes);

}  // namespace burnstation::testdata
