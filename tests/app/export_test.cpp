// `plan` and `export` end to end: instances received by the real service, file-sets
// written by the command line, read back by readers nobody here wrote (dciodvfy, pydicom,
// dcmdump) and by our own file-set reader.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/iso_volume.h"
#include "dicom_factory.h"
#include "file_set_readers.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::CommandResult;
using harness::Station;
using harness::TempDir;
using testdata::InstanceSpec;
using testdata::Kind;

CommandResult bs(const std::vector<std::string>& args) {
  return harness::burnstation(args);
}

std::string pixelsAsExplicitLittle(const fs::path& file) {
  static const bool registered = [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
    return true;
  }();
  (void)registered;
  DcmFileFormat f;
  EXPECT_TRUE(f.loadFile(file.c_str()).good());
  EXPECT_TRUE(f.getDataset()->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).good());
  const Uint8* pixels = nullptr;
  unsigned long count = 0;
  DcmElement* element = nullptr;
  if (f.getDataset()->findAndGetElement(DCM_PixelData, element).good()) {
    element->getUint8Array(const_cast<Uint8*&>(pixels));
    count = element->getLength();
  }
  return pixels ? std::string(reinterpret_cast<const char*>(pixels), count) : std::string();
}

// The first value of tag in the DICOMDIR (each of these tags lives in one record level).
std::string recordValue(const fs::path& dicomdirFile, const DcmTagKey& tag) {
  char key[16];
  std::snprintf(key, sizeof key, "%04x,%04x", tag.getGroup(), tag.getElement());
  const auto dump = harness::runCommand({"dcmdump", "+P", key, dicomdirFile.string()});
  const auto open = dump.out.find('[');
  const auto close = dump.out.find(']', open);
  return open == std::string::npos ? std::string() : dump.out.substr(open + 1, close - open - 1);
}

class ExportTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Station> station;
  std::vector<fs::path> sent;

  void receive(const std::vector<InstanceSpec>& specs) {
    for (const auto& s : specs) sent.push_back(testdata::writeInstance(s, dir.path() / "sent"));
    if (!station) station = std::make_unique<Station>(dir.path() / "data");
    const auto statuses = harness::testScuStatuses(station->port(), sent, {"--raw"});
    for (const auto& [file, status] : statuses) ASSERT_EQ(status, "0000") << file;
  }
  CommandResult exportTo(const fs::path& to, const std::vector<std::string>& more = {}) {
    std::vector<std::string> args = {"export", "--data-dir", station->dataDir().string(), "--to",
                                     to.string()};
    args.insert(args.end(), more.begin(), more.end());
    return bs(args);
  }
};

InstanceSpec patient(Kind kind, const std::string& ts, const std::string& study) {
  InstanceSpec s;
  s.kind = kind;
  s.patientIdBytes = "EXP-1";
  s.patientNameBytes = "EXPORT^TEST";
  s.studyInstanceUid = study;
  s.transferSyntax = ts;
  s.privateTags = true;
  return s;
}

