// The PS3.11 video profiles (Annex I: STD-DVD-MPEG2-MPML; Annex M: STD-GEN-BD-MPEG2-*,
// -MPEG4-*): video goes on as it is where the profile names its syntax, is unplaceable with a
// reason everywhere else (the five general-purpose profiles unchanged), and an exported
// file-set holding a video object passes dciodvfy and pydicom.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/dicomdir/media_form.h"
#include "burnstation/dicomdir/media_profile.h"
#include "dicom_factory.h"
#include "file_set_readers.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using dicomdir::ApplicationProfile;
using dicomdir::Conversion;
using dicomdir::mediaFormFor;
using dicomdir::mediaProfile;
using testdata::InstanceSpec;
using testdata::Kind;

const dicomdir::MediaProfile& named(const char* name) {
  const auto id = dicomdir::findMediaProfile(name);
  EXPECT_TRUE(id) << name;
  return mediaProfile(id.value_or(ApplicationProfile::StdGenCd));
}

TEST(VideoProfiles, IdentifiersMediaAndSyntaxesAreThoseOfPs311) {
  const auto& dvd = named("dvd-mpeg2");
  EXPECT_EQ(dvd.name, "STD-DVD-MPEG2-MPML");
  EXPECT_EQ(dvd.medium, dicomdir::Medium::Dvd);
  EXPECT_EQ(dvd.defaultCapacity, 4'700'000'000u);
  ASSERT_EQ(dvd.transferSyntaxes.size(), 1u);  // Table I.3-1: MPEG2 MP@ML only
  EXPECT_STREQ(dvd.transferSyntaxes[0], UID_MPEG2MainProfileAtMainLevelTransferSyntax);

  struct Bd {
    const char* name;
    const char* syntax;
  };
  for (const Bd& bd :
       {Bd{"STD-GEN-BD-MPEG2-MPML", UID_MPEG2MainProfileAtMainLevelTransferSyntax},
        Bd{"STD-GEN-BD-MPEG2-MPHL", UID_MPEG2MainProfileAtHighLevelTransferSyntax},
        Bd{"STD-GEN-BD-MPEG4-HPLV41", UID_MPEG4HighProfileLevel4_1TransferSyntax},
        Bd{"STD-GEN-BD-MPEG4-HPLV41BD", UID_MPEG4BDcompatibleHighProfileLevel4_1TransferSyntax}}) {
    const auto& p = named(bd.name);
    EXPECT_EQ(p.medium, dicomdir::Medium::Bd) << bd.name;
    EXPECT_EQ(p.defaultCapacity, 25'000'000'000u) << bd.name;
    // Table M.3-1: Explicit VR Little Endian for every object, plus the one video syntax.
    EXPECT_EQ(p.transferSyntaxes.size(), 2u) << bd.name;
    EXPECT_TRUE(allowsTransferSyntax(p, UID_LittleEndianExplicitTransferSyntax)) << bd.name;
    EXPECT_TRUE(allowsTransferSyntax(p, bd.syntax)) << bd.name;
  }
  EXPECT_EQ(named("bd-mpeg2").name, "STD-GEN-BD-MPEG2-MPML");
  EXPECT_EQ(named("bd-h264").name, "STD-GEN-BD-MPEG4-HPLV41");
  // PS3.11 has no USB video profile; the empty short name of the others finds nothing.
  EXPECT_FALSE(dicomdir::findMediaProfile(""));
  EXPECT_FALSE(dicomdir::findMediaProfile("STD-GEN-USB-MPEG4-HPLV41"));
  // The five general-purpose profiles keep their media.
  EXPECT_EQ(named("cd").medium, dicomdir::Medium::Cd);
  EXPECT_EQ(named("usb").medium, dicomdir::Medium::Usb);
  EXPECT_EQ(named("dvd-j2k").medium, dicomdir::Medium::Dvd);
}

TEST(VideoProfiles, VideoGoesOnAsItIsWhereTheProfileNamesItsSyntax) {
  const std::string video = UID_VideoEndoscopicImageStorage;
  EXPECT_EQ(mediaFormFor(named("dvd-mpeg2"), UID_MPEG2MainProfileAtMainLevelTransferSyntax, video)
                .conversion,
            Conversion::None);
  EXPECT_EQ(mediaFormFor(named("bd-mpeg2"), UID_MPEG2MainProfileAtMainLevelTransferSyntax, video)
                .conversion,
            Conversion::None);
  EXPECT_EQ(
      mediaFormFor(named("bd-h264"), UID_MPEG4HighProfileLevel4_1TransferSyntax, video).conversion,
      Conversion::None);
  // Another video syntax than the profile's is never re-encoded into it.
  const auto other =
      mediaFormFor(named("bd-mpeg2"), UID_MPEG4HighProfileLevel4_1TransferSyntax, video);
  EXPECT_EQ(other.conversion, Conversion::Unwritable);
  EXPECT_NE(other.reason.find("bd-h264 (STD-GEN-BD-MPEG4-HPLV41)"), std::string::npos)
      << other.reason;
}

TEST(VideoProfiles, TheFiveGeneralPurposeProfilesStillRefuseVideoWithAReason) {
  for (const char* profile : {"cd", "dvd", "dvd-j2k", "usb", "usb-j2k"}) {
    for (const char* ts :
         {UID_MPEG2MainProfileAtMainLevelTransferSyntax, UID_MPEG4HighProfileLevel4_1TransferSyntax,
          UID_HEVCMainProfileLevel5_1TransferSyntax}) {
      const auto form = mediaFormFor(named(profile), ts, UID_VideoEndoscopicImageStorage);
      EXPECT_EQ(form.conversion, Conversion::Unwritable) << profile << " " << ts;
      EXPECT_NE(form.reason.find("cannot be written to " + std::string(named(profile).name)),
                std::string::npos)
          << form.reason;
      EXPECT_NE(form.reason.find("never re-encoded"), std::string::npos) << form.reason;
    }
  }
  EXPECT_NE(mediaFormFor(named("usb"), UID_HEVCMainProfileLevel5_1TransferSyntax)
                .reason.find("no PS3.11 profile of this station holds it"),
            std::string::npos);
}

TEST(VideoProfiles, OtherObjectsFollowEachProfile) {
  const std::string ct = UID_CTImageStorage;
  // Annex I holds video only.
  const auto onDvd = mediaFormFor(named("dvd-mpeg2"), UID_LittleEndianExplicitTransferSyntax, ct);
  EXPECT_EQ(onDvd.conversion, Conversion::Unwritable);
  EXPECT_NE(onDvd.reason.find("STD-DVD-MPEG2-MPML holds only video"), std::string::npos)
      << onDvd.reason;
  EXPECT_EQ(mediaFormFor(named("dvd-mpeg2"), UID_JPEGProcess1TransferSyntax, ct).conversion,
            Conversion::Unwritable);
  // Annex M: uncompressed as on STD-GEN-CD (JPEG decoded, Implicit VR re-encoded).
  const auto& bd = named("bd-h264");
  EXPECT_EQ(mediaFormFor(bd, UID_LittleEndianExplicitTransferSyntax, ct).conversion,
            Conversion::None);
  EXPECT_EQ(mediaFormFor(bd, UID_LittleEndianImplicitTransferSyntax, ct).conversion,
            Conversion::ToExplicitLittle);
  EXPECT_EQ(mediaFormFor(bd, UID_JPEGProcess1TransferSyntax, ct).conversion,
            Conversion::ToExplicitLittle);
  EXPECT_EQ(mediaFormFor(bd, UID_LittleEndianExplicitTransferSyntax, ct,
                         dicomdir::Compression::JpegLossless)
                .conversion,
            Conversion::None);  // no JPEG on a BD video profile
}

class VideoExport : public ::testing::Test {
 protected:
  harness::TempDir dir;
  std::unique_ptr<harness::Station> station;

  std::vector<fs::path> receive(const std::vector<InstanceSpec>& specs) {
    std::vector<fs::path> sent;
    for (const auto& s : specs) sent.push_back(testdata::writeInstance(s, dir.path() / "sent"));
    station = std::make_unique<harness::Station>(dir.path() / "data");
    for (const auto& [file, status] : harness::testScuStatuses(station->port(), sent, {"--raw"}))
      EXPECT_EQ(status, "0000") << file;
    return sent;
  }
  harness::CommandResult run(const std::string& command, const std::string& profile,
                             const std::vector<std::string>& more = {}) {
    std::vector<std::string> args = {command,     "--data-dir", station->dataDir().string(),
                                     "--patient", "VID-1",      "--profile",
                                     profile};
    args.insert(args.end(), more.begin(), more.end());
    return harness::burnstation(args);
  }
};

InstanceSpec videoPatient(Kind kind, const std::string& ts, const std::string& study) {
  InstanceSpec s;
  s.kind = kind;
  s.patientIdBytes = "VID-1";
  s.patientNameBytes = "VIDEO^PATIENT";
  s.studyInstanceUid = study;
  s.transferSyntax = ts;
  s.frames = kind == Kind::VideoEndoscopic ? 10 : 1;
  return s;
}

TEST_F(VideoExport, AnH264ObjectIsWrittenAsItIsOnTheBdProfile) {
  const std::string study = testdata::newUid();
  receive({videoPatient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, study),
           videoPatient(Kind::VideoEndoscopic, UID_MPEG4HighProfileLevel4_1TransferSyntax, study)});
  const auto plan = run("plan", "bd-h264", {"--json"});
  ASSERT_EQ(plan.exitCode, 0) << plan.err;
  EXPECT_TRUE(nlohmann::json::parse(plan.out)["unplaceable"].empty()) << plan.out;

  const fs::path out = dir.path() / "bd";
  const auto r = run("export", "bd-h264", {"--to", out.string()});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  expectReadersAccept(out, 2);
  const auto check = dicomdir::checkFileSet(out);
  bool sawVideo = false;
  for (const auto& e : check.entries) {
    const fs::path written = out / dicomdir::toPath(e.fileId);
    EXPECT_EQ(dicomdir::toPath(e.fileId).rfind("DICOM/", 0), 0u) << dicomdir::toPath(e.fileId);
    if (e.transferSyntaxUid != UID_MPEG4HighProfileLevel4_1TransferSyntax) continue;
    sawVideo = true;
    EXPECT_EQ(e.recordType, "IMAGE");
    const fs::path stored = harness::storedFileOf(station->dataDir(), e.sopInstanceUid);
    EXPECT_TRUE(testdata::datasetBytesOf(written) == testdata::datasetBytesOf(stored))
        << "the video object was changed";
  }
  EXPECT_TRUE(sawVideo);
}

TEST_F(VideoExport, TheDvdMpeg2ProfileTakesMpeg2VideoAndNothingElse) {
  const std::string study = testdata::newUid();
  receive(
      {videoPatient(Kind::CT, UID_LittleEndianExplicitTransferSyntax, study),
       videoPatient(Kind::VideoEndoscopic, UID_MPEG2MainProfileAtMainLevelTransferSyntax, study),
       videoPatient(Kind::VideoEndoscopic, UID_MPEG4HighProfileLevel4_1TransferSyntax, study)});
  const auto plan = run("plan", "dvd-mpeg2", {"--json"});
  ASSERT_EQ(plan.exitCode, 0) << plan.err;
  const auto doc = nlohmann::json::parse(plan.out);
  ASSERT_EQ(doc["unplaceable"].size(), 2u) << plan.out;
  EXPECT_EQ(doc["volumes"][0]["instances"], 1);
  const std::string reasons = doc["unplaceable"].dump();
  EXPECT_NE(reasons.find("holds only video"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("bd-h264"), std::string::npos) << reasons;
  // The five general-purpose profiles: every video object unplaceable, as before.
  for (const char* profile : {"cd", "dvd", "dvd-j2k", "usb", "usb-j2k"}) {
    const auto p = run("plan", profile, {"--json"});
    ASSERT_EQ(p.exitCode, 0) << p.err;
    EXPECT_EQ(nlohmann::json::parse(p.out)["unplaceable"].size(), 2u) << profile << p.out;
  }
}

}  // namespace
}  // namespace burnstation
