// Test data factory (see dicom_factory.h).
#include "dicom_factory.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcostrmf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/dcmjpls/djencode.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace burnstation::testdata {

namespace fs = std::filesystem;

namespace {

const char* kPrivateSopClass = "2.25.208255112697107640800492106849300800605.9.1";

void registerCodecs() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Lossy encoders would give each file a new SOP Instance UID; tests name files by UID.
    DJEncoderRegistration::registerCodecs(ECC_lossyYCbCr, EUC_never);
    DJDecoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, OFTrue, 0, OFTrue, EJLSUC_never);
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

void check(const OFCondition& c, const std::string& what) {
  if (c.bad()) throw std::runtime_error("test data: " + what + ": " + c.text());
}

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  check(item.putAndInsertOFStringArray(tag, OFString(value.data(), value.size())), "put");
}

struct KindInfo {
  const char* sopClass;
  const char* modality;
};

KindInfo infoOf(Kind kind) {
  switch (kind) {
    case Kind::CT:
      return {UID_CTImageStorage, "CT"};
    case Kind::MR:
      return {UID_MRImageStorage, "MR"};
    case Kind::CR:
      return {UID_ComputedRadiographyImageStorage, "CR"};
    case Kind::USMultiframe:
      return {UID_UltrasoundMultiframeImageStorage, "US"};
    case Kind::SecondaryCapture:
      return {UID_SecondaryCaptureImageStorage, "OT"};
    case Kind::SR:
      return {UID_BasicTextSRStorage, "SR"};
    case Kind::KOS:
      return {UID_KeyObjectSelectionDocumentStorage, "KO"};
    case Kind::GSPS:
      return {UID_GrayscaleSoftcopyPresentationStateStorage, "PR"};
    case Kind::EncapsulatedPDF:
      return {UID_EncapsulatedPDFStorage, "DOC"};
    case Kind::VideoEndoscopic:
      return {UID_VideoEndoscopicImageStorage, "ES"};
    case Kind::RetiredUltrasound:
      return {UID_RETIRED_UltrasoundImageStorage, "US"};
    case Kind::RetiredNM:
      return {UID_RETIRED_NuclearMedicineImageStorage, "NM"};
    case Kind::PrivateClass:
      return {kPrivateSopClass, "OT"};
    case Kind::ColorPalette:
      return {UID_ColorPaletteStorage, ""};
    case Kind::HangingProtocol:
      return {UID_HangingProtocolStorage, ""};
    case Kind::BlendingPresentation:
      return {UID_BlendingSoftcopyPresentationStateStorage, "PR"};
    case Kind::EncapsulatedCDA:
      return {UID_EncapsulatedCDAStorage, "DOC"};
    case Kind::RawData:
      return {UID_RawDataStorage, "OT"};
    case Kind::Waveform:
      return {UID_TwelveLeadECGWaveformStorage, "ECG"};
    case Kind::Spectroscopy:
      return {UID_MRSpectroscopyStorage, "MR"};
    case Kind::Registration:
      return {UID_SpatialRegistrationStorage, "REG"};
    case Kind::Fiducials:
      return {UID_SpatialFiducialsStorage, "FID"};
    case Kind::RTDose:
      return {UID_RTDoseStorage, "RTDOSE"};
    case Kind::RTStructureSet:
      return {UID_RTStructureSetStorage, "RTSTRUCT"};
    case Kind::RTPlan:
      return {UID_RTPlanStorage, "RTPLAN"};
    case Kind::RTTreatmentRecord:
      return {UID_RTBeamsTreatmentRecordStorage, "RTRECORD"};
    case Kind::ValueMap:
      return {UID_RealWorldValueMappingStorage, "RWV"};
    case Kind::Stereometric:
      return {UID_StereometricRelationshipStorage, "SMR"};
    case Kind::Surface:
      return {UID_SurfaceSegmentationStorage, "SEG"};
  }
  return {UID_SecondaryCaptureImageStorage, "OT"};
}

bool isImage(Kind k) {
  switch (k) {
    case Kind::CT:
    case Kind::MR:
    case Kind::CR:
    case Kind::USMultiframe:
    case Kind::SecondaryCapture:
    case Kind::VideoEndoscopic:
    case Kind::RetiredUltrasound:
    case Kind::RetiredNM:
    case Kind::PrivateClass:
      return true;
    default:
      return false;
  }
}