TEST_F(ExportTest, EveryKindAndSyntaxBecomesAValidCdFileSet) {
  const std::string study = testdata::newUid();
  std::vector<InstanceSpec> specs;
  for (Kind k : {Kind::CT, Kind::MR, Kind::CR, Kind::USMultiframe, Kind::SecondaryCapture, Kind::SR,
                 Kind::KOS, Kind::GSPS, Kind::EncapsulatedPDF, Kind::RetiredUltrasound,
                 Kind::RetiredNM, Kind::PrivateClass}) {
    specs.push_back(patient(k, UID_LittleEndianExplicitTransferSyntax, study));
  }
  for (const char* ts :
       {UID_LittleEndianImplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
        UID_DeflatedExplicitVRLittleEndianTransferSyntax, UID_JPEGProcess14TransferSyntax,
        UID_JPEGProcess14SV1TransferSyntax, UID_JPEGLSLosslessTransferSyntax,
        UID_RLELosslessTransferSyntax}) {
    specs.push_back(patient(Kind::CT, ts, study));
  }
  receive(specs);
  const fs::path out = dir.path() / "cd";
  const auto r = exportTo(out, {"--patient", "EXP-1", "--profile", "cd", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["volumes"].size(), 1u);
  EXPECT_EQ(doc["volumes"][0]["file_set_id"].get<std::string>().size(), 16u);
  expectReadersAccept(out, specs.size());

  const dicomdir::FileSetCheck check = dicomdir::checkFileSet(out);
  std::set<std::string> recordTypes;
  for (const auto& e : check.entries) {
    recordTypes.insert(e.recordType);
    EXPECT_EQ(e.transferSyntaxUid, UID_LittleEndianExplicitTransferSyntax);  // STD-GEN-CD
    const fs::path exported = out / dicomdir::toPath(e.fileId);
    const fs::path stored = harness::storedFileOf(station->dataDir(), e.sopInstanceUid);
    DcmFileFormat meta;
    meta.loadFile(stored.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_metaOnly);
    OFString storedSyntax;
    meta.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, storedSyntax);
    if (storedSyntax == UID_LittleEndianExplicitTransferSyntax) {
      EXPECT_TRUE(testdata::datasetBytesOf(exported) == testdata::datasetBytesOf(stored))
          << "kept as-is but changed: " << e.sopInstanceUid;
    } else {
      EXPECT_TRUE(pixelsAsExplicitLittle(exported) == pixelsAsExplicitLittle(stored))
          << "pixels changed by re-encoding from " << storedSyntax;
    }
  }
  for (const char* type :
       {"IMAGE", "SR DOCUMENT", "KEY OBJECT DOC", "PRESENTATION", "ENCAP DOC", "PRIVATE"}) {
    EXPECT_TRUE(recordTypes.count(type)) << type;
  }
}

TEST_F(ExportTest, WhatACdCannotHoldIsListedNeverDropped) {
  const std::string study = testdata::newUid();
  receive({patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, study),
           patient(Kind::CT, UID_JPEG2000LosslessOnlyTransferSyntax, study),
           patient(Kind::VideoEndoscopic, UID_MPEG2MainProfileAtMainLevelTransferSyntax, study)});
  const auto plan = bs({"plan", "--data-dir", station->dataDir().string(), "--patient", "EXP-1",
                        "--profile", "cd", "--json"});
  ASSERT_EQ(plan.exitCode, 0) << plan.err;
  const auto doc = nlohmann::json::parse(plan.out);
  EXPECT_EQ(doc["unplaceable"].size(), 2u);
  EXPECT_EQ(doc["volumes"][0]["instances"], 1);
  const auto r = exportTo(dir.path() / "cd", {"--patient", "EXP-1", "--profile", "cd"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("2 instances cannot be written to STD-GEN-CD"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "cd"));
  // The J2K profile takes the JPEG 2000 instance as it is.
  const auto j2k = bs({"plan", "--data-dir", station->dataDir().string(), "--patient", "EXP-1",
                       "--profile", "dvd-j2k", "--json"});
  EXPECT_EQ(nlohmann::json::parse(j2k.out)["unplaceable"].size(), 1u);
}

