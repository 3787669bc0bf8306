// What arrives is what is stored: every SOP class and transfer syntax sent by storescu is
// kept byte for byte behind our File Meta, and each failure status has its cause.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <map>

#include "burnstation/store/implementation_identity.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;
using testdata::InstanceSpec;
using testdata::Kind;

struct Meta {
  std::string transferSyntax, implementationUid, versionName, sourceAe, sendingAe, receivingAe;
};

Meta metaOf(const fs::path& file) {
  DcmFileFormat format;
  EXPECT_TRUE(
      format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_metaOnly)
          .good())
      << file;
  DcmMetaInfo* m = format.getMetaInfo();
  auto get = [&](const DcmTagKey& tag) {
    OFString v;
    m->findAndGetOFString(tag, v);
    return std::string(v.c_str());
  };
  return {get(DCM_TransferSyntaxUID),
          get(DCM_ImplementationClassUID),
          get(DCM_ImplementationVersionName),
          get(DCM_SourceApplicationEntityTitle),
          get(DCM_SendingApplicationEntityTitle),
          get(DCM_ReceivingApplicationEntityTitle)};
}

InstanceSpec patientSpec(Kind kind, const std::string& ts, const std::string& study) {
  InstanceSpec s;
  s.kind = kind;
  s.patientIdBytes = "PAT-RX-1";
  s.patientNameBytes = "RECEPTION^TEST";
  s.studyInstanceUid = study;
  s.transferSyntax = ts;
  s.privateTags = true;
  return s;
}

// Every kind in Explicit VR LE, and the transfer syntaxes of REQUIREMENTS §1 on the
// kinds that can carry them.
std::vector<InstanceSpec> receptionMatrix() {
  const std::string study = testdata::newUid();
  std::vector<InstanceSpec> specs;
  for (Kind k : {Kind::CT, Kind::MR, Kind::CR, Kind::USMultiframe, Kind::SecondaryCapture, Kind::SR,
                 Kind::KOS, Kind::GSPS, Kind::EncapsulatedPDF, Kind::RetiredUltrasound,
                 Kind::RetiredNM, Kind::PrivateClass}) {
    specs.push_back(patientSpec(k, UID_LittleEndianExplicitTransferSyntax, study));
  }
  for (const char* ts :
       {UID_LittleEndianImplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
        UID_DeflatedExplicitVRLittleEndianTransferSyntax, UID_JPEGProcess14TransferSyntax,
        UID_JPEGProcess14SV1TransferSyntax, UID_JPEGLSLosslessTransferSyntax,
        UID_JPEGLSLossyTransferSyntax, UID_RLELosslessTransferSyntax,
        UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax}) {
    specs.push_back(patientSpec(Kind::CT, ts, study));
  }
  for (const char* ts : {UID_JPEGProcess1TransferSyntax, UID_JPEGProcess2_4TransferSyntax}) {
    InstanceSpec s = patientSpec(Kind::SecondaryCapture, ts, study);
    s.bitsAllocated = 8;
    specs.push_back(s);
  }
  for (const char* ts :
       {UID_MPEG2MainProfileAtMainLevelTransferSyntax,
        UID_MPEG2MainProfileAtHighLevelTransferSyntax, UID_MPEG4HighProfileLevel4_1TransferSyntax,
        UID_MPEG4BDcompatibleHighProfileLevel4_1TransferSyntax,
        UID_MPEG4HighProfileLevel4_2_For2DVideoTransferSyntax,
        UID_MPEG4HighProfileLevel4_2_For3DVideoTransferSyntax,
        UID_MPEG4StereoHighProfileLevel4_2TransferSyntax, UID_HEVCMainProfileLevel5_1TransferSyntax,
        UID_HEVCMain10ProfileLevel5_1TransferSyntax}) {
    specs.push_back(patientSpec(Kind::VideoEndoscopic, ts, study));
  }
  return specs;
}