// Content Label, Description and Creator's Name (PS3.3 C.10.9), which the records of
// presentation states, registrations, fiducials and value maps take as keys.
void putContentIdentification(DcmDataset& ds, const char* label) {
  put(ds, DCM_ContentLabel, label);
  put(ds, DCM_ContentDescription, "made by the tests");
  put(ds, DCM_ContentCreatorName, "TESTER");
}

DcmItem* newImageReference(const std::string& seriesUid) {
  auto* series = new DcmItem;
  put(*series, DCM_SeriesInstanceUID, seriesUid);
  auto* image = new DcmItem;
  put(*image, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
  put(*image, DCM_ReferencedSOPInstanceUID, newUid());
  series->insertSequenceItem(DCM_ReferencedImageSequence, image);
  return series;
}

DcmItem* newCode(const char* value, const char* scheme, const char* meaning) {
  auto* item = new DcmItem;
  put(*item, DCM_CodeValue, value);
  put(*item, DCM_CodingSchemeDesignator, scheme);
  put(*item, DCM_CodeMeaning, meaning);
  return item;
}

void addImagePixels(DcmDataset& ds, const InstanceSpec& s, bool video) {
  const int bits = video ? 8 : s.bitsAllocated;
  const int frames = (s.kind == Kind::USMultiframe && s.frames == 1) ? 3 : s.frames;
  const bool rgb = video;
  check(ds.putAndInsertUint16(DCM_SamplesPerPixel, rgb ? 3 : 1), "spp");
  put(ds, DCM_PhotometricInterpretation, rgb ? "YBR_PARTIAL_420" : "MONOCHROME2");
  if (rgb) check(ds.putAndInsertUint16(DCM_PlanarConfiguration, 0), "planar");
  check(ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(s.rows)), "rows");
  check(ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(s.columns)), "columns");
  check(ds.putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(bits)), "bits");
  check(ds.putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(bits == 16 ? 12 : 8)), "stored");
  check(ds.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(bits == 16 ? 11 : 7)), "high");
  const bool signedPixels = s.signedPixels && bits == 16;
  check(ds.putAndInsertUint16(DCM_PixelRepresentation, signedPixels ? 1 : 0), "pixrep");
  if (frames > 1 || video) put(ds, DCM_NumberOfFrames, std::to_string(frames));
  if (s.kind == Kind::CT) {
    put(ds, DCM_RescaleIntercept, "-1024");
    put(ds, DCM_RescaleSlope, "1");
  }
  const std::size_t pixels = static_cast<std::size_t>(s.rows) * s.columns * frames;
  const auto* ts = s.transferSyntax.c_str();
  const DcmXfer xfer(ts);
  if (xfer.isEncapsulated() &&
      !DcmCodecList::canChangeCoding(EXS_LittleEndianExplicit, xfer.getXfer())) {
    // Not encodable here: one fragment of synthetic bytes under an empty offset table.
    auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
    sequence->insert(new DcmPixelItem(DCM_PixelItemTag));
    std::string payload(1024 + (s.seed % 7) * 2, '\0');
    for (std::size_t i = 0; i < payload.size(); ++i)
      payload[i] = static_cast<char>((i * 31 + s.seed) & 0xff);
    auto* fragment = new DcmPixelItem(DCM_PixelItemTag);
    check(fragment->putUint8Array(reinterpret_cast<const Uint8*>(payload.data()),
                                  static_cast<unsigned long>(payload.size())),
          "fragment");
    sequence->insert(fragment);
    auto* pixelData = new DcmPixelData(DCM_PixelData);
    pixelData->putOriginalRepresentation(xfer.getXfer(), nullptr, sequence);
    check(ds.insert(pixelData, OFTrue), "pixel data");
    return;
  }
  if (bits == 16) {
    std::vector<Uint16> data(pixels);
    for (std::size_t i = 0; i < pixels; ++i) {
      data[i] =
          static_cast<Uint16>((i % s.columns) * 3 + (i / s.columns) * 7 + s.seed * 13) & 0x0fff;
      if (signedPixels) data[i] = static_cast<Uint16>(static_cast<int>(data[i]) - 2048);
    }
    check(
        ds.putAndInsertUint16Array(DCM_PixelData, data.data(), static_cast<unsigned long>(pixels)),
        "pixels");
  } else {
    std::vector<Uint8> data(pixels * (rgb ? 3 : 1));
    for (std::size_t i = 0; i < data.size(); ++i) {
      data[i] = static_cast<Uint8>((i % s.columns) + (i / s.columns) * 3 + s.seed * 17);
    }
    check(ds.putAndInsertUint8Array(DCM_PixelData, data.data(),
                                    static_cast<unsigned long>(data.size())),
          "pixels");
  }
}

