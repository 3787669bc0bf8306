// A sender chooses the UIDs: none of them may name a file. Crafted SOP Instance UIDs (in the
// request and in the data set, sent by our raw SCU because storescu refuses them) are
// answered C000 with an Error Comment, nothing is kept, no file appears outside the data
// directory, another patient's stored file stays byte for byte, and the service answers
// C-ECHO after each. A UID that is only unusual (a leading zero) is stored and flagged.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <set>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;
using namespace std::string_literals;

std::string bytesOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// "%XX" for every byte a command line cannot carry or a shell would read (see bs_test_scu).
std::string percentEncoded(const std::string& raw) {
  std::string out;
  for (const char c : raw) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7e || c == '%') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

struct Sent {
  std::string status;
  std::string comment;
};

class HostilePaths : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Station> station;
  std::string victimUid;
  fs::path victimFile;
  std::string victimBytes;

  void SetUp() override {
    station = std::make_unique<Station>(dir.path() / "data");
    testdata::InstanceSpec victim;
    victim.kind = testdata::Kind::CT;
    victim.patientIdBytes = "VICTIM-1";
    victim.patientNameBytes = "VICTIM^PATIENT";
    const fs::path file = testdata::writeInstance(victim, dir.path() / "victim");
    victimUid = file.stem().string();
    ASSERT_EQ(harness::storescu(station->port(), {file}).exitCode, 0);
    victimFile = harness::storedFileOf(data(), victimUid);
    ASSERT_FALSE(victimFile.empty());
    victimBytes = bytesOf(victimFile);
  }

  fs::path data() const { return dir.path() / "data"; }

  // An instance of the attacker's patient whose SOP Instance UID (data set and File Meta)
  // is raw, any bytes; other UIDs may be replaced too.
  fs::path crafted(const std::string& name, const std::string& rawUid,
                   const std::string& rawStudyUid = {}) {
    testdata::InstanceSpec spec;
    spec.kind = testdata::Kind::CT;
    spec.patientIdBytes = "ATTACKER-1";
    spec.patientNameBytes = "ATTACKER^PATIENT";
    const fs::path made = testdata::writeInstance(spec, dir.path() / "made");
    DcmFileFormat format;
    EXPECT_TRUE(format.loadFile(made.c_str()).good());
    const auto length = static_cast<Uint32>(rawUid.size());
    EXPECT_TRUE(
        format.getDataset()->putAndInsertString(DCM_SOPInstanceUID, rawUid.data(), length).good());
    EXPECT_TRUE(format.getMetaInfo()
                    ->putAndInsertString(DCM_MediaStorageSOPInstanceUID, rawUid.data(), length)
                    .good());
    if (!rawStudyUid.empty()) {
      EXPECT_TRUE(format.getDataset()
                      ->putAndInsertString(DCM_StudyInstanceUID, rawStudyUid.data(),
                                           static_cast<Uint32>(rawStudyUid.size()))
                      .good());
    }
    fs::create_directories(dir.path() / "sent");
    const fs::path out = dir.path() / "sent" / (name + ".dcm");
    EXPECT_TRUE(format
                    .saveFile(out.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength,
                              EGL_recalcGL, EPD_noChange, 0, 0, EWM_updateMeta)
                    .good());
    return out;
  }

  Sent send(const fs::path& file, const std::string& requestUid) {
    const auto r =
        harness::runCommand({harness::testScuExe(), "--host", "127.0.0.1", "--port",
                             station->portText(), "--aet", "MODALITY1", "--aec", "BURNSTATION",
                             "--request-uid", percentEncoded(requestUid), file.string()});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    Sent sent;
    const std::string statusKey = file.string() + " status=";
    const std::string commentKey = file.string() + " comment=";
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(statusKey, 0) == 0) sent.status = line.substr(statusKey.size());
      if (line.rfind(commentKey, 0) == 0) sent.comment = line.substr(commentKey.size());
    }
    return sent;
  }

  // Everything that must hold after a refused or stored hostile C-STORE.
  void expectStoreIntact(const std::set<fs::path>& expectedObjects) {
    const auto echo = harness::runCommand({"echoscu", "-to", "5", "-aet", "MODALITY1", "-aec",
                                           "BURNSTATION", "127.0.0.1", station->portText()});
    EXPECT_EQ(echo.exitCode, 0) << "C-ECHO after the attack: " << echo.err;
    EXPECT_EQ(bytesOf(victimFile), victimBytes) << "the victim's stored file changed";
    EXPECT_EQ(harness::storedFileOf(data(), victimUid), victimFile);
    std::set<fs::path> objects;
    for (auto it = fs::recursive_directory_iterator(data() / "objects");
         it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_directory()) objects.insert(it->path());
    }
    EXPECT_EQ(objects, expectedObjects);
    EXPECT_TRUE(fs::is_empty(data() / "set-aside"));
    const auto check = harness::burnstation({"check", "--data-dir", data().string()});
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  }

  void expectRefused(const Sent& sent, const std::string& reasonPart) {
    EXPECT_EQ(sent.status, "C000");
    EXPECT_NE(sent.comment.find(reasonPart), std::string::npos) << sent.comment;
    EXPECT_LE(sent.comment.size(), 64u);
  }
};