TEST(Reception, EverySopClassAndTransferSyntaxIsStoredByteForByte) {
  TempDir dir;
  const auto specs = receptionMatrix();
  std::vector<fs::path> files;
  for (const auto& spec : specs)
    files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
  Station station(dir.path() / "data");

  // storescu proposes a compressed syntax only when told to (-x?), and -R keeps it to the
  // file's own classes, so every file goes out as it is on disk. storescu has no option for
  // Explicit VR Big Endian alone, JPEG .57 or a private class, and it re-deflates deflated
  // files: our DCMTK SCU sends those data sets as raw PDVs.
  const std::map<std::string, std::string> storescuOption = {
      {UID_LittleEndianExplicitTransferSyntax, "-xe"},
      {UID_LittleEndianImplicitTransferSyntax, "-xi"},
      {UID_JPEGProcess2_4TransferSyntax, "-xx"},
      {UID_JPEGProcess14SV1TransferSyntax, "-xs"},
      {UID_JPEGLSLosslessTransferSyntax, "-xt"},
      {UID_JPEGLSLossyTransferSyntax, "-xu"},
      {UID_RLELosslessTransferSyntax, "-xr"},
      {UID_JPEG2000LosslessOnlyTransferSyntax, "-xv"},
      {UID_JPEG2000TransferSyntax, "-xw"},
      {UID_MPEG2MainProfileAtMainLevelTransferSyntax, "-xm"},
      {UID_MPEG2MainProfileAtHighLevelTransferSyntax, "-xh"},
      {UID_MPEG4HighProfileLevel4_1TransferSyntax, "-xn"},
      {UID_MPEG4BDcompatibleHighProfileLevel4_1TransferSyntax, "-xl"},
      {UID_MPEG4HighProfileLevel4_2_For2DVideoTransferSyntax, "-x2"},
      {UID_MPEG4HighProfileLevel4_2_For3DVideoTransferSyntax, "-x3"},
      {UID_MPEG4StereoHighProfileLevel4_2TransferSyntax, "-xo"},
      {UID_HEVCMainProfileLevel5_1TransferSyntax, "-x4"},
      {UID_HEVCMain10ProfileLevel5_1TransferSyntax, "-x5"},
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto option = storescuOption.find(specs[i].transferSyntax);
    if (option != storescuOption.end() && specs[i].kind != Kind::PrivateClass) {
      const auto r = harness::storescu(station.port(), {files[i]}, {"-R", option->second});
      EXPECT_EQ(r.exitCode, 0) << files[i] << "\n" << r.err;
    } else {
      EXPECT_EQ(
          harness::testScuStatuses(station.port(), {files[i]}, {"--raw"}).at(files[i].string()),
          "0000")
          << specs[i].transferSyntax;
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    const fs::path& sent = files[i];
    const std::string uid = sent.stem().string();
    const fs::path stored = harness::storedFileOf(station.dataDir(), uid);
    ASSERT_FALSE(stored.empty()) << "not stored: " << specs[i].transferSyntax << " " << sent;
    const Meta meta = metaOf(stored);
    EXPECT_EQ(meta.transferSyntax, specs[i].transferSyntax) << sent;
    EXPECT_EQ(meta.implementationUid, kImplementationClassUid);
    EXPECT_EQ(meta.versionName, kImplementationVersionName);
    EXPECT_EQ(meta.sourceAe, "BURNSTATION");
    EXPECT_EQ(meta.sendingAe, "MODALITY1");
    EXPECT_EQ(meta.receivingAe, "BURNSTATION");
    std::string expected = testdata::datasetBytesOf(sent);
    if (expected.size() % 2) expected.push_back('\0');  // deflated streams go out padded
    EXPECT_TRUE(testdata::datasetBytesOf(stored) == expected)
        << "data set changed for " << specs[i].transferSyntax << " " << sent;
  }
  const auto patients = harness::patientsJson(station.dataDir());
  ASSERT_EQ(patients["patients"].size(), 1u);
  EXPECT_EQ(patients["patients"][0]["instances"].get<std::size_t>(), files.size());
  EXPECT_EQ(
      harness::queryIndex(station.dataDir(), "SELECT count(*) FROM events WHERE kind = 'received'"),
      std::to_string(files.size()));
}

TEST(Reception, ExplicitLittleEndianIsPreferredWhenBothAreOffered) {
  TempDir dir;
  Station station(dir.path() / "data");
  InstanceSpec spec =
      patientSpec(Kind::CT, UID_LittleEndianImplicitTransferSyntax, testdata::newUid());
  const fs::path file = testdata::writeInstance(spec, dir.path());
  // +C offers every uncompressed syntax in one context; we must pick Explicit LE.
  ASSERT_EQ(harness::storescu(station.port(), {file}, {"+C"}).exitCode, 0);
  const fs::path stored = harness::storedFileOf(station.dataDir(), file.stem().string());
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(metaOf(stored).transferSyntax, UID_LittleEndianExplicitTransferSyntax);
}

TEST(Reception, DataSetOfAnotherSopClassAnswersA900) {
  TempDir dir;
  Station station(dir.path() / "data");
  const fs::path ct = testdata::writeInstance(
      patientSpec(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid()),
      dir.path());
  const auto statuses =
      harness::testScuStatuses(station.port(), {ct}, {"--affected-sop-class", UID_MRImageStorage});
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses.begin()->second, "A900");
  EXPECT_TRUE(harness::storedFileOf(station.dataDir(), ct.stem().string()).empty());
  EXPECT_TRUE(harness::filesEndingWith(station.dataDir() / "incoming", ".part").empty());
}