TEST_F(ExportTest, GeneratedKeysAppearExactlyWhereKeysWereMissing) {
  InstanceSpec missing =
      patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid());
  missing.omitPatientId = true;
  missing.patientNameBytes = "NOKEYS^PAT";
  missing.accessionNumber = "A900";
  missing.omitStudyDate = true;
  missing.omitStudyId = true;
  missing.omitSeriesNumber = true;
  missing.instanceNumber = "";
  receive({missing});
  const fs::path out = dir.path() / "out";
  ASSERT_EQ(exportTo(out, {"--patient", "ACC-A900", "--profile", "cd"}).exitCode, 0);
  const fs::path dd = out / "DICOMDIR";
  EXPECT_EQ(recordValue(dd, DCM_PatientID), "ACC-A900");
  EXPECT_EQ(recordValue(dd, DCM_StudyID), "UNKNOWN");
  EXPECT_EQ(recordValue(dd, DCM_SeriesNumber), "1");
  EXPECT_EQ(recordValue(dd, DCM_InstanceNumber), "1");
  EXPECT_EQ(recordValue(dd, DCM_StudyDate).size(), 8u);
  // The instance itself is unchanged: still no Patient ID.
  const auto check = dicomdir::checkFileSet(out);
  ASSERT_EQ(check.entries.size(), 1u);
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile((out / dicomdir::toPath(check.entries[0].fileId)).c_str()).good());
  EXPECT_FALSE(f.getDataset()->tagExists(DCM_PatientID));
  expectReadersAccept(out, 1);
}

TEST_F(ExportTest, JapaneseAndUtf8NamesSurviveIntoTheRecords) {
  InstanceSpec japanese =
      patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid());
  japanese.patientIdBytes = "JP-1";
  japanese.specificCharacterSet = "\\ISO 2022 IR 87";
  japanese.patientNameBytes =
      "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B";
  InstanceSpec utf8 = patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid());
  utf8.patientIdBytes = "NO-1";
  utf8.specificCharacterSet = "ISO_IR 192";
  utf8.patientNameBytes = "Ødegård^Åse";
  receive({japanese, utf8});
  for (const auto& [id, name, charset] :
       {std::tuple{"JP-1", japanese.patientNameBytes, "\\ISO 2022 IR 87"},
        std::tuple{"NO-1", utf8.patientNameBytes, "ISO_IR 192"}}) {
    const fs::path out = dir.path() / id;
    ASSERT_EQ(exportTo(out, {"--patient", id, "--profile", "cd"}).exitCode, 0);
    const auto dump = harness::runCommand(
        {"dcmdump", "+P", "0010,0010", "+P", "0008,0005", (out / "DICOMDIR").string()});
    EXPECT_NE(dump.out.find(name), std::string::npos) << dump.out;
    EXPECT_NE(dump.out.find(charset), std::string::npos) << dump.out;
    expectReadersAccept(out, 1);
  }
}

TEST_F(ExportTest, LossySourcesKeepTheirLossyFlagsWhenDecoded) {
  InstanceSpec lossy =
      patient(Kind::SecondaryCapture, UID_JPEGProcess1TransferSyntax, testdata::newUid());
  lossy.bitsAllocated = 8;
  receive({lossy});
  const fs::path out = dir.path() / "cd";
  ASSERT_EQ(exportTo(out, {"--patient", "EXP-1", "--profile", "cd"}).exitCode, 0);
  const auto entries = dicomdir::checkFileSet(out).entries;
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].transferSyntaxUid, UID_LittleEndianExplicitTransferSyntax);
  DcmFileFormat stored, exported;
  ASSERT_TRUE(stored.loadFile(sent[0].c_str()).good());
  ASSERT_TRUE(exported.loadFile((out / dicomdir::toPath(entries[0].fileId)).c_str()).good());
  for (const DcmTagKey& tag : {DCM_LossyImageCompression, DCM_LossyImageCompressionMethod,
                               DCM_LossyImageCompressionRatio}) {
    OFString before, after;
    stored.getDataset()->findAndGetOFStringArray(tag, before);
    exported.getDataset()->findAndGetOFStringArray(tag, after);
    EXPECT_FALSE(before.empty()) << tag.toString() << " missing in the lossy source";
    EXPECT_EQ(before, after) << tag.toString();
  }
  OFString uid;
  exported.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid);
  EXPECT_EQ(std::string(uid.c_str()), sent[0].stem().string());  // never a new UID
}

