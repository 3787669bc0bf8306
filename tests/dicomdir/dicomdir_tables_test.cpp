// Media profiles, leaf record types and file IDs, checked against PS3.11, PS3.3 F.5 and
// PS3.10 8.2; record types are compared with DCMTK's own table where DCMTK has one.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <set>

#include "burnstation/dicomdir/file_id.h"
#include "burnstation/dicomdir/media_profile.h"
#include "burnstation/dicomdir/record_type.h"

namespace burnstation::dicomdir {
namespace {

TEST(MediaProfile, TransferSyntaxesPerProfile) {
  const auto& cd = mediaProfile(ApplicationProfile::StdGenCd);
  EXPECT_EQ(cd.name, "STD-GEN-CD");
  EXPECT_EQ(cd.defaultCapacity, 700'000'000u);
  EXPECT_TRUE(allowsTransferSyntax(cd, UID_LittleEndianExplicitTransferSyntax));
  EXPECT_FALSE(allowsTransferSyntax(cd, UID_LittleEndianImplicitTransferSyntax));
  EXPECT_FALSE(allowsTransferSyntax(cd, UID_JPEGProcess1TransferSyntax));

  const auto& dvd = mediaProfile(*findMediaProfile("dvd"));
  EXPECT_EQ(dvd.name, "STD-GEN-DVD-JPEG");
  EXPECT_TRUE(allowsTransferSyntax(dvd, UID_JPEGProcess14SV1TransferSyntax));
  EXPECT_FALSE(allowsTransferSyntax(dvd, UID_JPEGProcess14TransferSyntax));  // .57 is transcoded
  EXPECT_FALSE(allowsTransferSyntax(dvd, UID_JPEGLSLosslessTransferSyntax));
  EXPECT_FALSE(allowsTransferSyntax(dvd, UID_LittleEndianImplicitTransferSyntax));

  const auto& usbJ2k = mediaProfile(*findMediaProfile("STD-GEN-USB-J2K"));
  EXPECT_EQ(usbJ2k.defaultCapacity, 0u);  // the stick's free space
  EXPECT_TRUE(allowsTransferSyntax(usbJ2k, UID_JPEG2000LosslessOnlyTransferSyntax));
  EXPECT_FALSE(allowsTransferSyntax(usbJ2k, UID_JPEGProcess1TransferSyntax));

  for (const char* name : {"cd", "dvd", "dvd-j2k", "usb", "usb-j2k"}) {
    EXPECT_TRUE(findMediaProfile(name)) << name;  // the built-in configuration's profiles
  }
  EXPECT_FALSE(findMediaProfile("bluray"));
}

TEST(RecordType, EverySopClassGetsTheRecordOfItsFamily) {
  struct Case {
    const char* uid;
    const char* type;
    bool topLevel;
  };
  const Case cases[] = {
      {UID_CTImageStorage, "IMAGE", false},
      {UID_RETIRED_UltrasoundImageStorage, "IMAGE", false},
      {UID_VideoEndoscopicImageStorage, "IMAGE", false},
      {UID_SegmentationStorage, "IMAGE", false},
      {"1.2.840.10008.5.1.1.29", "IMAGE", false},
      {UID_BasicTextSRStorage, "SR DOCUMENT", false},
      {UID_ComprehensiveSRStorage, "SR DOCUMENT", false},
      {UID_KeyObjectSelectionDocumentStorage, "KEY OBJECT DOC", false},
      {UID_GrayscaleSoftcopyPresentationStateStorage, "PRESENTATION", false},
      {UID_TwelveLeadECGWaveformStorage, "WAVEFORM", false},
      {UID_EncapsulatedPDFStorage, "ENCAP DOC", false},
      {UID_EncapsulatedCDAStorage, "ENCAP DOC", false},
      {UID_RTDoseStorage, "RT DOSE", false},
      {UID_RTStructureSetStorage, "RT STRUCTURE SET", false},
      {UID_RTPlanStorage, "RT PLAN", false},
      {UID_RTIonPlanStorage, "RT PLAN", false},
      {UID_RTBeamsTreatmentRecordStorage, "RT TREAT RECORD", false},
      {UID_RTImageStorage, "IMAGE", false},
      {UID_MRSpectroscopyStorage, "SPECTROSCOPY", false},
      {UID_RawDataStorage, "RAW DATA", false},
      {UID_SpatialRegistrationStorage, "REGISTRATION", false},
      {UID_DeformableSpatialRegistrationStorage, "REGISTRATION", false},
      {UID_SpatialFiducialsStorage, "FIDUCIAL", false},
      {UID_HangingProtocolStorage, "HANGING PROTOCOL", true},
      {UID_ColorPaletteStorage, "PALETTE", true},
      {"1.3.6.1.4.1.99999.1.2", "PRIVATE", false},
  };
  for (const Case& c : cases) {
    const LeafRecord r = leafRecordFor(c.uid);
    EXPECT_EQ(r.type, c.type) << c.uid;
    EXPECT_EQ(r.topLevel, c.topLevel) << c.uid;
  }
}

TEST(RecordType, EveryStorageClassDcmtkKnowsHasAStandardRecord) {
  for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i) {
    EXPECT_NE(leafRecordFor(dcmAllStorageSOPClassUIDs[i]).type, "PRIVATE")
        << dcmAllStorageSOPClassUIDs[i];
  }
}

TEST(FileId, AllocationFollowsPs310) {
  FileIdAllocator ids;
  const FileId first = ids.next("P1", "S1", "SE1");
  EXPECT_EQ(toPath(first), "DICOM/PA000001/ST000001/SE000001/IM000001");
  EXPECT_EQ(toPath(ids.next("P1", "S1", "SE1")), "DICOM/PA000001/ST000001/SE000001/IM000002");
  EXPECT_EQ(toPath(ids.next("P1", "S1", "SE2")), "DICOM/PA000001/ST000001/SE000002/IM000001");
  EXPECT_EQ(toPath(ids.next("P1", "S2", "SE3")), "DICOM/PA000001/ST000002/SE000001/IM000001");
  EXPECT_EQ(toPath(ids.next("P2", "S3", "SE4")), "DICOM/PA000002/ST000001/SE000001/IM000001");
  EXPECT_EQ(toPath(ids.next("P1", "S1", "SE1")), "DICOM/PA000001/ST000001/SE000001/IM000003");
  EXPECT_TRUE(isValidFileId(first));
}

TEST(FileId, ReferencedFileIdRoundTrips) {
  const FileId id = {"DICOM", "PA000001", "ST000001", "SE000001", "IM000001"};
  EXPECT_EQ(toReferencedFileId(id), "DICOM\\PA000001\\ST000001\\SE000001\\IM000001");
  EXPECT_EQ(fromReferencedFileId(toReferencedFileId(id)), id);
  EXPECT_EQ(fromReferencedFileId("DICOM\\IM1 "), (FileId{"DICOM", "IM1"}));  // CS padding
  EXPECT_TRUE(fromReferencedFileId("").empty());
}

TEST(FileId, InvalidIdsAreRecognised) {
  EXPECT_FALSE(isValidFileId({}));
  EXPECT_FALSE(isValidFileId({"dicom"}));         // lower case
  EXPECT_FALSE(isValidFileId({"IM000001.DCM"}));  // extension
  EXPECT_FALSE(isValidFileId({"TOOLONGNAME"}));   // 9 characters
  EXPECT_FALSE(isValidFileId(FileId(9, "A")));    // 9 levels
  EXPECT_TRUE(isValidFileId(FileId(8, "A_9")));
}

}  // namespace
}  // namespace burnstation::dicomdir