// Language of Content Item and Descendants: English, modifying the document title.
DcmItem* newLanguageModifier() {
  auto* item = new DcmItem;
  put(*item, DCM_RelationshipType, "HAS CONCEPT MOD");
  put(*item, DCM_ValueType, "CODE");
  item->insertSequenceItem(DCM_ConceptNameCodeSequence,
                           newCode("121049", "DCM", "Language of Content Item and Descendants"));
  item->insertSequenceItem(DCM_ConceptCodeSequence, newCode("en", "RFC5646", "English"));
  return item;
}

void addDocumentContent(DcmDataset& ds, const InstanceSpec& s) {
  if (s.conceptModifier && (s.kind == Kind::SR || s.kind == Kind::KOS)) {
    ds.insertSequenceItem(DCM_ContentSequence, newLanguageModifier());
  }
  switch (s.kind) {
    case Kind::SR: {
      put(ds, DCM_ValueType, "CONTAINER");
      put(ds, DCM_ContinuityOfContent, "SEPARATE");
      put(ds, DCM_CompletionFlag, "COMPLETE");
      put(ds, DCM_VerificationFlag, s.verificationDateTimes.empty() ? "UNVERIFIED" : "VERIFIED");
      for (const std::string& when : s.verificationDateTimes) {
        auto* observer = new DcmItem;
        put(*observer, DCM_VerifyingObserverName, "VERIFYING^DOCTOR");
        observer->insertEmptyElement(DCM_VerifyingObserverIdentificationCodeSequence);
        put(*observer, DCM_VerifyingOrganization, "BURNSTATION TESTS");
        put(*observer, DCM_VerificationDateTime, when);
        ds.insertSequenceItem(DCM_VerifyingObserverSequence, observer);
      }
      put(ds, DCM_ContentDate, s.studyDate);
      put(ds, DCM_ContentTime, s.studyTime);
      ds.insertSequenceItem(DCM_ConceptNameCodeSequence,
                            newCode("11528-7", "LN", "Radiology Report"));
      auto* text = new DcmItem;
      put(*text, DCM_RelationshipType, "CONTAINS");
      put(*text, DCM_ValueType, "TEXT");
      text->insertSequenceItem(DCM_ConceptNameCodeSequence, newCode("121071", "DCM", "Finding"));
      put(*text, DCM_TextValue, "No abnormality seen.");
      ds.insertSequenceItem(DCM_ContentSequence, text);
      break;
    }
    case Kind::KOS: {
      put(ds, DCM_ValueType, "CONTAINER");
      put(ds, DCM_ContinuityOfContent, "SEPARATE");
      put(ds, DCM_ContentDate, s.studyDate);
      put(ds, DCM_ContentTime, s.studyTime);
      ds.insertSequenceItem(DCM_ConceptNameCodeSequence, newCode("113000", "DCM", "Of Interest"));
      auto* evidence = new DcmItem;
      put(*evidence, DCM_StudyInstanceUID, s.studyInstanceUid);
      auto* series = new DcmItem;
      put(*series, DCM_SeriesInstanceUID, s.seriesInstanceUid);
      auto* sop = new DcmItem;
      put(*sop, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
      put(*sop, DCM_ReferencedSOPInstanceUID, newUid());
      series->insertSequenceItem(DCM_ReferencedSOPSequence, sop);
      evidence->insertSequenceItem(DCM_ReferencedSeriesSequence, series);
      ds.insertSequenceItem(DCM_CurrentRequestedProcedureEvidenceSequence, evidence);
      break;
    }
    case Kind::GSPS: {
      put(ds, DCM_ContentLabel, "TEST_PR");
      put(ds, DCM_ContentDescription, "test presentation");
      put(ds, DCM_PresentationCreationDate, s.studyDate);
      put(ds, DCM_PresentationCreationTime, s.studyTime);
      put(ds, DCM_ContentCreatorName, "TESTER");
      auto* series = new DcmItem;
      put(*series, DCM_SeriesInstanceUID, s.seriesInstanceUid);
      auto* image = new DcmItem;
      put(*image, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
      put(*image, DCM_ReferencedSOPInstanceUID, newUid());
      series->insertSequenceItem(DCM_ReferencedImageSequence, image);
      ds.insertSequenceItem(DCM_ReferencedSeriesSequence, series);
      break;
    }
    case Kind::EncapsulatedPDF: {
      std::string pdf =
          "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
      if (pdf.size() % 2) pdf.push_back('\n');
      check(ds.putAndInsertUint8Array(DCM_EncapsulatedDocument,
                                      reinterpret_cast<const Uint8*>(pdf.data()),
                                      static_cast<unsigned long>(pdf.size())),
            "pdf");
      put(ds, DCM_MIMETypeOfEncapsulatedDocument, "application/pdf");
      put(ds, DCM_DocumentTitle, "Test report");
      put(ds, DCM_ContentDate, s.studyDate);
      put(ds, DCM_ContentTime, s.studyTime);
      put(ds, DCM_BurnedInAnnotation, "NO");
      ds.insertEmptyElement(DCM_ConceptNameCodeSequence);
      break;
    }
    case Kind::BlendingPresentation: {
      putContentIdentification(ds, "TEST_BLEND");
      put(ds, DCM_PresentationCreationDate, s.studyDate);
      put(ds, DCM_PresentationCreationTime, s.studyTime);
      for (const char* position : {"UNDERLYING", "SUPERIMPOSED"}) {
        auto* blended = new DcmItem;
        put(*blended, DCM_BlendingPosition, position);
        put(*blended, DCM_StudyInstanceUID, s.studyInstanceUid);
        blended->insertSequenceItem(DCM_ReferencedSeriesSequence, newImageReference(newUid()));
        ds.insertSequenceItem(DCM_BlendingSequence, blended);
      }
      break;
    }
    case Kind::EncapsulatedCDA: {
      std::string cda =
          "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>Test</title></ClinicalDocument>";
      if (cda.size() % 2) cda.push_back(' ');
      check(ds.putAndInsertUint8Array(DCM_EncapsulatedDocument,
                                      reinterpret_cast<const Uint8*>(cda.data()),
                                      static_cast<unsigned long>(cda.size())),
            "cda");
      put(ds, DCM_MIMETypeOfEncapsulatedDocument, "text/XML");
      put(ds, DCM_DocumentTitle, "Test CDA");
      put(ds, DCM_ContentDate, s.studyDate);
      put(ds, DCM_ContentTime, s.studyTime);
      put(ds, DCM_BurnedInAnnotation, "NO");
      ds.insertEmptyElement(DCM_ConceptNameCodeSequence);
      if (!s.omitHl7InstanceIdentifier) {
        put(ds, DCM_HL7InstanceIdentifier, "2.25.1234567890^TEST-CDA-1");
      }
      break;
    }
    case Kind::RawData:
    case Kind::Waveform:
      put(ds, DCM_ContentDate, s.studyDate);
      put(ds, DCM_ContentTime, s.studyTime);
      break;
    case Kind::Spectroscopy: {
      put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\SPECTROSCOPY\\NONE");
      put(ds, DCM_ContentDate, s.studyDate);
      put(ds, DCM_ContentTime, s.studyTime);
      put(ds, DCM_NumberOfFrames, "1");
      check(ds.putAndInsertUint16(DCM_Rows, 1), "rows");
      check(ds.putAndInsertUint16(DCM_Columns, 1), "columns");
      check(ds.putAndInsertUint32(DCM_DataPointRows, 1), "data point rows");
      check(ds.putAndInsertUint32(DCM_DataPointColumns, 8), "data point columns");
      auto* evidence = new DcmItem;
      put(*evidence, DCM_ReferencedSOPClassUID, UID_MRImageStorage);
      put(*evidence, DCM_ReferencedSOPInstanceUID, newUid());
      ds.insertSequenceItem(DCM_ReferencedImageEvidenceSequence, evidence);
      break;
    }
    case Kind::Registration:
    case Kind::Fiducials:
    case Kind::ValueMap:
    case Kind::Stereometric:
    case Kind::Surface:
      putContentIdentification(ds, "TEST_CONTENT");
      put(ds, DCM_ContentDate, s.studyDate);
      put(ds, DCM_ContentTime, s.studyTime);
      break;
    case Kind::RTDose:
      put(ds, DCM_DoseSummationType, "PLAN");
      put(ds, DCM_DoseUnits, "GY");
      put(ds, DCM_DoseType, "PHYSICAL");
      break;
    case Kind::RTStructureSet:
      put(ds, DCM_StructureSetLabel, "TEST_SET");
      put(ds, DCM_StructureSetDate, s.studyDate);
      put(ds, DCM_StructureSetTime, s.studyTime);
      break;
    case Kind::RTPlan:
      put(ds, DCM_RTPlanLabel, "TEST_PLAN");
      put(ds, DCM_RTPlanDate, s.studyDate);
      put(ds, DCM_RTPlanTime, s.studyTime);
      put(ds, DCM_PlanIntent, "CURATIVE");
      break;
    case Kind::RTTreatmentRecord:
      put(ds, DCM_TreatmentDate, s.studyDate);
      put(ds, DCM_TreatmentTime, s.studyTime);
      break;
    case Kind::HangingProtocol: {
      put(ds, DCM_HangingProtocolName, "TEST_HP");
      put(ds, DCM_HangingProtocolDescription, "one CT image set");
      put(ds, DCM_HangingProtocolLevel, "SITE");
      put(ds, DCM_HangingProtocolCreator, "TESTER");
      put(ds, DCM_HangingProtocolCreationDateTime, s.studyDate + s.studyTime);
      check(ds.putAndInsertUint16(DCM_NumberOfPriorsReferenced, 0), "priors");
      auto* definition = new DcmItem;
      put(*definition, DCM_Modality, "CT");
      // Type 2 in the IOD, but dciodvfy wants an item in the record (VM 1-n).
      definition->insertSequenceItem(DCM_ProcedureCodeSequence,
                                     newCode("24627-2", "LN", "CT Chest"));
      definition->insertSequenceItem(DCM_ReasonForRequestedProcedureCodeSequence,
                                     newCode("R06.00", "I10", "Dyspnea"));
      ds.insertSequenceItem(DCM_HangingProtocolDefinitionSequence, definition);
      ds.insertEmptyElement(DCM_HangingProtocolUserIdentificationCodeSequence);
      break;
    }
    case Kind::ColorPalette: {
      put(ds, DCM_ContentLabel, "TEST_PALETTE");
      put(ds, DCM_ContentDescription, "grey ramp");
      put(ds, DCM_ContentCreatorName, "TESTER");
      const Uint16 descriptor[] = {256, 0, 8};
      std::vector<Uint16> ramp(256);
      for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<Uint16>(i * 257);
      for (const auto& [d, data] :
           {std::pair{DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData},
            std::pair{DCM_GreenPaletteColorLookupTableDescriptor,
                      DCM_GreenPaletteColorLookupTableData},
            std::pair{DCM_BluePaletteColorLookupTableDescriptor,
                      DCM_BluePaletteColorLookupTableData}}) {
        check(ds.putAndInsertUint16Array(d, descriptor, 3), "palette descriptor");
        check(ds.putAndInsertUint16Array(data, ramp.data(), 256), "palette data");
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace

std::string newUid() {
  char buffer[100];
  dcmGenerateUniqueIdentifier(buffer);  // the default root leaves room for the unique part
  return buffer;
}

fs::path writeInstance(const InstanceSpec& spec, const fs::path& dir) {
  registerCodecs();
  InstanceSpec s = spec;
  if (s.studyInstanceUid.empty()) s.studyInstanceUid = newUid();
  if (s.seriesInstanceUid.empty()) s.seriesInstanceUid = newUid();
  if (s.sopInstanceUid.empty()) s.sopInstanceUid = newUid();
  const KindInfo info = infoOf(s.kind);

  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  if (!s.specificCharacterSet.empty()) put(ds, DCM_SpecificCharacterSet, s.specificCharacterSet);
  put(ds, DCM_SOPClassUID, info.sopClass);
  put(ds, DCM_SOPInstanceUID, s.sopInstanceUid);
  // A Color Palette belongs to no patient: none of the patient, study or series modules.
  if (s.kind != Kind::ColorPalette && s.kind != Kind::HangingProtocol) {
    if (!s.omitStudyDate) put(ds, DCM_StudyDate, s.studyDate);
    put(ds, DCM_StudyTime, s.studyTime);
    put(ds, DCM_AccessionNumber, s.accessionNumber);
    put(ds, DCM_Modality, info.modality);
    put(ds, DCM_Manufacturer, "BURNSTATION TESTS");
    put(ds, DCM_ReferringPhysicianName, "");
    put(ds, DCM_StudyDescription, s.studyDescription);
    put(ds, DCM_PatientName, s.patientNameBytes);
    if (!s.omitPatientId) put(ds, DCM_PatientID, s.patientIdBytes);
    if (!s.issuerOfPatientId.empty()) put(ds, DCM_IssuerOfPatientID, s.issuerOfPatientId);
    put(ds, DCM_PatientBirthDate, s.birthDate);
    put(ds, DCM_PatientSex, s.sex);
    put(ds, DCM_StudyInstanceUID, s.studyInstanceUid);
    put(ds, DCM_SeriesInstanceUID, s.seriesInstanceUid);
    if (!s.omitStudyId) put(ds, DCM_StudyID, s.studyId);
    if (!s.omitSeriesNumber) put(ds, DCM_SeriesNumber, s.seriesNumber);
  }
  put(ds, DCM_InstanceNumber, s.instanceNumber);
  if (s.privateTags) {
    put(ds, DcmTag(0x0029, 0x0010, EVR_LO), "BURNSTATION TEST");
    check(ds.putAndInsertString(DcmTag(0x0029, 0x1010, EVR_LO), "private value"), "private");
    const Uint8 blob[] = {1, 2, 3, 4, 5, 6};
    check(ds.putAndInsertUint8Array(DcmTag(0x0029, 0x1020, EVR_OB), blob, sizeof blob), "private");
  }
  if (isImage(s.kind)) {
    put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL");
    addImagePixels(ds, s, s.kind == Kind::VideoEndoscopic);
  } else {
    addDocumentContent(ds, s);
  }

  const DcmXfer xfer(s.transferSyntax.c_str());
  if (xfer.getXfer() == EXS_Unknown)
    throw std::runtime_error("unknown transfer syntax " + s.transferSyntax);
  if (xfer.isEncapsulated() && isImage(s.kind) && ds.tagExists(DCM_PixelData)) {
    if (DcmCodecList::canChangeCoding(EXS_LittleEndianExplicit, xfer.getXfer())) {
      check(ds.chooseRepresentation(xfer.getXfer(), nullptr), "encode " + s.transferSyntax);
      if (!ds.canWriteXfer(xfer.getXfer()))
        throw std::runtime_error("cannot encode " + s.transferSyntax);
    }
  }
  fs::create_directories(dir);
  const fs::path path = dir / (s.sopInstanceUid + ".dcm");
  check(file.saveFile(path.c_str(), xfer.getXfer(), EET_ExplicitLength, EGL_recalcGL, EPD_noChange,
                      0, 0, EWM_createNewMeta),
        "save " + path.string());
  return path;
}

std::string datasetBytesOf(const fs::path& part10File) {
  std::ifstream in(part10File, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  const std::string all = s.str();
  if (all.size() < 144 || all.compare(128, 4, "DICM") != 0) {
    throw std::runtime_error("not a Part-10 file: " + part10File.string());
  }
  const auto* p = reinterpret_cast<const unsigned char*>(all.data() + 140);
  const std::size_t groupLength =
      p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::size_t>(p[3]) << 24);
  return all.substr(144 + groupLength);
}

void writeRawDatasetFile(const fs::path& file, const std::string& sopClassUid,
                         const std::string& sopInstanceUid, const std::string& transferSyntaxUid,
                         const std::string& datasetBytes) {
  {
    DcmMetaInfo meta;
    const Uint8 version[] = {0, 1};
    check(meta.putAndInsertUint8Array(DCM_FileMetaInformationVersion, version, 2), "meta");
    put(meta, DCM_MediaStorageSOPClassUID, sopClassUid);
    put(meta, DCM_MediaStorageSOPInstanceUID, sopInstanceUid);
    put(meta, DCM_TransferSyntaxUID, transferSyntaxUid);
    put(meta, DCM_ImplementationClassUID, "2.25.208255112697107640800492106849300800605.8.1");
    check(meta.computeGroupLengthAndPadding(
              EGL_withGL, EPD_noChange, META_HEADER_DEFAULT_TRANSFERSYNTAX, EET_UndefinedLength),
          "group length");
    DcmOutputFileStream out(file.c_str());
    meta.transferInit();
    check(meta.write(out, META_HEADER_DEFAULT_TRANSFERSYNTAX, EET_ExplicitLength, nullptr),
          "write meta");
    meta.transferEnd();
  }
  std::ofstream(file, std::ios::binary | std::ios::app) << datasetBytes;
}

}  // namespace burnstation::testdata