TEST_F(ExportTest, ObjectsWithoutAPatientGetTopLevelRecords) {
  InstanceSpec palette;
  palette.kind = Kind::ColorPalette;
  receive({palette});
  const auto patients = harness::patientsJson(station->dataDir());
  ASSERT_EQ(patients["patients"].size(), 1u);
  EXPECT_TRUE(patients["patients"][0]["id_generated"].get<bool>());
  const std::string key = patients["patients"][0]["key"];
  const fs::path out = dir.path() / "palette";
  const auto r = exportTo(out, {"--patient", key, "--profile", "cd"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto dump = harness::runCommand({"dcmdump", (out / "DICOMDIR").string()});
  EXPECT_NE(dump.out.find("\"Directory Record\" PALETTE"), std::string::npos) << dump.out;
  EXPECT_EQ(dump.out.find("\"Directory Record\" PATIENT"), std::string::npos) << dump.out;
  expectReadersAccept(out, 1);
}

TEST_F(ExportTest, InstancesThatDisagreeOnTheirCharacterSetGetUtf8Records) {
  const std::string study = testdata::newUid();
  InstanceSpec latin1 = patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, study);
  latin1.patientIdBytes = "DE-1";
  latin1.specificCharacterSet = "ISO_IR 100";
  latin1.patientNameBytes = "M\xfcller^Hans";
  InstanceSpec utf8 = latin1;
  utf8.specificCharacterSet = "ISO_IR 192";
  utf8.patientNameBytes = "Müller^Hans";
  receive({latin1, utf8});
  const fs::path out = dir.path() / "de";
  ASSERT_EQ(exportTo(out, {"--patient", "DE-1", "--profile", "cd"}).exitCode, 0);
  const auto dump = harness::runCommand(
      {"dcmdump", "+P", "0010,0010", "+P", "0008,0005", (out / "DICOMDIR").string()});
  EXPECT_NE(dump.out.find("ISO_IR 192"), std::string::npos) << dump.out;
  EXPECT_NE(dump.out.find("Müller^Hans"), std::string::npos) << dump.out;
  EXPECT_EQ(dump.out.find("M\xfcller"), std::string::npos) << "Latin-1 bytes under UTF-8";
  expectReadersAccept(out, 2);
}

TEST_F(ExportTest, SpanningKeepsEveryInstanceExactlyOnce) {
  std::vector<InstanceSpec> specs;
  const std::string bigStudy = testdata::newUid(), bigSeries = testdata::newUid();
  for (int i = 0; i < 300; ++i) {
    InstanceSpec s = patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, bigStudy);
    s.privateTags = false;
    s.seriesInstanceUid = bigSeries;
    s.instanceNumber = std::to_string(i + 1);
    s.rows = s.columns = 32;
    s.seed = static_cast<unsigned>(i);
    specs.push_back(s);
  }
  for (int study = 0; study < 3; ++study) {
    InstanceSpec s = patient(Kind::MR, UID_LittleEndianExplicitTransferSyntax, testdata::newUid());
    s.studyDate = "2025010" + std::to_string(study + 1);
    specs.push_back(s);
  }
  receive(specs);
  // An admin profile without the viewer, so a 1 MB medium holds a few hundred tiny files.
  const fs::path config = dir.path() / "profiles.toml";
  std::ofstream(config) << "[[profile]]\nname = \"tiny-cd\"\nmedium = \"STD-GEN-CD\"\n"
                           "capacity = \"1M\"\nviewer = false\n";
  const fs::path out = dir.path() / "span";
  const auto r = exportTo(
      out, {"--config", config.string(), "--patient", "EXP-1", "--profile", "tiny-cd", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_GT(doc["volumes"].size(), 1u);
  std::multiset<std::string> seen;
  for (const auto& v : doc["volumes"]) {
    const fs::path root = v["path"].get<std::string>();
    EXPECT_EQ(root.filename().string().rfind("VOL", 0), 0u);
    EXPECT_LE(fs::file_size(root / "DICOMDIR"), 1'000'000u);
    const auto check = dicomdir::checkFileSet(root);
    EXPECT_TRUE(check.ok());
    for (const auto& e : check.entries) seen.insert(e.sopInstanceUid);
  }
  EXPECT_EQ(seen.size(), specs.size());
  for (const auto& uid : seen) EXPECT_EQ(seen.count(uid), 1u) << uid;
  expectReadersAccept(
      doc["volumes"][0]["path"].get<std::string>(),
      dicomdir::checkFileSet(doc["volumes"][0]["path"].get<std::string>()).entries.size());
}

std::string fileBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(ExportTest, UpdateAddsNewStudiesToTheFileSetThere) {
  receive({patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid())});
  const fs::path out = dir.path() / "usb";
  ASSERT_EQ(
      exportTo(out, {"--patient", "EXP-1", "--profile", "usb", "--capacity", "100M"}).exitCode, 0);
  const auto first = dicomdir::checkFileSet(out);
  ASSERT_EQ(first.entries.size(), 1u);
  const fs::path firstFile = out / dicomdir::toPath(first.entries[0].fileId);
  const std::string firstBytes = fileBytes(firstFile);

  // A new study arrives; --update adds it (and only it) to the stick's file-set.
  sent.clear();
  receive({patient(Kind::MR, UID_LittleEndianImplicitTransferSyntax, testdata::newUid()),
           patient(Kind::MR, UID_LittleEndianExplicitTransferSyntax, testdata::newUid())});
  const auto r = exportTo(out, {"--patient", "EXP-1", "--profile", "usb", "--update", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["volumes"][0]["instances_added"], 2);
  const auto after = dicomdir::checkFileSet(out);
  EXPECT_TRUE(after.ok()) << (after.problems.empty() ? "" : after.problems.front());
  EXPECT_EQ(after.entries.size(), 3u);
  EXPECT_EQ(after.fileSetId, first.fileSetId);
  EXPECT_EQ(fileBytes(firstFile), firstBytes);  // what was there is untouched
  const auto flag =
      harness::runCommand({"dcmdump", "+P", "0004,1212", (out / "DICOMDIR").string()});
  EXPECT_NE(flag.out.find("US 0 "), std::string::npos) << flag.out;
  expectReadersAccept(out, 3);

  // Nothing new: nothing added, the set stays valid.
  const auto again =
      exportTo(out, {"--patient", "EXP-1", "--profile", "usb", "--update", "--json"});
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["volumes"][0]["instances_added"], 0);
  EXPECT_EQ(dicomdir::checkFileSet(out).entries.size(), 3u);
}

TEST_F(ExportTest, UpdateRefusesAStickOfAnotherPatient) {
  InstanceSpec other =
      patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid());
  other.patientIdBytes = "OTHER-2";
  receive({patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid()), other});
  const fs::path out = dir.path() / "usb";
  ASSERT_EQ(
      exportTo(out, {"--patient", "OTHER-2", "--profile", "usb", "--capacity", "100M"}).exitCode,
      0);
  const std::string before = fileBytes(out / "DICOMDIR");
  const auto r = exportTo(out, {"--patient", "EXP-1", "--profile", "usb", "--update"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("holds another patient"), std::string::npos) << r.err;
  EXPECT_EQ(fileBytes(out / "DICOMDIR"), before);
  EXPECT_EQ(dicomdir::checkFileSet(out).entries.size(), 1u);
}