TEST_F(HostilePaths, UidsThatWouldNameFilesAreRefusedAndNothingIsWritten) {
  // A short absolute target (a UID has at most 64 characters).
  char absTemplate[] = "/tmp/bsabsXXXXXX";
  ASSERT_NE(::mkdtemp(absTemplate), nullptr);
  const fs::path absDir = absTemplate;
  const std::string victimRelative = fs::relative(victimFile, data() / "objects").generic_string();
  const std::string victimStem = victimRelative.substr(0, victimRelative.size() - 4);  // ".dcm"

  struct Case {
    std::string name;
    std::string uid;
    std::vector<fs::path> mustNotExist;
  };
  const std::vector<Case> cases = {
      {"absolute", (absDir / "abs").string(), {absDir / "abs.dcm", absDir / "abs"}},
      {"parent", "../x", {data() / "objects" / "x.dcm", data() / "x.dcm"}},
      {"parent-twice", "../../escaped", {data() / "escaped.dcm", dir.path() / "escaped.dcm"}},
      // The victim's own stored path, reached from a sibling bucket.
      {"victim", "../" + victimStem, {}},
      {"nul", "1.2.3\0/../../nul"s, {data() / "nul.dcm", data() / "objects" / "nul.dcm"}},
      {"backslash", "1.2\\..\\..\\bs", {data() / "bs.dcm"}},
      {"shell", "1.2;$(touch /tmp/bs-pwned)|`id`&", {"/tmp/bs-pwned"}},
      {"dots", "1..2", {}},
      {"leading-dot", ".1.2", {}},
      {"hidden", ".", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path file = crafted(c.name, c.uid);
    const Sent sent = send(file, c.uid);
    EXPECT_EQ(sent.status, "C000");
    EXPECT_NE(sent.comment.find("SOP Instance UID"), std::string::npos) << sent.comment;
    EXPECT_LE(sent.comment.size(), 64u);
    for (const fs::path& p : c.mustNotExist) EXPECT_FALSE(fs::exists(p)) << p;
    EXPECT_TRUE(fs::is_empty(absDir));
    expectStoreIntact({victimFile});
  }
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM instances"), "1");
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM events WHERE kind = 'store-refused'"),
            std::to_string(cases.size()));
  fs::remove_all(absDir);
}

TEST_F(HostilePaths, CommentSaysWhatIsWrong) {
  const fs::path file = crafted("parent", "../x");
  expectRefused(send(file, "../x"), "\"../x\"");
  expectRefused(send(crafted("long", std::string(65, '1')), std::string(64, '1')),
                "longer than 64");
  expectStoreIntact({victimFile});
}

TEST_F(HostilePaths, DataSetUidsAreCheckedEvenWhenTheRequestIsClean) {
  // The request carries a clean UID; the data set's own values are what the index keeps.
  const std::string clean = testdata::newUid();
  expectRefused(send(crafted("nul-in-data-set", clean + "\0/../../x"s), clean),
                "only digits and dots");
  expectRefused(send(crafted("bad-study", clean, "../study"), clean), "Study Instance UID");
  expectStoreIntact({victimFile});
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM instances"), "1");
}

TEST_F(HostilePaths, LeadingZeroIsStoredAndFlagged) {
  const std::string unique = testdata::newUid();
  const std::string uid = "1.2.3.04." + unique.substr(unique.rfind('.') + 1);
  ASSERT_LE(uid.size(), 64u);
  const fs::path file = crafted("leading-zero", uid);
  const Sent sent = send(file, uid);
  EXPECT_EQ(sent.status, "0000") << sent.comment;
  const fs::path stored = harness::storedFileOf(data(), uid);
  ASSERT_FALSE(stored.empty());
  EXPECT_NE(harness::queryIndex(
                data(), "SELECT uid_note FROM instances WHERE sop_instance_uid = '" + uid + "'")
                .find("leading zero"),
            std::string::npos);
  EXPECT_EQ(harness::queryIndex(data(), "SELECT count(*) FROM events WHERE kind = 'unusual-uid'"),
            "1");
  // The name is the station's, not the UID.
  EXPECT_EQ(stored.filename().string().find(uid), std::string::npos);
  expectStoreIntact({victimFile, stored});
}

}  // namespace
}  // namespace burnstation