TEST(Reception, UnparseableDataSetAnswersC000AndTheAssociationGoesOn) {
  TempDir dir;
  Station station(dir.path() / "data");
  const std::string uid = testdata::newUid();
  const fs::path junk = dir.path() / "junk.dcm";
  // A tag header promising 4 GB of value: no parser can read past it.
  std::string bytes("\x08\x00\x16\x00UI\x1a\x00", 8);
  bytes += "1.2.840.10008.5.1.4.1.1.2";
  bytes.push_back('\0');
  bytes += std::string("\x10\x00\x10\x00PN\xff\xff", 8) + "garbage!";  // even, as PDVs must be
  testdata::writeRawDatasetFile(junk, UID_CTImageStorage, uid,
                                UID_LittleEndianExplicitTransferSyntax, bytes);
  const fs::path good = testdata::writeInstance(
      patientSpec(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid()),
      dir.path());
  const auto statuses = harness::testScuStatuses(station.port(), {junk, good}, {"--raw"});
  EXPECT_EQ(statuses.at(junk.string()), "C000");
  EXPECT_EQ(statuses.at(good.string()), "0000");
  EXPECT_FALSE(harness::storedFileOf(station.dataDir(), good.stem().string()).empty());
  EXPECT_TRUE(harness::storedFileOf(station.dataDir(), uid).empty());
}

TEST(Reception, DuplicateWithSameContentKeepsOneCopy) {
  TempDir dir;
  Station station(dir.path() / "data");
  const fs::path file = testdata::writeInstance(
      patientSpec(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid()),
      dir.path());
  ASSERT_EQ(harness::testScuStatuses(station.port(), {file}).at(file.string()), "0000");
  ASSERT_EQ(harness::testScuStatuses(station.port(), {file}).at(file.string()), "0000");
  const auto patients = harness::patientsJson(station.dataDir());
  ASSERT_EQ(patients["patients"].size(), 1u);
  EXPECT_EQ(patients["patients"][0]["instances"], 1);
  EXPECT_TRUE(patients["patients"][0]["conflicts"].empty());
  EXPECT_EQ(harness::filesEndingWith(station.dataDir() / "objects", ".dcm").size(), 1u);
  EXPECT_EQ(harness::queryIndex(station.dataDir(),
                                "SELECT count(*) FROM events WHERE kind = 'duplicate'"),
            "1");
}

TEST(Reception, ResendWithChangedContentIsKeptAsideNotOverwritten) {
  TempDir dir;
  Station station(dir.path() / "data");
  InstanceSpec spec =
      patientSpec(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid());
  spec.sopInstanceUid = testdata::newUid();
  spec.seriesInstanceUid = testdata::newUid();
  const fs::path first = testdata::writeInstance(spec, dir.path() / "first");
  spec.seed = 99;  // other pixels, same UIDs
  const fs::path changed = testdata::writeInstance(spec, dir.path() / "changed");
  ASSERT_NE(testdata::datasetBytesOf(first), testdata::datasetBytesOf(changed));

  ASSERT_EQ(harness::testScuStatuses(station.port(), {first}).at(first.string()), "0000");
  // 0000 again: a failure would make the sender retry forever (REQUIREMENTS §1).
  ASSERT_EQ(harness::testScuStatuses(station.port(), {changed}).at(changed.string()), "0000");

  const fs::path stored = harness::storedFileOf(station.dataDir(), spec.sopInstanceUid);
  EXPECT_TRUE(testdata::datasetBytesOf(stored) == testdata::datasetBytesOf(first));
  const auto aside = harness::filesEndingWith(station.dataDir() / "set-aside", ".dcm");
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_TRUE(testdata::datasetBytesOf(aside[0]) == testdata::datasetBytesOf(changed));
  const auto patients = harness::patientsJson(station.dataDir());
  ASSERT_EQ(patients["patients"].size(), 1u);
  EXPECT_EQ(patients["patients"][0]["instances"], 1);
  ASSERT_EQ(patients["patients"][0]["conflicts"].size(), 1u);
  EXPECT_NE(patients["patients"][0]["conflicts"][0].get<std::string>().find("kept aside"),
            std::string::npos);
}

TEST(Reception, SameUidForAnotherPatientIsKeptAside) {
  TempDir dir;
  Station station(dir.path() / "data");
  InstanceSpec spec =
      patientSpec(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid());
  spec.sopInstanceUid = testdata::newUid();
  const fs::path first = testdata::writeInstance(spec, dir.path() / "a");
  spec.patientIdBytes = "OTHER-9";
  spec.patientNameBytes = "OTHER^PATIENT";
  const fs::path other = testdata::writeInstance(spec, dir.path() / "b");
  ASSERT_EQ(harness::testScuStatuses(station.port(), {first}).at(first.string()), "0000");
  ASSERT_EQ(harness::testScuStatuses(station.port(), {other}).at(other.string()), "0000");
  EXPECT_EQ(harness::filesEndingWith(station.dataDir() / "set-aside", ".dcm").size(), 1u);
  EXPECT_EQ(harness::queryIndex(station.dataDir(), "SELECT count(*) FROM instances"), "1");
  EXPECT_EQ(harness::queryIndex(station.dataDir(),
                                "SELECT reason LIKE '%already stored for patient PAT-RX-1%' "
                                "FROM set_aside"),
            "1");
}

}  // namespace
}  // namespace burnstation