TEST_F(ExportTest, BadInputIsAClearErrorAndLeavesNothingBehind) {
  receive({patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid())});
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const fs::path blocker = dir.path() / "a-file";
  std::ofstream(blocker) << "x";
  const Case cases[] = {
      {{"--patient", "NOBODY", "--profile", "cd"}, "no patient with ID or key \"NOBODY\""},
      {{"--patient", "EXP-1", "--study", "1.2.3.4", "--profile", "cd"},
       "study 1.2.3.4 is not one of"},
      {{"--patient", "EXP-1", "--profile", "floppy"}, "unknown profile \"floppy\""},
      {{"--patient", "EXP-1", "--profile", "cd", "--capacity", "100K"},
       "cannot hold a volume's fixed content"},
  };
  for (const Case& c : cases) {
    const fs::path out = dir.path() / "never";
    const auto r = exportTo(out, c.args);
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << c.message;
  }
  const auto notWritable = exportTo(blocker / "sub", {"--patient", "EXP-1", "--profile", "cd"});
  EXPECT_NE(notWritable.exitCode, 0);
  EXPECT_NE(notWritable.err.find("cannot create"), std::string::npos) << notWritable.err;

  const fs::path busy = dir.path() / "busy";
  fs::create_directories(busy);
  std::ofstream(busy / "keep.txt") << "clerk's file";
  const auto nonEmpty = exportTo(busy, {"--patient", "EXP-1", "--profile", "cd"});
  EXPECT_NE(nonEmpty.exitCode, 0);
  EXPECT_NE(nonEmpty.err.find("is not empty"), std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(busy), fs::directory_iterator()), 1);

  // A stored file gone missing: refused, and the (empty) target stays empty.
  fs::remove(harness::storedFileOf(station->dataDir(), sent[0].stem().string()));
  const fs::path empty = dir.path() / "empty";
  fs::create_directories(empty);
  const auto missing = exportTo(empty, {"--patient", "EXP-1", "--profile", "cd"});
  EXPECT_NE(missing.exitCode, 0);
  EXPECT_NE(missing.err.find("is missing"), std::string::npos) << missing.err;
  EXPECT_TRUE(fs::is_empty(empty));
}

TEST_F(ExportTest, PlannedSizeIsTheExactImageSizeWhenNothingIsReencoded) {
  std::vector<InstanceSpec> specs;
  const std::string study = testdata::newUid();
  for (int i = 0; i < 12; ++i) {
    InstanceSpec s = patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, study);
    s.seed = static_cast<unsigned>(i);
    s.instanceNumber = std::to_string(i + 1);
    specs.push_back(s);
  }
  specs.push_back(patient(Kind::SR, UID_LittleEndianExplicitTransferSyntax, study));
  receive(specs);
  const fs::path config = dir.path() / "profiles.toml";
  std::ofstream(config)
      << "[[profile]]\nname = \"plain-cd\"\nmedium = \"STD-GEN-CD\"\nviewer = false\n";
  const auto plan =
      bs({"plan", "--config", config.string(), "--data-dir", station->dataDir().string(),
          "--patient", "EXP-1", "--profile", "plain-cd", "--json"});
  ASSERT_EQ(plan.exitCode, 0) << plan.err;
  const auto volume = nlohmann::json::parse(plan.out)["volumes"][0];
  ASSERT_TRUE(volume["exact"].get<bool>());
  const auto predicted = volume["bytes"].get<std::uint64_t>();
  EXPECT_LE(predicted, volume["upper_bound_bytes"].get<std::uint64_t>());
  EXPECT_EQ(volume["sectors"].get<std::uint64_t>() * 2048, predicted);

  const fs::path out = dir.path() / "out";
  const auto r = exportTo(
      out, {"--config", config.string(), "--patient", "EXP-1", "--profile", "plain-cd", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string fileSetId = nlohmann::json::parse(r.out)["volumes"][0]["file_set_id"];
  const fs::path image = dir.path() / "volume.iso";
  mediawriter::writeIsoImage(mediawriter::contentOfDirectory(out, fileSetId), image);
  EXPECT_EQ(fs::file_size(image), predicted);
}

std::map<std::string, bool> verifyChecks(const fs::path& target, int& exitCode) {
  const auto r = bs({"verify", target.string(), "--json"});
  exitCode = r.exitCode;
  std::map<std::string, bool> checks;
  const auto doc = nlohmann::json::parse(r.out);  // must outlive the loop over its checks
  for (const auto& c : doc["checks"]) {
    checks[c["name"].get<std::string>()] = c["ok"].get<bool>();
  }
  return checks;
}

TEST_F(ExportTest, VerifyReadsImagesAndFoldersBackAndNoticesDamage) {
  receive({patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, testdata::newUid()),
           patient(Kind::MR, UID_LittleEndianExplicitTransferSyntax, testdata::newUid())});
  const fs::path out = dir.path() / "out";
  const auto r = exportTo(out, {"--patient", "EXP-1", "--profile", "cd", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string id = nlohmann::json::parse(r.out)["volumes"][0]["file_set_id"];
  const fs::path image = dir.path() / "good.iso";
  mediawriter::writeIsoImage(mediawriter::contentOfDirectory(out, id), image);

  int exitCode = -1;
  auto checks = verifyChecks(image, exitCode);
  EXPECT_EQ(exitCode, 0);
  for (const char* name : {"image", "session_md5", "file_md5", "file_set"}) {
    EXPECT_TRUE(checks[name]) << name;
  }
  checks = verifyChecks(out, exitCode);
  EXPECT_EQ(exitCode, 0);
  EXPECT_TRUE(checks["file_set"]);

  // One flipped byte near the end, where file data lives: both MD5 checks must notice.
  const fs::path damaged = dir.path() / "damaged.iso";
  fs::copy_file(image, damaged);
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    const auto size = static_cast<std::streamoff>(fs::file_size(damaged));
    f.seekg(size - 3 * 2048);
    char c = 0;
    f.read(&c, 1);
    f.seekp(size - 3 * 2048);
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
  }
  checks = verifyChecks(damaged, exitCode);
  EXPECT_EQ(exitCode, 1);
  EXPECT_FALSE(checks["session_md5"]);

  // A file missing from a folder.
  const auto entries = dicomdir::checkFileSet(out).entries;
  fs::remove(out / dicomdir::toPath(entries[0].fileId));
  checks = verifyChecks(out, exitCode);
  EXPECT_EQ(exitCode, 1);
  EXPECT_FALSE(checks["file_set"]);

  const auto nothing = bs({"verify", (dir.path() / "nowhere").string()});
  EXPECT_EQ(nothing.exitCode, 2);
  EXPECT_NE(nothing.err.find("neither an image file, a file-set folder nor a configured drive"),
            std::string::npos);
}

TEST_F(ExportTest, AnAdminProfileCanAskForLosslessJpeg) {
  const std::string study = testdata::newUid();
  receive({patient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, study),
           patient(Kind::CT, UID_LittleEndianImplicitTransferSyntax, study),
           patient(Kind::SR, UID_LittleEndianExplicitTransferSyntax, study)});
  const fs::path config = dir.path() / "profiles.toml";
  std::ofstream(config) << "[[profile]]\nname = \"dvd-compact\"\nmedium = \"STD-GEN-DVD-JPEG\"\n"
                           "compress = \"jpeg-lossless\"\n";
  const fs::path out = dir.path() / "dvd";
  const auto r = exportTo(
      out, {"--config", config.string(), "--patient", "EXP-1", "--profile", "dvd-compact"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  expectReadersAccept(out, 3);
  for (const auto& e : dicomdir::checkFileSet(out).entries) {
    const fs::path stored = harness::storedFileOf(station->dataDir(), e.sopInstanceUid);
    if (e.recordType == "IMAGE") {
      EXPECT_EQ(e.transferSyntaxUid, UID_JPEGProcess14SV1TransferSyntax);
      EXPECT_TRUE(pixelsAsExplicitLittle(out / dicomdir::toPath(e.fileId)) ==
                  pixelsAsExplicitLittle(stored));
    } else {
      EXPECT_EQ(e.transferSyntaxUid, UID_LittleEndianExplicitTransferSyntax);  // the SR as is
      EXPECT_TRUE(testdata::datasetBytesOf(out / dicomdir::toPath(e.fileId)) ==
                  testdata::datasetBytesOf(stored));
    }
  }
}

}  // namespace
}  // namespace burnstation
